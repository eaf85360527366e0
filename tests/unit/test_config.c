/* test_config.c — settings from a key file and the environment: the limits of the event
 * streams, the connection limit derived from them, and the start refused when they do not
 * hold together. Criterion runs each test in its own process: environment changes stay
 * there. */
#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "base/config.h"

static struct fixture fx;  /* a directory for the key file */
static char *file;

static void
setup(void)
{
	static const char *const vars[] = {
		"CEJ_CONNECTION_LIMIT", "CEJ_SSE_HEARTBEAT_MS", "CEJ_SSE_MAX_STREAMS",
		"CEJ_SSE_MAX_PER_USER", "CEJ_CONNECTIONS_PER_ADDRESS", "CEJ_STREAMS_PER_ADDRESS",
		"CEJ_REQUEST_TIMEOUT_MS", "CEJ_REUSE_PORT", "CEJ_WORKERS", "CEJ_REMOTE_WORKERS",
		"CEJ_BIND", "CEJ_DEMO_MAILBOX", "CEJ_DEMO_MAILBOX_PUBLIC", "CEJ_METRICS_TOKEN",
		"CEJ_DATABASE_URL", "CEJ_DB_PATH", "CEJ_MESSAGE_KEY_FILE"};
	for (size_t i = 0; i < G_N_ELEMENTS(vars); i++)
		g_unsetenv(vars[i]);
	fixture_open(&fx, "config", 0);
	file = fixture_path(&fx, "cej.ini");
}

static void
teardown(void)
{
	fixture_close(&fx);
}

/* Loads a key file holding @body (group [cej]); NULL with *@message set on refusal. */
static struct config *
load(const char *body, char **message)
{
	GError *err = NULL;
	gchar *text = g_strconcat("[cej]\n", body, NULL);
	cr_assert(g_file_set_contents(file, text, -1, NULL));
	g_free(text);
	struct config *c = config_load(file, &err);
	*message = err ? g_strdup(err->message) : NULL;
	g_clear_error(&err);
	return c;
}

TestSuite(config, .init = setup, .fini = teardown);

Test(config, event_streams_default_to_25_s_heartbeat_2000_streams_5_per_user)
{
	char *msg;
	struct config *c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_eq(c->sse_heartbeat_ms, 25000);
	cr_assert_eq(c->sse_max_streams, 2000);
	cr_assert_eq(c->sse_max_per_user, 5);
	/* Derived: room for 1000 page connections beside every stream. */
	cr_assert_eq(c->connection_limit, 3000);
	config_free(c);
}

Test(config, connection_limit_follows_sse_max_streams_when_unset)
{
	char *msg;
	struct config *c = load("sse_max_streams=10000\nsse_max_per_user=2\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_eq(c->sse_max_streams, 10000);
	cr_assert_eq(c->sse_max_per_user, 2);
	cr_assert_eq(c->connection_limit, 11000);
	config_free(c);
}

Test(config, environment_wins_over_the_file)
{
	char *msg;
	g_setenv("CEJ_SSE_HEARTBEAT_MS", "300", TRUE);
	struct config *c = load("sse_heartbeat_ms=1000\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_eq(c->sse_heartbeat_ms, 300);
	config_free(c);
}

Test(config, explicit_connection_limit_kept_when_it_leaves_100_connections_to_pages)
{
	char *msg;
	struct config *c = load("connection_limit=2100\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_eq(c->connection_limit, 2100);
	config_free(c);
}

Test(config, connection_limit_too_close_to_the_streams_refuses_to_start)
{
	char *msg;
	struct config *c = load("connection_limit=2099\n", &msg);
	cr_assert_null(c);
	cr_assert_str_eq(msg, "connection_limit (2099) doit dépasser sse_max_streams (2000) d'au "
			      "moins 100 : sinon les flux d'événements peuvent prendre toutes les "
			      "connexions et les pages ne répondent plus");
	g_free(msg);

	g_setenv("CEJ_SSE_MAX_STREAMS", "20000", TRUE);
	c = load("connection_limit=20000\n", &msg);
	cr_assert_null(c);
	cr_assert(strstr(msg, "connection_limit (20000) doit dépasser sse_max_streams (20000)"),
		  "%s", msg);
	g_free(msg);
}

Test(config, zero_stream_limits_are_refused)
{
	char *msg;
	struct config *c = load("sse_max_per_user=0\n", &msg);
	cr_assert_null(c);
	cr_assert_str_eq(msg, "sse_max_per_user: entier positif attendu, reçu « 0 »");
	g_free(msg);

	g_setenv("CEJ_SSE_HEARTBEAT_MS", "0", TRUE);
	c = load("", &msg);
	cr_assert_null(c);
	cr_assert_str_eq(msg, "sse_heartbeat_ms: entier positif attendu, reçu « 0 »");
	g_free(msg);
}

/* The demo mailbox lists every mail with its links: a password reset asked for someone
 * else's address is read there. Off unless asked for, and never silently on an address
 * that other machines reach. */
Test(config, demo_mailbox_is_off_by_default)
{
	char *msg;
	struct config *c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_not(c->demo_mailbox);
	config_free(c);

	/* Binding every address with the mailbox left off is fine. */
	g_setenv("CEJ_BIND", "0.0.0.0", TRUE);
	c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	config_free(c);
}

Test(config, demo_mailbox_on_a_loopback_bind_starts)
{
	char *msg;
	g_setenv("CEJ_DEMO_MAILBOX", "1", TRUE);
	struct config *c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert(c->demo_mailbox);
	config_free(c);

	c = load("bind=127.0.0.2\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	config_free(c);
}

Test(config, demo_mailbox_on_a_public_bind_refuses_to_start)
{
	char *msg;
	g_setenv("CEJ_BIND", "0.0.0.0", TRUE);
	struct config *c = load("demo_mailbox=true\n", &msg);
	cr_assert_null(c);
	cr_assert_str_eq(msg,
		"demo_mailbox : la boîte de réception de démonstration (/demo/courriels) montre à "
		"quiconque atteint le serveur tous les e-mails envoyés, liens d'activation et de "
		"réinitialisation de mot de passe compris, donc l'accès à tous les comptes ; elle "
		"n'est pas ouverte sur l'adresse d'écoute 0.0.0.0, joignable depuis d'autres "
		"machines. Désactivez-la (CEJ_DEMO_MAILBOX=0) ou, pour une démonstration sans "
		"données réelles, confirmez avec CEJ_DEMO_MAILBOX_PUBLIC=1");
	g_free(msg);

	g_setenv("CEJ_BIND", "192.168.1.10", TRUE);
	c = load("demo_mailbox=true\n", &msg);
	cr_assert_null(c);
	cr_assert(strstr(msg, "l'adresse d'écoute 192.168.1.10"), "%s", msg);
	g_free(msg);
}

Test(config, demo_mailbox_public_confirms_a_public_bind)
{
	char *msg;
	g_setenv("CEJ_BIND", "0.0.0.0", TRUE);
	g_setenv("CEJ_DEMO_MAILBOX", "1", TRUE);
	g_setenv("CEJ_DEMO_MAILBOX_PUBLIC", "1", TRUE);
	struct config *c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert(c->demo_mailbox && c->demo_mailbox_public);
	config_free(c);
}

Test(config, one_address_and_slow_clients_are_capped_by_default)
{
	char *msg;
	struct config *c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_eq(c->connections_per_address, 64);
	cr_assert_eq(c->streams_per_address, 200);
	cr_assert_eq(c->request_timeout_ms, 30000);
	cr_assert_eq(c->reuse_port, false, "a port in use fails the start unless asked");
	/* i-milo calls and password hashing have a pool each. */
	cr_assert_eq(c->workers, 4);
	cr_assert_eq(c->remote_workers, 8);
	config_free(c);
}

Test(config, per_address_caps_and_time_limit_from_the_environment_0_turns_them_off)
{
	char *msg;
	g_setenv("CEJ_CONNECTIONS_PER_ADDRESS", "0", TRUE);
	g_setenv("CEJ_STREAMS_PER_ADDRESS", "3", TRUE);
	g_setenv("CEJ_REQUEST_TIMEOUT_MS", "1500", TRUE);
	g_setenv("CEJ_REUSE_PORT", "true", TRUE);
	g_setenv("CEJ_REMOTE_WORKERS", "2", TRUE);
	struct config *c = load("connections_per_address=10\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_eq(c->connections_per_address, 0);
	cr_assert_eq(c->streams_per_address, 3);
	cr_assert_eq(c->request_timeout_ms, 1500);
	cr_assert(c->reuse_port);
	cr_assert_eq(c->remote_workers, 2);
	config_free(c);
}

Test(config, metrics_token_is_unset_by_default_and_an_empty_one_is_no_token)
{
	char *msg;
	struct config *c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_null(c->metrics_token);
	config_free(c);

	g_setenv("CEJ_METRICS_TOKEN", "", TRUE);
	c = load("metrics_token=0123456789abcdef0123\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_null(c->metrics_token, "the environment's empty value unsets the file's");
	config_free(c);
}

Test(config, metrics_token_from_the_environment_or_the_file)
{
	char *msg;
	struct config *c = load("metrics_token=Zm9vYmFyYmF6cXV4LTEyMw==\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_str_eq(c->metrics_token, "Zm9vYmFyYmF6cXV4LTEyMw==");
	config_free(c);

	g_setenv("CEJ_METRICS_TOKEN", "a1b2c3d4e5f6a7b8c9d0", TRUE);
	c = load("metrics_token=0123456789abcdef0123\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_str_eq(c->metrics_token, "a1b2c3d4e5f6a7b8c9d0");
	config_free(c);
}

Test(config, a_metrics_token_too_short_or_unfit_for_a_header_refuses_to_start)
{
	static const char *const bad[] = {
		"court", "0123456789abcde", "deux mots et encore un peu", "accentué-0123456789",
		"================", "=0123456789abcdef", "0123456789abcdef=x",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *msg;
		g_setenv("CEJ_METRICS_TOKEN", bad[i], TRUE);
		struct config *c = load("", &msg);
		cr_assert_null(c, "« %s » accepted", bad[i]);
		cr_assert(g_str_has_prefix(msg, "metrics_token : au moins 16 caractères parmi"), "%s", msg);
		g_free(msg);
	}
}

Test(config, the_database_is_a_sqlite_file_in_var_with_its_key_file_beside_it)
{
	char *msg;
	struct config *c = load("", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_str_eq(c->database_url, "var/cej.db");
	cr_assert_str_eq(c->message_key_file, "var/cles-messages");
	config_free(c);
	c = load("database_url=sqlite:/srv/cej/base.db\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_str_eq(c->message_key_file, "/srv/cej/cles-messages");
	config_free(c);
}

Test(config, db_path_is_still_read_below_database_url)
{
	char *msg;
	struct config *c = load("db_path=/a/ancien.db\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_str_eq(c->database_url, "/a/ancien.db", "the old key alone");
	config_free(c);
	c = load("db_path=/a/ancien.db\ndatabase_url=/b/nouveau.db\n", &msg);
	cr_assert_str_eq(c->database_url, "/b/nouveau.db", "the new key wins in the file");
	config_free(c);
	g_setenv("CEJ_DB_PATH", "/c/env.db", TRUE);
	c = load("database_url=/b/nouveau.db\n", &msg);
	cr_assert_str_eq(c->database_url, "/c/env.db", "the environment wins, old name too");
	config_free(c);
	g_setenv("CEJ_DATABASE_URL", "/d/env.db", TRUE);
	c = load("", &msg);
	cr_assert_str_eq(c->database_url, "/d/env.db", "and its new name wins over the old");
	config_free(c);
}

Test(config, postgresql_needs_the_message_key_file_named)
{
	char *msg;
	g_setenv("CEJ_DATABASE_URL", "postgres://cej@127.0.0.1:5432/cej", TRUE);
	struct config *c = load("", &msg);
	cr_assert_null(c);
	cr_assert(strstr(msg, "message_key_file : obligatoire avec une base PostgreSQL"), "%s", msg);
	g_free(msg);
	c = load("message_key_file=/etc/cej/cles-messages\n", &msg);
	cr_assert_not_null(c, "%s", msg);
	cr_assert_str_eq(c->message_key_file, "/etc/cej/cles-messages");
	config_free(c);
	cr_assert(config_db_is_postgres("postgresql://h/db"));
	cr_assert_not(config_db_is_postgres("sqlite:postgres://x"));
}
