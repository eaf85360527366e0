/* portfolio_store.c — the only file that knows the tables behind the portfolio. Each
 * (sort, direction, token count) gives one SQL text, prepared once per connection. */
#include "portfolio/portfolio_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

/* ORDER BY of beneficiaries.md §3; ties fall back to the name, then the row. The name
 * order is the index's (counselor_id, search_folded, rowid): no sort at all. Non-activated
 * accounts come last in both directions of the activity order; an activated account
 * without any activity yet counts as the oldest, on both engines (SQLite's default NULL
 * order, written out: PostgreSQL's is the reverse). */
#define ORDER_NAME(dir) "b.search_folded " dir ", b.rowid " dir
#define ORDER_SITUATION(dir) \
	"COALESCE(b.current_situation, 'Sans situation') " dir ", b.search_folded, b.rowid"
#define ORDER_ACTIVITY(dir) \
	"b.activated_at IS NULL, b.last_activity_at " dir ", b.search_folded, b.rowid"

/* The page's SELECT with the name-search terms @where ("" or a "%s" to fill) and the
 * ORDER BY @order: string literals, so that a page without search builds no SQL text.
 * The conversation (one per beneficiary at most: UNIQUE) is joined once for the
 * statement rather than looked up in a subquery per row, and its messages are counted
 * only when there is one: a subquery opens and closes its cursors on every row, 2.4k
 * instructions each even on an empty table (bench/README.md, session 8). */
#define PAGE_SQL(where, order)                                                              \
	"SELECT b.id, b.last_name, b.first_name, b.dispositif, b.current_situation, "        \
	"  COALESCE(b.activated_at, 0), COALESCE(b.last_activity_at, 0), b.open_actions, "   \
	/* Counselor-side messages the beneficiary has not read (messaging.md §4), on the    \
	 * partial index message_unread_by_beneficiary. */                                    \
	"  CASE WHEN c.id IS NULL THEN 0 ELSE "                                               \
	"  (SELECT count(*) FROM message m WHERE m.conversation_id = c.id "                   \
	"   AND m.created_at > c.beneficiary_last_read_at "                                    \
	"   AND m.deleted_at IS NULL AND m.sender_type <> 'beneficiary' "                      \
	"   AND m.kind <> 'AUTO_REGISTRATION') END "                                            \
	"FROM beneficiary b LEFT JOIN conversation c ON c.beneficiary_id = b.id "              \
	"WHERE b.counselor_id = $1 AND b.deleted_at IS NULL" where " "                        \
	"ORDER BY " order " LIMIT 10 OFFSET $2"
#define PAGE_SQLS(where) {                                                                  \
	[SORT_NAME] = {PAGE_SQL(where, ORDER_NAME("ASC")), PAGE_SQL(where, ORDER_NAME("DESC"))}, \
	[SORT_SITUATION] = {PAGE_SQL(where, ORDER_SITUATION("ASC")),                            \
			    PAGE_SQL(where, ORDER_SITUATION("DESC"))},                          \
	[SORT_ACTIVITY] = {PAGE_SQL(where, ORDER_ACTIVITY("ASC NULLS FIRST")),                  \
			   PAGE_SQL(where, ORDER_ACTIVITY("DESC NULLS LAST"))},                 \
}
_Static_assert(PORTFOLIO_PAGE_SIZE == 10, "PAGE_SQL's LIMIT");

/* The rows matching the @n search tokens; without any, the portfolio's size, which
 * triggers keep on the counselor's row (migration 0022). */
static int
count(struct db *db, struct arena *a, const char *counselor_id, const char **tokens, int n)
{
	struct db_stmt *st = db_prepare(db, n ? arena_printf(a,
		"SELECT count(*) FROM beneficiary WHERE counselor_id = $1 AND deleted_at IS NULL%s",
		db_sql_contains(db, a, "search_folded", n, 2))
		: "SELECT portfolio_size FROM counselor WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 2, tokens[i]);
	return (int)db_run_int(st);
}

static void
read_row(struct db_stmt *st, struct arena *a, struct portfolio_row *r)
{
	r->beneficiary_id = db_col_dup(st, a, 0);
	r->last_name = db_col_dup(st, a, 1);
	r->first_name = db_col_dup(st, a, 2);
	r->dispositif = db_col_dup(st, a, 3);
	r->situation = db_col_dup(st, a, 4);
	r->activated_at = db_col_int64(st, 5);
	r->last_activity_at = db_col_int64(st, 6);
	r->open_actions = (int)db_col_int64(st, 7);
	r->unread_by_beneficiary = (int)db_col_int64(st, 8);
}

int
portfolio_store_page(struct db *db, struct arena *a, const char *counselor_id,
		     const char **tokens, int n, const struct portfolio_query *pq,
		     struct portfolio_page *out)
{
	int total = count(db, a, counselor_id, tokens, n), rc;
	int size = n ? count(db, a, counselor_id, NULL, 0) : total;
	if (total < 0 || size < 0)
		return total < 0 ? total : size;
	out->total = total;
	out->portfolio_size = size;
	out->pages = total ? (total + PORTFOLIO_PAGE_SIZE - 1) / PORTFOLIO_PAGE_SIZE : 1;
	out->page = pq->page > out->pages ? out->pages : pq->page < 1 ? 1 : pq->page;
	out->rows = arena_alloc(a, sizeof(*out->rows) * PORTFOLIO_PAGE_SIZE);
	out->n = 0;

	static const char *const plain[][2] = PAGE_SQLS("");
	static const char *const searched[][2] = PAGE_SQLS("%s");
	int sort = pq->sort == SORT_SITUATION || pq->sort == SORT_ACTIVITY ? (int)pq->sort : SORT_NAME;
	struct db_stmt *st = db_prepare(db, n ? arena_printf(a, searched[sort][pq->desc],
		db_sql_contains(db, a, "b.search_folded", n, 3)) : plain[sort][pq->desc]);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_int64(st, 2, (int64_t)(out->page - 1) * PORTFOLIO_PAGE_SIZE);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 3, tokens[i]);
	while ((rc = db_step(st)) == DB_ROW && out->n < PORTFOLIO_PAGE_SIZE)
		read_row(st, a, &out->rows[out->n++]);
	db_finish(st);
	return rc < 0 ? rc : 0;
}
