/* mail_store.h — the only code that knows the mail_outbox table (DESIGN §3: SQL only in
 * *_store.c). Private to src/mail/ and its tests (and mail_store_count_unsent to the
 * test-only route of serve/ops_web.c); other features call mail.h.
 *
 * Ownership: every string read back is copied into the caller's arena; nothing here is
 * freed by the caller. Instants are Unix ms; a NULL column reads as 0 (or NULL text).
 * Functions return 0 (or a count) on success, -ERR_DB on a storage failure. */
#ifndef CEJ_MAIL_STORE_H
#define CEJ_MAIL_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct mail_row;

/* One outbox row as stored. */
struct mail_entry {
	const char *id, *recipient, *subject, *body_text, *body_html;
	const char *last_error;   /* NULL: no failure, or the last attempt succeeded */
	int64_t created_at;
	int64_t next_attempt_at;  /* due time; a lease while a drain is sending it */
	int64_t sent_at;          /* 0: not sent */
	int64_t failed_at;        /* 0: not given up */
	int attempts;             /* failed attempts so far */
};

/* Inserts a new due mail (attempts 0, next_attempt_at = created_at). Joins the caller's
 * transaction if one is open. */
int mail_store_insert(struct db *db, const char *id, const char *to, const char *subject,
		      const char *body_text, const char *body_html, int64_t now);

/* Claims up to @max mails due at @now by moving their next_attempt_at to @lease_until,
 * in one write transaction, so that a concurrent drain (another thread or node) cannot
 * claim them until the lease ends. Returns the count and an arena array in @out (only
 * id, recipient, subject, bodies, created_at and attempts are filled). Must be called
 * outside any open transaction. */
int mail_store_claim(struct db *db, struct arena *a, int64_t now, int64_t lease_until,
		     int max, struct mail_entry **out);

/* Records a successful send of mail @id at @now. */
/* Marks mail @id sent at @now; without @keep_bodies its text and HTML are blanked. */
int mail_store_mark_sent(struct db *db, const char *id, int64_t now, bool keep_bodies);

/* Records a failed attempt: @attempts failures so far, @error, and either the next try
 * at @next_attempt_at or, when @failed_at is not 0, that we gave up. */
int mail_store_mark_failed(struct db *db, const char *id, int attempts, int64_t next_attempt_at,
			   int64_t failed_at, const char *error);

/* The latest @limit mails, newest first, as an arena array in @out. Returns the count. */
int mail_store_list(struct db *db, struct arena *a, int limit, struct mail_row **out);

/* Mails neither sent nor given up (due, held by a drain, or waiting for a retry): the e2e
 * tests' GET /_test/files-vides. The count, or -ERR_DB. */
int mail_store_count_unsent(struct db *db);

/* The whole row of mail @id in @out; -ERR_NOTFOUND when unknown. */
int mail_store_get(struct db *db, struct arena *a, const char *id, struct mail_entry *out);

#endif
