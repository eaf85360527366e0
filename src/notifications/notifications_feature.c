/* notifications_feature.c — the notifications feature declared to the server: the
 * beneficiary's notification centre. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "notifications/notifications_app.h"

static const struct route routes[] = {
	{"GET", "/app/notifications", notifications_app_centre, 0, ACCESS_BENEFICIARY},
};

const struct feature notifications_feature = {
	.name = "notifications",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
};
