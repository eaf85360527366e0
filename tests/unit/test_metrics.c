/* test_metrics.c — GET /metrics below HTTP: the Prometheus text format (escaping, samples,
 * histograms cumulative with _sum and _count), the latency buckets, counting from many
 * threads at once, the per-route counters of a server (patterns, never paths; codes or
 * their class), the database's gauges, and who may read the page (docs/metrics.md). */
#include "base/metrics.h"
#include "db/db.h"
#include "http/stats.h"
#include "serve/metrics_web.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <sodium.h>
#include <string.h>

TestSuite(exposition);

Test(exposition, a_bucket_holds_durations_up_to_its_bound_included)
{
	cr_assert_eq(metrics_bucket(0), 0);
	cr_assert_eq(metrics_bucket(1000), 0, "le=\"0.001\" holds 1 ms itself");
	cr_assert_eq(metrics_bucket(1001), 1);
	cr_assert_eq(metrics_bucket(2500), 1);
	cr_assert_eq(metrics_bucket(999999), 9);
	cr_assert_eq(metrics_bucket(1000000), 9);
	cr_assert_eq(metrics_bucket(2500000), 10);
	cr_assert_eq(metrics_bucket(2500001), METRICS_BUCKETS, "beyond 2.5 s: +Inf only");
	cr_assert_eq(metrics_bucket(INT64_MAX), METRICS_BUCKETS);
}

Test(exposition, a_histogram_is_written_cumulative_with_exact_sum_and_count)
{
	struct metrics_histogram h = {0};
	struct metrics_label l[] = {{"route", "/a/{id}"}};
	GString *out = g_string_new(NULL);

	metrics_observe(&h, 500);
	metrics_observe(&h, 1000);
	metrics_observe(&h, 30000);
	metrics_observe(&h, 3000000);
	metrics_observe(&h, -5);  /* a clock step: counted as 0 */
	metrics_family(out, "x_seconds", "histogram", "Durée.");
	metrics_histogram(out, "x_seconds", l, 1, &h);
	cr_assert_str_eq(out->str,
		"# HELP x_seconds Durée.\n"
		"# TYPE x_seconds histogram\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.001\"} 3\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.0025\"} 3\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.005\"} 3\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.01\"} 3\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.025\"} 3\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.05\"} 4\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.1\"} 4\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.25\"} 4\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"0.5\"} 4\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"1\"} 4\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"2.5\"} 4\n"
		"x_seconds_bucket{route=\"/a/{id}\",le=\"+Inf\"} 5\n"
		"x_seconds_sum{route=\"/a/{id}\"} 3.031500\n"
		"x_seconds_count{route=\"/a/{id}\"} 5\n");
	cr_assert_eq(metrics_histogram_count(&h), 5);
	g_string_free(out, TRUE);
}

Test(exposition, a_histogram_without_labels_has_no_braces_but_on_its_buckets)
{
	struct metrics_histogram h = {0};
	GString *out = g_string_new(NULL);

	metrics_histogram(out, "w", NULL, 0, &h);
	cr_assert(g_str_has_prefix(out->str, "w_bucket{le=\"0.001\"} 0\n"), "%s", out->str);
	cr_assert(strstr(out->str, "\nw_bucket{le=\"+Inf\"} 0\nw_sum 0.000000\nw_count 0\n"),
		  "%s", out->str);
	g_string_free(out, TRUE);
}

Test(exposition, label_values_and_help_are_escaped)
{
	struct metrics_label l[] = {{"a", "x\"y\\z\nw"}, {"b", NULL}};
	GString *out = g_string_new(NULL);

	metrics_family(out, "n_total", "counter", "Ligne 1\nchemin C:\\ « cité »");
	metrics_sample(out, "n_total", l, 2, 7);
	metrics_sample(out, "n_total", NULL, 0, -1);
	cr_assert_str_eq(out->str,
		"# HELP n_total Ligne 1\\nchemin C:\\\\ « cité »\n"
		"# TYPE n_total counter\n"
		"n_total{a=\"x\\\"y\\\\z\\nw\",b=\"\"} 7\n"
		"n_total -1\n");
	g_string_free(out, TRUE);
}

#define THREADS 8
#define EACH 20000

static gpointer
observe_many(gpointer data)
{
	for (int i = 0; i < EACH; i++)
		metrics_observe(data, i % 3 ? 700 : 4000000);
	return NULL;
}

Test(exposition, observations_from_many_threads_are_all_counted)
{
	struct metrics_histogram h = {0};
	GThread *t[THREADS];
	GString *out = g_string_new(NULL);

	for (int i = 0; i < THREADS; i++)
		t[i] = g_thread_new("observe", observe_many, &h);
	for (int i = 0; i < THREADS; i++)
		g_thread_join(t[i]);
	cr_assert_eq(metrics_histogram_count(&h), THREADS * EACH);
	metrics_histogram(out, "h", NULL, 0, &h);
	/* i % 3 == 0 for 6667 of every 20000 observations: 4 s each, the rest 0.7 ms. */
	int64_t slow = THREADS * 6667, fast = THREADS * EACH - slow;
	cr_assert_eq(fixture_sample(out->str, "h_bucket{le=\"0.001\"}"), fast);
	cr_assert_eq(fixture_sample(out->str, "h_bucket{le=\"2.5\"}"), fast);
	cr_assert_eq(fixture_sample(out->str, "h_bucket{le=\"+Inf\"}"), THREADS * EACH);
	g_autofree char *sum = g_strdup_printf("\nh_sum %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT "\n",
					       (slow * 4000000 + fast * 700) / 1000000,
					       (slow * 4000000 + fast * 700) % 1000000);
	cr_assert(strstr(out->str, sum), "%s", out->str);
	g_string_free(out, TRUE);
}

/* --- the per-route counters of a server */

static const struct route routes[] = {
	{"GET", "/beneficiaires/{id}", NULL, 0, 0},
	{"POST", "/beneficiaires/{id}", NULL, 0, 0},
	{"GET", "/healthz", NULL, 0, 0},
};

TestSuite(http_stats);

Test(http_stats, a_status_is_its_own_code_when_cej_sends_it_else_its_class)
{
	cr_assert_str_eq(http_stats_code(200), "200");
	cr_assert_str_eq(http_stats_code(303), "303");
	cr_assert_str_eq(http_stats_code(404), "404");
	cr_assert_str_eq(http_stats_code(503), "503");
	cr_assert_str_eq(http_stats_code(418), "4xx");
	cr_assert_str_eq(http_stats_code(599), "5xx");
	cr_assert_str_eq(http_stats_code(102), "1xx");
	cr_assert_str_eq(http_stats_code(0), "5xx", "never sent: counted as a server error");
}

Test(http_stats, requests_are_counted_by_pattern_method_and_status)
{
	struct http_stats *st = http_stats_new(routes, G_N_ELEMENTS(routes));
	GString *out = g_string_new(NULL);

	http_stats_record(st, &routes[0], 200, 800);
	http_stats_record(st, &routes[0], 200, 3000);
	http_stats_record(st, &routes[0], 404, 400);
	http_stats_record(st, &routes[1], 303, 20000);
	http_stats_record(st, NULL, 404, 100);
	http_stats_record(st, NULL, 418, 100);
	http_stats_write(st, out);
	const char *t = out->str;

	cr_assert_eq(fixture_sample(t, "cej_http_requests_total{method=\"GET\",route=\"/beneficiaires/{id}\",code=\"200\"}"), 2, "%s", t);
	cr_assert_eq(fixture_sample(t, "cej_http_requests_total{method=\"GET\",route=\"/beneficiaires/{id}\",code=\"404\"}"), 1);
	cr_assert_eq(fixture_sample(t, "cej_http_requests_total{method=\"POST\",route=\"/beneficiaires/{id}\",code=\"303\"}"), 1);
	cr_assert_eq(fixture_sample(t, "cej_http_requests_total{method=\"(toutes)\",route=\"(aucune)\",code=\"404\"}"), 1);
	cr_assert_eq(fixture_sample(t, "cej_http_requests_total{method=\"(toutes)\",route=\"(aucune)\",code=\"4xx\"}"), 1);
	/* Latency by status class: the 200s and the 404 of the same route apart. */
	cr_assert_eq(fixture_sample(t, "cej_http_request_duration_seconds_bucket{method=\"GET\",route=\"/beneficiaires/{id}\",class=\"2xx\",le=\"0.001\"}"), 1);
	cr_assert_eq(fixture_sample(t, "cej_http_request_duration_seconds_bucket{method=\"GET\",route=\"/beneficiaires/{id}\",class=\"2xx\",le=\"0.005\"}"), 2);
	cr_assert_eq(fixture_sample(t, "cej_http_request_duration_seconds_count{method=\"GET\",route=\"/beneficiaires/{id}\",class=\"4xx\"}"), 1);
	cr_assert_eq(fixture_sample(t, "cej_http_request_duration_seconds_count{method=\"POST\",route=\"/beneficiaires/{id}\",class=\"3xx\"}"), 1);
	/* A route never called, a class never seen: no series. */
	cr_assert_null(strstr(t, "/healthz"));
	cr_assert_null(strstr(t, "class=\"5xx\""));
	cr_assert_eq(fixture_sample(t, "cej_http_requests_total{method=\"GET\",route=\"/beneficiaires/{id}\",code=\"303\"}"), -1);
	/* Each family once, in order. */
	const char *req = strstr(t, "# TYPE cej_http_requests_total counter\n");
	const char *lat = strstr(t, "# TYPE cej_http_request_duration_seconds histogram\n");
	cr_assert(req && lat && req < lat);
	cr_assert_null(strstr(lat, "cej_http_requests_total"));
	g_string_free(out, TRUE);
	http_stats_free(st);
}

/* --- the database */

static struct fixture fx;

static void
db_setup(void)
{
	fixture_open(&fx, "metrics", FIXTURE_DB);
}

static void
db_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(db_metrics, .init = db_setup, .fini = db_teardown);

Test(db_metrics, connections_and_open_write_transactions_are_gauges)
{
	GString *out = g_string_new(NULL);
	struct db *other = db_open(fx.db_path);

	db_metrics(out);
	int64_t conns = fixture_sample(out->str, "cej_db_connections");
	int64_t waits = fixture_sample(out->str, "cej_db_write_lock_wait_seconds_count");
	cr_assert_geq(conns, 2, "%s", out->str);
	cr_assert_eq(fixture_sample(out->str, "cej_db_write_transactions"), 0);

	cr_assert_eq(db_tx_begin(fx.db), 0);
	g_string_truncate(out, 0);
	db_metrics(out);
	cr_assert_eq(fixture_sample(out->str, "cej_db_write_transactions"), 1);
	cr_assert_eq(fixture_sample(out->str, "cej_db_write_lock_wait_seconds_count"), waits + 1);
	db_tx_rollback(fx.db);
	db_close(other);

	g_string_truncate(out, 0);
	db_metrics(out);
	cr_assert_eq(fixture_sample(out->str, "cej_db_write_transactions"), 0);
	cr_assert_eq(fixture_sample(out->str, "cej_db_connections"), conns - 1);
	cr_assert_eq(fixture_sample(out->str, "cej_db_busy_total"), 0);
	g_string_free(out, TRUE);
}

/* --- who may read /metrics */

static void
access_setup(void)
{
	cr_assert_geq(sodium_init(), 0);
}

TestSuite(metrics_access, .init = access_setup);

Test(metrics_access, without_a_token_only_the_loopback_not_through_a_proxy)
{
	static const char *const local[] = {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"};
	static const char *const remote[] = {"10.0.0.1", "192.168.1.10", "::ffff:10.0.0.1",
					     "2001:db8::1", "128.0.0.1", "?", "", NULL};

	for (size_t i = 0; i < G_N_ELEMENTS(local); i++) {
		cr_assert(metrics_allowed(NULL, NULL, local[i], false), "%s", local[i]);
		cr_assert_not(metrics_allowed(NULL, NULL, local[i], true), "%s forwarded", local[i]);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(remote); i++)
		cr_assert_not(metrics_allowed(NULL, NULL, remote[i], false), "%s", remote[i]);
}

Test(metrics_access, with_a_token_only_its_bearer_from_anywhere_the_loopback_included)
{
	const char *tok = "s3cr3t-t0ken-0123456789";

	cr_assert(metrics_allowed(tok, "Bearer s3cr3t-t0ken-0123456789", "203.0.113.7", true));
	cr_assert(metrics_allowed(tok, "bearer  s3cr3t-t0ken-0123456789", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, NULL, "127.0.0.1", false), "the loopback needs it too");
	cr_assert_not(metrics_allowed(tok, "", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, "Bearer", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, "Bearer ", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, "Bearer s3cr3t-t0ken-012345678", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, "Bearer s3cr3t-t0ken-01234567890", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, "Bearer S3CR3T-T0KEN-0123456789", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, "Basic s3cr3t-t0ken-0123456789", "127.0.0.1", false));
	cr_assert_not(metrics_allowed(tok, "s3cr3t-t0ken-0123456789", "127.0.0.1", false));
}
