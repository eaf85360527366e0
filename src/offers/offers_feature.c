/* offers_feature.c — the offers feature declared to the server (offers.md). The catalogue
 * is fed by `cej offers import` / `cej offers demo` and by the providers' sync; each part of
 * the feature (the counselor's pages, the providers' sync, Événements › Externes) declares
 * its routes, jobs and flashes in its own block below. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "offers/offers_events_app.h"
#include "offers/offers_sync_jobs.h"
#include "offers/offers_sync_web.h"
#include "offers/offers_web.h"

static const struct route routes[] = {
	/* The counselor's pages (offers_web.c; docs/offers.md "Les pages du conseiller"). */
	{"GET", "/offres", offers_web_search, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/lieux", offers_web_places, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/{slug}/{id}", offers_web_detail, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/{slug}/{id}/partager", offers_web_share_page, 0, ACCESS_COUNSELOR},
	{"POST", "/offres/{slug}/{id}/partager", offers_web_share_post, 0, ACCESS_COUNSELOR},
	/* The providers' sync: its support page (offers_sync_web.c). */
	{"GET", "/support/offres", offers_sync_support_page, 0, ACCESS_COUNSELOR},
	/* The young person's Événements › Externes (offers_events_app.c). */
	{"GET", "/app/evenements/externes", offers_events_app_page, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/externes/{id}", offers_events_app_detail, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/evenements/externes/{id}/partager", offers_events_app_share, 0,
	 ACCESS_BENEFICIARY},
};

static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 17, "offres", "Offres", "/offres", false, NULL, NULL, NULL},
};

static const struct flash_def flashes[] = {
	/* The counselor's pages. */
	{"offre-partagee", "success", "L'offre a bien été partagée", NULL, NULL},
	/* Événements › Externes. */
	{OFFERS_EVENTS_FLASH_SHARED, "success", OFFERS_EVENTS_SHARED, NULL, NULL},
};

const struct feature offers_feature = {
	.name = "offers",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.job_kinds = offers_sync_job_kinds,
	.n_job_kinds = OFFERS_SYNC_JOB_KINDS,
	.plan_jobs = offers_sync_plan_jobs,
};
