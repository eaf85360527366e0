/* test_channel.c — live events across nodes: PostgreSQL's LISTEN/NOTIFY through
 * db/channel.h (two channels on the test cluster stand for two nodes), the relay's payload,
 * and the hub's relay hook (a published event is relayed once; a delivered one is not).
 * The PostgreSQL cases need CEJ_TEST_DATABASE_URL (make unit runs them under
 * tools/with-pg.sh); without it they are skipped, visibly. */
#include "base/err.h"
#include "db/channel.h"
#include "http/hub.h"
#include "serve/live_relay.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>
#include <sys/stat.h>

static const char *
pg_url(void)
{
	const char *url = g_getenv("CEJ_TEST_DATABASE_URL");
	if (!url || !*url)
		cr_skip_test("CEJ_TEST_DATABASE_URL non défini : pas de cluster PostgreSQL de test");
	return url;
}

static void
collect(const char *payload, void *ud)
{
	g_ptr_array_add(ud, g_strdup(payload));
}

/* Waits up to @ms for @want notifications on @c into @got. */
static void
wait_for(struct db_channel *c, GPtrArray *got, guint want, int ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
	while (got->len < want && g_get_monotonic_time() < end)
		cr_assert_geq(db_channel_wait(c, 50, collect, got), 0);
}

Test(channel, another_node_receives_in_order_within_a_second)
{
	const char *url = pg_url();
	struct db_channel *a = db_channel_open(url, "cej_test_a");
	struct db_channel *b = db_channel_open(url, "cej_test_a");
	cr_assert(a && b);
	GPtrArray *got_b = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *got_a = g_ptr_array_new_with_free_func(g_free);

	gint64 t0 = g_get_monotonic_time();
	cr_assert_eq(db_channel_send(a, "un"), 0);
	cr_assert_eq(db_channel_send(a, "deux\nlignes é"), 0);
	wait_for(b, got_b, 2, 1000);
	cr_assert_eq(got_b->len, 2, "node B got %u of 2 in 1 s", got_b->len);
	cr_assert_lt(g_get_monotonic_time() - t0, G_USEC_PER_SEC);
	cr_assert_str_eq(g_ptr_array_index(got_b, 0), "un");
	cr_assert_str_eq(g_ptr_array_index(got_b, 1), "deux\nlignes é");

	/* The sender does not hear itself. */
	cr_assert_eq(db_channel_wait(a, 200, collect, got_a), 0);
	cr_assert_eq(got_a->len, 0);

	g_ptr_array_free(got_a, true);
	g_ptr_array_free(got_b, true);
	db_channel_close(a);
	db_channel_close(b);
}

Test(channel, other_channels_and_limits)
{
	const char *url = pg_url();
	struct db_channel *a = db_channel_open(url, "cej_test_b");
	struct db_channel *other = db_channel_open(url, "cej_test_c");
	cr_assert(a && other);
	GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
	cr_assert_eq(db_channel_send(a, "x"), 0);
	cr_assert_eq(db_channel_wait(other, 200, collect, got), 0, "another channel hears nothing");

	char *big = g_strnfill(DB_CHANNEL_PAYLOAD_MAX + 1, 'x');
	cr_assert_eq(db_channel_send(a, big), -ERR_INVAL);
	g_free(big);

	cr_assert_null(db_channel_open(url, "Majuscules; DROP"), "a name is an identifier");
	cr_assert_null(db_channel_open("/var/cej.db", "cej_live"), "SQLite has no channel");
	g_ptr_array_free(got, true);
	db_channel_close(a);
	db_channel_close(other);
}

Test(relay, payload_round_trip)
{
	char *p = live_relay_encode("beneficiary:0192-ab", "message", "ligne 1\nligne 2");
	const char *topic, *event, *data;
	cr_assert(live_relay_decode(p, &topic, &event, &data));
	cr_assert_str_eq(topic, "beneficiary:0192-ab");
	cr_assert_str_eq(event, "message");
	cr_assert_str_eq(data, "ligne 1\nligne 2");
	g_free(p);

	char bad1[] = "sans-saut", bad2[] = "\nmessage\nx", bad3[] = "t\n\nx";
	cr_assert_not(live_relay_decode(bad1, &topic, &event, &data));
	cr_assert_not(live_relay_decode(bad2, &topic, &event, &data));
	cr_assert_not(live_relay_decode(bad3, &topic, &event, &data));
}

static GPtrArray *relayed;

static void
record_relay(const char *topic, const char *event, const char *data)
{
	g_ptr_array_add(relayed, g_strdup_printf("%s|%s|%s", topic, event, data));
}

Test(relay, published_events_are_relayed_delivered_ones_are_not)
{
	relayed = g_ptr_array_new_with_free_func(g_free);
	hub_start(&(struct hub_options){0});
	hub_set_relay(record_relay);
	hub_publish("counselor:c1", "message", "b1");
	hub_deliver("counselor:c1", "message", "b2");   /* from another node */
	hub_publish("counselor:c1", "nom invalide", "b3"); /* refused, not relayed */
	hub_set_relay(NULL);
	hub_publish("counselor:c1", "message", "b4");
	cr_assert_eq(relayed->len, 1);
	cr_assert_str_eq(g_ptr_array_index(relayed, 0), "counselor:c1|message|b1");
	hub_stop(100);
	g_ptr_array_free(relayed, true);
}

/* A private cluster (not the shared test one, which other suites use meanwhile): the
 * listening node's server restarts; the next wait reopens the connection and says events
 * may have been lost (DB_CHANNEL_RESET); sending and listening then work again. */
static char *
cluster(const char *cmd, const char *dir, const char *port)
{
	const char *root = g_getenv("CEJ_SOURCE_ROOT");
	cr_assert(root, "CEJ_SOURCE_ROOT (set by meson) names the repository");
	char *script = g_build_filename(root, "tools", "pg-cluster.sh", NULL);
	const char *argv[] = {script, cmd, dir, port, NULL};
	char *out = NULL;
	int status = 0;
	GError *err = NULL;
	cr_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
			       &status, &err), "%s", err ? err->message : "");
	cr_assert(g_spawn_check_wait_status(status, NULL), "pg-cluster.sh %s failed", cmd);
	g_free(script);
	return g_strstrip(out);
}

Test(channel, survives_a_server_restart, .timeout = 60)
{
	pg_url();  /* skipped like the others without a test cluster */
	char *dir = g_dir_make_tmp("cej-channel-XXXXXX", NULL);
	chmod(dir, 0755);  /* as root the server runs as postgres: it must reach pg/ */
	char *path = g_build_filename(dir, "pg", NULL);
	char *url = cluster("start", path, NULL);
	char *port = g_strrstr(url, ":") + 1;
	*strchr(port, '/') = '\0';
	char *port_s = g_strdup(port);
	g_free(url);
	url = cluster("url", path, NULL);

	struct db_channel *a = db_channel_open(url, "cej_live");
	struct db_channel *b = db_channel_open(url, "cej_live");
	cr_assert(a && b);
	g_free(cluster("stop", path, NULL));
	g_free(cluster("start", path, port_s));

	GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
	int rc = 0;
	for (int i = 0; i < 40 && rc != DB_CHANNEL_RESET; i++)
		rc = db_channel_wait(b, 50, collect, got);
	cr_assert_eq(rc, DB_CHANNEL_RESET, "the lost connection is noticed and reopened");
	cr_assert_eq(db_channel_send(a, "après"), 0, "the sender reconnects too");
	wait_for(b, got, 1, 1000);
	cr_assert_eq(got->len, 1);
	cr_assert_str_eq(g_ptr_array_index(got, 0), "après");

	g_ptr_array_free(got, true);
	db_channel_close(a);
	db_channel_close(b);
	g_free(cluster("stop", path, NULL));
	char *rm[] = {"rm", "-rf", dir, NULL};
	g_spawn_sync(NULL, rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	g_free(port_s);
	g_free(url);
	g_free(path);
	g_free(dir);
}
