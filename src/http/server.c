/* server.c — libmicrohttpd glue: the listening socket, connections counted per client
 * address and cut when a request takes too long to arrive, requests refused at the
 * headers, body with a cap, dispatch inline or on a pool, buffered response with security
 * headers, access log and counters for /metrics (stats.h); event streams fed by the hub. */
#include "http/http.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/metrics.h"
#include "http/router.h"
#include "http/stats.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_CSP                                                                      \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " \
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

/* Connections of one client address. */
struct peer {
	int pages;               /* connections that are not event streams */
	int streams;
};

/* One connection: libmicrohttpd's socket context, from its opening to its closing. */
struct conn_info {
	char addr[INET6_ADDRSTRLEN];
	int fd;
	bool stream;             /* counted as an event stream of its address */
	/* A request is arriving on this connection since then (opening, or the end of the
	 * previous response); 0 once its headers and body are in. Read by the sweeper. */
	_Atomic int64_t waiting_since_us;
};

struct http_server {
	struct MHD_Daemon *d;
	int listen_fd;
	GThreadPool *pool;       /* ROUTE_WORKER */
	GThreadPool *remote_pool; /* ROUTE_REMOTE */
	const struct route *routes;
	size_t nroutes;
	struct http_hooks hooks;
	struct http_options o;
	void *app;
	int port;
	bool streams;            /* a route is ROUTE_STREAM: this server runs the hub */
	unsigned stream_timeout_s; /* idle limit of a stream that is not suspended */
	_Atomic uint64_t next_id;

	/* Connections, under conns_lock: per address counts and every open connection (for
	 * the sweeper, which cuts requests that take longer than request_timeout_ms). */
	GMutex conns_lock;
	GCond sweep_cond;
	GHashTable *peers;       /* address (owned) -> struct peer (owned) */
	GHashTable *conns;       /* set of struct conn_info */
	GThread *sweeper;
	bool stopping;
	_Atomic int refused;     /* connections refused by the per-address cap, since last log */
	_Atomic int cut;         /* requests cut by request_timeout_ms, since last log */
	/* For /metrics: the same since the start, and every response by route (stats.h). */
	_Atomic uint64_t refused_total, cut_total;
	struct http_stats *stats;
};

/* Per-connection request state, created by the URI log callback. */
struct conn_state {
	struct req r;
	struct http_server *s;
	const char *raw_uri;
	GString *body;
	size_t cap;
	int64_t started_us;
	bool headers_seen, too_large, bad, dispatched, done, queued;
	bool stream;             /* the response is an event stream: logged when it ends */
};

/* resp_framed_html(): a document shown in a frame of our pages, whose styles are inline. */
#define FRAMED_CSP                                                                        \
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "  \
	"form-action 'none'; frame-ancestors 'self'; "                                    \
	"sandbox allow-popups allow-popups-to-escape-sandbox"

static void
security_headers(struct http_server *s, struct MHD_Response *res, bool no_store, bool framed)
{
	MHD_add_response_header(res, "Content-Security-Policy",
				framed ? FRAMED_CSP : s->o.csp ? s->o.csp : DEFAULT_CSP);
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "X-Frame-Options", framed ? "SAMEORIGIN" : "DENY");
	MHD_add_response_header(res, "Referrer-Policy", "same-origin");
	MHD_add_response_header(res, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(res, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	if (no_store)
		MHD_add_response_header(res, "Cache-Control", "no-store");
}

static const char utf8_bytes[] =  /* 0x80–0xFF: kept, only control characters are escaped */
	"\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f"
	"\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f"
	"\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf"
	"\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf"
	"\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf"
	"\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf"
	"\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef"
	"\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff";

/* One access-log line. The path is escaped (a decoded %0A must not forge a line), and a
 * path holding a secret (an account link) is written as its pattern. */
static void
log_request(struct conn_state *cs)
{
	struct req *r = &cs->r;
	bool secret = r->route ? (r->route->flags & ROUTE_SECRET_PATH) != 0
			       : g_str_has_prefix(r->path, "/app/activation/");
	gchar *path = g_strescape(secret ? (r->route ? r->route->pattern : "/app/activation/…")
					 : r->path, utf8_bytes);
	log_info("req=%" G_GUINT64_FORMAT " ip=%s user=%s %s %s route=%s status=%d us=%" G_GINT64_FORMAT,
		 r->id, r->remote_ip ? r->remote_ip : "-", r->log_user ? r->log_user : "-", r->method,
		 path, r->route ? r->route->pattern : "-", r->status,
		 g_get_monotonic_time() - cs->started_us);
	g_free(path);
}

static void
fail(struct conn_state *cs, int status)
{
	struct req *r = &cs->r;
	if (cs->s->hooks.error_page)
		cs->s->hooks.error_page(r, status);
	if (r->status != status) {
		char *msg = arena_printf(r->a, "Erreur %d", status);
		resp_text(r, status, msg);
	}
}

/* --- connections. libmicrohttpd tells when a connection opens and closes (its socket
 * context is our conn_info); the accept policy refuses a new one from an address that
 * already holds connections_per_address; an event stream moves from its address's pages
 * to its streams, so that open pages do not take the connections of the next clicks. */

static void
addr_text(const struct sockaddr *sa, char buf[INET6_ADDRSTRLEN])
{
	g_strlcpy(buf, "?", INET6_ADDRSTRLEN);
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, INET6_ADDRSTRLEN);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, INET6_ADDRSTRLEN);
}

/* The peer of @addr, created when missing. Under conns_lock. */
static struct peer *
peer_of(struct http_server *s, const char *addr)
{
	struct peer *p = g_hash_table_lookup(s->peers, addr);
	if (!p) {
		p = g_new0(struct peer, 1);
		g_hash_table_insert(s->peers, g_strdup(addr), p);
	}
	return p;
}

/* Under conns_lock. */
static void
peer_forget_if_idle(struct http_server *s, const char *addr, struct peer *p)
{
	if (p->pages <= 0 && p->streams <= 0)
		g_hash_table_remove(s->peers, addr);
}

static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct http_server *s = cls;
	char key[INET6_ADDRSTRLEN];
	bool ok = true;

	(void)addrlen;
	if (s->o.connections_per_address <= 0)
		return MHD_YES;
	addr_text(addr, key);
	g_mutex_lock(&s->conns_lock);
	struct peer *p = g_hash_table_lookup(s->peers, key);
	ok = !p || p->pages < s->o.connections_per_address;
	g_mutex_unlock(&s->conns_lock);
	if (!ok) {
		atomic_fetch_add(&s->refused, 1);
		atomic_fetch_add_explicit(&s->refused_total, 1, memory_order_relaxed);
	}
	return ok ? MHD_YES : MHD_NO;
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
	      enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	struct conn_info *ci = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *i;
		ci = g_new0(struct conn_info, 1);
		i = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		addr_text(i ? i->client_addr : NULL, ci->addr);
		i = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		ci->fd = i ? i->connect_fd : -1;
		atomic_store(&ci->waiting_since_us, g_get_monotonic_time());
		g_mutex_lock(&s->conns_lock);
		peer_of(s, ci->addr)->pages++;
		g_hash_table_add(s->conns, ci);
		g_mutex_unlock(&s->conns_lock);
		*socket_context = ci;
		return;
	}
	if (!ci)
		return;
	/* Removed before libmicrohttpd closes the socket: the sweeper, which holds the lock
	 * while it shuts a socket down, never touches a descriptor that was closed. */
	g_mutex_lock(&s->conns_lock);
	struct peer *p = peer_of(s, ci->addr);
	if (ci->stream)
		p->streams--;
	else
		p->pages--;
	peer_forget_if_idle(s, ci->addr, p);
	g_hash_table_steal(s->conns, ci);
	g_mutex_unlock(&s->conns_lock);
	g_free(ci);
	*socket_context = NULL;
}

static struct conn_info *
conn_info_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

/* The request's headers and body are in: the sweeper leaves the connection alone until the
 * response is sent (a handler on a pool, an event stream, may take as long as they need). */
static void
request_arrived(struct conn_state *cs)
{
	struct conn_info *ci = cs->r.conn ? conn_info_of(cs->r.conn) : NULL;
	if (ci)
		atomic_store(&ci->waiting_since_us, 0);
}

/* Counts the connection as an event stream of its address (@on) or as a page again.
 * False when the address already has streams_per_address streams. */
static bool
conn_set_stream(struct http_server *s, struct MHD_Connection *conn, bool on)
{
	struct conn_info *ci = conn_info_of(conn);
	bool ok = true;

	if (!ci || ci->stream == on)
		return true;
	g_mutex_lock(&s->conns_lock);
	struct peer *p = peer_of(s, ci->addr);
	if (on && s->o.streams_per_address > 0 && p->streams >= s->o.streams_per_address) {
		ok = false;
	} else {
		p->pages += on ? -1 : 1;
		p->streams += on ? 1 : -1;
		ci->stream = on;
	}
	g_mutex_unlock(&s->conns_lock);
	return ok;
}

/* The sweeper: a request whose headers and body have not arrived request_timeout_ms after
 * the connection opened (or after the previous response) is cut — libmicrohttpd's own
 * timeout is an idle one, which a client sending a byte now and then never reaches.
 * shutdown() makes libmicrohttpd see the end of the connection and close it itself. */
static gpointer
sweep(gpointer data)
{
	struct http_server *s = data;
	int64_t limit_us = (int64_t)s->o.request_timeout_ms * 1000;
	int64_t period_us = limit_us > 0 ? CLAMP(limit_us / 4, 50000, 1000000) : 1000000;

	g_mutex_lock(&s->conns_lock);
	while (!s->stopping) {
		g_cond_wait_until(&s->sweep_cond, &s->conns_lock, g_get_monotonic_time() + period_us);
		if (s->stopping)
			break;
		int64_t now = g_get_monotonic_time();
		GHashTableIter it;
		gpointer key;
		g_hash_table_iter_init(&it, s->conns);
		while (limit_us > 0 && g_hash_table_iter_next(&it, &key, NULL)) {
			struct conn_info *ci = key;
			int64_t since = atomic_load(&ci->waiting_since_us);
			if (!since || now - since <= limit_us || ci->fd < 0)
				continue;
			if (atomic_compare_exchange_strong(&ci->waiting_since_us, &since, 0)) {
				shutdown(ci->fd, SHUT_RDWR);
				atomic_fetch_add(&s->cut, 1);
				atomic_fetch_add_explicit(&s->cut_total, 1, memory_order_relaxed);
			}
		}
		int refused = atomic_exchange(&s->refused, 0), cut = atomic_exchange(&s->cut, 0);
		if (refused)
			log_warn("http: %d connexion(s) refusée(s) : plus de %d connexions ouvertes depuis "
				 "une même adresse (connections_per_address)",
				 refused, s->o.connections_per_address);
		if (cut)
			log_warn("http: %d requête(s) coupée(s) : en-têtes et corps non reçus en %d ms "
				 "(request_timeout_ms)", cut, s->o.request_timeout_ms);
	}
	g_mutex_unlock(&s->conns_lock);
	return NULL;
}

/* --- event streams. The reader runs on the connection's MHD thread; when the hub has
 * nothing to send it suspends the connection from inside the reader (the documented way
 * with an internal polling thread: returning 0 without suspending would spin), and
 * hub_publish, the heartbeat or hub_stop resume it from any thread. */

static void
stream_suspend(void *conn)
{
	MHD_suspend_connection(conn);
}

static void
stream_resume(void *conn)
{
	MHD_resume_connection(conn);
}

static const struct hub_sub_ops stream_ops = {stream_suspend, stream_resume};

static ssize_t
stream_read(void *sub, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	ssize_t n = hub_read(sub, buf, max);
	return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

/* Called by MHD when it drops the response: the stream is gone (ended, client left, or
 * the server stops). */
static void
stream_free(void *sub)
{
	hub_unsubscribe(sub);
}

/* The response of a resp_sse() request, or NULL when the hub refuses (full, stopping):
 * the caller then answers 503. HEAD gets the headers over an empty body. */
static struct MHD_Response *
stream_response(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct MHD_Response *res;
	struct hub_sub *sub;

	if (!(r->route->flags & ROUTE_STREAM)) {
		log_error("http: resp_sse sur une route sans ROUTE_STREAM (%s)", r->route->pattern);
		return NULL;
	}
	if (strcmp(r->method, "HEAD") == 0)
		return MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	if (!conn_set_stream(cs->s, r->conn, true))
		return NULL;
	sub = hub_subscribe(r->sse_topic, &stream_ops, r->conn);
	if (!sub) {
		conn_set_stream(cs->s, r->conn, false);
		return NULL;
	}
	/* The block is the response's own buffer, allocated zeroed for every stream but used
	 * only without chunked encoding (HTTP/1.0): in HTTP/1.1 the reader fills the
	 * connection's write buffer. Kept small, it saves a page per open stream (bench/sse.sh). */
	res = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, stream_read, sub, stream_free);
	if (!res) {
		hub_unsubscribe(sub);
		conn_set_stream(cs->s, r->conn, false);
		return NULL;
	}
	/* Suspended streams never time out; this bounds one that cannot be written to. */
	MHD_set_connection_option(r->conn, MHD_CONNECTION_OPTION_TIMEOUT, cs->s->stream_timeout_s);
	MHD_add_response_header(res, "X-Accel-Buffering", "no");
	cs->stream = true;
	return res;
}

static enum MHD_Result
queue(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct MHD_Response *res = NULL;

	/* MHD may call the access handler again after a failed queue (client gone): the
	 * response and its log line are made once. */
	if (cs->queued)
		return MHD_NO;
	cs->queued = true;
	request_arrived(cs);
	if (r->status == 0) {
		r->status = 500;
		resp_text(r, 500, "Erreur interne");
	}
	if (r->sse_topic && !(res = stream_response(cs))) {
		fail(cs, (r->route->flags & ROUTE_STREAM) ? 503 : 500);
		if (r->status == 503)
			resp_header(r, "Retry-After", "10");
	}
	if (!res && r->out) {
		/* The response takes the body over: no copy. */
		size_t len = r->out->len;
		res = MHD_create_response_from_buffer_with_free_callback(
			len, g_string_free(r->out, FALSE), g_free);
		r->out = NULL;
	} else if (!res) {
		res = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	}
	if (r->content_type)
		MHD_add_response_header(res, "Content-Type", r->content_type);
	/* A handler's own Cache-Control (a download, an asset) replaces the default one. */
	security_headers(cs->s, res, r->no_store && !kv_get(&r->resp_headers, "Cache-Control"),
			 r->framed);
	for (size_t i = 0; i < r->resp_headers.n; i++)
		MHD_add_response_header(res, r->resp_headers.items[i].key, r->resp_headers.items[i].val);
	/* Counted once the response is ready, before the client can read it; a stream's time
	 * is the time to open it (its whole life would say nothing about the server's speed). */
	http_stats_record(cs->s->stats, r->route, r->status, g_get_monotonic_time() - cs->started_us);
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, res);
	MHD_destroy_response(res);
	if (!cs->s->o.quiet && !cs->stream)
		log_request(cs);
	return ret;
}

static int
parse_body(struct req *r)
{
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!r->body || !ct)
		return 0;
	if (g_ascii_strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return parse_urlencoded(r->a, r->body, r->body_len, &r->form);
	if (g_ascii_strncasecmp(ct, "multipart/form-data", 19) == 0) {
		if (!(r->route->flags & ROUTE_MULTIPART))
			return -ERR_INVAL;
		int rc = parse_multipart(r->a, ct, r->body, r->body_len, &r->parts);
		for (size_t i = 0; !rc && i < r->parts.n; i++) {
			const struct part *p = &r->parts.items[i];
			if (p->filename)
				continue;
			/* Text fields get the guarantee urlencoded ones have: UTF-8, no NUL. */
			if (strlen(p->data) != p->len || !g_utf8_validate(p->data, (gssize)p->len, NULL))
				return -ERR_INVAL;
			kv_add(r->a, &r->form, p->name, p->data, p->len);
		}
		return rc;
	}
	return 0;
}

/* Runs prepare + handler and leaves a complete response in cs->r. */
static void
run(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct http_server *s = cs->s;
	int rc = parse_body(r);

	if (rc) {
		fail(cs, err_http_status(rc));
		return;
	}
	rc = s->hooks.prepare ? s->hooks.prepare(r) : 0;
	if (rc == 0)
		rc = r->route->handler(r);
	if (rc < 0)
		fail(cs, err_http_status(rc));
	if (s->hooks.finish)
		s->hooks.finish(r);
}

/* ROUTE_WORKER and ROUTE_REMOTE requests, on their pool. */
static void
worker(gpointer data, gpointer user)
{
	struct conn_state *cs = data;
	(void)user;
	run(cs);
	cs->done = true;
	MHD_resume_connection(cs->r.conn);
}

/* The peer's address, as written once when the connection opened. */
static const char *
client_ip(struct arena *a, struct MHD_Connection *conn)
{
	const struct conn_info *ci = conn_info_of(conn);
	return arena_strdup(a, ci ? ci->addr : "?");
}

/* "%00" in the path of @raw_uri: the decoded path would end there and name another
 * resource ("/static/…/cej.css%00.js" is not cej.css). A raw NUL never gets this far:
 * the URI is a C string. */
static bool
path_has_nul(const char *raw_uri)
{
	for (const char *p = raw_uri; *p && *p != '?'; p++)
		if (p[0] == '%' && p[1] == '0' && p[2] == '0')
			return true;
	return false;
}

/* The client's address when the peer is the trusted load balancer and says it in
 * X-Real-IP (a valid IPv4 or IPv6 address); otherwise the peer's. */
static const char *
real_ip(struct req *r, const char *trusted_proxy)
{
	if (!trusted_proxy || strcmp(r->remote_ip, trusted_proxy) != 0)
		return r->remote_ip;
	const char *h = req_header(r, "X-Real-IP");
	unsigned char buf[sizeof(struct in6_addr)];
	if (h && (inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1))
		return h;
	return r->remote_ip;
}

static void
begin(struct conn_state *cs, struct MHD_Connection *conn, const char *url, const char *method,
      const char *version)
{
	struct req *r = &cs->r;
	struct http_server *s = cs->s;
	const char *q = cs->raw_uri ? strchr(cs->raw_uri, '?') : NULL;

	r->conn = conn;
	r->method = arena_strdup(r->a, method);
	r->path = arena_strdup(r->a, url);
	r->remote_ip = client_ip(r->a, conn);
	r->remote_ip = real_ip(r, s->o.trusted_proxy);
	r->no_store = true;
	r->id = atomic_fetch_add(&s->next_id, 1) + 1;
	/* HTTP/1.1 requires Host (RFC 9112 §3.2); a NUL in the path names something else. */
	if ((cs->raw_uri && path_has_nul(cs->raw_uri)) ||
	    (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && !req_header(r, MHD_HTTP_HEADER_HOST))) {
		cs->bad = true;
		return;
	}
	if (q) {
		r->raw_query = arena_strdup(r->a, q + 1);
		if (parse_urlencoded(r->a, q + 1, strlen(q + 1), &r->query) < 0)
			r->query.n = 0;  /* a malformed query is treated as none */
	}
	const char *lookup_method = strcmp(method, "HEAD") == 0 ? "GET" : method;
	r->route = router_match(s->routes, s->nroutes, r->a, lookup_method, r->path, &r->params);
	cs->cap = r->route && (r->route->flags & ROUTE_MULTIPART) ? s->o.max_multipart_body
								    : s->o.max_body;
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && g_ascii_strtoull(cl, NULL, 10) > cs->cap)
		cs->too_large = true;
}

/* Decides from the headers alone, before any body byte is read: malformed (400), no route
 * (404), announced over the cap (413), then the application's admit hook (who may call
 * this route, CSRF as far as the headers tell). True when a response is set: it is sent at
 * once and libmicrohttpd closes the connection without reading the body. */
static bool
refused_at_headers(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct http_server *s = cs->s;
	int rc;

	if (cs->bad)
		fail(cs, 400);
	else if (!r->route)
		fail(cs, 404);
	else if (cs->too_large)
		fail(cs, 413);
	else if (s->hooks.admit && (rc = s->hooks.admit(r)) != 0) {
		if (rc < 0)
			fail(cs, err_http_status(rc));
		if (s->hooks.finish)
			s->hooks.finish(r);
	} else
		return false;
	return true;
}

static enum MHD_Result
dispatch(struct conn_state *cs)
{
	struct req *r = &cs->r;

	cs->dispatched = true;
	request_arrived(cs);
	if (cs->body && cs->body->len) {
		r->body_len = cs->body->len;
		r->body = arena_strndup(r->a, cs->body->str, cs->body->len);
	}
	if (cs->too_large)
		fail(cs, 413);
	else if (r->route->flags & (ROUTE_WORKER | ROUTE_REMOTE)) {
		MHD_suspend_connection(r->conn);
		g_thread_pool_push((r->route->flags & ROUTE_REMOTE) ? cs->s->remote_pool : cs->s->pool,
				   cs, NULL);
		return MHD_YES;
	} else
		run(cs);
	return queue(cs);
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct conn_state *cs = *con_cls;
	(void)cls;

	if (!cs->headers_seen) {
		cs->headers_seen = true;
		begin(cs, conn, url, method, version);
		if (refused_at_headers(cs)) {
			cs->dispatched = true;
			return queue(cs);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cs->too_large) {
			if (!cs->body)
				cs->body = g_string_new(NULL);
			if (cs->body->len + *upload_size > cs->cap)
				cs->too_large = true;
			else
				g_string_append_len(cs->body, upload_data, *upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cs->done)
		return queue(cs);
	if (cs->dispatched)
		return MHD_YES;  /* still on a pool */
	return dispatch(cs);
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct conn_state *cs = g_new0(struct conn_state, 1);
	(void)conn;
	cs->s = cls;
	cs->r.a = arena_new();
	cs->r.app = cs->s->app;
	cs->raw_uri = arena_strdup(cs->r.a, uri);
	cs->started_us = g_get_monotonic_time();
	return cs;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	struct http_server *s = cls;
	struct conn_info *ci = conn_info_of(conn);
	(void)toe;

	/* The connection may carry another request: it must arrive in time too, and it is a
	 * page again if it was a stream. */
	if (ci) {
		conn_set_stream(s, conn, false);
		atomic_store(&ci->waiting_since_us, g_get_monotonic_time());
	}
	if (!cs)
		return;
	if (cs->stream && !cs->s->o.quiet)
		log_request(cs);
	if (cs->r.out)
		g_string_free(cs->r.out, TRUE);
	if (cs->body)
		g_string_free(cs->body, TRUE);
	arena_free(cs->r.a);
	g_free(cs);
	*con_cls = NULL;
}

/* The listening socket, made here rather than by libmicrohttpd so that a port already in
 * use fails the start with a message that says so (libmicrohttpd's address reuse lets two
 * servers listen on one port and share its traffic without a word). -1 on failure, logged. */
static int
listen_socket(const struct http_options *o, struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int on = 1;
	socklen_t len = sizeof(*addr);

	if (fd < 0) {
		log_error("http: socket(): %s", g_strerror(errno));
		return -1;
	}
	/* SO_REUSEADDR only lets a restart bind while old connections linger (TIME_WAIT);
	 * on Linux it never lets a second listener in. SO_REUSEPORT does, when asked. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (o->reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0)
		log_warn("http: SO_REUSEPORT refusé : %s", g_strerror(errno));
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) != 0) {
		if (errno == EADDRINUSE)
			log_error("http: le port %d est déjà utilisé sur %s (un autre « cej » l’écoute "
				  "déjà ?) : arrêtez-le ou choisissez un autre port ; pour partager "
				  "volontairement le port entre plusieurs processus, réglez reuse_port=true "
				  "sur chacun",
				  o->port, o->bind);
		else
			log_error("http: impossible d'écouter sur %s:%d : %s", o->bind, o->port,
				  g_strerror(errno));
		close(fd);
		return -1;
	}
	if (listen(fd, SOMAXCONN) != 0 || getsockname(fd, (struct sockaddr *)addr, &len) != 0) {
		log_error("http: impossible d'écouter sur %s:%d : %s", o->bind, o->port, g_strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void
server_free(struct http_server *s)
{
	if (s->pool)
		g_thread_pool_free(s->pool, FALSE, TRUE);
	if (s->remote_pool)
		g_thread_pool_free(s->remote_pool, FALSE, TRUE);
	if (s->peers)
		g_hash_table_destroy(s->peers);
	if (s->conns)
		g_hash_table_destroy(s->conns);
	http_stats_free(s->stats);
	g_mutex_clear(&s->conns_lock);
	g_cond_clear(&s->sweep_cond);
	g_free(s);
}

static void
sweeper_stop(struct http_server *s)
{
	if (!s->sweeper)
		return;
	g_mutex_lock(&s->conns_lock);
	s->stopping = true;
	g_cond_signal(&s->sweep_cond);
	g_mutex_unlock(&s->conns_lock);
	g_thread_join(s->sweeper);
	s->sweeper = NULL;
}

struct http_server *
http_start(const struct http_options *o, const struct route *routes, size_t n,
	   const struct http_hooks *hooks, void *app)
{
	struct http_server *s = g_new0(struct http_server, 1);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
	unsigned threads = o->threads > 0 ? (unsigned)o->threads : g_get_num_processors();

	s->routes = routes;
	s->nroutes = n;
	s->hooks = *hooks;
	s->o = *o;
	s->app = app;
	s->listen_fd = -1;
	g_mutex_init(&s->conns_lock);
	g_cond_init(&s->sweep_cond);
	s->peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	s->conns = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_free, NULL);
	s->stats = http_stats_new(routes, n);
	if (inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1) {
		log_error("http: adresse d'écoute invalide: %s", o->bind);
		server_free(s);
		return NULL;
	}
	if ((s->listen_fd = listen_socket(o, &addr)) < 0) {
		server_free(s);
		return NULL;
	}
	s->port = ntohs(addr.sin_port);
	for (size_t i = 0; i < n; i++)
		s->streams = s->streams || (routes[i].flags & ROUTE_STREAM);
	int heartbeat_s = (o->streams.heartbeat_ms > 0 ? o->streams.heartbeat_ms : 25000) / 1000;
	s->stream_timeout_s = (unsigned)MAX(60, 2 * heartbeat_s + 10);
	if (s->streams)
		hub_start(&o->streams);
	s->pool = g_thread_pool_new(worker, s, o->workers > 0 ? o->workers : 4, FALSE, NULL);
	s->remote_pool = g_thread_pool_new(worker, s, o->remote_workers > 0 ? o->remote_workers : 8,
					   FALSE, NULL);
	s->sweeper = g_thread_new("http-sweep", sweep, s);
	s->d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0,
		on_accept, s, on_access, s, MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->connection_limit > 0 ? o->connection_limit : 1000),
		MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		/* Headers and read buffers only (bodies go to our own buffer): MHD clears this
		 * pool for every request, so its size is paid on each one. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_END);
	if (!s->d) {
		log_error("http: impossible d'écouter sur %s:%d", o->bind, o->port);
		if (s->streams)
			hub_stop(0);
		sweeper_stop(s);
		/* The listening socket is not closed here: libmicrohttpd may have closed it on
		 * some failures, and a second close could hit a descriptor another thread just
		 * opened. The process is about to exit anyway. */
		server_free(s);
		return NULL;
	}
	return s;
}

int
http_port(const struct http_server *s)
{
	return s->port;
}

void
http_stop(struct http_server *s)
{
	if (!s)
		return;
	/* Quiesced, libmicrohttpd leaves the listening socket to us: closed below. */
	MHD_quiesce_daemon(s->d);
	/* Every stream is woken and ends (MHD must not be stopped with a suspended
	 * connection); those that do not drain in time are cut by MHD_stop_daemon. */
	if (s->streams) {
		int left = hub_stop(2000);
		if (left)
			log_warn("http: %d flux d'événements coupés à l'arrêt", left);
	}
	/* Workers resume their connections when they finish: wait for them before stopping. */
	g_thread_pool_free(s->pool, FALSE, TRUE);
	g_thread_pool_free(s->remote_pool, FALSE, TRUE);
	s->pool = s->remote_pool = NULL;
	sweeper_stop(s);
	MHD_stop_daemon(s->d);
	close(s->listen_fd);
	server_free(s);
}

/* --- /metrics: the server's families (docs/metrics.md). */

static void
write_gauge(GString *out, const char *name, const char *help, int64_t value)
{
	metrics_family(out, name, "gauge", help);
	metrics_sample(out, name, NULL, 0, value);
}

static void
write_counter(GString *out, const char *name, const char *help, _Atomic uint64_t *value)
{
	metrics_family(out, name, "counter", help);
	metrics_sample(out, name, NULL, 0,
		       (int64_t)atomic_load_explicit(value, memory_order_relaxed));
}

static void
write_connections(struct http_server *s, GString *out)
{
	g_mutex_lock(&s->conns_lock);
	int64_t open = g_hash_table_size(s->conns);
	g_mutex_unlock(&s->conns_lock);
	write_gauge(out, "cej_http_connections", "Connexions HTTP ouvertes, flux d'événements compris.",
		    open);
	write_gauge(out, "cej_http_connections_max", "Connexions HTTP ouvertes au plus (connection_limit).",
		    s->o.connection_limit > 0 ? s->o.connection_limit : 1000);
	write_counter(out, "cej_http_connections_refused_total",
		      "Connexions fermées dès l'acceptation : trop de connexions de la même adresse "
		      "(connections_per_address).", &s->refused_total);
	write_counter(out, "cej_http_requests_cut_total",
		      "Requêtes coupées : en-têtes et corps non reçus à temps (request_timeout_ms).",
		      &s->cut_total);
}

void
http_metrics(struct req *r, GString *out)
{
	struct conn_state *cs = (struct conn_state *)((char *)r - offsetof(struct conn_state, r));
	struct http_server *s = cs->s;

	http_stats_write(s->stats, out);
	write_connections(s, out);
	if (!s->streams)
		return;
	write_gauge(out, "cej_sse_streams", "Flux d'événements ouverts (GET /evenements, "
		    "/app/evenements-direct).", hub_count());
	write_gauge(out, "cej_sse_streams_max", "Flux d'événements ouverts au plus "
		    "(sse_max_streams) ; au-delà, 503.", hub_capacity());
}
