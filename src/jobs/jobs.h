/* jobs.h — the durable job queue (DESIGN §6): mail, reminders, nightly i-milo sync, purges.
 *
 * One table of jobs. Every job has a unique key in the product's words ("action:{id}:j3",
 * "imilo:sync"), so the change that planned a reminder can re-plan or cancel it by key, in
 * its own transaction. A runner claims due jobs with a lease, runs the handler of their kind,
 * and records the outcome: done (the row goes, or a daily job moves to its next
 * occurrence), retry with exponential backoff, or dead after the last attempt (the row stays,
 * with failed_at and last_error, for support; its kind's dead hook, if any, runs in the
 * same transaction).
 *
 * Guarantees and what a handler may assume:
 * - At least once. A job runs again when its runner dies before recording the outcome (the
 *   lease ends), or when the handler committed its work but the outcome could not be
 *   written. Handlers must therefore be idempotent: "send the J-3 reminder unless already
 *   sent", not "send a reminder".
 * - Never twice at once. While a runner holds a job (its lease), no other runner on any
 *   connection or node claims it, even when it is re-planned meanwhile. A handler that runs
 *   longer than its kind's lease loses that guarantee: set lease_ms above the longest run.
 * - Re-planning wins. jobs_schedule() on a key whose job is running keeps that run going and
 *   stores the new plan; the run's outcome is then ignored (no delete, no retry counted
 *   against the new plan) and the new plan runs at its own time. jobs_cancel() during a run
 *   lets the run finish and guarantees it is neither retried nor re-planned.
 * - Handlers run outside any transaction, on the runner's connection, and open their own
 *   write transactions (db_tx_begin) as the work requires. A transaction a handler leaves
 *   open is rolled back.
 *
 * Instants are Unix milliseconds UTC; "now" is always passed in so tests control time.
 * Functions return 0 (or a count) on success, or a negative enum err. */
#ifndef CEJ_JOBS_H
#define CEJ_JOBS_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

#define JOBS_DEFAULT_MAX_ATTEMPTS 5
#define JOBS_DEFAULT_BACKOFF_MS (30 * 1000)          /* after the first failure */
#define JOBS_DEFAULT_LEASE_MS (10 * 60 * 1000)
#define JOBS_MAX_BACKOFF_MS (60 * 60 * 1000)         /* no retry waits longer than 1 h */

/* A job as a handler sees it. Strings are never NULL except payload. A handler may read
 * them until it returns (copy into its arena to keep them); jobs_find() copies them into
 * the caller's arena. */
struct job {
	const char *id;        /* UUIDv7 of the row */
	const char *kind;      /* handler name, e.g. "imilo_sync" */
	const char *key;       /* unique among live jobs, e.g. "action:{id}:j3" */
	const char *payload;   /* JSON text, or NULL */
	int attempts;          /* runs started for the current plan, this one included (>= 1) */
	int64_t run_at;        /* the planned instant (the job may run later, never earlier) */
};

/* A handler. Returns 0 when the job is done, negative (an enum err) to have it retried; it
 * may set *@error to a short reason kept as the row's last_error (static or in @a). @a is
 * freed after the run; @app is the pointer given to the runner. */
typedef int (*job_run_fn)(void *app, struct db *db, struct arena *a, const struct job *j,
			  int64_t now, const char **error);

/* Called when a job of its kind is made dead, whatever the cause (its last attempt
 * failed, or its runs kept dying with their runner), inside the transaction that records
 * it: what it writes commits with the dead row, or not at all. For work whose data must
 * not outlive the job (a mail's body and its links). Returns 0, or negative to leave the
 * job as it was: it is given up again, and the hook called again, after its lease. */
typedef int (*job_dead_fn)(void *app, struct db *db, const struct job *j, int64_t now);

/* One entry of the handler table; the table outlives any runner using it. A zero field
 * takes the default above. */
struct job_kind {
	const char *kind;
	job_run_fn run;
	int max_attempts;      /* runs before the job is dead */
	int64_t backoff_ms;    /* retry delay: backoff_ms × 2^(attempts-1), at most 1 h */
	int64_t lease_ms;      /* longest a run may take before another runner may start it */
	job_dead_fn dead;      /* NULL: nothing to do when a job of this kind is given up */
};

/* Plans job @key of @kind at @run_at with @payload (NULL or JSON text, copied), replacing
 * the live job with that key if any: new kind, payload and run_at, attempts and last_error
 * cleared, no longer daily. A run in progress is not interrupted (see above). Call inside the
 * caller's write transaction so that the change and its job commit together. 0, -ERR_DB, or
 * -ERR_INVAL when @kind or @key is empty or @payload is not JSON. */
int jobs_schedule(struct db *db, int64_t now, const char *kind, const char *key,
		  const char *payload, int64_t run_at);

/* Removes the live job with @key (pending or running); dead rows stay. Like
 * jobs_schedule(), belongs in the caller's transaction. No such job: 0; NULL @key:
 * -ERR_INVAL. */
int jobs_cancel(struct db *db, const char *key);

/* The queue's part of an account's deletion and archive (beneficiaries.md §9): every job,
 * live or dead, whose key or payload names @beneficiary_id (e.g. "imilo-refresh:{id}"), so
 * that no job runs for, or keeps the id of, an account that is gone. Jobs keyed by another
 * row of the beneficiary (an action's reminder) are purged by the feature that owns that
 * row. One scan of the job table: deletions are rare. In the caller's transaction. 0 or
 * -ERR_DB. */
int jobs_purge_beneficiary(struct db *db, const char *beneficiary_id);

/* A dead job (the queue's dead-letter row), as support lists them. */
struct job_dead {
	const char *key, *payload;   /* payload may be NULL */
	const char *last_error;      /* NULL: none recorded */
	int attempts;
	int64_t failed_at;
};
/* The @limit most recently dead jobs of @kind, newest first, into *@out (arena @a), and
 * their *@total. Count or -ERR_DB. */
int jobs_dead_list(struct db *db, struct arena *a, const char *kind, int limit,
		   struct job_dead **out, int *total);

/* Makes sure @key is planned as a daily job of @kind at @hour:@minute in IANA zone @tz
 * (NULL: Europe/Paris): when no live job has that key, or when the live one has another
 * kind, payload, time or zone (the configuration changed), plans it at
 * jobs_next_daily(@now, …); an identical live plan is left alone, so calling this at every
 * start is harmless. After each run, done or dead, the runner plans the next occurrence.
 * 0, -ERR_DB, or -ERR_INVAL (empty kind or key, bad time, unknown zone, payload not JSON). */
int jobs_ensure_daily(struct db *db, int64_t now, const char *kind, const char *key,
		      const char *payload, int hour, int minute, const char *tz);

/* The first instant strictly after @now whose wall-clock time in zone @tz (NULL:
 * Europe/Paris) is @hour:@minute:00. Across DST changes, as RFC 5545 reads local times: in
 * the spring-forward gap a time takes the offset in force before the gap, so it moves
 * forward by the gap (02:30 → 03:30 CEST in Paris on the last Sunday of March); in the
 * autumn's repeated hour it is the first occurrence, and the second is skipped, so a
 * daily job runs once that day. -ERR_INVAL on a bad time or an unknown zone. Pure. */
int64_t jobs_next_daily(int64_t now, int hour, int minute, const char *tz);

/* Delay before retrying after the @attempts-th failed run (>= 1): @backoff_ms ×
 * 2^(attempts-1), capped at JOBS_MAX_BACKOFF_MS. Pure. */
int64_t jobs_retry_delay_ms(int64_t backoff_ms, int attempts);

/* Claims up to @max jobs due at @now, runs each with its handler from @kinds (@n entries)
 * and records the outcome. A job of a kind missing from @kinds is made dead at once; a job
 * whose earlier runs all died with their runner (claimed max_attempts times, never
 * finished) is made dead without running again. Must be called outside any transaction
 * on @db. Returns the number of jobs taken off the queue (run, or made dead), or -ERR_DB
 * (jobs claimed and not yet recorded run again after their lease). */
int jobs_run_due(const struct job_kind *kinds, size_t n, void *app, struct db *db,
		 int64_t now, int max);

/* The live job with @key into @out (strings in @a); -ERR_NOTFOUND when there is none. */
int jobs_find(struct db *db, struct arena *a, const char *key, struct job *out);

/* Counts the jobs of @kind (NULL: every kind): live ones (pending or running) into
 * *@pending, dead ones into *@dead; either pointer may be NULL. For tests. */
int jobs_count(struct db *db, const char *kind, int *pending, int *dead);

/* Appends to @out, in the Prometheus text format (base/metrics.h), the queue at @now:
 * cej_jobs{kind, state} — waiting (due, not yet taken), retrying (failed, waiting for its
 * next attempt), running, dead (given up) — and cej_jobs_oldest_waiting_seconds{kind}, how
 * late the most overdue waiting job is. Jobs planned for later that never failed
 * (reminders, daily jobs) are not counted. Every kind of @kinds (@n) is written, zeros
 * included, then any other kind the table holds (an older version's). Mails are the kind
 * "mail". One query, through indexes of the rows it counts; temporary data in @a. 0, or
 * -ERR_DB with nothing written. */
int jobs_metrics(struct db *db, struct arena *a, int64_t now, const struct job_kind *kinds,
		 size_t n, GString *out);

/* The background runner of `cej serve`: a thread with its own connection to @database_url
 * (db_thread), running due jobs one at a time on clock_now_ms(), every second and when
 * woken. @kinds and @app must outlive the runner; @database_url is copied. */
struct jobs_runner;
struct jobs_runner *jobs_runner_start(const char *database_url, const struct job_kind *kinds,
				      size_t n, void *app);
/* Looks for due jobs now, e.g. after committing a job due at once (wake after the commit:
 * before it, the runner cannot see the job). NULL ok. */
void jobs_runner_wake(struct jobs_runner *r);
/* Wakes @r once the open write transaction of @db commits (db_tx_on_commit): what a use
 * case calls after planning a job due at once (a mail) inside its transaction. NULL ok. */
void jobs_wake_on_commit(struct db *db, struct jobs_runner *r);
/* Lets the running job finish, stops the thread and frees @r. NULL ok. */
void jobs_runner_stop(struct jobs_runner *r);

#endif
