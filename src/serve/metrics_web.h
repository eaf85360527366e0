/* metrics_web.h — GET /metrics: what every layer counts, in the Prometheus text format,
 * to the readers metrics_allowed() lets in (docs/metrics.md). */
#ifndef CEJ_METRICS_WEB_H
#define CEJ_METRICS_WEB_H

#include <stdbool.h>

struct req;

/* 200 with the metrics, or 404 (the page of any unknown path) to a reader not allowed:
 * the endpoint does not tell strangers it exists, and a 403 would write an audit row per
 * scan. */
int ops_metrics(struct req *r);

/* Whether a request may read /metrics. With @token (the metrics_token setting) set, only
 * one whose @authorization header is "Bearer <token>" (compared in constant time), from
 * any address, the loopback included: behind a reverse proxy on the same machine every
 * client would look local. Without a token, only a client on the loopback (@remote_ip in
 * 127.0.0.0/8, ::1, or IPv4-mapped 127.0.0.0/8) whose request no proxy says it forwarded
 * (@forwarded: it carries Forwarded, X-Forwarded-For or X-Real-IP). Pure. */
bool metrics_allowed(const char *token, const char *authorization, const char *remote_ip,
		     bool forwarded);

#endif
