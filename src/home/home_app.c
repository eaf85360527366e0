/* home_app.c — GET /app/accueil (youth-app.md §5): the greeting, the referent, "Ton
 * prochain rendez-vous", "Événements pouvant t’intéresser", "Mes alertes" and "Mon suivi
 * des offres". The events come from the features that have some (core/feature.h
 * app_events), "Mes alertes" and "Mon suivi des offres" from the feature declaring the home
 * parts "alertes" and "suivi" (the offers): home includes neither. */
#include "home/home_app.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/text.h"
#include "home/home_store.h"
#include "core/ctx.h"
#include "view/app_event.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

/* "Événements pouvant t’intéresser": the next 3 of Ma Mission Locale. */
#define HOME_EVENTS 3
/* "Ton prochain rendez-vous" looks this far: events are dated at most 2 years ahead. */
#define HOME_NEXT_DAYS (3 * 366)
#define DAY_MS (24 * 3600 * 1000LL)

/* The first @limit events of @scope from @now to @until into @page's list @key; the
 * section is hidden when the list is empty (youth-app.md §5). */
static int
add_events(struct req *r, struct vm *page, const char *key, enum app_event_scope scope,
	   int64_t now, int64_t until, int limit)
{
	const struct app_event_query q = {
		.scope = scope, .beneficiary_id = r->user->id, .structure_id = r->user->structure_id,
		.from = now, .to = until, .limit = limit,
	};
	struct app_event *events;
	int n = app_events_list(&req_ctx(r)->features, ctx_db(r), r->a, &q, &events, NULL);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, key);
	for (int i = 0; i < n; i++)
		view_app_event(r->a, vm_push_obj(list), &events[i], r->user->timezone);
	return 0;
}

/* The part @key another feature fills (core/feature.h home_part): the template includes its
 * partial when "part_<key>" is true. */
static int
add_part(struct req *r, struct vm *data, const char *key)
{
	const struct feature_table *t = &req_ctx(r)->features;
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < t->items[i]->n_home_parts; k++)
			if (!strcmp(t->items[i]->home_parts[k].key, key)) {
				vm_set_bool(data, arena_printf(r->a, "part_%s", key), true);
				return t->items[i]->home_parts[k].render(r, data);
			}
	vm_set_bool(data, arena_printf(r->a, "part_%s", key), false);
	return 0;
}

int
home_app_page(struct req *r)
{
	struct home_counselor c;
	int64_t now = clock_now_ms();
	int rc = home_store_counselor(ctx_db(r), r->a, r->user->id, &c);
	if (rc)
		return rc;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Accueil");
	vm_set_str(data, "nav", "accueil");
	vm_set_str(data, "first_name", r->user->first_name);
	struct vm *counselor = vm_set_obj(data, "counselor");
	vm_set_str(counselor, "first_name", c.first_name);
	vm_set_str(counselor, "last_name", text_upper(r->a, c.last_name));
	vm_set_str(counselor, "structure", c.structure_name);
	rc = add_events(r, data, "next", APP_EVENTS_MINE, now, now + HOME_NEXT_DAYS * DAY_MS, 1);
	if (!rc)
		rc = add_events(r, data, "events", APP_EVENTS_STRUCTURE, now,
				app_events_structure_end(now, r->user->timezone), HOME_EVENTS);
	if (!rc)
		rc = add_part(r, data, "alertes");
	if (!rc)
		rc = add_part(r, data, "suivi");
	if (rc)
		return rc;
	return view_page(r, 200, "home/app_home.html", data);
}
