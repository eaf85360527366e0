/* offers_events_store.c — the SQL of the offers' indicators (offers_events.h). */
#include "offers/offers_events.h"

#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

#include <string.h>

int
offers_event_record(struct db *db, const char *beneficiary_id, const char *code,
		    const char *offer_id, int64_t at)
{
	if ((offers_event_code_index(code) < 0 &&
	     (!code || strcmp(code, OFFER_EVENT_JOB_EVENT_SHARED) != 0)) || !beneficiary_id)
		return -ERR_INVAL;
	char id[UUID_STRLEN + 1];
	id_uuid7(at, id);
	struct db_stmt *st = db_prepare(db, "INSERT INTO offer_event(id, beneficiary_id, code, "
					    "offer_id, at) VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_text(st, 3, code);
	db_bind_text(st, 4, offer_id);
	db_bind_int64(st, 5, at);
	return db_run(st);
}

int
offers_events_count(struct db *db, const char *beneficiary_id, int64_t from, int64_t to,
		    int counts[OFFER_EVENT_CODES])
{
	for (int i = 0; i < OFFER_EVENT_CODES; i++)
		counts[i] = 0;
	struct db_stmt *st = db_prepare(db, "SELECT code, COUNT(*) FROM offer_event "
					    "WHERE beneficiary_id = $1 AND at >= $2 AND at < $3 "
					    "GROUP BY code");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int i = offers_event_code_index(db_col_text(st, 0));
		if (i >= 0)
			counts[i] = (int)db_col_int64(st, 1);
	}
	db_finish(st);
	return rc < 0 ? rc : 0;
}

int
offers_events_count_code(struct db *db, const char *beneficiary_id, const char *code,
			 int64_t from, int64_t to)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = $1 "
					    "AND code = $2 AND at >= $3 AND at < $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, code);
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	int64_t n = db_run_int(st);
	return (int)n;
}

int
offers_week_events(struct db *db, const char *beneficiary_id, int64_t from, int64_t to)
{
	return offers_events_count_code(db, beneficiary_id, OFFER_EVENT_JOB_EVENT_SHARED, from, to);
}

int
offers_events_purge_old(struct db *db, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_event WHERE at < $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, now - OFFER_EVENT_KEEP_MS);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
offers_events_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_event WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}

int
offers_event_since(struct db *db, const char *beneficiary_id, const char *code,
		   const char *offer_id, int64_t since)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = $1 "
					    "AND code = $2 AND offer_id = $3 AND at >= $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, code);
	db_bind_text(st, 3, offer_id);
	db_bind_int64(st, 4, since);
	int64_t n = db_run_int(st);
	return n < 0 ? (int)n : n > 0;
}
