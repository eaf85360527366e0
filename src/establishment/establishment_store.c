/* establishment_store.c — the structure-wide search. A row matches when its folded name
 * contains every token. The rows to look at come from the two-character index
 * (beneficiary_gram, kept by triggers) for the first two characters of the longest token,
 * so a search reads one gram's rows, already in name order, instead of the whole
 * structure. Each (token count) gives one SQL text, prepared once per connection. */
#include "establishment/establishment.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

/* How common a letter is in French names (rough rank, 0 = rarest); unknown letters count as
 * rare. Used to pick, among the two-character windows of the longest token, the one with
 * the fewest rows to read: "lefevre" reads the rows of "fe", not those of "le". */
static int
letter_weight(gunichar c)
{
	static const char common[] = "kwyzxjqhfgvbpcmdoutlsnriae";  /* rarest first */
	const char *p = c < 128 ? strchr(common, (int)c) : NULL;
	return p ? (int)(p - common) : 0;
}

/* The rarest two-character window of the longest token, or NULL when no token has two
 * characters. */
static const char *
driving_gram(struct arena *a, const char **tokens, int n)
{
	const char *longest = NULL, *best = NULL;
	glong longest_len = 1;
	int best_weight = 1 << 20;
	for (int i = 0; i < n; i++) {
		glong len = g_utf8_strlen(tokens[i], -1);
		if (len > longest_len) {
			longest = tokens[i];
			longest_len = len;
		}
	}
	if (!longest)
		return NULL;
	for (const char *p = longest; *p && *g_utf8_next_char(p); p = g_utf8_next_char(p)) {
		const char *q = g_utf8_next_char(p);
		int w = letter_weight(g_utf8_get_char(p)) + letter_weight(g_utf8_get_char(q));
		if (w < best_weight) {
			best = p;
			best_weight = w;
		}
	}
	const char *end = g_utf8_next_char(g_utf8_next_char(best));
	return arena_strndup(a, best, (size_t)(end - best));
}

/* Tokens the gram alone proves (a two-character token that is the gram) need no check. */
static int
tokens_to_check(const char *gram, const char **tokens, int n, const char **out)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!gram || strcmp(tokens[i], gram) != 0)
			out[k++] = tokens[i];
	return k;
}

static void
bind_tokens(struct db_stmt *st, const char **tokens, int n, int first)
{
	for (int i = 0; i < n; i++)
		db_bind_text(st, first + i, tokens[i]);
}

static int
count(struct db *db, struct arena *a, const char *structure_id, const char *gram,
      const char **tokens, int n)
{
	struct db_stmt *st = db_prepare(db, gram
		? arena_printf(a, "SELECT count(*) FROM beneficiary_gram WHERE structure_id = $1 "
				  "AND gram = $2%s", db_sql_contains(db, a, "search_folded", n, 3))
		: arena_printf(a, "SELECT count(*) FROM beneficiary WHERE structure_id = $1 "
				  "AND deleted_at IS NULL%s", db_sql_contains(db, a, "search_folded", n, 2)));
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	if (gram)
		db_bind_text(st, 2, gram);
	bind_tokens(st, tokens, n, gram ? 3 : 2);
	return (int)db_run_int(st);
}

/* The page's rows: ids first (from the gram index when there is one), then the join.
 * Placeholders: $1 structure, $2 offset, [$3 gram], then the tokens. */
static const char *
page_sql(struct db *db, struct arena *a, const char *gram, int n)
{
	const char *ids = gram
		? arena_printf(a, "SELECT beneficiary_id AS id, search_folded FROM beneficiary_gram "
				  "WHERE structure_id = $1 AND gram = $3%s", db_sql_contains(db, a, "search_folded", n, 4))
		: arena_printf(a, "SELECT id, search_folded FROM beneficiary WHERE structure_id = $1 "
				  "AND deleted_at IS NULL%s", db_sql_contains(db, a, "search_folded", n, 3));
	return arena_printf(a,
		"SELECT b.id, b.first_name, b.last_name, b.current_situation, c.first_name, "
		"  c.last_name, COALESCE(b.activated_at, 0), COALESCE(b.last_activity_at, 0) "
		"FROM (%s ORDER BY search_folded, id LIMIT %d OFFSET $2) p "
		"JOIN beneficiary b ON b.id = p.id JOIN counselor c ON c.id = b.counselor_id "
		"ORDER BY p.search_folded, p.id",
		ids, ESTABLISHMENT_PAGE_SIZE);
}

static void
read_row(struct db_stmt *st, struct arena *a, struct establishment_row *r)
{
	r->id = db_col_dup(st, a, 0);
	r->first_name = db_col_dup(st, a, 1);
	r->last_name = db_col_dup(st, a, 2);
	r->situation = db_col_dup(st, a, 3);
	r->counselor_first_name = db_col_dup(st, a, 4);
	r->counselor_last_name = db_col_dup(st, a, 5);
	r->activated_at = db_col_int64(st, 6);
	r->last_activity_at = db_col_int64(st, 7);
}

int
establishment_search(struct db *db, struct arena *a, const char *structure_id,
		     const char **all_tokens, int n_all, int page, struct establishment_page *out)
{
	const char *gram = driving_gram(a, all_tokens, n_all);
	const char *tokens[ESTABLISHMENT_MAX_TOKENS];
	int n = tokens_to_check(gram, all_tokens, n_all, tokens);
	int total = count(db, a, structure_id, gram, tokens, n), rc;
	if (total < 0)
		return total;
	out->total = total;
	out->pages = total ? (total + ESTABLISHMENT_PAGE_SIZE - 1) / ESTABLISHMENT_PAGE_SIZE : 1;
	out->page = page < 1 ? 1 : page > out->pages ? out->pages : page;
	out->rows = arena_alloc(a, sizeof(*out->rows) * ESTABLISHMENT_PAGE_SIZE);
	out->n = 0;

	struct db_stmt *st = db_prepare(db, page_sql(db, a, gram, n));
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_int64(st, 2, (int64_t)(out->page - 1) * ESTABLISHMENT_PAGE_SIZE);
	if (gram)
		db_bind_text(st, 3, gram);
	bind_tokens(st, tokens, n, gram ? 4 : 3);
	while ((rc = db_step(st)) == DB_ROW && out->n < ESTABLISHMENT_PAGE_SIZE)
		read_row(st, a, &out->rows[out->n++]);
	db_finish(st);
	return rc < 0 ? rc : 0;
}
