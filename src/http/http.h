/* http.h — the HTTP server shared by `cej serve` and `cej imilo-sim`: libmicrohttpd glue,
 * router, request and response.
 *
 * A request's life (DESIGN §4): MHD thread -> headers in: malformed (400), router (method +
 * pattern, 404), size cap from Content-Length (413), then the application's admit hook
 * (session, access, CSRF as far as headers tell) — all before a body byte is read — ->
 * body read with the cap -> struct req with its arena -> the application's prepare hook
 * (CSRF token from the form, admin token…) -> handler -> response buffered in full ->
 * counted by route pattern and status (http_metrics) -> access log (client address, user,
 * route, status, µs).
 * Routes flagged ROUTE_WORKER run on the worker pool while the connection is suspended, so
 * slow work (argon2id, SMTP) never blocks the server threads; routes flagged ROUTE_REMOTE
 * (waiting on another service: i-milo) run on a pool of their own, so that a slow remote
 * never makes a login wait.
 * Connections: at most connections_per_address from one client address (event streams
 * counted apart, streams_per_address), and a request must arrive (headers and body) within
 * request_timeout_ms of the connection's opening or of the previous response: a client
 * that trickles bytes is cut.
 * Routes flagged ROUTE_STREAM answer with resp_sse(): a text/event-stream response that
 * stays open and carries what hub_publish() sends to its topic (http/hub.h); between two
 * events the connection is suspended, and its access-log line is written when it ends.
 *
 * Everything reachable from struct req lives in r->a and dies with the request: handlers
 * never free. A handler returns 0 after setting a response, or a negative enum err, which
 * the server turns into the application's error page (or a bare status). */
#ifndef CEJ_HTTP_H
#define CEJ_HTTP_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/hub.h"
#include "http/parse.h"

struct arena;
struct req;
struct user;
struct http_server;

typedef int (*http_handler)(struct req *r);

enum route_flags {
	ROUTE_WORKER = 1 << 0,   /* run on the worker pool (slow work) */
	ROUTE_MULTIPART = 1 << 1, /* accept multipart/form-data bodies */
	ROUTE_NO_CSRF = 1 << 2,  /* machine endpoint: no CSRF token (never for cookie auth) */
	ROUTE_SECRET_PATH = 1 << 3, /* the path holds a secret (a link token): log the pattern */
	ROUTE_STREAM = 1 << 4,   /* the handler may answer with resp_sse() (an event stream) */
	ROUTE_REMOTE = 1 << 5,   /* waits on another service (i-milo): runs on the remote pool */
};

struct route {
	const char *method;      /* "GET", "POST", … */
	const char *pattern;     /* "/beneficiaires/{id}"; "{rest*}" matches the tail */
	http_handler handler;
	unsigned flags;
	int access;              /* application-defined (who may call it), read by prepare */
};

struct req {
	struct arena *a;
	void *app;               /* the application context given to http_start */
	const struct route *route; /* NULL when no route matched */
	uint64_t id;             /* request id, in the access log */
	const char *method;
	const char *path;        /* decoded path, without query */
	const char *raw_query;   /* NULL when none */
	const char *remote_ip;   /* client address, as text */
	struct kvlist params;    /* path parameters */
	struct kvlist query;
	struct kvlist form;      /* urlencoded or multipart text fields */
	struct partlist parts;   /* multipart parts (files included) */
	struct kvlist cookies;
	const char *body;        /* raw body, NUL-terminated copy; NULL when empty */
	size_t body_len;
	struct user *user;       /* defined by the application, set by its admit/prepare hook */
	const char *log_user;    /* who, for the access log (an id, never a secret); NULL: "-" */

	/* Response, filled by resp_* */
	int status;
	const char *content_type;
	GString *out;
	struct kvlist resp_headers;
	bool no_store;           /* Cache-Control: no-store (default for dynamic pages) */
	bool framed;             /* set by resp_framed_html(): its own CSP, framable by us */
	const char *sse_topic;   /* set by resp_sse(): stream this topic instead of a body */

	struct MHD_Connection *conn;  /* private to the server */
};

struct http_hooks {
	/* Runs once the headers are in — route matched, size cap checked, cookies and headers
	 * readable, form and body still empty — before the first body byte is accepted, on
	 * the server thread. Returns 0 to go on (the body is read, then prepare and the
	 * handler run), or a negative err / positive 1 when it has set the response itself:
	 * the response is sent at once and the connection closed without reading the body.
	 * May be NULL. When set, it runs before prepare for every routed request. */
	int (*admit)(struct req *r);
	/* Runs before the handler, once the body is parsed. Returns 0 to go on, or a negative
	 * err / positive 1 when it has set the response itself (redirect to login, 403 …).
	 * May be NULL. */
	int (*prepare)(struct req *r);
	/* Renders the page for status @status (404, 413, 500 …) when a handler failed or no
	 * route matched. May be NULL: a plain-text body is sent. */
	void (*error_page)(struct req *r, int status);
	/* Runs once the response is set, on the request's thread (db_release). May be NULL. */
	void (*finish)(struct req *r);
};

struct http_options {
	const char *bind;        /* "127.0.0.1" */
	int port;                /* 0: any free port (see http_port) */
	int threads;             /* 0: number of CPUs */
	int workers;             /* worker pool size (ROUTE_WORKER); 0: 4 */
	int remote_workers;      /* remote pool size (ROUTE_REMOTE); 0: 8 */
	size_t max_body;         /* larger bodies: 413 */
	size_t max_multipart_body; /* for ROUTE_MULTIPART routes */
	int connection_limit;    /* 0: 1000 */
	int connections_per_address; /* open connections of one client address, event
				      * streams apart; beyond, new ones are closed at once. 0: none */
	int streams_per_address; /* event streams of one client address; beyond, 503. 0: none */
	int request_timeout_ms;  /* headers and body must arrive within this; 0: no limit */
	bool reuse_port;         /* SO_REUSEPORT: several processes share the port on purpose.
				  * Otherwise a port already in use fails the start. */
	bool quiet;              /* no access log */
	/* The load balancer in front of several nodes (its address, "127.0.0.1"): a request
	 * from it carries the client's address in X-Real-IP, which then becomes remote_ip
	 * (login throttling per address, the access log, the audit). Nobody else is believed:
	 * a client cannot choose its own address. NULL: the TCP peer is the client. */
	const char *trusted_proxy;
	const char *csp;         /* Content-Security-Policy; NULL: the strict default */
	/* Event streams: the hub runs (started by http_start, stopped by http_stop) when a
	 * route is flagged ROUTE_STREAM. Zero fields: the hub's defaults. */
	struct hub_options streams;
};

/* Starts serving @routes (@n of them, matched in order). NULL on failure (logged). */
struct http_server *http_start(const struct http_options *o, const struct route *routes,
			       size_t n, const struct http_hooks *hooks, void *app);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *s);
/* Stops accepting, ends the event streams, finishes running requests, frees the server. */
void http_stop(struct http_server *s);

/* Appends to @out, in the Prometheus text format (base/metrics.h), the families of the
 * server that serves @r: responses by route pattern, method and status, their latency,
 * connections, and the event streams when it has any (docs/metrics.md). Cheap: atomic
 * reads, and the connections' lock for a count. */
void http_metrics(struct req *r, GString *out);

/* Request accessors (values live in r->a). */
const char *req_param(struct req *r, const char *name);   /* path parameter */
const char *req_query(struct req *r, const char *name);
int req_query_int(struct req *r, const char *name, int def, int min, int max);
const char *req_form(struct req *r, const char *name);
/* Every value of a repeated field (checkboxes), at most @max, in order; returns how many. */
int req_query_all(struct req *r, const char *name, const char **out, int max);
int req_form_all(struct req *r, const char *name, const char **out, int max);
const char *req_cookie(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
const struct part *req_part(struct req *r, const char *name);

/* Responses. Each replaces what an earlier one set. */
void resp_html(struct req *r, int status, const char *html, size_t len);
/* The same with a body the response takes over (freed with it): a rendered page is
 * handed to the socket without being copied. */
void resp_html_take(struct req *r, int status, GString *html);
/* HTML that one of our pages shows in an <iframe> (the demo mailbox's mails, whose styles
 * are inline attributes, as mail clients want them). Instead of the site's policy it gets
 * its own: inline styles and data: images only (no script, no fetch, no form), sandboxed
 * (links may open a new tab), and framable by this site only (frame-ancestors 'self',
 * X-Frame-Options: SAMEORIGIN). */
void resp_framed_html(struct req *r, int status, const char *html, size_t len);
void resp_text(struct req *r, int status, const char *text);
void resp_json(struct req *r, int status, json_t *body);   /* steals @body */
void resp_bytes(struct req *r, int status, const char *content_type, const void *data, size_t len);
/* 303 See Other to @location (a local path). */
void resp_redirect(struct req *r, const char *location);
void resp_header(struct req *r, const char *name, const char *value);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/, plus Secure when @secure; @max_age < 0
 * makes a session cookie, 0 deletes it. */
void resp_cookie(struct req *r, const char *name, const char *value, int max_age, bool secure);
/* The same for the pages under @path only ("/app": the browser sends it nowhere else). */
void resp_cookie_at(struct req *r, const char *name, const char *value, const char *path,
		    int max_age, bool secure);
/* 200 text/event-stream subscribed to @topic (copied): only for a ROUTE_STREAM route. The
 * stream stays open until the client leaves, the topic opens one stream too many (the
 * oldest ends) or the server stops. 503 when the server already has its maximum of streams
 * or is stopping; a HEAD request gets the headers only. */
void resp_sse(struct req *r, const char *topic);

#endif
