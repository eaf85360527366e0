/* stats.h — what one HTTP server counts for GET /metrics: requests by route pattern,
 * method and status, and their latency by route and status class. Private to http/ (and
 * its unit test); the application reads them through http_metrics() (http.h).
 *
 * Slots are allocated once, from the route table, when the server starts: one per route
 * and one for the requests no route matched. A label is therefore a route's pattern
 * ("/beneficiaires/{id}"), never a path a client chose, and the series are bounded by the
 * table. Recording is three relaxed atomic additions, from any thread, without a lock. */
#ifndef CEJ_HTTP_STATS_H
#define CEJ_HTTP_STATS_H

#include "http/http.h"

#include <glib.h>
#include <stdint.h>

/* The labels of the requests no route matched (their path is the client's: never a label). */
#define HTTP_STATS_NO_ROUTE "(aucune)"
#define HTTP_STATS_ANY_METHOD "(toutes)"

struct http_stats;

/* Slots for the @n routes of @routes, which must outlive the stats. Free with
 * http_stats_free(). */
struct http_stats *http_stats_new(const struct route *routes, size_t n);
void http_stats_free(struct http_stats *st);

/* One response of @status after @us microseconds, for @route (an entry of the table given
 * to http_stats_new(), or NULL when no route matched). */
void http_stats_record(struct http_stats *st, const struct route *route, int status, int64_t us);

/* The "code" label of @status: its number when it is one cej sends ("404"), its class
 * otherwise ("4xx"), so that the series stay bounded whatever a handler answers. Static. */
const char *http_stats_code(int status);

/* Writes the families cej_http_requests_total and cej_http_request_duration_seconds:
 * only the series that counted something (a route never called has none). */
void http_stats_write(const struct http_stats *st, GString *out);

#endif
