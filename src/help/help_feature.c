/* help_feature.c — the help feature declared to the server: "Aide et ressources", the shortcut
 * and the web manifest. */
#include "core/feature.h"

#include "auth/authz.h"
#include "help/help_web.h"
#include "http/http.h"

static const struct route routes[] = {
	{"GET", "/aide", help_page, 0, ACCESS_COUNSELOR},
	{"GET", "/raccourci", help_shortcut_page, 0, ACCESS_COUNSELOR},
	{"GET", "/manifest.webmanifest", help_manifest, 0, ACCESS_PUBLIC},
};

static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 80, "raccourci", "Créer un raccourci", "/raccourci", true, NULL, NULL, NULL},
	{MENU_COUNSELOR, 90, "aide", "Aide et ressources", "/aide", false, NULL, NULL, NULL},
};

const struct feature help_feature = {
	.name = "help",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
};
