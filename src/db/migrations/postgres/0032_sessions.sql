-- 0032 — i-milo sessions (agenda.md §5, imilo.md §3.3–3.5, §4).
--
-- i-milo owns a session: its offer, dates, places and registrants are read live (S1–S4).
-- cej keeps only what i-milo has no place for (§5.1): whether the beneficiaries of the
-- Mission Locale see the session in their app, whether they may register themselves, and
-- when cej closed it. No row = not visible, not closed.
CREATE TABLE imilo_session (
	id text PRIMARY KEY,                  -- i-milo's session id (a JSON integer, as text)
	structure_id text NOT NULL REFERENCES structure(id),
	visible bigint NOT NULL DEFAULT 0 CHECK (visible IN (0, 1)),
	auto_registration bigint NOT NULL DEFAULT 0 CHECK (auto_registration IN (0, 1)),
	closed_at bigint,
	updated_at bigint NOT NULL,
	-- §5.2: self-registration forces the session visible.
	CHECK (auto_registration = 0 OR visible = 1)
);
CREATE INDEX imilo_session_structure ON imilo_session(structure_id) WHERE visible = 1;

-- What cej last knew of each registration of one of its beneficiaries (i-milo owns it):
-- written after i-milo accepted a write of cej, and by the event feed for changes made
-- at the i-milo desk. The reminders fall back on it when i-milo cannot be reached
-- (notifications.md §3.2), the app lists the sessions a young person is registered to
-- from it, and it goes with the beneficiary's account (purge).
CREATE TABLE session_registration (
	instance_id text PRIMARY KEY,         -- i-milo's idInstanceSession
	session_id text NOT NULL,             -- i-milo's session id
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	statut text NOT NULL CHECK (statut IN ('ONGOING', 'REFUSAL', 'REFUSAL_YOUNG', 'ACHIEVED')),
	session_name text NOT NULL,
	starts_at bigint NOT NULL,           -- Unix ms, from the structure's local time
	ends_at bigint NOT NULL,
	updated_at bigint NOT NULL
);
CREATE INDEX session_registration_beneficiary ON session_registration(beneficiary_id, starts_at);
CREATE INDEX session_registration_session ON session_registration(session_id);
