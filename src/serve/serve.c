/* serve.c — `cej serve` and `cej migrate`: builds the context, runs the HTTP server and
 * the background workers until SIGTERM, then stops them in order. */
#include "serve/serve.h"
#include "serve/live_relay.h"

#include "audit/audit.h"
#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/clock.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "http/parse.h"
#include "imilo/imilo.h"
#include "mail/mail.h"
#include "messaging/crypto.h"
#include "offers/offers_search.h"
#include "offers/offers_text.h"
#include "core/ctx.h"
#include "serve/features.h"
#include "view/tmpl.h"
#include "view/view.h"

#include <curl/curl.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static bool
is_safe(const struct req *r)
{
	return !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
}

static bool
needs_csrf(const struct req *r)
{
	return !is_safe(r) && !(r->route->flags & ROUTE_NO_CSRF);
}

/* A page's reads share one snapshot (db_read_begin: consistent, and SQLite's locks taken
 * once rather than per statement), from the session's lookup to the last query of the
 * page. Not on the pools' routes, which may wait on i-milo or slow work while holding it.
 * The snapshot belongs to one request: this thread's connection serves every request of
 * its connections, and a request that finds a snapshot it did not open starts its own. */
static _Thread_local uint64_t snapshot_owner;  /* the request's id (r->id, never 0) */

static void
snapshot_begin(struct req *r)
{
	struct db *db;
	if (snapshot_owner == r->id || !is_safe(r) || (r->route->flags & (ROUTE_WORKER | ROUTE_REMOTE)) ||
	    !(db = ctx_db(r)))
		return;
	db_read_end(db);
	snapshot_owner = db_read_begin(db) == 0 ? r->id : 0;
}

/* Session, route access and CSRF as far as the headers tell, once the headers are in and
 * before a byte of the body is read (DESIGN §4, §8): an anonymous or unauthorized post is
 * refused without buffering what it sends. */
static int
admit(struct req *r)
{
	/* A body still to come (a GET may carry one) would keep the snapshot open while it
	 * trickles in: prepare() opens it then. */
	if (!req_header(r, "Content-Length") && !req_header(r, "Transfer-Encoding"))
		snapshot_begin(r);
	int rc = session_load(r);
	if (rc)
		return rc;
	r->log_user = r->user ? r->user->id : NULL;
	if (needs_csrf(r) && !csrf_headers_ok(r)) {
		view_error(r, 400);
		return 1;
	}
	switch (authz_route(r->user, (enum access)r->route->access)) {
	case AUTHZ_ALLOW:
		return 0;
	case AUTHZ_LOGIN: {
		bool app = r->route->access == ACCESS_BENEFICIARY;
		const char *login = app ? "/app/connexion" : "/connexion";
		resp_redirect(r, is_safe(r) ? arena_printf(r->a, "%s?retour=%s", login, url_encode(r->a, r->path))
					    : login);
		return 1;
	}
	case AUTHZ_DENY:
		view_error(r, 403);
		return 1;
	}
	return -ERR_FORBIDDEN;
}

/* Once the body is in: the CSRF token of a form post (admit saw only the headers). */
static int
prepare(struct req *r)
{
	if (needs_csrf(r) && !csrf_ok(r)) {
		view_error(r, 400);
		return 1;
	}
	snapshot_begin(r);
	return 0;
}

static void
error_page(struct req *r, int status)
{
	view_error(r, status);
}

/* Every 403 leaves an audit row (DESIGN §8), whether the route's access level refused
 * it (admit) or the handler (another counselor's beneficiary…). The path is the one
 * the access log would show: a path holding a secret is written as its pattern. */
static void
audit_denied(struct req *r)
{
	struct db *db = db_thread(req_ctx(r)->cfg->database_url);
	const char *kind = !r->user ? "anonymous"
			   : r->user->kind == USER_COUNSELOR ? "counselor" : "beneficiary";
	const char *path = r->route && (r->route->flags & ROUTE_SECRET_PATH) ? r->route->pattern
									      : r->path;
	if (!db || audit_record(db, clock_now_ms(), kind, r->user ? r->user->id : NULL,
				"access.denied", r->route ? req_param(r, "id") : NULL,
				arena_printf(r->a, "%s %s ip=%s", r->method, path, r->remote_ip)))
		log_error("audit: accès refusé non enregistré (req=%" G_GUINT64_FORMAT ")", r->id);
}

static void
finish(struct req *r)
{
	if (r->status == 403)
		audit_denied(r);
	db_release(db_thread(req_ctx(r)->cfg->database_url));  /* ends the snapshot too */
	snapshot_owner = 0;
}

/* --- static assets: one hash for the whole bundle, so the relative url(../fonts/…) of the
 * DSFR stylesheet resolve under the same immutable prefix. */

static char *
bundle_hash(void)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	for (size_t i = 0; i < embed_static_count; i++) {
		g_checksum_update(sum, (const guchar *)embed_static[i].name, -1);
		g_checksum_update(sum, (const guchar *)embed_static[i].hash, -1);
	}
	char *h = g_strndup(g_checksum_get_string(sum), 16);
	g_checksum_free(sum);
	return h;
}

static GHashTable *asset_urls;  /* path -> URL, built once before the server starts */

static const char *
asset_url(void *ud, const char *path)
{
	(void)ud;
	return g_hash_table_lookup(asset_urls, path);
}

static void
build_asset_urls(const char *prefix)
{
	asset_urls = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	for (size_t i = 0; i < embed_static_count; i++)
		g_hash_table_insert(asset_urls, (gpointer)embed_static[i].name,
				    g_strdup_printf("%s/%s", prefix, embed_static[i].name));
}

static int
open_and_migrate(const struct config *cfg)
{
	/* db_open creates the directory and the file owner-only. */
	struct db *db = db_thread(cfg->database_url);
	if (!db)
		return -ERR_DB;
	return db_migrate_engine(db, embed_migrations, embed_migrations_count, embed_pg_migrations,
				 embed_pg_migrations_count);
}

/* `cej routes`: the route table as the server would build it with this configuration
 * (the authorization test walks it). */
int
routes_main(struct config *cfg, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	features_print_routes(cfg, stdout);
	return 0;
}

int
migrate_main(struct config *cfg, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int rc = open_and_migrate(cfg);
	if (rc) {
		log_error("migrate: échec");
		return 1;
	}
	/* The key file of messages is created with the database (messaging.md §14). */
	struct msg_keyring *keys = crypto_keyring_open(cfg->message_key_file, true);
	if (!keys)
		return 1;
	crypto_keyring_free(keys);
	char *shown = db_url_redacted(cfg->database_url);
	printf("Base de données à jour : %s\n", shown);
	g_free(shown);
	return 0;
}

/* Descriptors beyond the connections: stdio, the listening socket, an epoll and a wake-up
 * descriptor per HTTP thread, the SQLite files (database, -wal, -shm) of every thread that
 * opens the database, the i-milo and SMTP sockets. Generous on purpose: running short
 * means refused connections. */
static rlim_t
fds_needed(const struct config *cfg)
{
	rlim_t threads = cfg->threads > 0 ? (rlim_t)cfg->threads : g_get_num_processors();
	return (rlim_t)cfg->connection_limit + 64 +
	       4 * (threads + (rlim_t)cfg->workers + (rlim_t)cfg->remote_workers);
}

/* Raises the soft limit of open files (often 1024) to what connection_limit needs, within
 * the hard limit: an event stream holds its connection for as long as the page is open.
 * False (logged) when even the hard limit is too low. */
static bool
raise_fd_limit(const struct config *cfg)
{
	struct rlimit rl;
	rlim_t need = fds_needed(cfg);

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		log_error("serve: getrlimit(RLIMIT_NOFILE): %s", g_strerror(errno));
		return false;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return true;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		log_error("serve: connection_limit=%d demande %llu descripteurs de fichiers, la limite "
			  "du système n'en permet que %llu (ulimit -Hn) : baissez connection_limit et "
			  "sse_max_streams, ou relevez la limite (LimitNOFILE= du service systemd, "
			  "/etc/security/limits.conf)",
			  cfg->connection_limit, (unsigned long long)need,
			  (unsigned long long)rl.rlim_max);
		return false;
	}
	rlim_t was = rl.rlim_cur;
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		log_error("serve: impossible de relever la limite de descripteurs à %llu : %s",
			  (unsigned long long)need, g_strerror(errno));
		return false;
	}
	log_info("serve: limite de descripteurs relevée de %llu à %llu (connection_limit=%d)",
		 (unsigned long long)was, (unsigned long long)need, cfg->connection_limit);
	return true;
}

static int
wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);
	return sig;
}

static void
block_signals(void)
{
	/* Blocked before any thread starts, so that only sigwait() in the main thread sees them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
serve_main(struct config *cfg, int argc, char **argv)
{
	struct ctx c = {.cfg = cfg, .features = features_table(cfg),
			.start_time_s = g_get_real_time() / G_USEC_PER_SEC};
	GError *err = NULL;
	int rc = 1;
	char *hash = NULL;
	struct jobs_runner *jobs = NULL;

	(void)argc;
	(void)argv;
	log_set_quiet(cfg->quiet);
	/* A page's buffer (up to a few hundred KB) stays in the heap and the heap keeps its
	 * top: with glibc's defaults a 128 KB+ buffer was mmap'd and unmapped, or the heap
	 * trimmed, on every request — page faults and madvise calls each time. */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	block_signals();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!raise_fd_limit(cfg))
		goto out;
	if (open_and_migrate(cfg)) {
		char *shown = db_url_redacted(cfg->database_url);
		log_error("serve: base de données inutilisable (%s)", shown);
		g_free(shown);
		goto out;
	}
	c.keys = crypto_keyring_open(cfg->message_key_file, true);
	if (!c.keys) {
		log_error("serve: clés des messages inutilisables (%s)", cfg->message_key_file);
		goto out;
	}
	char *why = NULL;
	c.offers_text = offers_text_embedded(&why);
	if (!c.offers_text) {
		log_error("serve: analyseur des offres impossible à construire (%s)", why);
		g_free(why);
		goto out;
	}
	hash = bundle_hash();
	c.static_prefix = g_strdup_printf("/static/%s", hash);
	build_asset_urls(c.static_prefix);
	c.tmpl = tmpl_set_new(embed_templates, embed_templates_count, asset_url, NULL, &err);
	if (!c.tmpl) {
		log_error("gabarits: %s", err->message);
		g_error_free(err);
		goto out;
	}
	/* A template printing a value the page forgot fails the tests, and shows empty
	 * (logged) in production (tmpl.h). */
	tmpl_set_strict(c.tmpl, cfg->test_clock);
	c.imilo = imilo_client_new(&(struct imilo_settings){
		.base_url = cfg->imilo_api_url, .key_dossiers = cfg->imilo_key_dossiers,
		.key_sessions = cfg->imilo_key_sessions, .key_events = cfg->imilo_key_events,
		.timeout_ms = cfg->imilo_timeout_ms,
		.background_timeout_ms = cfg->imilo_background_timeout_ms,
		.rate_per_s = cfg->imilo_rate_per_s});
	if (features_plan_jobs(cfg, db_thread(cfg->database_url), clock_now_ms())) {
		log_error("serve: tâches planifiées impossibles à enregistrer");
		goto out;
	}
	size_t nkinds;
	const struct job_kind *kinds = features_job_kinds(cfg, &nkinds);
	jobs = jobs_runner_start(cfg->database_url, kinds, nkinds, &c);
	c.jobs = jobs;  /* before the server starts; no job handler reads it */

	struct http_options o = {
		.bind = cfg->bind, .port = cfg->port, .threads = cfg->threads,
		.workers = cfg->workers, .remote_workers = cfg->remote_workers,
		.max_body = (size_t)cfg->max_body_bytes,
		.max_multipart_body = 6u << 20, .connection_limit = cfg->connection_limit,
		.connections_per_address = cfg->connections_per_address,
		.streams_per_address = cfg->streams_per_address,
		.request_timeout_ms = cfg->request_timeout_ms, .reuse_port = cfg->reuse_port,
		.quiet = cfg->quiet, .trusted_proxy = cfg->trusted_proxy,
		.streams = {.heartbeat_ms = cfg->sse_heartbeat_ms,
			    .max_streams = cfg->sse_max_streams,
			    .max_per_topic = cfg->sse_max_per_user},
	};
	/* Several nodes on PostgreSQL: the hub's events reach the other nodes' streams. */
	if (!live_relay_start(cfg->database_url))
		goto out;
	struct http_hooks hooks = {.admit = admit, .prepare = prepare, .error_page = error_page,
				   .finish = finish};
	size_t nroutes;
	const struct route *routes = features_routes(cfg, &nroutes);
	struct http_server *s = http_start(&o, routes, nroutes, &hooks, &c);
	if (!s)
		goto out;
	printf("cej: écoute sur http://%s:%d\n", cfg->bind, http_port(s));
	fflush(stdout);
	int sig = wait_for_signal();
	log_info("signal %d reçu : arrêt", sig);
	http_stop(s);
	rc = 0;
out:
	live_relay_stop();
	jobs_runner_stop(jobs);
	imilo_client_free(c.imilo);
	crypto_keyring_free(c.keys);
	offers_text_free(c.offers_text);
	if (c.tmpl)
		tmpl_set_free(c.tmpl);
	if (asset_urls)
		g_hash_table_destroy(asset_urls);
	g_free((char *)c.static_prefix);
	g_free(hash);
	curl_global_cleanup();
	return rc;
}

