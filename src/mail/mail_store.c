/* mail_store.c — the SQL of the outbox. Written once for SQLite and PostgreSQL. */
#include "mail/mail_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "mail/mail.h"

/* Column order read by read_entry(). */
#define ENTRY_COLUMNS "id, recipient, subject, body_text, body_html, created_at, sent_at, " \
		      "failed_at"

static void
read_entry(struct db_stmt *st, struct arena *a, struct mail_entry *e)
{
	e->id = db_col_dup(st, a, 0);
	e->recipient = db_col_dup(st, a, 1);
	e->subject = db_col_dup(st, a, 2);
	e->body_text = db_col_dup(st, a, 3);
	e->body_html = db_col_dup(st, a, 4);
	e->created_at = db_col_int64(st, 5);
	e->sent_at = db_col_int64(st, 6);
	e->failed_at = db_col_int64(st, 7);
}

int
mail_store_insert(struct db *db, const char *id, const char *to, const char *subject,
		  const char *body_text, const char *body_html, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, "INSERT INTO mail_outbox (id, recipient, subject, body_text, body_html, "
			    "created_at) VALUES ($1, $2, $3, $4, $5, $6)");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, subject);
	db_bind_text(st, 4, body_text);
	db_bind_text(st, 5, body_html);
	db_bind_int64(st, 6, now);
	if (db_step(st) < 0)
		rc = -ERR_DB;
out:
	db_finish(st);
	return rc;
}

int
mail_store_insert_attachment(struct db *db, const char *id, int position,
			     const struct mail_attachment *att)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO mail_attachment (mail_id, position, "
					    "filename, content_type, data) VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, position);
	db_bind_text(st, 3, att->filename);
	db_bind_text(st, 4, att->content_type);
	/* An empty file is still a value: a NULL pointer would bind NULL. */
	db_bind_blob(st, 5, att->len ? att->data : "", att->len);
	return db_run(st) < 0 ? -ERR_DB : 0;
}

int
mail_store_attachments(struct db *db, struct arena *a, const char *id,
		       struct mail_attachment **out)
{
	struct mail_attachment *list = arena_alloc(a, MAIL_ATTACHMENTS_MAX * sizeof(*list));
	struct db_stmt *st = db_prepare(db, "SELECT filename, content_type, data FROM "
					    "mail_attachment WHERE mail_id = $1 ORDER BY position");
	int n = 0, rc = 0;

	*out = list;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	while (n < MAIL_ATTACHMENTS_MAX && (rc = db_step(st)) == DB_ROW) {
		struct mail_attachment *m = &list[n++];
		m->filename = db_col_dup(st, a, 0);
		m->content_type = db_col_dup(st, a, 1);
		m->data = db_col_blob_dup(st, a, 2, &m->len);
		if (!m->data)
			m->data = "";
	}
	db_finish(st);
	return rc < 0 ? -ERR_DB : n;
}

#define WAITING "id = $1 AND sent_at IS NULL AND failed_at IS NULL"

/* Runs @sql, an UPDATE of the waiting mail $1 at $2 (sent, or given up) that forgets its
 * bodies, then forgets its attachments. A mail no longer waiting is left as it is. In
 * this order: should the second write fail, a sent mail keeps its files a while longer,
 * and a waiting one never loses them. */
static int
close_waiting(struct db *db, const char *sql, const char *id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	if (db_run(st) < 0)
		return -ERR_DB;
	st = db_prepare(db, "DELETE FROM mail_attachment WHERE mail_id = $1 AND EXISTS (SELECT 1 "
			    "FROM mail_outbox WHERE id = $1 AND (sent_at IS NOT NULL OR failed_at IS "
			    "NOT NULL))");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	return db_run(st) < 0 ? -ERR_DB : 0;
}

int
mail_store_mark_sent(struct db *db, const char *id, int64_t now)
{
	return close_waiting(db, "UPDATE mail_outbox SET sent_at = $2, body_text = NULL, "
			     "body_html = NULL WHERE " WAITING, id, now);
}

int
mail_store_give_up(struct db *db, const char *id, int64_t now)
{
	return close_waiting(db, "UPDATE mail_outbox SET failed_at = $2, body_text = NULL, "
			     "body_html = NULL WHERE " WAITING, id, now);
}

int
mail_store_list(struct db *db, struct arena *a, int limit, struct mail_row **out)
{
	struct mail_row *rows = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*rows));
	struct db_stmt *st = NULL;
	int n = 0;
	int rc = 0;

	*out = rows;
	st = db_prepare(db, "SELECT id, recipient, subject, body_html, created_at, sent_at "
			    "FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT $1");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_int64(st, 1, limit > 0 ? limit : 0);
	while (n < limit && (rc = db_step(st)) == DB_ROW) {
		struct mail_row *r = &rows[n++];
		r->id = db_col_dup(st, a, 0);
		r->recipient = db_col_dup(st, a, 1);
		r->subject = db_col_dup(st, a, 2);
		r->body_html = db_col_dup(st, a, 3);
		r->created_at = db_col_int64(st, 4);
		r->sent_at = db_col_int64(st, 5);
	}
	rc = rc < 0 ? -ERR_DB : 0;
out:
	db_finish(st);
	return rc ? rc : n;
}

int
mail_store_get(struct db *db, struct arena *a, const char *id, struct mail_entry *out)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, "SELECT " ENTRY_COLUMNS " FROM mail_outbox WHERE id = $1");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		read_entry(st, a, out);
		rc = 0;
	} else {
		rc = rc == DB_DONE ? -ERR_NOTFOUND : -ERR_DB;
	}
out:
	db_finish(st);
	return rc;
}

/* Declared in mail.h. */
int
mail_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	/* Each mail's job (mail:{id}) first: it would send a mail that no longer exists. */
	static const char *const sql[] = {
		"DELETE FROM job WHERE key IN (SELECT 'mail:' || id FROM mail_outbox WHERE recipient = "
		"(SELECT email FROM beneficiary WHERE id = $1))",
		"DELETE FROM mail_attachment WHERE mail_id IN (SELECT id FROM mail_outbox WHERE "
		"recipient = (SELECT email FROM beneficiary WHERE id = $1))",
		"DELETE FROM mail_outbox WHERE recipient = (SELECT email FROM beneficiary WHERE id = $1)",
	};
	return db_run_each(db, sql, sizeof(sql) / sizeof(sql[0]), beneficiary_id);
}

int
mail_store_count_unsent(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM mail_outbox "
					    "WHERE sent_at IS NULL AND failed_at IS NULL");
	int rc = -ERR_DB;

	if (st && db_step(st) == DB_ROW)
		rc = (int)db_col_int64(st, 0);
	db_finish(st);
	return rc;
}
