/* jobs_store.h — the only code that knows the job table (DESIGN §3: SQL only in *_store.c).
 * Private to src/jobs/ and its tests (and jobs_store_count_busy to the test-only route of
 * serve/ops_web.c); other features call jobs.h.
 *
 * A live row (failed_at NULL) is unique by key. It is held by a runner while locked_until
 * is in the future; revision counts the re-plans, so that a runner records an outcome only
 * for the plan it claimed, under the lease it took: every function that records an outcome
 * matches (id, revision, locked_until) of the claim and returns 1 when it applied, 0 when
 * the job was re-planned, cancelled or claimed again since (nothing changed), or -ERR_DB.
 *
 * Ownership: strings read back are copied into the caller's arena. Instants are Unix ms; a
 * NULL column reads as 0 (or NULL text). Other functions return 0 (or a count), or -ERR_DB. */
#ifndef CEJ_JOBS_STORE_H
#define CEJ_JOBS_STORE_H

#include "jobs/jobs.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* One job row as stored. */
struct job_row {
	struct job job;           /* id, kind, key, payload, attempts, run_at */
	const char *daily_at;     /* "HH:MM" of a daily job; NULL: one-shot */
	const char *timezone;     /* IANA zone of daily_at; NULL: one-shot */
	const char *last_error;   /* NULL: no failure recorded for this plan */
	int64_t revision;         /* re-plans so far */
	int64_t locked_until;     /* 0: not held by a runner */
	int64_t failed_at;        /* 0: live; else dead since then */
};

/* What jobs_store_plan() writes. */
struct job_plan {
	const char *id;           /* for a new row; an existing live row keeps its id */
	const char *kind, *key, *payload;
	const char *daily_at, *timezone;  /* both NULL for a one-shot job */
	int64_t run_at;
};

/* Inserts @p, or re-plans the live row with its key: kind, payload, run_at and recurrence
 * replaced, attempts and last_error cleared, revision bumped, lock untouched. With
 * @only_if_changed, a live row with the same kind, payload and recurrence is left as it
 * is. Joins the caller's transaction if one is open. */
int jobs_store_plan(struct db *db, const struct job_plan *p, int64_t now, bool only_if_changed);

/* Deletes the live row with @key, if any. */
int jobs_store_cancel(struct db *db, const char *key);

/* Claims up to @max live rows due at @now (run_at <= now, not held) by setting their
 * locked_until to @lease_until and counting the attempt, in one write transaction, so
 * that no concurrent runner (thread or node) claims them until the lease ends. Returns the
 * count and an arena array in @out. Must be called outside any open transaction. */
int jobs_store_claim(struct db *db, struct arena *a, int64_t now, int64_t lease_until, int max,
		     struct job_row **out);

/* Outcomes of the claim @r (matched on id, revision and lock; see above). */
int jobs_store_delete(struct db *db, const struct job_row *r);
/* Moves a daily job to its next occurrence @run_at: attempts and last_error cleared. */
int jobs_store_next(struct db *db, const struct job_row *r, int64_t run_at, int64_t now);
int jobs_store_retry(struct db *db, const struct job_row *r, int64_t run_at, const char *error,
		     int64_t now);
int jobs_store_dead(struct db *db, const struct job_row *r, const char *error, int64_t now);
/* Gives back the lease of @r if still held by it; 1 when released, 0 when not held. */
int jobs_store_release(struct db *db, const struct job_row *r);

/* The live row with @key; -ERR_NOTFOUND when none. */
int jobs_store_find(struct db *db, struct arena *a, const char *key, struct job_row *out);
/* Any row by @id, dead ones included; -ERR_NOTFOUND when unknown. */
int jobs_store_get(struct db *db, struct arena *a, const char *id, struct job_row *out);

/* Live and dead rows of @kind (NULL: all). */
int jobs_store_count(struct db *db, const char *kind, int *pending, int *dead);

/* Where a job is at a given instant, as /metrics counts them (jobs_metrics). Jobs planned
 * for later that never failed (reminders, daily jobs) are in none of these. */
enum job_state {
	JOB_WAITING,              /* due, not held: a runner should take it now */
	JOB_RETRYING,             /* failed, waiting for its next attempt (planned later) */
	JOB_RUNNING,              /* held by a runner (or by one that died, until the lease ends) */
	JOB_DEAD,                 /* given up */
	JOB_N_STATES
};

/* The jobs of one kind in one state. */
struct job_census {
	const char *kind;         /* arena-owned */
	enum job_state state;
	int64_t count;
	int64_t oldest_run_at;    /* JOB_WAITING: the earliest run_at; else 0 */
};

/* Counts the jobs of each kind in each state at @now, in one query reading only the rows
 * counted (indexes of migration 0023). Rows in @a, one per (kind, state) that has jobs,
 * into *@out; returns how many, or -ERR_DB. */
int jobs_store_census(struct db *db, struct arena *a, int64_t now, struct job_census **out);

/* Live rows due at @now or held by a runner: what a runner still has to do (the e2e
 * tests' GET /_test/files-vides). The count, or -ERR_DB. */
int jobs_store_count_busy(struct db *db, int64_t now);

#endif
