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

/* Runs @sql, an UPDATE of the waiting mail $1 at $2 (sent, or given up) that forgets its
 * bodies. A mail no longer waiting is left as it is. */
static int
close_waiting(struct db *db, const char *sql, const char *id, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, sql);
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	if (db_step(st) < 0)
		rc = -ERR_DB;
out:
	db_finish(st);
	return rc;
}

#define WAITING "id = $1 AND sent_at IS NULL AND failed_at IS NULL"

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
