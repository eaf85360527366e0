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

/* A file name we may write in a header as is, quoted: no quote, no path, no encoding. */
static bool
filename_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 100 || s[0] == '.')
		return false;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("._-", *p))
			return false;
	return true;
}

/* A Content-Type value that cannot end its header line nor break the quoting. */
static bool
content_type_ok(const char *s)
{
	if (!s || !strchr(s, '/'))
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '"' || *p == '\\')
			return false;
	return true;
}

static bool
attachments_ok(const struct mail_attachment *att, int n)
{
	if (n < 0 || n > MAIL_ATTACHMENTS_MAX || (n && !att))
		return false;
	for (int i = 0; i < n; i++)
		if (!filename_ok(att[i].filename) || !content_type_ok(att[i].content_type) ||
		    (!att[i].data && att[i].len) || att[i].len > MAIL_ATTACHMENT_MAX_BYTES)
			return false;
	return true;
}

int
mail_enqueue_with(struct db *db, int64_t now, const char *to, const char *subject,
		  const char *body_text, const char *body_html,
		  const struct mail_attachment *att, int n)
{
	char id[UUID_STRLEN + 1];
	char key[sizeof "mail:" + UUID_STRLEN];
	char payload[sizeof "{\"id\":\"\"}" + UUID_STRLEN];
	int rc;

	if (!address_ok(to) || !subject || !body_text || !body_html || !attachments_ok(att, n))
		return -ERR_INVAL;
	id_uuid7(now, id);
	snprintf(key, sizeof key, "mail:%s", id);
	snprintf(payload, sizeof payload, "{\"id\":\"%s\"}", id);
	rc = mail_store_insert(db, id, to, subject, body_text, body_html, now);
	for (int i = 0; !rc && i < n; i++)
		rc = mail_store_insert_attachment(db, id, i, &att[i]);
	return rc ? rc : jobs_schedule(db, now, MAIL_KIND, key, payload, now);
}

int
mail_enqueue(struct db *db, int64_t now, const char *to, const char *subject,
	     const char *body_text, const char *body_html)
{
	return mail_enqueue_with(db, now, to, subject, body_text, body_html, NULL, 0);
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
	struct mail_attachment *att;
	int n_att = mail_store_attachments(db, a, id, &att);
	if (n_att < 0) {
		*error = "outbox unreadable";
		return n_att;
	}
	const struct mail_msg m = {
		.id = e.id, .from = cfg->mail_from, .to = e.recipient, .subject = e.subject,
		.body_text = e.body_text, .body_html = e.body_html, .created_at = e.created_at,
		.attachments = att, .n_attachments = n_att,
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
append_base64(GString *s, const void *data, size_t n)
{
	gchar *b64 = g_base64_encode(data, n);
	size_t len = strlen(b64);

	for (size_t i = 0; i < len; i += BASE64_LINE) {
		g_string_append_len(s, b64 + i, (gssize)MIN(BASE64_LINE, len - i));
		g_string_append(s, "\r\n");
	}
	g_free(b64);
}

static void
append_part(GString *s, const char *boundary, const char *type, const char *body)
{
	g_string_append_printf(s, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
			       "Content-Transfer-Encoding: base64\r\n\r\n", boundary, type);
	append_base64(s, body, strlen(body));
}

/* The header lines of an attachment's part, in the order mail_attachments() reads them
 * back. */
#define ATTACHMENT_HEAD "Content-Type: %s\r\nContent-Disposition: attachment; filename=\"%s\"\r\n" \
			"Content-Transfer-Encoding: base64\r\n\r\n"

static void
append_attachment(GString *s, const char *boundary, const struct mail_attachment *att)
{
	g_string_append_printf(s, "--%s\r\n" ATTACHMENT_HEAD, boundary, att->content_type,
			       att->filename);
	append_base64(s, att->data, att->len);
}

/* The text/HTML alternative, its own entity, under @boundary. */
static void
append_alternative(GString *s, const char *boundary, const struct mail_msg *m)
{
	append_part(s, boundary, "text/plain", m->body_text);
	append_part(s, boundary, "text/html", m->body_html);
	g_string_append_printf(s, "--%s--\r\n", boundary);
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
	g_string_append(s, "MIME-Version: 1.0\r\n");
	if (m->n_attachments <= 0) {
		g_string_append_printf(s, "Content-Type: multipart/alternative; boundary=\"%s\""
				       "\r\n\r\n", boundary);
		append_alternative(s, boundary, m);
	} else {
		/* The mixed entity: the alternative first, then the files. */
		char *inner = arena_printf(a, "%s_alt", boundary);
		g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
				       "--%s\r\nContent-Type: multipart/alternative; boundary=\"%s\""
				       "\r\n\r\n", boundary, boundary, inner);
		append_alternative(s, inner, m);
		for (int i = 0; i < m->n_attachments; i++)
			append_attachment(s, boundary, &m->attachments[i]);
		g_string_append_printf(s, "--%s--\r\n", boundary);
	}

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

/* The attachments of @eml as append_attachment() wrote them, into @list (at most
 * MAIL_ATTACHMENTS_MAX). The count. */
static int
attachments_of(struct arena *a, const char *eml, struct mail_attachment *list)
{
	static const char mark[] = "\r\nContent-Disposition: attachment; filename=\"";
	const char *p = eml;
	int n = 0;

	while (n < MAIL_ATTACHMENTS_MAX && (p = strstr(p, mark))) {
		/* The Content-Type line is the one before. */
		const char *line = p;
		while (line > eml && line[-1] != '\n')
			line--;
		const char *name = p + strlen(mark), *quote = strchr(name, '"');
		const char *start = quote ? strstr(quote, "\r\n\r\n") : NULL;
		const char *end = start ? strstr(start + 4, "\r\n--") : NULL;
		if (!g_str_has_prefix(line, "Content-Type: ") || !end)
			break;
		gsize len = 0;
		guchar *raw = g_base64_decode(arena_strndup(a, start + 4, (size_t)(end - start - 4)),
					      &len);
		struct mail_attachment *m = &list[n++];
		m->content_type = arena_strndup(a, line + strlen("Content-Type: "),
						(size_t)(p - line - strlen("Content-Type: ")));
		m->filename = arena_strndup(a, name, (size_t)(quote - name));
		m->data = arena_strndup(a, (const char *)raw, len);   /* NUL-ended for a text */
		m->len = len;
		g_free(raw);
		p = end;
	}
	return n;
}

int
mail_attachments(struct db *db, const char *transport, struct arena *a, const char *id,
		 struct mail_attachment **out)
{
	gchar *eml = NULL;
	int n = mail_store_attachments(db, a, id, out);

	/* A waiting mail holds its files; a sent one's are in its .eml copy only. */
	if (n != 0 || !g_str_has_prefix(transport, "file:") || !id_is_uuid(id))
		return n;
	if (g_file_get_contents(arena_printf(a, "%s/%s.eml", transport + strlen("file:"), id),
				&eml, NULL, NULL))
		n = attachments_of(a, eml, *out);
	g_free(eml);
	return n;
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
