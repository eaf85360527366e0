/* agenda_web.c — the counselor's pages on rendez-vous: parse, open with the caller's
 * rights (agenda_open), call the use case, render. Every page works without JavaScript:
 * the confirmation of an edit of someone else's event is a page of its own. */
#include "agenda/agenda_web.h"

#include "actions/actions.h"
#include "agenda/agenda_form.h"
#include "agenda/agenda_invite.h"
#include "agenda/agenda_use.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "core/ctx.h"
#include "http/http.h"
#include "record/record.h"
#include "view/form_errors.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <string.h>

#define PICK_MAX 1000          /* beneficiaries one form may post */
#define CHANGES_SHOWN 2        /* "Historique des modifications": the 2 latest (§2.1) */
#define CHANGES_ALL 1000       /* kept one year: never near this */

static const char *
full_name(struct req *r, const char *first, const char *last)
{
	return arena_printf(r->a, "%s %s", first, last);
}

static const char *
event_path(struct req *r, const char *id)
{
	return arena_printf(r->a, "/agenda/rendez-vous/%s", id);
}

/* The fiche the form came from ("?beneficiaire=" or the form's "retour"), or NULL. */
static const char *
back_id(struct req *r)
{
	const char *id = req_form(r, "retour");
	if (!id)
		id = req_query(r, "beneficiaire");
	return id_is_uuid(id) ? id : NULL;
}

static struct db *
db(struct req *r)
{
	return ctx_db(r);
}

/* The invitations' mailer (agenda_invite.h), in the request's arena. */
static const struct agenda_mailer *
mailer(struct req *r)
{
	struct agenda_mailer *m = arena_alloc(r->a, sizeof(*m));
	*m = agenda_mailer_of(req_ctx(r));
	return m;
}

/* ---- The form ---- */

struct form_state {
	struct event_form f;
	const char **ids;              /* checked in the picker */
	int n_ids;
	struct event_participant *kept;   /* an edit's participants the caller does not follow */
	int n_kept;
};

static void
parse_form(struct req *r, struct form_state *s)
{
	s->ids = arena_alloc(r->a, sizeof(*s->ids) * PICK_MAX);
	s->n_ids = req_form_all(r, "beneficiaires", s->ids, PICK_MAX);
	s->f = (struct event_form){
		.type = req_form(r, "type"),
		.precision = text_trim(r->a, req_form(r, "preciser")),
		.title = text_trim(r->a, req_form(r, "titre")),
		.description = text_trim(r->a, req_form(r, "description")),
		.modality = req_form(r, "modalite"),
		.date = req_form(r, "date"), .start = req_form(r, "heure"),
		.duration = req_form(r, "duree"),
		.address = text_trim(r->a, req_form(r, "adresse")),
		.organism = text_trim(r->a, req_form(r, "organisme")),
		.presence = req_form(r, "presence") != NULL,
		.n_beneficiaries = s->n_ids,
	};
}

static bool
checked(const struct form_state *s, const char *id)
{
	for (int i = 0; i < s->n_ids; i++)
		if (!strcmp(s->ids[i], id))
			return true;
	return false;
}

static void
add_choices(struct vm *page, const struct event_form *f)
{
	struct vm *types = vm_set_list(page, "types");
	for (int i = 0; i < EVENT_TYPE_COUNT; i++) {
		if (agenda_types[i].collective)
			continue;   /* AC have their own form (next slice) */
		struct vm *t = vm_push_obj(types);
		vm_set_str(t, "code", agenda_types[i].code);
		vm_set_str(t, "label", agenda_types[i].label);
		vm_set_bool(t, "selected", f->type && !strcmp(f->type, agenda_types[i].code));
	}
	struct vm *modalities = vm_set_list(page, "modalities");
	for (int i = 0; i < MODALITY_COUNT; i++) {
		struct vm *m = vm_push_obj(modalities);
		vm_set_str(m, "code", agenda_modalities[i].code);
		vm_set_str(m, "label", agenda_modalities[i].label);
		vm_set_bool(m, "selected", f->modality && !strcmp(f->modality, agenda_modalities[i].code));
	}
}

/* The picker: the caller's portfolio as checkboxes, and the participants they keep. */
static int
add_picker(struct req *r, struct vm *page, const struct form_state *s)
{
	struct agenda_person *people;
	int n = agenda_portfolio(db(r), r->a, r->user->id, &people);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "portfolio");
	int chosen = s->n_kept;   /* what the page shows checked, not what was asked */
	for (int i = 0; i < n; i++) {
		struct vm *p = vm_push_obj(list);
		bool on = checked(s, people[i].id);
		vm_set_str(p, "id", people[i].id);
		vm_set_str(p, "name", arena_printf(r->a, "%s %s", text_upper(r->a, people[i].last_name),
						   people[i].first_name));
		vm_set_bool(p, "checked", on);
		chosen += on;
	}
	struct vm *kept = vm_set_list(page, "kept");
	for (int i = 0; i < s->n_kept; i++)
		vm_push_str(kept, arena_printf(r->a, "%s %s", text_upper(r->a, s->kept[i].last_name),
					       s->kept[i].first_name));
	vm_set_int(page, "chosen", chosen);
	return 0;
}

static struct vm *
form_errors(struct req *r, const struct event_form_errors *e)
{
	const struct view_field_error fields[] = {
		{"type", "type", e->type}, {"precision", "preciser", e->precision},
		{"title", "titre", e->title}, {"description", "description", e->description},
		{"beneficiaries", "beneficiaires", e->beneficiaries},
		{"modality", "modalite", e->modality}, {"date", "date", e->date},
		{"start", "heure", e->start}, {"duration", "duree", e->duration},
		{"address", "adresse", e->address}, {"organism", "organisme", e->organism},
	};
	return view_form_errors(r->a, fields, G_N_ELEMENTS(fields));
}

/* "11h30" when the form's date, start and duration are valid: "Fin à 11h30" (§2). */
static const char *
form_end(struct req *r, const struct event_form *f)
{
	if (agenda_parse_hhmm(f->start) < 0 || agenda_parse_hhmm(f->duration) < 1 ||
	    agenda_form_day(f->date) == CLOCK_NO_DAY)
		return NULL;
	struct event e = {0};
	agenda_form_apply(f, r->user->timezone, &e);
	return clock_fr_time(r->a, agenda_ends_at(&e), r->user->timezone);
}

static void
add_fields(struct req *r, struct vm *page, const struct event_form *f)
{
	vm_set_str_opt(page, "precision", f->precision);
	vm_set_str_opt(page, "event_title", f->title);
	vm_set_str_opt(page, "description", f->description);
	vm_set_int(page, "description_length", f->description ? g_utf8_strlen(f->description, -1) : 0);
	vm_set_str_opt(page, "date", f->date);
	vm_set_str_opt(page, "start", f->start);
	vm_set_str_opt(page, "duration", f->duration);
	vm_set_str_opt(page, "address", f->address);
	vm_set_str_opt(page, "organism", f->organism);
	vm_set_bool(page, "presence", f->presence);
	vm_set_str_opt(page, "end", form_end(r, f));
	vm_set_bool(page, "other", f->type && !strcmp(f->type, "AUTRE"));
	vm_set_int(page, "text_max", AGENDA_TEXT_MAX);
	int64_t first, last;
	action_date_window(clock_now_ms(), r->user->timezone, &first, &last);
	vm_set_str(page, "min", clock_day_iso(r->a, first));
	vm_set_str(page, "max", clock_day_iso(r->a, last));
}

/* Renders the form: @e NULL for a creation (from the fiche of @back, may be NULL). */
static int
form_page(struct req *r, int status, const struct event *e, const char *back,
	  const struct form_state *s, const struct event_form_errors *errors)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", e ? "Modifier le rendez-vous" : "Créer un rendez-vous");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str_opt(page, "event_id", e ? e->id : NULL);
	vm_set_str_opt(page, "type_label", e ? agenda_types[e->type].label : NULL);
	/* The type is locked in edit: no script has a select to watch (§2 "forced Oui"). */
	vm_set_bool(page, "presence_forced", e && e->type == EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER);
	vm_set_str_opt(page, "back", back);
	/* The invitation's switch (creation only): off unless posted back with an error. */
	vm_set_bool(page, "invitation", !e && req_form(r, "invitation"));
	vm_set_str_opt(page, "own_email", r->user->email && *r->user->email ? r->user->email : NULL);
	vm_set_str(page, "cancel", e ? event_path(r, e->id)
				     : back ? arena_printf(r->a, "/beneficiaires/%s", back)
					    : "/portefeuille");
	add_choices(page, &s->f);
	add_fields(r, page, &s->f);
	int rc = add_picker(r, page, s);
	if (rc)
		return rc;
	vm_set(page, "errors", errors ? form_errors(r, errors) : NULL);
	return view_page(r, status, "agenda/form.html", page);
}

/* The form again with the use case's refusal beside its field. */
static int
refused_form(struct req *r, int rc, const struct refusal *why, const struct event *e,
	     const char *back, const struct form_state *s)
{
	if (!why->message)
		return rc;
	struct event_form_errors errors = {.beneficiaries = why->message, .count = 1};
	return form_page(r, 400, e, back, s, &errors);
}

int
agenda_new_page(struct req *r)
{
	const char *back = back_id(r);
	struct form_state s = {.f = {.type = agenda_types[EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER].code,
				     .presence = true}};
	if (back) {
		s.ids = arena_alloc(r->a, sizeof(*s.ids));
		s.ids[0] = back;
		s.n_ids = 1;
	}
	return form_page(r, 200, NULL, back, &s, NULL);
}

int
agenda_create_post(struct req *r)
{
	struct form_state s = {0};
	struct event_form_errors errors;
	struct refusal why = {0};
	int64_t now = clock_now_ms();
	const char *back = back_id(r);
	parse_form(r, &s);
	if (agenda_is_collective(agenda_type_parse(s.f.type)))
		s.f.type = "";   /* this form makes RDV only */
	if (agenda_form_check(r->a, &s.f, now, r->user->timezone, &errors))
		return form_page(r, 400, NULL, back, &s, &errors);
	struct event e = {0};
	agenda_form_apply(&s.f, r->user->timezone, &e);
	e.invitation = req_form(r, "invitation") != NULL;
	int rc = agenda_create(db(r), r->a, r->user, now, &e, s.ids, s.n_ids, &why, mailer(r));
	if (rc)
		return refused_form(r, rc, &why, NULL, back, &s);
	const char *to = back ? arena_printf(r->a, "/beneficiaires/%s?onglet=rendez-vous#rendez-vous",
					     back) : event_path(r, e.id);
	return view_redirect_flash(r, to, "rdv-cree", e.id);
}

/* ---- Detail ---- */

static int
add_participants(struct req *r, struct vm *page, const struct event *e)
{
	struct event_participant *p;
	int n = agenda_participants(db(r), r->a, e, &p);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "participants");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "id", p[i].beneficiary_id);
		vm_set_str(o, "name", arena_printf(r->a, "%s %s", p[i].first_name,
						   text_upper(r->a, p[i].last_name)));
	}
	return 0;
}

static int
add_changes(struct req *r, struct vm *page, const struct event *e, bool all)
{
	struct event_change *c;
	int total, n = agenda_changes(db(r), r->a, e, all ? CHANGES_ALL : CHANGES_SHOWN, &c, &total);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "changes");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "date", clock_fr_day(r->a, c[i].at, r->user->timezone));
		vm_set_str(o, "time", clock_fr_time(r->a, c[i].at, r->user->timezone));
		vm_set_str(o, "author", full_name(r, c[i].first_name, c[i].last_name));
	}
	vm_set_bool(page, "more_changes", total > n);
	return 0;
}

/* What the detail and the tab show of @e, in the caller's zone. */
static void
add_event(struct req *r, struct vm *o, const struct event *e)
{
	const char *tz = r->user->timezone;
	vm_set_str(o, "event_id", e->id);
	vm_set_str(o, "event_title", agenda_display_title(r->a, e));
	vm_set_str(o, "type_label", e->type == EVENT_AUTRE && e->precision
					    ? arena_printf(r->a, "Autre : %s", e->precision)
					    : agenda_types[e->type].label);
	vm_set_str_opt(o, "modality", e->modality == MODALITY_NONE ? NULL
						 : agenda_modalities[e->modality].label);
	vm_set_str(o, "day", clock_fr_day(r->a, e->starts_at, tz));
	vm_set_str(o, "hours", agenda_hours_fr(r->a, e->starts_at, e->duration_min, tz));
	vm_set_str(o, "start", clock_fr_time(r->a, e->starts_at, tz));
	vm_set_str(o, "end", clock_fr_time(r->a, agenda_ends_at(e), tz));
	vm_set_str(o, "duration", agenda_duration_fr(r->a, e->duration_min));
	vm_set_str(o, "creator", full_name(r, e->creator_first_name, e->creator_last_name));
	vm_set_bool(o, "mine", !strcmp(e->creator_id, r->user->id));
}

/* The RDV of the path for the caller (agenda_open's rights); an AC is not one. */
static int
open_rdv(struct req *r, bool write, struct event *e, enum authz_level *level)
{
	int rc = agenda_open(db(r), r->a, r->user, req_param(r, "id"), write, e, level);
	return !rc && agenda_is_collective(e->type) ? -ERR_NOTFOUND : rc;
}

int
agenda_detail_page(struct req *r)
{
	struct event e;
	enum authz_level level;
	int rc = open_rdv(r, false, &e, &level);
	if (rc)
		return rc;
	const char *more = req_query(r, "historique");
	struct vm *page = vm_obj(r->a);
	add_event(r, page, &e);
	vm_set_str(page, "title", "Détail du rendez-vous");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "description", e.description);
	vm_set_str(page, "address", e.address);
	vm_set_str(page, "organism", e.organism);
	vm_set_bool(page, "presence", e.presence);
	vm_set_bool(page, "write", level == AUTHZ_WRITE);
	if ((rc = add_participants(r, page, &e)) ||
	    (rc = add_changes(r, page, &e, more && !strcmp(more, "tout"))))
		return rc;
	return view_page(r, 200, "agenda/detail.html", page);
}

/* ---- Edit ---- */

/* The edit form's state of stored @e: its participants split between the caller's
 * (checked in the picker) and the others' (kept). */
static int
stored_state(struct req *r, const struct event *e, struct form_state *s)
{
	struct event_participant *p;
	int n = agenda_participants(db(r), r->a, e, &p);
	if (n < 0)
		return n;
	s->ids = arena_alloc(r->a, sizeof(*s->ids) * (size_t)(n + 1));
	s->kept = arena_alloc(r->a, sizeof(*s->kept) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		if (!strcmp(p[i].counselor_id, r->user->id))
			s->ids[s->n_ids++] = p[i].beneficiary_id;
		else
			s->kept[s->n_kept++] = p[i];
	}
	return 0;
}

static int
open_for_write(struct req *r, struct event *e)
{
	return open_rdv(r, true, e, NULL);
}

int
agenda_edit_page(struct req *r)
{
	struct event e;
	struct form_state s = {0};
	int rc = open_for_write(r, &e);
	if (!rc)
		rc = stored_state(r, &e, &s);
	if (rc)
		return rc;
	agenda_form_of(r->a, &e, r->user->timezone, &s.f);
	return form_page(r, 200, &e, NULL, &s, NULL);
}

/* The fields of the posted form, to post again from the confirmation page. */
static void
add_hidden(struct req *r, struct vm *page, const struct form_state *s)
{
	static const char *const names[] = {"preciser", "titre", "description", "modalite", "date",
					    "heure", "duree", "adresse", "organisme", "presence"};
	struct vm *list = vm_set_list(page, "hidden");
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		const char *v = req_form(r, names[i]);
		if (!v)
			continue;
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "name", names[i]);
		vm_set_str(o, "value", v);
	}
	for (int i = 0; i < s->n_ids; i++) {
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "name", "beneficiaires");
		vm_set_str(o, "value", s->ids[i]);
	}
}

/* §2.1: editing someone else's event asks first; without JavaScript, on a page. */
static int
confirm_page(struct req *r, const struct event *e, const struct form_state *s)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Confirmer la modification");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "event_id", e->id);
	vm_set_str(page, "event_title", agenda_display_title(r->a, e));
	int mails = agenda_invite_on(db(r), e->id);
	if (mails < 0)
		return mails;
	vm_set_bool(page, "mails_creator", mails);
	add_hidden(r, page, s);
	return view_page(r, 200, "agenda/confirm.html", page);
}

int
agenda_edit_post(struct req *r)
{
	struct event before, after = {0};
	struct form_state s = {0}, stored = {0};
	struct event_form_errors errors;
	struct refusal why = {0};
	int64_t now = clock_now_ms();
	int rc = open_for_write(r, &before);
	if (!rc)
		rc = stored_state(r, &before, &stored);
	if (rc)
		return rc;
	parse_form(r, &s);
	s.kept = stored.kept;
	s.n_kept = stored.n_kept;
	s.f.type = agenda_types[before.type].code;   /* locked in edit (§2) */
	s.f.n_beneficiaries += s.n_kept;
	if (agenda_form_check(r->a, &s.f, now, r->user->timezone, &errors))
		return form_page(r, 400, &before, NULL, &s, &errors);
	const char *confirmed = req_form(r, "confirme");
	if (strcmp(before.creator_id, r->user->id) && !(confirmed && !strcmp(confirmed, "1")))
		return confirm_page(r, &before, &s);
	agenda_form_apply(&s.f, r->user->timezone, &after);
	rc = agenda_edit(db(r), r->a, r->user, now, &before, &after, s.ids, s.n_ids, &why,
			 mailer(r));
	if (rc)
		return refused_form(r, rc, &why, &before, NULL, &s);
	return view_redirect_flash(r, event_path(r, before.id), "rdv-modifie", NULL);
}

/* ---- Delete ---- */

int
agenda_delete_page(struct req *r)
{
	struct event e;
	int rc = open_for_write(r, &e);
	if (rc)
		return rc;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Supprimer le rendez-vous");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "event_id", e.id);
	vm_set_str(page, "event_title", agenda_display_title(r->a, &e));
	return view_page(r, 200, "agenda/delete.html", page);
}

/* Where a deletion leads: the fiche of a participant the caller follows, or the
 * portfolio. */
static const char *
after_delete(struct req *r, const struct event *e)
{
	struct event_participant *p;
	int n = agenda_participants(db(r), r->a, e, &p);
	for (int i = 0; i < n; i++)
		if (!strcmp(p[i].counselor_id, r->user->id))
			return arena_printf(r->a, "/beneficiaires/%s?onglet=rendez-vous#rendez-vous",
					    p[i].beneficiary_id);
	return "/portefeuille";
}

int
agenda_delete_post(struct req *r)
{
	struct event e;
	int rc = open_for_write(r, &e);
	if (rc)
		return rc;
	const char *to = after_delete(r, &e);
	if ((rc = agenda_delete(db(r), &e, clock_now_ms(), mailer(r))))
		return rc;
	return view_redirect_flash(r, to, "rdv-supprime", NULL);
}

/* ---- The fiche's tab (§6) ---- */

/* The RDV of the fiche's beneficiary from today on, soonest first: Horaires et durée ·
 * Titre et modalité · Créé par · Présence. */
int
agenda_record_tab(struct req *r, const struct record *rec, bool can_write, int64_t now,
		  struct vm *page)
{
	const char *tz = r->user->timezone;
	int64_t today = clock_day_at(clock_day_of(now, tz), 0, 0, tz);
	struct event *list;
	int *present;
	int n = agenda_of_beneficiary(db(r), r->a, rec->id, today, &list, &present);
	if (n < 0)
		return n;
	struct vm *tab = vm_set_obj(page, "rdv");
	vm_set_int(tab, "total", n);
	vm_set_str(tab, "first_name", rec->first_name);
	vm_set_str(tab, "id", rec->id);
	vm_set_bool(tab, "write", can_write);
	struct vm *rows = vm_set_list(tab, "rows");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(rows);
		add_event(r, o, &list[i]);
		vm_set_str_opt(o, "present", present[i] < 0 ? NULL
					     : present[i] ? "Présent" : "Absent");
	}
	return 0;
}
