/* sessions_web.c — the session page (agenda.md §5.2–§5.4): parse, call the use case
 * (sessions_use.h), render. Without JavaScript the registrations are staged through the
 * server: the pending changes travel in the form as hidden fields (ajout, modif,
 * commentaire-{instance}) and every step re-renders the page with them; nothing is kept
 * between requests. */
#include "sessions/sessions_web.h"
#include "sessions/sessions_agenda.h"
#include "sessions/sessions_signin.h"
#include "sessions/sessions_use.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/text.h"
#include "core/ctx.h"
#include "db/db.h"
#include "http/http.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <stdlib.h>
#include <string.h>

#define STAGED_MAX 200         /* changes one form may carry */
#define SEARCH_RESULTS 20
#define BLANK_ROWS 5

static const char *const IMILO_DOWN_WRITE =
	"i-milo ne répond pas pour le moment. Aucune modification n'a été enregistrée. Réessayez "
	"dans quelques minutes.";
static const char *const PARTIAL =
	"Certaines modifications n'ont pas pu être enregistrées dans i-milo. Vérifiez la liste "
	"des inscrits puis réessayez.";
static const char *const NO_PLACE =
	"Il n'y a plus assez de places disponibles pour cette session.";
static const char *const DEADLINE =
	"Les inscriptions ne sont plus possibles car la date limite est atteinte.";

static const char *
session_path(struct req *r, const char *id)
{
	return arena_printf(r->a, "/agenda/sessions/%s", id);
}

static int
load(struct req *r, struct session_view *v)
{
	return sessions_view(req_ctx(r)->imilo, ctx_db(r), r->a, r->user, req_param(r, "id"),
			     clock_now_ms(), v);
}

/* ---- The staged changes carried by the form ---- */

struct staging {
	const char **adds;         /* beneficiary ids */
	int n_adds;
	struct mod {
		const char *instance;
		enum stage_action action;
		const char *comment;
	} *mods;
	int n_mods;
};

static const struct {
	const char *code;
	enum stage_action action;
} motives[] = {
	{"erreur", STAGE_DELETE},
	{"tiers", STAGE_REFUSAL},
	{"jeune", STAGE_REFUSAL_YOUNG},
	{"reinscrire", STAGE_REREGISTER},
};

static enum stage_action
motive_action(const char *code)
{
	for (size_t i = 0; code && i < sizeof(motives) / sizeof(*motives); i++)
		if (!strcmp(code, motives[i].code))
			return motives[i].action;
	return STAGE_NONE;
}

static const char *
motive_code(enum stage_action a)
{
	for (size_t i = 0; i < sizeof(motives) / sizeof(*motives); i++)
		if (motives[i].action == a)
			return motives[i].code;
	return "";
}

static const struct imilo_instance *
find_reg(const struct session_view *v, const char *instance)
{
	for (int i = 0; instance && i < v->n_regs; i++)
		if (!strcmp(v->regs[i].id, instance))
			return &v->regs[i];
	return NULL;
}

static struct mod *
find_mod(struct staging *s, const char *instance)
{
	for (int i = 0; i < s->n_mods; i++)
		if (!strcmp(s->mods[i].instance, instance))
			return &s->mods[i];
	return NULL;
}

static void
set_mod(struct staging *s, const char *instance, enum stage_action a, const char *comment)
{
	struct mod *m = find_mod(s, instance);
	if (!m && s->n_mods < STAGED_MAX)
		m = &s->mods[s->n_mods++];
	if (m)
		*m = (struct mod){instance, a, comment};
}

static void
drop_mod(struct staging *s, const char *instance)
{
	struct mod *m = find_mod(s, instance);
	if (m)
		*m = s->mods[--s->n_mods];
}

static bool
has_add(const struct staging *s, const char *id)
{
	for (int i = 0; i < s->n_adds; i++)
		if (!strcmp(s->adds[i], id))
			return true;
	return false;
}

/* The form's pending changes, kept only when they still apply to the rows of @v. */
static void
parse_staging(struct req *r, const struct session_view *v, struct staging *s)
{
	const char **raw = arena_alloc(r->a, sizeof(*raw) * STAGED_MAX);
	s->adds = arena_alloc(r->a, sizeof(*s->adds) * (STAGED_MAX + 1));
	s->mods = arena_alloc(r->a, sizeof(*s->mods) * (STAGED_MAX + 1));
	s->n_adds = s->n_mods = 0;
	int n = req_form_all(r, "ajout", raw, STAGED_MAX);
	for (int i = 0; i < n; i++)
		if (!has_add(s, raw[i]))
			s->adds[s->n_adds++] = raw[i];
	n = req_form_all(r, "modif", raw, STAGED_MAX);
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(raw[i], ':');
		if (!colon)
			continue;
		const char *instance = arena_strndup(r->a, raw[i], (size_t)(colon - raw[i]));
		enum stage_action a = motive_action(colon + 1);
		if (a == STAGE_NONE || !find_reg(v, instance))
			continue;
		const char *comment = a == STAGE_REFUSAL_YOUNG
			? req_form(r, arena_printf(r->a, "commentaire-%s", instance)) : NULL;
		set_mod(s, instance, a, comment);
	}
}

/* The added beneficiaries as candidates of the caller's structure: an id of another
 * structure, or of no live account, is refused (-ERR_INVAL). */
static int
added_people(struct req *r, const struct staging *s, struct session_candidate **out)
{
	*out = arena_alloc(r->a, sizeof(**out) * (size_t)(s->n_adds + 1));
	for (int i = 0; i < s->n_adds; i++) {
		int rc = sessions_store_candidate(ctx_db(r), r->a, r->user->structure_id, s->adds[i],
						  &(*out)[i]);
		if (rc)
			return rc == -ERR_NOTFOUND ? -ERR_INVAL : rc;
	}
	return 0;
}

static bool
dossier_registered(const struct session_view *v, const char *dossier)
{
	for (int i = 0; i < v->n_regs; i++)
		if (v->regs[i].dossier_id && !strcmp(v->regs[i].dossier_id, dossier))
			return true;
	return false;
}

/* @s as the use case's changes (mods, then adds). Count. */
static int
staged_changes(const struct session_view *v, const struct staging *s,
	       const struct session_candidate *people, struct staged *out)
{
	int n = 0;
	for (int i = 0; i < s->n_mods; i++) {
		const struct imilo_instance *p = find_reg(v, s->mods[i].instance);
		out[n++] = (struct staged){{p->statut, s->mods[i].action, s->mods[i].comment}, p, NULL};
	}
	for (int i = 0; i < s->n_adds; i++)
		out[n++] = (struct staged){{NULL, STAGE_CREATE, NULL}, NULL, &people[i]};
	return n;
}

static int
remaining(const struct session_view *v, const struct staging *s)
{
	struct stage_change *c = g_newa(struct stage_change, (size_t)(s->n_mods + s->n_adds + 1));
	int n = 0;
	for (int i = 0; i < s->n_mods; i++)
		c[n++] = (struct stage_change){find_reg(v, s->mods[i].instance)->statut,
					       s->mods[i].action, s->mods[i].comment};
	for (int i = 0; i < s->n_adds; i++)
		c[n++] = (struct stage_change){NULL, STAGE_CREATE, NULL};
	return sessions_remaining(v->s.places, c, n);
}

/* ---- Rendering ---- */

static void
set_text(struct vm *o, const char *key, const char *s)
{
	if (s && *s)
		vm_set_str(o, key, s);
	else
		vm_set_null(o, key);
}

static const char *
when(struct req *r, int64_t t)
{
	const char *tz = r->user->timezone;
	return arena_printf(r->a, "%s à %s", clock_fr_day(r->a, t, tz), clock_fr_time(r->a, t, tz));
}

static const char *
person_name(struct req *r, const char *first, const char *last)
{
	return arena_printf(r->a, "%s %s", first ? first : "", text_upper(r->a, last ? last : ""));
}

static void
add_infos(struct req *r, struct vm *page, const struct session_view *v)
{
	const struct imilo_session *s = &v->s;
	struct vm *o = vm_set_obj(page, "offre");
	set_text(o, "titre", s->offre.nom);
	set_text(o, "type", s->offre.type && !strcmp(s->offre.type, "WORKSHOP") ? "Atelier"
			    : s->offre.type ? "Information collective" : NULL);
	set_text(o, "theme", s->offre.theme);
	set_text(o, "description", s->offre.description);
	set_text(o, "partenaire", s->offre.partenaire);
	o = vm_set_obj(page, "session");
	set_text(o, "nom", s->nom);
	vm_set_str(o, "debut", when(r, s->starts_at));
	vm_set_str(o, "fin", when(r, s->ends_at));
	set_text(o, "date_limite", s->date_max ? clock_fr_date(r->a, s->date_max) : NULL);
	set_text(o, "animateur", s->animateur);
	set_text(o, "lieu", s->lieu);
	set_text(o, "commentaire", s->commentaire);
}

static void
add_places(struct vm *page, int left)
{
	vm_set_bool(page, "places_shown", left >= 0);
	vm_set_bool(page, "places_zero", left <= 0);
	if (left < 0)
		vm_set_null(page, "places_text");
	else
		vm_set_strf(page, "places_text", "%d %s", left > 0 ? left : 0,
			    left > 1 ? "places restantes" : "place restante");
}

/* What the registrations block needs beyond the rows: the dialog, the search, errors. */
struct form_state {
	const char *q;                 /* the search, NULL: none made */
	const char *dialog;            /* instance whose unregister dialog is open */
	const char *dialog_motive, *dialog_comment;
	bool dialog_error;
	const char *error;             /* the alert above the form */
};

static void
add_row_state(struct req *r, struct vm *o, const struct imilo_instance *p, const struct mod *m,
	      bool open)
{
	const char *label = sessions_statut_label(p->statut);
	bool participant = sessions_statut_is_participant(p->statut);
	vm_set_str(o, "instance", p->id);
	vm_set_str(o, "name", person_name(r, p->first_name, p->last_name));
	vm_set_str(o, "statut", label);
	vm_set_bool(o, "unknown", !sessions_statut_is_known(p->statut));
	vm_set_bool(o, "staged", m != NULL);
	if (m)
		vm_set_str(o, "staged_label",
			   m->action == STAGE_DELETE ? "Désinscription à enregistrer"
			   : m->action == STAGE_REFUSAL ? "Refus tiers à enregistrer"
			   : m->action == STAGE_REFUSAL_YOUNG ? "Refus jeune à enregistrer"
							      : "Réinscription à enregistrer");
	else
		vm_set_null(o, "staged_label");
	vm_set_bool(o, "can_unregister", !m && participant);
	vm_set_bool(o, "can_reregister", !m && !participant && open);
}

static void
add_hidden(struct vm *page, const struct staging *s)
{
	struct vm *adds = vm_set_list(page, "hidden_adds");
	for (int i = 0; i < s->n_adds; i++)
		vm_push_str(adds, s->adds[i]);
	struct vm *mods = vm_set_list(page, "hidden_mods");
	for (int i = 0; i < s->n_mods; i++) {
		struct vm *o = vm_push_obj(mods);
		vm_set_strf(o, "value", "%s:%s", s->mods[i].instance, motive_code(s->mods[i].action));
		vm_set_str(o, "instance", s->mods[i].instance);
		set_text(o, "comment", s->mods[i].comment);
	}
}

static void
add_dialog(struct req *r, struct vm *page, const struct session_view *v,
	   const struct form_state *f)
{
	const struct imilo_instance *p = find_reg(v, f->dialog);
	if (!p) {
		vm_set_null(page, "dialog");
		return;
	}
	struct vm *o = vm_set_obj(page, "dialog");
	vm_set_str(o, "instance", p->id);
	vm_set_strf(o, "question", "Vous souhaitez désinscrire %s de %s",
		    person_name(r, p->first_name, p->last_name), v->s.nom ? v->s.nom : "la session");
	vm_set_bool(o, "error", f->dialog_error);
	const char *m = f->dialog_motive ? f->dialog_motive : "";
	vm_set_bool(o, "erreur", !strcmp(m, "erreur"));
	vm_set_bool(o, "tiers", !strcmp(m, "tiers"));
	vm_set_bool(o, "jeune", !strcmp(m, "jeune"));
	vm_set_str(o, "comment", f->dialog_comment ? f->dialog_comment : "");
	vm_set_int(o, "comment_len", f->dialog_comment ? g_utf8_strlen(f->dialog_comment, -1) : 0);
	vm_set_int(o, "comment_max", SESSIONS_COMMENT_MAX);
}

static int
add_search(struct req *r, struct vm *page, const struct session_view *v,
	   const struct staging *s, const char *q, bool can_add)
{
	vm_set_str(page, "q", q ? q : "");
	vm_set_bool(page, "searched", q != NULL);
	struct vm *list = vm_set_list(page, "results");
	if (!q)
		return 0;
	struct session_candidate *c;
	int n = sessions_store_candidates(ctx_db(r), r->a, r->user->structure_id, q,
					  SEARCH_RESULTS, &c);
	if (n < 0)
		return n;
	int shown = 0;
	for (int i = 0; i < n; i++) {
		if (has_add(s, c[i].id) || dossier_registered(v, c[i].dossier_id))
			continue;
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "id", c[i].id);
		vm_set_str(o, "name", person_name(r, c[i].first_name, c[i].last_name));
		vm_set_bool(o, "disabled", !can_add);
		shown++;
	}
	vm_set_bool(page, "no_result", shown == 0);
	return 0;
}

static int
add_registrations(struct req *r, struct vm *page, const struct session_view *v,
		  struct staging *s, const struct form_state *f)
{
	struct session_candidate *people;
	int rc = added_people(r, s, &people);
	if (rc)
		return rc;
	int left = remaining(v, s);
	bool can_add = v->open && left != 0;
	add_places(page, left);
	vm_set_bool(page, "can_add", can_add);
	struct vm *rows = vm_set_list(page, "rows");
	for (int i = 0; i < v->n_regs; i++)
		add_row_state(r, vm_push_obj(rows), &v->regs[i], find_mod(s, v->regs[i].id), can_add);
	struct vm *added = vm_set_list(page, "added");
	for (int i = 0; i < s->n_adds; i++) {
		struct vm *o = vm_push_obj(added);
		vm_set_str(o, "id", people[i].id);
		vm_set_str(o, "name", person_name(r, people[i].first_name, people[i].last_name));
	}
	vm_set_bool(page, "dirty", s->n_adds + s->n_mods > 0);
	vm_set_bool(page, "empty", v->n_regs + s->n_adds == 0);
	add_hidden(page, s);
	add_dialog(r, page, v, f);
	return add_search(r, page, v, s, f->q, can_add);
}

static int
render(struct req *r, int status, const struct session_view *v, struct staging *s,
       const struct form_state *f)
{
	struct vm *page = vm_obj(r->a);
	int64_t now = clock_now_ms();
	vm_set_str(page, "nav", "agenda");
	vm_set_str(page, "id", v->id);
	vm_set_str(page, "title", v->imilo_ok && v->s.nom ? v->s.nom : "Session i-milo");
	vm_set_bool(page, "imilo_ok", v->imilo_ok);
	/* Without i-milo only cej's closing is known: no status is better than a wrong one. */
	if (v->imilo_ok || v->flags.closed_at)
		vm_set_str(page, "status", sessions_status_label(v->status));
	else
		vm_set_null(page, "status");
	vm_set_bool(page, "to_close", v->imilo_ok && v->status == SESSION_TO_CLOSE);
	vm_set_bool(page, "deadline_reached", v->imilo_ok && now >= v->s.closes_at
						      && v->status == SESSION_UPCOMING);
	set_text(page, "error", f->error);
	struct vm *vis = vm_set_obj(page, "visibility");
	vm_set_bool(vis, "visible", v->flags.visible);
	vm_set_bool(vis, "auto_shown", req_ctx(r)->cfg->session_auto_registration);
	vm_set_bool(vis, "auto", v->flags.auto_registration);
	if (!v->imilo_ok)
		return view_page(r, status, "sessions/page.html", page);
	add_infos(r, page, v);
	int rc = add_registrations(r, page, v, s, f);
	return rc ? rc : view_page(r, status, "sessions/page.html", page);
}

static struct staging
no_staging(struct req *r)
{
	(void)r;
	return (struct staging){0};
}

int
sessions_page(struct req *r)
{
	struct session_view v;
	int rc = load(r, &v);
	if (rc)
		return rc;
	struct staging s = no_staging(r);
	return render(r, 200, &v, &s, &(struct form_state){0});
}

/* ---- Visibility ---- */

/* Where to go back: the agenda's inline select sends its page ("retour", a path of
 * /agenda, never another site); the session page sends none. */
static const char *
visibility_return(struct req *r, const char *id)
{
	const char *back = req_form(r, "retour");
	if (back && !strncmp(back, "/agenda", 7)
	    && (back[7] == '\0' || back[7] == '?' || back[7] == '/') && !strstr(back, "//")
	    && !strpbrk(back, "\r\n\\"))
		return back;
	return session_path(r, id);
}

int
sessions_visibility_post(struct req *r)
{
	struct session_view v;
	int rc = load(r, &v);
	if (rc)
		return rc;
	/* "visible" is 1 or 0 (the agenda's select) or the switch, checked (1) or absent. The
	 * self-registration switch is on the session page only: elsewhere it stays as it is. */
	const char *vis = req_form(r, "visible");
	bool auto_reg = v.flags.auto_registration;
	if (req_form(r, "autonomie_champ"))
		auto_reg = req_form(r, "autonomie") != NULL;
	auto_reg = auto_reg && req_ctx(r)->cfg->session_auto_registration;
	bool visible = (vis && !strcmp(vis, "1")) || auto_reg;
	if ((rc = sessions_set_visibility(ctx_db(r), r->user, clock_now_ms(), &v, visible,
					  auto_reg)))
		return rc;
	return view_redirect_flash(r, visibility_return(r, v.id), "session-visibilite", NULL);
}

/* ---- Registrations ---- */

/* The operation of the button pressed: "ajouter:{id}" -> "ajouter", *@arg = "{id}". */
static const char *
operation(struct req *r, const char **arg)
{
	const char *op = req_form(r, "op");
	*arg = NULL;
	if (!op)
		return "";
	const char *colon = strchr(op, ':');
	if (!colon)
		return op;
	*arg = colon + 1;
	return arena_strndup(r->a, op, (size_t)(colon - op));
}

/* A step that takes a place (add, re-register) on a session that has none to give: the
 * field is disabled, so only a forged post gets here. */
static const char *
place_refusal(const struct session_view *v, const struct staging *s)
{
	if (!v->open)
		return DEADLINE;
	int left = remaining(v, s);
	return left == 0 ? NO_PLACE : NULL;
}

static int
step_add(struct req *r, const struct session_view *v, struct staging *s, const char *id,
	 struct form_state *f)
{
	struct session_candidate c;
	int rc = id ? sessions_store_candidate(ctx_db(r), r->a, r->user->structure_id, id, &c)
		    : -ERR_NOTFOUND;
	if (rc == -ERR_NOTFOUND) {
		f->error = "Vous ne pouvez inscrire que les bénéficiaires appartenant à votre "
			   "structure principale.";
		return 400;
	}
	if (rc)
		return rc;
	if ((f->error = place_refusal(v, s)))
		return 400;
	if (dossier_registered(v, c.dossier_id)) {
		f->error = "Ce bénéficiaire est déjà inscrit à cette session.";
		return 400;
	}
	if (!has_add(s, c.id))
		s->adds[s->n_adds++] = c.id;
	return 200;
}

static int
step_confirm(struct req *r, const struct session_view *v, struct staging *s, const char *inst,
	     struct form_state *f)
{
	const struct imilo_instance *p = find_reg(v, inst);
	if (!p || !sessions_statut_is_participant(p->statut))
		return 400;
	const char *motive = req_form(r, "motif");
	enum stage_action a = motive_action(motive);
	const char *comment = a == STAGE_REFUSAL_YOUNG ? req_form(r, "commentaire") : NULL;
	if (a == STAGE_NONE || a == STAGE_REREGISTER
	    || (comment && g_utf8_strlen(comment, -1) > SESSIONS_COMMENT_MAX)) {
		*f = (struct form_state){.dialog = inst, .dialog_motive = motive,
					 .dialog_comment = req_form(r, "commentaire"),
					 .dialog_error = true};
		return 400;
	}
	set_mod(s, inst, a, comment && *comment ? text_trim(r->a, comment) : NULL);
	return 200;
}

static int
step_reregister(const struct session_view *v, struct staging *s, const char *inst,
		struct form_state *f)
{
	const struct imilo_instance *p = find_reg(v, inst);
	if (!p || !sessions_statut_is_refusal(p->statut))
		return 400;
	if ((f->error = place_refusal(v, s)))
		return 400;
	set_mod(s, inst, STAGE_REREGISTER, NULL);
	return 200;
}

/* "Enregistrer": checks on the fresh read @v, then the i-milo writes. A response code for
 * a re-render, or 0 when answered (redirect). */
static int
step_save(struct req *r, const struct session_view *v, struct staging *s, struct form_state *f,
	  int *answered)
{
	struct session_candidate *people;
	int rc = added_people(r, s, &people);
	if (rc == -ERR_INVAL) {
		f->error = "Vous ne pouvez inscrire que les bénéficiaires appartenant à votre "
			   "structure principale.";
		return 400;
	}
	if (rc)
		return rc;
	for (int i = 0; i < s->n_adds; i++)
		if (dossier_registered(v, people[i].dossier_id)) {
			f->error = "Ce bénéficiaire est déjà inscrit à cette session.";
			return 400;
		}
	struct staged *changes = arena_alloc(r->a, sizeof(*changes)
							   * (size_t)(s->n_adds + s->n_mods + 1));
	int n = staged_changes(v, s, people, changes);
	struct stage_change *plain = arena_alloc(r->a, sizeof(*plain) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		plain[i] = changes[i].change;
	if ((f->error = sessions_stage_check(plain, n, v->s.places, v->open)))
		return 400;
	enum save_outcome out;
	rc = sessions_save(req_ctx(r)->imilo, ctx_db(r), r->a, r->user, clock_now_ms(), v,
			   changes, n, &out);
	sessions_forget(ctx_db(r), r->a, r->user->structure_id);   /* i-milo changed */
	if (rc)
		return rc;
	switch (out) {
	case SAVE_DONE:
		*answered = view_redirect_flash(r, session_path(r, v->id), "session-inscriptions",
						NULL);
		return 0;
	case SAVE_PARTIAL:
		*answered = view_redirect_flash(r, session_path(r, v->id), "session-partiel", NULL);
		return 0;
	case SAVE_NONE_PLACES:
		f->error = NO_PLACE;
		return 409;
	case SAVE_NONE_DOWN:
		break;
	}
	f->error = IMILO_DOWN_WRITE;
	return 503;
}

int
sessions_registrations_post(struct req *r)
{
	struct session_view v;
	int rc = load(r, &v);
	if (rc)
		return rc;
	if (!v.imilo_ok)
		return render(r, 503, &v, &(struct staging){0},
			      &(struct form_state){.error = IMILO_DOWN_WRITE});
	struct staging s;
	parse_staging(r, &v, &s);
	struct form_state f = {0};
	const char *arg, *op = operation(r, &arg);
	int status = 200, answered = 0;
	if (!strcmp(op, "rechercher"))
		f.q = req_form(r, "q") ? req_form(r, "q") : "";
	else if (!strcmp(op, "ajouter"))
		status = step_add(r, &v, &s, arg, &f);
	else if (!strcmp(op, "retirer") && arg) {
		for (int i = 0; i < s.n_adds; i++)
			if (!strcmp(s.adds[i], arg))
				s.adds[i--] = s.adds[--s.n_adds];
	} else if (!strcmp(op, "desinscrire") && find_reg(&v, arg))
		f.dialog = arg;
	else if (!strcmp(op, "confirmer"))
		status = step_confirm(r, &v, &s, arg, &f);
	else if (!strcmp(op, "reinscrire"))
		status = step_reregister(&v, &s, arg, &f);
	else if (!strcmp(op, "annuler") && arg)
		drop_mod(&s, arg);
	else if (!strcmp(op, "enregistrer"))
		status = step_save(r, &v, &s, &f, &answered);
	else if (strcmp(op, "fermer"))
		status = 400;
	if (status < 0)
		return status;
	if (!status)
		return answered;
	if (status == 400 && !f.error && !f.dialog)
		f.error = "Cette modification n’est pas possible.";
	if (status == 409 || status == 503) {
		/* Nothing was recorded: the same inputs on the page as i-milo now has it. */
		struct session_view fresh;
		if (!load(r, &fresh) && fresh.imilo_ok)
			v = fresh;
	}
	return render(r, status, &v, &s, &f);
}

/* ---- Closing ---- */

static int
render_close(struct req *r, int status, const struct session_view *v, const char *const *present,
	     int n_present, const char *error)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "nav", "agenda");
	vm_set_str(page, "title", "Clôture de la session");
	vm_set_str(page, "id", v->id);
	vm_set_str(page, "session_name", v->s.nom ? v->s.nom : "");
	vm_set_str(page, "debut", when(r, v->s.starts_at));
	set_text(page, "error", error);
	struct vm *rows = vm_set_list(page, "rows");
	for (int i = 0; i < v->n_regs; i++) {
		const struct imilo_instance *p = &v->regs[i];
		const char *comment;
		bool achieved = p->statut && !strcmp(p->statut, "ACHIEVED");
		bool checked = achieved;
		for (int j = 0; !checked && j < n_present; j++)
			checked = !strcmp(present[j], p->id);
		struct vm *o = vm_push_obj(rows);
		vm_set_str(o, "instance", p->id);
		vm_set_str(o, "name", person_name(r, p->first_name, p->last_name));
		vm_set_str(o, "statut", sessions_statut_label(p->statut));
		vm_set_bool(o, "checked", checked);
		vm_set_bool(o, "disabled", achieved);
		vm_set_bool(o, "registered", sessions_close_statut(p->statut, false, &comment) != NULL);
	}
	return view_page(r, status, "sessions/close.html", page);
}

static int
open_to_close(struct req *r, struct session_view *v)
{
	int rc = load(r, v);
	if (rc)
		return rc;
	if (!v->imilo_ok)
		return -ERR_UNAVAILABLE;
	if (v->status != SESSION_TO_CLOSE) {
		struct refusal why;
		refuse_with(&why, 400, NULL, "Clôture impossible",
			    "Cette session ne peut pas être close : elle n’est pas à clore.");
		rc = view_refusal(r, &why, "agenda", session_path(r, v->id), "Retour à la session");
		return rc ? rc : 1;
	}
	return 0;
}

int
sessions_close_page(struct req *r)
{
	struct session_view v;
	int rc = open_to_close(r, &v);
	if (rc)
		return rc < 0 ? rc : 0;
	return render_close(r, 200, &v, NULL, 0, NULL);
}

int
sessions_close_post(struct req *r)
{
	struct session_view v;
	int rc = open_to_close(r, &v);
	if (rc)
		return rc < 0 ? rc : 0;
	const char **present = arena_alloc(r->a, sizeof(*present) * STAGED_MAX);
	const char **registered = arena_alloc(r->a, sizeof(*registered) * STAGED_MAX);
	int n_present = req_form_all(r, "presents", present, STAGED_MAX);
	int n_registered = req_form_all(r, "inscrits", registered, STAGED_MAX);
	enum save_outcome out;
	rc = sessions_close(req_ctx(r)->imilo, ctx_db(r), r->a, r->user, clock_now_ms(), &v,
			    registered, n_registered, present, n_present, &out);
	sessions_forget(ctx_db(r), r->a, r->user->structure_id);   /* i-milo changed */
	if (rc == -ERR_INVAL) {
		struct refusal why;
		refuse_with(&why, 400, NULL, "Clôture impossible",
			    "La liste des inscrits a changé depuis l’ouverture de la page. Vérifiez la "
			    "liste des inscrits puis réessayez.");
		return view_refusal(r, &why, "agenda", arena_printf(r->a, "%s/clore",
				    session_path(r, v.id)), "Retour à la clôture");
	}
	if (rc)
		return rc;
	if (out == SAVE_DONE)
		return view_redirect_flash(r, session_path(r, v.id), "session-close", NULL);
	/* Not closed: what i-milo accepted is applied; the page shows i-milo's state now, with
	 * the boxes as they were checked, so that a retry sends only the rest. */
	struct session_view fresh;
	if (!load(r, &fresh) && fresh.imilo_ok)
		v = fresh;
	return render_close(r, out == SAVE_NONE_DOWN ? 503 : 502, &v, present, n_present,
			    out == SAVE_NONE_DOWN ? IMILO_DOWN_WRITE : PARTIAL);
}

/* ---- The sign-in sheet ---- */

struct sheet_row {
	const char *key;    /* folded "last first": accents and case do not move a name */
	const char *name;
};

static int
by_key(const void *x, const void *y)
{
	const struct sheet_row *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->name, b->name);
}

int
sessions_signin_sheet(struct req *r)
{
	struct session_view v;
	int rc = load(r, &v);
	if (rc)
		return rc;
	if (!v.imilo_ok)
		return -ERR_UNAVAILABLE;
	struct vm *page = vm_obj(r->a);
	const char *ml = r->user->structure_name ? r->user->structure_name : "Mission Locale";
	const char *tz = r->user->timezone;
	vm_set_strf(page, "title", "Feuille d’émargement — %s", ml);
	vm_set_str(page, "event_title", v.s.nom ? v.s.nom : "");
	vm_set_str(page, "type_label", v.s.offre.type && !strcmp(v.s.offre.type, "WORKSHOP")
					       ? "Atelier" : "Information collective");
	vm_set_str(page, "day", clock_fr_day(r->a, v.s.starts_at, tz));
	vm_set_str(page, "start", clock_fr_time(r->a, v.s.starts_at, tz));
	vm_set_str(page, "end", clock_fr_time(r->a, v.s.ends_at, tz));
	vm_set_str(page, "place", v.s.lieu ? v.s.lieu : "");
	vm_set_str(page, "back", session_path(r, v.id));
	vm_set_str(page, "back_label", "Retour à la session");
	struct sheet_row *sheet = arena_alloc(r->a, sizeof(*sheet) * (size_t)(v.n_regs + 1));
	int k = 0;
	for (int i = 0; i < v.n_regs; i++) {
		const struct imilo_instance *p = &v.regs[i];
		if (sessions_statut_is_participant(p->statut))
			sheet[k++] = (struct sheet_row){
				text_fold(r->a, arena_printf(r->a, "%s %s", p->last_name ? p->last_name : "",
							     p->first_name ? p->first_name : "")),
				person_name(r, p->first_name, p->last_name)};
	}
	qsort(sheet, (size_t)k, sizeof(*sheet), by_key);
	struct vm *rows = vm_set_list(page, "rows");
	for (int i = 0; i < k; i++) {
		struct vm *o = vm_push_obj(rows);
		vm_set_int(o, "n", i + 1);
		vm_set_str(o, "name", sheet[i].name);
	}
	struct vm *blank = vm_set_list(page, "blank");
	for (int i = 0; i < BLANK_ROWS; i++)
		vm_push_obj(blank);
	return view_page(r, 200, "agenda/emargement.html", page);
}
