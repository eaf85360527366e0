/* config.c — GKeyFile + CEJ_* environment, with defaults that run with no file. */
#include "base/config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_STR, K_INT, K_BOOL };

struct setting {
	const char *key;
	enum kind kind;
	size_t offset;
	const char *def;   /* NULL: derived after loading */
	const char *alias; /* an older key still accepted, below @key in precedence */
};

#define S(k, kind, field, def) { k, kind, offsetof(struct config, field), def, NULL }
static const struct setting settings[] = {
	S("bind", K_STR, bind, "127.0.0.1"),
	S("port", K_INT, port, "8080"),
	S("base_url", K_STR, base_url, NULL),
	/* db_path (CEJ_DB_PATH): the key of the SQLite-only days, still read. */
	{"database_url", K_STR, offsetof(struct config, database_url), "var/cej.db", "db_path"},
	S("message_key_file", K_STR, message_key_file, NULL),
	S("mail_transport", K_STR, mail_transport, "file:var/outbox"),
	S("mail_from", K_STR, mail_from, "ne-pas-repondre@cej.localhost"),
	S("imilo_api_url", K_STR, imilo_api_url, NULL),
	S("imilo_key_dossiers", K_STR, imilo_key_dossiers, "cle-dossiers-demo"),
	S("imilo_key_sessions", K_STR, imilo_key_sessions, "cle-sessions-demo"),
	S("imilo_key_events", K_STR, imilo_key_events, "cle-evenements-demo"),
	S("imilo_web_url", K_STR, imilo_web_url, NULL),
	S("imilo_timeout_ms", K_INT, imilo_timeout_ms, "10000"),
	S("imilo_background_timeout_ms", K_INT, imilo_background_timeout_ms, "30000"),
	S("imilo_rate_per_s", K_INT, imilo_rate_per_s, "3"),
	S("imilo_feed_interval_s", K_INT, imilo_feed_interval_s, "900"),
	S("imilo_rdv_push", K_BOOL, imilo_rdv_push, "true"),
	S("session_auto_registration", K_BOOL, session_auto_registration, "false"),
	S("pilotage_sessions_lookback_days", K_INT, pilotage_sessions_lookback_days, "90"),
	S("activation_link_ttl_hours", K_INT, activation_link_ttl_hours, "12"),
	S("sim_port", K_INT, sim_port, "8090"),
	S("sim_db_path", K_STR, sim_db_path, "var/imilo-sim.db"),
	S("sim_admin_token", K_STR, sim_admin_token, "admin-demo"),
	S("threads", K_INT, threads, "0"),
	S("workers", K_INT, workers, "4"),
	S("remote_workers", K_INT, remote_workers, "8"),
	S("max_body_bytes", K_INT, max_body_bytes, "1048576"),
	S("connection_limit", K_INT, connection_limit, "0"),
	S("connections_per_address", K_INT, connections_per_address, "64"),
	S("streams_per_address", K_INT, streams_per_address, "200"),
	S("request_timeout_ms", K_INT, request_timeout_ms, "30000"),
	S("reuse_port", K_BOOL, reuse_port, "false"),
	S("trusted_proxy", K_STR, trusted_proxy, NULL),
	S("sse_heartbeat_ms", K_INT, sse_heartbeat_ms, "25000"),
	S("sse_max_streams", K_INT, sse_max_streams, "2000"),
	S("sse_max_per_user", K_INT, sse_max_per_user, "5"),
	S("test_clock", K_BOOL, test_clock, "false"),
	S("secure_cookies", K_BOOL, secure_cookies, NULL),
	S("quiet", K_BOOL, quiet, "false"),
	/* The demo mailbox (check_demo_mailbox). */
	S("demo_mailbox", K_BOOL, demo_mailbox, "false"),
	S("demo_mailbox_public", K_BOOL, demo_mailbox_public, "false"),
	/* Who may read GET /metrics (check_metrics_token). */
	S("metrics_token", K_STR, metrics_token, NULL),
	/* The offers' HTTP sync (docs/offers.md "Synchronisation"). */
	S("france_travail_client_id", K_STR, france_travail_client_id, NULL),
	S("france_travail_client_secret", K_STR, france_travail_client_secret, NULL),
	S("france_travail_token_url", K_STR, france_travail_token_url,
	  "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"),
	S("france_travail_api_url", K_STR, france_travail_api_url,
	  "https://api.francetravail.io/partenaire/offresdemploi/v2"),
	S("engagement_api_key", K_STR, engagement_api_key, NULL),
	S("engagement_api_url", K_STR, engagement_api_url, "https://api.api-engagement.beta.gouv.fr/v0"),
	S("engagement_publisher", K_STR, engagement_publisher, "5f99dbe75eb1ad767733b206"),
	S("immersion_api_key", K_STR, immersion_api_key, NULL),
	S("immersion_api_url", K_STR, immersion_api_url,
	  "https://immersion-facile.beta.gouv.fr/api/v2"),
	S("immersion_sweep", K_STR, immersion_sweep, NULL),
	S("mee_api_url", K_STR, mee_api_url, NULL),
	S("offers_sync_timeout_ms", K_INT, offers_sync_timeout_ms, "30000"),
	S("offers_sync_rate_per_s", K_INT, offers_sync_rate_per_s, "3"),
	S("offers_sync_pause_429_ms", K_INT, offers_sync_pause_429_ms, "10000"),
};

static bool
set_value(struct config *c, const struct setting *s, const char *v, GError **err)
{
	void *field = (char *)c + s->offset;
	char *end;

	switch (s->kind) {
	case K_STR:
		g_free(*(char **)field);
		*(char **)field = g_strdup(v);
		return true;
	case K_INT: {
		long n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 0 || n > 1000000000) {
			g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "%s: entier attendu, reçu « %s »", s->key, v);
			return false;
		}
		*(int *)field = (int)n;
		return true;
	}
	case K_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
			*(bool *)field = true;
		else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
			*(bool *)field = false;
		else {
			g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "%s: true ou false attendu, reçu « %s »", s->key, v);
			return false;
		}
		return true;
	}
	return false;
}

/* Connections kept for pages beyond the event streams, when connection_limit is derived;
 * and the least an explicit connection_limit must keep. A page that holds a stream
 * fetches its fragments on other connections of the same browser. */
#define PAGE_CONNECTIONS 1000
#define PAGE_CONNECTIONS_MIN 100

/* Derives connection_limit when unset (0) and checks the limits of the event streams. */
static bool
settle_limits(struct config *c, GError **err)
{
	const struct {
		const char *key;
		int value;
	} positive[] = {
		{"sse_heartbeat_ms", c->sse_heartbeat_ms},
		{"sse_max_streams", c->sse_max_streams},
		{"sse_max_per_user", c->sse_max_per_user},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(positive); i++)
		if (positive[i].value <= 0) {
			g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "%s: entier positif attendu, reçu « %d »", positive[i].key,
				    positive[i].value);
			return false;
		}
	if (c->connection_limit == 0)
		c->connection_limit = c->sse_max_streams + PAGE_CONNECTIONS;
	else if (c->connection_limit < c->sse_max_streams + PAGE_CONNECTIONS_MIN) {
		g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "connection_limit (%d) doit dépasser sse_max_streams (%d) d'au moins %d : "
			    "sinon les flux d'événements peuvent prendre toutes les connexions et les "
			    "pages ne répondent plus",
			    c->connection_limit, c->sse_max_streams, PAGE_CONNECTIONS_MIN);
		return false;
	}
	return true;
}

/* The demo mailbox shows every mail sent, activation and reset links included, to anyone
 * who reaches the server: whoever asks for a reset of someone's password reads the link
 * there and takes the account. So it is off unless asked for, and on an address other
 * machines reach (any bind outside 127.0.0.0/8) only when demo_mailbox_public says so. */
static bool
is_loopback_bind(const char *bind)
{
	struct in_addr a;
	return inet_pton(AF_INET, bind, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

static bool
check_demo_mailbox(const struct config *c, GError **err)
{
	if (!c->demo_mailbox || c->demo_mailbox_public || is_loopback_bind(c->bind))
		return true;
	g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		    "demo_mailbox : la boîte de réception de démonstration (/demo/courriels) montre à "
		    "quiconque atteint le serveur tous les e-mails envoyés, liens d'activation et de "
		    "réinitialisation de mot de passe compris, donc l'accès à tous les comptes ; elle "
		    "n'est pas ouverte sur l'adresse d'écoute %s, joignable depuis d'autres machines. "
		    "Désactivez-la (CEJ_DEMO_MAILBOX=0) ou, pour une démonstration sans données "
		    "réelles, confirmez avec CEJ_DEMO_MAILBOX_PUBLIC=1",
		    c->bind);
	return false;
}

/* The token of GET /metrics travels as "Authorization: Bearer <token>": only the characters
 * of RFC 6750's b64token fit there, and a short one can be guessed. An empty value means no
 * token (CEJ_METRICS_TOKEN= unsets it), not a token anyone can send. */
#define METRICS_TOKEN_MIN 16

static bool
check_metrics_token(struct config *c, GError **err)
{
	const char *t = c->metrics_token;

	if (!t || !*t) {
		g_clear_pointer(&c->metrics_token, g_free);
		return true;
	}
	size_t body = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				"0123456789-._~+/");
	size_t pad = strspn(t + body, "=");
	if (body > 0 && t[body + pad] == '\0' && body + pad >= METRICS_TOKEN_MIN)
		return true;
	g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		    "metrics_token : au moins %d caractères parmi A–Z a–z 0–9 - . _ ~ + / (puis "
		    "des = éventuels), sans espace — il est envoyé dans l'en-tête « Authorization: "
		    "Bearer … » ; par exemple : openssl rand -hex 32",
		    METRICS_TOKEN_MIN);
	return false;
}

static bool
is_local_url(const char *u)
{
	return g_str_has_prefix(u, "http://localhost") || g_str_has_prefix(u, "http://127.0.0.1");
}

/* The value of @s given by the environment (CEJ_KEY, then CEJ_ALIAS) or else by the key
 * file @kf (key, then alias); NULL when none sets it. A key-file value is returned in
 * *@owned, to be freed. */
static const char *
lookup(GKeyFile *kf, const struct setting *s, gchar **owned)
{
	const char *keys[] = {s->key, s->alias};
	const char *v = NULL;
	for (size_t k = 0; !v && k < G_N_ELEMENTS(keys) && keys[k]; k++) {
		gchar *up = g_ascii_strup(keys[k], -1);
		gchar *name = g_strconcat("CEJ_", up, NULL);
		v = g_getenv(name);
		g_free(name);
		g_free(up);
	}
	for (size_t k = 0; !v && kf && k < G_N_ELEMENTS(keys) && keys[k]; k++)
		v = *owned = g_key_file_get_string(kf, "cej", keys[k], NULL);
	return v;
}

bool
config_db_is_postgres(const char *url)
{
	return g_str_has_prefix(url, "postgres://") || g_str_has_prefix(url, "postgresql://");
}

/* The message key file, unless set: beside the SQLite file. With PostgreSQL every node
 * must read the same keys — a file made up by one node would leave its messages
 * unreadable by the others — so it must be named (docs/configuration.md). */
static bool
message_key_default(struct config *c, GError **err)
{
	if (c->message_key_file)
		return true;
	if (config_db_is_postgres(c->database_url)) {
		g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "message_key_file : obligatoire avec une base PostgreSQL (database_url) "
			    "— chaque nœud doit lire le même fichier de clés des messages ; indiquez "
			    "son chemin (CEJ_MESSAGE_KEY_FILE), voir docs/configuration.md");
		return false;
	}
	const char *path = c->database_url;
	if (g_str_has_prefix(path, "sqlite:"))
		path += strlen("sqlite:");
	gchar *dir = g_path_get_dirname(path);
	c->message_key_file = g_build_filename(dir, "cles-messages", NULL);
	g_free(dir);
	return true;
}

struct config *
config_load(const char *path, GError **err)
{
	struct config *c = g_new0(struct config, 1);
	GKeyFile *kf = NULL;
	bool secure_set = false;

	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++)
		if (settings[i].def && !set_value(c, &settings[i], settings[i].def, err))
			goto fail;
	if (path) {
		kf = g_key_file_new();
		if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, err))
			goto fail;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++) {
		const struct setting *s = &settings[i];
		gchar *fv = NULL;
		const char *v = lookup(kf, s, &fv);
		bool ok = true;
		if (v) {
			ok = set_value(c, s, v, err);
			if (!strcmp(s->key, "secure_cookies"))
				secure_set = true;
		}
		g_free(fv);
		if (!ok)
			goto fail;
	}
	if (!c->base_url)
		c->base_url = g_strdup_printf("http://localhost:%d", c->port);
	if (!message_key_default(c, err))
		goto fail;
	if (!c->imilo_api_url)
		c->imilo_api_url = g_strdup_printf("http://127.0.0.1:%d", c->sim_port);
	if (!c->imilo_web_url)
		c->imilo_web_url = g_strdup_printf("%s/dossiers", c->imilo_api_url);
	if (!secure_set)
		c->secure_cookies = !is_local_url(c->base_url);
	if (!settle_limits(c, err) || !check_demo_mailbox(c, err) || !check_metrics_token(c, err))
		goto fail;
	if (kf)
		g_key_file_free(kf);
	return c;
fail:
	if (kf)
		g_key_file_free(kf);
	config_free(c);
	return NULL;
}

void
config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++)
		if (settings[i].kind == K_STR)
			g_free(*(char **)((char *)c + settings[i].offset));
	g_free(c);
}
