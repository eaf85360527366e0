/* establishment_feature.c — the establishment feature declared to the server: page
 * "Bénéficiaires" (structure-wide search). */
#include "core/feature.h"

#include "auth/authz.h"
#include "establishment/establishment_web.h"
#include "http/http.h"

static const struct route routes[] = {
	{"GET", "/etablissement", establishment_page, 0, ACCESS_COUNSELOR},
};

static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 20, "etablissement", "Bénéficiaires", "/etablissement", false, NULL, NULL, NULL},
};

const struct feature establishment_feature = {
	.name = "establishment",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
};
