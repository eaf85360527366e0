/* offers_saved_store.c — the SQL of saved searches, suggestions and alerts
 * (offers_saved_store.h). The same text on SQLite and PostgreSQL. */
#include "offers/offers_saved_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

#define COLUMNS "id, beneficiary_id, name, type, criteria, source, status, created_at, " \
	"last_searched_at, last_alert_run_at"

static void
read_row(struct db_stmt *st, struct arena *a, struct saved_row *r)
{
	r->id = db_col_dup(st, a, 0);
	r->beneficiary_id = db_col_dup(st, a, 1);
	r->name = db_col_dup(st, a, 2);
	r->type = db_col_dup(st, a, 3);
	r->criteria = db_col_dup(st, a, 4);
	r->source = db_col_dup(st, a, 5);
	r->status = db_col_dup(st, a, 6);
	r->created_at = db_col_int64(st, 7);
	r->last_searched_at = db_col_int64(st, 8);
	r->last_alert_run_at = db_col_int64(st, 9);
}

/* Every row of @st into an arena array of at most @cap rows (or as many as come, @cap 0). */
static int
read_rows(struct db_stmt *st, struct arena *a, int cap, struct saved_row **out)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct saved_row));
	int rc;
	while ((rc = db_step(st)) == DB_ROW && (!cap || (int)rows->len < cap)) {
		struct saved_row r;
		read_row(st, a, &r);
		g_array_append_val(rows, r);
	}
	db_finish(st);
	int n = (int)rows->len;
	*out = arena_alloc(a, sizeof(struct saved_row) * (size_t)(n ? n : 1));
	if (n)
		memcpy(*out, rows->data, sizeof(struct saved_row) * (size_t)n);
	g_array_free(rows, TRUE);
	return rc < 0 ? rc : n;
}

int
offers_saved_store_insert(struct db *db, const struct saved_insert *s)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO offer_saved_search(id, beneficiary_id, name, type, criteria, source, "
		"suggested_by, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, s->id);
	db_bind_text(st, 2, s->beneficiary_id);
	db_bind_text(st, 3, s->name);
	db_bind_text(st, 4, s->type);
	db_bind_text(st, 5, s->criteria);
	db_bind_text(st, 6, s->source);
	db_bind_text(st, 7, s->suggested_by);
	db_bind_text(st, 8, s->status);
	db_bind_int64(st, 9, s->created_at);
	return db_run(st);
}

int
offers_saved_store_count(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM offer_saved_search "
				       "WHERE beneficiary_id = $1 AND status = 'accepted'");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return (int)db_run_int(st);
}

int
offers_saved_store_list(struct db *db, struct arena *a, const char *beneficiary_id,
			const char *status, int limit, struct saved_row **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM offer_saved_search "
				       "WHERE beneficiary_id = $1 AND status = $2 "
				       "ORDER BY created_at DESC, id DESC LIMIT $3");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, status);
	db_bind_int64(st, 3, limit > 0 ? limit : 1000);
	return read_rows(st, a, 0, out);
}

int
offers_saved_store_get(struct db *db, struct arena *a, const char *beneficiary_id,
		       const char *id, const char *status, struct saved_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM offer_saved_search "
				       "WHERE id = $1 AND beneficiary_id = $2 AND status = $3");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_text(st, 3, status);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, a, out);
	db_finish(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? -ERR_NOTFOUND : rc;
}

int
offers_saved_store_touch(struct db *db, const char *id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE offer_saved_search SET last_searched_at = $2 "
				       "WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
offers_saved_store_delete(struct db *db, const char *beneficiary_id, const char *id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_saved_search WHERE id = $1 AND "
				       "beneficiary_id = $2 AND status = 'accepted'");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, beneficiary_id);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
offers_saved_store_set_status(struct db *db, const char *beneficiary_id, const char *id,
			      const char *from, const char *to)
{
	struct db_stmt *st = db_prepare(db, "UPDATE offer_saved_search SET status = $4 "
				       "WHERE id = $1 AND beneficiary_id = $2 AND status = $3");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
offers_saved_store_in_portfolio(struct db *db, const char *counselor_id,
				const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM beneficiary WHERE id = $1 AND "
				       "counselor_id = $2 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, counselor_id);
	int64_t n = db_run_int(st);
	return n < 0 ? (int)n : n > 0;
}

int
offers_saved_store_portfolio(struct db *db, struct arena *a, const char *counselor_id,
			     const char ***ids, const char ***names)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, last_name, first_name FROM beneficiary "
				       "WHERE counselor_id = $1 AND deleted_at IS NULL "
				       "ORDER BY last_name, first_name, id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	GPtrArray *i = g_ptr_array_new(), *nm = g_ptr_array_new();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		g_ptr_array_add(i, db_col_dup(st, a, 0));
		char *last = g_utf8_strup(db_col_text(st, 1), -1);
		g_ptr_array_add(nm, arena_printf(a, "%s %s", last, db_col_text(st, 2)));
		g_free(last);
	}
	db_finish(st);
	int n = (int)i->len;
	*ids = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
	*names = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
	for (int k = 0; k < n; k++) {
		(*ids)[k] = i->pdata[k];
		(*names)[k] = nm->pdata[k];
	}
	g_ptr_array_free(i, TRUE);
	g_ptr_array_free(nm, TRUE);
	return rc < 0 ? rc : n;
}

int
offers_saved_store_purge_unused(struct db *db, int64_t before)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_saved_search "
				       "WHERE coalesce(last_searched_at, created_at) < $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, before);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
offers_saved_store_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_saved_search WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}

int
offers_saved_store_due(struct db *db, struct arena *a, const char *type, const char *day,
		       const char *after_id, int limit, struct saved_row **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM offer_saved_search "
				       "WHERE type = $1 AND status = 'accepted' AND id > $2 AND "
				       "(last_alert_day IS NULL OR last_alert_day <> $3) "
				       "ORDER BY id LIMIT $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, type);
	db_bind_text(st, 2, after_id);
	db_bind_text(st, 3, day);
	db_bind_int64(st, 4, limit);
	return read_rows(st, a, 0, out);
}

int64_t
offers_saved_store_newest_offer(struct db *db, const char *type)
{
	struct db_stmt *st = db_prepare(db, "SELECT coalesce(max(first_seen_at), 0) FROM offer "
				       "WHERE type = $1 AND active = 1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, type);
	return db_run_int(st);
}

int
offers_saved_store_alerted(struct db *db, const char *id, bool ok, int64_t run_start,
			   const char *day)
{
	struct db_stmt *st = db_prepare(db, ok
		? "UPDATE offer_saved_search SET last_alert_state = 'SUCCES', "
		  "last_alert_run_at = $2, last_alert_day = $3 WHERE id = $1"
		: "UPDATE offer_saved_search SET last_alert_state = 'ECHEC' WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	if (ok) {
		db_bind_int64(st, 2, run_start);
		db_bind_text(st, 3, day);
	}
	return db_run(st);
}
