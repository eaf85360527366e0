/* home_feature.c — the home feature declared to the server: the app's "Accueil". */
#include "core/feature.h"

#include "auth/authz.h"
#include "home/home_app.h"
#include "http/http.h"

static const struct route routes[] = {
	{"GET", "/app/accueil", home_app_page, 0, ACCESS_BENEFICIARY},
};

static const struct menu_entry menu[] = {
	{MENU_APP, 10, "accueil", "Accueil", "/app/accueil", false, "fr-icon-home-4-line", NULL, NULL},
};

const struct feature home_feature = {
	.name = "home",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
};
