/* establishment_store.c — the structure-wide search: one statement per token count (1 to
 * ESTABLISHMENT_MAX_TOKENS), each cached, with the tokens matched inside the folded
 * "last first" column. */
#include "establishment/establishment.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

/* " AND instr(b.search_folded, $k) > 0 …" for @n tokens, numbered from placeholder @first. */
static const char *
token_clause(struct arena *a, int n, int first)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; i < n; i++)
		s = arena_printf(a, "%s AND instr(b.search_folded, $%d) > 0", s, first + i);
	return s;
}

static int
count(struct db *db, struct arena *a, const char *structure_id, const char **tokens, int n)
{
	const char *sql = arena_printf(a,
		"SELECT count(*) FROM beneficiary b WHERE b.structure_id = $1 AND b.deleted_at IS NULL%s",
		token_clause(a, n, 2));
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 2, tokens[i]);
	int rc = db_step(st);
	int total = rc == DB_ROW ? (int)db_col_int64(st, 0) : (rc < 0 ? rc : 0);
	db_finish(st);
	return total;
}

int
establishment_search(struct db *db, struct arena *a, const char *structure_id, const char **tokens,
		     int n, int page, struct establishment_page *out)
{
	int total = count(db, a, structure_id, tokens, n);
	if (total < 0)
		return total;
	out->total = total;
	out->pages = total ? (total + ESTABLISHMENT_PAGE_SIZE - 1) / ESTABLISHMENT_PAGE_SIZE : 1;
	out->page = page < 1 ? 1 : page > out->pages ? out->pages : page;
	out->rows = arena_alloc(a, sizeof(*out->rows) * ESTABLISHMENT_PAGE_SIZE);
	out->n = 0;
	const char *sql = arena_printf(a,
		"SELECT b.id, b.first_name, b.last_name, b.current_situation, c.first_name, "
		"  c.last_name, COALESCE(b.activated_at, 0), COALESCE(b.last_activity_at, 0) "
		"FROM beneficiary b JOIN counselor c ON c.id = b.counselor_id "
		"WHERE b.structure_id = $1 AND b.deleted_at IS NULL%s "
		"ORDER BY b.search_folded, b.id LIMIT %d OFFSET $2",
		token_clause(a, n, 3), ESTABLISHMENT_PAGE_SIZE);
	struct db_stmt *st = db_prepare(db, sql);
	int rc;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_int64(st, 2, (int64_t)(out->page - 1) * ESTABLISHMENT_PAGE_SIZE);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 3, tokens[i]);
	while ((rc = db_step(st)) == DB_ROW && out->n < ESTABLISHMENT_PAGE_SIZE) {
		struct establishment_row *r = &out->rows[out->n++];
		r->id = db_col_dup(st, a, 0);
		r->first_name = db_col_dup(st, a, 1);
		r->last_name = db_col_dup(st, a, 2);
		r->situation = db_col_dup(st, a, 3);
		r->counselor_first_name = db_col_dup(st, a, 4);
		r->counselor_last_name = db_col_dup(st, a, 5);
		r->activated_at = db_col_int64(st, 6);
		r->last_activity_at = db_col_int64(st, 7);
	}
	db_finish(st);
	return rc < 0 ? rc : 0;
}
