/* feed_web.c — GET /support/flux-imilo: the dead letters of the event feed (feed.h). */
#include "feed/feed_web.h"
#include "feed/feed.h"

#include "auth/authz.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>

#define SUPPORT_ROWS 200   /* the newest; a longer list says how many there are */

/* "07/12/2026 à 10h15" of the ISO 8601 date i-milo sent, in the caller's zone; the text
 * as sent when it does not parse. */
static const char *
event_date(struct req *r, const char *iso)
{
	GDateTime *d = iso ? g_date_time_new_from_iso8601(iso, NULL) : NULL;
	if (!d)
		return iso && *iso ? iso : NULL;
	int64_t ms = g_date_time_to_unix(d) * 1000 + g_date_time_get_microsecond(d) / 1000;
	g_date_time_unref(d);
	return arena_printf(r->a, "%s à %s", clock_fr_day(r->a, ms, r->user->timezone),
			    clock_fr_time(r->a, ms, r->user->timezone));
}

static void
add_row(struct req *r, struct vm *rows, const struct job_dead *d)
{
	struct imilo_event ev = {0};
	struct vm *o = vm_push_obj(rows);
	bool parsed = feed_payload_parse(r->a, d->payload, &ev) == 0;
	vm_set_str_opt(o, "date", parsed ? event_date(r, ev.date) : NULL);
	vm_set_str_opt(o, "dossier", parsed && ev.dossier_id && *ev.dossier_id ? ev.dossier_id : NULL);
	vm_set_str_opt(o, "type", ev.type);
	vm_set_str_opt(o, "action", ev.action);
	vm_set_str_opt(o, "type_id", ev.type_id);
	vm_set_int(o, "attempts", d->attempts);
	vm_set_str_opt(o, "error", d->last_error);
	vm_set_str(o, "failed", arena_printf(r->a, "%s à %s",
					     clock_fr_day(r->a, d->failed_at, r->user->timezone),
					     clock_fr_time(r->a, d->failed_at, r->user->timezone)));
}

int
feed_support_page(struct req *r)
{
	if (!authz_support(r->user))
		return -ERR_FORBIDDEN;
	struct job_dead *dead;
	int total = 0;
	int n = jobs_dead_list(ctx_db(r), r->a, FEED_EVENT_KIND, SUPPORT_ROWS, &dead, &total);
	if (n < 0)
		return n;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Flux d’événements i-milo");
	vm_set_str(page, "nav", "support");
	vm_set_int(page, "total", total);
	vm_set_bool(page, "truncated", total > n);
	vm_set_int(page, "shown", n);
	struct vm *rows = vm_set_list(page, "rows");
	for (int i = 0; i < n; i++)
		add_row(r, rows, &dead[i]);
	return view_page(r, 200, "feed/support.html", page);
}
