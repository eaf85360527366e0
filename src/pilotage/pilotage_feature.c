/* pilotage_feature.c — the pilotage feature declared to the server: page "Pilotage". */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "pilotage/pilotage_web.h"

static const struct route routes[] = {
	{"GET", "/pilotage", pilotage_page, ROUTE_REMOTE, ACCESS_COUNSELOR},  /* sessions: S1 */
};

static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 40, "pilotage", "Pilotage", "/pilotage", false, NULL, NULL, NULL},
};

const struct feature pilotage_feature = {
	.name = "pilotage",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
};
