/* sessions_agenda_store.c — the SQL of the agenda's session rows (sessions_agenda_store.h). */
#include "sessions/sessions_agenda_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>

int
sessions_agenda_store_flags(struct db *db, struct arena *a, const char *ids_json,
			    struct listed_flags **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, visible, closed_at FROM imilo_session "
		"WHERE id IN (SELECT value FROM json_each($1))");
	GArray *list = g_array_new(FALSE, FALSE, sizeof(struct listed_flags));
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, ids_json);
	while ((rc = db_step(st)) == DB_ROW) {
		struct listed_flags f = {
			.id = db_col_dup(st, a, 0), .visible = db_col_int64(st, 1) != 0,
			.closed_at = db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2),
		};
		g_array_append_val(list, f);
	}
	db_finish(st);
	*out = arena_memdup(a, list->data, sizeof(**out) * list->len);
	int n = (int)list->len;
	g_array_free(list, TRUE);
	return rc < 0 ? rc : n;
}

int
sessions_agenda_store_mine(struct db *db, struct arena *a, const char *counselor_id,
			   const char *dossiers_json, struct my_registrant **out)
{
	/* Through beneficiary_live_dossier: one lookup per registrant of the period. */
	struct db_stmt *st = db_prepare(db,
		"SELECT imilo_dossier_id, first_name, last_name FROM beneficiary "
		"WHERE imilo_dossier_id IN (SELECT value FROM json_each($2)) "
		"AND deleted_at IS NULL AND counselor_id = $1");
	GArray *list = g_array_new(FALSE, FALSE, sizeof(struct my_registrant));
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_text(st, 2, dossiers_json);
	while ((rc = db_step(st)) == DB_ROW) {
		struct my_registrant m = {.dossier_id = db_col_dup(st, a, 0),
					  .first_name = db_col_dup(st, a, 1),
					  .last_name = db_col_dup(st, a, 2)};
		g_array_append_val(list, m);
	}
	db_finish(st);
	*out = arena_memdup(a, list->data, sizeof(**out) * list->len);
	int n = (int)list->len;
	g_array_free(list, TRUE);
	return rc < 0 ? rc : n;
}
