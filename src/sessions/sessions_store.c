/* sessions_store.c — the SQL of the sessions feature (sessions_store.h). */
#include "sessions/sessions_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/text.h"
#include "db/db.h"

#define SEARCH_TOKENS 8

/* ---- The local copy of registrations ---- */

int
sessions_store_registration(struct db *db, struct arena *a, const char *instance_id,
			    struct stored_registration *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT instance_id, session_id, beneficiary_id, statut, session_name, starts_at, "
		"  ends_at FROM session_registration WHERE instance_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, instance_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (struct stored_registration){
			db_col_dup(st, a, 0), db_col_dup(st, a, 1), db_col_dup(st, a, 2),
			db_col_dup(st, a, 3), db_col_dup(st, a, 4), db_col_int64(st, 5),
			db_col_int64(st, 6)};
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
sessions_store_registration_put(struct db *db, int64_t now, const struct stored_registration *r)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO session_registration(instance_id, session_id, beneficiary_id, statut, "
		"  session_name, starts_at, ends_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
		"ON CONFLICT(instance_id) DO UPDATE SET session_id = excluded.session_id, "
		"  beneficiary_id = excluded.beneficiary_id, statut = excluded.statut, "
		"  session_name = excluded.session_name, starts_at = excluded.starts_at, "
		"  ends_at = excluded.ends_at, updated_at = excluded.updated_at");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, r->instance_id);
	db_bind_text(st, 2, r->session_id);
	db_bind_text(st, 3, r->beneficiary_id);
	db_bind_text(st, 4, r->statut);
	db_bind_text(st, 5, r->session_name);
	db_bind_int64(st, 6, r->starts_at);
	db_bind_int64(st, 7, r->ends_at);
	db_bind_int64(st, 8, now);
	return db_run(st);
}

int
sessions_store_registration_delete(struct db *db, const char *instance_id)
{
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM session_registration WHERE instance_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, instance_id);
	return db_run(st);
}

int
sessions_store_beneficiary_instances(struct db *db, struct arena *a, const char *beneficiary_id,
				     const char ***out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT instance_id FROM session_registration WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	GPtrArray *ids = g_ptr_array_new();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		g_ptr_array_add(ids, db_col_dup(st, a, 0));
	db_finish(st);
	int n = (int)ids->len;
	const char **v = arena_alloc(a, sizeof(*v) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		v[i] = g_ptr_array_index(ids, i);
	g_ptr_array_free(ids, TRUE);
	*out = v;
	return rc < 0 ? rc : n;
}

int
sessions_store_purge(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM session_registration WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}

/* ---- cej's flags of a session ---- */

int
sessions_store_flags(struct db *db, struct arena *a, const char *session_id,
		     struct session_flags *out)
{
	*out = (struct session_flags){0};
	struct db_stmt *st = db_prepare(db,
		"SELECT visible, auto_registration, COALESCE(closed_at, 0), structure_id "
		"FROM imilo_session "
		"WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, session_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = (struct session_flags){db_col_dup(st, a, 3), db_col_int64(st, 0) != 0,
					      db_col_int64(st, 1) != 0, db_col_int64(st, 2)};
	db_finish(st);
	return rc < 0 ? rc : 0;
}

int
sessions_store_set_visibility(struct db *db, int64_t now, const char *session_id,
			      const char *structure_id, bool visible, bool auto_registration)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO imilo_session(id, structure_id, visible, auto_registration, updated_at) "
		"VALUES ($1, $2, $3, $4, $5) "
		"ON CONFLICT(id) DO UPDATE SET visible = excluded.visible, "
		"  auto_registration = excluded.auto_registration, updated_at = excluded.updated_at");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, session_id);
	db_bind_text(st, 2, structure_id);
	db_bind_int64(st, 3, visible || auto_registration);
	db_bind_int64(st, 4, auto_registration);
	db_bind_int64(st, 5, now);
	return db_run(st);
}

int
sessions_store_close(struct db *db, int64_t now, const char *session_id, const char *structure_id)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO imilo_session(id, structure_id, closed_at, updated_at) "
		"VALUES ($1, $2, $3, $3) "
		"ON CONFLICT(id) DO UPDATE "
		"  SET closed_at = COALESCE(imilo_session.closed_at, excluded.closed_at), "
		"  updated_at = excluded.updated_at");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, session_id);
	db_bind_text(st, 2, structure_id);
	db_bind_int64(st, 3, now);
	return db_run(st);
}

int
sessions_store_open_started(struct db *db, struct arena *a, int64_t now, struct open_session **out)
{
	/* A session's start is i-milo's: the job reads it. */
	struct db_stmt *st = db_prepare(db,
		"SELECT s.id, s.structure_id, t.timezone FROM imilo_session s "
		"JOIN structure t ON t.id = s.structure_id WHERE s.closed_at IS NULL "
		"ORDER BY s.id LIMIT 500");
	(void)now;
	if (!st)
		return -ERR_DB;
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct open_session));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct open_session o = {db_col_dup(st, a, 0), db_col_dup(st, a, 1),
					 db_col_dup(st, a, 2)};
		g_array_append_val(rows, o);
	}
	db_finish(st);
	int n = (int)rows->len;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		(*out)[i] = g_array_index(rows, struct open_session, i);
	g_array_free(rows, TRUE);
	return rc < 0 ? rc : n;
}

/* ---- People ---- */

int
sessions_store_counselor_login(struct db *db, struct arena *a, const char *counselor_id,
			       const char **out)
{
	*out = NULL;
	struct db_stmt *st = db_prepare(db, "SELECT imilo_login FROM counselor WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	int rc = db_run_texts(st, a, 1, out);
	return rc == -ERR_NOTFOUND ? 0 : rc;
}

int
sessions_store_structure_code(struct db *db, struct arena *a, const char *structure_id,
			      const char **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT code FROM structure WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	return db_run_texts(st, a, 1, out);
}

#define CANDIDATE_COLS "SELECT id, first_name, last_name, imilo_dossier_id FROM beneficiary "

static int
read_candidates(struct db_stmt *st, struct arena *a, int limit, struct session_candidate **out)
{
	struct session_candidate *v = arena_alloc(a, sizeof(*v) * (size_t)(limit + 1));
	int n = 0, rc;
	while (n < limit && (rc = db_step(st)) == DB_ROW) {
		v[n++] = (struct session_candidate){db_col_dup(st, a, 0), db_col_dup(st, a, 1),
						    db_col_dup(st, a, 2), db_col_dup(st, a, 3)};
	}
	if (n == limit)
		rc = DB_DONE;
	db_finish(st);
	*out = v;
	return rc < 0 ? rc : n;
}

int
sessions_store_candidates(struct db *db, struct arena *a, const char *structure_id, const char *q,
			  int limit, struct session_candidate **out)
{
	const char *tokens[SEARCH_TOKENS];
	int n = q ? text_search_tokens(a, q, tokens, SEARCH_TOKENS) : 0;
	struct db_stmt *st = db_prepare(db, arena_printf(a,
		CANDIDATE_COLS "WHERE structure_id = $1 AND deleted_at IS NULL%s "
		"ORDER BY search_folded, id LIMIT %d",
		db_sql_contains(db, a, "search_folded", n, 2), limit));
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 2, tokens[i]);
	return read_candidates(st, a, limit, out);
}

static int
one_candidate(struct db_stmt *st, struct arena *a, struct session_candidate *out)
{
	struct session_candidate *v;
	int n = read_candidates(st, a, 1, &v);
	if (n < 0)
		return n;
	if (!n)
		return -ERR_NOTFOUND;
	*out = v[0];
	return 0;
}

int
sessions_store_candidate(struct db *db, struct arena *a, const char *structure_id,
			 const char *beneficiary_id, struct session_candidate *out)
{
	struct db_stmt *st = db_prepare(db, CANDIDATE_COLS
		"WHERE id = $1 AND structure_id = $2 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, structure_id);
	return one_candidate(st, a, out);
}

int
sessions_store_by_dossier(struct db *db, struct arena *a, const char *dossier_id,
			  struct session_candidate *out)
{
	struct db_stmt *st = db_prepare(db, CANDIDATE_COLS
		"WHERE imilo_dossier_id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, dossier_id);
	return one_candidate(st, a, out);
}
