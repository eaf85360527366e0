/* session_store.c — web_session rows and the account each belongs to. */
#include "auth/session_store.h"

#include "base/err.h"
#include "db/db.h"

#include <glib.h>

int
session_store_insert(struct db *db, const char *hash, enum user_kind kind, const char *user_id,
		     const char *csrf, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO web_session(hash, user_kind, user_id, csrf, created_at, seen_at) "
		"VALUES ($1, $2, $3, $4, $5, $5)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, kind == USER_COUNSELOR ? "counselor" : "beneficiary");
	db_bind_text(st, 3, user_id);
	db_bind_text(st, 4, csrf);
	db_bind_int64(st, 5, now);
	return db_run(st);
}

int
session_store_find(struct db *db, struct arena *a, const char *hash, struct user *u,
		   int64_t *created_at, int64_t *seen_at)
{
	/* One query for both kinds: the account columns come from whichever table matches. */
	struct db_stmt *st = db_prepare(db,
		"SELECT s.user_kind, s.user_id, s.csrf, s.created_at, s.seen_at, "
		"       COALESCE(c.first_name, b.first_name), COALESCE(c.last_name, b.last_name), "
		"       COALESCE(c.email, b.email), st.id, st.name, st.timezone, "
		"       COALESCE(c.is_supervisor, 0), COALESCE(c.sound_notifications, 0), "
		"       c.mobile_welcome_seen_at IS NOT NULL "
		"FROM web_session s "
		"LEFT JOIN counselor c ON s.user_kind = 'counselor' AND c.id = s.user_id "
		"LEFT JOIN beneficiary b ON s.user_kind = 'beneficiary' AND b.id = s.user_id "
		"     AND b.deleted_at IS NULL "
		"JOIN structure st ON st.id = COALESCE(c.structure_id, b.structure_id) "
		"WHERE s.hash = $1");
	int rc;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, hash);
	rc = db_step(st);
	if (rc == DB_ROW) {
		u->kind = g_strcmp0(db_col_text(st, 0), "counselor") == 0 ? USER_COUNSELOR
									   : USER_BENEFICIARY;
		u->id = db_col_dup(st, a, 1);
		u->csrf = db_col_dup(st, a, 2);
		*created_at = db_col_int64(st, 3);
		*seen_at = db_col_int64(st, 4);
		u->first_name = db_col_dup(st, a, 5);
		u->last_name = db_col_dup(st, a, 6);
		u->email = db_col_dup(st, a, 7);
		u->structure_id = db_col_dup(st, a, 8);
		u->structure_name = db_col_dup(st, a, 9);
		u->timezone = db_col_dup(st, a, 10);
		u->is_supervisor = db_col_int64(st, 11) != 0;
		u->sound_notifications = db_col_int64(st, 12) != 0;
		u->mobile_welcome_seen = db_col_int64(st, 13) != 0;
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
session_store_touch(struct db *db, const char *hash, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE web_session SET seen_at = $2 WHERE hash = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, hash);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
session_store_beneficiary_activity(struct db *db, const char *id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE beneficiary SET last_activity_at = $2 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
session_store_delete(struct db *db, const char *hash)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM web_session WHERE hash = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, hash);
	return db_run(st);
}

int
session_store_delete_user(struct db *db, enum user_kind kind, const char *user_id)
{
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM web_session WHERE user_kind = $1 AND user_id = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, kind == USER_COUNSELOR ? "counselor" : "beneficiary");
	db_bind_text(st, 2, user_id);
	return db_run(st);
}

/* Declared in session.h. */
int
session_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	return session_store_delete_user(db, USER_BENEFICIARY, beneficiary_id);
}
