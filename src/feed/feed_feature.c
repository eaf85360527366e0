/* feed_feature.c — the i-milo event feed declared to the server (imilo.md §4): its jobs
 * (the poll, one job per event, the nightly purge) and the support page of its dead
 * letters. */
#include "core/feature.h"

#include "auth/authz.h"
#include "feed/feed_jobs.h"
#include "feed/feed_web.h"
#include "http/http.h"

static const struct route routes[] = {
	{"GET", "/support/flux-imilo", feed_support_page, 0, ACCESS_COUNSELOR},
};

const struct feature feed_feature = {
	.name = "feed",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.job_kinds = feed_job_kinds,
	.n_job_kinds = FEED_JOB_KINDS,
	.plan_jobs = feed_jobs_plan,
	.purge = feed_purge_beneficiary,
};
