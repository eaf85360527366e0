-- 0002 — the durable job queue (DESIGN §6, src/jobs/jobs_store.c).
-- A live job (failed_at NULL) is unique by key, so a change re-plans or cancels its
-- reminders by key. A runner holds a job while locked_until is in the future (a crash frees
-- it when the lease ends); revision counts re-plans, so a run's outcome only applies to the
-- plan it claimed. Done one-shot jobs are deleted; dead ones stay for support.
CREATE TABLE job (
	id text PRIMARY KEY,                  -- UUIDv7
	kind text NOT NULL,                   -- handler name, e.g. 'imilo_sync'
	key text NOT NULL,                    -- e.g. 'action:{id}:j3'
	-- Invalid JSON fails the cast (an error, as SQLite's json_valid() fails the CHECK).
	payload text CHECK (payload IS NULL OR payload::json IS NOT NULL),
	run_at bigint NOT NULL,              -- due instant
	attempts bigint NOT NULL DEFAULT 0,  -- runs started for the current plan
	locked_until bigint,                 -- end of the lease of the runner holding it
	revision bigint NOT NULL DEFAULT 0,
	daily_at text CHECK (daily_at IS NULL OR daily_at ~ '^[0-2][0-9]:[0-5][0-9]$'),
	timezone text,                        -- IANA zone of daily_at
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	failed_at bigint,                    -- dead: given up at
	last_error text,
	CHECK ((daily_at IS NULL) = (timezone IS NULL))
);
CREATE UNIQUE INDEX job_live_key ON job(key) WHERE failed_at IS NULL;
CREATE INDEX job_due ON job(run_at) WHERE failed_at IS NULL;
