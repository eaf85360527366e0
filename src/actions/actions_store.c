/* actions_store.c — the SQL of actions, comments and qualifications. */
#include "actions/actions_store.h"
#include "actions/actions_use.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

/* The columns every read of an action selects, in the order read_row() expects; the
 * query joins beneficiary b and structure s. */
#define ACTION_COLS                                                                         \
	"a.id, a.beneficiary_id, a.creator_kind, a.creator_id, a.creator_first_name, "       \
	"a.creator_last_name, a.title, a.description, a.category, a.status, a.due_at, "      \
	"COALESCE(a.completed_at, 0), a.started_on, a.reminder, a.created_at, a.updated_at, " \
	"a.q_code, a.q_comment, a.q_start, a.q_end, a.qualified_by, COALESCE(a.q_hours, 0), " \
	"COALESCE(a.qualified_at, 0), "                                                       \
	"(SELECT count(*) FROM action_comment c WHERE c.action_id = a.id), "                 \
	"b.dispositif = 'CEJ', s.timezone "
#define ACTION_FROM                                                                         \
	"FROM action a JOIN beneficiary b ON b.id = a.beneficiary_id "                       \
	"JOIN structure s ON s.id = b.structure_id "
#define ACTION_NCOLS 26

static void
read_row(struct db_stmt *st, struct arena *ar, struct action *a, int k)
{
	memset(a, 0, sizeof(*a));
	a->id = db_col_dup(st, ar, k + 0);
	a->beneficiary_id = db_col_dup(st, ar, k + 1);
	a->by_counselor = !strcmp(db_col_text(st, k + 2), "counselor");
	a->creator_id = db_col_dup(st, ar, k + 3);
	a->creator_first_name = db_col_dup(st, ar, k + 4);
	a->creator_last_name = db_col_dup(st, ar, k + 5);
	a->title = db_col_dup(st, ar, k + 6);
	a->description = db_col_dup(st, ar, k + 7);
	a->category = db_col_dup(st, ar, k + 8);
	int s = action_status_parse(db_col_text(st, k + 9));
	a->status = s < 0 ? ACTION_NOT_STARTED : (enum action_status)s;
	a->due_at = db_col_int64(st, k + 10);
	a->completed_at = db_col_int64(st, k + 11);
	a->started_on = db_col_dup(st, ar, k + 12);
	a->reminder = db_col_int64(st, k + 13) != 0;
	a->created_at = db_col_int64(st, k + 14);
	a->updated_at = db_col_int64(st, k + 15);
	a->q_code = db_col_dup(st, ar, k + 16);
	a->q_comment = db_col_dup(st, ar, k + 17);
	a->q_start = db_col_dup(st, ar, k + 18);
	a->q_end = db_col_dup(st, ar, k + 19);
	a->qualified_by = db_col_dup(st, ar, k + 20);
	a->q_hours = (int)db_col_int64(st, k + 21);
	a->qualified_at = db_col_int64(st, k + 22);
	a->comments = (int)db_col_int64(st, k + 23);
	a->cej = db_col_int64(st, k + 24) != 0;
	a->timezone = db_col_dup(st, ar, k + 25);
}

/* Reads every row of @st into an arena array of @size-byte items whose first member is a
 * struct action; @extra reads the columns after the action's. Count or -ERR_DB. */
static int
read_rows(struct db_stmt *st, struct arena *ar, size_t size, void **out,
	  void (*extra)(struct db_stmt *, struct arena *, void *))
{
	int n = 0, cap = 16, rc;
	char *rows = arena_alloc(ar, size * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			char *more = arena_alloc(ar, size * (size_t)cap * 2);
			memcpy(more, rows, size * (size_t)cap);
			rows = more;
			cap *= 2;
		}
		read_row(st, ar, (struct action *)(rows + size * (size_t)n), 0);
		if (extra)
			extra(st, ar, rows + size * (size_t)n);
		n++;
	}
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}

int
actions_store_insert(struct db *db, const struct action *a)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO action(id, beneficiary_id, creator_kind, creator_id, creator_first_name, "
		"  creator_last_name, title, description, category, status, due_at, completed_at, "
		"  reminder, created_at, updated_at, counselor_id) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, "
		/* The beneficiary's counselor, for Pilotage's index (0021_page_summaries.sql). */
		"  (SELECT counselor_id FROM beneficiary WHERE id = $2))");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, a->id);
	db_bind_text(st, 2, a->beneficiary_id);
	db_bind_text(st, 3, a->by_counselor ? "counselor" : "beneficiary");
	db_bind_text(st, 4, a->creator_id);
	db_bind_text(st, 5, a->creator_first_name);
	db_bind_text(st, 6, a->creator_last_name);
	db_bind_text(st, 7, a->title);
	db_bind_text(st, 8, a->description ? a->description : "");
	db_bind_text(st, 9, a->category);
	db_bind_text(st, 10, action_status_wire(a->status));
	db_bind_int64(st, 11, a->due_at);
	if (a->status == ACTION_DONE)
		db_bind_int64(st, 12, a->completed_at);
	else
		db_bind_null(st, 12);
	db_bind_int64(st, 13, a->reminder);
	db_bind_int64(st, 14, a->created_at);
	return db_run(st);
}

int
actions_store_load(struct db *db, struct arena *ar, const char *id, struct action *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ACTION_COLS ACTION_FROM
		"WHERE a.id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_row(st, ar, out, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
actions_store_update(struct db *db, const struct action *a)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE action SET title = $2, description = $3, category = $4, status = $5, "
		"  due_at = $6, completed_at = $7, reminder = $8, updated_at = $9 "
		"WHERE id = $1 AND q_code IS NULL "
		/* Nor while an SNP is being sent to i-milo (its lock, §5 step 2): a status
		 * moved out of done then would make the save after i-milo's answer fail. */
		"  AND (qualifying_until IS NULL OR qualifying_until <= $9)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, a->id);
	db_bind_text(st, 2, a->title);
	db_bind_text(st, 3, a->description ? a->description : "");
	db_bind_text(st, 4, a->category);
	db_bind_text(st, 5, action_status_wire(a->status));
	db_bind_int64(st, 6, a->due_at);
	if (a->status == ACTION_DONE)
		db_bind_int64(st, 7, a->completed_at);
	else
		db_bind_null(st, 7);
	db_bind_int64(st, 8, a->reminder);
	db_bind_int64(st, 9, a->updated_at);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_CONFLICT;
}

int
actions_store_delete(struct db *db, const char *id)
{
	/* The rules of §3 again, in the deleting statement: a change committed since the
	 * caller checked them (done, qualified, commented) wins. */
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM action WHERE id = $1 AND status <> 'done' AND q_code IS NULL "
		"AND qualifying_until IS NULL "
		"AND NOT EXISTS (SELECT 1 FROM action_comment c WHERE c.action_id = action.id)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_CONFLICT;
}

/* SQL condition of each display status (actions.md §1, in the order of enum
 * action_display); $2 = now, $3 = 1 when the beneficiary is CEJ. */
static const char *const display_sql[DISPLAY_COUNT] = {
	"(a.q_code IS NULL AND a.status IN ('not_started', 'in_progress') AND a.due_at >= $2)",
	"(a.q_code IS NULL AND a.status IN ('not_started', 'in_progress') AND a.due_at < $2)",
	"(a.q_code IS NULL AND a.status = 'done' AND $3 = 0)",
	"(a.q_code IS NULL AND a.status = 'done' AND $3 = 1)",
	"(a.q_code IS NOT NULL)",
	"(a.q_code IS NULL AND a.status = 'canceled')",
};

/* " AND (… OR …)" for the chosen statuses and categories of @f. Codes come from our own
 * table, never from the request, so they can be written into the SQL. */
static const char *
filter_sql(struct arena *ar, const struct action_filter *f)
{
	if (!f->statuses && !f->categories)
		return "";
	GString *s = g_string_new("");
	if (f->statuses) {
		g_string_append(s, " AND (1 = 0");
		for (int i = 0; i < DISPLAY_COUNT; i++)
			if (f->statuses & (1u << i))
				g_string_append_printf(s, " OR %s", display_sql[i]);
		g_string_append(s, ")");
	}
	if (f->categories) {
		g_string_append(s, " AND (1 = 0");
		for (int i = 0; i < ACTION_CATEGORY_COUNT; i++)
			if (f->categories & (1u << i))
				g_string_append_printf(s, " OR a.category = '%s'", action_categories[i].code);
		if (f->categories & (1u << ACTION_CATEGORY_COUNT))
			g_string_append(s, " OR a.category IS NULL");
		g_string_append(s, ")");
	}
	char *out = arena_strdup(ar, s->str);
	g_string_free(s, TRUE);
	return out;
}

#define DISPLAY_AT "CASE WHEN a.status = 'done' THEN a.completed_at ELSE a.due_at END"

/* The page of the fiche's Actions tab with the filter @where ("" or a "%s" to fill),
 * @dir ASC or DESC: a string literal when unfiltered, no SQL text built per request. */
#define LIST_SQL(where, dir) "SELECT " ACTION_COLS ACTION_FROM "WHERE a.beneficiary_id = $1" \
	where " ORDER BY " DISPLAY_AT " " dir ", a.id " dir " LIMIT $4 OFFSET $5"

int
actions_store_list(struct db *db, struct arena *ar, const char *beneficiary_id, bool cej,
		   const struct action_filter *f, int64_t now, int offset, int limit,
		   struct action **out, int *total)
{
	const char *where = filter_sql(ar, f);
	/* Unfiltered, the count is the beneficiary's action_count (kept by triggers,
	 * 0021_page_summaries.sql): counting 500 actions cost ~200,000 instructions. */
	struct db_stmt *st = db_prepare(db, *where
		? arena_printf(ar, "SELECT count(*) FROM action a WHERE a.beneficiary_id = $1%s", where)
		: "SELECT action_count FROM beneficiary WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	if (*where) {
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, cej);
	}
	int64_t n = db_run_int(st);
	if (n < 0)
		return (int)n;
	*total = (int)n;
	st = db_prepare(db, *where ? arena_printf(ar, f->ascending ? LIST_SQL("%s", "ASC")
								 : LIST_SQL("%s", "DESC"), where)
			   : f->ascending ? LIST_SQL("", "ASC") : LIST_SQL("", "DESC"));
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, cej);
	db_bind_int64(st, 4, limit);
	db_bind_int64(st, 5, offset);
	return read_rows(st, ar, sizeof(**out), (void **)out, NULL);
}

int
actions_store_between(struct db *db, struct arena *ar, const char *beneficiary_id,
		      int64_t from, int64_t to, struct action **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ACTION_COLS ACTION_FROM
		"WHERE a.beneficiary_id = $1 AND " DISPLAY_AT " >= $2 AND " DISPLAY_AT " < $3 "
		"ORDER BY " DISPLAY_AT ", a.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	return read_rows(st, ar, sizeof(**out), (void **)out, NULL);
}

int
actions_store_week_counts(struct db *db, const char *beneficiary_id, int64_t from, int64_t to,
			  int64_t now, struct action_week_counts *out)
{
	/* One indexed range per counter (0008_actions_speed.sql; action_open_due covering
	 * since 0021), not a pass over every action of the beneficiary; the total is the
	 * beneficiary's action_count, kept by triggers (0021_page_summaries.sql). */
	struct db_stmt *st = db_prepare(db,
		"SELECT "
		"  (SELECT count(*) FROM action WHERE beneficiary_id = $1 "
		"   AND created_at >= $2 AND created_at < $3), "
		"  (SELECT count(*) FROM action WHERE beneficiary_id = $1 AND status = 'done' "
		"   AND completed_at >= $2 AND completed_at < $3), "
		"  (SELECT count(*) FROM action WHERE beneficiary_id = $1 "
		"   AND status IN ('not_started', 'in_progress') AND due_at < $4), "
		"  (SELECT count(*) FROM action WHERE beneficiary_id = $1 "
		"   AND due_at >= $2 AND due_at < $3), "
		"  (SELECT action_count FROM beneficiary WHERE id = $1)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	db_bind_int64(st, 4, now);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->created = (int)db_col_int64(st, 0);
		out->done = (int)db_col_int64(st, 1);
		out->late = (int)db_col_int64(st, 2);
		out->due = (int)db_col_int64(st, 3);
		out->total = (int)db_col_int64(st, 4);
		rc = 0;
	}
	db_finish(st);
	return rc < 0 ? rc : 0;
}

int
actions_store_add_comment(struct db *db, const struct action_comment *c)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO action_comment(id, action_id, author_kind, author_id, "
		"  author_first_name, author_last_name, body, created_at) "
		"SELECT $1, $2, $3, $4, $5, $6, $7, $8");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, c->id);
	db_bind_text(st, 2, c->action_id);
	db_bind_text(st, 3, c->by_counselor ? "counselor" : "beneficiary");
	db_bind_text(st, 4, c->author_id);
	db_bind_text(st, 5, c->first_name);
	db_bind_text(st, 6, c->last_name);
	db_bind_text(st, 7, c->body);
	db_bind_int64(st, 8, c->created_at);
	return db_run(st);
}

int
actions_store_comments(struct db *db, struct arena *ar, const char *action_id,
		       struct action_comment **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, author_kind, author_id, author_first_name, author_last_name, body, created_at "
		"FROM action_comment WHERE action_id = $1 ORDER BY created_at, id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, action_id);
	int n = 0, cap = 8, rc;
	struct action_comment *rows = arena_alloc(ar, sizeof(*rows) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct action_comment *more = arena_alloc(ar, sizeof(*rows) * (size_t)cap * 2);
			memcpy(more, rows, sizeof(*rows) * (size_t)cap);
			rows = more;
			cap *= 2;
		}
		rows[n] = (struct action_comment){
			.id = db_col_dup(st, ar, 0), .action_id = action_id,
			.by_counselor = !strcmp(db_col_text(st, 1), "counselor"),
			.author_id = db_col_dup(st, ar, 2), .first_name = db_col_dup(st, ar, 3),
			.last_name = db_col_dup(st, ar, 4), .body = db_col_dup(st, ar, 5),
			.created_at = db_col_int64(st, 6)};
		n++;
	}
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}

int
actions_store_qualify(struct db *db, const char *id, const struct action_qualification *q,
		      int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE action SET q_code = $2, q_hours = $3, q_comment = $4, q_start = $5, "
		"  q_end = $6, qualified_at = $7, qualified_by = $8, updated_at = $7, "
		"  started_on = COALESCE($5, started_on), "
		"  completed_at = CASE WHEN $9 > 0 THEN $9 ELSE completed_at END, "
		"  qualifying_until = NULL "
		"WHERE id = $1 AND q_code IS NULL AND status = 'done'");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, q->code);
	db_bind_int64(st, 3, q->hours);
	db_bind_text(st, 4, q->comment);
	db_bind_text(st, 5, q->start);
	db_bind_text(st, 6, q->end);
	db_bind_int64(st, 7, now);
	db_bind_text(st, 8, q->by);
	db_bind_int64(st, 9, q->completed_at);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_CONFLICT;
}

int
actions_store_lock_qualify(struct db *db, const char *id, int64_t now, int64_t until)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE action SET qualifying_until = $3 WHERE id = $1 AND q_code IS NULL "
		"AND status = 'done' AND (qualifying_until IS NULL OR qualifying_until <= $2)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, until);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_CONFLICT;
}

int
actions_store_hold_qualify(struct db *db, const char *id, int64_t until)
{
	struct db_stmt *st = db_prepare(db, "UPDATE action SET qualifying_until = $2 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, until);
	return db_run(st);
}

int
actions_store_unlock_qualify(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE action SET qualifying_until = NULL WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	return db_run(st);
}

int
actions_store_counselor_login(struct db *db, struct arena *ar, const char *id, const char **login)
{
	struct db_stmt *st = db_prepare(db, "SELECT imilo_login FROM counselor WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_run_texts(st, ar, 1, login);
	if (rc == -ERR_NOTFOUND) {
		*login = NULL;
		rc = 0;
	}
	return rc;
}

int
actions_store_beneficiary_activated(struct db *db, const char *id, bool *activated)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM beneficiary WHERE id = $1 AND activated_at IS NOT NULL "
		"AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int64_t n = db_run_int(st);
	*activated = n > 0;
	return n < 0 ? (int)n : 0;
}

static void
read_names(struct db_stmt *st, struct arena *ar, void *row)
{
	struct action_to_qualify *r = row;
	r->first_name = db_col_dup(st, ar, ACTION_NCOLS);
	r->last_name = db_col_dup(st, ar, ACTION_NCOLS + 1);
}

/* Pilotage's tile: the portfolio's CEJ actions to qualify, summed from the beneficiaries'
 * to_qualify counters (kept by triggers, 0021_page_summaries.sql) on the covering index
 * beneficiary_to_qualify; counting the 2,000 actions cost ~1 M instructions. */
static int64_t
to_qualify_count(struct db *db, const char *counselor_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT coalesce(sum(to_qualify), 0) FROM beneficiary WHERE counselor_id = $1 "
		"AND deleted_at IS NULL AND dispositif = 'CEJ' AND to_qualify > 0");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return db_run_int(st);
}

/* Orders @n rows by completion date then id, ascending or not (@desc): the order of the
 * date sorts, restored in C because the page's rows are read without ORDER BY. */
static void
sort_by_date(struct action_to_qualify *rows, int n, bool desc)
{
	for (int i = 1; i < n; i++) {
		struct action_to_qualify r = rows[i];
		int k = i;
		for (; k > 0; k--) {
			const struct action *p = &rows[k - 1].a;
			int c = p->completed_at != r.a.completed_at
					? (p->completed_at > r.a.completed_at ? 1 : -1)
					: strcmp(p->id, r.a.id);
			if (desc ? c >= 0 : c <= 0)
				break;
			rows[k] = rows[k - 1];
		}
		rows[k] = r;
	}
}

/* The SQL of Pilotage's page, per sort, with @where (the category filter, "" or a "%s" to
 * fill) written in: string literals, so that the usual page builds no SQL text at all.
 *
 * The page's actions first, on an index without reading their rows, then the ten rows
 * (by rowid — a compatibility column on PostgreSQL, docs/postgres.md —; CROSS JOIN keeps
 * the page as the outer loop, its condition in the WHERE as both engines accept). By date:
 * action_to_qualify_by_counselor holds the portfolio's candidates in date order
 * (0021_page_summaries.sql), so the walk stops after the page, checking each entry's
 * beneficiary; the rows are put back in that order in C (sort_by_date), an ORDER BY here
 * copied ten wide rows into a sorter. Ties go in the direction of the date, as the index
 * is walked. By name: per beneficiary on action_to_qualify, then sorted. SQLite picks
 * both indexes by itself (EXPLAIN QUERY PLAN), with no INDEXED BY (which PostgreSQL does
 * not parse): the count with a category filter states "completed_at IS NOT NULL" (always
 * true of a done action, 0006's CHECK) so that SQLite ranges on action_to_qualify instead
 * of preferring the index of all done actions and reading each row to test q_code. The
 * name is the folded "nom prénom" of the portfolio: "Éluard" sorts with the E, not after
 * "Zola" as NOCASE (ASCII only) would have it. */
#define TQ_BASE "WHERE b.counselor_id = $1 AND b.deleted_at IS NULL AND b.dispositif = 'CEJ' " \
		"AND a.status = 'done' AND a.q_code IS NULL"
#define TQ_FROM "FROM beneficiary b JOIN action a ON a.beneficiary_id = b.id "
#define TQ_BY_DATE "a.completed_at ASC, a.id ASC"
#define TQ_BY_DATE_DESC "a.completed_at DESC, a.id DESC"
#define TQ_BY_NAME "b.search_folded ASC, a.completed_at, a.id"
#define TQ_BY_NAME_DESC "b.search_folded DESC, a.completed_at, a.id"
#define TQ_IDS_BY_DATE(where, order) \
	"SELECT a.rowid AS pid FROM action a " \
	"JOIN beneficiary b ON b.id = a.beneficiary_id " TQ_BASE where " AND a.counselor_id = $1 " \
	"ORDER BY " order " LIMIT $2 OFFSET $3"
#define TQ_IDS_BY_NAME(where, order) \
	"SELECT a.rowid AS pid " TQ_FROM TQ_BASE where " ORDER BY " order " LIMIT $2 OFFSET $3"
#define TQ_PAGE(ids, tail) \
	"SELECT " ACTION_COLS ", b.first_name, b.last_name FROM (" ids ") page " \
	"CROSS JOIN action a JOIN beneficiary b ON b.id = a.beneficiary_id " \
	"JOIN structure s ON s.id = b.structure_id WHERE a.rowid = page.pid" tail
#define TQ_SQL(where) {                                                                      \
	[PILOTAGE_BY_DATE] = TQ_PAGE(TQ_IDS_BY_DATE(where, TQ_BY_DATE), ""),                  \
	[PILOTAGE_BY_DATE_DESC] = TQ_PAGE(TQ_IDS_BY_DATE(where, TQ_BY_DATE_DESC), ""),        \
	[PILOTAGE_BY_NAME] = TQ_PAGE(TQ_IDS_BY_NAME(where, TQ_BY_NAME), " ORDER BY " TQ_BY_NAME), \
	[PILOTAGE_BY_NAME_DESC] =                                                             \
		TQ_PAGE(TQ_IDS_BY_NAME(where, TQ_BY_NAME_DESC), " ORDER BY " TQ_BY_NAME_DESC),  \
}

int
actions_store_to_qualify(struct db *db, struct arena *ar, const char *counselor_id,
			 unsigned categories, enum pilotage_sort sort, int offset, int limit,
			 struct action_to_qualify **out, int *total)
{
	static const char *const plain[] = TQ_SQL("");
	static const char *const filtered[] = TQ_SQL("%s");
	const char *where = NULL;
	int64_t n;
	if (categories) {
		struct action_filter f = {.categories = categories};
		where = filter_sql(ar, &f);
		struct db_stmt *st = db_prepare(db, arena_printf(ar, "SELECT count(*) "
			TQ_FROM TQ_BASE " AND a.completed_at IS NOT NULL%s", where));
		if (!st)
			return -ERR_DB;
		db_bind_text(st, 1, counselor_id);
		n = db_run_int(st);
	} else {
		n = to_qualify_count(db, counselor_id);
	}
	if (n < 0)
		return (int)n;
	*total = (int)n;
	if (limit <= 0) {   /* the count alone (the tiles) */
		*out = NULL;
		return 0;
	}
	struct db_stmt *st = db_prepare(db, where ? arena_printf(ar, filtered[sort], where)
						  : plain[sort]);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_int64(st, 2, limit);
	db_bind_int64(st, 3, offset);
	int rows = read_rows(st, ar, sizeof(**out), (void **)out, read_names);
	if (rows > 0 && (sort == PILOTAGE_BY_DATE || sort == PILOTAGE_BY_DATE_DESC))
		sort_by_date(*out, rows, sort == PILOTAGE_BY_DATE_DESC);
	return rows;
}

int
actions_store_auto_non_snp_candidates(struct db *db, struct arena *ar, int64_t before,
				      const char ***ids)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT a.id FROM action a JOIN beneficiary b ON b.id = a.beneficiary_id "
		"WHERE a.q_code IS NULL AND a.due_at < $1 AND a.status <> 'canceled' "
		"AND b.dispositif = 'CEJ' AND b.deleted_at IS NULL ORDER BY a.due_at");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, before);
	int n = 0, cap = 16, rc;
	const char **out = arena_alloc(ar, sizeof(*out) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			const char **more = arena_alloc(ar, sizeof(*out) * (size_t)cap * 2);
			memcpy(more, out, sizeof(*out) * (size_t)cap);
			out = more;
			cap *= 2;
		}
		out[n++] = db_col_dup(st, ar, 0);
	}
	db_finish(st);
	*ids = out;
	return rc < 0 ? rc : n;
}

/* Declared in actions_use.h: the account's deletion and archive call it. Children first,
 * the foreign keys are enforced. A reminder job is keyed "action:{id}:j3" and holds the
 * action id in its payload: a dead one goes too (no id of a deleted action stays behind). */
int
actions_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	static const char *const sql[] = {
		"DELETE FROM job WHERE key IN (SELECT 'action:' || id || ':j3' FROM action "
		"  WHERE beneficiary_id = $1)",
		"DELETE FROM action_comment WHERE action_id IN "
		"  (SELECT id FROM action WHERE beneficiary_id = $1)",
		"DELETE FROM action WHERE beneficiary_id = $1",
	};
	return db_run_each(db, sql, sizeof(sql) / sizeof(sql[0]), beneficiary_id);
}
