/* notifications_app.c — GET /app/notifications: the centre, rendered first, then marked
 * seen (opening the centre is what "seen" means, notifications.md §1), so that the page
 * still shows which entries were new. */
#include "notifications/notifications_app.h"

#include "auth/session.h"
#include "base/clock.h"
#include "base/log.h"
#include "notifications/notifications.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

int
notifications_app_centre(struct req *r)
{
	struct notification *rows;
	int64_t now = clock_now_ms();
	int n = notifications_list(ctx_db(r), r->a, r->user->id, now, &rows);
	if (n < 0)
		return n;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Notifications");
	vm_set_str(data, "nav", "notifications");
	struct vm *items = vm_set_list(data, "items");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(items);
		vm_set_str(o, "title", rows[i].title);
		vm_set_str(o, "body", rows[i].body);
		vm_set_str_opt(o, "url", rows[i].url);
		vm_set_str(o, "when", clock_fr_relative(r->a, rows[i].created_at, now,
							 r->user->timezone));
		vm_set_bool(o, "unseen", !rows[i].seen);
	}
	int rc = view_page(r, 200, "notifications/app_centre.html", data);
	/* The page is already rendered: a failure to mark only leaves the bell as it was. */
	if (!rc && n > 0 && notifications_mark_seen(ctx_db(r), r->user->id, now))
		log_error("notifications: marquage comme vues impossible pour %s", r->user->id);
	return rc;
}
