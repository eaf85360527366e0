-- 0003 — the fiche bénéficiaire: counselor history, i-milo refresh state, archives.

-- One row per assignment (beneficiaries.md §8); the current one has ended_at NULL.
CREATE TABLE counselor_history (
	id text PRIMARY KEY,
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	counselor_id text NOT NULL REFERENCES counselor(id),
	started_at bigint NOT NULL,
	ended_at bigint
);
CREATE INDEX counselor_history_beneficiary ON counselor_history(beneficiary_id, started_at);

-- The dossier's last successful read from i-milo, and whether the last read failed.
ALTER TABLE beneficiary ADD COLUMN imilo_synced_at bigint;
ALTER TABLE beneficiary ADD COLUMN imilo_sync_failed_at bigint;
-- Set when i-milo answers 404 or "pas justifié" (beneficiaries.md §11).
ALTER TABLE beneficiary ADD COLUMN to_archive bigint NOT NULL DEFAULT 0;

-- Accounts deleted after activation are archived, kept 2 years, then purged (§9).
CREATE TABLE beneficiary_archive (
	id text PRIMARY KEY,
	beneficiary_id text NOT NULL,        -- the deleted account's id (no foreign key: it is gone)
	structure_id text NOT NULL,
	archived_by text NOT NULL,           -- counselor id
	archived_at bigint NOT NULL,
	motif text NOT NULL,
	comment text,
	end_date text NOT NULL,              -- date de fin d'accompagnement, YYYY-MM-DD
	content_json text NOT NULL,          -- identity, e-mail, dispositif, history, …
	purge_at bigint NOT NULL
);
CREATE INDEX beneficiary_archive_purge ON beneficiary_archive(purge_at);

-- Every existing account gets its first history row (its creation).
-- Ids shaped like every other (a random UUID: time order does not matter for these).
INSERT INTO counselor_history(id, beneficiary_id, counselor_id, started_at)
	SELECT gen_random_uuid()::text, id, counselor_id, created_at FROM beneficiary;

-- The structure-wide search of the page "Bénéficiaires" (§10), in name order.
CREATE INDEX beneficiary_structure ON beneficiary(structure_id, search_folded) WHERE deleted_at IS NULL;
