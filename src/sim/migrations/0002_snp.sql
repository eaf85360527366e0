-- 0002 — SNP situations created through D5 (POST /sue/dossiers/{id}/situation), kept as
-- received so tests and the demo can see what cej sent (GET /_admin/dossiers/{id}/situations).
-- Apart from the `situation` table, which holds the dossier's i-milo situations served by D1.

CREATE TABLE snp_situation (
	id TEXT PRIMARY KEY,                  -- UUIDv7, the id answered with the 201
	dossier_id INTEGER NOT NULL REFERENCES dossier(id) ON DELETE CASCADE,
	date_debut TEXT NOT NULL,             -- YYYY-MM-DD
	date_fin_reelle TEXT NOT NULL,        -- YYYY-MM-DD
	commentaire TEXT NOT NULL,            -- 1–255 characters
	mesure TEXT NOT NULL,                 -- EMPLOI, FORMATION, …
	login_conseiller TEXT NOT NULL,       -- a counselor's login
	received_at INTEGER NOT NULL          -- Unix ms
) STRICT;

CREATE INDEX snp_situation_dossier ON snp_situation(dossier_id);
