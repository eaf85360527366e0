/* offers_feature.c — the offers feature declared to the server (offers.md). The catalogue
 * is fed by `cej offers import` / `cej offers demo`; each part of the feature declares its
 * routes, menu entries and flashes in its own block below. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "offers/offers_web.h"

/* ---- The counselor's pages (offers_web.c; docs/offers.md "Les pages du conseiller") ---- */

static const struct route routes[] = {
	{"GET", "/offres", offers_web_search, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/lieux", offers_web_places, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/{slug}/{id}", offers_web_detail, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/{slug}/{id}/partager", offers_web_share_page, 0, ACCESS_COUNSELOR},
	{"POST", "/offres/{slug}/{id}/partager", offers_web_share_post, 0, ACCESS_COUNSELOR},
};

static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 17, "offres", "Offres", "/offres", false, NULL, NULL, NULL},
};

static const struct flash_def flashes[] = {
	{"offre-partagee", "success", "L'offre a bien été partagée", NULL, NULL},
};

const struct feature offers_feature = {
	.name = "offers",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
};
