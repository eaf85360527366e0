/* mail.c — the outbox's rules: enqueue, drain with retries and backoff, the RFC 5322
 * rendering of a mail, and the background worker. SQL lives in mail_store.c, the wire in
 * transport.c. */
#include "mail/mail.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/ticker.h"
#include "db/db.h"
#include "mail/mail_store.h"
#include "mail/transport.h"

#include <glib.h>
#include <string.h>

#define MAIL_MAX_ATTEMPTS 8
#define RETRY_BASE_MS 30000               /* 30 s, doubled after each failure */
#define RETRY_CAP_MS (60 * 60 * 1000)     /* 1 h */
#define LEASE_MS (5 * 60 * 1000)
#define WORKER_BATCH 20
#define BASE64_LINE 76                    /* RFC 2045 line length */

/* One address, nothing that could add a header or a second recipient. */
static bool
address_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	if (!at || at == s || !at[1])
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("<>,;\"", *p))
			return false;
	return true;
}

int
mail_enqueue(struct db *db, int64_t now, const char *to, const char *subject,
	     const char *body_text, const char *body_html)
{
	char id[UUID_STRLEN + 1];

	if (!address_ok(to) || !subject || !body_text || !body_html)
		return -ERR_INVAL;
	id_uuid7(now, id);
	return mail_store_insert(db, id, to, subject, body_text, body_html, now);
}

/* Delay before the next try after @failures earlier failures: 30 s × 2^failures, ≤ 1 h. */
static int64_t
retry_delay_ms(int failures)
{
	int64_t d = RETRY_BASE_MS;
	for (int i = 0; i < failures && d < RETRY_CAP_MS; i++)
		d *= 2;
	return d < RETRY_CAP_MS ? d : RETRY_CAP_MS;
}

static int
record_failure(struct db *db, const struct mail_entry *e, int64_t now, const char *error)
{
	int attempts = e->attempts + 1;
	int64_t failed_at = attempts >= MAIL_MAX_ATTEMPTS ? now : 0;

	if (failed_at)
		log_warn("mail %s: given up after %d attempts: %s", e->id, attempts, error);
	else
		log_info("mail %s: attempt %d failed: %s", e->id, attempts, error);
	return mail_store_mark_failed(db, e->id, attempts, now + retry_delay_ms(e->attempts),
				      failed_at, error);
}

/* 1 when sent, 0 when the failure is recorded for a retry, or -ERR_DB. */
static int
send_one(const struct config *cfg, struct db *db, struct arena *a, const struct mail_entry *e,
	 int64_t now)
{
	const struct mail_msg m = {
		.id = e->id, .from = cfg->mail_from, .to = e->recipient, .subject = e->subject,
		.body_text = e->body_text, .body_html = e->body_html, .created_at = e->created_at,
	};
	const char *error = NULL;
	int rc = transport_send(cfg->mail_transport, a, &m, &error);

	/* Once handed to a mail server, the bodies (which may hold an account link) are no
	 * longer kept; the file transport keeps them for the demo mailbox. */
	bool keep = g_str_has_prefix(cfg->mail_transport, "file:");
	if (rc == 0)
		rc = mail_store_mark_sent(db, e->id, now, keep) ? -ERR_DB : 1;
	else
		rc = record_failure(db, e, now, error ? error : "unknown error") ? -ERR_DB : 0;
	return rc;
}

int
mail_drain(const struct config *cfg, struct db *db, int64_t now, int max)
{
	struct arena *a = arena_new();
	struct mail_entry *due = NULL;
	int sent = 0;
	int rc = 0;

	/* The lease outlasts a batch whose every send times out, so no other drain takes a
	 * mail of this batch before we try it. A crash mid-batch resends after the lease. */
	int64_t lease_until = now + LEASE_MS + (int64_t)max * TRANSPORT_TIMEOUT_MS;
	int n = mail_store_claim(db, a, now, lease_until, max, &due);
	if (n < 0) {
		rc = n;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		rc = send_one(cfg, db, a, &due[i], now);
		if (rc < 0)
			goto out;
		sent += rc;
	}
	rc = sent;
out:
	arena_free(a);
	return rc;
}

static void
append_part(GString *s, const char *boundary, const char *type, const char *body)
{
	gchar *b64 = g_base64_encode((const guchar *)body, strlen(body));
	size_t len = strlen(b64);

	g_string_append_printf(s, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
			       "Content-Transfer-Encoding: base64\r\n\r\n", boundary, type);
	for (size_t i = 0; i < len; i += BASE64_LINE) {
		g_string_append_len(s, b64 + i, (gssize)MIN(BASE64_LINE, len - i));
		g_string_append(s, "\r\n");
	}
	g_free(b64);
}

char *
mail_format(struct arena *a, const struct mail_msg *m)
{
	/* "=_" never occurs in base64, so no body line can match the boundary; the random
	 * part keeps it unique should a mail ever be nested in another. */
	char *boundary = arena_printf(a, "=_cej_%08x%08x", g_random_int(), g_random_int());
	GString *s = g_string_new(NULL);

	for (const char **h = transport_headers(a, m); *h; h++)
		g_string_append_printf(s, "%s\r\n", *h);
	g_string_append_printf(s, "MIME-Version: 1.0\r\n"
			       "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n",
			       boundary);
	append_part(s, boundary, "text/plain", m->body_text);
	append_part(s, boundary, "text/html", m->body_html);
	g_string_append_printf(s, "--%s--\r\n", boundary);

	char *out = g_string_free(s, FALSE);
	arena_defer(a, g_free, out);
	return out;
}

struct mail_worker {
	const struct config *cfg;
	struct ticker *ticker;
};

/* One round: a batch of due mails. A full batch means more may be due: look again at
 * once; otherwise sleep a second, or until woken. */
static gint64
worker_round(struct ticker *t, void *p)
{
	struct mail_worker *w = p;
	(void)t;
	/* This thread's own connection, closed by db.c when the thread exits. */
	struct db *db = db_thread(w->cfg->db_path);
	int n = db ? mail_drain(w->cfg, db, clock_now_ms(), WORKER_BATCH) : -ERR_DB;
	if (n < 0)
		log_error("mail: drain failed (%d)", n);
	return n == WORKER_BATCH ? 0 : G_TIME_SPAN_SECOND;
}

struct mail_worker *
mail_worker_start(const struct config *cfg)
{
	struct mail_worker *w = g_new0(struct mail_worker, 1);
	w->cfg = cfg;
	w->ticker = ticker_start("mail", worker_round, w);
	return w;
}

void
mail_worker_wake(struct mail_worker *w)
{
	if (w)
		ticker_wake(w->ticker);
}

void
mail_worker_stop(struct mail_worker *w)
{
	if (!w)
		return;
	ticker_stop(w->ticker);
	g_free(w);
}

int
mail_list(struct db *db, struct arena *a, int limit, struct mail_row **out)
{
	return mail_store_list(db, a, limit, out);
}

int
mail_get(struct db *db, struct arena *a, const char *id, struct mail_row *out)
{
	struct mail_entry e;
	int rc = mail_store_get(db, a, id, &e);

	if (rc == 0)
		*out = (struct mail_row){
			.id = e.id, .recipient = e.recipient, .subject = e.subject,
			.body_html = e.body_html, .created_at = e.created_at, .sent_at = e.sent_at,
		};
	return rc;
}
