/* agenda_web.c — the counselor's pages on rendez-vous (RDV) and animations collectives
 * (AC): parse, open with the caller's rights (agenda_open), call the use case, render. Both
 * kinds share one form, one detail and one path per page; a struct kind holds what differs
 * (paths, words, flashes). Every page works without JavaScript: the confirmation of an
 * edit of someone else's event is a page of its own, the picker's search a submit. */
#include "agenda/agenda_web.h"

#include "actions/actions.h"
#include "agenda/agenda_ac.h"
#include "agenda/agenda_close_web.h"
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
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define PICK_MAX 1000          /* beneficiaries one form may post */
#define SEARCH_TOKENS 5
#define CHANGES_SHOWN 2        /* "Historique des modifications": the 2 latest (§2.1) */
#define CHANGES_ALL 1000       /* kept one year: never near this */

static const char *
full_name(struct req *r, const char *first, const char *last)
{
	return arena_printf(r->a, "%s %s", first, last);
}

/* What differs between the pages of a RDV and those of an AC. */
struct kind {
	bool collective;
	const char *base;             /* the pages' path, "/agenda/rendez-vous" */
	const char *nav;              /* the side menu's entry */
	const char *create, *edit, *detail, *remove;   /* the pages' titles */
	const char *submit;           /* "Créer le rendez-vous" */
	const char *the, *of, *to;    /* "le rendez-vous", "du rendez-vous", "au rendez-vous" */
	const char *created, *edited, *deleted;   /* flash codes (agenda_feature.c) */
};

static const struct kind RDV = {
	false, "/agenda/rendez-vous", "portefeuille", "Créer un rendez-vous",
	"Modifier le rendez-vous", "Détail du rendez-vous", "Supprimer le rendez-vous",
	"Créer le rendez-vous", "le rendez-vous", "du rendez-vous", "au rendez-vous",
	"rdv-cree", "rdv-modifie", "rdv-supprime",
};

static const struct kind AC = {
	true, "/agenda/animations-collectives", "agenda", "Créer une animation collective",
	"Modifier l’animation collective", "Détail de l’animation collective",
	"Supprimer l’animation collective", "Créer l’animation collective",
	"l’animation collective", "de l’animation collective", "à l’animation collective",
	"ac-creee", "ac-modifiee", "ac-supprimee",
};

static const char *
event_path(struct req *r, const struct kind *k, const char *id)
{
	return arena_printf(r->a, "%s/%s", k->base, id);
}

static const char *
fiche_tab(struct req *r, const char *beneficiary_id)
{
	return arena_printf(r->a, "/beneficiaires/%s?onglet=rendez-vous#rendez-vous", beneficiary_id);
}

/* What every page of @k shows of its kind. */
static void
add_kind(struct vm *page, const struct kind *k)
{
	vm_set_bool(page, "ac", k->collective);
	vm_set_str(page, "base", k->base);
	vm_set_str(page, "nav", k->nav);
	vm_set_str(page, "the", k->the);
	vm_set_str(page, "of", k->of);
	vm_set_str(page, "to", k->to);
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
	const char *search;            /* "Rechercher un bénéficiaire", as typed */
};

static void
parse_form(struct req *r, struct form_state *s)
{
	s->ids = arena_alloc(r->a, sizeof(*s->ids) * PICK_MAX);
	s->n_ids = req_form_all(r, "beneficiaires", s->ids, PICK_MAX);
	s->search = text_trim(r->a, req_form(r, "recherche"));
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
		.limited = req_form(r, "limite") != NULL,
		.max = text_trim(r->a, req_form(r, "maximum")),
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

/* The picker's "Rechercher" was pressed: the form comes back with the list searched,
 * nothing checked nor stored. */
static bool
searching(struct req *r)
{
	return req_form(r, "chercher") != NULL;
}

static void
add_choices(struct vm *page, const struct kind *k, const struct event_form *f)
{
	struct vm *types = vm_set_list(page, "types");
	for (int i = 0; i < EVENT_TYPE_COUNT; i++) {
		if (agenda_types[i].collective != k->collective || agenda_types[i].synced)
			continue;   /* ATELIER and INFORMATION_COLLECTIVE are the AC's only */
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

/* One row of the picker, with its sort key ("last first", folded). */
struct pick {
	struct agenda_person p;
	const char *key;
};

struct picks {
	struct pick *rows;
	int n, cap;
};

static void
picks_add(struct req *r, struct picks *l, const struct agenda_person *p)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->rows[i].p.id, p->id))
			return;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		struct pick *more = arena_alloc(r->a, sizeof(*more) * (size_t)cap);
		if (l->n)
			memcpy(more, l->rows, sizeof(*more) * (size_t)l->n);
		l->rows = more;
		l->cap = cap;
	}
	l->rows[l->n++] = (struct pick){*p, text_fold(r->a, arena_printf(r->a, "%s %s %s",
					p->last_name, p->first_name, p->id))};
}

static int
pick_cmp(const void *x, const void *y)
{
	return strcmp(((const struct pick *)x)->key, ((const struct pick *)y)->key);
}

/* Who the picker lists: the chosen ones (an AC's may be of the whole structure), then the
 * caller's portfolio, narrowed by the search; an AC's search also looks through the
 * structure (agenda.md §2 "AC: 0..n of the structure"). By name. */
static int
collect_picks(struct req *r, const struct kind *k, const struct form_state *s, struct picks *l)
{
	struct agenda_person *mine, *found;
	int n_mine = agenda_portfolio(db(r), r->a, r->user->id, &mine);
	if (n_mine < 0)
		return n_mine;
	const char *tokens[SEARCH_TOKENS];
	int n_tokens = s->search ? text_search_tokens(r->a, s->search, tokens, SEARCH_TOKENS) : 0;
	for (int i = 0; k->collective && i < s->n_ids; i++) {
		struct agenda_person p;
		int rc = agenda_person(db(r), r->a, r->user->structure_id, s->ids[i], &p);
		if (rc && rc != -ERR_NOTFOUND)
			return rc;
		if (!rc)
			picks_add(r, l, &p);
	}
	for (int i = 0; i < n_mine; i++)
		if (checked(s, mine[i].id) || agenda_person_matches(r->a, &mine[i], tokens, n_tokens))
			picks_add(r, l, &mine[i]);
	if (k->collective && n_tokens > 0) {
		int n = agenda_structure_search(db(r), r->a, r->user->structure_id, s->search, &found);
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			picks_add(r, l, &found[i]);
	}
	if (l->n)
		qsort(l->rows, (size_t)l->n, sizeof(*l->rows), pick_cmp);
	return 0;
}

/* The picker: checkboxes of collect_picks, and the participants an edit keeps. */
static int
add_picker(struct req *r, struct vm *page, const struct kind *k, const struct form_state *s)
{
	struct picks l = {0};
	int rc = collect_picks(r, k, s, &l);
	if (rc)
		return rc;
	struct vm *list = vm_set_list(page, "people");
	int chosen = s->n_kept;   /* what the page shows checked, not what was asked */
	int others = 0;           /* listed and not checked: what a search found */
	for (int i = 0; i < l.n; i++) {
		const struct agenda_person *p = &l.rows[i].p;
		struct vm *o = vm_push_obj(list);
		bool on = checked(s, p->id), mine = !strcmp(p->counselor_id, r->user->id);
		vm_set_str(o, "id", p->id);
		vm_set_str(o, "name", arena_printf(r->a, "%s %s", text_upper(r->a, p->last_name),
						   p->first_name));
		vm_set_bool(o, "checked", on);
		vm_set_bool(o, "mine", mine);
		vm_set_bool(o, "outsider", !mine);
		chosen += on;
		others += !on;
	}
	struct vm *kept = vm_set_list(page, "kept");
	for (int i = 0; i < s->n_kept; i++)
		vm_push_str(kept, arena_printf(r->a, "%s %s", text_upper(r->a, s->kept[i].last_name),
					       s->kept[i].first_name));
	vm_set_int(page, "chosen", chosen);
	vm_set_str_opt(page, "search", s->search);
	bool searched = s->search && *s->search;
	vm_set_bool(page, "searched", searched);
	/* "Aucun bénéficiaire ne correspond…" even when the chosen ones stay listed. */
	vm_set_bool(page, "none", searched ? others == 0 : l.n == 0);
	return 0;
}

static struct vm *
form_errors(struct req *r, const struct event_form_errors *e)
{
	const struct view_field_error fields[] = {
		{"type", "type", e->type}, {"precision", "preciser", e->precision},
		{"title", "titre", e->title}, {"description", "description", e->description},
		{"beneficiaries", "beneficiaires", e->beneficiaries},
		{"max", "maximum", e->max},
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
	vm_set_bool(page, "limited", f->limited);
	vm_set_str_opt(page, "max", f->max);
	vm_set_str_opt(page, "end", form_end(r, f));
	vm_set_bool(page, "other", f->type && !strcmp(f->type, "AUTRE"));
	vm_set_int(page, "text_max", AGENDA_TEXT_MAX);
	int64_t first, last;
	action_date_window(clock_now_ms(), r->user->timezone, &first, &last);
	vm_set_str(page, "min", clock_day_iso(r->a, first));
	vm_set_str(page, "max_date", clock_day_iso(r->a, last));
}

/* The fiche the form came from, when it is a live beneficiary of the caller's structure:
 * the breadcrumb names it, "Annuler" and the save lead back to it. NULL otherwise. */
static const char *
back_name(struct req *r, const char *back)
{
	struct agenda_person p;
	if (!back || agenda_person(db(r), r->a, r->user->structure_id, back, &p))
		return NULL;
	return full_name(r, p.first_name, p.last_name);
}

/* Renders the form of @k: @e NULL for a creation; @back the fiche it came from (may be
 * NULL). */
static int
form_page(struct req *r, int status, const struct kind *k, const struct event *e,
	  const char *back, const struct form_state *s, const struct event_form_errors *errors)
{
	struct vm *page = vm_obj(r->a);
	const char *who = back_name(r, back);
	if (!who)
		back = NULL;
	add_kind(page, k);
	vm_set_str(page, "title", e ? k->edit : k->create);
	vm_set_str(page, "submit", e ? "Enregistrer les modifications" : k->submit);
	vm_set_str(page, "action", e ? arena_printf(r->a, "%s/%s/modifier", k->base, e->id)
				     : arena_printf(r->a, "%s/nouveau", k->base));
	vm_set_str(page, "leave", e ? "Souhaitez-vous quitter la modification de l’événement ? "
				      "Les informations saisies seront perdues."
				    : "Souhaitez-vous quitter la création de l’événement ? "
				      "Les informations saisies seront perdues.");
	vm_set_str_opt(page, "event_id", e ? e->id : NULL);
	vm_set_str_opt(page, "type_label", e ? agenda_types[e->type].label : NULL);
	/* The type is locked in edit: no script has a select to watch (§2 "forced Oui"). */
	vm_set_bool(page, "presence_forced", e && e->type == EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER);
	vm_set_str_opt(page, "back", back);
	vm_set_str_opt(page, "back_name", who);
	/* The invitation's switch (creation only): off unless posted back with an error. */
	vm_set_bool(page, "invitation", !e && req_form(r, "invitation"));
	vm_set_str_opt(page, "own_email", r->user->email && *r->user->email ? r->user->email : NULL);
	vm_set_str(page, "cancel", back ? arena_printf(r->a, "/beneficiaires/%s", back)
				   : e ? event_path(r, k, e->id)
				   : k->collective ? "/agenda" : "/portefeuille");
	add_choices(page, k, &s->f);
	add_fields(r, page, &s->f);
	int rc = add_picker(r, page, k, s);
	if (rc)
		return rc;
	vm_set(page, "errors", errors ? form_errors(r, errors) : NULL);
	return view_page(r, status, "agenda/form.html", page);
}

/* The form again with the use case's refusal beside its field; a refusal of the whole
 * request (an AC without a structure) on a page of its own. */
static int
refused_form(struct req *r, int rc, const struct refusal *why, const struct kind *k,
	     const struct event *e, const char *back, const struct form_state *s)
{
	if (!why->message)
		return rc;
	if (why->status == 409)   /* a closed AC: no field to fix (scenario 6) */
		return view_refusal(r, why, k->nav, event_path(r, k, e->id), "Retour à l’événement");
	if (!why->field)
		return view_refusal(r, why, k->nav, k->collective ? "/agenda" : "/portefeuille",
				    "Retour");
	struct event_form_errors errors = {.count = 1};
	if (!strcmp(why->field, "maximum"))
		errors.max = why->message;
	else
		errors.beneficiaries = why->message;
	return form_page(r, 400, k, e, back, s, &errors);
}

static int
new_page(struct req *r, const struct kind *k)
{
	const char *back = back_id(r);
	enum event_type type = k->collective ? EVENT_ATELIER : EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER;
	struct form_state s = {.f = {.type = agenda_types[type].code, .presence = true}};
	if (back) {
		s.ids = arena_alloc(r->a, sizeof(*s.ids));
		s.ids[0] = back;
		s.n_ids = 1;
	}
	return form_page(r, 200, k, NULL, back, &s, NULL);
}

static int
create_post(struct req *r, const struct kind *k)
{
	struct form_state s = {0};
	struct event_form_errors errors;
	struct refusal why = {0};
	int64_t now = clock_now_ms();
	const char *back = back_id(r);
	parse_form(r, &s);
	int type = agenda_type_parse_form(s.f.type);
	if (type >= 0 && agenda_is_collective(type) != k->collective)
		s.f.type = "";   /* each form makes its own kind */
	if (searching(r))
		return form_page(r, 200, k, NULL, back, &s, NULL);
	if (agenda_form_check(r->a, &s.f, now, r->user->timezone, &errors))
		return form_page(r, 400, k, NULL, back, &s, &errors);
	struct event e = {0};
	agenda_form_apply(&s.f, r->user->timezone, &e);
	e.invitation = req_form(r, "invitation") != NULL;
	int rc = agenda_create(db(r), r->a, r->user, now, &e, s.ids, s.n_ids, &why, mailer(r));
	if (rc)
		return refused_form(r, rc, &why, k, NULL, back, &s);
	const char *to = back ? fiche_tab(r, back) : event_path(r, k, e.id);
	return view_redirect_flash(r, to, k->created, e.id);
}

int
agenda_new_page(struct req *r)
{
	return new_page(r, &RDV);
}

int
agenda_create_post(struct req *r)
{
	return create_post(r, &RDV);
}

int
agenda_ac_new_page(struct req *r)
{
	return new_page(r, &AC);
}

int
agenda_ac_create_post(struct req *r)
{
	return create_post(r, &AC);
}

/* ---- Detail ---- */

/* The participants; an AC's are its registrants, counted against its maximum: "2 inscrits
 * / 10" (§2). */
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
	const char *count = arena_printf(r->a, "%d %s", n, n > 1 ? "inscrits" : "inscrit");
	if (e->max_participants > 0)
		count = arena_printf(r->a, "%s / %d", count, e->max_participants);
	vm_set_str(page, "registrants", count);
	vm_set_bool(page, "full", !agenda_ac_fits(e->max_participants, n + 1));
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
	const struct kind *k = agenda_is_collective(e->type) ? &AC : &RDV;
	vm_set_str(o, "event_path", event_path(r, k, e->id));
	vm_set_str(o, "of", k->of);
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
	vm_set_bool(o, "mine", e->creator_id && !strcmp(e->creator_id, r->user->id));
	vm_set_bool(o, "imilo", agenda_is_imilo(e));   /* "Non modifiable" (§2.3) */
}

/* The event of the path for the caller (agenda_open's rights), when it is of kind @k: a
 * RDV is not found at an AC's address, nor the reverse. */
static int
open_kind(struct req *r, const struct kind *k, bool write, struct event *e,
	  enum authz_level *level)
{
	int rc = agenda_open(db(r), r->a, r->user, req_param(r, "id"), write, e, level);
	return !rc && agenda_is_collective(e->type) != k->collective ? -ERR_NOTFOUND : rc;
}

static int
detail_page(struct req *r, const struct kind *k)
{
	struct event e;
	enum authz_level level;
	int rc = open_kind(r, k, false, &e, &level);
	if (rc)
		return rc;
	const char *more = req_query(r, "historique");
	struct vm *page = vm_obj(r->a);
	add_event(r, page, &e);
	add_kind(page, k);
	vm_set_str(page, "title", k->detail);
	vm_set_str(page, "description", e.description);
	vm_set_str(page, "address", e.address);
	vm_set_str(page, "organism", e.organism);
	vm_set_bool(page, "presence", e.presence);
	vm_set_bool(page, "write", level == AUTHZ_WRITE);
	if (k->collective)
		vm_set_str(page, "status", agenda_ac_status_label(agenda_ac_status(&e, clock_now_ms())));
	if ((rc = add_participants(r, page, &e)) ||
	    (rc = agenda_close_detail(r, page, &e)) ||
	    (rc = add_changes(r, page, &e, more && !strcmp(more, "tout"))))
		return rc;
	return view_page(r, 200, "agenda/detail.html", page);
}

int
agenda_detail_page(struct req *r)
{
	return detail_page(r, &RDV);
}

int
agenda_ac_detail_page(struct req *r)
{
	return detail_page(r, &AC);
}

/* ---- Edit ---- */

/* The edit form's state of stored @e. A RDV's participants split between the caller's
 * (checked in the picker) and the others' (kept); every registrant of an AC is the
 * caller's to manage. */
static int
stored_state(struct req *r, const struct event *e, struct form_state *s)
{
	struct event_participant *p;
	int n = agenda_participants(db(r), r->a, e, &p);
	if (n < 0)
		return n;
	s->ids = arena_alloc(r->a, sizeof(*s->ids) * (size_t)(n + 2));
	s->kept = arena_alloc(r->a, sizeof(*s->kept) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		if (agenda_is_collective(e->type) || !strcmp(p[i].counselor_id, r->user->id))
			s->ids[s->n_ids++] = p[i].beneficiary_id;
		else
			s->kept[s->n_kept++] = p[i];
	}
	return 0;
}

static int
edit_page(struct req *r, const struct kind *k)
{
	struct event e;
	struct form_state s = {0};
	int rc = open_kind(r, k, true, &e, NULL);
	if (!rc)
		rc = stored_state(r, &e, &s);
	if (rc)
		return rc;
	agenda_form_of(r->a, &e, r->user->timezone, &s.f);
	/* "Inscrire à une animation collective" opens the AC with the fiche's beneficiary
	 * checked: nothing is stored until the counselor saves (agenda_edit). */
	const char *back = k->collective ? back_id(r) : NULL;
	if (back && !checked(&s, back))
		s.ids[s.n_ids++] = back;
	return form_page(r, 200, k, &e, back, &s, NULL);
}

int
agenda_edit_page(struct req *r)
{
	return edit_page(r, &RDV);
}

int
agenda_ac_edit_page(struct req *r)
{
	return edit_page(r, &AC);
}

/* The fields of the posted form, to post again from the confirmation page. */
static void
add_hidden(struct req *r, struct vm *page, const struct form_state *s)
{
	static const char *const names[] = {"preciser", "titre", "description", "modalite", "date",
					    "heure", "duree", "adresse", "organisme", "presence",
					    "limite", "maximum", "retour"};
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
confirm_page(struct req *r, const struct kind *k, const struct event *e,
	     const struct form_state *s)
{
	struct vm *page = vm_obj(r->a);
	add_kind(page, k);
	vm_set_str(page, "title", "Confirmer la modification");
	vm_set_str(page, "event_id", e->id);
	vm_set_str(page, "event_title", agenda_display_title(r->a, e));
	int mails = agenda_invite_on(db(r), e->id);
	if (mails < 0)
		return mails;
	vm_set_bool(page, "mails_creator", mails);
	add_hidden(r, page, s);
	return view_page(r, 200, "agenda/confirm.html", page);
}

static int
edit_post(struct req *r, const struct kind *k)
{
	struct event before, after = {0};
	struct form_state s = {0}, stored = {0};
	struct event_form_errors errors;
	struct refusal why = {0};
	int64_t now = clock_now_ms();
	const char *back = k->collective ? back_id(r) : NULL;
	int rc = open_kind(r, k, true, &before, NULL);
	if (!rc)
		rc = stored_state(r, &before, &stored);
	if (rc)
		return rc;
	parse_form(r, &s);
	s.kept = stored.kept;
	s.n_kept = stored.n_kept;
	s.f.type = agenda_types[before.type].code;   /* locked in edit (§2) */
	s.f.n_beneficiaries += s.n_kept;
	if (searching(r))
		return form_page(r, 200, k, &before, back, &s, NULL);
	if (agenda_form_check(r->a, &s.f, now, r->user->timezone, &errors))
		return form_page(r, 400, k, &before, back, &s, &errors);
	const char *confirmed = req_form(r, "confirme");
	if (strcmp(before.creator_id, r->user->id) && !(confirmed && !strcmp(confirmed, "1")))
		return confirm_page(r, k, &before, &s);
	agenda_form_apply(&s.f, r->user->timezone, &after);
	rc = agenda_edit(db(r), r->a, r->user, now, &before, &after, s.ids, s.n_ids, &why,
			 mailer(r));
	if (rc)
		return refused_form(r, rc, &why, k, &before, back, &s);
	const char *to = back && back_name(r, back) ? fiche_tab(r, back) : event_path(r, k, before.id);
	/* An AC's flash links to its detail: the save may lead back to the fiche. */
	return view_redirect_flash(r, to, k->edited, k->collective ? before.id : NULL);
}

int
agenda_edit_post(struct req *r)
{
	return edit_post(r, &RDV);
}

int
agenda_ac_edit_post(struct req *r)
{
	return edit_post(r, &AC);
}

/* ---- Delete ---- */

static int
delete_page(struct req *r, const struct kind *k)
{
	struct event e;
	int rc = open_kind(r, k, true, &e, NULL);
	if (rc)
		return rc;
	struct vm *page = vm_obj(r->a);
	add_kind(page, k);
	vm_set_str(page, "title", k->remove);
	vm_set_str(page, "event_id", e.id);
	vm_set_str(page, "event_title", agenda_display_title(r->a, &e));
	return view_page(r, 200, "agenda/delete.html", page);
}

int
agenda_delete_page(struct req *r)
{
	return delete_page(r, &RDV);
}

int
agenda_ac_delete_page(struct req *r)
{
	return delete_page(r, &AC);
}

/* Where a deletion leads: for a RDV, the fiche of a participant the caller follows, or the
 * portfolio; for an AC, the agenda of the Mission Locale (agenda.md §3). */
static const char *
after_delete(struct req *r, const struct kind *k, const struct event *e)
{
	if (k->collective)
		return "/agenda?onglet=mission-locale";
	struct event_participant *p;
	int n = agenda_participants(db(r), r->a, e, &p);
	for (int i = 0; i < n; i++)
		if (!strcmp(p[i].counselor_id, r->user->id))
			return fiche_tab(r, p[i].beneficiary_id);
	return "/portefeuille";
}

static int
delete_post(struct req *r, const struct kind *k)
{
	struct event e;
	int rc = open_kind(r, k, true, &e, NULL);
	if (rc)
		return rc;
	const char *to = after_delete(r, k, &e);
	struct refusal why = {0};
	if ((rc = agenda_delete(db(r), clock_now_ms(), &e, &why, mailer(r))))
		return why.message ? view_refusal(r, &why, k->nav, event_path(r, k, e.id),
						  "Retour à l’événement") : rc;
	return view_redirect_flash(r, to, k->deleted, NULL);
}

int
agenda_delete_post(struct req *r)
{
	return delete_post(r, &RDV);
}

int
agenda_ac_delete_post(struct req *r)
{
	return delete_post(r, &AC);
}

/* ---- The fiche's tab (§6) ---- */

/* The events of the fiche's beneficiary (RDV, AC they are registered to) from today on,
 * soonest first: Horaires et durée ·
 * Titre et modalité · Créé par · Présence. */
int
agenda_record_tab(struct req *r, const struct record *rec, bool can_write, int64_t now,
		  struct vm *page)
{
	/* The tab bar shows the count on every fiche; the rows only when the tab is open. */
	const char *open = req_query(r, "onglet");
	bool shown = open && !strcmp(open, "rendez-vous");
	struct event *list = NULL;
	int *present = NULL;
	int n = shown ? agenda_of_beneficiary(db(r), r->a, rec->id, now, &list, &present)
		      : agenda_count_of_beneficiary(db(r), rec->id);
	if (n < 0)
		return n;
	struct vm *tab = vm_set_obj(page, "rdv");
	vm_set_int(tab, "total", n);
	vm_set_str(tab, "first_name", rec->first_name);
	vm_set_str(tab, "id", rec->id);
	vm_set_bool(tab, "write", can_write);
	/* "Inscrire à une animation collective": the AC of the caller's structure (§1). */
	vm_set_bool(tab, "enroll", can_write && r->user->structure_id && rec->structure_id &&
				   !strcmp(r->user->structure_id, rec->structure_id));
	struct vm *rows = vm_set_list(tab, "rows");
	for (int i = 0; shown && i < n; i++) {
		struct vm *o = vm_push_obj(rows);
		add_event(r, o, &list[i]);
		vm_set_str_opt(o, "present", present[i] < 0 ? NULL
					     : present[i] ? "Présent" : "Absent");
	}
	return 0;
}
