/* mail.h — outgoing e-mail (DESIGN §6): a mail is written to the outbox in the same
 * transaction as the change that causes it, and sent by the job runner (src/jobs/) as a
 * job of kind "mail", through a transport chosen by configuration:
 *   file:DIR             one .eml file per mail in DIR (default file:var/outbox)
 *   smtp://host:port     SMTP through libcurl (smtps:// for TLS; user:pass@ allowed)
 * Mail never leaves from a request thread.
 *
 * Guarantees:
 * - A mail leaves only if the change that caused it commits (mail_enqueue joins the
 *   caller's transaction), and then promptly: wake the runner after the commit
 *   (jobs_runner_wake), or it looks within a second.
 * - At least once, never lost. The job queue's lease means one runner sends a mail at a
 *   time; a runner that dies after the transport accepted a mail but before recording it
 *   sent leaves the mail to be sent again when the lease ends (the recipient may get it
 *   twice, with the same Message-ID).
 * - A failed send is retried after 30 s × 2^(n-1) (n the attempts so far, at most 1 h);
 *   after the 8th failure, or when its runs keep dying, the mail is given up: its job
 *   stays dead with the last error, its outbox row with failed_at, for support.
 * - The bodies (activation and reset links) are kept only while the mail waits: sending
 *   it or giving it up forgets them in the same write. The recipient, subject and dates
 *   stay (the demo mailbox lists them); the file transport's .eml copy, in an owner-only
 *   directory, is what the demo mailbox shows of a sent mail. */
#ifndef CEJ_MAIL_H
#define CEJ_MAIL_H

#include "jobs/jobs.h"

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

#define MAIL_MAX_ATTEMPTS 8
#define MAIL_BACKOFF_MS (30 * 1000)          /* after the first failure, then doubled */
#define MAIL_LEASE_MS (5 * 60 * 1000)        /* well above one send's longest (transport.h) */

/* A file joined to a mail (an invitation's invitation.ics): sent as a base64 part with
 * "Content-Disposition: attachment", after the text/HTML alternative. */
struct mail_attachment {
	const char *filename;      /* 1..100 characters of [A-Za-z0-9._-] */
	const char *content_type;  /* the whole value: "text/calendar; method=REQUEST;
				    * charset=UTF-8" — printable ASCII, no '"' nor '\\' */
	const void *data;
	size_t len;                /* at most MAIL_ATTACHMENT_MAX_BYTES */
};
#define MAIL_ATTACHMENTS_MAX 4
#define MAIL_ATTACHMENT_MAX_BYTES (1024 * 1024)

struct mail_msg {
	const char *id;           /* outbox id (UUIDv7) */
	const char *from;
	const char *to;
	const char *subject;      /* UTF-8; encoded per RFC 2047 when not ASCII */
	const char *body_text;
	const char *body_html;
	int64_t created_at;       /* ms; gives the Date header */
	const struct mail_attachment *attachments;   /* NULL when @n_attachments is 0 */
	int n_attachments;
};

/* Adds a mail to the outbox and plans its job "mail:{id}", due at @now. Call inside the
 * caller's write transaction so the mail exists if and only if the change committed; wake
 * the job runner after the commit. All strings are copied. 0, -ERR_DB, or -ERR_INVAL when
 * @to is not one bare address (no display name, no list, no control character) or a text
 * is NULL. */
int mail_enqueue(struct db *db, int64_t now, const char *to, const char *subject,
		 const char *body_text, const char *body_html);
/* mail_enqueue() with @n (0..MAIL_ATTACHMENTS_MAX) attachments @att, copied into the
 * outbox with the mail and forgotten with its bodies once it is sent or given up (the
 * .eml copy keeps them: mail_attachments()). -ERR_INVAL also for an attachment outside
 * the limits of struct mail_attachment. */
int mail_enqueue_with(struct db *db, int64_t now, const char *to, const char *subject,
		      const char *body_text, const char *body_html,
		      const struct mail_attachment *att, int n);

/* The outbox's part of an account's deletion and archive (beneficiaries.md §9): every
 * mail addressed to the e-mail of beneficiary @beneficiary_id, sent or not (their texts
 * name the beneficiary). In the caller's transaction, while the beneficiary row still
 * exists; a mail the deletion itself sends (ACCOUNT_ARCHIVED) is enqueued after it. 0 or
 * -ERR_DB. */
int mail_purge_beneficiary(struct db *db, const char *beneficiary_id);

/* The job kind that sends mails, for the runner's table. The runner's app pointer must
 * point to a struct whose first member is the `const struct config *` (the transport and
 * the From address): the server's struct ctx is (core/ctx.h), and mail, below core,
 * need not know it. The handler blocks on the transport (transport.h). */
extern const struct job_kind mail_job_kinds[];
extern const size_t mail_job_kinds_count;

/* Renders @m as an RFC 5322 message (Date, Message-ID, From, To, Subject, MIME-Version,
 * multipart/alternative text + HTML, UTF-8, base64 parts — inside a multipart/mixed
 * followed by one base64 part per attachment when @m has some), CRLF line endings. Date and
 * Message-ID (<id@domain of From>) are the ones the SMTP transport sends. Arena-owned.
 * Used by the file transport and the tests. */
char *mail_format(struct arena *a, const struct mail_msg *m);

/* The demo mailbox (file transport only): the latest mails. */
struct mail_row {
	const char *id, *recipient, *subject;
	const char *body_html;        /* NULL once sent or given up: see mail_sent_html() */
	int64_t created_at, sent_at;  /* sent_at 0: not sent (yet, or given up) */
};
/* Lists up to @limit mails (sent or not), newest first, into @out (arena array); returns
 * the count or -ERR_DB. Strings are arena-owned; only body_html may be NULL. */
int mail_list(struct db *db, struct arena *a, int limit, struct mail_row **out);
/* One mail by id; -ERR_NOTFOUND when unknown. */
int mail_get(struct db *db, struct arena *a, const char *id, struct mail_row *out);
/* The HTML body of the sent mail @id, decoded from the .eml file the file transport
 * @transport ("file:DIR") wrote, into *@html (arena-owned). -ERR_NOTFOUND when there is
 * no such file (not sent, another transport, or not a valid id); -ERR_IO when it does not
 * read as a mail of ours. */
int mail_sent_html(const char *transport, struct arena *a, const char *id, const char **html);
/* The attachments of mail @id, in order, into *@out (arena array and copies): from the
 * outbox while it waits, else from the .eml file the file transport @transport wrote.
 * The count (0: none, or not readable back: another transport, a file gone), or -ERR_DB. */
int mail_attachments(struct db *db, const char *transport, struct arena *a, const char *id,
		     struct mail_attachment **out);

#endif
