/* metrics_web.c — GET /metrics: who may read it, and the families of every layer, each
 * written by the layer that counts (base/metrics.h). */
#include "serve/metrics_web.h"

#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/metrics.h"
#include "core/ctx.h"
#include "db/db.h"
#include "imilo/imilo.h"
#include "jobs/jobs.h"
#include "serve/features.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <string.h>

static bool
is_loopback(const char *ip)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (!ip)
		return false;
	if (inet_pton(AF_INET, ip, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, ip, &v6) != 1)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&v6))
		return true;
	return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

/* The token of "Bearer <token>" (the scheme is case-insensitive, RFC 9110 §11.1), or NULL. */
static const char *
bearer(const char *authorization)
{
	if (!authorization || g_ascii_strncasecmp(authorization, "Bearer ", 7) != 0)
		return NULL;
	const char *t = authorization + 7;
	while (*t == ' ')
		t++;
	return t;
}

/* Equal in constant time whatever their lengths: both are hashed first, so that neither
 * the time nor an early length check tells how much of a guess was right. */
static bool
same_secret(const char *a, const char *b)
{
	unsigned char ha[crypto_generichash_BYTES], hb[crypto_generichash_BYTES];

	crypto_generichash(ha, sizeof(ha), (const unsigned char *)a, strlen(a), NULL, 0);
	crypto_generichash(hb, sizeof(hb), (const unsigned char *)b, strlen(b), NULL, 0);
	return sodium_memcmp(ha, hb, sizeof(ha)) == 0;
}

bool
metrics_allowed(const char *token, const char *authorization, const char *remote_ip,
		bool forwarded)
{
	if (token) {
		const char *sent = bearer(authorization);
		return sent && same_secret(sent, token);
	}
	return is_loopback(remote_ip) && !forwarded;
}

static bool
forwarded(struct req *r)
{
	return req_header(r, "Forwarded") || req_header(r, "X-Forwarded-For") ||
	       req_header(r, "X-Real-IP");
}

static void
write_process(const struct ctx *c, GString *out)
{
	metrics_family(out, "process_start_time_seconds", "gauge",
		       "Démarrage du serveur, en secondes depuis l'époque Unix.");
	metrics_sample(out, "process_start_time_seconds", NULL, 0, c->start_time_s);
}

/* The job queue, with cej_db_up saying whether its query answered: when the database
 * fails, the other families are still worth reading. */
static void
write_jobs(struct req *r, GString *out)
{
	size_t n;
	const struct job_kind *kinds = features_job_kinds(req_ctx(r)->cfg, &n);
	struct db *db = ctx_db(r);
	GString *jobs = g_string_new(NULL);
	bool ok = db && jobs_metrics(db, r->a, clock_now_ms(), kinds, n, jobs) == 0;

	metrics_family(out, "cej_db_up", "gauge",
		       "1 quand la base a répondu à la lecture des tâches de ce relevé, 0 sinon.");
	metrics_sample(out, "cej_db_up", NULL, 0, ok);
	g_string_append_len(out, jobs->str, (gssize)jobs->len);
	g_string_free(jobs, TRUE);
}

int
ops_metrics(struct req *r)
{
	struct ctx *c = req_ctx(r);
	GString *out;

	if (!metrics_allowed(c->cfg->metrics_token, req_header(r, "Authorization"), r->remote_ip,
			     forwarded(r)))
		return -ERR_NOTFOUND;
	out = g_string_sized_new(32 * 1024);
	write_process(c, out);
	http_metrics(r, out);
	db_metrics(out);
	imilo_metrics(c->imilo, out);
	write_jobs(r, out);
	resp_bytes(r, 200, METRICS_CONTENT_TYPE, out->str, out->len);
	g_string_free(out, TRUE);
	return 0;
}
