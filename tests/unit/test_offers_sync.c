/* test_offers_sync.c — the providers' HTTP sync (offers.md §8.2–§8.3, docs/offers.md
 * "Synchronisation") against a fake of the four providers running in the test (libmicrohttpd
 * on a free port of the loopback): it serves the recorded responses of tests/data/offers/ in
 * each provider's shape — France Travail's OAuth2 token endpoint, its pages by `range` with
 * 206 and Content-Range and its 204, API Engagement's size/from, Immersion's search, the
 * events' pages — and, on demand, a 429, a 500 or a page that is no JSON.
 *
 * Suites: sync (each provider's run and what the catalogue then holds; a failing provider
 * leaves it unchanged — scenario 9 —; two full runs without an offer make it inactive —
 * scenario 10's first half — and the purge 30 days later cleans the search index too),
 * jobs (the planner plans a provider's jobs only when its credentials are set), rules; and
 * the young person's "Externes" tab: its search (suite events) and the JOB_EVENT_SHARE card. */
#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "core/ctx.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "geo/geo.h"
#include "messaging/messaging.h"
#include "offers/offers.h"
#include "offers/offers_events_app.h"
#include "offers/offers_events_app_store.h"
#include "offers/offers_import.h"
#include "offers/offers_search.h"
#include "offers/offers_store.h"
#include "offers/offers_sync.h"
#include "offers/offers_sync_jobs.h"
#include "offers/offers_sync_store.h"
#include "offers/offers_text.h"

#include "fixture.h"

extern const struct feature offers_feature;   /* its job kinds: the sync's planner */

#include <criterion/criterion.h>
#include <glib.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define DATA CEJ_SOURCE_ROOT "/tests/data/offers/"
#define DAY_MS (24 * 3600 * 1000LL)

/* ======================================================================================
 * The fake providers
 * ==================================================================================== */

struct fake {
	struct MHD_Daemon *d;
	int port;
	json_t *ft, *engagement, *immersion, *mee;   /* the records each serves */
	GMutex lock;
	/* What the next requests meet. */
	int fail_status;          /* != 0: the first request whose path has fail_path gets it */
	const char *fail_path;
	long fail_from;           /* … and (France Travail) whose range starts at or after it */
	bool malformed;           /* the failing request gets a page that is no JSON instead */
	int too_many;             /* this many 429 before answering */
	long ft_split_total;      /* != 0: without `departement`, France Travail says this total */
	/* What was asked. */
	int requests, token_requests, search_requests, dept_requests;
	char last_query[1024];
	char last_auth[256];
};

static struct fake fk;

static json_t *
load(const char *file, const char *key)
{
	json_error_t e;
	char *path = g_strdup_printf(DATA "%s", file);
	json_t *doc = json_load_file(path, 0, &e);
	g_free(path);
	cr_assert_not_null(doc, "%s: %s", file, e.text);
	json_t *recs = key ? json_incref(json_object_get(doc, key)) : json_incref(doc);
	json_decref(doc);
	return recs;
}

static long
arg_long(struct MHD_Connection *c, const char *k, long def)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
	return v ? strtol(v, NULL, 10) : def;
}

static enum MHD_Result
send_json(struct MHD_Connection *c, int status, json_t *doc, const char *content_range)
{
	char *body = doc ? json_dumps(doc, JSON_COMPACT) : strdup("");
	json_decref(doc);
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body,
								 MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "application/json");
	if (content_range)
		MHD_add_response_header(r, "Content-Range", content_range);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The slice [@from, @from + @n) of @recs (new array). */
static json_t *
slice(json_t *recs, long from, long n)
{
	json_t *out = json_array();
	for (long i = from; i < from + n && i < (long)json_array_size(recs); i++)
		json_array_append(out, json_array_get(recs, (size_t)i));
	return out;
}

/* The France Travail records of département @dept (their lieuTravail's "29 - Brest"). */
static json_t *
ft_of(const char *dept)
{
	if (!dept)
		return json_incref(fk.ft);
	json_t *out = json_array();
	size_t i;
	json_t *rec;
	char *prefix = g_strdup_printf("%s - ", dept);
	json_array_foreach(fk.ft, i, rec) {
		const char *l = json_string_value(json_object_get(json_object_get(rec, "lieuTravail"),
								  "libelle"));
		if (l && g_str_has_prefix(l, prefix))
			json_array_append(out, rec);
	}
	g_free(prefix);
	return out;
}

static enum MHD_Result
serve(void *cls, struct MHD_Connection *c, const char *url, const char *method,
      const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)cls, (void)version, (void)upload;
	if (!*state) {                   /* headers only: wait for the body */
		*state = &fk;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	g_mutex_lock(&fk.lock);
	fk.requests++;
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *apikey = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "apikey");
	g_strlcpy(fk.last_auth, auth ? auth : apikey ? apikey : "", sizeof(fk.last_auth));
	const char *min = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "minCreationDate");
	const char *created = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "createdAt");
	const char *dept = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "departement");
	snprintf(fk.last_query, sizeof(fk.last_query), "%s %s min=%s created=%s dept=%s", method,
		 url, min ? min : "-", created ? created : "-", dept ? dept : "-");
	long range_from = 0, range_to = 149;
	const char *range = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "range");
	if (range)
		sscanf(range, "%ld-%ld", &range_from, &range_to);
	long from = strstr(url, "/ft/") ? range_from : arg_long(c, "from", arg_long(c, "page", 0));
	enum MHD_Result ret;
	if (fk.too_many > 0) {
		fk.too_many--;
		ret = send_json(c, 429, json_pack("{s:s}", "message", "Too many requests"), NULL);
	} else if (fk.fail_status && strstr(url, fk.fail_path) && from >= fk.fail_from) {
		int status = fk.fail_status;
		fk.fail_status = 0;
		if (fk.malformed) {
			struct MHD_Response *r = MHD_create_response_from_buffer(
				strlen("<html>maintenance"), "<html>maintenance", MHD_RESPMEM_PERSISTENT);
			ret = MHD_queue_response(c, (unsigned)status, r);
			MHD_destroy_response(r);
		} else {
			ret = send_json(c, status, json_pack("{s:s}", "message", "erreur"), NULL);
		}
	} else if (!strcmp(url, "/ft/token")) {
		fk.token_requests++;
		ret = send_json(c, 200, json_pack("{s:s,s:s,s:i}", "access_token", "jeton-de-test",
						  "token_type", "Bearer", "expires_in", 1499), NULL);
	} else if (!strcmp(url, "/ft/offres/search")) {
		fk.search_requests++;
		fk.dept_requests += dept != NULL;
		if (!auth || strcmp(auth, "Bearer jeton-de-test")) {
			ret = send_json(c, 401, NULL, NULL);
		} else {
			json_t *recs = ft_of(dept);
			long total = !dept && fk.ft_split_total ? fk.ft_split_total
							     : (long)json_array_size(recs);
			if (range_from >= total) {
				ret = send_json(c, 204, NULL, NULL);
			} else {
				json_t *page = slice(recs, range_from, range_to - range_from + 1);
				long last = range_from + (long)json_array_size(page) - 1;
				char *cr = g_strdup_printf("offres %ld-%ld/%ld", range_from, last, total);
				ret = send_json(c, last + 1 < total ? 206 : 200,
						json_pack("{s:o}", "resultats", page), cr);
				g_free(cr);
			}
			json_decref(recs);
		}
	} else if (!strcmp(url, "/engagement/mission/search")) {
		fk.search_requests++;
		if (!apikey || strcmp(apikey, "cle-engagement")) {
			ret = send_json(c, 401, NULL, NULL);
		} else {
			long size = arg_long(c, "size", 25);
			ret = send_json(c, 200, json_pack("{s:b,s:I,s:o}", "ok", 1, "total",
							  (json_int_t)json_array_size(fk.engagement),
							  "hits", slice(fk.engagement, from, size)), NULL);
		}
	} else if (!strcmp(url, "/immersion/search")) {
		fk.search_requests++;
		ret = auth && !strcmp(auth, "cle-immersion")
			? send_json(c, 200, json_incref(fk.immersion), NULL)
			: send_json(c, 401, NULL, NULL);
	} else if (!strcmp(url, "/mee/evenements")) {
		fk.search_requests++;
		long size = arg_long(c, "size", 20);
		long n = (long)json_array_size(fk.mee);
		ret = send_json(c, 200, json_pack("{s:I,s:I,s:I,s:I,s:o}", "totalElements",
						  (json_int_t)n, "totalPages",
						  (json_int_t)((n + size - 1) / size), "size",
						  (json_int_t)size, "number", (json_int_t)from, "content",
						  slice(fk.mee, from * size, size)), NULL);
	} else {
		ret = send_json(c, 404, NULL, NULL);
	}
	g_mutex_unlock(&fk.lock);
	return ret;
}

static void
fake_start(void)
{
	g_mutex_init(&fk.lock);
	fk.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				serve, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	cr_assert_not_null(fk.d, "the fake providers listen");
	fk.port = MHD_get_daemon_info(fk.d, MHD_DAEMON_INFO_BIND_PORT)->port;
	fk.ft = load("france-travail.json", "resultats");
	fk.engagement = load("engagement.json", "hits");
	fk.immersion = load("immersion.json", NULL);
	fk.mee = load("mee.json", "content");
}

static void
fake_stop(void)
{
	MHD_stop_daemon(fk.d);
	json_decref(fk.ft);
	json_decref(fk.engagement);
	json_decref(fk.immersion);
	json_decref(fk.mee);
	g_mutex_clear(&fk.lock);
	memset(&fk, 0, sizeof(fk));
}

/* ======================================================================================
 * The runs, on a migrated database (both engines)
 * ==================================================================================== */

static struct fixture fx;
static struct arena *a;
static struct offers_text *analyser;
static struct offers_sync_settings settings;

static void
setup(void)
{
	fake_start();
	fixture_open(&fx, "offers_sync", FIXTURE_DB);
	a = fx.a;
	char *why = NULL;
	analyser = offers_text_embedded(&why);
	cr_assert_not_null(analyser, "%s", why);
	const char *base = arena_printf(a, "http://127.0.0.1:%d", fk.port);
	settings = (struct offers_sync_settings){
		.ft_client_id = "client", .ft_client_secret = "secret &=?",
		.ft_token_url = arena_printf(a, "%s/ft/token", base),
		.ft_api_url = arena_printf(a, "%s/ft", base),
		.engagement_key = "cle-engagement",
		.engagement_url = arena_printf(a, "%s/engagement", base),
		.engagement_publisher = "5f99dbe75eb1ad767733b206",
		.immersion_key = "cle-immersion",
		.immersion_url = arena_printf(a, "%s/immersion", base),
		.immersion_sweep = "11573@29",
		.mee_url = arena_printf(a, "%s/mee/evenements", base),
		.timeout_ms = 5000, .rate_per_s = 0, .pause_429_ms = 10,
	};
}

static void
teardown(void)
{
	offers_text_free(analyser);
	fixture_close(&fx);
	fake_stop();
}

TestSuite(sync, .init = setup, .fini = teardown, .timeout = 60);

static struct offers_sync_run
run_ok(enum offer_provider p, bool full, int64_t now)
{
	struct offers_sync_run r;
	int rc = offers_sync_run(fx.db, analyser, &settings, p, full, now, a, &r);
	cr_assert_eq(rc, 0, "%s runs (%s)", offer_provider_name(p), r.error ? r.error : "");
	cr_assert_null(r.error);
	return r;
}

static void
assert_counts(struct offers_sync_run r, int inserted, int updated, int deactivated, int rejected)
{
	cr_assert(r.inserted == inserted && r.updated == updated && r.deactivated == deactivated &&
		  r.rejected == rejected, "%s: %d new, %d updated, %d deactivated, %d rejected; want "
		  "%d, %d, %d, %d", r.provider, r.inserted, r.updated, r.deactivated, r.rejected,
		  inserted, updated, deactivated, rejected);
}

static int
count(const char *sql, const char *param)
{
	return fixture_count(&fx, sql, param);
}

/* The ids the search for "@keywords" among Emploi offers returns, comma-joined. */
static const char *
search(const char *keywords)
{
	struct offers_criteria c = {.type = OFFER_EMPLOI, .keywords = keywords};
	struct offers_result res;
	struct refusal why = {0};
	cr_assert_eq(offers_search(fx.db, a, analyser, &c, 1, &res, &why), 0);
	GString *s = g_string_new(NULL);
	for (int i = 0; i < res.n; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "", res.hits[i].id);
	const char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return out;
}

Test(sync, france_travail_gets_a_token_then_stores_the_offers_like_the_import)
{
	int64_t now = fixture_at("2026-12-07T10:05:00Z");
	struct offers_sync_run r = run_ok(PROVIDER_FRANCE_TRAVAIL, false, now);
	assert_counts(r, 10, 0, 0, 4);   /* the recorded page: 4 malformed records */
	cr_assert_eq(fk.token_requests, 1);
	cr_assert_str_eq(fk.last_auth, "Bearer jeton-de-test");
	/* No successful run before: the last day. */
	cr_assert(strstr(fk.last_query, "min=2026-12-06T10:05:00Z"), "%s", fk.last_query);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE provider = $1", "france-travail"), 10);
	cr_assert_str_eq(search("vendeur porter"), "184QJVN");
	cr_assert_eq(count("SELECT count(*) FROM offer_sync_run WHERE provider = $1 AND "
			   "kind = 'incremental' AND error IS NULL AND inserted = 10 AND "
			   "finished_at IS NOT NULL", "france-travail"), 1);

	/* The next hour: from the last success − 10 min; the same offers are updates. */
	r = run_ok(PROVIDER_FRANCE_TRAVAIL, false, now + 3600 * 1000);
	assert_counts(r, 0, 10, 0, 4);
	cr_assert(strstr(fk.last_query, "min=2026-12-07T09:55:00Z"), "%s", fk.last_query);
}

Test(sync, france_travail_pages_by_range_with_206_and_content_range)
{
	/* 400 offers: 3 pages (0-149 and 150-299 answered 206, 300-399 200). */
	json_t *big = json_array();
	json_t *model = json_array_get(fk.ft, 0);
	for (int i = 0; i < 400; i++) {
		json_t *rec = json_deep_copy(model);
		json_object_set_new(rec, "id", json_sprintf("9%05dX", i));
		json_array_append_new(big, rec);
	}
	json_decref(fk.ft);
	fk.ft = big;
	struct offers_sync_run r = run_ok(PROVIDER_FRANCE_TRAVAIL, true, fixture_at("2026-12-07T02:00:00Z"));
	assert_counts(r, 400, 0, 0, 0);
	cr_assert_eq(fk.search_requests, 3);
	cr_assert(r.full);
}

Test(sync, a_window_larger_than_the_api_pages_out_is_split_by_departement)
{
	fk.ft_split_total = 5000;   /* "too many" without a département */
	struct offers_sync_run r = run_ok(PROVIDER_FRANCE_TRAVAIL, true, fixture_at("2026-12-07T02:00:00Z"));
	/* The 10 valid offers but the two no département search finds: the one placed in
	 * "France" and the one without a place. */
	cr_assert_eq(r.inserted, 8, "%d", r.inserted);
	cr_assert_eq(fk.dept_requests, 101, "each département asked once");
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE id = $1", "189QWER"), 1, "2A");
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE id = $1", "190TYUI"), 1, "974");
}

Test(sync, a_429_pauses_then_asks_again)
{
	fk.too_many = 2;
	struct offers_sync_run r = run_ok(PROVIDER_FRANCE_TRAVAIL, false, fixture_at("2026-12-07T10:05:00Z"));
	assert_counts(r, 10, 0, 0, 4);
	cr_assert_eq(fk.requests, 4, "the token asked 3 times, then the page");
}

Test(sync, a_429_that_lasts_fails_the_run)
{
	fk.too_many = OFFERS_SYNC_429_TRIES;
	struct offers_sync_run r;
	cr_assert_eq(offers_sync_run(fx.db, analyser, &settings, PROVIDER_ENGAGEMENT, false,
				     fixture_at("2026-12-07T10:00:00Z"), a, &r), -ERR_UNAVAILABLE);
	cr_assert_str_eq(r.error, "API Engagement limite le débit (HTTP 429, 5 fois de suite)");
}

/* Scenario 9: France Travail answering 500 leaves the catalogue as it was, and a search
 * still finds the offers of the last run. */
Test(sync, a_provider_failing_midway_leaves_the_catalogue_unchanged)
{
	int64_t now = fixture_at("2026-12-07T10:05:00Z");
	run_ok(PROVIDER_FRANCE_TRAVAIL, false, now);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE provider = $1", "france-travail"), 10);

	/* 400 offers now, the second page fails: nothing of the first page is stored. */
	json_t *big = json_array();
	for (int i = 0; i < 400; i++) {
		json_t *rec = json_deep_copy(json_array_get(fk.ft, 0));
		json_object_set_new(rec, "id", json_sprintf("8%05dX", i));
		json_array_append_new(big, rec);
	}
	json_decref(fk.ft);
	fk.ft = big;
	fk.fail_status = 500;
	fk.fail_path = "/ft/offres";
	fk.fail_from = 150;
	struct offers_sync_run r;
	cr_assert_eq(offers_sync_run(fx.db, analyser, &settings, PROVIDER_FRANCE_TRAVAIL, false,
				     now + 3600 * 1000, a, &r), -ERR_UNAVAILABLE);
	cr_assert_str_eq(r.error, "France Travail : la page 150-299 en erreur (HTTP 500)");
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE provider = $1", "france-travail"), 10);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE last_seen_at > CAST($1 AS BIGINT)",
			   arena_printf(a, "%lld", (long long)now)), 0, "no offer touched");
	cr_assert_str_eq(search("vendeur porter"), "184QJVN", "the search reads the old catalogue");
	cr_assert_eq(count("SELECT count(*) FROM offer_sync_run WHERE error = $1",
			   "France Travail : la page 150-299 en erreur (HTTP 500)"), 1);

	/* The next slot succeeds, and reads from the last SUCCESS − 10 min. */
	run_ok(PROVIDER_FRANCE_TRAVAIL, false, now + 2 * 3600 * 1000);
	cr_assert(strstr(fk.last_query, "min=2026-12-07T09:55:00Z"), "%s", fk.last_query);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE provider = $1", "france-travail"), 410);
}

Test(sync, a_page_that_is_no_json_fails_the_run_and_writes_nothing)
{
	fk.fail_status = 200;
	fk.fail_path = "/mee/";
	fk.malformed = true;
	struct offers_sync_run r;
	cr_assert_eq(offers_sync_run(fx.db, analyser, &settings, PROVIDER_MEE, true,
				     fixture_at("2026-12-07T03:30:00Z"), a, &r), -ERR_UNAVAILABLE);
	cr_assert(r.error && g_str_has_prefix(r.error, "Mes Événements Emploi : la page 0 illisible"),
		  "%s", r.error);
	cr_assert_eq(count("SELECT count(*) FROM job_event", NULL), 0);
}

Test(sync, a_timeout_fails_the_run)
{
	settings.ft_token_url = "http://192.0.2.1:9/token";   /* TEST-NET: never answers */
	settings.timeout_ms = 300;
	struct offers_sync_run r;
	cr_assert_eq(offers_sync_run(fx.db, analyser, &settings, PROVIDER_FRANCE_TRAVAIL, false,
				     fixture_at("2026-12-07T10:05:00Z"), a, &r), -ERR_UNAVAILABLE);
	cr_assert(r.error && g_str_has_prefix(r.error, "France Travail ne répond pas"), "%s", r.error);
}

Test(sync, api_engagement_sends_its_key_and_reads_since_the_last_success)
{
	int64_t now = fixture_at("2026-12-07T10:00:00Z");
	struct offers_sync_run r = run_ok(PROVIDER_ENGAGEMENT, true, now);
	/* The deleted mission is stored inactive: this run made it so. */
	assert_counts(r, 10, 0, 1, 2);
	cr_assert_str_eq(fk.last_auth, "cle-engagement");
	cr_assert(strstr(fk.last_query, "created=-"), "a full run reads everything: %s", fk.last_query);
	r = run_ok(PROVIDER_ENGAGEMENT, false, now + 2 * 3600 * 1000);
	assert_counts(r, 0, 10, 0, 2);
	cr_assert(strstr(fk.last_query, "created=gt:2026-12-07T09:50:00Z"), "%s", fk.last_query);
}

Test(sync, immersion_sweeps_around_the_departement_centre)
{
	fixture_geo(&fx);
	struct offers_sync_run r = run_ok(PROVIDER_IMMERSION, false, fixture_at("2026-12-07T03:00:00Z"));
	assert_counts(r, 9, 0, 0, 4);
	cr_assert(r.full, "Immersion has no incremental read");
	cr_assert_str_eq(fk.last_auth, "cle-immersion");

	settings.immersion_sweep = "11573@00";
	struct offers_sync_run f;
	cr_assert_eq(offers_sync_run(fx.db, analyser, &settings, PROVIDER_IMMERSION, true,
				     fixture_at("2026-12-08T03:00:00Z"), a, &f), -ERR_UNAVAILABLE);
	cr_assert_str_eq(f.error, "immersion_sweep : département 00 absent du référentiel des communes");
}

Test(sync, mes_evenements_emploi_pages_through_the_events)
{
	struct offers_sync_run r = run_ok(PROVIDER_MEE, true, fixture_at("2026-12-07T03:30:00Z"));
	assert_counts(r, 10, 0, 0, 2);
	cr_assert_eq(count("SELECT count(*) FROM job_event WHERE active = 1", NULL), 10);
}

/* Scenario 10, first half: an offer absent from two consecutive full runs becomes
 * inactive; 30 days later the purge deletes it, its postings and its share of the search
 * statistics. */
Test(sync, an_offer_absent_from_two_full_runs_is_inactive_then_deleted_30_days_later)
{
	int64_t t0 = fixture_at("2026-12-01T02:00:00Z");
	run_ok(PROVIDER_FRANCE_TRAVAIL, true, t0);
	cr_assert_eq(count("SELECT docs FROM offer_search_stat", NULL), 10);

	/* The Brest vendeur leaves the provider's list. */
	json_array_remove(fk.ft, 0);
	struct offers_sync_run r = run_ok(PROVIDER_FRANCE_TRAVAIL, true, t0 + DAY_MS);
	assert_counts(r, 0, 9, 0, 4);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE id = $1 AND active = 1 AND "
			   "missed_full_runs = 1", "184QJVN"), 1, "one miss: still active");
	cr_assert_str_eq(search("vendeur porter"), "184QJVN");
	/* An incremental run in between counts no miss. */
	run_ok(PROVIDER_FRANCE_TRAVAIL, false, t0 + DAY_MS + 3600 * 1000);
	r = run_ok(PROVIDER_FRANCE_TRAVAIL, true, t0 + 2 * DAY_MS);
	assert_counts(r, 0, 9, 1, 4);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE id = $1 AND active = 0 AND "
			   "inactive_since IS NOT NULL", "184QJVN"), 1, "two misses: inactive");
	cr_assert_str_eq(search("vendeur porter"), "", "an inactive offer is not found");

	/* 29 days later it is still there (favourites' pages may say it is gone); at 30, not. */
	struct db *db = fx.db;
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(offers_sync_store_purge_inactive(db, t0 + 2 * DAY_MS + 29 * DAY_MS
						      - OFFERS_INACTIVE_KEEP_MS), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE id = $1", "184QJVN"), 1);
	int terms = count("SELECT count(*) FROM offer_term WHERE offer_id = $1", "184QJVN");
	cr_assert_gt(terms, 0, "an inactive offer stays indexed until deleted");
	int len = count("SELECT term_len FROM offer WHERE id = $1", "184QJVN");
	int total = count("SELECT total_len FROM offer_search_stat", NULL);

	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(offers_sync_store_purge_inactive(db, t0 + 2 * DAY_MS + 30 * DAY_MS + 1
						      - OFFERS_INACTIVE_KEEP_MS), 1);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE id = $1", "184QJVN"), 0);
	cr_assert_eq(count("SELECT count(*) FROM offer_term WHERE offer_id = $1", "184QJVN"), 0);
	cr_assert_eq(count("SELECT docs FROM offer_search_stat", NULL), 9);
	cr_assert_eq(count("SELECT total_len FROM offer_search_stat", NULL), total - len);
	cr_assert_eq(count("SELECT SUM(term_len) FROM offer", NULL), total - len,
		     "the statistics still add up");
}

Test(sync, an_offer_listed_again_after_one_miss_starts_counting_afresh)
{
	int64_t t0 = fixture_at("2026-12-01T02:00:00Z");
	run_ok(PROVIDER_FRANCE_TRAVAIL, true, t0);
	json_t *gone = json_incref(json_array_get(fk.ft, 0));
	json_array_remove(fk.ft, 0);
	run_ok(PROVIDER_FRANCE_TRAVAIL, true, t0 + DAY_MS);
	json_array_insert_new(fk.ft, 0, gone);
	run_ok(PROVIDER_FRANCE_TRAVAIL, true, t0 + 2 * DAY_MS);
	json_array_remove(fk.ft, 0);
	run_ok(PROVIDER_FRANCE_TRAVAIL, true, t0 + 3 * DAY_MS);
	cr_assert_eq(count("SELECT count(*) FROM offer WHERE id = $1 AND active = 1 AND "
			   "missed_full_runs = 1", "184QJVN"), 1, "not 2 CONSECUTIVE misses");
}

/* ======================================================================================
 * The jobs
 * ==================================================================================== */

static struct fixture fj;

static void
jobs_setup(void)
{
	fixture_open(&fj, "offers_sync_jobs", FIXTURE_DB | FIXTURE_APP);
}

static void
jobs_teardown(void)
{
	fixture_close(&fj);
}

TestSuite(jobs, .init = jobs_setup, .fini = jobs_teardown);

static bool
planned(const char *key, int64_t *at)
{
	struct job j;
	int rc = jobs_find(fj.db, fj.a, key, &j);
	cr_assert(rc == 0 || rc == -ERR_NOTFOUND);
	if (!rc && at)
		*at = j.run_at;
	return rc == 0;
}

Test(jobs, a_provider_is_planned_only_when_its_credentials_are_set)
{
	int64_t now = fixture_at("2026-12-07T10:20:00Z");
	fj.cfg->engagement_api_key = g_strdup("cle");
	cr_assert_eq(offers_sync_plan_jobs(fj.db, now), 0);
	cr_assert(planned(OFFERS_PURGE_KEY, NULL), "the purge is always planned");
	cr_assert_eq(jobs_run_due(offers_feature.job_kinds, offers_feature.n_job_kinds, &fj.app,
				  fj.db, now, 10), 1, "the planner ran");
	int64_t at;
	cr_assert(planned("offers-sync:engagement", &at));
	cr_assert_eq(at, now + 2 * 3600 * 1000LL, "every 2 hours");
	cr_assert(planned("offers-sync:engagement:full", &at));
	cr_assert_eq(at, fixture_at("2026-12-08T02:30:00Z"), "03:30 in Paris");
	cr_assert_not(planned("offers-sync:france-travail", NULL), "no credentials, no job");
	cr_assert_not(planned("offers-sync:france-travail:full", NULL));
	cr_assert_not(planned("offers-sync:immersion:full", NULL));
	cr_assert_not(planned("offers-sync:mee:full", NULL));

	/* Credentials changed at the next start: France Travail in, API Engagement out. */
	g_free(fj.cfg->engagement_api_key);
	fj.cfg->engagement_api_key = NULL;
	fj.cfg->france_travail_client_id = g_strdup("id");
	fj.cfg->france_travail_client_secret = g_strdup("secret");
	cr_assert_eq(offers_sync_plan_jobs(fj.db, now + 1000), 0);
	cr_assert_eq(jobs_run_due(offers_feature.job_kinds, offers_feature.n_job_kinds, &fj.app,
				  fj.db, now + 1000, 10), 1);
	cr_assert_not(planned("offers-sync:engagement", NULL));
	cr_assert_not(planned("offers-sync:engagement:full", NULL));
	cr_assert(planned("offers-sync:france-travail", &at));
	cr_assert_eq(at, fixture_at("2026-12-07T11:05:00Z"), "hourly at :05");
	cr_assert(planned("offers-sync:france-travail:full", &at));
	cr_assert_eq(at, fixture_at("2026-12-08T02:00:00Z"), "03:00 in Paris");
}

Test(jobs, a_failing_provider_is_retried_at_the_next_slot_not_before)
{
	int64_t now = fixture_at("2026-12-07T11:05:00Z");
	fj.cfg->france_travail_client_id = g_strdup("id");
	fj.cfg->france_travail_client_secret = g_strdup("secret");
	g_free(fj.cfg->france_travail_token_url);
	fj.cfg->france_travail_token_url = g_strdup("http://127.0.0.1:1/token");   /* refused */
	char *why = NULL;
	fj.app.offers_text = offers_text_embedded(&why);
	cr_assert_eq(db_tx_begin(fj.db), 0);
	cr_assert_eq(jobs_schedule(fj.db, now, "offers_sync_france_travail",
				   "offers-sync:france-travail", "{\"full\":false}", now), 0);
	cr_assert_eq(db_tx_commit(fj.db), 0);
	cr_assert_eq(jobs_run_due(offers_feature.job_kinds, offers_feature.n_job_kinds, &fj.app,
				  fj.db, now, 10), 1);
	offers_text_free(fj.app.offers_text);
	fj.app.offers_text = NULL;
	int64_t at;
	cr_assert(planned("offers-sync:france-travail", &at));
	cr_assert_eq(at, fixture_at("2026-12-07T12:05:00Z"));
	int dead = -1;
	cr_assert_eq(jobs_count(fj.db, "offers_sync_france_travail", NULL, &dead), 0);
	cr_assert_eq(dead, 0, "no dead letter: the run's record tells the failure");
	cr_assert_eq(fixture_count(&fj, "SELECT count(*) FROM offer_sync_run WHERE error LIKE $1",
				   "France Travail ne répond pas%"), 1);
}

/* ======================================================================================
 * Rules
 * ==================================================================================== */

Test(rules, the_hourly_slot_is_the_next_minute_5)
{
	cr_assert_eq(offers_sync_next_hourly(fixture_at("2026-12-07T10:04:59Z"), 5),
		     fixture_at("2026-12-07T10:05:00Z"));
	cr_assert_eq(offers_sync_next_hourly(fixture_at("2026-12-07T10:05:00Z"), 5),
		     fixture_at("2026-12-07T11:05:00Z"));
}

Test(rules, a_provider_is_configured_by_its_credentials)
{
	struct config *cfg = config_load(NULL, NULL);
	cr_assert_not_null(cfg);
	struct offers_sync_settings s;
	offers_sync_settings_of(cfg, &s);
	for (int p = 0; p < 4; p++)
		cr_assert_not(offers_sync_configured(&s, (enum offer_provider)p), "off by default");
	s.immersion_key = "k";
	cr_assert_not(offers_sync_configured(&s, PROVIDER_IMMERSION), "a key without a sweep");
	s.immersion_sweep = "11573@29";
	cr_assert(offers_sync_configured(&s, PROVIDER_IMMERSION));
	config_free(cfg);
}

Test(rules, places_left_count_both_modalities_and_never_go_below_zero)
{
	cr_assert_eq(offers_event_places_left(50, 0, 12, 0), 38);
	cr_assert_eq(offers_event_places_left(20, 100, 20, 30), 70);
	cr_assert_eq(offers_event_places_left(10, -1, 12, -1), 0, "overbooked: complet");
	cr_assert_eq(offers_event_places_left(-1, -1, 3, -1), -1, "no capacity given");
}

Test(rules, modalities_in_the_providers_words)
{
	cr_assert(offers_event_remote("[\"à distance\"]"));
	cr_assert(offers_event_remote("[\"A distance\"]"));
	cr_assert_not(offers_event_onsite("[\"à distance\"]"));
	cr_assert(offers_event_onsite("[\"en physique\", \"à distance\"]"));
	cr_assert(offers_event_onsite("[\"En présentiel\"]"));
	cr_assert_not(offers_event_remote("[]"));
	cr_assert_not(offers_event_remote("pas du JSON"));
}

Test(rules, a_shared_job_event_card_keeps_a_safe_id_and_a_web_link_only)
{
	struct arena *ar = arena_new();
	struct message m = {.kind = MSG_JOB_EVENT_SHARE,
			    .payload = "{\"job_event_id\":\"101234\",\"title\":\"Forum\","
				       "\"starts_at\":1000,\"url\":\"https://exemple.fr/e/1\"}"};
	struct msg_card c = msg_card_of(ar, &m);
	cr_assert_str_eq(c.job_event_id, "101234");
	cr_assert_str_eq(c.url, "https://exemple.fr/e/1");
	cr_assert_eq(c.starts_at, 1000);
	m.payload = "{\"job_event_id\":\"../x\",\"title\":\"Forum\",\"url\":\"javascript:alert(1)\"}";
	c = msg_card_of(ar, &m);
	cr_assert_null(c.job_event_id, "an id that is not one");
	m.payload = "{\"job_event_id\":\"7\",\"title\":\"Forum\",\"url\":\"javascript:alert(1)\"}";
	c = msg_card_of(ar, &m);
	cr_assert_str_eq(c.job_event_id, "7");
	cr_assert_null(c.url, "never another scheme's link");
	arena_free(ar);
}

/* ======================================================================================
 * Événements › Externes: the search (both engines)
 * ==================================================================================== */

static struct fixture fe;

static void
events_setup(void)
{
	fixture_open(&fe, "offers_events", FIXTURE_DB);
	json_t *recs = load("mee.json", "content");
	struct offers_import_stats st;
	cr_assert_eq(offers_import_records(fe.db, NULL, PROVIDER_MEE, recs, 1000, &st, NULL), 0);
	json_decref(recs);
}

static void
events_teardown(void)
{
	fixture_close(&fe);
}

TestSuite(events, .init = events_setup, .fini = events_teardown);

/* The ids found around Brest (30 km) in October–November 2025, comma-joined. */
static const char *
around_brest(const char *type, enum job_event_modality m, int offset, int limit, int *total)
{
	struct geo_box box = geo_bbox(48.390394, -4.486076, OFFERS_EVENTS_RADIUS_KM);
	struct job_event_search q = {
		.commune_insee = "29019", .lat_min = box.lat_min, .lat_max = box.lat_max,
		.lon_min = box.lon_min, .lon_max = box.lon_max, .type = type, .modality = m,
		.from = fixture_at("2025-10-01T00:00:00Z"), .to = fixture_at("2025-12-01T00:00:00Z"),
		.offset = offset, .limit = limit,
	};
	struct job_event *ev;
	int n = offers_events_store_search(fe.db, fe.a, &q, &ev, total);
	cr_assert_geq(n, 0);
	GString *s = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "", ev[i].id);
	const char *out = arena_strdup(fe.a, s->str);
	g_string_free(s, TRUE);
	return out;
}

Test(events, brest_finds_its_events_the_remote_ones_and_not_those_farther)
{
	int total;
	/* Brest (101234, 101239; 101245 has no title: not imported), Landivisiau (~33 km:
	 * out), Morlaix (~50 km: out), the remote ones of Rennes and online (101236, 101237);
	 * Quimper, Lorient… out. By date. */
	cr_assert_str_eq(around_brest(NULL, JOB_EVENT_ANY, 0, 10, &total),
			 "101234,101236,101237,101239");
	cr_assert_eq(total, 4);
	cr_assert_str_eq(around_brest(NULL, JOB_EVENT_ANY, 1, 2, &total), "101236,101237",
			 "a page further");
	cr_assert_eq(total, 4);
	cr_assert_str_eq(around_brest("Job dating", JOB_EVENT_ANY, 0, 10, &total), "101234");
	cr_assert_str_eq(around_brest("Forum", JOB_EVENT_ANY, 0, 10, &total), "");
	cr_assert_str_eq(around_brest(NULL, JOB_EVENT_REMOTE, 0, 10, &total), "101236,101237,101239");
	cr_assert_str_eq(around_brest(NULL, JOB_EVENT_ONSITE, 0, 10, &total), "101234,101239");
}
