/* mail_store.h — the only code that knows the mail_outbox table (DESIGN §3: SQL only in
 * *_store.c). Private to src/mail/ and its tests (and mail_store_count_unsent to the
 * test-only route of serve/ops_web.c); other features call mail.h.
 *
 * A row is a mail: its recipient, subject and dates, and its bodies while it waits. The
 * queue (due time, lease, attempts, last error) is its job, "mail:{id}", in src/jobs/.
 * The bodies are NULL once the mail is sent or given up, never before (the schema checks
 * it): what a mail server or the .eml file received is not kept twice.
 *
 * Ownership: every string read back is copied into the caller's arena; nothing here is
 * freed by the caller. Instants are Unix ms; a NULL column reads as 0 (or NULL text).
 * Functions return 0 (or a count) on success, -ERR_DB on a storage failure. */
#ifndef CEJ_MAIL_STORE_H
#define CEJ_MAIL_STORE_H

#include <stdint.h>

struct arena;
struct db;
struct mail_attachment;
struct mail_row;

/* One outbox row as stored. */
struct mail_entry {
	const char *id, *recipient, *subject;
	const char *body_text, *body_html;  /* NULL once sent or given up */
	int64_t created_at;
	int64_t sent_at;          /* 0: not sent */
	int64_t failed_at;        /* 0: not given up */
};

/* Inserts a new waiting mail. Joins the caller's transaction if one is open. */
int mail_store_insert(struct db *db, const char *id, const char *to, const char *subject,
		      const char *body_text, const char *body_html, int64_t now);

/* Joins attachment @att to waiting mail @id at @position (0, 1, …). */
int mail_store_insert_attachment(struct db *db, const char *id, int position,
				 const struct mail_attachment *att);

/* The attachments mail @id still holds (it waits), in order, as an arena array in @out.
 * Returns the count. */
int mail_store_attachments(struct db *db, struct arena *a, const char *id,
			   struct mail_attachment **out);

/* Marks waiting mail @id sent at @now and forgets its bodies and attachments. */
int mail_store_mark_sent(struct db *db, const char *id, int64_t now);

/* Marks waiting mail @id given up at @now and forgets its bodies and attachments. */
int mail_store_give_up(struct db *db, const char *id, int64_t now);

/* The latest @limit mails, newest first, as an arena array in @out. Returns the count. */
int mail_store_list(struct db *db, struct arena *a, int limit, struct mail_row **out);

/* Mails neither sent nor given up (due, held by a drain, or waiting for a retry): the e2e
 * tests' GET /_test/files-vides. The count, or -ERR_DB. */
int mail_store_count_unsent(struct db *db);

/* The whole row of mail @id in @out; -ERR_NOTFOUND when unknown. */
int mail_store_get(struct db *db, struct arena *a, const char *id, struct mail_entry *out);

#endif
