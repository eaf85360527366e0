/* profile_store.c — the only file that knows the counselor columns of "Mon profil" and the
 * beneficiary's pref_* columns of the app's settings. */
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

int
profile_store_app_prefs(struct db *db, const char *id, struct app_prefs *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT pref_messages, pref_alertes_offres, pref_creation_action_conseiller, "
		"       pref_rendez_vous_sessions, pref_rappel_actions, pref_share_favorites "
		"FROM beneficiary WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (struct app_prefs){
			.messages = db_col_int64(st, 0) != 0,
			.alertes_offres = db_col_int64(st, 1) != 0,
			.creation_action_conseiller = db_col_int64(st, 2) != 0,
			.rendez_vous_sessions = db_col_int64(st, 3) != 0,
			.rappel_actions = db_col_int64(st, 4) != 0,
			.share_favorites = db_col_int64(st, 5) != 0,
		};
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

/* Both switches of the app's settings write every pref_* column: the use case reads the
 * row, changes its part and writes it back, in one transaction. */
int
profile_store_set_app_prefs(struct db *db, const char *id, const struct app_prefs *p)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE beneficiary SET pref_messages = $2, pref_alertes_offres = $3, "
		"       pref_creation_action_conseiller = $4, pref_rendez_vous_sessions = $5, "
		"       pref_rappel_actions = $6, pref_share_favorites = $7 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, p->messages);
	db_bind_int64(st, 3, p->alertes_offres);
	db_bind_int64(st, 4, p->creation_action_conseiller);
	db_bind_int64(st, 5, p->rendez_vous_sessions);
	db_bind_int64(st, 6, p->rappel_actions);
	db_bind_int64(st, 7, p->share_favorites);
	return db_run(st);
}
