-- 0037 — the young person's followed offers and offer activity (offers.md §5, §7;
-- youth-app.md §8; docs/offers.md "L'onglet Offres de l'application").
--
-- offer_favorite: an offer the beneficiary saved ("Enregistrer"), with the snapshot of
-- what its card showed (JSON, offers.md §5) so that it stays listed once the offer left the
-- catalogue: no foreign key to offer on purpose (inactive offers are deleted after 30 days,
-- favourites survive them). applied_at: "J'ai postulé". Purged 6 months after creation.
CREATE TABLE offer_favorite (
	beneficiary_id TEXT NOT NULL REFERENCES beneficiary(id),
	offer_id TEXT NOT NULL,
	offer_type TEXT NOT NULL CHECK (offer_type IN ('EMPLOI', 'ALTERNANCE', 'SERVICE_CIVIQUE', 'IMMERSION')),
	snapshot TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	applied_at INTEGER,
	PRIMARY KEY (beneficiary_id, offer_id)
) STRICT;
CREATE INDEX offer_favorite_created ON offer_favorite(created_at);

-- offer_event: what the counselor's indicators count (offers.md §7), kept 1 year.
CREATE TABLE offer_event (
	id TEXT PRIMARY KEY,
	beneficiary_id TEXT NOT NULL REFERENCES beneficiary(id),
	code TEXT NOT NULL CHECK (code IN ('OFFRE_CONSULTEE', 'FAVORI_AJOUTE', 'OFFRE_PARTAGEE', 'RECHERCHE_SAUVEGARDEE')),
	offer_id TEXT,
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX offer_event_beneficiary ON offer_event(beneficiary_id, at);
CREATE INDEX offer_event_at ON offer_event(at);

-- offer_immersion_contact: "Contacter l'entreprise" of an Immersion (offers.md §3), what
-- the young person sent, and when: at most once per establishment (siret) and métier
-- (appellation code) every 7 days. Goes with the account.
CREATE TABLE offer_immersion_contact (
	id TEXT PRIMARY KEY,
	beneficiary_id TEXT NOT NULL REFERENCES beneficiary(id),
	siret TEXT NOT NULL,
	appellation_code TEXT NOT NULL,
	at INTEGER NOT NULL,
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	email TEXT NOT NULL,
	phone TEXT NOT NULL,
	start_date TEXT NOT NULL,
	message TEXT NOT NULL
) STRICT;
CREATE INDEX offer_immersion_contact_rule ON offer_immersion_contact(beneficiary_id, siret, appellation_code, at);
