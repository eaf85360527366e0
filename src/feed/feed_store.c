/* feed_store.c — the SQL of the event feed (feed_store.h). */
#include "feed/feed_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

int
feed_store_receive(struct db *db, int64_t now, const struct imilo_event *e, const char *state)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO imilo_feed_event(id, dossier_id, beneficiary_id, type, action, type_id, "
		"  event_date, state, received_at, finished_at) "
		"VALUES ($1, $2, (SELECT id FROM beneficiary WHERE imilo_dossier_id = $2 "
		"  AND deleted_at IS NULL), $3, $4, $5, $6, $7, $8, "
		"  CASE WHEN $7 = 'pending' THEN NULL ELSE $8 END) "
		"ON CONFLICT(id) DO NOTHING");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, e->id);
	db_bind_text(st, 2, e->dossier_id ? e->dossier_id : "");
	db_bind_text(st, 3, e->type ? e->type : "");
	db_bind_text(st, 4, e->action ? e->action : "");
	db_bind_text(st, 5, e->type_id);
	db_bind_text(st, 6, e->date ? e->date : "");
	db_bind_text(st, 7, state);
	db_bind_int64(st, 8, now);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) > 0;
}

int
feed_store_state(struct db *db, const char *id, const char **state)
{
	struct db_stmt *st = db_prepare(db, "SELECT state FROM imilo_feed_event WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *s = db_col_text(st, 0);
		*state = !strcmp(s, "done") ? "done" : !strcmp(s, "dead") ? "dead" : "pending";
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
feed_store_finish(struct db *db, const char *id, const char *state, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE imilo_feed_event SET state = $2, finished_at = $3 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_int64(st, 3, now);
	return db_run(st);
}

int
feed_store_forget(struct db *db, int64_t before)
{
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM imilo_feed_event WHERE state <> 'pending' AND finished_at < $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, before);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
feed_store_beneficiary(struct db *db, struct arena *a, const char *dossier_id,
		       struct feed_beneficiary *out)
{
	const char *activated = NULL;
	struct db_stmt *st = db_prepare(db,
		"SELECT b.id, b.structure_id, s.timezone, "
		"  CASE WHEN b.activated_at IS NOT NULL THEN 1 ELSE 0 END "
		"FROM beneficiary b JOIN structure s ON s.id = b.structure_id "
		"WHERE b.imilo_dossier_id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, dossier_id);
	int rc = db_run_texts(st, a, 4, &out->id, &out->structure_id, &out->timezone, &activated);
	if (!rc)
		out->activated = activated && !strcmp(activated, "1");
	return rc;
}

int
feed_store_forget_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM imilo_feed_event WHERE beneficiary_id = $1 OR dossier_id = "
		"  (SELECT imilo_dossier_id FROM beneficiary WHERE id = $1)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}
