/* actions_app.c — the beneficiary's pages on actions (youth-app.md §6): Mon suivi, the
 * creation in 3 steps, the detail with "Terminer mon action" / "Je n’ai pas terminé mon
 * action", edit, delete and comments. Parse, check the form (actions_app_form.h), call
 * the use case (actions_use.h), render.
 *
 * Without JavaScript the creation is a chain of forms: each step posts to the same URL
 * with "etape" (the step submitted) and "aller" ("retour" or not), carrying the answers
 * of the other steps in hidden fields. Every step is validated again on the last one. */
#include "actions/actions_app.h"

#include "actions/actions.h"
#include "actions/actions_app_form.h"
#include "actions/actions_store.h"
#include "actions/actions_use.h"
#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "core/ctx.h"
#include "view/app_event.h"
#include "view/form_errors.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <string.h>

/* Mon suivi: two weeks back and two ahead, each "période" link adds 4 weeks. */
#define SUIVI_WEEKS_BEFORE 2
#define SUIVI_WEEKS_AFTER 2
#define SUIVI_PERIOD_DAYS 28
#define SUIVI_PERIODS_MAX 12

/* ---- Shared pieces ---- */

static const char *
action_path(struct req *r, const char *id)
{
	return arena_printf(r->a, "/app/actions/%s", id);
}

/* The answer to a use case that said no about the path's action: its refusal page —
 * back to Mon suivi for an action that is no longer there, else back to the action — or
 * the error alone. */
static int
refused(struct req *r, int rc, const struct refusal *why)
{
	if (!why->message)
		return rc;
	if (why->status == 404)
		return view_refusal(r, why, "suivi", "/app/suivi", "Retour à Mon suivi");
	return view_refusal(r, why, "suivi", action_path(r, req_param(r, "id")),
			    "Retour à mon action");
}

/* The action of the path, if it is the caller's; else the refusal of an action that does
 * not exist for them (deleted, or someone else's). 0, -ERR_NOTFOUND or -ERR_DB. */
static int
load_own(struct req *r, struct action *a, struct refusal *why)
{
	int rc = actions_store_load(ctx_db(r), r->a, req_param(r, "id"), a);
	if (!rc && !authz_own_record(r->user, a->beneficiary_id))
		rc = -ERR_NOTFOUND;
	return rc == -ERR_NOTFOUND ? actions_refuse_missing(ACTOR_BENEFICIARY, why) : rc;
}

static const char *
pill_class(const char *label)
{
	if (!strcmp(label, "À faire"))
		return "fr-badge--info fr-badge--no-icon";
	if (!strcmp(label, "En cours"))
		return "fr-badge--blue-ecume";
	if (!strcmp(label, "En retard"))
		return "fr-badge--warning fr-badge--no-icon";
	if (!strcmp(label, "Terminée"))
		return "fr-badge--success fr-badge--no-icon";
	return "";
}

/* "Mardi 5 mars". */
static const char *
day_title(struct arena *a, int64_t day)
{
	const char *w = clock_day_weekday_fr(day);
	return arena_printf(a, "%c%s %s", g_ascii_toupper(w[0]), w + 1, clock_day_month_fr(a, day));
}

/* What a date picker and its shortcuts need: labels and the window as min/max. */
static void
add_dates(struct req *r, struct vm *page, int64_t now)
{
	int64_t today = clock_day_of(now, r->user->timezone), first, last;
	action_date_window(now, r->user->timezone, &first, &last);
	struct vm *d = vm_set_obj(page, "dates");
	vm_set_str(d, "today", clock_day_long_fr(r->a, today));
	vm_set_str(d, "tomorrow", clock_day_long_fr(r->a, today + 1));
	vm_set_str(d, "yesterday", clock_day_long_fr(r->a, today - 1));
	vm_set_str(d, "min", clock_day_iso(r->a, first));
	vm_set_str(d, "max", clock_day_iso(r->a, last));
}

/* The list of the 7 categories, @code checked. */
static void
add_categories(struct vm *page, const char *code)
{
	struct vm *list = vm_set_list(page, "categories");
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++) {
		const struct action_category *c = &action_categories[i];
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "code", c->code);
		vm_set_str(o, "label", c->app_label);
		vm_set_str(o, "hint", c->app_hint);
		vm_set_bool(o, "checked", !g_strcmp0(code, c->code));
	}
}

/* The 20 titles as choices "1"…"20", @choice checked. */
static void
add_titles(struct req *r, struct vm *page, const char *choice)
{
	struct vm *list = vm_set_list(page, "titles");
	for (int i = 0; i < ACTION_TITLE_COUNT; i++) {
		const char *v = arena_printf(r->a, "%d", i + 1);
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "value", v);
		vm_set_str(o, "label", action_titles[i]);
		vm_set_bool(o, "checked", !g_strcmp0(choice, v));
	}
}

/* What a timeline card or the detail shows of @a, in @o. */
static void
set_action(struct req *r, struct vm *o, const struct action *a, int64_t now)
{
	const char *tz = r->user->timezone;
	const char *pill = action_app_label(a, now);
	const struct action_category *c = action_category(a->category);
	bool done = a->status == ACTION_DONE && a->completed_at;
	vm_set_str(o, "id", a->id);
	vm_set_str(o, "title", a->title);
	vm_set_str(o, "pill", pill);
	vm_set_str(o, "pill_class", pill_class(pill));
	vm_set_str(o, "category", c ? c->app_label : "Aucune");
	vm_set_str_opt(o, "category_code", c ? c->code : NULL);
	vm_set_str(o, "description", a->description ? a->description : "");
	if (done)
		vm_set_strf(o, "when", "Terminée le %s", clock_fr_day(r->a, a->completed_at, tz));
	else
		vm_set_strf(o, "when", "À réaliser pour le %s", clock_fr_day(r->a, a->due_at, tz));
	vm_set_strf(o, "created", "Créée par %s le %s", a->by_counselor ? "ton conseiller" : "toi",
		    clock_fr_day(r->a, a->created_at, tz));
}

/* The messages of a form's fields, under their inputs' names (NULL: none). */
static struct vm *
form_errors(struct req *r, const struct action_app_errors *e)
{
	if (!e)
		return NULL;
	const struct view_field_error fields[] = {
		{"categorie", "categorie", e->categorie}, {"titre", "titre", e->titre},
		{"titre_autre", "titre_autre", e->titre_autre},
		{"description", "description", e->description}, {"statut", "statut", e->statut},
		{"date", "date", e->date},
	};
	return view_form_errors(r->a, fields, G_N_ELEMENTS(fields));
}

/* A refusal about one field, as the message of that field (NULL: none). */
static struct vm *
field_error(struct req *r, const struct refusal *why)
{
	if (!why)
		return NULL;
	struct view_field_error f = {why->field, why->field, why->message};
	return view_form_errors(r->a, &f, 1);
}

/* ---- Mon suivi ---- */

static const char *
week_title(struct arena *a, int64_t monday, int64_t this_monday)
{
	if (monday == this_monday)
		return "Cette semaine";
	if (monday == this_monday + 7)
		return "Semaine prochaine";
	return arena_printf(a, "Semaine du %s au %s", clock_day_month_fr(a, monday),
			    clock_day_month_fr(a, monday + 6));
}

/* The items of day @d in @items, ordered by time (youth-app.md §6): the actions of @rows
 * from *@k and the events from *@j, both sorted; each index moves past day @d. */
static void
fill_day(struct req *r, struct vm *items, int64_t d, const struct action *rows, int n, int *k,
	 const struct app_event *events, int m, int *j, int64_t now)
{
	const char *tz = r->user->timezone;
	for (;;) {
		bool action = *k < n && clock_day_of(action_display_at(&rows[*k]), tz) <= d;
		bool event = *j < m && clock_day_of(events[*j].starts_at, tz) <= d;
		if (!action && !event)
			return;
		if (event && (!action || events[*j].starts_at < action_display_at(&rows[*k]))) {
			const struct app_event *e = &events[(*j)++];
			if (clock_day_of(e->starts_at, tz) == d)
				view_app_event(r->a, vm_set_obj(vm_push_obj(items), "appointment"), e, tz);
			continue;
		}
		const struct action *a = &rows[(*k)++];
		if (clock_day_of(action_display_at(a), tz) == d) {
			struct vm *o = vm_push_obj(items);
			set_action(r, o, a, now);
			vm_set_null(o, "appointment");
		}
	}
}

int
actions_app_suivi(struct req *r)
{
	const char *tz = r->user->timezone;
	int64_t now = clock_now_ms(), today = clock_day_of(now, tz);
	int64_t this_monday = clock_day_monday(today);
	int before = req_query_int(r, "avant", 0, 0, SUIVI_PERIODS_MAX);
	int after = req_query_int(r, "apres", 0, 0, SUIVI_PERIODS_MAX);
	int64_t first = this_monday - 7 * SUIVI_WEEKS_BEFORE - (int64_t)SUIVI_PERIOD_DAYS * before;
	int64_t last = this_monday + 7 * SUIVI_WEEKS_AFTER + 6 + (int64_t)SUIVI_PERIOD_DAYS * after;
	struct action *rows;
	int n = actions_store_between(ctx_db(r), r->a, r->user->id, clock_day_at(first, 0, 0, tz),
				      clock_day_at(last + 1, 0, 0, tz), &rows);
	if (n < 0)
		return n;
	/* The rendez-vous and events of the period, from the features that have some (the
	 * agenda): actions sits below them and never includes their headers. */
	const struct app_event_query q = {
		.scope = APP_EVENTS_MINE, .beneficiary_id = r->user->id,
		.structure_id = r->user->structure_id, .from = clock_day_at(first, 0, 0, tz),
		.to = clock_day_at(last + 1, 0, 0, tz),
	};
	struct app_event *events;
	int m = app_events_list(&req_ctx(r)->features, ctx_db(r), r->a, &q, &events, NULL);
	if (m < 0)
		return m;

	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Mon suivi");
	vm_set_str(page, "nav", "suivi");
	struct vm *weeks = vm_set_list(page, "weeks");
	int k = 0, j = 0;
	for (int64_t monday = first; monday <= last; monday += 7) {
		struct vm *week = vm_push_obj(weeks);
		vm_set_str(week, "title", week_title(r->a, monday, this_monday));
		vm_set_strf(week, "id", "semaine-%s", clock_day_iso(r->a, monday));
		struct vm *days = vm_set_list(week, "days");
		for (int64_t d = monday; d < monday + 7; d++) {
			struct vm *day = vm_push_obj(days);
			vm_set_str(day, "title", day_title(r->a, d));
			vm_set_bool(day, "today", d == today);
			vm_set_bool(day, "past", d < today);
			fill_day(r, vm_set_list(day, "items"), d, rows, n, &k, events, m, &j, now);
		}
	}
	vm_set_str_opt(page, "previous", before < SUIVI_PERIODS_MAX
		? arena_printf(r->a, "/app/suivi?avant=%d&apres=%d", before + 1, after) : NULL);
	vm_set_str_opt(page, "next", after < SUIVI_PERIODS_MAX
		? arena_printf(r->a, "/app/suivi?avant=%d&apres=%d", before, after + 1) : NULL);
	return view_page(r, 200, "actions/app_suivi.html", page);
}

/* ---- Creation in 3 steps ---- */

/* Reads the answers of the request. The reminder switch is a checkbox on step 3 (absent
 * when off) and a hidden "0"/"1" elsewhere; it is on by default. */
static void
draft_read(struct req *r, struct action_app_form *d, bool on_step3)
{
	const char *rem = req_form(r, "rappel");
	*d = (struct action_app_form){
		.category = req_form(r, "categorie"), .title = req_form(r, "titre"),
		.other = req_form(r, "titre_autre"), .description = req_form(r, "description"),
		.status = req_form(r, "statut"), .when = req_form(r, "quand"),
		.date = req_form(r, "date"),
		.reminder = on_step3 ? rem != NULL : g_strcmp0(rem, "0") != 0,
	};
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* The answers carried from step to step, as the hidden fields and inputs show them. */
static void
set_draft(struct vm *page, const struct action_app_form *d)
{
	struct vm *o = vm_set_obj(page, "d");
	vm_set_str(o, "categorie", or_empty(d->category));
	vm_set_str(o, "titre", or_empty(d->title));
	vm_set_str(o, "titre_autre", or_empty(d->other));
	vm_set_str(o, "description", or_empty(d->description));
	vm_set_str(o, "statut", or_empty(d->status));
	vm_set_str(o, "quand", or_empty(d->when));
	vm_set_str(o, "date", or_empty(d->date));
	vm_set_str(o, "rappel", d->reminder ? "1" : "0");
}

static const char *const step_templates[] = {
	NULL, "actions/app_new_1.html", "actions/app_new_2.html", "actions/app_new_3.html",
	"actions/app_new_empty.html",
};
#define STEP_EMPTY 4   /* the "aucune description" dialog */

/* Renders step @step of the draft with @e (NULL: no errors). */
static int
new_step(struct req *r, int status, int step, const struct action_app_form *d,
	 const struct action_app_errors *e)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", e ? "Erreur — Créer une action" : "Créer une action");
	vm_set_str(page, "nav", "suivi");
	vm_set_int(page, "step", step);
	vm_set_str(page, "etape", step == STEP_EMPTY ? "vide" : step == 1 ? "1" : step == 2 ? "2" : "3");
	set_draft(page, d);
	vm_set(page, "errors", form_errors(r, e));
	if (step == ACTION_APP_STEP_CATEGORY)
		add_categories(page, d->category);
	else if (step == ACTION_APP_STEP_ACTION)
		add_titles(r, page, d->title);
	else if (step == ACTION_APP_STEP_WHEN)
		add_dates(r, page, clock_now_ms());
	return view_page(r, status, step_templates[step], page);
}

static int
create(struct req *r, const struct action_app_form *d, const struct action_app_values *v,
       int64_t now)
{
	const char *tz = r->user->timezone;
	struct action a = {
		.beneficiary_id = r->user->id, .by_counselor = false, .creator_id = r->user->id,
		.creator_first_name = r->user->first_name, .creator_last_name = r->user->last_name,
		.title = v->title, .description = v->description, .category = v->category,
		.status = v->status, .due_at = action_due_at(v->day, tz),
		/* The switch exists only for "En cours": a done action has nothing to recall. */
		.reminder = v->status == ACTION_IN_PROGRESS && d->reminder, .timezone = tz,
	};
	a.completed_at = v->status == ACTION_DONE ? a.due_at : 0;
	int rc = actions_add(ctx_db(r), r->a, now, &a);
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(r->a, "/app/actions/%s/creee", a.id));
	return 0;
}

int
actions_app_new_page(struct req *r)
{
	struct action_app_form d = {.reminder = true};
	return new_step(r, 200, ACTION_APP_STEP_CATEGORY, &d, NULL);
}

int
actions_app_new_post(struct req *r)
{
	const char *step = req_form(r, "etape");
	bool back = !g_strcmp0(req_form(r, "aller"), "retour");
	bool last = !g_strcmp0(step, "3") || !g_strcmp0(step, "vide");
	int64_t now = clock_now_ms();
	struct action_app_form d;
	struct action_app_values v;
	struct action_app_errors e;
	draft_read(r, &d, !g_strcmp0(step, "3"));

	if (!g_strcmp0(step, "1")) {
		if (actions_app_check_new(r->a, &d, ACTION_APP_STEP_CATEGORY, now, r->user->timezone,
					  &v, &e))
			return new_step(r, 400, ACTION_APP_STEP_CATEGORY, &d, &e);
		return new_step(r, 200, ACTION_APP_STEP_ACTION, &d, NULL);
	}
	if (!g_strcmp0(step, "2") && back)
		return new_step(r, 200, ACTION_APP_STEP_CATEGORY, &d, NULL);
	if (last && back)
		return new_step(r, 200, ACTION_APP_STEP_ACTION, &d, NULL);
	if (!last && g_strcmp0(step, "2"))
		return new_step(r, 400, ACTION_APP_STEP_CATEGORY, &d, NULL);

	/* Every step is checked again: the hidden fields come from the client. */
	int failed = actions_app_check_new(r->a, &d, last ? ACTION_APP_STEP_WHEN : ACTION_APP_STEP_ACTION,
					   now, r->user->timezone, &v, &e);
	if (failed)
		return new_step(r, 400, failed, &d, &e);
	if (!last)
		return new_step(r, 200, ACTION_APP_STEP_WHEN, &d, NULL);
	if (!*v.description && !g_strcmp0(step, "3"))
		return new_step(r, 200, STEP_EMPTY, &d, NULL);
	return create(r, &d, &v, now);
}

int
actions_app_created_page(struct req *r)
{
	struct action a;
	struct refusal why = {0};
	int rc = load_own(r, &a, &why);
	if (rc)
		return refused(r, rc, &why);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Action créée");
	vm_set_str(page, "nav", "suivi");
	vm_set_str(page, "id", a.id);
	return view_page(r, 200, "actions/app_created.html", page);
}

/* ---- Detail, status, comments ---- */

/* The detail of the path's action, with @error (a refusal about one field of its forms;
 * NULL: none) and the values to show again in the forms that failed (@when, @date of
 * "Terminer mon action", @comment: may be NULL). */
static int
detail(struct req *r, int status, const struct refusal *error, const char *when,
       const char *date, const char *comment)
{
	struct action a;
	struct action_comment *cs = NULL;
	struct refusal why = {0};
	int64_t now = clock_now_ms();
	int rc = load_own(r, &a, &why);
	if (rc)
		return refused(r, rc, &why);
	int n = actions_store_comments(ctx_db(r), r->a, a.id, &cs);
	if (n < 0)
		return n;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", error ? "Erreur — Mon action" : "Mon action");
	vm_set_str(page, "nav", "suivi");
	set_action(r, vm_set_obj(page, "action"), &a, now);
	struct vm *comments = vm_set_list(page, "comments");
	for (int i = 0; i < n; i++) {
		struct vm *c = vm_push_obj(comments);
		vm_set_str(c, "author", cs[i].by_counselor
			? arena_printf(r->a, "Ton conseiller %s", cs[i].first_name) : "Toi");
		vm_set_str(c, "when", clock_fr_relative(r->a, cs[i].created_at, now, r->user->timezone));
		vm_set_str(c, "body", cs[i].body);
	}
	bool qualified = a.q_code != NULL, done = a.status == ACTION_DONE;
	vm_set(page, "errors", field_error(r, error));
	vm_set_bool(page, "qualified", qualified);
	vm_set_bool(page, "may_finish", !qualified && !done);
	vm_set_bool(page, "may_reopen", !qualified && done);
	vm_set_bool(page, "may_edit", action_may_edit_content(&a, ACTOR_BENEFICIARY));
	vm_set_bool(page, "may_delete", action_may_delete(&a, ACTOR_BENEFICIARY) == DELETE_OK);
	add_dates(r, page, now);
	struct vm *finish = vm_set_obj(page, "finish");
	vm_set_str(finish, "quand", or_empty(when));
	vm_set_str(finish, "date", or_empty(date));
	vm_set_str(page, "comment", or_empty(comment));
	return view_page(r, status, "actions/app_detail.html", page);
}

int
actions_app_detail_page(struct req *r)
{
	return detail(r, 200, NULL, NULL, NULL, NULL);
}

int
actions_app_finish_post(struct req *r)
{
	struct action a;
	struct refusal why = {0};
	int64_t now = clock_now_ms(), day = 0;
	const char *when = req_form(r, "quand"), *date = req_form(r, "date");
	if (actions_app_check_finish(r->a, when, date, now, r->user->timezone, &day, &why))
		return detail(r, 400, &why, when, date, NULL);
	int rc = load_own(r, &a, &why);
	if (!rc)
		rc = actions_set_status(ctx_db(r), r->a, now, ACTOR_BENEFICIARY, &a, true,
					action_due_at(day, a.timezone), &why);
	if (rc)
		return refused(r, rc, &why);
	return view_redirect_flash(r, action_path(r, a.id), "app-action-mise-a-jour", NULL);
}

int
actions_app_reopen_post(struct req *r)
{
	struct action a;
	struct refusal why = {0};
	int rc = load_own(r, &a, &why);
	if (!rc)
		rc = actions_set_status(ctx_db(r), r->a, clock_now_ms(), ACTOR_BENEFICIARY, &a, false,
					0, &why);
	if (rc)
		return refused(r, rc, &why);
	return view_redirect_flash(r, action_path(r, a.id), "app-action-mise-a-jour", NULL);
}

int
actions_app_comment_post(struct req *r)
{
	struct action a;
	struct refusal why = {0};
	const char *raw = req_form(r, "commentaire");
	const char *body = text_trim(r->a, raw);
	if (actions_app_check_comment(body, &why))
		return detail(r, 400, &why, NULL, NULL, raw);
	int rc = load_own(r, &a, &why);
	if (rc)
		return refused(r, rc, &why);
	struct action_comment c = {
		.author_id = r->user->id, .first_name = r->user->first_name,
		.last_name = r->user->last_name, .body = body, .by_counselor = false,
	};
	if ((rc = actions_comment(ctx_db(r), NULL, r->a, clock_now_ms(), &a, &c, &why)))
		return refused(r, rc, &why);
	resp_redirect(r, arena_printf(r->a, "/app/actions/%s#commentaires", a.id));
	return 0;
}

/* ---- Edit (own actions only) ---- */

static int
edit_form(struct req *r, int status, const char *id, const struct action_app_form *d,
	  const struct action_app_errors *e)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", e ? "Erreur — Modifier l’action" : "Modifier l’action");
	vm_set_str(page, "nav", "suivi");
	vm_set_str(page, "id", id);
	set_draft(page, d);
	vm_set(page, "errors", form_errors(r, e));
	add_categories(page, d->category);
	add_titles(r, page, d->title);
	add_dates(r, page, clock_now_ms());
	return view_page(r, status, "actions/app_edit.html", page);
}

static const char *
status_field(enum action_status s)
{
	return s == ACTION_DONE ? "terminee" : s == ACTION_CANCELED ? "annulee" : "en_cours";
}

int
actions_app_edit_page(struct req *r)
{
	struct action a;
	struct refusal why = {0};
	int rc = load_own(r, &a, &why);
	if (!rc)
		rc = actions_check_edit(&a, ACTOR_BENEFICIARY, &why);
	if (rc)
		return refused(r, rc, &why);
	const char *title = actions_app_title_choice(r->a, a.title);
	struct action_app_form d = {
		.category = a.category, .title = title,
		.other = !strcmp(title, ACTION_APP_OTHER) ? a.title : "",
		.description = a.description, .status = status_field(a.status),
		.date = clock_iso_day(r->a, action_display_at(&a), a.timezone),
	};
	return edit_form(r, 200, a.id, &d, NULL);
}

int
actions_app_edit_post(struct req *r)
{
	struct action before, a;
	struct action_app_form d;
	struct action_app_values v;
	struct action_app_errors e;
	struct refusal why = {0};
	int64_t now = clock_now_ms();
	int rc = load_own(r, &before, &why);
	if (!rc)
		rc = actions_check_edit(&before, ACTOR_BENEFICIARY, &why);
	if (rc)
		return refused(r, rc, &why);
	draft_read(r, &d, false);
	if (actions_app_check_edit(r->a, &d, now, r->user->timezone, &v, &e))
		return edit_form(r, 400, before.id, &d, &e);
	a = before;
	a.title = v.title;
	a.description = v.description;
	a.category = v.category;
	a.status = v.status;
	/* The date is the displayed one: the completion date of a done action, else its due
	 * date (actions.md §2). */
	if (v.status == ACTION_DONE)
		a.completed_at = action_due_at(v.day, before.timezone);
	else
		a.due_at = action_due_at(v.day, before.timezone);
	if ((rc = actions_update(ctx_db(r), r->a, now, ACTOR_BENEFICIARY, &before, &a, &why)))
		return refused(r, rc, &why);
	return view_redirect_flash(r, action_path(r, a.id), "app-action-modifiee", NULL);
}

/* ---- Delete ---- */

int
actions_app_delete_page(struct req *r)
{
	struct action a;
	struct refusal why = {0};
	int rc = load_own(r, &a, &why);
	if (!rc)
		rc = actions_check_delete(&a, ACTOR_BENEFICIARY, &why);
	if (rc)
		return refused(r, rc, &why);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Supprimer l’action ?");
	vm_set_str(page, "nav", "suivi");
	set_action(r, vm_set_obj(page, "action"), &a, clock_now_ms());
	return view_page(r, 200, "actions/app_delete.html", page);
}

int
actions_app_delete_post(struct req *r)
{
	struct refusal why = {0};
	const char *id = req_param(r, "id");
	int rc = actions_delete(ctx_db(r), r->a, ACTOR_BENEFICIARY, id, r->user->id, &why);
	if (rc)
		return refused(r, rc, &why);
	return view_redirect_flash(r, "/app/suivi", "app-action-supprimee", NULL);
}
