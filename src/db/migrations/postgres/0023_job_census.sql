-- 0023 — what GET /metrics reads of the job queue at every scrape (jobs_store_census,
-- docs/metrics.md). Each state is counted through an index of its own rows: the jobs that
-- need attention (due, retrying, running, dead) are few, while the reminders planned for
-- later can be hundreds of thousands — a GROUP BY over the whole table took 0.7 s on a
-- million rows, these take a few milliseconds. Due jobs already have job_due.

-- Held by a runner: the lease is cleared by every outcome, so only running jobs (and
-- those whose runner died) keep one.
CREATE INDEX job_held ON job(locked_until) WHERE locked_until IS NOT NULL;
-- Live jobs that have run at least once for their current plan: failed and waiting for
-- their retry, or running (attempts is reset by every new plan and every daily run).
CREATE INDEX job_retrying ON job(kind) WHERE failed_at IS NULL AND attempts > 0;
-- Given up: they stay for support.
CREATE INDEX job_dead ON job(kind) WHERE failed_at IS NOT NULL;
