/* offers_feature.c — the offers feature declared to the server (offers.md). Each part of
 * issue 15 adds its routes, jobs and tabs in its own block below. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"

/* ---- The providers' sync (offers_sync*.c): its jobs and its support page ---- */
#include "offers/offers_sync_jobs.h"
#include "offers/offers_sync_web.h"
/* ---- The young person's Événements › Externes (offers_events_app*.c) ---- */
#include "offers/offers_events_app.h"

static const struct route routes[] = {
	/* The sync. */
	{"GET", "/support/offres", offers_sync_support_page, 0, ACCESS_COUNSELOR},
	/* Événements › Externes. */
	{"GET", "/app/evenements/externes", offers_events_app_page, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/externes/{id}", offers_events_app_detail, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/evenements/externes/{id}/partager", offers_events_app_share, 0,
	 ACCESS_BENEFICIARY},
};

static const struct flash_def flashes[] = {
	/* Événements › Externes. */
	{OFFERS_EVENTS_FLASH_SHARED, "success", OFFERS_EVENTS_SHARED, NULL, NULL},
};

const struct feature offers_feature = {
	.name = "offers",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.job_kinds = offers_sync_job_kinds,
	.n_job_kinds = OFFERS_SYNC_JOB_KINDS,
	.plan_jobs = offers_sync_plan_jobs,
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
};
