/* config.h — settings from an optional key file, then CEJ_* environment variables.
 *
 * Every setting has a default that runs with no file (README). In the key file a setting
 * is a plain key of group [cej] ("port=8080"); in the environment it takes the CEJ_ prefix
 * and upper case (CEJ_PORT=8080). The environment wins. A config is read once at start and
 * never changes afterwards: threads read it without locks. */
#ifndef CEJ_CONFIG_H
#define CEJ_CONFIG_H

#include <glib.h>
#include <stdbool.h>

struct config {
	char *bind;                 /* 127.0.0.1 */
	int port;                   /* 8080 */
	char *base_url;             /* http://localhost:{port}: links in e-mails */
	/* The database: a SQLite file path or sqlite:PATH, or postgres://… (db_open); the
	 * older key db_path is read too. var/cej.db */
	char *database_url;
	/* Keys of messages at rest: {dir of the SQLite file}/cles-messages; required with
	 * PostgreSQL (config_load fails without it). */
	char *message_key_file;
	char *mail_transport;       /* file:var/outbox | smtp://host:port */
	char *mail_from;            /* the no-reply sender */
	char *imilo_api_url;        /* http://127.0.0.1:{sim_port} */
	char *imilo_key_dossiers;   /* X-Gravitee-Api-Key of the dossiers family */
	char *imilo_key_sessions;   /* … of the sessions family (spec/imilo.md §2) */
	char *imilo_key_events;     /* … of the events family */
	char *imilo_web_url;        /* link "Dossier jeune i-milo" */
	int imilo_timeout_ms;       /* 10000 */
	int imilo_background_timeout_ms; /* the jobs' i-milo timeout (spec/imilo.md §7); 30000 */
	int imilo_rate_per_s;       /* requests per second per family (spec/imilo.md §2); 3; 0 = no limit */
	int imilo_feed_interval_s;  /* the event feed is polled this often (§4); 900 */
	bool imilo_rdv_push;        /* pushes for i-milo rendez-vous (§4); true */
	bool session_auto_registration; /* young people register themselves (agenda.md §7); false */
	int pilotage_sessions_lookback_days; /* Pilotage's sessions to close look back (§8); 90 */
	int activation_link_ttl_hours; /* 12 */
	int sim_port;               /* 8090 */
	char *sim_db_path;          /* var/imilo-sim.db */
	char *sim_admin_token;      /* X-Admin-Token of the simulator's admin API */
	int threads;                /* HTTP thread pool size; 0 = number of CPUs */
	int workers;                /* pool for slow local work (argon2id); 0 = 4 */
	int remote_workers;         /* pool for requests waiting on i-milo; 0 = 8 */
	int max_body_bytes;         /* 1 MiB: larger bodies get 413 */
	int connection_limit;       /* simultaneous HTTP connections; 0 = sse_max_streams + 1000 */
	int connections_per_address; /* open connections of one client address, streams apart; 64; 0 = no cap */
	int streams_per_address;    /* event streams of one client address (then 503); 200; 0 = no cap */
	int request_timeout_ms;     /* a request's headers and body must arrive within; 30000; 0 = none */
	bool reuse_port;            /* several processes share the port on purpose (SO_REUSEPORT) */
	char *trusted_proxy;        /* the load balancer's address: its X-Real-IP names the client */
	int sse_heartbeat_ms;       /* ": ping" on every event stream this often; 25000 */
	int sse_max_streams;        /* event streams in all (then 503); 2000 */
	int sse_max_per_user;       /* event streams of one user (the oldest ends); 5 */
	bool test_clock;            /* exposes POST /_test/horloge: tests only, never in production */
	bool secure_cookies;        /* default: true unless base_url is http://localhost or 127.0.0.1 */
	bool quiet;                 /* no access log */
	/* The demo mailbox, GET /demo/courriels: every mail sent, links included, to anyone.
	 * Off by default; on with a bind outside 127.0.0.0/8 only with demo_mailbox_public,
	 * otherwise config_load refuses. */
	bool demo_mailbox;          /* false; on in make run and the e2e stack */
	bool demo_mailbox_public;   /* false: the mailbox on a non-loopback bind */
	/* GET /metrics: NULL, only from the loopback and not through a proxy; set, only with
	 * "Authorization: Bearer <token>", from anywhere (docs/metrics.md). At least 16
	 * characters of a bearer token (A–Z a–z 0–9 - . _ ~ + /, then = padding), or
	 * config_load refuses; an empty value is no token. */
	char *metrics_token;
	/* The offers' HTTP sync (offers.md §8.3, docs/offers.md "Synchronisation"): a
	 * provider's jobs are planned only when its credentials are set (NULL: unset). */
	char *france_travail_client_id, *france_travail_client_secret;
	char *france_travail_token_url;  /* the OAuth2 token endpoint (client credentials) */
	char *france_travail_api_url;    /* …/offresdemploi/v2 */
	char *engagement_api_key;        /* header apikey */
	char *engagement_api_url;
	char *engagement_publisher;      /* the publisher id of Service Civique */
	char *immersion_api_key;
	char *immersion_api_url;
	char *immersion_sweep;           /* "appellation@département,…" */
	char *mee_api_url;               /* the events' search URL of Mes Événements Emploi */
	int offers_sync_timeout_ms;      /* one request; 30000 */
	int offers_sync_rate_per_s;      /* requests per second to a provider; 3; 0 = no limit */
	int offers_sync_pause_429_ms;    /* the pause after a 429; 10000 */
};

/* Loads @path (NULL or missing file with @path NULL: defaults only) then the environment,
 * derives the settings left unset and checks that they hold together (the event streams
 * fit under connection_limit; the demo mailbox on a loopback bind, or confirmed public;
 * a metrics token fit to send). Returns a config to free with config_free(), or NULL with
 * @err set (a French message naming the setting). */
struct config *config_load(const char *path, GError **err);
void config_free(struct config *c);
/* True when database_url @url names a PostgreSQL database ("postgres://…",
 * "postgresql://…"); anything else is a SQLite file ("sqlite:PATH" or a path). */
bool config_db_is_postgres(const char *url);

#endif
