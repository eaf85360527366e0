/* agenda_ac_web.c — "Inscrire à une animation collective" from the fiche (agenda.md §1,
 * §4): the upcoming AC of the counselor's structure; choosing one opens its edit page with
 * the beneficiary checked, so the registration is saved by agenda_edit like any other
 * change of the AC (its rules, history and announcements). A full AC is shown "Complet"
 * and cannot be chosen. Works without JavaScript: plain links. */
#include "agenda/agenda_web.h"

#include "agenda/agenda_ac.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/text.h"
#include "core/ctx.h"
#include "http/http.h"
#include "record/record.h"
#include "view/view.h"
#include "view/vm.h"

static void
add_row(struct req *r, struct vm *list, const struct agenda_ac_row *row, const char *who)
{
	const struct event *e = &row->e;
	const char *tz = r->user->timezone;
	struct vm *o = vm_push_obj(list);
	vm_set_str(o, "event_id", e->id);
	vm_set_str(o, "event_title", agenda_display_title(r->a, e));
	vm_set_str(o, "type_label", agenda_types[e->type].label);
	vm_set_str(o, "day", clock_fr_day(r->a, e->starts_at, tz));
	vm_set_str(o, "hours", agenda_hours_fr(r->a, e->starts_at, e->duration_min, tz));
	const char *count = arena_printf(r->a, "%d %s", row->registrants,
					 row->registrants > 1 ? "inscrits" : "inscrit");
	vm_set_str(o, "registrants", e->max_participants > 0
		   ? arena_printf(r->a, "%s / %d", count, e->max_participants) : count);
	vm_set_bool(o, "registered", row->registered);
	vm_set_bool(o, "full", !row->registered && agenda_ac_full(row));
	vm_set_str(o, "choose", arena_printf(r->a, "/agenda/animations-collectives/%s/modifier"
					     "?beneficiaire=%s", e->id, who));
}

int
agenda_ac_enroll_page(struct req *r)
{
	struct record rec;
	struct agenda_ac_row *rows;
	int64_t now = clock_now_ms();
	/* Reading the fiche is enough: an AC's registrants are its structure's business (§4);
	 * agenda_edit checks the structure again when the counselor saves. */
	int rc = record_open(ctx_db(r), r->a, r->user, req_query(r, "beneficiaire"), RECORD_READ,
			     now, &rec, NULL);
	if (rc)
		return rc;
	int n = agenda_upcoming_ac(ctx_db(r), r->a, r->user->structure_id, now, rec.id, &rows);
	if (n < 0)
		return n;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Inscrire à une animation collective");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "id", rec.id);
	vm_set_str(page, "name", arena_printf(r->a, "%s %s", rec.first_name, rec.last_name));
	vm_set_str(page, "first_name", rec.first_name);
	struct vm *list = vm_set_list(page, "rows");
	for (int i = 0; i < n; i++)
		add_row(r, list, &rows[i], rec.id);
	return view_page(r, 200, "agenda/enroll.html", page);
}
