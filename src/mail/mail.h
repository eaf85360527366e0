/* mail.h — outgoing e-mail: an outbox table written in the same transaction as the change
 * that causes the mail (DESIGN §6), drained by a background worker with retries and
 * backoff, through a transport chosen by configuration:
 *   file:DIR             one .eml file per mail in DIR (default file:var/outbox)
 *   smtp://host:port     SMTP through libcurl (smtps:// for TLS; user:pass@ allowed)
 * Mail never leaves from a request thread. */
#ifndef CEJ_MAIL_H
#define CEJ_MAIL_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct config;
struct db;

struct mail_msg {
	const char *id;           /* outbox id (UUIDv7) */
	const char *from;
	const char *to;
	const char *subject;      /* UTF-8; encoded per RFC 2047 when not ASCII */
	const char *body_text;
	const char *body_html;
	int64_t created_at;       /* ms; gives the Date header */
};

/* Adds a mail to the outbox, due at @now. Call inside the caller's write transaction so the
 * mail exists if and only if the change committed. All strings are copied. 0, -ERR_DB, or
 * -ERR_INVAL when @to is not one bare address (no display name, no list, no control
 * character) or a text is NULL. */
int mail_enqueue(struct db *db, int64_t now, const char *to, const char *subject,
		 const char *body_text, const char *body_html);

/* The outbox's part of an account's deletion and archive (beneficiaries.md §9): every
 * mail addressed to the e-mail of beneficiary @beneficiary_id, sent or not (their texts
 * name the beneficiary). In the caller's transaction, while the beneficiary row still
 * exists; a mail the deletion itself sends (ACCOUNT_ARCHIVED) is enqueued after it. 0 or
 * -ERR_DB. */
int mail_purge_beneficiary(struct db *db, const char *beneficiary_id);

/* Sends the mails due at @now (at most @max), recording success or the next attempt:
 * backoff 30 s × 2^attempts capped at 1 h, given up (failed_at, log_warn) after 8 attempts.
 * Mails are first claimed with a lease in one write transaction, so concurrent drains
 * (threads or nodes) never send the same mail twice; a drain that dies mid-batch leaves
 * its mails to be sent again when the lease ends (at least once, never lost). Must be
 * called outside any transaction on @db; blocks on the transport. Returns the number
 * sent, or -ERR_DB. */
int mail_drain(const struct config *cfg, struct db *db, int64_t now, int max);

/* Renders @m as an RFC 5322 message (Date, Message-ID, From, To, Subject, MIME-Version,
 * multipart/alternative text + HTML, UTF-8, base64 parts), CRLF line endings. Date and
 * Message-ID (<id@domain of From>) are the ones the SMTP transport sends. Arena-owned.
 * Used by the file transport and the tests. */
char *mail_format(struct arena *a, const struct mail_msg *m);

/* The background drain thread of `cej serve`: drains every second and when woken, on its
 * own connection to cfg->db_path. @cfg must outlive the worker. libcurl's global init is
 * main's job, before any thread starts. */
struct mail_worker;
struct mail_worker *mail_worker_start(const struct config *cfg);
void mail_worker_wake(struct mail_worker *w);
void mail_worker_stop(struct mail_worker *w);  /* finishes the current batch; NULL ok */

/* The demo mailbox (file transport only): the latest sent mails. */
struct mail_row {
	const char *id, *recipient, *subject, *body_html;
	int64_t created_at, sent_at;  /* sent_at 0: not sent yet */
};
/* Lists up to @limit mails (sent or not), newest first, into @out (arena array); returns
 * the count or -ERR_DB. Strings are arena-owned and never NULL. */
int mail_list(struct db *db, struct arena *a, int limit, struct mail_row **out);
/* One mail by id; -ERR_NOTFOUND when unknown. */
int mail_get(struct db *db, struct arena *a, const char *id, struct mail_row *out);

#endif
