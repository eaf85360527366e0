/* mail_store.c — the SQL of the outbox. Written once for SQLite and PostgreSQL. */
#include "mail/mail_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "mail/mail.h"

/* Column order read by read_entry(). */
#define ENTRY_COLUMNS "id, recipient, subject, body_text, body_html, last_error, created_at, " \
		      "next_attempt_at, sent_at, failed_at, attempts"

#define DUE "sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2"

/* The due condition is repeated outside the subquery so that, on PostgreSQL, a drain that
 * waited on a row lock re-checks the row after the other drain's lease and skips it; on
 * SQLite the enclosing BEGIN IMMEDIATE already serialises drains. */
static const char claim_sql[] =
	"UPDATE mail_outbox SET next_attempt_at = $1 "
	"WHERE id IN (SELECT id FROM mail_outbox WHERE " DUE " ORDER BY next_attempt_at LIMIT $3) "
	"AND " DUE " RETURNING " ENTRY_COLUMNS;

static void
read_entry(struct db_stmt *st, struct arena *a, struct mail_entry *e)
{
	e->id = db_col_dup(st, a, 0);
	e->recipient = db_col_dup(st, a, 1);
	e->subject = db_col_dup(st, a, 2);
	e->body_text = db_col_dup(st, a, 3);
	e->body_html = db_col_dup(st, a, 4);
	e->last_error = db_col_dup(st, a, 5);
	e->created_at = db_col_int64(st, 6);
	e->next_attempt_at = db_col_int64(st, 7);
	e->sent_at = db_col_int64(st, 8);
	e->failed_at = db_col_int64(st, 9);
	e->attempts = (int)db_col_int64(st, 10);
}

int
mail_store_insert(struct db *db, const char *id, const char *to, const char *subject,
		  const char *body_text, const char *body_html, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, "INSERT INTO mail_outbox (id, recipient, subject, body_text, body_html, "
			    "created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)");
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
mail_store_claim(struct db *db, struct arena *a, int64_t now, int64_t lease_until, int max,
		 struct mail_entry **out)
{
	struct mail_entry *rows = arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof(*rows));
	struct db_stmt *st = NULL;
	int n = 0;
	int rc = 0;

	*out = rows;
	if (max <= 0)
		goto out;
	rc = db_tx_begin(db);
	if (rc)
		goto out;
	st = db_prepare(db, claim_sql);
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_int64(st, 1, lease_until);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, max);
	while (n < max && (rc = db_step(st)) == DB_ROW)
		read_entry(st, a, &rows[n++]);
	rc = rc < 0 ? -ERR_DB : 0;
	/* SQLite refuses to commit while the statement is still active. */
	db_finish(st);
	st = NULL;
	if (!rc)
		rc = db_tx_commit(db);
out:
	db_finish(st);
	if (rc)
		db_tx_rollback(db);
	return rc ? rc : n;
}

int
mail_store_mark_sent(struct db *db, const char *id, int64_t now, bool keep_bodies)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, keep_bodies
		? "UPDATE mail_outbox SET sent_at = $2, last_error = NULL WHERE id = $1"
		: "UPDATE mail_outbox SET sent_at = $2, last_error = NULL, body_text = '', "
		  "body_html = '' WHERE id = $1");
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

int
mail_store_mark_failed(struct db *db, const char *id, int attempts, int64_t next_attempt_at,
		       int64_t failed_at, const char *error)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	st = db_prepare(db, "UPDATE mail_outbox SET attempts = $2, next_attempt_at = $3, "
			    "failed_at = $4, last_error = $5 WHERE id = $1");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, attempts);
	db_bind_int64(st, 3, next_attempt_at);
	if (failed_at)
		db_bind_int64(st, 4, failed_at);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, error);
	if (db_step(st) < 0)
		rc = -ERR_DB;
out:
	db_finish(st);
	return rc;
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
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM mail_outbox WHERE recipient = (SELECT email FROM beneficiary WHERE id = $1)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
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
