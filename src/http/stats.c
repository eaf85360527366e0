/* stats.c — per-route request counters and latency histograms of one server. */
#include "http/stats.h"

#include "base/metrics.h"

#include <stdatomic.h>

/* The statuses cej answers with, each counted under its own number; any other one under
 * its class. */
static const int codes[] = {
	200, 201, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406,
	409, 410, 411, 413, 414, 415, 422, 429, 431, 500, 501, 502, 503, 504,
};
static const char *const code_names[] = {
	"200", "201", "204", "206", "301", "302", "303", "304", "307", "308", "400", "401",
	"403", "404", "405", "406", "409", "410", "411", "413", "414", "415", "422", "429",
	"431", "500", "501", "502", "503", "504",
};
#define N_CODES G_N_ELEMENTS(codes)
#define N_CLASSES 5
static const char *const class_names[N_CLASSES] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

struct slot {
	_Atomic uint64_t requests[N_CODES + N_CLASSES];  /* by code, then other codes by class */
	struct metrics_histogram latency[N_CLASSES];
};

struct http_stats {
	const struct route *routes;
	size_t n;
	struct slot *slots;      /* n + 1: the last one for requests no route matched */
};

G_STATIC_ASSERT(G_N_ELEMENTS(code_names) == G_N_ELEMENTS(codes));

struct http_stats *
http_stats_new(const struct route *routes, size_t n)
{
	struct http_stats *st = g_new0(struct http_stats, 1);
	st->routes = routes;
	st->n = n;
	st->slots = g_new0(struct slot, n + 1);
	return st;
}

void
http_stats_free(struct http_stats *st)
{
	if (!st)
		return;
	g_free(st->slots);
	g_free(st);
}

/* 0 for 1xx … 4 for 5xx; a status outside 100–599 (none is sent) counts as a server error. */
static int
class_of(int status)
{
	return status >= 100 && status < 600 ? status / 100 - 1 : N_CLASSES - 1;
}

/* The index in slot.requests: a known code's own, else its class's. A linear search: 30
 * integers compared is less than the request's own hash lookups. */
static size_t
code_index(int status)
{
	for (size_t i = 0; i < N_CODES; i++)
		if (codes[i] == status)
			return i;
	return N_CODES + (size_t)class_of(status);
}

const char *
http_stats_code(int status)
{
	size_t i = code_index(status);
	return i < N_CODES ? code_names[i] : class_names[i - N_CODES];
}

void
http_stats_record(struct http_stats *st, const struct route *route, int status, int64_t us)
{
	struct slot *s = &st->slots[route ? (size_t)(route - st->routes) : st->n];
	atomic_fetch_add_explicit(&s->requests[code_index(status)], 1, memory_order_relaxed);
	metrics_observe(&s->latency[class_of(status)], us);
}

static void
route_labels(const struct http_stats *st, size_t i, struct metrics_label *l)
{
	l[0] = (struct metrics_label){"method", i < st->n ? st->routes[i].method : HTTP_STATS_ANY_METHOD};
	l[1] = (struct metrics_label){"route", i < st->n ? st->routes[i].pattern : HTTP_STATS_NO_ROUTE};
}

static void
write_requests(const struct http_stats *st, GString *out)
{
	metrics_family(out, "cej_http_requests_total", "counter",
		       "Réponses HTTP par route (motif), méthode et statut (code, ou sa classe).");
	for (size_t i = 0; i <= st->n; i++) {
		struct metrics_label l[3];
		route_labels(st, i, l);
		for (size_t k = 0; k < N_CODES + N_CLASSES; k++) {
			uint64_t v = atomic_load_explicit(&st->slots[i].requests[k], memory_order_relaxed);
			if (!v)
				continue;
			l[2] = (struct metrics_label){"code", k < N_CODES ? code_names[k]
									 : class_names[k - N_CODES]};
			metrics_sample(out, "cej_http_requests_total", l, 3, (int64_t)v);
		}
	}
}

static void
write_latency(const struct http_stats *st, GString *out)
{
	metrics_family(out, "cej_http_request_duration_seconds", "histogram",
		       "Temps jusqu'à la réponse prête (flux d'événements : jusqu'à leur ouverture), "
		       "par route, méthode et classe de statut.");
	for (size_t i = 0; i <= st->n; i++) {
		struct metrics_label l[3];
		route_labels(st, i, l);
		for (int c = 0; c < N_CLASSES; c++) {
			const struct metrics_histogram *h = &st->slots[i].latency[c];
			if (!metrics_histogram_count(h))
				continue;
			l[2] = (struct metrics_label){"class", class_names[c]};
			metrics_histogram(out, "cej_http_request_duration_seconds", l, 3, h);
		}
	}
}

void
http_stats_write(const struct http_stats *st, GString *out)
{
	write_requests(st, out);
	write_latency(st, out);
}
