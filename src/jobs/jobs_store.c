/* jobs_store.c — the SQL of the job queue. Written once for SQLite and PostgreSQL. */
#include "jobs/jobs_store.h"
#include "jobs/jobs.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

/* Column order read by read_row(). */
#define ROW_COLUMNS "id, kind, key, payload, attempts, run_at, daily_at, timezone, " \
		    "last_error, revision, locked_until, failed_at"

#define DUE "failed_at IS NULL AND run_at <= $2 AND (locked_until IS NULL OR locked_until <= $2)"

/* The claim of an outcome: the plan that was claimed, under the lease that was taken. */
#define CLAIMED "id = $1 AND revision = $2 AND locked_until = $3"

/* The upsert behind jobs_schedule() and jobs_ensure_daily(). The lock is left alone: a
 * runner holding the job keeps it, and the new plan waits for the run to end. */
#define PLAN_SQL \
	"INSERT INTO job (id, kind, key, payload, run_at, daily_at, timezone, created_at, " \
	"updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) " \
	"ON CONFLICT (key) WHERE failed_at IS NULL DO UPDATE SET kind = excluded.kind, " \
	"payload = excluded.payload, run_at = excluded.run_at, daily_at = excluded.daily_at, " \
	"timezone = excluded.timezone, attempts = 0, last_error = NULL, " \
	"revision = job.revision + 1, updated_at = excluded.updated_at"

static const char plan_sql[] = PLAN_SQL;

/* Payloads are JSON or NULL, never '', so coalescing to '' compares NULLs as equal. */
static const char plan_if_changed_sql[] = PLAN_SQL
	" WHERE NOT (job.kind = excluded.kind"
	" AND coalesce(job.payload, '') = coalesce(excluded.payload, '')"
	" AND coalesce(job.daily_at, '') = coalesce(excluded.daily_at, '')"
	" AND coalesce(job.timezone, '') = coalesce(excluded.timezone, ''))";

/* The claim: the due jobs, oldest first, leased to this runner. On SQLite the enclosing
 * BEGIN IMMEDIATE serialises claims. */
static const char claim_sql[] =
	"UPDATE job SET locked_until = $1, attempts = attempts + 1 "
	"WHERE id IN (SELECT id FROM job WHERE " DUE " ORDER BY run_at, id LIMIT $3) "
	"AND " DUE " RETURNING " ROW_COLUMNS;
/* On PostgreSQL the runners of every node claim at once (db_tx_begin_rows: no global
 * write lock): FOR UPDATE SKIP LOCKED gives each runner rows no other is claiming — two
 * nodes never take one job. The rows are chosen once, in a CTE: as an IN (…) subquery,
 * PostgreSQL may run the locking SELECT again for other rows and lease more than $3
 * (seen: 26 of 60 jobs leased and never run). The due condition is checked again on the
 * locked row. */
static const char claim_sql_pg[] =
	"WITH c AS (SELECT id AS claim_id FROM job WHERE " DUE " ORDER BY run_at, id LIMIT $3 "
	"FOR UPDATE SKIP LOCKED) "
	"UPDATE job SET locked_until = $1, attempts = job.attempts + 1 FROM c "
	"WHERE job.id = c.claim_id AND " DUE " RETURNING " ROW_COLUMNS;

static void
read_row(struct db_stmt *st, struct arena *a, struct job_row *r)
{
	r->job.id = db_col_dup(st, a, 0);
	r->job.kind = db_col_dup(st, a, 1);
	r->job.key = db_col_dup(st, a, 2);
	r->job.payload = db_col_dup(st, a, 3);
	r->job.attempts = (int)db_col_int64(st, 4);
	r->job.run_at = db_col_int64(st, 5);
	r->daily_at = db_col_dup(st, a, 6);
	r->timezone = db_col_dup(st, a, 7);
	r->last_error = db_col_dup(st, a, 8);
	r->revision = db_col_int64(st, 9);
	r->locked_until = db_col_int64(st, 10);
	r->failed_at = db_col_int64(st, 11);
}

/* Steps @st, a prepared DML statement, to its end. 0 or -ERR_DB. */
static int
step_dml(struct db_stmt *st)
{
	return db_step(st) < 0 ? -ERR_DB : 0;
}

int
jobs_store_plan(struct db *db, const struct job_plan *p, int64_t now, bool only_if_changed)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, only_if_changed ? plan_if_changed_sql : plan_sql);
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, p->id);
	db_bind_text(st, 2, p->kind);
	db_bind_text(st, 3, p->key);
	db_bind_text(st, 4, p->payload);
	db_bind_int64(st, 5, p->run_at);
	db_bind_text(st, 6, p->daily_at);
	db_bind_text(st, 7, p->timezone);
	db_bind_int64(st, 8, now);
	rc = step_dml(st);
out:
	db_finish(st);
	return rc;
}

int
jobs_store_cancel(struct db *db, const char *key)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, "DELETE FROM job WHERE key = $1 AND failed_at IS NULL");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, key);
	rc = step_dml(st);
out:
	db_finish(st);
	return rc;
}

int
jobs_store_claim(struct db *db, struct arena *a, int64_t now, int64_t lease_until, int max,
		 struct job_row **out)
{
	struct job_row *rows = arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof(*rows));
	struct db_stmt *st = NULL;
	int n = 0;
	int rc = 0;

	*out = rows;
	if (max <= 0)
		goto out;
	rc = db_tx_begin_rows(db);
	if (rc)
		goto out;
	st = db_prepare(db, db_engine(db) == DB_POSTGRES ? claim_sql_pg : claim_sql);
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_int64(st, 1, lease_until);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, max);
	while (n < max && (rc = db_step(st)) == DB_ROW)
		read_row(st, a, &rows[n++]);
	rc = rc < 0 ? -ERR_DB : 0;
	/* SQLite refuses to commit while the statement is still active. */
	db_finish(st);
	st = NULL;
	if (!rc)
		rc = db_tx_commit(db);
out:
	db_finish(st);
	if (rc)
		db_tx_rollback(db);
	return rc ? rc : n;
}

/* Binds the claim of @r to $1…$3, steps, and says whether the row matched. */
static int
step_claimed(struct db *db, struct db_stmt *st, const struct job_row *r)
{
	db_bind_text(st, 1, r->job.id);
	db_bind_int64(st, 2, r->revision);
	db_bind_int64(st, 3, r->locked_until);
	return step_dml(st) ? -ERR_DB : db_changes(db) > 0;
}

int
jobs_store_delete(struct db *db, const struct job_row *r)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM job WHERE " CLAIMED);
	int rc = st ? step_claimed(db, st, r) : -ERR_DB;

	db_finish(st);
	return rc;
}

int
jobs_store_next(struct db *db, const struct job_row *r, int64_t run_at, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE job SET run_at = $4, updated_at = $5, "
					"attempts = 0, locked_until = NULL, last_error = NULL "
					"WHERE " CLAIMED);
	int rc = -ERR_DB;

	if (st) {
		db_bind_int64(st, 4, run_at);
		db_bind_int64(st, 5, now);
		rc = step_claimed(db, st, r);
	}
	db_finish(st);
	return rc;
}

int
jobs_store_retry(struct db *db, const struct job_row *r, int64_t run_at, const char *error,
		 int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE job SET run_at = $4, last_error = $5, "
					"updated_at = $6, locked_until = NULL WHERE " CLAIMED);
	int rc = -ERR_DB;

	if (st) {
		db_bind_int64(st, 4, run_at);
		db_bind_text(st, 5, error);
		db_bind_int64(st, 6, now);
		rc = step_claimed(db, st, r);
	}
	db_finish(st);
	return rc;
}

int
jobs_store_dead(struct db *db, const struct job_row *r, const char *error, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE job SET failed_at = $4, updated_at = $4, "
					"last_error = $5, locked_until = NULL WHERE " CLAIMED);
	int rc = -ERR_DB;

	if (st) {
		db_bind_int64(st, 4, now);
		db_bind_text(st, 5, error);
		rc = step_claimed(db, st, r);
	}
	db_finish(st);
	return rc;
}

int
jobs_store_release(struct db *db, const struct job_row *r)
{
	struct db_stmt *st = db_prepare(db, "UPDATE job SET locked_until = NULL "
					"WHERE id = $1 AND locked_until = $2");
	int rc = -ERR_DB;

	if (st) {
		db_bind_text(st, 1, r->job.id);
		db_bind_int64(st, 2, r->locked_until);
		rc = step_dml(st) ? -ERR_DB : db_changes(db) > 0;
	}
	db_finish(st);
	return rc;
}

/* The one row selected by @sql with @arg as $1; -ERR_NOTFOUND when none. */
static int
select_one(struct db *db, struct arena *a, const char *sql, const char *arg, struct job_row *out)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, sql);
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, arg);
	rc = db_step(st);
	if (rc == DB_ROW) {
		read_row(st, a, out);
		rc = 0;
	} else {
		rc = rc == DB_DONE ? -ERR_NOTFOUND : -ERR_DB;
	}
out:
	db_finish(st);
	return rc;
}

int
jobs_store_find(struct db *db, struct arena *a, const char *key, struct job_row *out)
{
	return select_one(db, a, "SELECT " ROW_COLUMNS " FROM job "
			  "WHERE key = $1 AND failed_at IS NULL", key, out);
}

int
jobs_store_get(struct db *db, struct arena *a, const char *id, struct job_row *out)
{
	return select_one(db, a, "SELECT " ROW_COLUMNS " FROM job WHERE id = $1", id, out);
}

int
jobs_store_count(struct db *db, const char *kind, int *pending, int *dead)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, "SELECT count(*) - count(failed_at), count(failed_at) FROM job "
			    "WHERE CAST($1 AS TEXT) IS NULL OR kind = $1");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, kind);
	if (db_step(st) != DB_ROW) {
		rc = -ERR_DB;
		goto out;
	}
	if (pending)
		*pending = (int)db_col_int64(st, 0);
	if (dead)
		*dead = (int)db_col_int64(st, 1);
out:
	db_finish(st);
	return rc;
}

/* Declared in jobs.h. */
int
jobs_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM job WHERE instr(key, $1) > 0 OR instr(coalesce(payload, ''), $1) > 0");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}

int
jobs_store_count_busy(struct db *db, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM job WHERE failed_at IS NULL "
					    "AND (run_at <= $1 OR locked_until > $1)");
	int rc = -ERR_DB;

	if (st) {
		db_bind_int64(st, 1, now);
		if (db_step(st) == DB_ROW)
			rc = (int)db_col_int64(st, 0);
	}
	db_finish(st);
	return rc;
}

/* One SELECT per state, each through its index (migration 0023; job_due for the due ones):
 * a scrape reads the jobs that need attention, never the reminders planned for later. */
static const char census_sql[] =
	"SELECT kind, 0, count(*), min(run_at) FROM job WHERE failed_at IS NULL "
	"AND run_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) GROUP BY kind "
	"UNION ALL "
	"SELECT kind, 1, count(*), 0 FROM job WHERE failed_at IS NULL AND attempts > 0 "
	"AND run_at > $1 AND (locked_until IS NULL OR locked_until <= $1) GROUP BY kind "
	"UNION ALL "
	"SELECT kind, 2, count(*), 0 FROM job WHERE locked_until IS NOT NULL "
	"AND locked_until > $1 AND failed_at IS NULL GROUP BY kind "
	"UNION ALL "
	"SELECT kind, 3, count(*), 0 FROM job WHERE failed_at IS NOT NULL GROUP BY kind";

int
jobs_store_census(struct db *db, struct arena *a, int64_t now, struct job_census **out)
{
	struct db_stmt *st = db_prepare(db, census_sql);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct job_census));
	int rc;

	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_int64(st, 1, now);
	while ((rc = db_step(st)) == DB_ROW) {
		struct job_census c = {
			.kind = db_col_dup(st, a, 0),
			.state = (enum job_state)db_col_int64(st, 1),
			.count = db_col_int64(st, 2),
			.oldest_run_at = db_col_int64(st, 3),
		};
		g_array_append_val(rows, c);
	}
	if (rc == DB_DONE) {
		*out = arena_alloc(a, rows->len * sizeof(**out) + 1);
		memcpy(*out, rows->data, rows->len * sizeof(**out));
		rc = (int)rows->len;
	}
out:
	db_finish(st);
	g_array_free(rows, TRUE);
	return rc;
}

/* Declared in jobs.h. */
int
jobs_dead_list(struct db *db, struct arena *a, const char *kind, int limit,
	       struct job_dead **out, int *total)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT key, payload, last_error, attempts, failed_at, count(*) OVER () FROM job "
		"WHERE kind = $1 AND failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, kind);
	db_bind_int64(st, 2, limit);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	*total = 0;
	int n = 0, rc = DB_DONE;
	while (n < limit && (rc = db_step(st)) == DB_ROW) {
		(*out)[n++] = (struct job_dead){
			.key = db_col_dup(st, a, 0), .payload = db_col_dup(st, a, 1),
			.last_error = db_col_dup(st, a, 2), .attempts = (int)db_col_int64(st, 3),
			.failed_at = db_col_int64(st, 4)};
		*total = (int)db_col_int64(st, 5);
	}
	db_finish(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -ERR_DB;
}
