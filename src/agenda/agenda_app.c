/* agenda_app.c — the beneficiary's pages of the agenda (agenda_app.h): parse, open with his
 * rights (agenda_app_use.h), render. Plain links and one plain form: nothing needs
 * JavaScript. */
#include "agenda/agenda_app.h"

#include "agenda/agenda_app_use.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "http/http.h"
#include "view/app_event.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

/* What both detail pages show of @e, in the zone of the beneficiary's structure. */
static void
set_event(struct req *r, struct vm *page, const struct event *e)
{
	const char *tz = r->user->timezone;
	vm_set_str(page, "event_id", e->id);
	vm_set_str(page, "event_title", agenda_display_title(r->a, e));
	vm_set_str(page, "type", agenda_types[e->type].label);
	vm_set_str(page, "day", view_day_title(r->a, clock_day_of(e->starts_at, tz)));
	vm_set_str(page, "start", clock_fr_time(r->a, e->starts_at, tz));
	vm_set_str(page, "end", clock_fr_time(r->a, agenda_ends_at(e), tz));
	vm_set_str(page, "duration", agenda_duration_fr(r->a, e->duration_min));
	vm_set_str_opt(page, "modality", e->modality == MODALITY_NONE ? NULL
					 : agenda_modalities[e->modality].label);
	vm_set_str_opt(page, "modality_sentence", agenda_app_modality_sentence(r->a, e->modality));
	vm_set_str_opt(page, "address", *e->address ? e->address : NULL);
	vm_set_str_opt(page, "map", agenda_app_map_url(r->a, e->address));
	vm_set_str_opt(page, "organism", *e->organism ? e->organism : NULL);
	vm_set_str(page, "presence", agenda_app_presence_text(e));
	vm_set_str_opt(page, "description", *e->description ? e->description : NULL);
}

int
agenda_app_detail_page(struct req *r)
{
	struct event e;
	struct refusal why = {0};
	const char *referent_id = NULL;
	int rc = agenda_app_open_mine(ctx_db(r), r->a, r->user, req_param(r, "id"), &e,
				      &referent_id, &why);
	if (rc)
		return why.message ? view_refusal(r, &why, "suivi", "/app/suivi", "Retour à Mon suivi")
				   : rc;
	bool collective = agenda_is_collective(e.type);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", collective ? "Détail de l’événement" : "Détail du rendez-vous");
	vm_set_str(page, "nav", "suivi");
	set_event(r, page, &e);
	vm_set_bool(page, "collective", collective);
	vm_set_str_opt(page, "with", collective ? NULL : arena_printf(r->a, "%s %s",
					e.creator_first_name, e.creator_last_name));
	/* An AC is the structure's: who created it says nothing of his counselor. */
	vm_set_str_opt(page, "previous", !collective && agenda_app_by_previous(&e, referent_id)
			? arena_printf(r->a, "%s %s", e.creator_first_name, e.creator_last_name)
			: NULL);
	return view_page(r, 200, "agenda/app_detail.html", page);
}

int
agenda_app_events_page(struct req *r)
{
	int64_t now = clock_now_ms();
	const struct app_event_query q = {
		.scope = APP_EVENTS_STRUCTURE, .beneficiary_id = r->user->id,
		.structure_id = r->user->structure_id, .from = now,
		.to = app_events_structure_end(now, r->user->timezone), .app = req_ctx(r),
	};
	struct app_event *events;
	bool partial;
	int n = app_events_list(&req_ctx(r)->features, ctx_db(r), r->a, &q, &events, &partial);
	if (n < 0)
		return n;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Événements");
	vm_set_str(page, "nav", "evenements");
	/* The i-milo sessions could not be read: the others are listed, and it is said. */
	vm_set_bool(page, "partial", partial);
	struct vm *list = vm_set_list(page, "events");
	for (int i = 0; i < n; i++)
		view_app_event(r->a, vm_push_obj(list), &events[i], r->user->timezone);
	return view_page(r, 200, "agenda/app_events.html", page);
}

int
agenda_app_ac_page(struct req *r)
{
	struct event e;
	struct refusal why = {0};
	bool registered = false;
	int rc = agenda_app_open_offered(ctx_db(r), r->a, r->user, clock_now_ms(),
					 req_param(r, "id"), &e, &registered, &why);
	if (rc)
		return why.message ? view_refusal(r, &why, "evenements", "/app/evenements",
						  "Retour aux événements") : rc;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Détail de l’événement");
	vm_set_str(page, "nav", "evenements");
	set_event(r, page, &e);
	vm_set_bool(page, "registered", registered);
	return view_page(r, 200, "agenda/app_event.html", page);
}

int
agenda_app_share_post(struct req *r)
{
	struct refusal why = {0};
	const char *id = req_param(r, "id");
	int rc = agenda_app_share(ctx_db(r), req_ctx(r)->keys, r->a, r->user, clock_now_ms(), id,
				  &why);
	if (rc)
		return why.message ? view_refusal(r, &why, "evenements", "/app/evenements",
						  "Retour aux événements") : rc;
	return view_redirect_flash(r, arena_printf(r->a, "/app/evenements/animations/%s", id),
				   AGENDA_APP_FLASH_SHARED, NULL);
}
