-- 0037 — the young person's followed offers and offer activity (offers.md §5, §7;
-- youth-app.md §8; docs/offers.md "L'onglet Offres de l'application"). See the SQLite
-- migration of the same number for the reasons.
CREATE TABLE offer_favorite (
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	offer_id text NOT NULL,
	offer_type text NOT NULL CHECK (offer_type IN ('EMPLOI', 'ALTERNANCE', 'SERVICE_CIVIQUE', 'IMMERSION')),
	snapshot text NOT NULL,
	created_at bigint NOT NULL,
	applied_at bigint,
	PRIMARY KEY (beneficiary_id, offer_id)
);
CREATE INDEX offer_favorite_created ON offer_favorite(created_at);

CREATE TABLE offer_event (
	id text PRIMARY KEY,
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	code text NOT NULL CHECK (code IN ('OFFRE_CONSULTEE', 'FAVORI_AJOUTE', 'OFFRE_PARTAGEE', 'RECHERCHE_SAUVEGARDEE')),
	offer_id text,
	at bigint NOT NULL
);
CREATE INDEX offer_event_beneficiary ON offer_event(beneficiary_id, at);
CREATE INDEX offer_event_at ON offer_event(at);

CREATE TABLE offer_immersion_contact (
	id text PRIMARY KEY,
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	siret text NOT NULL,
	appellation_code text NOT NULL,
	at bigint NOT NULL,
	first_name text NOT NULL,
	last_name text NOT NULL,
	email text NOT NULL,
	phone text NOT NULL,
	start_date text NOT NULL,
	message text NOT NULL
);
CREATE INDEX offer_immersion_contact_rule ON offer_immersion_contact(beneficiary_id, siret, appellation_code, at);
