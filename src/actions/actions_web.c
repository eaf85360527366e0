/* actions_web.c — the counselor's pages on actions: parse, decide access (record_open),
 * call the use case (actions_use.h), render. */
#include "actions/actions_web.h"

#include "actions/actions_form.h"
#include "actions/actions_store.h"
#include "actions/actions_use.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "core/ctx.h"
#include "view/form_errors.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

#define DEFAULT_COMMENT "Pouvez-vous compléter la description de cette action s’il vous plaît ?"

/* The beneficiary of the path when the caller is its referent (creating an action): a
 * colleague who may only read gets 403 (beneficiaries.md acceptance 10), others 404. */
static int
load_record_for_write(struct req *r, struct record *rec)
{
	return record_open(ctx_db(r), r->a, r->user, req_param(r, "id"), RECORD_WRITE,
			   clock_now_ms(), rec, NULL);
}

/* The action of the path, its beneficiary and the caller's access, by record_open's rule:
 * 404 when the caller may not see the beneficiary, 403 to a reader when @need is
 * RECORD_WRITE, a read outside the portfolio audited. */
static int
load(struct req *r, enum record_need need, struct action *a, struct record *rec,
     enum authz_level *level)
{
	const char *id = req_param(r, "id");
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = actions_store_load(ctx_db(r), r->a, id, a);
	return rc ? rc : record_open(ctx_db(r), r->a, r->user, a->beneficiary_id, need,
				     clock_now_ms(), rec, level);
}

int
actions_web_load(struct req *r, struct action *a, struct record *rec, enum authz_level *level)
{
	return load(r, RECORD_READ, a, rec, level);
}

int
actions_web_load_for_write(struct req *r, struct action *a, struct record *rec)
{
	return load(r, RECORD_WRITE, a, rec, NULL);
}

#define load_for_write actions_web_load_for_write

static const char *
full_name(struct req *r, const char *first, const char *last)
{
	return arena_printf(r->a, "%s %s", first, text_upper(r->a, last));
}

static const char *
action_path(struct req *r, const char *id)
{
	return arena_printf(r->a, "/actions/%s", id);
}

/* The answer to a use case that said no: its refusal page, back to the action, or the
 * error alone (403, 404, 500 pages) when it has nothing to tell. */
static int
refused(struct req *r, int rc, const struct refusal *why, const char *action_id)
{
	if (!why->message)
		return rc;
	return view_refusal(r, why, "portefeuille", action_path(r, action_id), "Retour à l’action");
}

/* ---- The form (creation and edit) ---- */

static void
add_choices(struct vm *page, const struct action_form *f)
{
	struct vm *categories = vm_set_list(page, "categories");
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++) {
		struct vm *c = vm_push_obj(categories);
		vm_set_str(c, "code", action_categories[i].code);
		vm_set_str(c, "label", action_categories[i].label);
		vm_set_bool(c, "selected", f->category && !strcmp(f->category, action_categories[i].code));
	}
	struct vm *titles = vm_set_list(page, "titles");
	for (int i = 0; i < ACTION_TITLE_COUNT; i++) {
		struct vm *t = vm_push_obj(titles);
		vm_set_str(t, "label", action_titles[i]);
		vm_set_bool(t, "selected", f->title && !strcmp(f->title, action_titles[i]));
	}
}

/* "Aujourd’hui (lundi 15)", "Demain (mardi 16)", "Semaine prochaine (lundi 22)". */
static void
add_shortcuts(struct req *r, struct vm *page, int64_t now, const char *tz)
{
	int64_t today = clock_day_of(now, tz);
	int64_t days[] = {today, today + 1, clock_day_monday(today) + 7};
	const char *names[] = {"Aujourd’hui", "Demain", "Semaine prochaine"};
	struct vm *list = vm_set_list(page, "shortcuts");
	for (int i = 0; i < 3; i++) {
		struct vm *s = vm_push_obj(list);
		vm_set_strf(s, "label", "%s (%s %d)", names[i], clock_day_weekday_fr(days[i]),
			    clock_day_of_month(days[i]));
		vm_set_str(s, "date", clock_day_iso(r->a, days[i]));
	}
}

static struct vm *
form_errors(struct req *r, const struct action_form_errors *e)
{
	const struct view_field_error fields[] = {
		{"category", "categorie", e->category}, {"title", "titre", e->title},
		{"custom_title", "titre-perso", e->custom_title},
		{"description", "description", e->description},
		{"due_date", "date-action", e->due_date},
		{"done_date", "date-realisation", e->done_date},
	};
	return view_form_errors(r->a, fields, G_N_ELEMENTS(fields));
}

/* Renders the form of @rec's action: @action_id NULL for a creation. */
static int
form_page(struct req *r, int status, const struct record *rec, const char *action_id,
	  const struct action_form *f, const struct action_form_errors *e)
{
	int64_t now = clock_now_ms(), first, last;
	action_date_window(now, rec->timezone, &first, &last);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", action_id ? "Modifier l’action" : "Créer une nouvelle action");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "id", rec->id);
	vm_set_str(page, "name", full_name(r, rec->first_name, rec->last_name));
	vm_set_str_opt(page, "action_id", action_id);
	add_choices(page, f);
	vm_set_bool(page, "other", f->title && !strcmp(f->title, ACTION_FORM_OTHER));
	vm_set_str_opt(page, "custom_title", f->custom_title);
	vm_set_str_opt(page, "description", f->description);
	vm_set_int(page, "description_length", f->description ? g_utf8_strlen(f->description, -1) : 0);
	vm_set_bool(page, "done", f->done);
	vm_set_str_opt(page, "due_date", f->due_date);
	vm_set_str_opt(page, "done_date", f->done_date);
	add_shortcuts(r, page, now, rec->timezone);
	vm_set_str(page, "min", clock_day_iso(r->a, first));
	vm_set_str(page, "max", clock_day_iso(r->a, last));
	vm_set_int(page, "text_max", ACTION_FORM_TEXT_MAX);
	vm_set(page, "errors", e ? form_errors(r, e) : NULL);
	return view_page(r, status, "actions/form.html", page);
}

static void
parse_form(struct req *r, struct action_form *f)
{
	const char *statut = req_form(r, "statut");
	*f = (struct action_form){
		.category = req_form(r, "categorie"), .title = req_form(r, "titre"),
		.custom_title = text_trim(r->a, req_form(r, "titre_perso")),
		.description = text_trim(r->a, req_form(r, "description")),
		.done = !statut || strcmp(statut, "a_faire") != 0,
		.due_date = req_form(r, "date_action"), .done_date = req_form(r, "date_realisation"),
	};
}

/* Fills the fields of @a from a checked form with the 09:30 rule. "Terminée" sets the
 * completion date (and the due date too at creation: §2); "À faire" sets the due date. */
static void
apply_form(const struct action_form *f, const char *tz, struct action *a)
{
	int64_t at = action_due_at(actions_form_day(f), tz);
	a->category = f->category;
	a->title = actions_form_title(f);
	a->description = f->description ? f->description : "";
	if (f->done) {
		a->status = ACTION_DONE;
		a->completed_at = at;
		if (!a->due_at)
			a->due_at = at;
	} else {
		if (a->status == ACTION_DONE || a->status == ACTION_CANCELED)
			a->status = ACTION_NOT_STARTED;
		a->completed_at = 0;
		a->due_at = at;
	}
}

int
actions_new_page(struct req *r)
{
	struct record rec;
	int rc = load_record_for_write(r, &rec);
	if (rc)
		return rc;
	struct action_form f = {.done = true,
				.done_date = clock_iso_day(r->a, clock_now_ms(), rec.timezone)};
	return form_page(r, 200, &rec, NULL, &f, NULL);
}

int
actions_create_post(struct req *r)
{
	struct record rec;
	struct action_form f;
	struct action_form_errors e;
	int64_t now = clock_now_ms();
	int rc = load_record_for_write(r, &rec);
	if (rc)
		return rc;
	parse_form(r, &f);
	if (actions_form_check(r->a, &f, now, rec.timezone, &e))
		return form_page(r, 400, &rec, NULL, &f, &e);
	struct action a = {.beneficiary_id = rec.id, .by_counselor = true,
			   .creator_id = r->user->id, .creator_first_name = r->user->first_name,
			   .creator_last_name = r->user->last_name, .timezone = rec.timezone,
			   .cej = !strcmp(rec.dispositif, "CEJ"), .status = ACTION_NOT_STARTED};
	apply_form(&f, rec.timezone, &a);
	a.reminder = true;  /* a date was given (§2) */
	if ((rc = actions_add(ctx_db(r), r->a, now, &a)))
		return rc;
	resp_redirect(r, arena_printf(r->a, "/actions/%s/enregistree", a.id));
	return 0;
}

int
actions_saved_page(struct req *r)
{
	struct action a;
	struct record rec;
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Action enregistrée !");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "id", rec.id);
	vm_set_str(page, "action_id", a.id);
	return view_page(r, 200, "actions/saved.html", page);
}

/* ---- Detail ---- */

static int
add_comments(struct req *r, struct vm *page, const struct action *a, const char *tz, int64_t now)
{
	struct action_comment *c;
	int n = actions_store_comments(ctx_db(r), r->a, a->id, &c);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "comments");
	for (int i = 0; i < n; i++) {
		struct vm *row = vm_push_obj(list);
		vm_set_str(row, "author", full_name(r, c[i].first_name, c[i].last_name));
		vm_set_str(row, "side", c[i].by_counselor ? "Conseiller" : "Bénéficiaire");
		vm_set_str(row, "date", clock_fr_relative(r->a, c[i].created_at, now, tz));
		vm_set_str(row, "body", c[i].body);
	}
	return 0;
}

void
actions_web_fields(struct req *r, struct vm *o, const struct action *a, int64_t now)
{
	const struct action_category *cat = action_category(a->category);
	enum action_display d = action_display(a, now);
	vm_set_str(o, "action_id", a->id);
	vm_set_str(o, "action_title", a->title);
	vm_set_str(o, "description", a->description);
	vm_set_str_opt(o, "category", cat ? cat->label : NULL);
	vm_set_str(o, "status", action_display_label(d));
	vm_set_str(o, "status_code", action_display_code(d));
	vm_set_str(o, "date", clock_fr_day(r->a, action_display_at(a), a->timezone));
	vm_set_str(o, "due", clock_fr_day(r->a, a->due_at, a->timezone));
	vm_set_str_opt(o, "completed",
		       a->completed_at ? clock_fr_day(r->a, a->completed_at, a->timezone) : NULL);
	vm_set_bool(o, "qualified", a->q_code != NULL);
	vm_set_bool(o, "snp", a->q_code && strcmp(a->q_code, "NON_SNP"));
}

int
actions_detail_page(struct req *r)
{
	struct action a;
	struct record rec;
	enum authz_level level;
	int64_t now = clock_now_ms();
	int rc = actions_web_load(r, &a, &rec, &level);
	if (rc)
		return rc;
	bool write = level == AUTHZ_WRITE;
	enum action_display d = action_display(&a, now);
	struct vm *page = vm_obj(r->a);
	if ((rc = add_comments(r, page, &a, rec.timezone, now)))
		return rc;
	actions_web_fields(r, page, &a, now);
	vm_set_str(page, "title", a.title);
	vm_set_str(page, "nav", write ? "portefeuille" : "etablissement");
	vm_set_str(page, "id", rec.id);
	vm_set_str(page, "name", full_name(r, rec.first_name, rec.last_name));
	vm_set_bool(page, "write", write);
	vm_set_bool(page, "read_only", !write);
	vm_set_bool(page, "can_qualify", write && d == DISPLAY_TO_QUALIFY);
	vm_set_bool(page, "can_delete", write && action_may_delete(&a, ACTOR_COUNSELOR) == DELETE_OK);
	vm_set_bool(page, "can_edit", write && action_may_edit_content(&a, ACTOR_COUNSELOR));
	vm_set_bool(page, "not_done", a.status != ACTION_DONE);
	vm_set_bool(page, "canceled", a.status == ACTION_CANCELED);
	vm_set_str(page, "creator", full_name(r, a.creator_first_name, a.creator_last_name));
	vm_set_str(page, "created_on", clock_fr_day(r->a, a.created_at, rec.timezone));
	vm_set_str(page, "updated_on", clock_fr_day(r->a, a.updated_at, rec.timezone));
	vm_set_str(page, "default_comment", DEFAULT_COMMENT);
	return view_page(r, 200, "actions/detail.html", page);
}

/* ---- Status, edit, delete, comment ---- */

int
actions_status_post(struct req *r)
{
	struct action a;
	struct record rec;
	struct refusal why = {0};
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	const char *statut = req_form(r, "statut");
	if (!statut || (strcmp(statut, "a_faire") && strcmp(statut, "terminee")))
		return -ERR_INVAL;
	rc = actions_set_status(ctx_db(r), r->a, clock_now_ms(), ACTOR_COUNSELOR, &a,
				!strcmp(statut, "terminee"), 0, &why);
	if (rc)
		return refused(r, rc, &why, a.id);
	return view_redirect_flash(r, action_path(r, a.id), "action-statut", NULL);
}

/* The form filled with @a as stored: a title outside the 20 opens as "Autre". */
static void
form_of(struct req *r, const struct action *a, struct action_form *f)
{
	bool predefined = action_title_predefined(a->title);
	*f = (struct action_form){
		.category = a->category, .title = predefined ? a->title : ACTION_FORM_OTHER,
		.custom_title = predefined ? NULL : a->title, .description = a->description,
		.done = a->status == ACTION_DONE,
		.due_date = clock_iso_day(r->a, a->due_at, a->timezone),
		.done_date = a->completed_at ? clock_iso_day(r->a, a->completed_at, a->timezone)
					     : clock_iso_day(r->a, a->due_at, a->timezone)};
}

int
actions_edit_page(struct req *r)
{
	struct action a;
	struct record rec;
	struct action_form f;
	struct refusal why = {0};
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if ((rc = actions_check_edit(&a, ACTOR_COUNSELOR, &why)))
		return refused(r, rc, &why, a.id);
	form_of(r, &a, &f);
	return form_page(r, 200, &rec, a.id, &f, NULL);
}

int
actions_edit_post(struct req *r)
{
	struct action a;
	struct record rec;
	struct action_form f;
	struct action_form_errors e;
	struct refusal why = {0};
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if ((rc = actions_check_edit(&a, ACTOR_COUNSELOR, &why)))
		return refused(r, rc, &why, a.id);
	parse_form(r, &f);
	if (actions_form_check(r->a, &f, clock_now_ms(), rec.timezone, &e))
		return form_page(r, 400, &rec, a.id, &f, &e);
	struct action after = a;
	apply_form(&f, rec.timezone, &after);
	rc = actions_update(ctx_db(r), r->a, clock_now_ms(), ACTOR_COUNSELOR, &a, &after, &why);
	if (rc)
		return refused(r, rc, &why, a.id);
	return view_redirect_flash(r, action_path(r, a.id), "action-modifiee", NULL);
}

/* Deletion (§3): counselor-created actions only (403), and only when not done, not
 * qualified and not commented (400). */
int
actions_delete_page(struct req *r)
{
	struct action a;
	struct record rec;
	struct refusal why = {0};
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if ((rc = actions_check_delete(&a, ACTOR_COUNSELOR, &why)))
		return refused(r, rc, &why, a.id);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Supprimer l’action ?");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "action_id", a.id);
	vm_set_str(page, "action_title", a.title);
	return view_page(r, 200, "actions/delete.html", page);
}

int
actions_delete_post(struct req *r)
{
	struct action a;
	struct record rec;
	struct refusal why = {0};
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	rc = actions_delete(ctx_db(r), r->a, ACTOR_COUNSELOR, a.id, rec.id, &why);
	if (rc)
		return refused(r, rc, &why, a.id);
	return view_redirect_flash(r, arena_printf(r->a, "/beneficiaires/%s?onglet=actions", rec.id),
				   "action-supprimee", NULL);
}

int
actions_comment_post(struct req *r)
{
	struct action a;
	struct record rec;
	struct refusal why = {0};
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	const char *body = text_trim(r->a, req_form(r, "commentaire"));
	if ((rc = actions_form_check_comment(body, &why)))
		return refused(r, rc, &why, a.id);
	struct action_comment c = {.author_id = r->user->id, .first_name = r->user->first_name,
				   .last_name = r->user->last_name, .body = body,
				   .by_counselor = true};
	rc = actions_comment(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(), &a, &c, &why);
	if (rc)
		return refused(r, rc, &why, a.id);
	return view_redirect_flash(r, action_path(r, a.id), "action-commentee", NULL);
}
