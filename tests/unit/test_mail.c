/* test_mail.c — the outbox: rendering, enqueue and drain through the file and SMTP
 * transports, retries with backoff, giving up, claiming, the demo mailbox queries and the
 * worker. Each test gets a fresh temporary directory holding its database and outbox. */
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "mail/mail.h"
#include "mail/mail_store.h"
#include "mail/transport.h"

#include <arpa/inet.h>
#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Fri, 28 Nov 2025 21:54:11.123 UTC */
#define T 1764366851123LL
#define SUBJECT "Active ton compte de l’application du CEJ"
#define TEXT "Bonjour Éloïse,\n\nActive ton compte : https://cej.localhost/activation/abc\n"
#define HTML "<p>Bonjour Éloïse,</p>\n<p><a href=\"https://cej.localhost/activation/abc\">" \
	     "Active ton compte</a></p>\n"
#define TO "eloise.martin@example.org"
#define FROM "ne-pas-repondre@cej.localhost"

static struct fixture fx;
static const char *tmp;
static struct arena *a;
static struct db *db;
static struct config cfg;

static void
setup(void)
{
	fixture_open(&fx, "mail", FIXTURE_DB);
	tmp = fx.dir;
	a = fx.a;
	db = fx.db;
	cfg.db_path = fx.db_path;
	cfg.mail_transport = arena_printf(a, "file:%s/outbox", tmp);
	cfg.mail_from = arena_strdup(a, FROM);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(mail, .init = setup, .fini = teardown, .timeout = 60);

static const struct mail_msg sample = {
	.id = "019ac4a5-3d63-7c1a-9b2e-4f0a1c2d3e4f", .from = FROM, .to = TO,
	.subject = SUBJECT, .body_text = TEXT, .body_html = HTML, .created_at = T,
};

/* The decoded body of the MIME part of type @type in @msg, checking that it is base64
 * in lines of at most 76 characters. Arena-owned; NULL when absent. */
static char *
part_body(const char *msg, const char *type)
{
	const char *h = strstr(msg, arena_printf(a, "Content-Type: %s; charset=UTF-8\r\n", type));
	const char *start = h ? strstr(h, "\r\n\r\n") : NULL;
	const char *end = start ? strstr(start + 4, "\r\n--") : NULL;
	if (!end)
		return NULL;
	char *headers = arena_strndup(a, h, (size_t)(start - h));
	cr_assert(strstr(headers, "Content-Transfer-Encoding: base64"), "%s", headers);

	GString *b64 = g_string_new(NULL);
	gchar **lines = g_strsplit(arena_strndup(a, start + 4, (size_t)(end - start - 4)), "\r\n", -1);
	for (gchar **l = lines; *l; l++) {
		cr_assert_leq(strlen(*l), 76);
		g_string_append(b64, *l);
	}
	gsize len = 0;
	guchar *raw = g_base64_decode(b64->str, &len);
	char *out = arena_strndup(a, (const char *)raw, len);
	g_free(raw);
	g_strfreev(lines);
	g_string_free(b64, TRUE);
	return out;
}

/* The Subject of @msg, unfolded and with its RFC 2047 words decoded; checks that each word
 * is at most 75 characters and holds whole UTF-8 characters. Arena-owned. */
static char *
subject_of(const char *msg)
{
	const char *h = strstr(msg, "\r\nSubject: ");
	cr_assert_not_null(h);
	h += strlen("\r\nSubject: ");
	const char *end = h;
	while ((end = strstr(end, "\r\n")) && (end[2] == ' ' || end[2] == '\t'))
		end += 2;
	char *value = arena_strndup(a, h, (size_t)(end - h));
	if (!g_str_has_prefix(value, "=?"))
		return value;

	GString *out = g_string_new(NULL);
	gchar **words = g_strsplit_set(value, " \r\n", -1);
	for (gchar **w = words; *w; w++) {
		if (!**w)
			continue;
		cr_assert(g_str_has_prefix(*w, "=?UTF-8?B?") && g_str_has_suffix(*w, "?="), "%s", *w);
		cr_assert_leq(strlen(*w), 75);
		char *b64 = arena_strndup(a, *w + 10, strlen(*w) - 12);
		gsize len = 0;
		guchar *raw = g_base64_decode(b64, &len);
		cr_assert(g_utf8_validate((const char *)raw, (gssize)len, NULL));
		g_string_append_len(out, (const char *)raw, (gssize)len);
		g_free(raw);
	}
	g_strfreev(words);
	char *s = arena_strdup(a, out->str);
	g_string_free(out, TRUE);
	return s;
}

/* The names of the files in the outbox directory. */
static GPtrArray *
outbox_files(void)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(arena_printf(a, "%s/outbox", tmp), 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(name));
	if (d)
		g_dir_close(d);
	return names;
}

static struct mail_entry
entry(const char *id)
{
	struct mail_entry e;
	cr_assert_eq(mail_store_get(db, a, id, &e), 0);
	return e;
}

/* The id of the only mail in the outbox. */
static const char *
only_id(void)
{
	struct mail_row *rows;
	cr_assert_eq(mail_list(db, a, 10, &rows), 1);
	return rows[0].id;
}

Test(mail, format_has_date_message_id_and_encoded_subject)
{
	char *eml = mail_format(a, &sample);

	cr_assert(g_str_has_prefix(eml, "Date: Fri, 28 Nov 2025 21:54:11 +0000\r\n"), "%s", eml);
	cr_assert(strstr(eml, "\r\nMessage-ID: <019ac4a5-3d63-7c1a-9b2e-4f0a1c2d3e4f@cej.localhost>\r\n"));
	cr_assert(strstr(eml, "\r\nFrom: " FROM "\r\n"));
	cr_assert(strstr(eml, "\r\nTo: " TO "\r\n"));
	cr_assert(strstr(eml, "\r\nSubject: =?UTF-8?B?"));
	cr_assert_str_eq(subject_of(eml), SUBJECT);
	cr_assert(strstr(eml, "\r\nMIME-Version: 1.0\r\n"));
	cr_assert(strstr(eml, "\r\nContent-Type: multipart/alternative; boundary="));
}

Test(mail, format_parts_decode_back_to_the_input)
{
	char *eml = mail_format(a, &sample);

	cr_assert_str_eq(part_body(eml, "text/plain"), TEXT);
	cr_assert_str_eq(part_body(eml, "text/html"), HTML);
}

Test(mail, format_uses_crlf_line_endings_only)
{
	char *eml = mail_format(a, &sample);

	for (char *p = strchr(eml, '\n'); p; p = strchr(p + 1, '\n'))
		cr_assert(p > eml && p[-1] == '\r', "bare LF at offset %td", p - eml);
	cr_assert(g_str_has_suffix(eml, "--\r\n"));
}

Test(mail, format_cuts_a_long_subject_into_words_of_whole_characters)
{
	struct mail_msg m = sample;
	m.subject = "Rappel : ton rendez-vous « Atelier CV » avec Éloïse à la Mission Locale "
		    "de Saint-Étienne est confirmé — n’oublie pas ta pièce d’identité";
	char *eml = mail_format(a, &m);

	cr_assert_str_eq(subject_of(eml), m.subject);
	cr_assert(strstr(eml, "?=\r\n =?UTF-8?B?"), "folded between words");
}

Test(mail, format_keeps_an_ascii_subject_and_never_lets_it_add_a_header)
{
	struct mail_msg m = sample;
	m.subject = "Votre rendez-vous";
	cr_assert(strstr(mail_format(a, &m), "\r\nSubject: Votre rendez-vous\r\n"));

	m.subject = "Bonjour\r\nBcc: intrus@example.org";
	char *eml = mail_format(a, &m);
	cr_assert_null(strstr(eml, "\r\nBcc:"));
	cr_assert_str_eq(subject_of(eml), m.subject);
}

Test(mail, file_and_smtp_copies_share_date_and_message_id)
{
	const char **h = transport_headers(a, &sample);
	char *eml = mail_format(a, &sample);

	cr_assert(g_str_has_prefix(h[0], "Date: ") && strstr(eml, h[0]));
	cr_assert(g_str_has_prefix(h[1], "Message-ID: <") && strstr(eml, h[1]));
}

Test(mail, enqueue_then_drain_with_file_transport_writes_one_eml_and_marks_it_sent)
{
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();
	cr_assert_eq(entry(id).sent_at, 0);

	cr_assert_eq(mail_drain(&cfg, db, T + 1000, 20), 1);

	GPtrArray *files = outbox_files();
	cr_assert_eq(files->len, 1);
	cr_assert_str_eq(g_ptr_array_index(files, 0), arena_printf(a, "%s.eml", id));
	g_ptr_array_unref(files);
	gchar *eml = NULL;
	cr_assert(g_file_get_contents(arena_printf(a, "%s/outbox/%s.eml", tmp, id), &eml, NULL, NULL));
	cr_assert(strstr(eml, arena_printf(a, "\r\nMessage-ID: <%s@cej.localhost>\r\n", id)));
	cr_assert(g_str_has_prefix(eml, "Date: Fri, 28 Nov 2025 21:54:11 +0000\r\n"));
	cr_assert_str_eq(part_body(eml, "text/html"), HTML);
	g_free(eml);

	struct mail_entry e = entry(id);
	cr_assert_eq(e.sent_at, T + 1000);
	cr_assert_eq(e.attempts, 0);
	cr_assert_null(e.last_error);

	/* Sent once: a later drain has nothing to do. */
	cr_assert_eq(mail_drain(&cfg, db, T + 3600000, 20), 0);
	files = outbox_files();
	cr_assert_eq(files->len, 1);
	g_ptr_array_unref(files);
}

Test(mail, enqueue_refuses_anything_but_one_address)
{
	cr_assert_eq(mail_enqueue(db, T, "a@example.org, b@example.org", SUBJECT, TEXT, HTML), -ERR_INVAL);
	cr_assert_eq(mail_enqueue(db, T, "a@example.org\r\nBcc: b@example.org", SUBJECT, TEXT, HTML),
		     -ERR_INVAL);
	cr_assert_eq(mail_enqueue(db, T, "pas-une-adresse", SUBJECT, TEXT, HTML), -ERR_INVAL);
	cr_assert_eq(mail_enqueue(db, T, NULL, SUBJECT, TEXT, HTML), -ERR_INVAL);
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, NULL), -ERR_INVAL);

	struct mail_row *rows;
	cr_assert_eq(mail_list(db, a, 10, &rows), 0);
}

Test(mail, enqueue_is_undone_with_the_callers_transaction)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	db_tx_rollback(db);

	struct mail_row *rows;
	cr_assert_eq(mail_list(db, a, 10, &rows), 0);
}

Test(mail, failing_transport_schedules_a_retry_with_backoff_and_no_early_resend)
{
	cfg.mail_transport = "smtp://127.0.0.1:1";  /* connection refused */
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();

	cr_assert_eq(mail_drain(&cfg, db, T, 20), 0);
	struct mail_entry e = entry(id);
	cr_assert_eq(e.attempts, 1);
	cr_assert_eq(e.next_attempt_at, T + 30000);
	cr_assert_eq(e.sent_at, 0);
	cr_assert_eq(e.failed_at, 0);
	cr_assert(e.last_error && g_str_has_prefix(e.last_error, "smtp: "), "%s", e.last_error);

	/* Not due yet: not tried again. */
	cr_assert_eq(mail_drain(&cfg, db, T + 29999, 20), 0);
	cr_assert_eq(entry(id).attempts, 1);

	/* Due: tried once more, and the next delay doubles. */
	cr_assert_eq(mail_drain(&cfg, db, T + 30000, 20), 0);
	e = entry(id);
	cr_assert_eq(e.attempts, 2);
	cr_assert_eq(e.next_attempt_at, T + 30000 + 60000);
}

Test(mail, after_eight_failures_the_mail_is_given_up)
{
	cfg.mail_transport = "smtp://127.0.0.1:1";
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();
	int64_t now = T;

	for (int i = 1; i <= 8; i++) {
		cr_assert_eq(mail_drain(&cfg, db, now, 20), 0);
		struct mail_entry e = entry(id);
		cr_assert_eq(e.attempts, i);
		if (i < 8) {
			cr_assert_eq(e.failed_at, 0, "attempt %d", i);
			cr_assert_eq(e.next_attempt_at - now, 30000LL << (i - 1), "attempt %d", i);
		} else {
			cr_assert_eq(e.failed_at, now);
		}
		now = e.next_attempt_at;
	}
	/* Given up: never tried again. */
	cr_assert_eq(mail_drain(&cfg, db, now + 24 * 3600000LL, 20), 0);
	cr_assert_eq(entry(id).attempts, 8);
	cr_assert_eq(entry(id).sent_at, 0);
}

Test(mail, a_claimed_mail_is_not_claimed_again_until_its_lease_ends)
{
	struct mail_entry *rows;
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);

	cr_assert_eq(mail_store_claim(db, a, T, T + 60000, 20, &rows), 1);
	struct db *other = db_open(cfg.db_path);
	cr_assert_eq(mail_store_claim(other, a, T, T + 60000, 20, &rows), 0);
	cr_assert_eq(mail_store_claim(other, a, T + 59999, T + 120000, 20, &rows), 0);
	/* A drain that died mid-send: the mail comes back when the lease ends. */
	cr_assert_eq(mail_store_claim(other, a, T + 60000, T + 120000, 20, &rows), 1);
	db_close(other);
}

struct drainer {
	GThread *thread;
	int sent;
};

static gpointer
drainer_main(gpointer p)
{
	struct drainer *d = p;
	struct db *own = db_open(cfg.db_path);
	int n;

	while ((n = mail_drain(&cfg, own, T, 3)) > 0)
		d->sent += n;
	if (n < 0)
		d->sent = -1;
	db_close(own);
	return NULL;
}

Test(mail, concurrent_drains_send_each_mail_exactly_once)
{
	enum { MAILS = 40, DRAINERS = 3 };
	struct drainer d[DRAINERS] = {0};
	int total = 0;

	for (int i = 0; i < MAILS; i++)
		cr_assert_eq(mail_enqueue(db, T, TO, arena_printf(a, "Mail %d", i), TEXT, HTML), 0);
	for (int i = 0; i < DRAINERS; i++)
		d[i].thread = g_thread_new("drainer", drainer_main, &d[i]);
	for (int i = 0; i < DRAINERS; i++) {
		g_thread_join(d[i].thread);
		cr_assert_geq(d[i].sent, 0);
		total += d[i].sent;
	}
	cr_assert_eq(total, MAILS);
	GPtrArray *files = outbox_files();
	cr_assert_eq(files->len, MAILS);
	g_ptr_array_unref(files);
}

Test(mail, list_is_newest_first_and_get_finds_one_mail)
{
	struct mail_row *rows, row;
	cr_assert_eq(mail_enqueue(db, T, TO, "un", TEXT, "<p>un</p>"), 0);
	cr_assert_eq(mail_enqueue(db, T + 1, TO, "deux", TEXT, "<p>deux</p>"), 0);
	cr_assert_eq(mail_enqueue(db, T + 2, TO, "trois", TEXT, "<p>trois</p>"), 0);

	cr_assert_eq(mail_list(db, a, 2, &rows), 2);
	cr_assert_str_eq(rows[0].subject, "trois");
	cr_assert_str_eq(rows[1].subject, "deux");
	cr_assert_eq(rows[1].created_at, T + 1);
	cr_assert_eq(rows[1].sent_at, 0);

	cr_assert_eq(mail_get(db, a, rows[1].id, &row), 0);
	cr_assert_str_eq(row.id, rows[1].id);
	cr_assert_str_eq(row.recipient, TO);
	cr_assert_str_eq(row.subject, "deux");
	cr_assert_str_eq(row.body_html, "<p>deux</p>");
	cr_assert_eq(row.created_at, T + 1);

	cr_assert_eq(mail_drain(&cfg, db, T + 10, 20), 3);
	cr_assert_eq(mail_get(db, a, rows[1].id, &row), 0);
	cr_assert_eq(row.sent_at, T + 10);

	cr_assert_eq(mail_get(db, a, "019ac4a5-0000-7000-8000-000000000000", &row), -ERR_NOTFOUND);
}

/* A minimal SMTP server for one connection: accepts every command, keeps the envelope and
 * the message. */
struct sink {
	int listen_fd;
	int port;
	GThread *thread;
	GString *envelope;  /* the MAIL FROM and RCPT TO lines */
	GString *data;      /* the message, dot-unstuffed, up to the lone dot */
};

static void
sink_say(int fd, const char *line)
{
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0)
		perror("sink: send");
}

static void
sink_session(struct sink *s, int fd, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	bool in_data = false;

	sink_say(fd, "220 sink ESMTP\r\n");
	while (getline(&line, &cap, in) > 0) {
		if (in_data && strcmp(line, ".\r\n") == 0) {
			in_data = false;
			sink_say(fd, "250 queued\r\n");
		} else if (in_data) {
			g_string_append(s->data, line[0] == '.' ? line + 1 : line);
		} else if (g_ascii_strncasecmp(line, "DATA", 4) == 0) {
			in_data = true;
			sink_say(fd, "354 go ahead\r\n");
		} else if (g_ascii_strncasecmp(line, "QUIT", 4) == 0) {
			sink_say(fd, "221 bye\r\n");
			break;
		} else {
			if (g_ascii_strncasecmp(line, "MAIL", 4) == 0 || g_ascii_strncasecmp(line, "RCPT", 4) == 0)
				g_string_append(s->envelope, line);
			sink_say(fd, "250 ok\r\n");
		}
	}
	free(line);
}

static gpointer
sink_main(gpointer p)
{
	struct sink *s = p;
	struct pollfd pfd = { .fd = s->listen_fd, .events = POLLIN };
	struct timeval tv = { .tv_sec = 10 };

	if (poll(&pfd, 1, 10000) != 1)
		return NULL;
	int fd = accept(s->listen_fd, NULL, NULL);
	if (fd < 0)
		return NULL;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	FILE *in = fdopen(dup(fd), "r");
	sink_session(s, fd, in);
	fclose(in);
	close(fd);
	return NULL;
}

static void
sink_start(struct sink *s)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);

	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(s->listen_fd, 0);
	cr_assert_eq(bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	cr_assert_eq(listen(s->listen_fd, 1), 0);
	cr_assert_eq(getsockname(s->listen_fd, (struct sockaddr *)&addr, &len), 0);
	s->port = ntohs(addr.sin_port);
	s->envelope = g_string_new(NULL);
	s->data = g_string_new(NULL);
	s->thread = g_thread_new("smtp-sink", sink_main, s);
}

static void
sink_join(struct sink *s)
{
	g_thread_join(s->thread);
	close(s->listen_fd);
}

static void
sink_free(struct sink *s)
{
	g_string_free(s->envelope, TRUE);
	g_string_free(s->data, TRUE);
}

Test(mail, smtp_delivers_the_headers_and_both_parts)
{
	struct sink s;
	const char *subject = "Rappel : ton rendez-vous « Atelier CV » à la Mission Locale de "
			      "Saint-Étienne — n’oublie pas ta pièce d’identité";
	sink_start(&s);
	cfg.mail_transport = arena_printf(a, "smtp://127.0.0.1:%d", s.port);
	cr_assert_eq(mail_enqueue(db, T, TO, subject, TEXT, HTML), 0);
	const char *id = only_id();

	cr_assert_eq(mail_drain(&cfg, db, T + 500, 20), 1);
	sink_join(&s);

	cr_assert(strstr(s.envelope->str, "MAIL FROM:<" FROM ">"), "%s", s.envelope->str);
	cr_assert(strstr(s.envelope->str, "RCPT TO:<" TO ">"), "%s", s.envelope->str);
	const char *msg = arena_printf(a, "\r\n%s", s.data->str);
	cr_assert(strstr(msg, "\r\nDate: Fri, 28 Nov 2025 21:54:11 +0000\r\n"), "%s", msg);
	cr_assert(strstr(msg, arena_printf(a, "\r\nMessage-ID: <%s@cej.localhost>\r\n", id)));
	cr_assert(strstr(msg, "\r\nFrom: " FROM "\r\n"));
	cr_assert(strstr(msg, "\r\nTo: " TO "\r\n"));
	cr_assert_str_eq(subject_of(msg), subject);
	cr_assert(strstr(msg, "multipart/alternative"));
	cr_assert_str_eq(part_body(msg, "text/plain"), TEXT);
	cr_assert_str_eq(part_body(msg, "text/html"), HTML);
	cr_assert_eq(entry(id).sent_at, T + 500);
	/* Handed to the server, the bodies (an account link, maybe) are not kept. */
	cr_assert_str_eq(entry(id).body_text, "");
	cr_assert_str_eq(entry(id).body_html, "");
	sink_free(&s);
}

Test(mail, worker_sends_when_woken_and_stops)
{
	struct mail_worker *w = mail_worker_start(&cfg);
	GPtrArray *files = NULL;

	cr_assert_eq(mail_enqueue(db, clock_now_ms(), TO, SUBJECT, TEXT, HTML), 0);
	mail_worker_wake(w);
	for (int i = 0; i < 500; i++) {
		if (files)
			g_ptr_array_unref(files);
		files = outbox_files();
		if (files->len)
			break;
		g_usleep(10000);
	}
	mail_worker_stop(w);
	cr_assert_eq(files->len, 1);
	g_ptr_array_unref(files);
	cr_assert_neq(entry(only_id()).sent_at, 0);
	mail_worker_stop(NULL);
}
