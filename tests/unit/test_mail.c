/* test_mail.c — the outbox: rendering, enqueue in the caller's transaction, mails sent by
 * the job runner through the file and SMTP transports, retries with backoff, giving up,
 * a crash mid-send, bodies forgotten once sent or given up, the upgrade of the old outbox,
 * the demo mailbox queries and owner-only files. Each test gets a fresh temporary
 * directory holding its database and outbox; time is passed in. */
#include "base/arena.h"
#include "base/embed.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "jobs/jobs_store.h"   /* jobs_store_claim(): plays a runner that dies mid-send */
#include "mail/mail.h"
#include "mail/mail_store.h"
#include "mail/transport.h"
#include "core/ctx.h"

#include <arpa/inet.h>
#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
static struct ctx app;     /* what the runner hands the mail job: cfg */

static void
setup(void)
{
	fixture_open(&fx, "mail", FIXTURE_DB);
	tmp = fx.dir;
	a = fx.a;
	db = fx.db;
	cfg.database_url = fx.db_path;
	cfg.mail_transport = arena_printf(a, "file:%s/outbox", tmp);
	cfg.mail_from = arena_strdup(a, FROM);
	app = (struct ctx){.cfg = &cfg};
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

/* Runs the mail jobs due at @now on the test's connection, as the runner does; returns
 * how many were taken off the queue (sent, retried later or given up). */
static int
run_mail_jobs(int64_t now)
{
	int n = jobs_run_due(mail_job_kinds, mail_job_kinds_count, &app, db, now, 20);
	cr_assert_geq(n, 0);
	return n;
}

/* The job of mail @id, live or dead, as stored. */
struct mail_job {
	bool exists;
	int attempts;
	int64_t run_at, failed_at, locked_until;
	const char *last_error;
};

static struct mail_job
job_of(const char *id)
{
	struct mail_job j = {0};
	struct db_stmt *st = db_prepare(db, "SELECT attempts, run_at, failed_at, locked_until, "
					"last_error FROM job WHERE kind = 'mail' AND key = 'mail:' || $1");
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW) {
		j.exists = true;
		j.attempts = (int)db_col_int64(st, 0);
		j.run_at = db_col_int64(st, 1);
		j.failed_at = db_col_int64(st, 2);
		j.locked_until = db_col_int64(st, 3);
		j.last_error = db_col_dup(st, a, 4);
	}
	cr_assert_eq(db_step(st), DB_DONE, "one job per mail");
	db_finish(st);
	return j;
}

/* How many rows of the outbox and of the job queue still hold @text anywhere. */
static int
rows_holding(const char *text)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT (SELECT count(*) FROM mail_outbox WHERE instr(coalesce(body_text, '') || "
		"coalesce(body_html, '') || recipient || subject, $1) > 0) + (SELECT count(*) "
		"FROM job WHERE instr(coalesce(payload, '') || coalesce(last_error, ''), $1) > 0)");
	db_bind_text(st, 1, text);
	cr_assert_eq(db_step(st), DB_ROW);
	int n = (int)db_col_int64(st, 0);
	db_finish(st);
	return n;
}

static int
files_in_outbox(void)
{
	GPtrArray *files = outbox_files();
	int n = (int)files->len;
	g_ptr_array_unref(files);
	return n;
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

Test(mail, enqueue_then_the_job_runner_writes_one_eml_and_marks_it_sent)
{
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();
	cr_assert_eq(entry(id).sent_at, 0);
	struct mail_job j = job_of(id);
	cr_assert(j.exists);
	cr_assert_eq(j.run_at, T, "due at once");

	cr_assert_eq(run_mail_jobs(T + 1000), 1);

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
	cr_assert_eq(e.failed_at, 0);
	cr_assert_not(job_of(id).exists, "a sent mail's job is done");

	/* Sent once: a later run has nothing to do. */
	cr_assert_eq(run_mail_jobs(T + 3600000), 0);
	cr_assert_eq(files_in_outbox(), 1);
}

Test(mail, a_sent_mail_no_longer_holds_its_bodies_nor_its_link)
{
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();
	cr_assert_eq(rows_holding("/activation/abc"), 1, "kept while it waits");

	cr_assert_eq(run_mail_jobs(T), 1);
	struct mail_entry e = entry(id);
	cr_assert_neq(e.sent_at, 0);
	cr_assert_null(e.body_text);
	cr_assert_null(e.body_html);
	cr_assert_eq(rows_holding("/activation/abc"), 0);
	cr_assert_eq(rows_holding("Bonjour"), 0);
	/* What the demo mailbox lists stays. */
	cr_assert_str_eq(e.recipient, TO);
	cr_assert_str_eq(e.subject, SUBJECT);
	cr_assert_eq(e.created_at, T);
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
	int pending = -1, dead = -1;
	cr_assert_eq(jobs_count(db, "mail", &pending, &dead), 0);
	cr_assert_eq(pending + dead, 0);
}

Test(mail, enqueue_is_undone_with_the_callers_transaction_and_nothing_is_sent)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	db_tx_rollback(db);

	struct mail_row *rows;
	cr_assert_eq(mail_list(db, a, 10, &rows), 0);
	int pending = -1;
	cr_assert_eq(jobs_count(db, "mail", &pending, NULL), 0);
	cr_assert_eq(pending, 0);
	cr_assert_eq(run_mail_jobs(T + 3600000), 0);
	cr_assert_eq(files_in_outbox(), 0);

	/* Committed, the same mail leaves. */
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(run_mail_jobs(T), 1);
	cr_assert_eq(files_in_outbox(), 1);
}

Test(mail, failing_transport_schedules_a_retry_with_backoff_and_no_early_resend)
{
	cfg.mail_transport = "smtp://127.0.0.1:1";  /* connection refused */
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();

	cr_assert_eq(run_mail_jobs(T), 1);
	struct mail_job j = job_of(id);
	cr_assert_eq(j.attempts, 1);
	cr_assert_eq(j.run_at, T + 30000);
	cr_assert_eq(j.failed_at, 0);
	cr_assert_eq(j.locked_until, 0);
	cr_assert(j.last_error && g_str_has_prefix(j.last_error, "smtp: "), "%s", j.last_error);
	struct mail_entry e = entry(id);
	cr_assert_eq(e.sent_at, 0);
	cr_assert_eq(e.failed_at, 0);
	cr_assert_str_eq(e.body_text, TEXT, "kept for the next attempt");

	/* Not due yet: not tried again. */
	cr_assert_eq(run_mail_jobs(T + 29999), 0);
	cr_assert_eq(job_of(id).attempts, 1);

	/* Due: tried once more, and the next delay doubles. */
	cr_assert_eq(run_mail_jobs(T + 30000), 1);
	j = job_of(id);
	cr_assert_eq(j.attempts, 2);
	cr_assert_eq(j.run_at, T + 30000 + 60000);
}

Test(mail, after_eight_failures_the_mail_is_given_up_and_forgets_its_bodies)
{
	cfg.mail_transport = "smtp://127.0.0.1:1";
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();
	int64_t now = T;

	for (int i = 1; i <= 8; i++) {
		cr_assert_eq(run_mail_jobs(now), 1);
		struct mail_job j = job_of(id);
		cr_assert_eq(j.attempts, i);
		if (i < 8) {
			cr_assert_eq(j.failed_at, 0, "attempt %d", i);
			cr_assert_eq(j.run_at - now, 30000LL << (i - 1), "attempt %d", i);
			cr_assert_eq(entry(id).failed_at, 0, "attempt %d", i);
			now = j.run_at;
		} else {
			cr_assert_eq(j.failed_at, now);
			cr_assert(g_str_has_prefix(j.last_error, "smtp: "), "kept for support");
		}
	}
	/* Given up: the row says so, without the bodies and their link. */
	struct mail_entry e = entry(id);
	cr_assert_eq(e.failed_at, now);
	cr_assert_eq(e.sent_at, 0);
	cr_assert_null(e.body_text);
	cr_assert_null(e.body_html);
	cr_assert_eq(rows_holding("/activation/abc"), 0);
	cr_assert_str_eq(e.recipient, TO);

	/* Never tried again. */
	cr_assert_eq(run_mail_jobs(now + 24 * 3600000LL), 0);
	cr_assert_eq(job_of(id).attempts, 8);
	int pending = -1, dead = -1;
	cr_assert_eq(jobs_count(db, "mail", &pending, &dead), 0);
	cr_assert_eq(pending, 0);
	cr_assert_eq(dead, 1);
}

Test(mail, a_mail_whose_runner_died_mid_send_is_sent_when_the_lease_ends)
{
	struct job_row *claimed;
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();

	/* A runner claims the mail, then the process dies before recording anything. */
	cr_assert_eq(jobs_store_claim(db, a, T, T + MAIL_LEASE_MS, 1, &claimed), 1);
	cr_assert_eq(run_mail_jobs(T + 1), 0);
	cr_assert_eq(run_mail_jobs(T + MAIL_LEASE_MS - 1), 0);
	cr_assert_eq(files_in_outbox(), 0);

	/* The lease ends: another runner sends it (at least once: the dead runner may have
	 * handed it to the server already). */
	cr_assert_eq(run_mail_jobs(T + MAIL_LEASE_MS), 1);
	cr_assert_eq(files_in_outbox(), 1);
	cr_assert_eq(entry(id).sent_at, T + MAIL_LEASE_MS);
	cr_assert_not(job_of(id).exists);
}

Test(mail, a_run_after_the_mail_was_recorded_sent_sends_nothing_again)
{
	struct job_row *claimed;
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();

	/* Sent and recorded, but the runner died before the job's outcome was written. */
	cr_assert_eq(jobs_store_claim(db, a, T, T + MAIL_LEASE_MS, 1, &claimed), 1);
	cr_assert_eq(mail_store_mark_sent(db, id, T + 1), 0);

	cr_assert_eq(run_mail_jobs(T + MAIL_LEASE_MS), 1);
	cr_assert_eq(files_in_outbox(), 0, "not sent a second time");
	cr_assert_not(job_of(id).exists);
	cr_assert_eq(entry(id).sent_at, T + 1);
}

Test(mail, a_mail_whose_runs_keep_dying_is_given_up_and_forgets_its_bodies)
{
	struct job_row *claimed;
	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	const char *id = only_id();
	int64_t now = T;

	for (int i = 0; i < MAIL_MAX_ATTEMPTS; i++, now += MAIL_LEASE_MS)
		cr_assert_eq(jobs_store_claim(db, a, now, now + MAIL_LEASE_MS, 1, &claimed), 1);
	cr_assert_eq(run_mail_jobs(now), 1);
	cr_assert_eq(files_in_outbox(), 0, "not run again");
	cr_assert_neq(job_of(id).failed_at, 0);
	struct mail_entry e = entry(id);
	cr_assert_eq(e.failed_at, now);
	cr_assert_null(e.body_text);
	cr_assert_null(e.body_html);
	cr_assert_eq(rows_holding("/activation/abc"), 0);
}

struct drainer {
	GThread *thread;
	int sent;
};

static gpointer
drainer_main(gpointer p)
{
	struct drainer *d = p;
	struct db *own = db_open(cfg.database_url);
	int n;

	while ((n = jobs_run_due(mail_job_kinds, mail_job_kinds_count, &app, own, T, 3)) > 0)
		d->sent += n;
	if (n < 0)
		d->sent = -1;
	db_close(own);
	return NULL;
}

Test(mail, concurrent_runners_send_each_mail_exactly_once)
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
	cr_assert_eq(files_in_outbox(), MAILS);
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
	const char *html;
	cr_assert_eq(mail_sent_html(cfg.mail_transport, a, rows[1].id, &html), -ERR_NOTFOUND,
		     "not written yet");

	cr_assert_eq(run_mail_jobs(T + 10), 3);
	cr_assert_eq(mail_get(db, a, rows[1].id, &row), 0);
	cr_assert_eq(row.sent_at, T + 10);
	/* The demo mailbox shows a sent mail from its .eml copy. */
	cr_assert_null(row.body_html);
	cr_assert_eq(mail_sent_html(cfg.mail_transport, a, rows[1].id, &html), 0);
	cr_assert_str_eq(html, "<p>deux</p>");
	cr_assert_eq(mail_sent_html("smtp://127.0.0.1:25", a, rows[1].id, &html), -ERR_NOTFOUND);
	cr_assert_eq(mail_sent_html(cfg.mail_transport, a, "../cej.db", &html), -ERR_NOTFOUND);

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

	cr_assert_eq(run_mail_jobs(T + 500), 1);
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
	cr_assert_null(entry(id).body_text);
	cr_assert_null(entry(id).body_html);
	sink_free(&s);
}

Test(mail, the_job_runner_sends_a_new_mail_as_soon_as_it_is_woken)
{
	struct jobs_runner *r = jobs_runner_start(cfg.database_url, mail_job_kinds,
						  mail_job_kinds_count, &app);
	/* Let the runner's first round pass: the mail must leave on the wake, not on it. */
	g_usleep(100000);
	cr_assert_eq(mail_enqueue(db, clock_now_ms(), TO, SUBJECT, TEXT, HTML), 0);
	gint64 woken = g_get_monotonic_time();
	jobs_runner_wake(r);
	while (files_in_outbox() == 0 && g_get_monotonic_time() - woken < 5 * G_TIME_SPAN_SECOND)
		g_usleep(5000);
	gint64 latency = g_get_monotonic_time() - woken;
	jobs_runner_stop(r);
	cr_assert_eq(files_in_outbox(), 1);
	/* Without the wake it would wait for the next round, a second after the first. */
	cr_assert_lt(latency, 800 * G_TIME_SPAN_MILLISECOND, "%" G_GINT64_FORMAT " µs", latency);
	cr_assert_neq(entry(only_id()).sent_at, 0);
}

/* The mode bits of @path (0 when it does not exist). */
static unsigned
mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0;
}

Test(mail, the_database_and_the_outbox_are_owner_only)
{
	/* A fresh data directory, as `cej serve` creates it. */
	const char *dir = arena_printf(a, "%s/var", tmp);
	const char *path = arena_printf(a, "%s/cej.db", dir);
	struct db *fresh = db_open(path);
	cr_assert_not_null(fresh);
	cr_assert_eq(db_migrate(fresh, embed_migrations, embed_migrations_count), 0);
	cr_assert_eq(mode_of(dir), 0700, "%o", mode_of(dir));
	cr_assert_eq(mode_of(path), 0600, "%o", mode_of(path));
	/* SQLite creates these later, with the main file's mode. */
	cr_assert_eq(mode_of(arena_printf(a, "%s-wal", path)), 0600, "%o",
		     mode_of(arena_printf(a, "%s-wal", path)));
	cr_assert_eq(mode_of(arena_printf(a, "%s-shm", path)), 0600, "%o",
		     mode_of(arena_printf(a, "%s-shm", path)));
	db_close(fresh);

	cr_assert_eq(mail_enqueue(db, T, TO, SUBJECT, TEXT, HTML), 0);
	cr_assert_eq(run_mail_jobs(T), 1);
	const char *outbox = arena_printf(a, "%s/outbox", tmp);
	cr_assert_eq(mode_of(outbox), 0700, "%o", mode_of(outbox));
	const char *eml = arena_printf(a, "%s/%s.eml", outbox, only_id());
	cr_assert_eq(mode_of(eml), 0600, "%o", mode_of(eml));
}

/* Runs @sql with the texts and integers of @fmt ("t" text, "i" int64) bound to $1…. */
static void
exec_with(struct db *d, const char *sql, const char *fmt, ...)
{
	va_list ap;
	struct db_stmt *st = db_prepare(d, sql);
	cr_assert_not_null(st, "%s", sql);
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 't')
			db_bind_text(st, i + 1, va_arg(ap, const char *));
		else
			db_bind_int64(st, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	cr_assert_eq(db_step(st), DB_DONE, "%s", sql);
	db_finish(st);
}

Test(mail, the_upgrade_moves_waiting_and_dead_mails_of_the_old_outbox_to_the_queue)
{
	/* An outbox of the previous version: before 0020. */
	const char *path = arena_printf(a, "%s/old.db", tmp);
	struct db *old = db_open(path);
	size_t before = 0;
	while (before < embed_migrations_count && strcmp(embed_migrations[before].name, "0020") < 0)
		before++;
	cr_assert_lt(before, embed_migrations_count);
	cr_assert_eq(db_migrate(old, embed_migrations, before), 0);
	const char *ins = "INSERT INTO mail_outbox (id, recipient, subject, body_text, body_html, "
			  "created_at, attempts, next_attempt_at, sent_at, failed_at, last_error) "
			  "VALUES ($1, $2, 'Objet', $3, $4, $5, $6, $7, $8, $9, $10)";
	const char *waiting = "019ac4a5-3d63-7c1a-9b2e-000000000001";
	const char *failing = "019ac4a5-3d63-7c1a-9b2e-000000000002";
	const char *dead = "019ac4a5-3d63-7c1a-9b2e-000000000003";
	const char *sent = "019ac4a5-3d63-7c1a-9b2e-000000000004";
	exec_with(old, ins, "ttttiiiiit", waiting, TO, TEXT, HTML, T, (int64_t)0, T, (int64_t)0,
		  (int64_t)0, NULL);
	exec_with(old, ins, "ttttiiiiit", failing, TO, TEXT, HTML, T, (int64_t)3, T + 240000,
		  (int64_t)0, (int64_t)0, "smtp: refused");
	exec_with(old, ins, "ttttiiiiit", dead, TO, TEXT, HTML, T, (int64_t)8, T + 3600000,
		  (int64_t)0, T + 7200000, "smtp: refused");
	exec_with(old, ins, "ttttiiiiit", sent, TO, TEXT, HTML, T, (int64_t)0, T, T + 1000,
		  (int64_t)0, NULL);
	/* NULL binds as 0 for sent_at and failed_at of a waiting mail: make them NULL. */
	cr_assert_eq(db_exec(old, "UPDATE mail_outbox SET sent_at = NULLIF(sent_at, 0), "
			     "failed_at = NULLIF(failed_at, 0)"), 0);

	cr_assert_eq(db_migrate(old, embed_migrations, embed_migrations_count), 0);
	db_close(db);
	db = fx.db = old;   /* fixture_close() closes it */

	/* Nothing lost: the waiting mails are jobs where they stood. */
	struct mail_job j = job_of(waiting);
	cr_assert(j.exists);
	cr_assert_eq(j.run_at, T);
	cr_assert_eq(j.attempts, 0);
	cr_assert_eq(j.failed_at, 0);
	j = job_of(failing);
	cr_assert_eq(j.run_at, T + 240000);
	cr_assert_eq(j.attempts, 3);
	cr_assert_str_eq(j.last_error, "smtp: refused");
	cr_assert_str_eq(entry(failing).body_text, TEXT);
	/* The dead one stays dead, for support, without its bodies; the sent one too. */
	j = job_of(dead);
	cr_assert_eq(j.failed_at, T + 7200000);
	cr_assert_str_eq(j.last_error, "smtp: refused");
	cr_assert_eq(entry(dead).failed_at, T + 7200000);
	cr_assert_null(entry(dead).body_text);
	cr_assert_not(job_of(sent).exists);
	cr_assert_eq(entry(sent).sent_at, T + 1000);
	cr_assert_null(entry(sent).body_html);
	cr_assert_eq(rows_holding("/activation/abc"), 2, "the two waiting mails only");

	/* And they leave: the first now, the second at the next attempt planned before the
	 * upgrade. */
	cr_assert_eq(run_mail_jobs(T), 1);
	cr_assert_neq(entry(waiting).sent_at, 0);
	cr_assert_eq(entry(failing).sent_at, 0);
	cr_assert_eq(run_mail_jobs(T + 240000), 1);
	cr_assert_eq(entry(failing).sent_at, T + 240000);
	cr_assert_eq(files_in_outbox(), 2);
	cr_assert_eq(rows_holding("/activation/abc"), 0);
}

/* ---- Attachments (an invitation's invitation.ics, agenda.md §2.2) ---- */

#define ICS "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:[CEJ] Entretien\r\n" \
	    "END:VEVENT\r\nEND:VCALENDAR\r\n"
#define ICS_TYPE "text/calendar; method=REQUEST; charset=UTF-8"
static const struct mail_attachment ics = {"invitation.ics", ICS_TYPE, ICS, sizeof ICS - 1};

Test(mail, format_puts_the_alternative_then_each_attachment_in_a_mixed_entity)
{
	struct mail_msg m = sample;
	m.attachments = &ics;
	m.n_attachments = 1;
	char *eml = mail_format(a, &m);

	cr_assert(strstr(eml, "\r\nContent-Type: multipart/mixed; boundary="), "%s", eml);
	const char *alt = strstr(eml, "Content-Type: multipart/alternative; boundary=");
	const char *file = strstr(eml, "Content-Disposition: attachment; filename=\"invitation.ics\"");
	cr_assert(alt && file && alt < file, "the alternative first");
	cr_assert_str_eq(part_body(eml, "text/plain"), TEXT);
	cr_assert_str_eq(part_body(eml, "text/html"), HTML);
	cr_assert_str_eq(part_body(eml, "text/calendar; method=REQUEST"), ICS);
	for (char *p = strchr(eml, '\n'); p; p = strchr(p + 1, '\n'))
		cr_assert(p > eml && p[-1] == '\r', "bare LF at offset %td", p - eml);
}

Test(mail, enqueue_refuses_an_attachment_that_could_break_the_headers)
{
	struct mail_attachment bad = ics;
	bad.filename = "../invitation.ics";
	cr_assert_eq(mail_enqueue_with(db, T, TO, SUBJECT, TEXT, HTML, &bad, 1), -ERR_INVAL);
	bad = ics;
	bad.filename = "a\"b.ics";
	cr_assert_eq(mail_enqueue_with(db, T, TO, SUBJECT, TEXT, HTML, &bad, 1), -ERR_INVAL);
	bad = ics;
	bad.content_type = "text/calendar\r\nBcc: intrus@example.org";
	cr_assert_eq(mail_enqueue_with(db, T, TO, SUBJECT, TEXT, HTML, &bad, 1), -ERR_INVAL);
	cr_assert_eq(mail_enqueue_with(db, T, TO, SUBJECT, TEXT, HTML, &ics, MAIL_ATTACHMENTS_MAX + 1),
		     -ERR_INVAL);
	struct mail_row *rows;
	cr_assert_eq(mail_list(db, a, 10, &rows), 0, "nothing queued");
}

Test(mail, an_attachment_waits_in_the_outbox_leaves_in_the_eml_and_is_then_forgotten)
{
	cr_assert_eq(mail_enqueue_with(db, T, TO, SUBJECT, TEXT, HTML, &ics, 1), 0);
	const char *id = only_id();
	struct mail_attachment *got;
	cr_assert_eq(mail_attachments(db, cfg.mail_transport, a, id, &got), 1);
	cr_assert_str_eq(got[0].filename, "invitation.ics");
	cr_assert_str_eq(got[0].content_type, ICS_TYPE);
	cr_assert_eq(got[0].len, sizeof ICS - 1);
	cr_assert_eq(memcmp(got[0].data, ICS, got[0].len), 0);

	cr_assert_eq(run_mail_jobs(T + 1000), 1);

	gchar *eml = NULL;
	cr_assert(g_file_get_contents(arena_printf(a, "%s/outbox/%s.eml", tmp, id), &eml, NULL, NULL));
	cr_assert_str_eq(part_body(eml, "text/calendar; method=REQUEST"), ICS);
	g_free(eml);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM mail_attachment");
	cr_assert_eq(db_run_int(st), 0, "forgotten with the bodies once sent");
	/* The demo mailbox still offers it, read back from the .eml copy. */
	cr_assert_eq(mail_attachments(db, cfg.mail_transport, a, id, &got), 1);
	cr_assert_str_eq(got[0].filename, "invitation.ics");
	cr_assert_str_eq(got[0].content_type, ICS_TYPE);
	cr_assert_str_eq(got[0].data, ICS);
	cr_assert_eq(mail_attachments(db, "smtp://127.0.0.1:25", a, id, &got), 0);
}

Test(mail, a_mail_with_an_attachment_given_up_forgets_it)
{
	cfg.mail_transport = "smtp://127.0.0.1:1";   /* nobody listens */
	cr_assert_eq(mail_enqueue_with(db, T, TO, SUBJECT, TEXT, HTML, &ics, 1), 0);
	const char *id = only_id();
	int64_t now = T;
	for (int i = 0; i < MAIL_MAX_ATTEMPTS; i++) {
		cr_assert_eq(run_mail_jobs(now), 1);
		now += 2 * 3600 * 1000LL;
	}
	cr_assert_neq(entry(id).failed_at, 0);
	struct mail_attachment *got;
	cr_assert_eq(mail_attachments(db, cfg.mail_transport, a, id, &got), 0);
}

Test(mail, smtp_delivers_the_attachment_after_both_parts)
{
	struct sink s;
	sink_start(&s);
	cfg.mail_transport = arena_printf(a, "smtp://127.0.0.1:%d", s.port);
	cr_assert_eq(mail_enqueue_with(db, T, TO, SUBJECT, TEXT, HTML, &ics, 1), 0);

	cr_assert_eq(run_mail_jobs(T + 500), 1);
	sink_join(&s);

	const char *msg = arena_printf(a, "\r\n%s", s.data->str);
	cr_assert_str_eq(part_body(msg, "text/plain"), TEXT);
	cr_assert_str_eq(part_body(msg, "text/html"), HTML);
	cr_assert_str_eq(part_body(msg, "text/calendar; method=REQUEST"), ICS, "%s", msg);
	cr_assert(strstr(msg, "filename=\"invitation.ics\""), "%s", msg);
	sink_free(&s);
}
