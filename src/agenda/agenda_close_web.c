/* agenda_close_web.c — "Clore" an AC and its sign-in sheet: parse, open with the caller's
 * rights (agenda_open), call the use case, render. Without JavaScript the émargement is a
 * plain list of checkboxes; the script adds the tri-state "Tout sélectionner". */
#include "agenda/agenda_close_web.h"

#include "agenda/agenda_close.h"
#include "agenda/agenda_use.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "core/ctx.h"
#include "sessions/sessions_signin.h"
#include "http/http.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <stdlib.h>
#include <string.h>

#define PRESENT_MAX 1000    /* registrants one form may post */
#define BLANK_ROWS 5        /* the sheet's rows for who comes unregistered (§4) */

static const char *
ac_path(struct req *r, const char *id)
{
	return arena_printf(r->a, "/agenda/animations-collectives/%s", id);
}

/* The AC of the path for the caller (agenda_open's rights); a RDV is not one. */
static int
open_ac(struct req *r, bool write, struct event *e)
{
	int rc = agenda_open(ctx_db(r), r->a, r->user, req_param(r, "id"), write, e, NULL);
	return !rc && !agenda_is_collective(e->type) ? -ERR_NOTFOUND : rc;
}

static int
refused(struct req *r, const struct event *e, const struct refusal *why)
{
	return view_refusal(r, why, "agenda", ac_path(r, e->id), "Retour à l’animation collective");
}

/* Title, type, day and hours of @e in the caller's zone. */
static void
add_event(struct req *r, struct vm *o, const struct event *e)
{
	const char *tz = r->user->timezone;
	vm_set_str(o, "event_id", e->id);
	vm_set_str(o, "event_title", agenda_display_title(r->a, e));
	vm_set_str(o, "type_label", agenda_types[e->type].label);
	vm_set_str(o, "day", clock_fr_day(r->a, e->starts_at, tz));
	vm_set_str(o, "start", clock_fr_time(r->a, e->starts_at, tz));
	vm_set_str(o, "end", clock_fr_time(r->a, agenda_ends_at(e), tz));
}

/* ---- Clore ---- */

int
agenda_close_page(struct req *r)
{
	struct event e;
	struct refusal why = {0};
	struct event_participant *p;
	int rc = open_ac(r, true, &e);
	if (rc)
		return rc;
	if (agenda_close_check(&e, clock_now_ms(), &why))
		return refused(r, &e, &why);
	int n = agenda_participants(ctx_db(r), r->a, &e, &p);
	if (n < 0)
		return n;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Clore");
	vm_set_str(page, "nav", "agenda");
	add_event(r, page, &e);
	vm_set_str(page, "back", ac_path(r, e.id));
	struct vm *list = vm_set_list(page, "registrants");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "id", p[i].beneficiary_id);
		vm_set_strf(o, "name", "%s %s", p[i].first_name, text_upper(r->a, p[i].last_name));
	}
	return view_page(r, 200, "agenda/close.html", page);
}

int
agenda_close_post(struct req *r)
{
	struct event e;
	struct refusal why = {0};
	int rc = open_ac(r, true, &e);
	if (rc)
		return rc;
	const char **ids = arena_alloc(r->a, sizeof(*ids) * PRESENT_MAX);
	int n = req_form_all(r, "presents", ids, PRESENT_MAX);
	rc = agenda_close(ctx_db(r), r->a, r->user, clock_now_ms(), e.id, ids, n, &why);
	if (rc)
		return why.message ? refused(r, &e, &why) : rc;
	return view_redirect_flash(r, ac_path(r, e.id), "ac-close", NULL);
}

/* ---- The sign-in sheet ---- */

struct sheet_row {
	const char *key;    /* folded "last first": accents and case do not move a name */
	const struct event_participant *p;
};

static int
by_key(const void *x, const void *y)
{
	const struct sheet_row *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->p->beneficiary_id, b->p->beneficiary_id);
}

/* @p (@n) by name, as a reader of the sheet looks for theirs. Arena array. */
static struct sheet_row *
sorted(struct req *r, const struct event_participant *p, int n)
{
	struct sheet_row *rows = arena_alloc(r->a, sizeof(*rows) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		rows[i] = (struct sheet_row){
			text_fold(r->a, arena_printf(r->a, "%s %s", p[i].last_name, p[i].first_name)),
			&p[i]};
	qsort(rows, (size_t)n, sizeof(*rows), by_key);
	return rows;
}

int
agenda_signin_sheet(struct req *r)
{
	const char *type = req_query(r, "type");
	if (type && !strcmp(type, "session"))
		return sessions_signin_sheet(r);   /* an i-milo session (agenda.md §5.4) */
	if (!type || strcmp(type, "ac"))
		return -ERR_NOTFOUND;
	struct event e;
	struct event_participant *p;
	int rc = open_ac(r, false, &e);
	if (rc)
		return rc;
	int n = agenda_participants(ctx_db(r), r->a, &e, &p);
	if (n < 0)
		return n;
	struct vm *page = vm_obj(r->a);
	const char *ml = r->user->structure_name ? r->user->structure_name : "Mission Locale";
	vm_set_strf(page, "title", "Feuille d’émargement — %s", ml);
	add_event(r, page, &e);
	vm_set_str(page, "place", e.address && *e.address ? e.address
				  : e.modality != MODALITY_NONE ? agenda_modalities[e.modality].label
								: "");
	vm_set_str(page, "back", ac_path(r, e.id));
	vm_set_str(page, "back_label", "Retour à l’animation collective");
	struct sheet_row *by_name = sorted(r, p, n);
	struct vm *rows = vm_set_list(page, "rows");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(rows);
		vm_set_int(o, "n", i + 1);
		vm_set_strf(o, "name", "%s %s", by_name[i].p->first_name,
			    text_upper(r->a, by_name[i].p->last_name));
	}
	struct vm *blank = vm_set_list(page, "blank");
	for (int i = 0; i < BLANK_ROWS; i++)
		vm_push_obj(blank);
	return view_page(r, 200, "agenda/emargement.html", page);
}

/* ---- The block of an AC's detail ---- */

int
agenda_close_detail(struct req *r, struct vm *page, const struct event *e)
{
	if (!agenda_is_collective(e->type))
		return 0;
	struct event_participant *p;
	int n = agenda_participants(ctx_db(r), r->a, e, &p);
	if (n < 0)
		return n;
	enum ac_close_banner b = agenda_close_banner(e, n, clock_now_ms());
	struct vm *o = vm_set_obj(page, "ac_close");
	vm_set_str(o, "id", e->id);
	vm_set_bool(o, "to_close", b == AC_BANNER_TO_CLOSE);
	vm_set_bool(o, "to_delete", b == AC_BANNER_TO_DELETE);
	return 0;
}
