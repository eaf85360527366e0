/* transport.c — the file and SMTP transports, and the header fields both write. */
#include "mail/transport.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "mail/mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib.h>
#include <stdbool.h>
#include <string.h>

/* UTF-8 bytes per RFC 2047 encoded-word: 45 bytes make 60 base64 characters, and with
 * "=?UTF-8?B?" and "?=" the word stays within the 75-character limit. */
#define WORD_BYTES 45

/* A header value we may write as is: printable ASCII (no CR/LF to inject a header) and no
 * "=?" that a mail reader would try to decode. */
static bool
header_plain(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return false;
	return !strstr(s, "=?");
}

/* RFC 2047 "B" encoding, cut between characters (a word must hold whole characters). */
static const char *
encode_words(struct arena *a, const char *text)
{
	gchar *valid = g_utf8_make_valid(text, -1);
	GString *out = g_string_new(NULL);
	const char *p = valid;

	while (*p) {
		const char *end = g_utf8_next_char(p);
		while (*end && g_utf8_next_char(end) - p <= WORD_BYTES)
			end = g_utf8_next_char(end);
		gchar *b64 = g_base64_encode((const guchar *)p, (gsize)(end - p));
		g_string_append_printf(out, "%s=?UTF-8?B?%s?=", out->len ? "\r\n " : "", b64);
		g_free(b64);
		p = end;
	}
	const char *s = arena_strdup(a, out->str);
	g_string_free(out, TRUE);
	g_free(valid);
	return s;
}

/* "Name <x@y>" -> "x@y"; a bare address is returned as is. */
static const char *
addr_spec(struct arena *a, const char *s)
{
	const char *lt = strrchr(s, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	return gt ? arena_strndup(a, lt + 1, (size_t)(gt - lt - 1)) : s;
}

static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');
	return at && at[1] ? at + 1 : "localhost";
}

const char **
transport_headers(struct arena *a, const struct mail_msg *m)
{
	const char **h = arena_alloc(a, 6 * sizeof(*h));
	const char *subject = header_plain(m->subject) ? m->subject : encode_words(a, m->subject);

	h[0] = arena_printf(a, "Date: %s", clock_rfc5322(a, m->created_at));
	h[1] = arena_printf(a, "Message-ID: <%s@%s>", m->id, domain_of(addr_spec(a, m->from)));
	h[2] = arena_printf(a, "From: %s", m->from);
	h[3] = arena_printf(a, "To: %s", m->to);
	h[4] = arena_printf(a, "Subject: %s", subject);
	return h;
}

static int
file_send(const char *dir, struct arena *a, const struct mail_msg *m, const char **error)
{
	GError *gerr = NULL;
	const char *path = NULL;
	int rc = 0;

	/* The id names the file: refuse anything that could leave @dir. */
	if (!id_is_uuid(m->id)) {
		*error = "file: invalid mail id";
		rc = -ERR_INVAL;
		goto out;
	}
	/* Mails carry personal data and activation links: owner only. */
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		*error = arena_printf(a, "file: %s: %s", dir, g_strerror(errno));
		rc = -ERR_IO;
		goto out;
	}
	/* Written to a temporary name then renamed, so the demo mailbox never reads half a
	 * mail; durable because the outbox records it as sent right after. */
	path = arena_printf(a, "%s/%s.eml", dir, m->id);
	if (!g_file_set_contents_full(path, mail_format(a, m), -1,
				      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
				      0600, &gerr)) {
		*error = arena_printf(a, "file: %s", gerr->message);
		rc = -ERR_IO;
	}
out:
	g_clear_error(&gerr);
	return rc;
}

static void
add_part(curl_mime *mime, const char *data, const char *type)
{
	curl_mimepart *part = curl_mime_addpart(mime);
	curl_mime_data(part, data, CURL_ZERO_TERMINATED);
	curl_mime_type(part, type);
	curl_mime_encoder(part, "base64");
}

/* libcurl always makes the top level multipart/mixed (a Content-Type of ours would lose its
 * boundary), so the alternative is its single subpart, as in curl's smtp-mime example. */
static curl_mime *
smtp_body(CURL *curl, const struct mail_msg *m)
{
	curl_mime *mime = curl_mime_init(curl);
	curl_mime *alt = curl_mime_init(curl);
	curl_mimepart *part = curl_mime_addpart(mime);

	add_part(alt, m->body_text, "text/plain; charset=UTF-8");
	add_part(alt, m->body_html, "text/html; charset=UTF-8");
	curl_mime_subparts(part, alt);  /* @part now owns @alt */
	curl_mime_type(part, "multipart/alternative");
	/* The files after the alternative, as mail_format() places them; a file name makes
	 * libcurl write "Content-Disposition: attachment; filename=…". */
	for (int i = 0; i < m->n_attachments; i++) {
		const struct mail_attachment *att = &m->attachments[i];
		curl_mimepart *file = curl_mime_addpart(mime);
		curl_mime_data(file, att->len ? att->data : "", att->len);
		curl_mime_type(file, att->content_type);
		curl_mime_filename(file, att->filename);
		curl_mime_encoder(file, "base64");
	}
	return mime;
}

static void
smtp_options(CURL *curl, struct arena *a, const char *url, const struct mail_msg *m)
{
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", addr_spec(a, m->from)));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)TRANSPORT_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)TRANSPORT_TIMEOUT_MS);
	/* No SIGALRM for DNS timeouts: we run on a worker thread of a threaded server. */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
}

static int
smtp_send(const char *url, struct arena *a, const struct mail_msg *m, const char **error)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *curl = curl_easy_init();
	curl_mime *mime = NULL;
	struct curl_slist *rcpt = NULL, *headers = NULL;
	CURLcode res;
	int rc = 0;

	if (!curl) {
		*error = "smtp: curl_easy_init failed";
		rc = -ERR_UNAVAILABLE;
		goto out;
	}
	mime = smtp_body(curl, m);
	for (const char **h = transport_headers(a, m); *h; h++)
		headers = curl_slist_append(headers, *h);
	rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", addr_spec(a, m->to)));
	smtp_options(curl, a, url, m);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	res = curl_easy_perform(curl);
	if (res != CURLE_OK) {
		*error = arena_printf(a, "smtp: %s", errbuf[0] ? errbuf : curl_easy_strerror(res));
		rc = -ERR_UNAVAILABLE;
	}
out:
	/* The handle goes first: it sends QUIT and may still read the lists and the MIME. */
	curl_easy_cleanup(curl);
	curl_mime_free(mime);
	curl_slist_free_all(rcpt);
	curl_slist_free_all(headers);
	return rc;
}

int
transport_send(const char *spec, struct arena *a, const struct mail_msg *m, const char **error)
{
	*error = NULL;
	if (g_str_has_prefix(spec, "file:"))
		return file_send(spec + strlen("file:"), a, m, error);
	if (g_str_has_prefix(spec, "smtp://") || g_str_has_prefix(spec, "smtps://"))
		return smtp_send(spec, a, m, error);
	/* Not quoted back: the setting may hold an SMTP password. */
	*error = "unknown mail transport (expected file:DIR, smtp:// or smtps://)";
	return -ERR_INVAL;
}
