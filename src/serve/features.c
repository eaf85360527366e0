/* features.c — the table of features (features.def) and what serve builds from it. */
#include "serve/features.h"

#include "auth/authz.h"
#include "base/config.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "serve/metrics_web.h"
#include "serve/ops_web.h"

#include <glib.h>
#include <string.h>

#define FEATURE(name) extern const struct feature name##_feature;
#include "serve/features.def"
#undef FEATURE

static const struct feature *const all[] = {
#define FEATURE(name) &name##_feature,
#include "serve/features.def"
#undef FEATURE
};

/* serve's own routes: operations (health, metrics, static files), the live streams, and
 * the test-only endpoints. */
static const struct route ops_routes[] = {
	{"GET", "/healthz", ops_healthz, 0, ACCESS_PUBLIC},
	/* Public to the access levels; metrics_allowed() decides (docs/metrics.md). */
	{"GET", "/metrics", ops_metrics, 0, ACCESS_PUBLIC},
	{"GET", "/static/{hash}/{path*}", ops_static, 0, ACCESS_PUBLIC},
	{"GET", "/", ops_root, 0, ACCESS_PUBLIC},
	{"GET", "/evenements", ops_events_counselor, ROUTE_STREAM, ACCESS_COUNSELOR},
	{"GET", "/app/evenements-direct", ops_events_beneficiary, ROUTE_STREAM, ACCESS_BENEFICIARY},
};

static bool
test_enabled(const struct config *cfg)
{
	return cfg->test_clock;
}

static const struct route test_routes[] = {
	{"POST", "/_test/horloge", ops_test_clock, ROUTE_NO_CSRF, ACCESS_PUBLIC},
	{"POST", "/_test/publier", ops_test_publish, ROUTE_NO_CSRF, ACCESS_PUBLIC},
	{"GET", "/_test/files-vides", ops_test_queues, 0, ACCESS_PUBLIC},
};

static const struct feature ops_feature = {
	.name = "serve",
	.routes = ops_routes,
	.n_routes = G_N_ELEMENTS(ops_routes),
};

static const struct feature test_feature = {
	.name = "test",
	.enabled = test_enabled,
	.routes = test_routes,
	.n_routes = G_N_ELEMENTS(test_routes),
};

static GOnce once = G_ONCE_INIT;

struct built {
	const struct feature *items[G_N_ELEMENTS(all) + 2];
	size_t n;
	struct route *routes;
	size_t n_routes;
	struct job_kind *kinds;
	size_t n_kinds;
};

static gpointer
build(gpointer data)
{
	const struct config *cfg = data;
	struct built *b = g_new0(struct built, 1);
	b->items[b->n++] = &ops_feature;
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		if (!all[i]->enabled || all[i]->enabled(cfg))
			b->items[b->n++] = all[i];
	if (test_feature.enabled(cfg))
		b->items[b->n++] = &test_feature;
	for (size_t i = 0; i < b->n; i++) {
		b->n_routes += b->items[i]->n_routes;
		b->n_kinds += b->items[i]->n_job_kinds;
	}
	b->routes = g_new(struct route, b->n_routes);
	/* The features' job kinds, then the infrastructure's: sending a mail. */
	b->kinds = g_new(struct job_kind, b->n_kinds + mail_job_kinds_count);
	size_t r = 0, k = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct feature *f = b->items[i];
		if (f->n_routes)   /* a feature without routes yet (offers) has routes NULL */
			memcpy(b->routes + r, f->routes, f->n_routes * sizeof(*f->routes));
		r += f->n_routes;
		if (f->n_job_kinds)
			memcpy(b->kinds + k, f->job_kinds, f->n_job_kinds * sizeof(*f->job_kinds));
		k += f->n_job_kinds;
	}
	memcpy(b->kinds + k, mail_job_kinds, mail_job_kinds_count * sizeof(*mail_job_kinds));
	b->n_kinds += mail_job_kinds_count;
	return b;
}

static const struct built *
built(const struct config *cfg)
{
	return g_once(&once, build, (gpointer)cfg);
}

struct feature_table
features_table(const struct config *cfg)
{
	const struct built *b = built(cfg);
	return (struct feature_table){b->items, b->n};
}

const struct route *
features_routes(const struct config *cfg, size_t *n)
{
	const struct built *b = built(cfg);
	*n = b->n_routes;
	return b->routes;
}

const struct job_kind *
features_job_kinds(const struct config *cfg, size_t *n)
{
	const struct built *b = built(cfg);
	*n = b->n_kinds;
	return b->kinds;
}

int
features_plan_jobs(const struct config *cfg, struct db *db, int64_t now)
{
	struct feature_table t = features_table(cfg);
	for (size_t i = 0; i < t.n; i++) {
		int rc = t.items[i]->plan_jobs ? t.items[i]->plan_jobs(db, now) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

static const char *
access_name(int access)
{
	switch ((enum access)access) {
	case ACCESS_PUBLIC:
		return "public";
	case ACCESS_COUNSELOR:
		return "counselor";
	case ACCESS_BENEFICIARY:
		return "beneficiary";
	}
	return "?";
}

void
features_print_routes(const struct config *cfg, FILE *out)
{
	static const struct {
		unsigned flag;
		const char *name;
	} flags[] = {
		{ROUTE_WORKER, "worker"}, {ROUTE_MULTIPART, "multipart"}, {ROUTE_NO_CSRF, "no-csrf"},
		{ROUTE_SECRET_PATH, "secret-path"}, {ROUTE_STREAM, "stream"}, {ROUTE_REMOTE, "remote"},
	};
	struct feature_table t = features_table(cfg);
	for (size_t i = 0; i < t.n; i++) {
		const struct feature *f = t.items[i];
		for (size_t k = 0; k < f->n_routes; k++) {
			const struct route *r = &f->routes[k];
			GString *fl = g_string_new(NULL);
			for (size_t j = 0; j < G_N_ELEMENTS(flags); j++)
				if (r->flags & flags[j].flag)
					g_string_append_printf(fl, "%s%s", fl->len ? "," : "", flags[j].name);
			fprintf(out, "%s\t%s\t%s\t%s\t%s\n", r->method, r->pattern, access_name(r->access),
				fl->len ? fl->str : "-", f->name);
			g_string_free(fl, TRUE);
		}
	}
}
