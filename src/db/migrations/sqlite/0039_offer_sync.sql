-- 0039 — the providers' HTTP sync (offers.md §8.3, docs/offers.md "Synchronisation").
--
-- offer_sync_run: one row per run of a provider's sync job, kept for the support page
-- "Synchronisation des offres" (/support/offres), which shows each provider's last one.
-- kind: 'full' (the reconciling run) or 'incremental'. finished_at NULL: under way or
-- killed. error NULL: the run succeeded (its counts are then what it wrote); else the
-- French reason, and nothing was written. Instants in ms UTC.
CREATE TABLE offer_sync_run (
	id TEXT PRIMARY KEY,
	provider TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('full', 'incremental')),
	started_at INTEGER NOT NULL,
	finished_at INTEGER,
	inserted INTEGER NOT NULL DEFAULT 0,
	updated INTEGER NOT NULL DEFAULT 0,
	deactivated INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	error TEXT
) STRICT;
CREATE INDEX offer_sync_run_provider ON offer_sync_run(provider, started_at);

-- The reconciliation: missed_full_runs counts the consecutive full runs of the offer's
-- provider that did not list it (2 ⇒ inactive); inactive_since is when it became inactive
-- (absent twice, or deleted by its provider), the daily purge deleting it 30 days later.
-- The same for the events of Mes Événements Emploi.
ALTER TABLE offer ADD COLUMN missed_full_runs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offer ADD COLUMN inactive_since INTEGER;
CREATE INDEX offer_inactive ON offer(inactive_since);
ALTER TABLE job_event ADD COLUMN missed_full_runs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE job_event ADD COLUMN inactive_since INTEGER;
CREATE INDEX job_event_inactive ON job_event(inactive_since);
