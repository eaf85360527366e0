/* test_important.c — the counselor's message important (messaging.md §10), the QR code of
 * the mobile access (§12) and the unread digest (notifications.md §3.5): the pure rules
 * first, then the use cases and the job on a migrated temporary database with "now"
 * set by each test. */
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "help/help.h"
#include "jobs/jobs.h"
#include "messaging/crypto.h"
#include "messaging/digest_jobs.h"
#include "messaging/digest_store.h"
#include "messaging/important.h"
#include "messaging/messaging_use.h"
#include "core/ctx.h"
#include "view/tmpl.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "core/feature.h"
extern const struct feature messaging_feature;   /* its job kinds: the digest */

#define SECOND 1000LL
#define HOUR (3600 * SECOND)
#define DAY (24 * HOUR)
#define PARIS FIXTURE_PARIS
#define REUNION FIXTURE_REUNION

/* The test clock (fixture.h). */
#define at(iso) fixture_at(iso)
#define day(iso) fixture_day(iso)

/* ======================================================================================
 * The form and the window (§10), pure
 * ==================================================================================== */

static struct arena *ra;

static void
rules_setup(void)
{
	ra = arena_new();
}

static void
rules_teardown(void)
{
	arena_free(ra);
}

TestSuite(rules, .init = rules_setup, .fini = rules_teardown);

static int
check(const char *start, const char *end, const char *text, struct important_errors *e,
      struct important_input *in)
{
	struct important_form f = {.start = start, .end = end, .text = text};
	return important_check(ra, &f, e, in);
}

Test(rules, empty_fields_get_the_spec_messages)
{
	struct important_errors e;
	struct important_input in;
	cr_assert_eq(check(NULL, "", "  \n ", &e, &in), 3);
	cr_assert_str_eq(e.start, "Le champ “Date de début” est vide. Renseignez une date de début.");
	cr_assert_str_eq(e.end, "Le champ “Date de fin” est vide. Renseignez une date de fin.");
	cr_assert_str_eq(e.text, "Le champ “Message” est vide. Renseignez un message.");
	cr_assert_eq(e.count, 3);
}

Test(rules, end_before_start_is_refused_and_the_same_day_is_fine)
{
	struct important_errors e;
	struct important_input in;
	cr_assert_eq(check("2025-09-16", "2025-09-15", "Fermé", &e, &in), 1);
	cr_assert_null(e.start);
	cr_assert_str_eq(e.end, "Le champ “Date de fin” est invalide. La date de fin ne peut pas "
				"être antérieure à la date de début.");
	cr_assert_eq(check("2025-09-16", "2025-09-16", "Fermé", &e, &in), 0);
	cr_assert_eq(in.start_day, in.end_day);
}

Test(rules, dates_read_iso_and_french_forms_and_refuse_impossible_days)
{
	cr_assert_eq(important_parse_day("2025-09-16"), day("2025-09-16"));
	cr_assert_eq(important_parse_day("16/09/2025"), day("2025-09-16"));
	cr_assert_eq(important_parse_day("31/02/2025"), CLOCK_NO_DAY);
	cr_assert_eq(important_parse_day("2025-13-01"), CLOCK_NO_DAY);
	cr_assert_eq(important_parse_day("1/9/2025"), CLOCK_NO_DAY);
	cr_assert_eq(important_parse_day(""), CLOCK_NO_DAY);
	cr_assert_eq(important_parse_day(NULL), CLOCK_NO_DAY);
	struct important_errors e;
	struct important_input in;
	cr_assert_eq(check("31/02/2025", "2025-09-16", "x", &e, &in), 1);
	cr_assert_str_eq(e.start, "Le champ “Date de début” est invalide. Renseignez une date au "
				  "format jj/mm/aaaa.");
}

Test(rules, the_message_holds_150_characters_not_bytes_after_trimming)
{
	struct important_errors e;
	struct important_input in;
	GString *s = g_string_new("  ");
	for (int i = 0; i < IMPORTANT_TEXT_MAX; i++)
		g_string_append(s, "é");
	g_string_append(s, " \r\n");
	cr_assert_eq(check("2025-09-15", "2025-09-16", s->str, &e, &in), 0, "%s", e.text);
	cr_assert_eq(g_utf8_strlen(in.text, -1), IMPORTANT_TEXT_MAX);
	cr_assert_eq(in.text[0], (char)0xc3, "trimmed");
	g_string_free(s, TRUE);
	s = g_string_new(NULL);
	for (int i = 0; i <= IMPORTANT_TEXT_MAX; i++)
		g_string_append(s, "é");
	cr_assert_eq(check("2025-09-15", "2025-09-16", s->str, &e, &in), 1, "151 characters");
	g_string_free(s, TRUE);
}

Test(rules, one_character_too_many_is_refused_and_crlf_counts_once)
{
	struct important_errors e;
	struct important_input in;
	char text[IMPORTANT_TEXT_MAX + 2];
	memset(text, 'a', IMPORTANT_TEXT_MAX + 1);
	text[IMPORTANT_TEXT_MAX + 1] = 0;
	cr_assert_eq(check("2025-09-15", "2025-09-16", text, &e, &in), 1);
	cr_assert_str_eq(e.text, "Vous avez dépassé le nombre maximal de caractères. Retirez des "
				 "caractères.");
	/* 148 letters and one line break typed in a textarea (sent as CR LF): 149. */
	memset(text, 'a', IMPORTANT_TEXT_MAX);
	text[74] = '\r';
	text[75] = '\n';
	text[IMPORTANT_TEXT_MAX] = 0;
	cr_assert_eq(check("2025-09-15", "2025-09-16", text, &e, &in), 0);
	cr_assert_eq(strlen(in.text), IMPORTANT_TEXT_MAX - 1);
}

Test(rules, the_window_runs_from_00_00_to_23_59_59_in_paris)
{
	int64_t from, until;
	important_window(day("2025-09-15"), day("2025-09-16"), PARIS, &from, &until);
	cr_assert_eq(from, at("2025-09-14T22:00:00Z"));
	cr_assert_eq(until, at("2025-09-16T22:00:00Z"));
	cr_assert_not(important_is_shown(from, until, from - 1));
	cr_assert(important_is_shown(from, until, from));
	cr_assert(important_is_shown(from, until, at("2025-09-16T21:59:59Z")));
	cr_assert(important_is_shown(from, until, at("2025-09-16T21:59:59Z") + 999));
	cr_assert_not(important_is_shown(from, until, until));
}

Test(rules, the_window_follows_la_reunion)
{
	int64_t from, until;
	important_window(day("2025-09-15"), day("2025-09-16"), REUNION, &from, &until);
	cr_assert_eq(from, at("2025-09-14T20:00:00Z"));
	cr_assert_eq(until, at("2025-09-16T20:00:00Z"));
	/* 23:30 in Paris on the end day is already the next day in La Réunion. */
	cr_assert_not(important_is_shown(from, until, at("2025-09-16T21:30:00Z")));
}

Test(rules, the_window_spans_a_dst_change)
{
	int64_t from, until;
	/* Saturday 25 October 2025 ends at midnight CEST; Sunday the clocks go back. */
	important_window(day("2025-10-25"), day("2025-10-26"), PARIS, &from, &until);
	cr_assert_eq(from, at("2025-10-24T22:00:00Z"));
	cr_assert_eq(until, at("2025-10-26T23:00:00Z"));
	cr_assert_eq(until - from, 49 * HOUR);
}

/* ======================================================================================
 * QR code (§12), pure
 * ==================================================================================== */

TestSuite(qr, .init = rules_setup, .fini = rules_teardown);

Test(qr, an_svg_with_its_title_and_role_img)
{
	char *svg = help_qr_svg(ra, "https://cej.example.fr/", "QR code : https://cej.example.fr/");
	cr_assert_not_null(svg);
	cr_assert(g_str_has_prefix(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	cr_assert(g_str_has_suffix(svg, "</svg>"));
	cr_assert_not_null(strstr(svg, "role=\"img\""));
	cr_assert_not_null(strstr(svg, "aria-label=\"QR code : https://cej.example.fr/\""));
	cr_assert_not_null(strstr(svg, "<title>QR code : https://cej.example.fr/</title>"));
	/* Version 2 (25 modules) with its quiet zone of 4: 33 units; the top-left finder
	 * pattern starts the path with a run of 7 dark modules. */
	cr_assert_not_null(strstr(svg, "viewBox=\"0 0 33 33\""), "%s", svg);
	cr_assert_not_null(strstr(svg, "d=\"M4 4h7v1h-7z"));
	cr_assert_null(strstr(svg, "style="), "no inline style: the CSP forbids it");
}

Test(qr, deterministic_and_specific_to_the_text)
{
	char *a = help_qr_svg(ra, "http://localhost:8080/", "x");
	char *b = help_qr_svg(ra, "http://localhost:8080/", "x");
	char *c = help_qr_svg(ra, "http://localhost:8081/", "x");
	cr_assert_str_eq(a, b);
	cr_assert_str_neq(a, c);
	cr_assert_gt(strlen(a), 500);
}

Test(qr, the_label_is_escaped_and_unencodable_text_gives_null)
{
	char *svg = help_qr_svg(ra, "https://a.fr/?a=1&b=2", "<b>\"x\" & y</b>");
	cr_assert_not_null(svg);
	cr_assert_not_null(strstr(svg, "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"));
	cr_assert_null(strstr(svg, "<b>"));
	cr_assert_null(help_qr_svg(ra, "", "x"));
	cr_assert_null(help_qr_svg(ra, NULL, "x"));
	GString *huge = g_string_new(NULL);
	for (int i = 0; i < 4000; i++)
		g_string_append_c(huge, 'a' + i % 26);
	cr_assert_null(help_qr_svg(ra, huge->str, "x"), "more than version 40 holds");
	g_string_free(huge, TRUE);
}

/* ======================================================================================
 * Digest rules (notifications.md §3.5), pure
 * ==================================================================================== */

TestSuite(digest_rules, .init = rules_setup, .fini = rules_teardown);

Test(digest_rules, weekdays_in_paris_only)
{
	cr_assert(digest_is_weekday(at("2025-09-15T06:00:00Z")));          /* Monday 08:00 */
	cr_assert(digest_is_weekday(at("2025-09-19T06:00:00Z")));          /* Friday */
	cr_assert_not(digest_is_weekday(at("2025-09-20T06:00:00Z")));      /* Saturday */
	cr_assert_not(digest_is_weekday(at("2025-09-21T06:00:00Z")));      /* Sunday */
	/* Sunday 23:30 UTC is already Monday in Paris; Friday 22:30 UTC is Saturday. */
	cr_assert(digest_is_weekday(at("2025-09-21T23:30:00Z")));
	cr_assert_not(digest_is_weekday(at("2025-09-19T22:30:00Z")));
}

Test(digest_rules, sent_only_with_unread_an_email_and_48_quiet_hours)
{
	int64_t now = at("2025-09-16T06:00:00Z");
	cr_assert_eq(digest_decide(3, "c@x.fr", 0, now), DIGEST_SEND);
	cr_assert_eq(digest_decide(0, "c@x.fr", 0, now), DIGEST_NOTHING_UNREAD);
	cr_assert_eq(digest_decide(1, NULL, 0, now), DIGEST_NO_EMAIL);
	cr_assert_eq(digest_decide(1, "", 0, now), DIGEST_NO_EMAIL);
	cr_assert_eq(digest_decide(1, "c@x.fr", now - 47 * HOUR, now), DIGEST_OPENED_RECENTLY);
	cr_assert_eq(digest_decide(1, "c@x.fr", now - 48 * HOUR, now), DIGEST_OPENED_RECENTLY);
	cr_assert_eq(digest_decide(1, "c@x.fr", now - 48 * HOUR - 1, now), DIGEST_SEND);
	cr_assert_eq(digest_decide(1, "c@x.fr", now - 72 * HOUR, now), DIGEST_SEND);
}

Test(digest_rules, the_subject_of_the_matrix)
{
	cr_assert_str_eq(digest_subject(ra, 3),
			 "Vous avez 3 conversation(s) non lue(s) sur l'application du CEJ");
}

/* ======================================================================================
 * Use cases and the job on a database
 * ==================================================================================== */

static struct fixture fx;
static struct db *db;
static struct arena *a;
static struct msg_keyring *keys;
static struct config *cfg;
static struct ctx app;
/* Structures in Paris and La Réunion; counselors: cid (Paris), rcid (La Réunion), xid
 * (Paris, no e-mail). Beneficiaries: b1, b2, b3 of cid, rb of rcid, xb of xid. */
static const char *sid, *rsid, *cid, *rcid, *xid, *b1, *b2, *b3, *rb, *xb;

static const char *
add_counselor(const char *structure, const char *email, const char *first)
{
	return fixture_counselor(&fx, &(struct admin_counselor){.email = email,
		.first_name = first, .last_name = "Martin", .structure_id = structure});
}

static const char *
add_beneficiary(const char *structure, const char *counselor, const char *first,
		const char *last)
{
	return fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = structure, .counselor_id = counselor, .first_name = first,
		.last_name = last, .activated_at = 1000});
}

static void
setup(void)
{
	fixture_open(&fx, "important", FIXTURE_DB | FIXTURE_APP);
	db = fx.db;
	a = fx.a;
	keys = fx.keys;
	cfg = fx.cfg;
	g_free(cfg->base_url);
	cfg->base_url = g_strdup("https://cej.example.fr/");
	app = fx.app;
	sid = fixture_structure(&fx, "29019S00", "ML Brest", PARIS);
	rsid = fixture_structure(&fx, "97411S00", "ML Sud Réunion", REUNION);
	cid = add_counselor(sid, "camille@x.fr", "Camille");
	rcid = add_counselor(rsid, "mael@x.fr", "Maël");
	xid = add_counselor(sid, NULL, "Xavier");
	b1 = add_beneficiary(sid, cid, "Léa", "Dupont");
	b2 = add_beneficiary(sid, cid, "Hugo", "Bernard");
	b3 = add_beneficiary(sid, cid, "Inès", "Petit");
	rb = add_beneficiary(rsid, rcid, "Noé", "Hoarau");
	xb = add_beneficiary(sid, xid, "Zoé", "Roux");
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(important, .init = setup, .fini = teardown, .timeout = 60);

static void
save(const char *counselor, const char *tz, const char *start, const char *end,
     const char *text, int64_t now)
{
	struct important_input in = {.start_day = day(start), .end_day = day(end), .text = text};
	cr_assert_eq(important_save(db, keys, a, now, counselor, tz, &in), 0);
}

static const char *
banner(const char *beneficiary, int64_t now)
{
	const char *text = (const char *)1;
	cr_assert_eq(important_banner_for_beneficiary(db, keys, a, beneficiary, now, &text), 0);
	return text;
}

static int
count(const char *sql, const char *param)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st);
	if (param)
		db_bind_text(st, 1, param);
	int64_t n = db_run_int(st);
	cr_assert_geq(n, 0);
	return (int)n;
}

Test(important, every_beneficiary_of_the_portfolio_sees_it_within_its_days_in_paris)
{
	save(cid, PARIS, "2025-09-15", "2025-09-16", "Agence fermée jeudi", at("2025-09-12T10:00:00Z"));
	cr_assert_null(banner(b1, at("2025-09-14T21:59:59Z")), "Sunday 23:59:59 in Paris");
	cr_assert_str_eq(banner(b1, at("2025-09-14T22:00:00Z")), "Agence fermée jeudi");
	cr_assert_str_eq(banner(b2, at("2025-09-15T10:00:00Z")), "Agence fermée jeudi");
	cr_assert_str_eq(banner(b3, at("2025-09-16T21:59:59Z")), "Agence fermée jeudi");
	cr_assert_null(banner(b3, at("2025-09-16T22:00:00Z")), "Wednesday 00:00 in Paris");
	cr_assert_null(banner(xb, at("2025-09-15T10:00:00Z")), "another counselor's portfolio");
	cr_assert_null(banner("0190b6a0-0000-7000-8000-00000000dead", at("2025-09-15T10:00:00Z")));
}

Test(important, la_reunion_counts_days_in_its_own_zone)
{
	save(rcid, REUNION, "2025-09-15", "2025-09-15", "Permanence annulée", 1);
	cr_assert_null(banner(rb, at("2025-09-14T19:59:59Z")));
	cr_assert_str_eq(banner(rb, at("2025-09-14T20:00:00Z")), "Permanence annulée");
	cr_assert_str_eq(banner(rb, at("2025-09-15T19:59:59Z")), "Permanence annulée");
	/* 22:00 in Paris, but already Tuesday in La Réunion. */
	cr_assert_null(banner(rb, at("2025-09-15T20:00:00Z")));
}

Test(important, one_per_counselor_a_new_one_replaces_it)
{
	save(cid, PARIS, "2025-09-15", "2025-09-20", "Premier", 1);
	save(cid, PARIS, "2025-09-16", "2025-09-17", "Second", 2);
	cr_assert_eq(count("SELECT count(*) FROM important_message WHERE counselor_id = $1", cid), 1);
	struct important m;
	cr_assert_eq(important_current(db, keys, a, cid, at("2025-09-15T10:00:00Z"), &m), 0);
	cr_assert_str_eq(m.text, "Second");
	cr_assert_str_eq(m.start_date, "2025-09-16");
	cr_assert_str_eq(m.end_date, "2025-09-17");
	cr_assert_null(banner(b1, at("2025-09-15T10:00:00Z")), "the new one starts on Tuesday");
	cr_assert_str_eq(banner(b1, at("2025-09-16T10:00:00Z")), "Second");
}

Test(important, configured_until_its_end_then_none)
{
	save(cid, PARIS, "2025-09-15", "2025-09-16", "Bientôt", 1);
	struct important m;
	cr_assert_eq(important_current(db, keys, a, cid, at("2025-09-01T10:00:00Z"), &m), 0,
		     "an upcoming message is configured");
	cr_assert_eq(important_current(db, keys, a, cid, at("2025-09-16T21:59:59Z"), &m), 0);
	cr_assert_eq(important_current(db, keys, a, cid, at("2025-09-16T22:00:00Z"), &m),
		     -ERR_NOTFOUND, "an ended message no longer counts");
	cr_assert_eq(important_current(db, keys, a, rcid, 1, &m), -ERR_NOTFOUND);
}

Test(important, disabling_removes_it_at_once)
{
	save(cid, PARIS, "2025-09-15", "2025-09-16", "Fermé", 1);
	cr_assert_eq(important_disable(db, cid), 0);
	cr_assert_null(banner(b1, at("2025-09-15T10:00:00Z")));
	struct important m;
	cr_assert_eq(important_current(db, keys, a, cid, 1, &m), -ERR_NOTFOUND);
	cr_assert_eq(important_disable(db, cid), 0, "nothing to disable is fine");
}

Test(important, the_text_is_sealed_at_rest)
{
	save(cid, PARIS, "2025-09-15", "2025-09-16", "Secret de Polichinelle", 1);
	cr_assert_eq(count("SELECT count(*) FROM important_message WHERE instr(content, $1) > 0",
			   "Polichinelle"), 0);
	cr_assert_eq(count("SELECT count(*) FROM important_message WHERE key_id = $1",
			   crypto_keyring_current(keys)), 1);
}

Test(important, it_follows_the_referent_and_skips_deleted_accounts)
{
	save(cid, PARIS, "2025-09-15", "2025-09-16", "De Camille", 1);
	save(xid, PARIS, "2025-09-15", "2025-09-16", "De Xavier", 1);
	int64_t now = at("2025-09-15T10:00:00Z");
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET counselor_id = $2 WHERE id = $1");
	db_bind_text(st, 1, b1);
	db_bind_text(st, 2, xid);
	cr_assert_eq(db_run(st), 0);
	cr_assert_str_eq(banner(b1, now), "De Xavier");
	st = db_prepare(db, "UPDATE beneficiary SET deleted_at = 5 WHERE id = $1");
	db_bind_text(st, 1, b2);
	cr_assert_eq(db_run(st), 0);
	cr_assert_null(banner(b2, now));
}

/* ---- The digest ---- */

static void
says(const char *ben, enum msg_sender side, const char *counselor, const char *text, int64_t now)
{
	struct msg_send in = {.sender = side, .counselor_id = counselor, .kind = MSG_MESSAGE,
			      .text = text};
	const char *error = NULL;
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_send(db, keys, a, now, ben, &in, NULL, &error), 0, "%s",
		     error ? error : "");
	cr_assert_eq(db_tx_commit(db), 0);
}

static void
opens(const char *ben, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_mark_read(db, a, now, ben, MSG_FROM_COUNSELOR), 0);
	cr_assert_eq(db_tx_commit(db), 0);
}

static int
mails_to(const char *to)
{
	return count("SELECT count(*) FROM mail_outbox WHERE recipient = $1", to);
}

/* Monday 15 September 2025: three beneficiaries of Camille write; one gets an answer. */
static void
three_waiting(void)
{
	int64_t mon = at("2025-09-15T09:00:00Z");
	says(b1, MSG_FROM_BENEFICIARY, NULL, "Bonjour, j’ai une question", mon);
	says(b2, MSG_FROM_BENEFICIARY, NULL, "Mon CV est prêt", mon + 1);
	says(b3, MSG_FROM_BENEFICIARY, NULL, "Je serai en retard", mon + 2);
	says(rb, MSG_FROM_BENEFICIARY, NULL, "Bonjour", mon + 3);
}

Test(important, digest_counts_conversations_whose_last_message_is_unread_incoming)
{
	int64_t mon = at("2025-09-15T09:00:00Z");
	three_waiting();
	struct digest_candidate *c;
	int n = digest_store_candidates(db, a, "2025-09-16", &c);
	cr_assert_eq(n, 2, "Camille and Maël; Xavier has nothing unread");
	const struct digest_candidate *cam = !strcmp(c[0].counselor_id, cid) ? &c[0] : &c[1];
	cr_assert_eq(cam->unread, 3);
	cr_assert_eq(cam->last_open, 0);
	cr_assert_str_eq(cam->email, "camille@x.fr");
	cr_assert_str_eq(cam->first_name, "Camille");
	/* Camille's last word in b3's conversation: it no longer counts. */
	says(b3, MSG_FROM_COUNSELOR, cid, "À demain", mon + HOUR);
	n = digest_store_candidates(db, a, "2025-09-16", &c);
	cam = !strcmp(c[0].counselor_id, cid) ? &c[0] : &c[1];
	cr_assert_eq(cam->unread, 2);
	/* Reading b1's conversation marks it, and is the last opening. */
	opens(b1, mon + 2 * HOUR);
	n = digest_store_candidates(db, a, "2025-09-16", &c);
	cam = !strcmp(c[0].counselor_id, cid) ? &c[0] : &c[1];
	cr_assert_eq(cam->unread, 1);
	cr_assert_eq(cam->last_open, mon + 2 * HOUR);
	cr_assert_eq(digest_store_last_open(db, cid), mon + 2 * HOUR);
	cr_assert_eq(digest_store_last_open(db, xid), 0);
}

Test(important, tuesday_08_00_sends_one_mail_and_a_rerun_sends_nothing)
{
	three_waiting();
	int64_t tue = at("2025-09-16T06:00:00Z");
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, tue), 2);
	cr_assert_eq(mails_to("camille@x.fr"), 1);
	cr_assert_eq(mails_to("mael@x.fr"), 1);
	struct db_stmt *st = db_prepare(db, "SELECT subject, body_text, body_html FROM mail_outbox "
					    "WHERE recipient = 'camille@x.fr'");
	const char *subject, *text, *html;
	cr_assert_eq(db_run_texts(st, a, 3, &subject, &text, &html), 0);
	cr_assert_str_eq(subject, "Vous avez 3 conversation(s) non lue(s) sur l'application du CEJ");
	cr_assert_not_null(strstr(text, "Bonjour Camille,"));
	cr_assert_not_null(strstr(text, "Vous avez 3 conversation(s) non lue(s)"));
	cr_assert_not_null(strstr(text, "https://cej.example.fr/messagerie"));
	cr_assert_not_null(strstr(html, "href=\"https://cej.example.fr/messagerie\""));
	cr_assert_not_null(strstr(html, "Accéder à mes conversations"));
	/* No beneficiary name, no message content. */
	const char *never[] = {"Léa", "Dupont", "Hugo", "Bernard", "Inès", "Petit", "question",
			       "CV", "retard"};
	for (size_t i = 0; i < G_N_ELEMENTS(never); i++) {
		cr_assert_null(strstr(text, never[i]), "%s", never[i]);
		cr_assert_null(strstr(html, never[i]), "%s", never[i]);
	}
	/* Later the same day: nothing more. */
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, tue + 6 * HOUR), 0);
	cr_assert_eq(mails_to("camille@x.fr"), 1);
	/* The next day, still unread and still quiet: a new digest. */
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, tue + DAY), 2);
	cr_assert_eq(mails_to("camille@x.fr"), 2);
}

Test(important, nothing_on_saturday_nor_sunday)
{
	three_waiting();
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, at("2025-09-20T06:00:00Z")), 0);
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, at("2025-09-21T06:00:00Z")), 0);
	cr_assert_eq(count("SELECT count(*) FROM mail_outbox", NULL), 0);
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, at("2025-09-22T06:00:00Z")), 2);
}

Test(important, a_conversation_opened_within_48_hours_holds_the_mail)
{
	three_waiting();
	int64_t tue = at("2025-09-16T06:00:00Z");
	/* Camille read Léa's conversation on Monday at 12:00 in Paris, after the messages. */
	opens(b1, tue - 20 * HOUR);
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, tue), 1, "Maël only");
	cr_assert_eq(mails_to("camille@x.fr"), 0);
	/* Wednesday 08:00: 44 h ago, still held. */
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, tue + DAY), 1, "Maël only");
	cr_assert_eq(mails_to("camille@x.fr"), 0);
	/* Thursday 08:00: 68 h: the two conversations still unread are mailed. */
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, tue + 2 * DAY), 2);
	struct db_stmt *st = db_prepare(db, "SELECT subject FROM mail_outbox "
					    "WHERE recipient = 'camille@x.fr'");
	const char *subject;
	cr_assert_eq(db_run_texts(st, a, 1, &subject), 0);
	cr_assert_str_eq(subject, "Vous avez 2 conversation(s) non lue(s) sur l'application du CEJ");
}

Test(important, no_mail_without_an_email_nor_without_unread)
{
	says(xb, MSG_FROM_BENEFICIARY, NULL, "Bonjour", at("2025-09-15T09:00:00Z"));
	cr_assert_eq(digest_run(db, a, app.tmpl, cfg->base_url, at("2025-09-16T06:00:00Z")), 0);
	cr_assert_eq(count("SELECT count(*) FROM mail_outbox", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM unread_digest", NULL), 0);
}

Test(important, the_daily_job_runs_at_08_00_paris)
{
	three_waiting();
	int64_t mon = at("2025-09-15T10:00:00Z");
	cr_assert_eq(digest_jobs_plan(db, mon), 0);
	cr_assert_eq(digest_jobs_plan(db, mon), 0, "idempotent");
	struct job j;
	cr_assert_eq(jobs_find(db, a, DIGEST_KEY, &j), 0);
	cr_assert_str_eq(j.kind, DIGEST_KIND);
	cr_assert_eq(j.run_at, at("2025-09-16T06:00:00Z"), "Tuesday 08:00 in Paris");
	cr_assert_eq(jobs_run_due(messaging_feature.job_kinds, messaging_feature.n_job_kinds, &app, db,
				  j.run_at - 1, 10), 0);
	cr_assert_eq(jobs_run_due(messaging_feature.job_kinds, messaging_feature.n_job_kinds, &app, db, j.run_at, 10), 1);
	cr_assert_eq(mails_to("camille@x.fr"), 1);
	cr_assert_eq(jobs_find(db, a, DIGEST_KEY, &j), 0, "planned again");
	cr_assert_eq(j.run_at, at("2025-09-17T06:00:00Z"));
}
