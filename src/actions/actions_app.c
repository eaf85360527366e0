/* actions_app.c — the beneficiary's pages on actions (youth-app.md §6): Mon suivi, the
 * creation in 3 steps, the detail with "Terminer mon action" / "Je n’ai pas terminé mon
 * action", edit, delete and comments. Parse, check, call the use case, render.
 *
 * Without JavaScript the creation is a chain of forms: each step posts to the same URL
 * with "etape" (the step submitted) and "aller" ("retour" or not), carrying the answers
 * of the other steps in hidden fields. Every step is validated again on the last one. */
#include "actions/actions_app.h"

#include "actions/actions.h"
#include "actions/actions_store.h"
#include "actions/actions_use.h"
#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "db/db.h"
#include "core/ctx.h"
#include "view/view.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define QUALIFIED_REFUSAL "Vous ne pouvez pas modifier une action qualifiée"
#define DELETE_REFUSAL "Vous ne pouvez pas supprimer une action terminée, qualifiée ou commentée."
#define CATEGORY_REQUIRED "Choisis une catégorie pour continuer"
#define TITLE_REQUIRED "L’intitulé de l’action doit être renseigné"
#define TITLE_TOO_LONG "La limite de 60 caractères a été atteinte"
#define TEXT_TOO_LONG "La limite de 1024 caractères a été atteinte"
#define DATE_REQUIRED "La date est obligatoire"
#define FIELDS_REQUIRED "Remplis tous les champs"
#define COMMENT_REQUIRED "Écris ton commentaire avant de l’envoyer"

/* Mon suivi: two weeks back and two ahead, each "période" link adds 4 weeks. */
#define SUIVI_WEEKS_BEFORE 2
#define SUIVI_WEEKS_AFTER 2
#define SUIVI_PERIOD_DAYS 28
#define SUIVI_PERIODS_MAX 12

/* ---- Shared pieces ---- */

static int
refused(struct req *r, int status, const char *title, const char *text, const char *back,
	const char *back_label)
{
	return view_page(r, status, "actions/app_refused.html",
			 json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "title", title, "text", text,
				   "back", back, "back_label", back_label, "nav", "suivi", "status",
				   status));
}

/* An action that does not exist for the caller: deleted, or someone else's. */
static int
gone(struct req *r)
{
	return refused(r, 404, "Action introuvable", "Cet élément n’est plus disponible.",
		       "/app/suivi", "Retour à Mon suivi");
}

static const char *
action_path(struct req *r, const char *id)
{
	return arena_printf(r->a, "/app/actions/%s", id);
}

static int
refuse_qualified(struct req *r, const char *id)
{
	return refused(r, 400, "Action non modifiée", QUALIFIED_REFUSAL, action_path(r, id),
		       "Retour à mon action");
}

static int
fail(struct req *r, int rc)
{
	return rc == -ERR_NOTFOUND ? gone(r) : rc;
}

/* The action of the path, if it is the caller's. 0, -ERR_NOTFOUND or -ERR_DB. */
static int
load_own(struct req *r, struct action *a)
{
	int rc = actions_store_load(ctx_db(r), r->a, req_param(r, "id"), a);
	if (!rc && !authz_own_record(r->user, a->beneficiary_id))
		rc = -ERR_NOTFOUND;
	return rc;
}

/* A change refused by the store: the action was qualified (or deleted) meanwhile. */
static int
write_failed(struct req *r, int rc)
{
	struct action a;
	if (rc == -ERR_CONFLICT || rc == -ERR_INVAL)
		return load_own(r, &a) == -ERR_NOTFOUND ? gone(r)
							 : refuse_qualified(r, req_param(r, "id"));
	return fail(r, rc);
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

static long
text_length(const char *s)
{
	return s ? g_utf8_strlen(s, -1) : 0;
}

/* "Mardi 5 mars". */
static const char *
day_title(struct arena *a, int64_t day)
{
	const char *w = clock_day_weekday_fr(day);
	return arena_printf(a, "%c%s %s", g_ascii_toupper(w[0]), w + 1, clock_day_month_fr(a, day));
}

static const char *
window_message(struct req *r, int64_t now)
{
	int64_t first, last;
	action_date_window(now, r->user->timezone, &first, &last);
	return arena_printf(r->a, "La date doit être comprise entre le %s et le %s.",
			    clock_day_fr(r->a, first), clock_day_fr(r->a, last));
}

/* The day chosen with a shortcut (@when: "aujourdhui", "demain", "hier") or typed in
 * @date (yyyy-mm-dd). NULL when it is a day of the window (*@day set), else the message. */
static const char *
chosen_day(struct req *r, const char *when, const char *date, int64_t now, int64_t *day)
{
	int64_t today = clock_day_of(now, r->user->timezone);
	if (!g_strcmp0(when, "aujourdhui"))
		*day = today;
	else if (!g_strcmp0(when, "demain"))
		*day = today + 1;
	else if (!g_strcmp0(when, "hier"))
		*day = today - 1;
	else if (!date || !*date)
		return DATE_REQUIRED;
	else
		*day = clock_day_parse(date);
	return action_day_in_window(*day, now, r->user->timezone) ? NULL : window_message(r, now);
}

/* What a date picker and its shortcuts need: labels and the window as min/max. */
static json_t *
dates_json(struct req *r, int64_t now)
{
	int64_t today = clock_day_of(now, r->user->timezone), first, last;
	action_date_window(now, r->user->timezone, &first, &last);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "today", clock_day_long_fr(r->a, today),
			 "tomorrow", clock_day_long_fr(r->a, today + 1), "yesterday",
			 clock_day_long_fr(r->a, today - 1), "min", clock_day_iso(r->a, first), "max",
			 clock_day_iso(r->a, last));
}

/* The list of the 7 categories, @code checked. */
static json_t *
categories_json(const char *code)
{
	json_t *list = json_array();
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++) {
		const struct action_category *c = &action_categories[i];
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "code", c->code, "label",
						      c->app_label, "hint", c->app_hint, "checked",
						      !g_strcmp0(code, c->code)));
	}
	return list;
}

/* The 20 titles as choices "1"…"20", @choice checked. */
static json_t *
titles_json(struct req *r, const char *choice)
{
	json_t *list = json_array();
	for (int i = 0; i < ACTION_TITLE_COUNT; i++) {
		const char *v = arena_printf(r->a, "%d", i + 1);
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", v, "label",
						      action_titles[i], "checked",
						      !g_strcmp0(choice, v)));
	}
	return list;
}

/* The title of choice @choice ("1"…"20", or "autre" with @other). NULL with *@field and
 * *@err when missing or too long. */
static const char *
title_of(struct req *r, const char *choice, const char *other, const char **field,
	 const char **err)
{
	if (!g_strcmp0(choice, "autre")) {
		const char *t = text_trim(r->a, other);
		*field = "titre_autre";
		if (!t || !*t)
			*err = TITLE_REQUIRED;
		else if (text_length(t) > ACTION_APP_TITLE_MAX)
			*err = TITLE_TOO_LONG;
		return *err ? NULL : t;
	}
	for (int i = 0; choice && i < ACTION_TITLE_COUNT; i++) {
		char n[4];
		snprintf(n, sizeof(n), "%d", i + 1);
		if (!strcmp(choice, n))
			return action_titles[i];
	}
	*field = "titre";
	*err = TITLE_REQUIRED;
	return NULL;
}

/* The choice that shows @title in a form: its number, or "autre". */
static const char *
title_choice(struct req *r, const char *title)
{
	for (int i = 0; i < ACTION_TITLE_COUNT; i++)
		if (!strcmp(title, action_titles[i]))
			return arena_printf(r->a, "%d", i + 1);
	return "autre";
}

/* What a timeline card or the detail shows of @a. */
static json_t *
action_json(struct req *r, const struct action *a, int64_t now)
{
	const char *tz = r->user->timezone;
	const char *pill = action_app_label(a, now);
	const struct action_category *c = action_category(a->category);
	bool done = a->status == ACTION_DONE && a->completed_at;
	const char *when = done ? arena_printf(r->a, "Terminée le %s", clock_fr_day(r->a, a->completed_at, tz))
				: arena_printf(r->a, "À réaliser pour le %s", clock_fr_day(r->a, a->due_at, tz));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s}", "id", a->id, "title",
			 a->title, "pill", pill, "pill_class", pill_class(pill), "category",
			 c ? c->app_label : "Aucune", "category_code", c ? c->code : NULL,
			 "description", a->description ? a->description : "", "when", when, "created",
			 arena_printf(r->a, "Créée par %s le %s", a->by_counselor ? "ton conseiller" : "toi",
				      clock_fr_day(r->a, a->created_at, tz)));
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

	json_t *weeks = json_array();
	int k = 0;
	for (int64_t monday = first; monday <= last; monday += 7) {
		json_t *days = json_array();
		for (int64_t d = monday; d < monday + 7; d++) {
			json_t *items = json_array();
			while (k < n && clock_day_of(action_display_at(&rows[k]), tz) <= d) {
				if (clock_day_of(action_display_at(&rows[k]), tz) == d)
					json_array_append_new(items, action_json(r, &rows[k], now));
				k++;
			}
			json_array_append_new(days, json_pack("{s:s, s:b, s:b, s:o}", "title",
							      day_title(r->a, d), "today", d == today,
							      "past", d < today, "items", items));
		}
		json_array_append_new(weeks, json_pack("{s:s, s:s, s:o}", "title",
						       week_title(r->a, monday, this_monday), "id",
						       arena_printf(r->a, "semaine-%s", clock_day_iso(r->a, monday)),
						       "days", days));
	}
	json_t *data = json_pack("{s:s, s:s, s:o}", "title", "Mon suivi", "nav", "suivi", "weeks", weeks);
	if (before < SUIVI_PERIODS_MAX)
		json_object_set_new(data, "previous", json_string(arena_printf(
			r->a, "/app/suivi?avant=%d&apres=%d", before + 1, after)));
	if (after < SUIVI_PERIODS_MAX)
		json_object_set_new(data, "next", json_string(arena_printf(
			r->a, "/app/suivi?avant=%d&apres=%d", before, after + 1)));
	return view_page(r, 200, "actions/app_suivi.html", data);
}

/* ---- Creation in 3 steps ---- */

/* The answers carried from step to step, as posted (NULL when absent). */
struct draft {
	const char *category, *title, *other, *description, *status, *when, *date;
	bool reminder;
};

/* Reads the draft of the request. The reminder switch is a checkbox on step 3 (absent
 * when off) and a hidden "0"/"1" elsewhere; it is on by default. */
static void
draft_read(struct req *r, struct draft *d, bool on_step3)
{
	d->category = req_form(r, "categorie");
	d->title = req_form(r, "titre");
	d->other = req_form(r, "titre_autre");
	d->description = req_form(r, "description");
	d->status = req_form(r, "statut");
	d->when = req_form(r, "quand");
	d->date = req_form(r, "date");
	const char *rem = req_form(r, "rappel");
	d->reminder = on_step3 ? rem != NULL : g_strcmp0(rem, "0") != 0;
}

static json_t *
draft_json(const struct draft *d)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "categorie",
			 d->category ? d->category : "", "titre", d->title ? d->title : "",
			 "titre_autre", d->other ? d->other : "", "description",
			 d->description ? d->description : "", "statut", d->status ? d->status : "",
			 "quand", d->when ? d->when : "", "date", d->date ? d->date : "", "rappel",
			 d->reminder ? "1" : "0");
}

static const char *const step_templates[] = {
	NULL, "actions/app_new_1.html", "actions/app_new_2.html", "actions/app_new_3.html",
	"actions/app_new_empty.html",
};
#define STEP_EMPTY 4   /* the "aucune description" dialog */

/* Renders step @step of the draft with @errors (stolen; NULL: none). */
static int
new_step(struct req *r, int status, int step, const struct draft *d, json_t *errors)
{
	json_t *data = json_pack("{s:s, s:s, s:i, s:s, s:o, s:o}", "title", "Créer une action",
				 "nav", "suivi", "step", step, "etape",
				 step == STEP_EMPTY ? "vide" : step == 1 ? "1" : step == 2 ? "2" : "3",
				 "d", draft_json(d), "errors", errors ? errors : json_object());
	if (errors)
		json_object_set_new(data, "title", json_string("Erreur — Créer une action"));
	if (step == 1)
		json_object_set_new(data, "categories", categories_json(d->category));
	else if (step == 2)
		json_object_set_new(data, "titles", titles_json(r, d->title));
	else if (step == 3)
		json_object_set_new(data, "dates", dates_json(r, clock_now_ms()));
	return view_page(r, status, step_templates[step], data);
}

static json_t *
one_error(const char *field, const char *text)
{
	return json_pack("{s:s}", field, text);
}

/* Step 2: the title and the description. NULL when valid (*@title, *@description set). */
static json_t *
check_step2(struct req *r, const struct draft *d, const char **title, const char **description)
{
	json_t *e = json_object();
	const char *field = NULL, *err = NULL;
	*title = title_of(r, d->title, d->other, &field, &err);
	if (err)
		json_object_set_new(e, field, json_string(err));
	*description = text_trim(r->a, d->description);
	if (!*description)
		*description = "";
	if (text_length(*description) > ACTION_DESCRIPTION_MAX)
		json_object_set_new(e, "description", json_string(TEXT_TOO_LONG));
	if (json_object_size(e))
		return e;
	json_decref(e);
	return NULL;
}

/* Step 3: status (in progress or done) and date. */
static json_t *
check_step3(struct req *r, const struct draft *d, int64_t now, enum action_status *status,
	    int64_t *day)
{
	json_t *e = json_object();
	if (!g_strcmp0(d->status, "en_cours"))
		*status = ACTION_IN_PROGRESS;
	else if (!g_strcmp0(d->status, "terminee"))
		*status = ACTION_DONE;
	else
		json_object_set_new(e, "statut", json_string(FIELDS_REQUIRED));
	const char *err = chosen_day(r, d->when, d->date, now, day);
	if (err)
		json_object_set_new(e, "date", json_string(err));
	if (json_object_size(e))
		return e;
	json_decref(e);
	return NULL;
}

static int
create(struct req *r, const struct draft *d, const char *title, const char *description,
       enum action_status status, int64_t day, int64_t now)
{
	const char *tz = r->user->timezone;
	struct action a = {
		.beneficiary_id = r->user->id, .by_counselor = false, .creator_id = r->user->id,
		.creator_first_name = r->user->first_name, .creator_last_name = r->user->last_name,
		.title = title, .description = description, .category = d->category,
		.status = status, .due_at = action_due_at(day, tz),
		/* The switch exists only for "En cours": a done action has nothing to recall. */
		.reminder = status == ACTION_IN_PROGRESS && d->reminder, .timezone = tz,
	};
	a.completed_at = status == ACTION_DONE ? a.due_at : 0;
	struct db *db = ctx_db(r);
	int rc = db_tx_begin(db);
	if (!rc)
		rc = actions_create(db, r->a, now, &a);
	if (rc)
		db_tx_rollback(db);
	else
		rc = db_tx_commit(db);
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(r->a, "/app/actions/%s/creee", a.id));
	return 0;
}

int
actions_app_new_page(struct req *r)
{
	struct draft d = {.reminder = true};
	return new_step(r, 200, 1, &d, NULL);
}

int
actions_app_new_post(struct req *r)
{
	const char *step = req_form(r, "etape");
	bool back = !g_strcmp0(req_form(r, "aller"), "retour");
	bool last = !g_strcmp0(step, "3") || !g_strcmp0(step, "vide");
	int64_t now = clock_now_ms();
	struct draft d;
	draft_read(r, &d, !g_strcmp0(step, "3"));

	if (!g_strcmp0(step, "1")) {
		if (!action_category(d.category))
			return new_step(r, 400, 1, &d, one_error("categorie", CATEGORY_REQUIRED));
		return new_step(r, 200, 2, &d, NULL);
	}
	if (!g_strcmp0(step, "2") && back)
		return new_step(r, 200, 1, &d, NULL);
	if (last && back)
		return new_step(r, 200, 2, &d, NULL);
	if (!last && g_strcmp0(step, "2"))
		return new_step(r, 400, 1, &d, NULL);

	/* Every step is checked again: the hidden fields come from the client. */
	const char *title, *description;
	if (!action_category(d.category))
		return new_step(r, 400, 1, &d, one_error("categorie", CATEGORY_REQUIRED));
	json_t *e = check_step2(r, &d, &title, &description);
	if (e)
		return new_step(r, 400, 2, &d, e);
	if (!last)
		return new_step(r, 200, 3, &d, NULL);
	enum action_status status = ACTION_IN_PROGRESS;
	int64_t day = 0;
	e = check_step3(r, &d, now, &status, &day);
	if (e)
		return new_step(r, 400, 3, &d, e);
	if (!*description && !g_strcmp0(step, "3"))
		return new_step(r, 200, STEP_EMPTY, &d, NULL);
	return create(r, &d, title, description, status, day, now);
}

int
actions_app_created_page(struct req *r)
{
	struct action a;
	int rc = load_own(r, &a);
	if (rc)
		return fail(r, rc);
	return view_page(r, 200, "actions/app_created.html",
			 json_pack("{s:s, s:s, s:s}", "title", "Action créée", "nav", "suivi", "id", a.id));
}

/* ---- Detail, status, comments ---- */

/* The detail of the path's action, with @errors (stolen; NULL: none) and the values to
 * show again in the forms that failed (@finish, @comment: may be NULL). */
static int
detail(struct req *r, int status, json_t *errors, json_t *finish, const char *comment)
{
	struct action a;
	struct action_comment *cs = NULL;
	int64_t now = clock_now_ms();
	int rc = load_own(r, &a);
	int n = rc ? 0 : actions_store_comments(ctx_db(r), r->a, a.id, &cs);
	if (rc || n < 0) {
		json_decref(errors);
		json_decref(finish);
		return rc ? fail(r, rc) : n;
	}
	json_t *comments = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(comments, json_pack(
			"{s:s, s:s, s:s}", "author",
			cs[i].by_counselor ? arena_printf(r->a, "Ton conseiller %s", cs[i].first_name) : "Toi",
			"when", clock_fr_relative(r->a, cs[i].created_at, now, r->user->timezone), "body",
			cs[i].body));
	bool qualified = a.q_code != NULL, done = a.status == ACTION_DONE;
	json_t *data = json_pack(
		"{s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:s}", "title",
		errors ? "Erreur — Mon action" : "Mon action", "nav", "suivi", "action",
		action_json(r, &a, now), "comments", comments, "errors", errors ? errors : json_object(),
		"qualified", qualified, "may_finish", !qualified && !done, "may_reopen",
		!qualified && done, "may_edit", action_may_edit_content(&a, ACTOR_BENEFICIARY),
		"may_delete", action_may_delete(&a, ACTOR_BENEFICIARY) == DELETE_OK, "dates",
		dates_json(r, now), "finish", finish ? finish : json_object(), "comment",
		comment ? comment : "");
	return view_page(r, status, "actions/app_detail.html", data);
}

int
actions_app_detail_page(struct req *r)
{
	return detail(r, 200, NULL, NULL, NULL);
}

/* Stores @a, the changed @before, with its reminder, in one transaction. */
static int
save(struct req *r, const struct action *before, struct action *a, int64_t now)
{
	struct db *db = ctx_db(r);
	int rc = db_tx_begin(db);
	if (!rc)
		rc = actions_change(db, r->a, now, before, a);
	if (rc)
		db_tx_rollback(db);
	else
		rc = db_tx_commit(db);
	return rc;
}

/* "Terminer mon action" (@to done on @day) or "Je n’ai pas terminé mon action". */
static int
change_status(struct req *r, enum action_status to, int64_t day, int64_t now)
{
	struct action before, a;
	int rc = load_own(r, &before);
	if (rc)
		return fail(r, rc);
	if (before.q_code)
		return refuse_qualified(r, before.id);
	if ((to == ACTION_DONE) == (before.status == ACTION_DONE))
		return refused(r, 400, "Action non modifiée",
			       to == ACTION_DONE ? "Cette action est déjà terminée."
						 : "Cette action n’est pas terminée.",
			       action_path(r, before.id), "Retour à mon action");
	a = before;
	a.status = to;
	a.completed_at = to == ACTION_DONE ? action_due_at(day, before.timezone) : 0;
	rc = save(r, &before, &a, now);
	if (rc)
		return write_failed(r, rc);
	return view_redirect_flash(r, action_path(r, a.id), "app-action-mise-a-jour", NULL);
}

int
actions_app_finish_post(struct req *r)
{
	int64_t now = clock_now_ms(), day = 0;
	const char *when = req_form(r, "quand"), *date = req_form(r, "date");
	const char *err = chosen_day(r, when, date, now, &day);
	if (err)
		return detail(r, 400, one_error("terminer", err),
			      json_pack("{s:s, s:s}", "quand", when ? when : "", "date", date ? date : ""),
			      NULL);
	return change_status(r, ACTION_DONE, day, now);
}

int
actions_app_reopen_post(struct req *r)
{
	return change_status(r, ACTION_IN_PROGRESS, 0, clock_now_ms());
}

int
actions_app_comment_post(struct req *r)
{
	const char *raw = req_form(r, "commentaire");
	const char *body = text_trim(r->a, raw);
	const char *err = !body || !*body ? COMMENT_REQUIRED
		: text_length(body) > ACTION_COMMENT_MAX ? TEXT_TOO_LONG : NULL;
	if (err)
		return detail(r, 400, one_error("commentaire", err), NULL, raw);
	struct action a;
	int rc = load_own(r, &a);
	if (rc)
		return fail(r, rc);
	struct action_comment c = {
		.author_id = r->user->id, .first_name = r->user->first_name,
		.last_name = r->user->last_name, .body = body, .by_counselor = false,
	};
	struct db *db = ctx_db(r);
	rc = db_tx_begin(db);
	if (!rc)
		rc = actions_add_comment(db, NULL, r->a, clock_now_ms(), &a, &c);
	if (rc)
		db_tx_rollback(db);
	else
		rc = db_tx_commit(db);
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(r->a, "/app/actions/%s#commentaires", a.id));
	return 0;
}

/* ---- Edit (own actions only) ---- */

/* True when the caller may not edit @a: the refusal page is then the response, and *@rc
 * what the handler returns. */
static bool
edit_refused(struct req *r, const struct action *a, int *rc)
{
	if (a->q_code)
		*rc = refuse_qualified(r, a->id);
	else if (a->by_counselor)
		*rc = refused(r, 403, "Modification impossible",
			      "Cette action a été créée par ton conseiller : tu peux seulement changer son statut.",
			      action_path(r, a->id), "Retour à mon action");
	else
		return false;
	return true;
}

static int
edit_form(struct req *r, int status, const char *id, const struct draft *d, json_t *errors)
{
	json_t *data = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "title",
				 errors ? "Erreur — Modifier l’action" : "Modifier l’action", "nav",
				 "suivi", "id", id, "d", draft_json(d), "errors",
				 errors ? errors : json_object(), "categories",
				 categories_json(d->category), "titles", titles_json(r, d->title), "dates",
				 dates_json(r, clock_now_ms()));
	return view_page(r, status, "actions/app_edit.html", data);
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
	int rc = load_own(r, &a);
	if (rc)
		return fail(r, rc);
	if (edit_refused(r, &a, &rc))
		return rc;
	const char *title = title_choice(r, a.title);
	struct draft d = {
		.category = a.category, .title = title,
		.other = !strcmp(title, "autre") ? a.title : "", .description = a.description,
		.status = status_field(a.status),
		.date = clock_iso_day(r->a, action_display_at(&a), a.timezone),
	};
	return edit_form(r, 200, a.id, &d, NULL);
}

int
actions_app_edit_post(struct req *r)
{
	struct action before, a;
	int64_t now = clock_now_ms(), day = 0;
	int rc = load_own(r, &before);
	if (rc)
		return fail(r, rc);
	if (edit_refused(r, &before, &rc))
		return rc;
	struct draft d;
	draft_read(r, &d, false);
	json_t *e = json_object();
	const char *title, *description, *field = NULL, *err = NULL;
	title = title_of(r, d.title, d.other, &field, &err);
	if (err)
		json_object_set_new(e, field, json_string(err));
	description = text_trim(r->a, d.description);
	if (text_length(description) > ACTION_DESCRIPTION_MAX)
		json_object_set_new(e, "description", json_string(TEXT_TOO_LONG));
	if (d.category && *d.category && !action_category(d.category))
		json_object_set_new(e, "categorie", json_string(CATEGORY_REQUIRED));
	enum action_status status = ACTION_IN_PROGRESS;
	if (!g_strcmp0(d.status, "terminee"))
		status = ACTION_DONE;
	else if (!g_strcmp0(d.status, "annulee"))
		status = ACTION_CANCELED;
	else if (g_strcmp0(d.status, "en_cours"))
		json_object_set_new(e, "statut", json_string(FIELDS_REQUIRED));
	if ((err = chosen_day(r, NULL, d.date, now, &day)))
		json_object_set_new(e, "date", json_string(err));
	if (json_object_size(e))
		return edit_form(r, 400, before.id, &d, e);
	json_decref(e);

	a = before;
	a.title = title;
	a.description = description ? description : "";
	a.category = d.category && *d.category ? d.category : NULL;
	a.status = status;
	/* The date is the displayed one: the completion date of a done action, else its due
	 * date (actions.md §2). */
	if (status == ACTION_DONE)
		a.completed_at = action_due_at(day, before.timezone);
	else
		a.due_at = action_due_at(day, before.timezone);
	rc = save(r, &before, &a, now);
	if (rc)
		return write_failed(r, rc);
	return view_redirect_flash(r, action_path(r, a.id), "app-action-modifiee", NULL);
}

/* ---- Delete ---- */

/* True when the beneficiary may not delete @a (actions.md §3): the refusal page is then
 * the response, and *@rc what the handler returns. */
static bool
delete_refused(struct req *r, const struct action *a, int *rc)
{
	switch (action_may_delete(a, ACTOR_BENEFICIARY)) {
	case DELETE_FORBIDDEN:
		*rc = refused(r, 403, "Suppression impossible",
			      "Cette action a été créée par ton conseiller : lui seul peut la supprimer.",
			      action_path(r, a->id), "Retour à mon action");
		return true;
	case DELETE_REFUSED:
		*rc = refused(r, 400, "Suppression impossible", DELETE_REFUSAL, action_path(r, a->id),
			      "Retour à mon action");
		return true;
	case DELETE_OK:
		break;
	}
	return false;
}

int
actions_app_delete_page(struct req *r)
{
	struct action a;
	int rc = load_own(r, &a);
	if (rc)
		return fail(r, rc);
	if (delete_refused(r, &a, &rc))
		return rc;
	return view_page(r, 200, "actions/app_delete.html",
			 json_pack("{s:s, s:s, s:o}", "title", "Supprimer l’action ?", "nav", "suivi",
				   "action", action_json(r, &a, clock_now_ms())));
}

int
actions_app_delete_post(struct req *r)
{
	struct db *db = ctx_db(r);
	struct action a;
	/* Loaded inside the transaction: a comment added meanwhile forbids the deletion. */
	int rc = db_tx_begin(db);
	if (!rc)
		rc = load_own(r, &a);
	if (rc) {
		db_tx_rollback(db);
		return fail(r, rc);
	}
	if (action_may_delete(&a, ACTOR_BENEFICIARY) != DELETE_OK) {
		db_tx_rollback(db);
		delete_refused(r, &a, &rc);
		return rc;
	}
	rc = actions_remove(db, r->a, &a);
	if (rc)
		db_tx_rollback(db);
	else
		rc = db_tx_commit(db);
	if (rc)
		return rc;
	return view_redirect_flash(r, "/app/suivi", "app-action-supprimee", NULL);
}
