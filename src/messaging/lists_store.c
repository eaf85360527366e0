/* lists_store.c — the only file that knows the tables of 0009_lists.sql. */
#include "messaging/lists_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "messaging/messaging.h"

#include <glib.h>
#include <string.h>

/* Rows of a statement collected into an arena array: @fill reads the current row. */
static int
collect(struct db_stmt *st, struct arena *a, size_t size,
	void (*fill)(struct db_stmt *, struct arena *, void *), void **out)
{
	GArray *rows = g_array_new(FALSE, TRUE, (guint)size);
	void *row = g_malloc0(size);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(row, 0, size);
		fill(st, a, row);
		g_array_append_vals(rows, row, 1);
	}
	db_finish(st);
	g_free(row);
	*out = arena_alloc(a, size * (rows->len ? rows->len : 1));
	if (rows->len)
		memcpy(*out, rows->data, size * rows->len);
	int n = (int)rows->len;
	g_array_free(rows, TRUE);
	return rc < 0 ? rc : n;
}

/* ---- Lists ---- */

/* A list's recipients: its members still in the owner's portfolio. */
#define RECIPIENTS_OF_L                                                                    \
	"(SELECT count(*) FROM broadcast_list_member m "                                   \
	"  JOIN beneficiary b ON b.id = m.beneficiary_id "                                 \
	"  WHERE m.list_id = l.id AND b.counselor_id = l.counselor_id "                    \
	"  AND b.deleted_at IS NULL)"
#define LIST_ROWS                                                                          \
	"SELECT l.id, l.title, " RECIPIENTS_OF_L " AS recipients, "                        \
	"  (SELECT count(*) FROM broadcast_list_send s WHERE s.list_id = l.id), "          \
	"  (SELECT max(s.created_at) FROM broadcast_list_send s WHERE s.list_id = l.id) "  \
	"FROM broadcast_list l WHERE l.counselor_id = $1 "

static void
fill_row(struct db_stmt *st, struct arena *a, void *p)
{
	struct list_row *r = p;
	r->id = db_col_dup(st, a, 0);
	r->title = db_col_dup(st, a, 1);
	r->recipients = (int)db_col_int64(st, 2);
	r->sends = (int)db_col_int64(st, 3);
	r->last_sent_at = db_col_int64(st, 4);
}

int
lists_store_list(struct db *db, struct arena *a, const char *counselor_id, enum lists_sort sort,
		 bool desc, struct list_row **out)
{
	/* One text per order, so that each is a cached statement. */
	static const char *const sql[2][2] = {
		{LIST_ROWS "ORDER BY l.title_folded, l.id",
		 LIST_ROWS "ORDER BY l.title_folded DESC, l.id DESC"},
		{LIST_ROWS "ORDER BY recipients, l.title_folded, l.id",
		 LIST_ROWS "ORDER BY recipients DESC, l.title_folded, l.id"},
	};
	struct db_stmt *st = db_prepare(db, sql[sort == LISTS_SORT_RECIPIENTS][desc ? 1 : 0]);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return collect(st, a, sizeof(struct list_row), fill_row, (void **)out);
}

int
lists_store_load(struct db *db, struct arena *a, const char *id, struct broadcast_list *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, counselor_id, title FROM broadcast_list WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	*out = (struct broadcast_list){0};
	return db_run_texts(st, a, 3, &out->id, &out->counselor_id, &out->title);
}

static void
fill_person(struct db_stmt *st, struct arena *a, void *p)
{
	struct list_person *m = p;
	m->id = db_col_dup(st, a, 0);
	m->first_name = db_col_dup(st, a, 1);
	m->last_name = db_col_dup(st, a, 2);
	m->in_portfolio = db_col_int64(st, 3) != 0;
}

int
lists_store_portfolio(struct db *db, struct arena *a, const char *counselor_id,
		      struct list_person **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, first_name, last_name, 1 FROM beneficiary "
		"WHERE counselor_id = $1 AND deleted_at IS NULL ORDER BY search_folded, id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return collect(st, a, sizeof(struct list_person), fill_person, (void **)out);
}

int
lists_store_members(struct db *db, struct arena *a, const char *list_id, const char *owner_id,
		    struct list_person **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT b.id, b.first_name, b.last_name, "
		"  b.counselor_id = $2 AND b.deleted_at IS NULL "
		"FROM broadcast_list_member m JOIN beneficiary b ON b.id = m.beneficiary_id "
		"WHERE m.list_id = $1 ORDER BY b.search_folded, b.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, list_id);
	db_bind_text(st, 2, owner_id);
	return collect(st, a, sizeof(struct list_person), fill_person, (void **)out);
}

int
lists_store_insert(struct db *db, const struct broadcast_list *l, const char *title_folded,
		   int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO broadcast_list(id, counselor_id, title, title_folded, created_at, "
		"  updated_at) VALUES ($1, $2, $3, $4, $5, $5)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, l->id);
	db_bind_text(st, 2, l->counselor_id);
	db_bind_text(st, 3, l->title);
	db_bind_text(st, 4, title_folded);
	db_bind_int64(st, 5, now);
	return db_run(st);
}

int
lists_store_rename(struct db *db, const struct broadcast_list *l, const char *title_folded,
		   int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE broadcast_list SET title = $2, title_folded = $3, updated_at = $4 "
		"WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, l->id);
	db_bind_text(st, 2, l->title);
	db_bind_text(st, 3, title_folded);
	db_bind_int64(st, 4, now);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_NOTFOUND;
}

int
lists_store_add_member(struct db *db, const char *list_id, const char *beneficiary_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO broadcast_list_member(list_id, beneficiary_id, added_at) "
		"VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, list_id);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_int64(st, 3, now);
	return db_run(st);
}

int
lists_store_remove_member(struct db *db, const char *list_id, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM broadcast_list_member WHERE list_id = $1 AND beneficiary_id = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, list_id);
	db_bind_text(st, 2, beneficiary_id);
	return db_run(st);
}

int
lists_store_delete(struct db *db, const char *id)
{
	/* Children first: the foreign keys are enforced. */
	static const char *const sql[] = {
		"DELETE FROM broadcast_list_send WHERE list_id = $1",
		"DELETE FROM broadcast_list_member WHERE list_id = $1",
		"DELETE FROM broadcast_list WHERE id = $1",
	};
	return db_run_each(db, sql, sizeof(sql) / sizeof(sql[0]), id);
}

/* ---- Sends ---- */

int
lists_store_broadcast(struct db *db, const char *id, const char *counselor_id,
		      const char *list_ids, const char *recipient_ids, int64_t at)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO broadcast(id, counselor_id, list_ids, recipient_ids, created_at) "
		"VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, counselor_id);
	db_bind_text(st, 3, list_ids);
	db_bind_text(st, 4, recipient_ids);
	db_bind_int64(st, 5, at);
	return db_run(st);
}

int
lists_store_link(struct db *db, const char *list_id, const char *broadcast_id, int64_t at)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO broadcast_list_send(list_id, broadcast_id, created_at) "
		"VALUES ($1, $2, $3)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, list_id);
	db_bind_text(st, 2, broadcast_id);
	db_bind_int64(st, 3, at);
	return db_run(st);
}

/* A history row: the broadcast and one copy of its text and file — a copy not deleted
 * when there is one (the counselor may have deleted some), the first sent otherwise.
 * Every copy references the same file. */
#define SENT_ROWS                                                                          \
	"SELECT s.broadcast_id, s.created_at, json_array_length(bc.recipient_ids), "       \
	"  m.key_id, m.content, m.attachment_id "                                          \
	"FROM broadcast_list_send s JOIN broadcast bc ON bc.id = s.broadcast_id "          \
	"LEFT JOIN message m ON m.id = (SELECT x.id FROM message x "                       \
	"  WHERE x.broadcast_id = s.broadcast_id "                                         \
	"  ORDER BY x.deleted_at IS NOT NULL, x.created_at, x.id LIMIT 1) "

static void
fill_entry(struct db_stmt *st, struct arena *a, void *p)
{
	struct broadcast_entry *e = p;
	e->id = db_col_dup(st, a, 0);
	e->sent_at = db_col_int64(st, 1);
	e->recipients = (int)db_col_int64(st, 2);
	e->key_id = db_col_dup(st, a, 3);
	e->content = db_col_blob_dup(st, a, 4, &e->content_len);
	e->attachment_id = db_col_dup(st, a, 5);
}

int
lists_store_history(struct db *db, struct arena *a, const char *list_id,
		    const struct msg_cursor *before, int limit, struct broadcast_entry **out)
{
	struct db_stmt *st = db_prepare(db,
		SENT_ROWS
		"WHERE s.list_id = $1 AND (s.created_at < $2 OR "
		"  (s.created_at = $2 AND s.broadcast_id < $3)) "
		"ORDER BY s.created_at DESC, s.broadcast_id DESC LIMIT $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, list_id);
	db_bind_int64(st, 2, before ? before->created_at : INT64_MAX);
	db_bind_text(st, 3, before ? before->id : "");
	db_bind_int64(st, 4, limit);
	return collect(st, a, sizeof(struct broadcast_entry), fill_entry, (void **)out);
}

int
lists_store_sent(struct db *db, struct arena *a, const char *list_id, const char *broadcast_id,
		 struct broadcast_entry *out)
{
	struct db_stmt *st = db_prepare(db,
		SENT_ROWS "WHERE s.list_id = $1 AND s.broadcast_id = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, list_id);
	db_bind_text(st, 2, broadcast_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (struct broadcast_entry){0};
		fill_entry(st, a, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

static void
fill_receipt(struct db_stmt *st, struct arena *a, void *p)
{
	struct broadcast_receipt *r = p;
	r->beneficiary_id = db_col_dup(st, a, 0);
	r->first_name = db_col_dup(st, a, 1);
	r->last_name = db_col_dup(st, a, 2);
	r->read = msg_is_read(db_col_int64(st, 3), db_col_int64(st, 4));
}

int
lists_store_receipts(struct db *db, struct arena *a, const char *broadcast_id, const char *owner_id,
		     struct broadcast_receipt **out)
{
	/* Each recipient's own copy (index message_broadcast): its sending time and the
	 * beneficiary's read mark of that conversation. */
	struct db_stmt *st = db_prepare(db,
		"SELECT b.id, b.first_name, b.last_name, m.created_at, "
		"  coalesce(c.beneficiary_last_read_at, 0) "
		"FROM message m JOIN conversation c ON c.id = m.conversation_id "
		"JOIN beneficiary b ON b.id = c.beneficiary_id "
		"WHERE m.broadcast_id = $1 AND b.counselor_id = $2 AND b.deleted_at IS NULL "
		"ORDER BY b.search_folded, b.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, broadcast_id);
	db_bind_text(st, 2, owner_id);
	return collect(st, a, sizeof(struct broadcast_receipt), fill_receipt, (void **)out);
}

int
lists_store_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	/* The broadcasts B received, found through B's copies (index message_page): B leaves
	 * their recipients; one left with nobody (it went to B alone) goes with its history
	 * rows. Then B leaves every list. */
#define B_BROADCASTS                                                                       \
	"SELECT m.broadcast_id FROM message m JOIN conversation c ON c.id = m.conversation_id " \
	"WHERE c.beneficiary_id = $1 AND m.broadcast_id IS NOT NULL"
	static const char *const sql[] = {
		"UPDATE broadcast SET recipient_ids = (SELECT json_group_array(r.value) "
		"  FROM json_each(broadcast.recipient_ids) r WHERE r.value <> $1) "
		"WHERE id IN (" B_BROADCASTS ")",
		"DELETE FROM broadcast_list_send WHERE broadcast_id IN (SELECT id FROM broadcast "
		"  WHERE json_array_length(recipient_ids) = 0 AND id IN (" B_BROADCASTS "))",
		"DELETE FROM broadcast WHERE json_array_length(recipient_ids) = 0 "
		"  AND id IN (" B_BROADCASTS ")",
		"DELETE FROM broadcast_list_member WHERE beneficiary_id = $1",
	};
#undef B_BROADCASTS
	return db_run_each(db, sql, sizeof(sql) / sizeof(sql[0]), beneficiary_id);
}
