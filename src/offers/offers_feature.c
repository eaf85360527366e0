/* offers_feature.c — the offers feature declared to the server (offers.md). Each part of
 * issue 15 adds its routes, jobs and tabs in its own block below. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"

/* ---- The providers' sync (offers_sync*.c): its jobs and its support page ---- */
#include "offers/offers_sync_jobs.h"
#include "offers/offers_sync_web.h"

static const struct route routes[] = {
	/* The sync. */
	{"GET", "/support/offres", offers_sync_support_page, 0, ACCESS_COUNSELOR},
};

const struct feature offers_feature = {
	.name = "offers",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.job_kinds = offers_sync_job_kinds,
	.n_job_kinds = OFFERS_SYNC_JOB_KINDS,
	.plan_jobs = offers_sync_plan_jobs,
};
