/* transport.h — how a mail leaves: a file per mail (demo, tests) or SMTP through libcurl.
 * Private to src/mail/; other features enqueue with mail.h.
 *
 * Both transports write the same header fields from transport_headers(), so the .eml
 * copy and the SMTP copy of a mail carry the same Date and Message-ID. The body layout
 * differs: libcurl's MIME API nests the text/HTML alternative inside its own
 * multipart/mixed, with or without attachments after it. Everything returned is
 * arena-owned. */
#ifndef CEJ_TRANSPORT_H
#define CEJ_TRANSPORT_H

struct arena;
struct mail_msg;

/* Send timeouts (libcurl): a drain's worst case is its batch size times the total. */
#define TRANSPORT_CONNECT_TIMEOUT_MS 5000
#define TRANSPORT_TIMEOUT_MS 30000

/* The header fields of @m, in order: Date, Message-ID, From, To, Subject, each a
 * "Name: value" string without the final CRLF (a long Subject is folded with CRLF SP).
 * NULL-terminated array. */
const char **transport_headers(struct arena *a, const struct mail_msg *m);

/* Sends @m through @spec ("file:DIR", "smtp://…" or "smtps://…"). Returns 0, or
 * -ERR_IO / -ERR_UNAVAILABLE / -ERR_INVAL with *@error set to a one-line reason for the
 * outbox's last_error. Blocks up to TRANSPORT_TIMEOUT_MS: never call it from a request
 * thread. */
int transport_send(const char *spec, struct arena *a, const struct mail_msg *m,
		   const char **error);

#endif
