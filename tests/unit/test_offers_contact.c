/* test_offers_contact.c — the Immersion "Contacter l'entreprise" request delivered by
 * Immersion Facilitée (offers_app_contact.h, docs/offers.md "Contacter l'entreprise"),
 * against a fake of the API v2's POST /contact-establishment running in the test
 * (libmicrohttpd on a free port of the loopback), which answers what the test asks (201,
 * a 4xx with its {"message"}, a 5xx) and keeps the last body and Authorization it got.
 *
 * Suites: rules (what an answer means, the phone's international form, the body of each
 * contact mode: pure); deliver (both engines: without credentials the mail stays; with
 * them the request is a job — never sent by the use case —, delivered, refused for good on
 * a 4xx, retried on a 5xx or no answer and given up after its last attempt; the job names
 * no one but by id and goes with the account). */
#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "core/ctx.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "offers/offers.h"
#include "offers/offers_app.h"
#include "offers/offers_app_contact.h"

#include "fixture.h"

extern const struct feature offers_feature;   /* its job kinds */

#include <criterion/criterion.h>
#include <glib.h>
#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#define MINUTE (60 * 1000LL)

/* ==== Rules (pure) ==== */

Test(rules, a_2xx_is_delivered_a_4xx_refused_and_the_rest_retried)
{
	cr_assert_eq(offers_contact_outcome_of(201), CONTACT_DELIVERED);
	cr_assert_eq(offers_contact_outcome_of(200), CONTACT_DELIVERED);
	cr_assert_eq(offers_contact_outcome_of(400), CONTACT_REFUSED);
	cr_assert_eq(offers_contact_outcome_of(401), CONTACT_RETRY);    /* the key: the operator's */
	cr_assert_eq(offers_contact_outcome_of(403), CONTACT_RETRY);
	cr_assert_eq(offers_contact_outcome_of(404), CONTACT_REFUSED);
	cr_assert_eq(offers_contact_outcome_of(409), CONTACT_REFUSED);
	cr_assert_eq(offers_contact_outcome_of(408), CONTACT_RETRY);
	cr_assert_eq(offers_contact_outcome_of(429), CONTACT_RETRY);
	cr_assert_eq(offers_contact_outcome_of(500), CONTACT_RETRY);
	cr_assert_eq(offers_contact_outcome_of(503), CONTACT_RETRY);
	cr_assert_eq(offers_contact_outcome_of(0), CONTACT_RETRY);       /* no answer */
	cr_assert_eq(offers_contact_outcome_of(302), CONTACT_RETRY);
}

Test(rules, the_phone_goes_in_its_international_form)
{
	struct arena *a = arena_new();
	cr_assert_str_eq(offers_contact_phone_e164(a, "06 12 34 56 78"), "+33612345678");
	cr_assert_str_eq(offers_contact_phone_e164(a, "06.12.34.56.78"), "+33612345678");
	cr_assert_str_eq(offers_contact_phone_e164(a, "+33 6 12 34 56 78"), "+33612345678");
	cr_assert_str_eq(offers_contact_phone_e164(a, "0033612345678"), "+33612345678");
	cr_assert_str_eq(offers_contact_phone_e164(a, "+262 692 12 34 56"), "+262692123456");
	/* The overseas départements' national numbers have their own country code. */
	cr_assert_str_eq(offers_contact_phone_e164(a, "0692 12 34 56"), "+262692123456");
	cr_assert_str_eq(offers_contact_phone_e164(a, "02 62 12 34 56"), "+262262123456");
	cr_assert_str_eq(offers_contact_phone_e164(a, "0639 12 34 56"), "+262639123456");
	cr_assert_str_eq(offers_contact_phone_e164(a, "0690 12 34 56"), "+590690123456");
	cr_assert_str_eq(offers_contact_phone_e164(a, "0594 12 34 56"), "+594594123456");
	cr_assert_str_eq(offers_contact_phone_e164(a, "0696 12 34 56"), "+596696123456");
	cr_assert_str_eq(offers_contact_phone_e164(a, "01 62 12 34 56"), "+33162123456");
	arena_free(a);
}

static const struct offers_contact_row ROW = {
	.id = "r1", .beneficiary_id = "b1", .siret = "12345678901234", .appellation_code = "11573",
	.delivery = "EN_ATTENTE",
	.c = {"Léa", "Morvan", "lea@exemple.fr", "06 12 34 56 78", "2026-04-01",
	      "Bonjour, je voudrais découvrir le métier."},
};

static const char *
str(json_t *b, const char *k)
{
	return json_string_value(json_object_get(b, k));
}

Test(rules, the_email_mode_body_carries_every_field_and_the_start_date_in_the_message)
{
	struct arena *a = arena_new();
	json_t *b = offers_contact_v2_body(a, &ROW, "EMAIL");
	cr_assert_str_eq(str(b, "appellationCode"), "11573");
	cr_assert_str_eq(str(b, "siret"), "12345678901234");
	cr_assert_str_eq(str(b, "potentialBeneficiaryFirstName"), "Léa");
	cr_assert_str_eq(str(b, "potentialBeneficiaryLastName"), "Morvan");
	cr_assert_str_eq(str(b, "potentialBeneficiaryEmail"), "lea@exemple.fr");
	cr_assert_str_eq(str(b, "potentialBeneficiaryPhone"), "+33612345678");
	cr_assert_str_eq(str(b, "contactMode"), "EMAIL");
	cr_assert(json_is_null(json_object_get(b, "immersionObjective")));
	const char *m = str(b, "message");
	cr_assert(strstr(m, "Date de début d’immersion souhaitée : ") == m, "%s", m);
	cr_assert(strstr(m, "2026"), "%s", m);
	cr_assert(g_str_has_suffix(m, "\n\nBonjour, je voudrais découvrir le métier."), "%s", m);
	cr_assert_eq(json_object_size(b), 9);
	json_decref(b);
	/* No words: the date alone, never an empty message (the API refuses one). */
	struct offers_contact_row quiet = ROW;
	quiet.c.message = "  ";
	b = offers_contact_v2_body(a, &quiet, NULL);
	cr_assert_str_eq(str(b, "contactMode"), "EMAIL");
	cr_assert_null(strchr(str(b, "message"), '\n'));
	json_decref(b);
	arena_free(a);
}

Test(rules, the_phone_and_in_person_modes_carry_only_the_common_fields)
{
	struct arena *a = arena_new();
	for (int i = 0; i < 2; i++) {
		json_t *b = offers_contact_v2_body(a, &ROW, i ? "IN_PERSON" : "PHONE");
		cr_assert_str_eq(str(b, "contactMode"), i ? "IN_PERSON" : "PHONE");
		cr_assert_str_eq(str(b, "potentialBeneficiaryEmail"), "lea@exemple.fr");
		cr_assert_null(json_object_get(b, "message"));
		cr_assert_null(json_object_get(b, "potentialBeneficiaryPhone"));
		cr_assert_eq(json_object_size(b), 6);
		json_decref(b);
	}
	arena_free(a);
}

/* ==== The fake endpoint ==== */

struct fake {
	struct MHD_Daemon *d;
	int port;
	GMutex lock;
	int status;                /* the next answers' status (201 by default) */
	const char *reply;         /* … and body (NULL: empty) */
	int requests;
	char method[16], url[256], auth[256], content_type[128];
	GString *body;             /* the last request's body */
};

static struct fake fk;

static enum MHD_Result
serve(void *cls, struct MHD_Connection *c, const char *url, const char *method,
      const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)cls, (void)version;
	if (!*state) {                   /* headers only: wait for the body */
		*state = &fk;
		g_mutex_lock(&fk.lock);
		g_string_truncate(fk.body, 0);
		g_mutex_unlock(&fk.lock);
		return MHD_YES;
	}
	g_mutex_lock(&fk.lock);
	if (*upload_size) {
		g_string_append_len(fk.body, upload, (gssize)*upload_size);
		*upload_size = 0;
		g_mutex_unlock(&fk.lock);
		return MHD_YES;
	}
	fk.requests++;
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	g_strlcpy(fk.method, method, sizeof(fk.method));
	g_strlcpy(fk.url, url, sizeof(fk.url));
	g_strlcpy(fk.auth, auth ? auth : "", sizeof(fk.auth));
	g_strlcpy(fk.content_type, ct ? ct : "", sizeof(fk.content_type));
	const char *reply = fk.reply ? fk.reply : "";
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(reply), (void *)reply,
								 MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)fk.status, r);
	MHD_destroy_response(r);
	g_mutex_unlock(&fk.lock);
	return ret;
}

static void
answer(int status, const char *reply)
{
	g_mutex_lock(&fk.lock);
	fk.status = status;
	fk.reply = reply;
	g_mutex_unlock(&fk.lock);
}

/* ==== Delivery (both engines) ==== */

static struct fixture fx;
static const char *ben;

static const struct offer IMMERSION = {
	.id = "12345678901234-11573", .type = OFFER_IMMERSION, .title = "Boulanger",
	.appellation_label = "Boulanger", .siret = "12345678901234", .company = "Fournil de Siam",
	.contact_mode = "EMAIL",
};
static const struct offers_contact FORM = {"Léa", "Morvan", "lea@exemple.fr", "06 12 34 56 78",
					   "2026-04-01", "Bonjour, je voudrais découvrir le métier."};

static void
set(char **field, const char *value)
{
	g_free(*field);
	*field = g_strdup(value);
}

static void
setup(void)
{
	fk.body = g_string_new(NULL);
	g_mutex_init(&fk.lock);
	fk.status = 201;
	fk.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				serve, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	cr_assert_not_null(fk.d, "the fake endpoint listens");
	fk.port = MHD_get_daemon_info(fk.d, MHD_DAEMON_INFO_BIND_PORT)->port;
	fixture_open(&fx, "offers-contact", FIXTURE_DB | FIXTURE_APP);
	struct fixture_two_ml ml;
	fixture_two_ml(&fx, &ml);
	ben = ml.elodie;
	set(&fx.cfg->immersion_api_key, "cle-immersion");
	set(&fx.cfg->immersion_api_url, arena_printf(fx.a, "http://127.0.0.1:%d/v2", fk.port));
	fx.cfg->offers_sync_timeout_ms = 5000;
}

static void
teardown(void)
{
	fixture_close(&fx);
	MHD_stop_daemon(fk.d);
	g_mutex_clear(&fk.lock);
	g_string_free(fk.body, TRUE);
	memset(&fk, 0, sizeof(fk));
}

TestSuite(deliver, .init = setup, .fini = teardown, .timeout = 60);

static int
count(const char *sql, const char *param)
{
	return fixture_count(&fx, sql, param);
}

static const char *
delivery(void)
{
	struct db_stmt *st = db_prepare(fx.db, "SELECT delivery, delivery_error "
					    "FROM offer_immersion_contact WHERE beneficiary_id = $1");
	db_bind_text(st, 1, ben);
	cr_assert_eq(db_step(st), DB_ROW);
	const char *d = db_col_dup(st, fx.a, 0), *e = db_col_dup(st, fx.a, 1);
	db_finish(st);
	return e ? arena_printf(fx.a, "%s %s", d, e) : d;
}

static void
send_at(int64_t now)
{
	struct refusal why = {0};
	cr_assert_eq(offers_contact_send(&fx.app, fx.db, fx.a, ben, &IMMERSION, &FORM, now, &why), 0);
}

/* The due jobs at @now, as the runner of `cej serve` runs them. */
static void
run_jobs(int64_t now)
{
	cr_assert_geq(jobs_run_due(offers_feature.job_kinds, offers_feature.n_job_kinds, &fx.app,
				   fx.db, now, 10), 0);
}

static void
jobs(int pending, int dead)
{
	int p = -1, d = -1;
	cr_assert_eq(jobs_count(fx.db, OFFERS_CONTACT_KIND, &p, &d), 0);
	cr_assert(p == pending && d == dead, "%d pending, %d dead; want %d, %d", p, d, pending, dead);
}

Test(deliver, without_credentials_the_request_is_mailed_to_the_stand_in_address)
{
	set(&fx.cfg->immersion_api_key, "");
	send_at(fixture_at("2026-03-20T09:00:00Z"));
	cr_assert_str_eq(delivery(), "MAIL");
	cr_assert_eq(count("SELECT count(*) FROM mail_outbox WHERE recipient = $1",
			   "entreprise-12345678901234@immersion.example"), 1);
	jobs(0, 0);
}

Test(deliver, with_credentials_a_job_posts_the_request_and_no_mail_leaves)
{
	int64_t t = fixture_at("2026-03-20T09:00:00Z");
	send_at(t);
	/* The use case only planned it: nothing left before the runner. */
	cr_assert_eq(fk.requests, 0);
	cr_assert_str_eq(delivery(), "EN_ATTENTE");
	jobs(1, 0);
	cr_assert_eq(count("SELECT count(*) FROM mail_outbox", NULL), 0);
	/* The payload names no one but by id. */
	cr_assert_eq(count("SELECT count(*) FROM job WHERE kind = $1 AND payload LIKE '%Morvan%'",
			   OFFERS_CONTACT_KIND), 0);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE kind = $1 AND (payload LIKE '%lea@%' "
			   "OR payload LIKE '%06 12%')", OFFERS_CONTACT_KIND), 0);

	run_jobs(t);
	cr_assert_eq(fk.requests, 1);
	cr_assert_str_eq(fk.method, "POST");
	cr_assert_str_eq(fk.url, "/v2/contact-establishment");
	cr_assert_str_eq(fk.auth, "cle-immersion");
	cr_assert_str_eq(fk.content_type, "application/json");
	json_t *b = json_loads(fk.body->str, 0, NULL);
	cr_assert_not_null(b, "%s", fk.body->str);
	cr_assert_str_eq(str(b, "siret"), "12345678901234");
	cr_assert_str_eq(str(b, "appellationCode"), "11573");
	cr_assert_str_eq(str(b, "potentialBeneficiaryFirstName"), "Léa");
	cr_assert_str_eq(str(b, "potentialBeneficiaryLastName"), "Morvan");
	cr_assert_str_eq(str(b, "potentialBeneficiaryEmail"), "lea@exemple.fr");
	cr_assert_str_eq(str(b, "potentialBeneficiaryPhone"), "+33612345678");
	cr_assert_str_eq(str(b, "contactMode"), "EMAIL");
	cr_assert(strstr(str(b, "message"), "Bonjour, je voudrais découvrir le métier."));
	json_decref(b);
	cr_assert_str_eq(delivery(), "TRANSMISE");
	jobs(0, 0);                                     /* the payload went with the job */
	cr_assert_eq(count("SELECT count(*) FROM mail_outbox", NULL), 0);
	/* Delivered or not, the 7-day rule counts the request from its acceptance. */
	struct refusal why = {0};
	cr_assert_eq(offers_contact_send(&fx.app, fx.db, fx.a, ben, &IMMERSION, &FORM,
					 t + 6 * 24 * 60 * MINUTE, &why), -ERR_CONFLICT);
	cr_assert_eq(why.status, 409);
}

Test(deliver, a_4xx_is_recorded_as_refused_and_never_retried)
{
	int64_t t = fixture_at("2026-03-20T09:00:00Z");
	answer(404, "{\"status\":404,\"message\":\"Aucune offre pour ce SIRET et ce métier\"}");
	send_at(t);
	run_jobs(t);
	cr_assert_eq(fk.requests, 1);
	cr_assert_str_eq(delivery(), "ECHEC HTTP 404 : Aucune offre pour ce SIRET et ce métier");
	jobs(0, 0);
	answer(201, NULL);
	run_jobs(t + 24 * 60 * MINUTE);
	cr_assert_eq(fk.requests, 1, "no retry after a refusal");
	/* The request never reached the company: the young person may send it again at once. */
	struct refusal why = {0};
	cr_assert_eq(offers_contact_send(&fx.app, fx.db, fx.a, ben, &IMMERSION, &FORM,
					 t + 25 * 60 * MINUTE, &why), 0, "%s", why.message ? why.message : "");
}

Test(deliver, a_5xx_is_retried_with_backoff_then_delivered)
{
	int64_t t = fixture_at("2026-03-20T09:00:00Z");
	answer(503, "<html>maintenance");
	send_at(t);
	run_jobs(t);
	cr_assert_eq(fk.requests, 1);
	cr_assert_str_eq(delivery(), "EN_ATTENTE");
	jobs(1, 0);
	run_jobs(t + 30 * 1000);                        /* the backoff is not over */
	cr_assert_eq(fk.requests, 1);
	answer(201, NULL);
	run_jobs(t + OFFERS_CONTACT_BACKOFF_MS);
	cr_assert_eq(fk.requests, 2);
	cr_assert_str_eq(delivery(), "TRANSMISE");
	jobs(0, 0);
}

Test(deliver, no_answer_is_retried_and_the_last_attempt_records_the_failure)
{
	int64_t t = fixture_at("2026-03-20T09:00:00Z");
	/* Nothing listens there: the connection is refused, as a provider down. */
	MHD_stop_daemon(fk.d);
	fk.d = NULL;
	send_at(t);
	for (int i = 0; i < OFFERS_CONTACT_MAX_ATTEMPTS - 1; i++) {
		run_jobs(t + i * 2 * 60 * MINUTE);
		cr_assert_str_eq(delivery(), "EN_ATTENTE");
		jobs(1, 0);
	}
	run_jobs(t + OFFERS_CONTACT_MAX_ATTEMPTS * 2 * 60 * MINUTE);
	cr_assert(g_str_has_prefix(delivery(), "ECHEC abandonnée"), "%s", delivery());
	jobs(0, 1);
	/* The dead row, kept for support, still goes with the account. */
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_feature.purge(fx.db, ben), 0);
	cr_assert_eq(jobs_purge_beneficiary(fx.db, ben), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	jobs(0, 0);
}

Test(deliver, the_account_purge_takes_the_pending_request_and_its_job)
{
	int64_t t = fixture_at("2026-03-20T09:00:00Z");
	send_at(t);
	jobs(1, 0);
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_feature.purge(fx.db, ben), 0);
	cr_assert_eq(jobs_purge_beneficiary(fx.db, ben), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	jobs(0, 0);
	cr_assert_eq(count("SELECT count(*) FROM offer_immersion_contact WHERE beneficiary_id = $1",
			   ben), 0);
	run_jobs(t);
	cr_assert_eq(fk.requests, 0);
}

Test(deliver, a_job_whose_request_is_gone_is_done_without_a_call)
{
	int64_t t = fixture_at("2026-03-20T09:00:00Z");
	send_at(t);
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_feature.purge(fx.db, ben), 0);   /* the row only, not the job */
	cr_assert_eq(db_tx_commit(fx.db), 0);
	run_jobs(t);
	cr_assert_eq(fk.requests, 0);
	jobs(0, 0);
}
