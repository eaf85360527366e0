/* notifications_feature.c — the notifications feature declared to the server: the
 * beneficiary's notification centre. */
#include "core/feature.h"

#include "notifications/notifications.h"
#include "view/vm.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "auth/authz.h"
#include "http/http.h"
#include "notifications/notifications_app.h"

static const struct route routes[] = {
	{"GET", "/app/notifications", notifications_app_centre, 0, ACCESS_BENEFICIARY},
};

/* The bell of every app page (notifications.md §1). */
static void
page(struct req *r, struct vm *data, struct vm *user)
{
	(void)user;
	struct user *u = r->user;
	int unseen = u && u->kind == USER_BENEFICIARY
			     ? notifications_unseen(ctx_db(r), u->id, clock_now_ms()) : 0;
	vm_set_int(data, "notifications_unseen", unseen > 0 ? unseen : 0);
}

const struct feature notifications_feature = {
	.name = "notifications",
	.page = page,
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.purge = notifications_purge_beneficiary,
};
