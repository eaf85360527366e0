/* profile_store.c — the only file that knows the counselor columns of "Mon profil". */
#include "profile/profile_store.h"

#include "base/err.h"
#include "db/db.h"

int
profile_store_load(struct db *db, struct arena *a, const char *id, struct counselor_profile *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.first_name, c.last_name, c.email, c.imilo_login, s.name, c.is_supervisor, "
		"       c.sound_notifications "
		"FROM counselor c JOIN structure s ON s.id = c.structure_id WHERE c.id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (struct counselor_profile){
			.first_name = db_col_dup(st, a, 0), .last_name = db_col_dup(st, a, 1),
			.email = db_col_dup(st, a, 2), .imilo_login = db_col_dup(st, a, 3),
			.structure_name = db_col_dup(st, a, 4),
			.supervisor = db_col_int64(st, 5) != 0,
			.sound_notifications = db_col_int64(st, 6) != 0,
		};
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
profile_store_set_sound(struct db *db, const char *id, bool on)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE counselor SET sound_notifications = $2 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, on);
	return db_run(st);
}

int
profile_store_mobile_welcome_done(struct db *db, const char *id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE counselor SET mobile_welcome_seen_at = $2 "
		"WHERE id = $1 AND mobile_welcome_seen_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}
