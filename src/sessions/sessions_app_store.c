/* sessions_app_store.c — the SQL of the young person's session pages (sessions_app_store.h). */
#include "sessions/sessions_app_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>

#define TAKING_PART "statut IN ('ONGOING', 'ACHIEVED')"

int
sessions_app_store_context(struct db *db, struct arena *a, const char *beneficiary_id,
			   const char **dossier_id, const char **tz)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT b.imilo_dossier_id, s.timezone FROM beneficiary b "
		"JOIN structure s ON s.id = b.structure_id WHERE b.id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run_texts(st, a, 2, dossier_id, tz);
}

int
sessions_app_store_visible(struct db *db, struct arena *a, const char *structure_id,
			   const char *ids_json, const char ***out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id FROM imilo_session WHERE structure_id = $1 AND visible = 1 "
		"AND id IN (SELECT value FROM json_each($2))");
	GPtrArray *ids = g_ptr_array_new();
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_text(st, 2, ids_json);
	while ((rc = db_step(st)) == DB_ROW)
		g_ptr_array_add(ids, db_col_dup(st, a, 0));
	db_finish(st);
	*out = arena_memdup(a, ids->pdata, sizeof(char *) * ids->len);
	int n = (int)ids->len;
	g_ptr_array_free(ids, TRUE);
	return rc < 0 ? rc : n;
}

int
sessions_app_store_is_visible(struct db *db, const char *structure_id, const char *session_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM imilo_session WHERE id = $1 AND structure_id = $2 AND visible = 1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, session_id);
	db_bind_text(st, 2, structure_id);
	int64_t n = db_run_int(st);
	return n < 0 ? (int)n : n > 0;
}

static void
read_mine(struct db_stmt *st, struct arena *a, struct my_session *m)
{
	*m = (struct my_session){
		.session_id = db_col_dup(st, a, 0), .instance_id = db_col_dup(st, a, 1),
		.name = db_col_dup(st, a, 2), .starts_at = db_col_int64(st, 3),
		.ends_at = db_col_int64(st, 4),
	};
}

int
sessions_app_store_mine(struct db *db, struct arena *a, const char *beneficiary_id, int64_t from,
			int64_t to, int limit, struct my_session **out)
{
	/* session_registration_beneficiary (0032): his rows by start. */
	struct db_stmt *st = db_prepare(db,
		"SELECT session_id, instance_id, session_name, starts_at, ends_at "
		"FROM session_registration WHERE beneficiary_id = $1 AND " TAKING_PART " "
		"AND ends_at >= $2 AND ($3 = 0 OR starts_at < $3) "
		"ORDER BY starts_at, session_id "
		"LIMIT CASE WHEN $4 > 0 THEN $4 ELSE 9223372036854775807 END");
	GArray *list = g_array_new(FALSE, FALSE, sizeof(struct my_session));
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	db_bind_int64(st, 4, limit);
	while ((rc = db_step(st)) == DB_ROW) {
		struct my_session m;
		read_mine(st, a, &m);
		g_array_append_val(list, m);
	}
	db_finish(st);
	*out = arena_memdup(a, list->data, sizeof(**out) * list->len);
	int n = (int)list->len;
	g_array_free(list, TRUE);
	return rc < 0 ? rc : n;
}

int
sessions_app_store_registered(struct db *db, struct arena *a, const char *beneficiary_id,
			      const char *session_id, struct my_session *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT session_id, instance_id, session_name, starts_at, ends_at "
		"FROM session_registration WHERE beneficiary_id = $1 AND session_id = $2 AND "
		TAKING_PART " LIMIT 1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, session_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_mine(st, a, out);
	db_finish(st);
	return rc < 0 ? rc : rc == DB_ROW;
}

int
sessions_app_store_referent_login(struct db *db, struct arena *a, const char *beneficiary_id,
				  const char **login)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.imilo_login FROM beneficiary b JOIN counselor c ON c.id = b.counselor_id "
		"WHERE b.id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	*login = NULL;
	int rc = db_run_texts(st, a, 1, login);
	return rc == -ERR_NOTFOUND ? 0 : rc;
}
