/* mail.c — the outbox's rules: enqueue, the "mail" job that sends one mail through the
 * transport, the RFC 5322 rendering of a mail and the reading back of its .eml copy. SQL
 * lives in mail_store.c, the wire in transport.c, the queue in src/jobs/. */
#include "mail/mail.h"

#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "mail/mail_store.h"
#include "mail/transport.h"

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define MAIL_KIND "mail"
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
	char key[sizeof "mail:" + UUID_STRLEN];
	char payload[sizeof "{\"id\":\"\"}" + UUID_STRLEN];
	int rc;

	if (!address_ok(to) || !subject || !body_text || !body_html)
		return -ERR_INVAL;
	id_uuid7(now, id);
	snprintf(key, sizeof key, "mail:%s", id);
	snprintf(payload, sizeof payload, "{\"id\":\"%s\"}", id);
	rc = mail_store_insert(db, id, to, subject, body_text, body_html, now);
	return rc ? rc : jobs_schedule(db, now, MAIL_KIND, key, payload, now);
}

/* The outbox id in the payload of mail job @j, or NULL. Arena-owned. */
static const char *
job_mail_id(struct arena *a, const struct job *j)
{
	json_t *root = j->payload ? json_loads(j->payload, 0, NULL) : NULL;
	const char *id = NULL;

	if (root && json_unpack(root, "{s:s}", "id", &id) == 0)
		id = arena_strdup(a, id);
	else
		id = NULL;
	json_decref(root);
	return id;
}

/* Sends the mail of job @j. Done (0) when it is sent, or no longer waiting (an earlier
 * run sent it but its outcome was lost; a row gone); negative with *@error to retry. */
static int
run_mail(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	 const char **error)
{
	/* The runner's app pointer starts with the configuration (mail.h). */
	const struct config *cfg = *(const struct config *const *)app;
	const char *id = job_mail_id(a, j);
	struct mail_entry e;
	int rc;

	if (!id) {
		log_warn("mail: job %s without an outbox id, nothing sent", j->key);
		return 0;
	}
	rc = mail_store_get(db, a, id, &e);
	if (rc == -ERR_NOTFOUND || (rc == 0 && !e.body_text))
		return 0;
	if (rc) {
		*error = "outbox unreadable";
		return rc;
	}
	const struct mail_msg m = {
		.id = e.id, .from = cfg->mail_from, .to = e.recipient, .subject = e.subject,
		.body_text = e.body_text, .body_html = e.body_html, .created_at = e.created_at,
	};
	rc = transport_send(cfg->mail_transport, a, &m, error);
	if (rc)
		return rc;
	/* Should this write fail, the job is retried and the mail sent again: at least once. */
	if (mail_store_mark_sent(db, id, now)) {
		*error = "sent, but not recorded as sent";
		return -ERR_DB;
	}
	return 0;
}

/* Given up: the outbox row says so and forgets the bodies, with the dead job. */
static int
mail_dead(void *app, struct db *db, const struct job *j, int64_t now)
{
	struct arena *a = arena_new();
	const char *id = job_mail_id(a, j);
	int rc = id ? mail_store_give_up(db, id, now) : 0;

	(void)app;
	arena_free(a);
	return rc;
}

const struct job_kind mail_job_kinds[] = {
	{MAIL_KIND, run_mail, MAIL_MAX_ATTEMPTS, MAIL_BACKOFF_MS, MAIL_LEASE_MS, mail_dead},
};
const size_t mail_job_kinds_count = sizeof(mail_job_kinds) / sizeof(mail_job_kinds[0]);

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

/* The decoded text of the base64 part of type @type ("text/html") in @eml, as
 * mail_format() writes it; NULL when there is none. Arena-owned. */
static const char *
part_of(struct arena *a, const char *eml, const char *type)
{
	const char *h = strstr(eml, arena_printf(a, "Content-Type: %s; charset=UTF-8\r\n"
						 "Content-Transfer-Encoding: base64\r\n\r\n", type));
	const char *start = h ? strstr(h, "\r\n\r\n") + 4 : NULL;
	const char *end = start ? strstr(start, "\r\n--") : NULL;
	gsize len = 0;

	if (!end)
		return NULL;
	/* g_base64_decode skips the CRLFs between lines. */
	guchar *raw = g_base64_decode(arena_strndup(a, start, (size_t)(end - start)), &len);
	const char *text = arena_strndup(a, (const char *)raw, len);
	g_free(raw);
	return text;
}

int
mail_sent_html(const char *transport, struct arena *a, const char *id, const char **html)
{
	gchar *eml = NULL;
	int rc = 0;

	*html = NULL;
	if (!g_str_has_prefix(transport, "file:") || !id_is_uuid(id))
		return -ERR_NOTFOUND;
	if (!g_file_get_contents(arena_printf(a, "%s/%s.eml", transport + strlen("file:"), id),
				 &eml, NULL, NULL)) {
		rc = -ERR_NOTFOUND;
		goto out;
	}
	*html = part_of(a, eml, "text/html");
	if (!*html)
		rc = -ERR_IO;
out:
	g_free(eml);
	return rc;
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
