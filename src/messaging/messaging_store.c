/* messaging_store.c — the only file that knows the tables behind messaging. */
#include "messaging/messaging_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

/* The unread conditions of messaging.md §4 (see msg_incoming). They repeat the WHERE of
 * the partial indexes of 0007_messaging.sql word for word, so that SQLite uses them. */
#define INCOMING_FOR_COUNSELOR \
	"m.deleted_at IS NULL AND (m.sender_type = 'beneficiary' OR m.kind = 'AUTO_REGISTRATION')"
#define INCOMING_FOR_BENEFICIARY \
	"m.deleted_at IS NULL AND m.sender_type <> 'beneficiary' AND m.kind <> 'AUTO_REGISTRATION'"

static int
sender_of(const char *wire)
{
	int s = msg_sender_parse(wire);
	return s < 0 ? MSG_FROM_SYSTEM : s;
}

int
messaging_store_conversation(struct db *db, struct arena *ar, const char *beneficiary_id,
			     struct msg_conversation *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.id, b.id, b.counselor_id, b.first_name, b.last_name, s.timezone, "
		"  b.activated_at IS NOT NULL, coalesce(c.followed, 0), c.last_message_at, "
		"  c.last_sender, c.last_message_id, coalesce(c.counselor_last_read_at, 0), "
		"  coalesce(c.beneficiary_last_read_at, 0) "
		"FROM beneficiary b JOIN structure s ON s.id = b.structure_id "
		"LEFT JOIN conversation c ON c.beneficiary_id = b.id "
		"WHERE b.id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *last = db_col_text(st, 9);
		*out = (struct msg_conversation){
			.id = db_col_dup(st, ar, 0), .beneficiary_id = db_col_dup(st, ar, 1),
			.counselor_id = db_col_dup(st, ar, 2), .first_name = db_col_dup(st, ar, 3),
			.last_name = db_col_dup(st, ar, 4), .timezone = db_col_dup(st, ar, 5),
			.activated = db_col_int64(st, 6) != 0, .followed = db_col_int64(st, 7) != 0,
			.last_message_at = db_col_int64(st, 8),
			.last_sender = last ? sender_of(last) : -1,
			.last_message_id = db_col_dup(st, ar, 10),
			.counselor_last_read_at = db_col_int64(st, 11),
			.beneficiary_last_read_at = db_col_int64(st, 12),
		};
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
messaging_store_ensure(struct db *db, struct arena *ar, int64_t now, const char *beneficiary_id,
		       const char **id)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO conversation(id, beneficiary_id, created_at) "
		"SELECT $1, id, $3 FROM beneficiary WHERE id = $2 AND deleted_at IS NULL "
		"ON CONFLICT(beneficiary_id) DO NOTHING");
	if (!st)
		return -ERR_DB;
	char fresh[UUID_STRLEN + 1];
	id_uuid7(now, fresh);
	db_bind_text(st, 1, fresh);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_int64(st, 3, now);
	int rc = db_run(st);
	if (rc)
		return rc;
	st = db_prepare(db,
		"SELECT c.id FROM conversation c JOIN beneficiary b ON b.id = c.beneficiary_id "
		"WHERE c.beneficiary_id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run_texts(st, ar, 1, id);
}

int
messaging_store_insert(struct db *db, const struct message *m)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO message(id, conversation_id, sender_type, sender_counselor_id, kind, "
		"  content, key_id, created_at, attachment_id, payload, broadcast_id, client_key) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, m->id);
	db_bind_text(st, 2, m->conversation_id);
	db_bind_text(st, 3, msg_sender_wire(m->sender));
	db_bind_text(st, 4, m->sender == MSG_FROM_COUNSELOR ? m->sender_counselor_id : NULL);
	db_bind_text(st, 5, msg_kind_wire(m->kind));
	db_bind_blob(st, 6, m->content, m->content_len);
	db_bind_text(st, 7, m->key_id);
	db_bind_int64(st, 8, m->created_at);
	db_bind_text(st, 9, m->attachment_id);
	db_bind_text(st, 10, m->payload);
	db_bind_text(st, 11, m->broadcast_id);
	db_bind_text(st, 12, m->client_key);
	return db_run(st);
}

int
messaging_store_set_last(struct db *db, const struct message *m, const struct crypto_sealed *preview)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE conversation SET last_message_id = $2, last_message_at = $3, "
		"  last_message_preview = $4, last_message_key_id = $5, last_sender = $6 "
		"WHERE id = $1 AND (last_message_at IS NULL OR last_message_at <= $3)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, m->conversation_id);
	db_bind_text(st, 2, m->id);
	db_bind_int64(st, 3, m->created_at);
	db_bind_blob(st, 4, preview->blob, preview->len);
	db_bind_text(st, 5, preview->key_id);
	db_bind_text(st, 6, msg_sender_wire(m->sender));
	return db_run(st);
}

int
messaging_store_set_preview(struct db *db, const char *conversation_id, const char *message_id,
			    const struct crypto_sealed *preview)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE conversation SET last_message_preview = $3, last_message_key_id = $4 "
		"WHERE id = $1 AND last_message_id = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, conversation_id);
	db_bind_text(st, 2, message_id);
	db_bind_blob(st, 3, preview->blob, preview->len);
	db_bind_text(st, 4, preview->key_id);
	return db_run(st);
}

#define MESSAGE_COLUMNS \
	"m.id, m.conversation_id, c.beneficiary_id, m.sender_type, m.sender_counselor_id, " \
	"co.first_name, co.last_name, m.kind, m.content, m.key_id, m.created_at, " \
	"coalesce(m.edited_at, 0), coalesce(m.deleted_at, 0), m.attachment_id, m.payload, " \
	"m.broadcast_id, m.client_key "
#define MESSAGE_NCOLS 17   /* the columns above: a query's own columns come after them */
#define MESSAGE_FROM \
	"FROM message m JOIN conversation c ON c.id = m.conversation_id " \
	"LEFT JOIN counselor co ON co.id = m.sender_counselor_id "

static void
read_message(struct db_stmt *st, struct arena *ar, struct message *m)
{
	*m = (struct message){
		.id = db_col_dup(st, ar, 0), .conversation_id = db_col_dup(st, ar, 1),
		.beneficiary_id = db_col_dup(st, ar, 2),
		.sender = (enum msg_sender)sender_of(db_col_text(st, 3)),
		.sender_counselor_id = db_col_dup(st, ar, 4),
		.sender_first_name = db_col_dup(st, ar, 5), .sender_last_name = db_col_dup(st, ar, 6),
		.kind = msg_kind_parse(db_col_text(st, 7)),
		.key_id = db_col_dup(st, ar, 9), .created_at = db_col_int64(st, 10),
		.edited_at = db_col_int64(st, 11), .deleted_at = db_col_int64(st, 12),
		.attachment_id = db_col_dup(st, ar, 13), .payload = db_col_dup(st, ar, 14),
		.broadcast_id = db_col_dup(st, ar, 15), .client_key = db_col_dup(st, ar, 16),
	};
	m->content = db_col_blob_dup(st, ar, 8, &m->content_len);
}

int
messaging_store_page(struct db *db, struct arena *ar, const char *conversation_id,
		     const struct msg_cursor *before, int limit, struct message **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " MESSAGE_COLUMNS MESSAGE_FROM
		"WHERE m.conversation_id = $1 AND (m.created_at, m.id) < ($2, $3) "
		"ORDER BY m.created_at DESC, m.id DESC LIMIT $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, conversation_id);
	db_bind_int64(st, 2, before ? before->created_at : INT64_MAX);
	db_bind_text(st, 3, before ? before->id : "");
	db_bind_int64(st, 4, limit);
	struct message *rows = arena_alloc(ar, sizeof(*rows) * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < limit)
		read_message(st, ar, &rows[n++]);
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}

int
messaging_store_page_from(struct db *db, struct arena *ar, const char *conversation_id,
			  const struct msg_cursor *from, int limit, struct message **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " MESSAGE_COLUMNS MESSAGE_FROM
		"WHERE m.conversation_id = $1 AND (m.created_at, m.id) >= ($2, $3) "
		"ORDER BY m.created_at, m.id LIMIT $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, conversation_id);
	db_bind_int64(st, 2, from->created_at);
	db_bind_text(st, 3, from->id);
	db_bind_int64(st, 4, limit);
	struct message *rows = arena_alloc(ar, sizeof(*rows) * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < limit)
		read_message(st, ar, &rows[n++]);
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}

int
messaging_store_each_live(struct db *db, const char *conversation_id, msg_row_fn fn, void *u)
{
	/* A file's name is shown only while its content is kept (not expired, not deleted). */
	struct db_stmt *st = db_prepare(db,
		"SELECT " MESSAGE_COLUMNS ", t.key_id, t.name "
		MESSAGE_FROM "LEFT JOIN attachment t ON t.id = m.attachment_id "
		"  AND t.content IS NOT NULL AND t.deleted_at IS NULL "
		"WHERE m.conversation_id = $1 AND m.deleted_at IS NULL "
		"ORDER BY m.created_at DESC, m.id DESC");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, conversation_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct arena *row = arena_new();
		struct message m;
		struct msg_file_name file = {.key_id = db_col_dup(st, row, MESSAGE_NCOLS)};
		read_message(st, row, &m);
		file.sealed = db_col_blob_dup(st, row, MESSAGE_NCOLS + 1, &file.len);
		rc = fn(u, row, &m, file.sealed ? &file : NULL);
		arena_free(row);
		if (rc)
			break;
	}
	db_finish(st);
	return rc == DB_DONE ? 0 : rc;
}

int
messaging_store_load(struct db *db, struct arena *ar, const char *id, struct message *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " MESSAGE_COLUMNS MESSAGE_FROM
		"JOIN beneficiary b ON b.id = c.beneficiary_id "
		"WHERE m.id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_message(st, ar, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
messaging_store_find_by_client_key(struct db *db, struct arena *ar, const char *conversation_id,
				   const char *client_key, struct message *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " MESSAGE_COLUMNS MESSAGE_FROM
		"WHERE m.conversation_id = $1 AND m.client_key = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, conversation_id);
	db_bind_text(st, 2, client_key);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_message(st, ar, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
messaging_store_edit(struct db *db, const struct message *before,
		     const struct crypto_sealed *content, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE message SET content = $2, key_id = $3, edited_at = $4 "
		"WHERE id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, before->id);
	db_bind_blob(st, 2, content->blob, content->len);
	db_bind_text(st, 3, content->key_id);
	db_bind_int64(st, 4, now);
	int rc = db_run(st);
	if (rc)
		return rc;
	if (db_changes(db) != 1)
		return -ERR_CONFLICT;
	st = db_prepare(db,
		"INSERT INTO message_edit(id, message_id, edited_at, previous_content, key_id) "
		"VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return -ERR_DB;
	char id[UUID_STRLEN + 1];
	id_uuid7(now, id);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, before->id);
	db_bind_int64(st, 3, now);
	db_bind_blob(st, 4, before->content, before->content_len);
	db_bind_text(st, 5, before->key_id);
	return db_run(st);
}

int
messaging_store_delete(struct db *db, const char *id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE message SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_CONFLICT;
}

int
messaging_store_history(struct db *db, struct arena *ar, const char *id, struct msg_edit **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT edited_at, key_id, previous_content FROM message_edit WHERE message_id = $1 "
		"ORDER BY edited_at, id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct msg_edit));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct msg_edit e = {.edited_at = db_col_int64(st, 0), .key_id = db_col_dup(st, ar, 1)};
		e.previous = db_col_blob_dup(st, ar, 2, &e.previous_len);
		g_array_append_val(rows, e);
	}
	db_finish(st);
	int n = (int)rows->len;
	*out = arena_alloc(ar, sizeof(struct msg_edit) * (rows->len ? rows->len : 1));
	if (rows->len)
		memcpy(*out, rows->data, sizeof(struct msg_edit) * rows->len);
	g_array_free(rows, TRUE);
	return rc < 0 ? rc : n;
}

int
messaging_store_mark_read(struct db *db, const char *conversation_id, enum msg_sender side,
			  int64_t now)
{
	const char *sql =
		side == MSG_FROM_COUNSELOR
			? "UPDATE conversation SET counselor_last_read_at = CASE "
			  "WHEN counselor_last_read_at > $2 THEN counselor_last_read_at ELSE $2 END "
			  "WHERE id = $1"
		: side == MSG_FROM_BENEFICIARY
			? "UPDATE conversation SET beneficiary_last_read_at = CASE "
			  "WHEN beneficiary_last_read_at > $2 THEN beneficiary_last_read_at "
			  "ELSE $2 END WHERE id = $1"
			: NULL;
	if (!sql)
		return -ERR_INVAL;
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, conversation_id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
messaging_store_set_followed(struct db *db, const char *beneficiary_id, const char *counselor_id,
			     bool followed)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE conversation SET followed = $3 WHERE beneficiary_id = $1 AND EXISTS "
		"(SELECT 1 FROM beneficiary b WHERE b.id = $1 AND b.counselor_id = $2 "
		" AND b.deleted_at IS NULL)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, counselor_id);
	db_bind_int64(st, 3, followed ? 1 : 0);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_NOTFOUND;
}

int
messaging_store_unfollow(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE conversation SET followed = 0 WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}

int
messaging_store_tiles(struct db *db, struct arena *ar, const char *counselor_id,
		      const char *const *tokens, int n, struct msg_tile **out)
{
	const char *sql = arena_printf(ar,
		"SELECT b.id, c.id, b.first_name, b.last_name, b.search_folded, s.timezone, "
		"  b.activated_at IS NOT NULL, coalesce(c.followed, 0), "
		"  coalesce(c.last_message_at, 0), c.last_sender, lm.deleted_at IS NOT NULL, "
		"  c.last_message_key_id, c.last_message_preview, "
		"  coalesce(c.beneficiary_last_read_at, 0), "
		"  (SELECT count(*) FROM message m WHERE m.conversation_id = c.id "
		"   AND m.created_at > c.counselor_last_read_at AND " INCOMING_FOR_COUNSELOR ") "
		"FROM beneficiary b JOIN structure s ON s.id = b.structure_id "
		"LEFT JOIN conversation c ON c.beneficiary_id = b.id "
		"LEFT JOIN message lm ON lm.id = c.last_message_id "
		"WHERE b.counselor_id = $1 AND b.deleted_at IS NULL%s",
		db_sql_contains(db, ar, "b.search_folded", n, 2));
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	for (int i = 0; i < n; i++)
		db_bind_text(st, 2 + i, tokens[i]);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct msg_tile));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *last = db_col_text(st, 9);
		struct msg_tile t = {
			.beneficiary_id = db_col_dup(st, ar, 0), .conversation_id = db_col_dup(st, ar, 1),
			.first_name = db_col_dup(st, ar, 2), .last_name = db_col_dup(st, ar, 3),
			.folded_name = db_col_dup(st, ar, 4), .timezone = db_col_dup(st, ar, 5),
			.activated = db_col_int64(st, 6) != 0, .followed = db_col_int64(st, 7) != 0,
			.last_message_at = db_col_int64(st, 8),
			.last_sender = last ? sender_of(last) : -1,
			.last_deleted = db_col_int64(st, 10) != 0,
			.preview_key_id = db_col_dup(st, ar, 11),
			.beneficiary_last_read_at = db_col_int64(st, 13),
			.unread = (int)db_col_int64(st, 14),
		};
		t.preview_sealed = db_col_blob_dup(st, ar, 12, &t.preview_len);
		g_array_append_val(rows, t);
	}
	db_finish(st);
	int count = (int)rows->len;
	*out = arena_alloc(ar, sizeof(struct msg_tile) * (rows->len ? rows->len : 1));
	if (rows->len)
		memcpy(*out, rows->data, sizeof(struct msg_tile) * rows->len);
	g_array_free(rows, TRUE);
	return rc < 0 ? rc : count;
}

int
messaging_store_unread_for_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM conversation c JOIN message m ON m.conversation_id = c.id "
		"WHERE c.beneficiary_id = $1 AND m.created_at > c.beneficiary_last_read_at AND "
		INCOMING_FOR_BENEFICIARY);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return (int)db_run_int(st);
}

int
messaging_store_unread_conversations(struct db *db, const char *counselor_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM beneficiary b JOIN conversation c ON c.beneficiary_id = b.id "
		"WHERE b.counselor_id = $1 AND b.deleted_at IS NULL AND EXISTS "
		"(SELECT 1 FROM message m WHERE m.conversation_id = c.id "
		" AND m.created_at > c.counselor_last_read_at AND " INCOMING_FOR_COUNSELOR ")");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return (int)db_run_int(st);
}

int
messaging_store_alerts(struct db *db, const char *counselor_id, struct msg_alerts *out)
{
	/* The per-beneficiary summary kept by the triggers of 0021_page_summaries.sql (the
	 * newest incoming message of its conversation, and whether it is unread): two seeks
	 * on covering indexes, not a subquery per conversation of the portfolio. */
	struct db_stmt *st = db_prepare(db,
		"SELECT (SELECT count(*) FROM beneficiary WHERE counselor_id = $1"
		"  AND deleted_at IS NULL AND msg_unread = 1), "
		" (SELECT coalesce(max(msg_last_incoming_at), 0) FROM beneficiary"
		"  WHERE counselor_id = $1 AND deleted_at IS NULL)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->unread_conversations = (int)db_col_int64(st, 0);
		out->last_incoming_at = db_col_int64(st, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_DB;   /* an aggregate always gives its row */
	}
	db_finish(st);
	return rc;
}

int
messaging_store_purge(struct db *db, const char *beneficiary_id)
{
	/* Children first: the foreign keys are enforced. */
	static const char *const sql[] = {
		"DELETE FROM message_edit WHERE message_id IN (SELECT m.id FROM message m "
		"  JOIN conversation c ON c.id = m.conversation_id WHERE c.beneficiary_id = $1)",
		"DELETE FROM message WHERE conversation_id IN "
		"  (SELECT id FROM conversation WHERE beneficiary_id = $1)",
		"DELETE FROM conversation WHERE beneficiary_id = $1",
	};
	return db_run_each(db, sql, sizeof(sql) / sizeof(sql[0]), beneficiary_id);
}
