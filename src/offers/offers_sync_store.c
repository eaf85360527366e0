/* offers_sync_store.c — the SQL of the providers' sync (offers_sync_store.h). */
#include "offers/offers_sync_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

int
offers_sync_store_start(struct db *db, const struct offers_sync_run *r)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO offer_sync_run(id, provider, kind, started_at) VALUES ($1, $2, $3, $4)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, r->id);
	db_bind_text(st, 2, r->provider);
	db_bind_text(st, 3, r->full ? "full" : "incremental");
	db_bind_int64(st, 4, r->started_at);
	return db_run(st);
}

int
offers_sync_store_finish(struct db *db, const struct offers_sync_run *r)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE offer_sync_run SET finished_at = $2, inserted = $3, updated = $4, "
		"deactivated = $5, rejected = $6, error = $7 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, r->id);
	db_bind_int64(st, 2, r->finished_at);
	db_bind_int64(st, 3, r->inserted);
	db_bind_int64(st, 4, r->updated);
	db_bind_int64(st, 5, r->deactivated);
	db_bind_int64(st, 6, r->rejected);
	db_bind_text(st, 7, r->error);
	return db_run(st);
}

int
offers_sync_store_last_success(struct db *db, const char *provider, int64_t *at)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT started_at FROM offer_sync_run WHERE provider = $1 AND finished_at IS NOT NULL "
		"AND error IS NULL ORDER BY started_at DESC LIMIT 1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, provider);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*at = db_col_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

#define RUN_COLUMNS "id, provider, kind, started_at, finished_at, inserted, updated, " \
		    "deactivated, rejected, error"

/* The first run @sql finds for @provider into @out: 1, 0 when none, or -ERR_DB. */
static int
read_run(struct db *db, struct arena *a, const char *sql, const char *provider,
	 struct offers_sync_run *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, provider);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (struct offers_sync_run){
			.id = db_col_dup(st, a, 0),
			.provider = db_col_dup(st, a, 1),
			.full = !strcmp(db_col_text(st, 2), "full"),
			.started_at = db_col_int64(st, 3),
			.finished_at = db_col_int64(st, 4),
			.inserted = (int)db_col_int64(st, 5),
			.updated = (int)db_col_int64(st, 6),
			.deactivated = (int)db_col_int64(st, 7),
			.rejected = (int)db_col_int64(st, 8),
			.error = db_col_dup(st, a, 9),
		};
		rc = 1;
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_finish(st);
	return rc;
}

int
offers_sync_store_latest(struct db *db, struct arena *a, const char *provider,
			 struct offers_sync_run *last, struct offers_sync_run *failed)
{
	int l = read_run(db, a, "SELECT " RUN_COLUMNS " FROM offer_sync_run WHERE provider = $1 "
			 "ORDER BY started_at DESC, id DESC LIMIT 1", provider, last);
	if (l < 0)
		return l;
	int f = read_run(db, a, "SELECT " RUN_COLUMNS " FROM offer_sync_run WHERE provider = $1 "
			 "AND error IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT 1",
			 provider, failed);
	if (f < 0)
		return f;
	return l | (f << 1);
}

/* Runs @sql with $1 = @provider and, when it has a $2, $2 = @at; the rows it changed, or
 * -ERR_DB. */
static int
run2(struct db *db, const char *sql, const char *provider, int64_t at)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, provider);
	if (strstr(sql, "$2"))
		db_bind_int64(st, 2, at);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
offers_sync_store_reconcile(struct db *db, bool events, const char *provider, bool full,
			    int64_t run_at)
{
	static const char *const sql[2][5] = {
		{"UPDATE offer SET missed_full_runs = 0 WHERE provider = $1 AND last_seen_at >= $2 "
		 "AND missed_full_runs <> 0",
		 "UPDATE offer SET missed_full_runs = missed_full_runs + 1 WHERE provider = $1 "
		 "AND last_seen_at < $2 AND active = 1",
		 "UPDATE offer SET active = 0 WHERE provider = $1 AND active = 1 "
		 "AND missed_full_runs >= 2 AND last_seen_at < $2",
		 "UPDATE offer SET inactive_since = $2 WHERE provider = $1 AND active = 0 "
		 "AND inactive_since IS NULL",
		 "UPDATE offer SET inactive_since = NULL WHERE provider = $1 AND active = 1 "
		 "AND inactive_since IS NOT NULL"},
		{"UPDATE job_event SET missed_full_runs = 0 WHERE provider = $1 AND last_seen_at >= $2 "
		 "AND missed_full_runs <> 0",
		 "UPDATE job_event SET missed_full_runs = missed_full_runs + 1 WHERE provider = $1 "
		 "AND last_seen_at < $2 AND active = 1",
		 "UPDATE job_event SET active = 0 WHERE provider = $1 AND active = 1 "
		 "AND missed_full_runs >= 2 AND last_seen_at < $2",
		 "UPDATE job_event SET inactive_since = $2 WHERE provider = $1 AND active = 0 "
		 "AND inactive_since IS NULL",
		 "UPDATE job_event SET inactive_since = NULL WHERE provider = $1 AND active = 1 "
		 "AND inactive_since IS NOT NULL"},
	};
	const char *const *q = sql[events ? 1 : 0];
	int rc = run2(db, q[0], provider, run_at);
	if (rc >= 0 && full && (rc = run2(db, q[1], provider, run_at)) >= 0)
		rc = run2(db, q[2], provider, run_at);
	if (rc < 0)
		return rc;
	/* Newly inactive: absent twice, or said deleted by the provider in this run. */
	int deactivated = run2(db, q[3], provider, run_at);
	if (deactivated < 0)
		return deactivated;
	/* The search pages cached by the nodes (offers_cache.h) are out of date. */
	if (!events && deactivated > 0 &&
	    (rc = db_exec(db, "UPDATE offer_search_stat SET version = version + 1 WHERE id = 1")))
		return rc;
	rc = run2(db, q[4], provider, run_at);
	return rc < 0 ? rc : deactivated;
}

int
offers_sync_store_purge_inactive(struct db *db, int64_t before)
{
	/* The indexed ones' share of the statistics first (index_offer's counterpart). */
	struct db_stmt *st = db_prepare(db,
		"SELECT COUNT(term_len), COALESCE(SUM(term_len), 0) FROM offer "
		"WHERE active = 0 AND inactive_since < $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, before);
	int rc = db_step(st);
	int64_t docs = 0, len = 0;
	if (rc == DB_ROW) {
		docs = db_col_int64(st, 0);
		len = db_col_int64(st, 1);
		rc = 0;
	}
	db_finish(st);
	if (rc)
		return rc < 0 ? rc : -ERR_DB;
	static const char *const del[] = {
		("DELETE FROM offer_term WHERE offer_id IN (SELECT id FROM offer WHERE active = 0 "
		 "AND inactive_since < $1)"),
		"DELETE FROM offer WHERE active = 0 AND inactive_since < $1",
		"DELETE FROM job_event WHERE active = 0 AND inactive_since < $1",
	};
	int deleted = 0;
	for (size_t i = 0; i < sizeof(del) / sizeof(del[0]); i++) {
		if (!(st = db_prepare(db, del[i])))
			return -ERR_DB;
		db_bind_int64(st, 1, before);
		if ((rc = db_run(st)))
			return rc;
		if (i)
			deleted += db_changes(db);
	}
	if (!docs)
		return deleted;
	if (!(st = db_prepare(db, "UPDATE offer_search_stat SET docs = docs - $1, "
			      "total_len = total_len - $2 WHERE id = 1")))
		return -ERR_DB;
	db_bind_int64(st, 1, docs);
	db_bind_int64(st, 2, len);
	rc = db_run(st);
	return rc ? rc : deleted;
}
