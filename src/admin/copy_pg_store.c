/* copy_pg_store.c — the SQL of `cej admin copier-vers-postgres` (copy_pg_store.h). */
#include "admin/copy_pg_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

/* Rows per INSERT: PostgreSQL takes at most 65,535 parameters per statement; a few
 * hundred rows per round trip is where the gain stops. */
#define BATCH_ROWS 200
#define BATCH_PARAMS 30000

/* "name" as an SQL identifier (the names come from the catalogue: quoted all the same). */
static const char *
ident(struct arena *a, const char *name)
{
	GString *s = g_string_new("\"");
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			g_string_append_c(s, '"');
		g_string_append_c(s, *p);
	}
	g_string_append_c(s, '"');
	char *out = arena_strdup(a, s->str);
	g_string_free(s, true);
	return out;
}

/* The tables @table refers to through its foreign keys (itself excluded). */
static int
parents(struct db *src, struct arena *a, const char *table, GPtrArray *out)
{
	struct db_stmt *st = db_prepare(src, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1) "
					     "WHERE \"table\" <> $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, table);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		g_ptr_array_add(out, db_col_dup(st, a, 0));
	db_finish(st);
	return rc < 0 ? rc : 0;
}

/* Depth-first: @name after its parents. @state: 0 unseen, 1 in progress, 2 placed. */
static int
place(struct db *src, struct arena *a, GHashTable *state, GPtrArray *order, const char *name)
{
	int s = GPOINTER_TO_INT(g_hash_table_lookup(state, name));
	if (s)
		return 0;   /* placed, or a cycle: the foreign keys then decide at the insert */
	g_hash_table_insert(state, (gpointer)name, GINT_TO_POINTER(1));
	GPtrArray *up = g_ptr_array_new();
	int rc = parents(src, a, name, up);
	for (guint i = 0; !rc && i < up->len; i++)
		if (g_hash_table_contains(state, up->pdata[i]))
			rc = place(src, a, state, order, up->pdata[i]);
	g_ptr_array_free(up, true);
	g_hash_table_insert(state, (gpointer)name, GINT_TO_POINTER(2));
	g_ptr_array_add(order, (gpointer)name);
	return rc;
}

int
copy_store_tables(struct db *src, struct arena *a, const char ***names, int *n)
{
	struct db_stmt *st = db_prepare(src, "SELECT name FROM sqlite_master WHERE type = 'table' "
					     "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
					     "AND name <> 'schema_migration' ORDER BY name");
	if (!st)
		return -ERR_DB;
	GPtrArray *all = g_ptr_array_new();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		g_ptr_array_add(all, db_col_dup(st, a, 0));
	db_finish(st);
	/* Every table is known (state 0) before the walk, so that parents() results outside
	 * the list (none expected) are ignored rather than copied. */
	GHashTable *state = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < all->len; i++)
		g_hash_table_insert(state, all->pdata[i], GINT_TO_POINTER(0));
	GPtrArray *order = g_ptr_array_new();
	for (guint i = 0; rc >= 0 && i < all->len; i++)
		rc = place(src, a, state, order, all->pdata[i]);
	if (rc >= 0) {
		*n = (int)order->len;
		*names = arena_alloc(a, sizeof(**names) * (order->len + 1));
		memcpy(*names, order->pdata, sizeof(**names) * order->len);
		rc = 0;
	}
	g_hash_table_destroy(state);
	g_ptr_array_free(order, true);
	g_ptr_array_free(all, true);
	return rc;
}

int
copy_store_migrations(struct db *db, struct arena *a, const char **names)
{
	struct db_stmt *st = db_prepare(db, "SELECT name FROM schema_migration ORDER BY name");
	if (!st)
		return -ERR_DB;
	GString *s = g_string_new(NULL);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		g_string_append_printf(s, "%s%s", s->len ? " " : "", db_col_text(st, 0));
	db_finish(st);
	*names = arena_strdup(a, s->str);
	g_string_free(s, true);
	return rc < 0 ? rc : 0;
}

int
copy_store_pg_fresh(struct db *dst, bool *fresh)
{
	static const char sql[] = "SELECT count(*) FROM information_schema.tables "
				  "WHERE table_schema = current_schema() AND table_name LIKE $1";
	struct db_stmt *st = db_prepare(dst, sql);
	if (st)
		db_bind_text(st, 1, "%");
	int64_t all = db_run_int(st);
	if ((st = db_prepare(dst, sql)))
		db_bind_text(st, 1, "schema_migration");
	int64_t cej = db_run_int(st);
	if (all < 0 || cej < 0)
		return (int)(all < 0 ? all : cej);
	*fresh = all == 0 || cej == 1;   /* no table, or cej's schema */
	return 0;
}

static enum copy_kind
kind_of(const char *pg_type)
{
	if (!strcmp(pg_type, "bigint") || !strcmp(pg_type, "integer") || !strcmp(pg_type, "smallint"))
		return COPY_INT;
	return !strcmp(pg_type, "bytea") ? COPY_BLOB : COPY_TEXT;
}

int
copy_store_pg_columns(struct db *dst, struct arena *a, const char *table,
		      struct copy_column **cols, int *n)
{
	struct db_stmt *st = db_prepare(dst,
		"SELECT column_name, data_type FROM information_schema.columns "
		"WHERE table_schema = current_schema() AND table_name = $1 "
		"AND is_identity = 'NO' AND is_generated = 'NEVER' ORDER BY ordinal_position");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, table);
	GArray *out = g_array_new(false, false, sizeof(struct copy_column));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct copy_column c = {db_col_dup(st, a, 0), kind_of(db_col_text(st, 1))};
		g_array_append_val(out, c);
	}
	db_finish(st);
	if (rc >= 0) {
		*n = (int)out->len;
		*cols = arena_memdup(a, out->data, sizeof(struct copy_column) * out->len);
		rc = out->len ? 0 : -ERR_NOTFOUND;
	}
	g_array_free(out, true);
	return rc;
}

int
copy_store_sqlite_has(struct db *src, const char *table, const char *col, bool *has)
{
	struct db_stmt *st = db_prepare(src, "SELECT count(*) FROM pragma_table_xinfo($1) WHERE name = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, table);
	db_bind_text(st, 2, col);
	int64_t n = db_run_int(st);
	if (n < 0)
		return (int)n;
	*has = n > 0;
	return 0;
}

int
copy_store_triggers(struct db *dst, const char *table, bool enable)
{
	struct arena *a = arena_new();
	int rc = db_exec(dst, arena_printf(a, "ALTER TABLE %s %s TRIGGER USER", ident(a, table),
					   enable ? "ENABLE" : "DISABLE"));
	arena_free(a);
	return rc;
}

int
copy_store_analyze(struct db *dst)
{
	return db_exec(dst, "ANALYZE");
}

/* True when SQLite's @table has a rowid (not WITHOUT ROWID): then rows go in its order. */
static bool
has_rowid(struct db *src, const char *table)
{
	struct db_stmt *st = db_prepare(src, "SELECT count(*) FROM sqlite_master WHERE name = $1 "
					     "AND upper(sql) LIKE '%WITHOUT ROWID%'");
	if (!st)
		return false;
	db_bind_text(st, 1, table);
	return db_run_int(st) == 0;
}

/* "INSERT INTO t (c…) VALUES ($1…), (…)" for @rows rows. */
static const char *
insert_sql(struct arena *a, const char *table, const char *collist, int ncols, int rows)
{
	GString *s = g_string_new(NULL);
	g_string_printf(s, "INSERT INTO %s (%s) VALUES ", table, collist);
	for (int r = 0; r < rows; r++) {
		g_string_append(s, r ? ", (" : "(");
		for (int c = 0; c < ncols; c++)
			g_string_append_printf(s, "%s$%d", c ? ", " : "", r * ncols + c + 1);
		g_string_append_c(s, ')');
	}
	const char *out = arena_strdup(a, s->str);
	g_string_free(s, true);
	return out;
}

/* One value of a batch, read from SQLite and kept until the batch's INSERT. */
struct cell {
	bool null;
	int64_t i;
	const unsigned char *p;   /* text (NUL-terminated) or bytes */
	size_t len;
};

/* Reads the SQLite row under @st into @out (@ncols cells), copies in @a. */
static void
read_row(struct db_stmt *st, struct arena *a, const struct copy_column *cols, int ncols,
	 struct cell *out)
{
	for (int c = 0; c < ncols; c++) {
		struct cell *v = &out[c];
		v->null = db_col_is_null(st, c);
		if (v->null)
			continue;
		if (cols[c].kind == COPY_INT)
			v->i = db_col_int64(st, c);
		else if (cols[c].kind == COPY_BLOB)
			v->p = db_col_blob_dup(st, a, c, &v->len);
		else
			v->p = (const unsigned char *)db_col_dup(st, a, c);
	}
}

/* INSERTs the @rows buffered rows of @cells. */
static int
flush(struct db *dst, struct arena *a, const char *table, const char *collist,
      const struct copy_column *cols, int ncols, const struct cell *cells, int rows)
{
	struct db_stmt *st = db_prepare(dst, insert_sql(a, table, collist, ncols, rows));
	if (!st)
		return -ERR_DB;
	for (int k = 0; k < rows * ncols; k++) {
		const struct cell *v = &cells[k];
		int c = k % ncols;
		if (v->null)
			db_bind_null(st, k + 1);
		else if (cols[c].kind == COPY_INT)
			db_bind_int64(st, k + 1, v->i);
		else if (cols[c].kind == COPY_BLOB)   /* an empty blob is a blob, not NULL */
			db_bind_blob(st, k + 1, v->p ? (const void *)v->p : "", v->len);
		else
			db_bind_text(st, k + 1, (const char *)v->p);
	}
	return db_run(st);
}

int
copy_store_rows(struct db *src, struct db *dst, const char *table,
		const struct copy_column *cols, int ncols, int64_t *rows)
{
	struct arena *a = arena_new(), *batch = arena_new();
	GString *list = g_string_new(NULL);
	for (int c = 0; c < ncols; c++)
		g_string_append_printf(list, "%s%s", c ? ", " : "", ident(a, cols[c].name));
	const char *t = ident(a, table);
	int per = MIN(BATCH_ROWS, MAX(1, BATCH_PARAMS / ncols)), rc, n = 0;
	struct cell *cells = g_new0(struct cell, (size_t)per * ncols);
	struct db_stmt *st = db_prepare(src, arena_printf(a, "SELECT %s FROM %s%s", list->str, t,
							  has_rowid(src, table) ? " ORDER BY rowid" : ""));
	*rows = 0;
	rc = st ? 0 : -ERR_DB;
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		read_row(st, batch, cols, ncols, &cells[n * ncols]);
		rc = 0;
		if (++n == per) {
			rc = flush(dst, batch, t, list->str, cols, ncols, cells, n);
			*rows += n;
			n = 0;
			memset(cells, 0, sizeof(*cells) * (size_t)per * ncols);
			arena_free(batch);
			batch = arena_new();
		}
	}
	db_finish(st);
	if (rc == DB_DONE && n) {
		rc = flush(dst, batch, t, list->str, cols, ncols, cells, n);
		*rows += n;
	}
	g_free(cells);
	g_string_free(list, true);
	arena_free(batch);
	arena_free(a);
	return rc < 0 ? rc : 0;
}

int64_t
copy_store_count(struct db *db, const char *table)
{
	struct arena *a = arena_new();
	int64_t n = db_run_int(db_prepare(db, arena_printf(a, "SELECT count(*) FROM %s",
							   ident(a, table))));
	arena_free(a);
	return n;
}
