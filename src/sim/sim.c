/* sim.c — `cej imilo-sim`: options, database, the HTTP server with its prepare hook (admin
 * token, faults, API key), the request journal, and a clean stop on SIGINT/SIGTERM.
 *
 * A request to the i-milo API goes: prepare (fault: latency, timeout or forced status;
 * then the API key) -> handler (sim_api.c) -> sim_api_done (journal). Admin calls only
 * check X-Admin-Token and are never journaled nor faulted. */
#include "sim/sim.h"

#include "sim/sim_internal.h"
#include "sim/sim_store.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "http/http.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SEED 42
#define JOURNAL_BODY_MAX 16384  /* bytes of a body kept in the journal */

/* Headers worth seeing in the journal (spec scenario 1 checks the key and the bearer). */
static const char *const journal_headers[] = {
	"X-Gravitee-Api-Key", "Authorization", "operateur", "Content-Type", "Content-Length",
	"Accept", "User-Agent",
};

struct db *
sim_db(struct req *r)
{
	struct sim *s = r->app;
	return db_thread(s->db_path);
}

bool
sim_pause(struct sim *s, int ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
	bool stopping;

	g_mutex_lock(&s->lock);
	while (!s->stopping && g_cond_wait_until(&s->wake, &s->lock, end))
		;  /* woken early (spurious or stop): re-check */
	stopping = s->stopping;
	g_mutex_unlock(&s->lock);
	return !stopping;
}

bool
sim_valid_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return false;
	return g_date_valid_dmy((GDateDay)atoi(s + 8), (GDateMonth)atoi(s + 5),
				(GDateYear)atoi(s));
}

void
sim_error(struct req *r, int status, const char *code, const char *message)
{
	json_t *o = json_object();

	if (code)
		json_object_set_new(o, "code", json_string(code));
	if (message)
		json_object_set_new(o, "message", json_string(message));
	resp_json(r, status, o);
}

int
sim_in_tx(struct req *r, int (*step)(struct req *, void *), void *arg)
{
	struct db *db = sim_db(r);
	int rc = db_tx_begin(db);

	if (rc)
		return rc;
	rc = step(r, arg);
	if (rc || r->status >= 300) {
		db_tx_rollback(db);
		return rc;
	}
	return db_tx_commit(db);
}

int
sim_reset(struct sim *s, struct db *db)
{
	return sim_seed_load(db, s->seed, clock_now_ms());
}

/* Secrets never reach the journal: the key is replaced, a bearer keeps only its scheme. */
static json_t *
journal_headers_json(struct req *r)
{
	json_t *o = json_object();

	for (size_t i = 0; i < G_N_ELEMENTS(journal_headers); i++) {
		const char *name = journal_headers[i], *v = req_header(r, name);
		if (!v)
			continue;
		if (!g_ascii_strcasecmp(name, "X-Gravitee-Api-Key"))
			v = "***";
		else if (!g_ascii_strcasecmp(name, "Authorization"))
			v = g_ascii_strncasecmp(v, "Bearer ", 7) == 0 ? "Bearer ***" : "***";
		json_object_set_new(o, name, json_string(v));
	}
	return o;
}

static const char *
journal_body(struct req *r)
{
	if (!r->body || !r->body_len)
		return NULL;
	if (!g_utf8_validate(r->body, (gssize)r->body_len, NULL) || strlen(r->body) != r->body_len)
		return arena_printf(r->a, "[binaire, %zu octets]", r->body_len);
	if (r->body_len > JOURNAL_BODY_MAX) {
		const char *end = g_utf8_find_prev_char(r->body, r->body + JOURNAL_BODY_MAX);
		return arena_printf(r->a, "%.*s…", (int)(end - r->body), r->body);
	}
	return r->body;
}

static void
journal(struct req *r)
{
	struct user *call = r->user;
	json_t *headers = journal_headers_json(r);
	char *headers_text = json_dumps(headers, JSON_COMPACT);
	struct sim_journal_entry e = {
		.at = clock_now_ms(),
		.method = r->method,
		.path = r->path,
		.query = r->raw_query,
		.headers_json = headers_text,
		.body = journal_body(r),
		.status = r->status,
		.fault_id = call ? call->fault_id : NULL,
	};
	struct db *db = sim_db(r);

	if (!db || sim_store_journal_add(db, &e, SIM_JOURNAL_KEEP) < 0)
		log_warn("imilo-sim: journal: %s %s non enregistré", r->method, r->path);
	free(headers_text);
	json_decref(headers);
}

int
sim_api_done(struct req *r, int rc)
{
	if (rc < 0)
		sim_error(r, 500, NULL, "Erreur interne du simulateur");
	journal(r);
	return 0;
}

static bool
is_admin(struct req *r)
{
	if (r->route->access == SIM_ACCESS_ADMIN)
		return true;
	return r->route->access == SIM_ACCESS_FALLBACK &&
	       (!strcmp(r->path, "/_admin") || g_str_has_prefix(r->path, "/_admin/"));
}

/* Answers per the fault. True when the answer is set (timeout or forced status); false
 * when the call goes on (latency only). */
static bool
apply_fault(struct req *r, const struct sim_fault *f)
{
	struct sim *s = r->app;

	if (f->latency_ms > 0)
		sim_pause(s, f->latency_ms);
	if (f->timeout) {
		/* Hold until the cap: the client's own timeout fires first. */
		sim_pause(s, s->timeout_cap_ms);
		resp_bytes(r, 504, NULL, "", 0);
		return true;
	}
	if (!f->status)
		return false;
	if (f->body_is_json)
		resp_bytes(r, f->status, "application/json", f->body, strlen(f->body));
	else
		resp_bytes(r, f->status, f->body ? "text/plain; charset=utf-8" : NULL,
			   f->body ? f->body : "", f->body ? strlen(f->body) : 0);
	return true;
}

/* The key of the family of @path (spec/imilo.md §2): events for the feed, a rendez-vous
 * or an instance read by the operator; sessions for the rest of /operateurs; dossiers
 * for /sue. NULL for a path of no family (any key of the three is accepted). */
static const char *
family_key(struct sim *s, const char *path)
{
	if (g_str_has_prefix(path, "/sue/"))
		return s->api_key;
	if (!g_str_has_prefix(path, "/operateurs/"))
		return NULL;
	if (g_pattern_match_simple("/operateurs/events*", path) ||
	    g_pattern_match_simple("/operateurs/dossiers/*/rdv/*", path) ||
	    g_pattern_match_simple("/operateurs/dossiers/*/sessions/*", path))
		return s->key_events;
	return s->key_sessions;
}

static bool
api_key_ok(struct req *r)
{
	struct sim *s = r->app;
	const char *key = req_header(r, "X-Gravitee-Api-Key");
	const char *want = family_key(s, r->path);

	if (!key)
		return false;
	if (want)
		return !strcmp(key, want);
	return !strcmp(key, s->api_key) || !strcmp(key, s->key_sessions) ||
	       !strcmp(key, s->key_events);
}

/* API calls: faults first (they stand for the network and the gateway), then the key. */
static int
prepare_api(struct req *r)
{
	struct user *call = arena_alloc(r->a, sizeof(*call));
	struct sim_fault f;
	bool found = false;
	int rc;

	r->user = call;
	rc = sim_fault_pick(r, &f, &found);
	if (rc < 0) {
		sim_api_done(r, rc);
		return 1;
	}
	if (found) {
		call->fault_id = f.id;
		if (apply_fault(r, &f)) {
			journal(r);
			return 1;
		}
	}
	if (!api_key_ok(r)) {
		sim_error(r, 401, NULL, "Clé d'API invalide");
		journal(r);
		return 1;
	}
	return 0;
}

static int
prepare_admin(struct req *r)
{
	struct sim *s = r->app;
	const char *token = req_header(r, "X-Admin-Token");

	if (token && !strcmp(token, s->admin_token))
		return 0;
	sim_error(r, 401, NULL, "Jeton d'administration invalide");
	return 1;
}

static int
sim_prepare(struct req *r)
{
	/* Opening the worker's connection here lets handlers take it for granted. */
	if (!sim_db(r)) {
		sim_error(r, 503, NULL, "Base du simulateur indisponible");
		return 1;
	}
	if (r->route->access == SIM_ACCESS_DESK_PAGE)
		return sim_desk_page_admit(r);
	return is_admin(r) ? prepare_admin(r) : prepare_api(r);
}

static void
sim_error_page(struct req *r, int status)
{
	const char *msg = status == 404   ? "Ressource inconnue"
			  : status == 413 ? "Requête trop volumineuse"
			  : status < 500  ? "Requête invalide"
					  : "Erreur interne du simulateur";
	sim_error(r, status, NULL, msg);
}

/* Any path no route knows: a JSON 404, journaled (and faultable) when on the API side. */
static int
sim_fallback(struct req *r)
{
	sim_error(r, 404, NULL, "Ressource inconnue");
	return is_admin(r) ? 0 : sim_api_done(r, 0);
}

static const struct route fallback_routes[] = {
	{"GET", "/{rest*}", sim_fallback, ROUTE_WORKER, SIM_ACCESS_FALLBACK},
	{"POST", "/{rest*}", sim_fallback, ROUTE_WORKER, SIM_ACCESS_FALLBACK},
	{"PUT", "/{rest*}", sim_fallback, ROUTE_WORKER, SIM_ACCESS_FALLBACK},
	{"PATCH", "/{rest*}", sim_fallback, ROUTE_WORKER, SIM_ACCESS_FALLBACK},
	{"DELETE", "/{rest*}", sim_fallback, ROUTE_WORKER, SIM_ACCESS_FALLBACK},
};

/* Admin and desk routes, then the API families, then the fallbacks (routes match in
 * order). g_free. */
static struct route *
all_routes(size_t *n)
{
	const struct {
		const struct route *routes;
		size_t n;
	} tables[] = {
		{sim_admin_routes, sim_admin_routes_count},
		{sim_desk_routes, sim_desk_routes_count},
		{sim_desk_page_routes, sim_desk_page_routes_count},
		{sim_api_routes, sim_api_routes_count},
		{sim_sessions_routes, sim_sessions_routes_count},
		{fallback_routes, G_N_ELEMENTS(fallback_routes)},
	};
	size_t total = 0;
	struct route *routes;

	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
		total += tables[i].n;
	routes = g_new(struct route, total);
	*n = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
		memcpy(routes + *n, tables[i].routes, tables[i].n * sizeof(*routes));
		*n += tables[i].n;
	}
	return routes;
}

/* Migrates, then seeds an empty database (or any database with @reset). */
static int
prepare_db(struct sim *s, bool reset)
{
	gchar *dir = g_path_get_dirname(s->db_path);
	struct db *db = g_mkdir_with_parents(dir, 0700) == 0 ? db_open(s->db_path) : NULL;
	struct arena *a = arena_new();
	const char *seeded = NULL;
	int rc = db ? 0 : -ERR_DB;

	g_free(dir);

	if (!rc)
		rc = db_migrate(db, embed_sim_migrations, embed_sim_migrations_count);
	if (!rc)
		rc = sim_store_get_meta(db, a, "seeded_on", &seeded);
	if (!rc && (reset || !seeded))
		rc = sim_reset(s, db);
	arena_free(a);
	db_close(db);
	return rc;
}

struct sim_opts {
	int port;
	char *db;
	gboolean reset;
	char *admin_token;
	int seed;
	int timeout_cap_s;
};

static int
parse_options(struct sim_opts *o, int argc, char **argv)
{
	GOptionEntry entries[] = {
		{"port", 0, 0, G_OPTION_ARG_INT, &o->port, "port d'écoute (0 : un port libre)", "N"},
		{"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db, "base SQLite du simulateur", "FICHIER"},
		{"reset", 0, 0, G_OPTION_ARG_NONE, &o->reset, "recharge le jeu de données", NULL},
		{"admin-token", 0, 0, G_OPTION_ARG_STRING, &o->admin_token,
		 "jeton de l'API d'administration (X-Admin-Token)", "JETON"},
		{"seed", 0, 0, G_OPTION_ARG_INT, &o->seed, "graine du jeu de données (42)", "N"},
		{"timeout-cap", 0, 0, G_OPTION_ARG_INT, &o->timeout_cap_s,
		 "durée maximale d'une panne « timeout », en secondes (30, au plus 300)", "S"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("— simulateur i-milo");
	gchar **args = g_strdupv(argv);
	GError *err = NULL;
	int rc = 0;

	(void)argc;
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse_strv(ctx, &args, &err)) {
		fprintf(stderr, "imilo-sim: %s\n", err->message);
		g_error_free(err);
		rc = 2;
	} else if (o->port < 0 || o->port > 65535 || o->timeout_cap_s < 0 ||
		   o->timeout_cap_s > SIM_TIMEOUT_CAP_MS_MAX / 1000) {
		fprintf(stderr, "imilo-sim: --port ou --timeout-cap hors limites\n");
		rc = 2;
	}
	g_strfreev(args);
	g_option_context_free(ctx);
	return rc;
}

static gboolean
on_signal(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

static void
serve_until_signal(void)
{
	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	guint sigint = g_unix_signal_add(SIGINT, on_signal, loop);
	guint sigterm = g_unix_signal_add(SIGTERM, on_signal, loop);

	g_main_loop_run(loop);
	g_source_remove(sigint);
	g_source_remove(sigterm);
	g_main_loop_unref(loop);
}

static void
sim_stop(struct sim *s, struct http_server *server)
{
	/* Release held requests first, or http_stop would wait for their whole hold. */
	g_mutex_lock(&s->lock);
	s->stopping = true;
	g_cond_broadcast(&s->wake);
	g_mutex_unlock(&s->lock);
	http_stop(server);
	/* Idle pool threads exit, closing their SQLite connections. */
	g_thread_pool_stop_unused_threads();
}

static int
run_server(struct sim *s, struct config *cfg, int port)
{
	struct http_options o = {
		.bind = "127.0.0.1",
		.port = port,
		.threads = 2,
		.workers = 32,  /* a `timeout` fault holds a worker for the whole cap */
		.max_body = (size_t)cfg->max_body_bytes,
		.max_multipart_body = (size_t)cfg->max_body_bytes,
		.connection_limit = 512,
		.quiet = cfg->quiet,
	};
	struct http_hooks hooks = {.prepare = sim_prepare, .error_page = sim_error_page};
	size_t n;
	struct route *routes = all_routes(&n);
	struct http_server *server = http_start(&o, routes, n, &hooks, s);
	int rc = 0;

	if (!server) {
		rc = 1;
		goto out;
	}
	printf("imilo-sim: écoute sur http://127.0.0.1:%d\n", http_port(server));
	fflush(stdout);
	serve_until_signal();
	log_info("imilo-sim: arrêt");
	sim_stop(s, server);
out:
	g_free(routes);
	return rc;
}

int
sim_main(struct config *cfg, int argc, char **argv)
{
	struct sim_opts o = {.port = cfg->sim_port, .seed = DEFAULT_SEED,
			     .timeout_cap_s = SIM_TIMEOUT_CAP_MS_DEFAULT / 1000};
	struct sim s = {0};
	int rc = parse_options(&o, argc, argv);

	if (rc)
		goto out;
	g_mutex_init(&s.lock);
	g_cond_init(&s.wake);
	s.db_path = g_strdup(o.db ? o.db : cfg->sim_db_path);
	s.api_key = g_strdup(cfg->imilo_key_dossiers);
	s.key_sessions = g_strdup(cfg->imilo_key_sessions);
	s.key_events = g_strdup(cfg->imilo_key_events);
	s.admin_token = g_strdup(o.admin_token ? o.admin_token : cfg->sim_admin_token);
	s.seed = o.seed;
	s.timeout_cap_ms = o.timeout_cap_s * 1000;
	if (prepare_db(&s, o.reset)) {
		log_error("imilo-sim: base %s inutilisable", s.db_path);
		rc = 1;
	} else {
		rc = run_server(&s, cfg, o.port);
	}
	g_free(s.db_path);
	g_free(s.api_key);
	g_free(s.key_sessions);
	g_free(s.key_events);
	g_free(s.admin_token);
	g_cond_clear(&s.wake);
	g_mutex_clear(&s.lock);
out:
	g_free(o.db);
	g_free(o.admin_token);
	return rc;
}
