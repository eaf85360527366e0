/* portfolio_feature.c — the portfolio feature declared to the server: "Portefeuille". */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "portfolio/portfolio_web.h"

static const struct route routes[] = {
	{"GET", "/portefeuille", portfolio_page, 0, ACCESS_COUNSELOR},
};

static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 10, "portefeuille", "Portefeuille", "/portefeuille", false, NULL, NULL, NULL},
};

const struct feature portfolio_feature = {
	.name = "portfolio",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
};
