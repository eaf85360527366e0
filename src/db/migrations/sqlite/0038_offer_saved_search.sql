-- 0038 — saved searches, the counselor's suggestions and the alerts (offers.md §4, §6;
-- docs/offers.md "Alertes").
--
-- One row per saved search or suggestion of a beneficiary. criteria: the search as JSON
-- with its type ({"type":"ALTERNANCE","motscles":…,"lieu":…}, the URL's parameter names),
-- type: its offer type, read by the alert jobs of 09:00 (EMPLOI, ALTERNANCE, IMMERSION)
-- and 11:00 (SERVICE_CIVIQUE). source BENEFICIAIRE (made from the results) or CONSEILLER
-- (shared by suggested_by); status: pending (a suggestion not answered yet), accepted (a
-- saved search: the only ones listed, counted in the 50 and alerted), refused.
-- last_alert_day: the Paris day ("yyyy-MM-dd") of the last successful alert run, which
-- makes the run idempotent per (search, day); last_alert_run_at its start, from which the
-- next run looks for new offers (first_seen_at).
CREATE TABLE offer_saved_search (
	id TEXT PRIMARY KEY,
	beneficiary_id TEXT NOT NULL REFERENCES beneficiary(id),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	type TEXT NOT NULL CHECK (type IN ('EMPLOI', 'ALTERNANCE', 'SERVICE_CIVIQUE', 'IMMERSION')),
	criteria TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('BENEFICIAIRE', 'CONSEILLER')),
	suggested_by TEXT,
	status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'refused')),
	created_at INTEGER NOT NULL,
	last_searched_at INTEGER,
	last_alert_run_at INTEGER,
	last_alert_state TEXT CHECK (last_alert_state IN ('SUCCES', 'ECHEC')),
	last_alert_day TEXT
);
-- "Mes alertes" and the home block (a beneficiary's rows, newest first); the alert run
-- (a type's saved searches); the 2-year purge (by last use).
CREATE INDEX offer_saved_search_beneficiary ON offer_saved_search(beneficiary_id, created_at);
CREATE INDEX offer_saved_search_type ON offer_saved_search(type, status, id);
CREATE INDEX offer_saved_search_used ON offer_saved_search(coalesce(last_searched_at, created_at));
