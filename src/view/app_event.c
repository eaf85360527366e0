/* app_event.c — the wording of an app event's card (app_event.h). */
#include "view/app_event.h"

#include "base/arena.h"
#include "base/clock.h"
#include "core/feature.h"
#include "view/vm.h"

#include <glib.h>

const char *
view_day_title(struct arena *a, int64_t day)
{
	const char *s = clock_day_long_fr(a, day);   /* a weekday: ASCII first letter */
	return arena_printf(a, "%c%s", g_ascii_toupper(s[0]), s + 1);
}

void
view_app_event(struct arena *a, struct vm *o, const struct app_event *e, const char *tz)
{
	const char *start = clock_fr_time(a, e->starts_at, tz);
	const char *end = clock_fr_time(a, e->starts_at + (int64_t)e->duration_min * 60000, tz);
	vm_set_str(o, "href", e->href);
	vm_set_str(o, "title", e->title);
	vm_set_str(o, "type", e->type);
	vm_set_str_opt(o, "modality", e->modality);
	vm_set_str_opt(o, "with", e->with);
	vm_set_bool(o, "registered", e->registered);
	vm_set_str(o, "day", view_day_title(a, clock_day_of(e->starts_at, tz)));
	vm_set_str(o, "time", start);
	vm_set_strf(o, "hours", "%s - %s", start, end);
}
