/* actions_web.c — the counselor's pages on actions: parse, check access (auth/authz),
 * apply the rules, call the use case, render. */
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
#include "db/db.h"
#include "messaging/messaging_live.h"
#include "core/ctx.h"
#include "view/view.h"

#include <string.h>

#define QUALIFIED_REFUSAL "Vous ne pouvez pas modifier une action qualifiée"
#define DELETE_REFUSAL "Vous ne pouvez pas supprimer une action terminée, qualifiée ou commentée."
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

static int
refused(struct req *r, int status, const char *title, const char *text, const char *back)
{
	return view_page(r, status, "errors/refused.html",
			 json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", title, "text", text, "back",
				   back, "back_label", "Retour à l’action", "nav", "portefeuille"));
}

/* ---- The form (creation and edit) ---- */

static json_t *
categories_json(const char *selected)
{
	json_t *out = json_array();
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code",
			action_categories[i].code, "label", action_categories[i].label, "selected",
			selected && !strcmp(selected, action_categories[i].code)));
	return out;
}

static json_t *
titles_json(const char *selected)
{
	json_t *out = json_array();
	for (int i = 0; i < ACTION_TITLE_COUNT; i++)
		json_array_append_new(out, json_pack("{s:s, s:b}", "label", action_titles[i],
			"selected", selected && !strcmp(selected, action_titles[i])));
	return out;
}

/* "Aujourd’hui (lundi 15)", "Demain (mardi 16)", "Semaine prochaine (lundi 22)". */
static json_t *
shortcuts_json(struct req *r, int64_t now, const char *tz)
{
	int64_t today = clock_day_of(now, tz);
	int64_t days[] = {today, today + 1, clock_day_monday(today) + 7};
	const char *names[] = {"Aujourd’hui", "Demain", "Semaine prochaine"};
	json_t *out = json_array();
	for (int i = 0; i < 3; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "label",
			arena_printf(r->a, "%s (%s %d)", names[i], clock_day_weekday_fr(days[i]),
				     clock_day_of_month(days[i])),
			"date", clock_day_iso(r->a, days[i])));
	return out;
}

static json_t *
errors_json(const struct action_form_errors *e)
{
	json_t *j = json_object();
	const struct {
		const char *name, *text, *anchor;
	} all[] = {
		{"category", e->category, "categorie"}, {"title", e->title, "titre"},
		{"custom_title", e->custom_title, "titre-perso"},
		{"description", e->description, "description"},
		{"due_date", e->due_date, "date-action"}, {"done_date", e->done_date, "date-realisation"},
	};
	json_t *list = json_array();
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		if (all[i].text) {
			json_object_set_new(j, all[i].name, json_string(all[i].text));
			json_array_append_new(list, json_pack("{s:s, s:s}", "text", all[i].text,
							      "anchor", all[i].anchor));
		}
	json_object_set_new(j, "list", list);
	json_object_set_new(j, "count", json_integer(e->count));
	return j;
}

/* Renders the form of @rec's action: @action_id NULL for a creation. */
static int
form_page(struct req *r, int status, const struct record *rec, const char *action_id,
	  const struct action_form *f, const struct action_form_errors *e)
{
	int64_t now = clock_now_ms(), first, last;
	action_date_window(now, rec->timezone, &first, &last);
	bool other = f->title && !strcmp(f->title, ACTION_FORM_OTHER);
	json_t *data = json_pack(
		"{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:b, s:s?, s:s?, s:b, s:s?, s:s?, s:o, s:s, s:s,"
		" s:i}",
		"title", action_id ? "Modifier l’action" : "Créer une nouvelle action", "nav",
		"portefeuille", "id", rec->id, "name", full_name(r, rec->first_name, rec->last_name),
		"action_id", action_id, "categories", categories_json(f->category), "titles",
		titles_json(f->title), "other", other, "custom_title", f->custom_title, "description",
		f->description, "done", f->done, "due_date", f->due_date, "done_date", f->done_date,
		"shortcuts", shortcuts_json(r, now, rec->timezone), "min", clock_day_iso(r->a, first),
		"max", clock_day_iso(r->a, last), "text_max", ACTION_FORM_TEXT_MAX);
	json_object_set_new(data, "description_length",
			    json_integer(f->description ? g_utf8_strlen(f->description, -1) : 0));
	if (e && e->count)
		json_object_set_new(data, "errors", errors_json(e));
	return view_page(r, status, "actions/form.html", data);
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
	struct db *db = ctx_db(r);
	if ((rc = db_tx_begin(db)) || (rc = db_tx_end(db, actions_create(db, r->a, now, &a))))
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
	return view_page(r, 200, "actions/saved.html",
			 json_pack("{s:s, s:s, s:s, s:s}", "title", "Action enregistrée !", "nav",
				   "portefeuille", "id", rec.id, "action_id", a.id));
}

/* ---- Detail ---- */

static json_t *
comments_json(struct req *r, const struct action *a, const char *tz)
{
	struct action_comment *c;
	int n = actions_store_comments(ctx_db(r), r->a, a->id, &c);
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "author",
			full_name(r, c[i].first_name, c[i].last_name),
			"side", c[i].by_counselor ? "Conseiller" : "Bénéficiaire", "date",
			clock_fr_relative(r->a, c[i].created_at, clock_now_ms(), tz), "body", c[i].body));
	return n < 0 ? (json_decref(out), NULL) : out;
}

/* The fields every page about one action shows. */
json_t *
actions_web_json(struct req *r, const struct action *a, int64_t now)
{
	const struct action_category *cat = action_category(a->category);
	enum action_display d = action_display(a, now);
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s?, s:b, s:b}",
		"action_id", a->id, "action_title", a->title, "description", a->description,
		"category", cat ? cat->label : NULL, "status", action_display_label(d),
		"status_code", action_display_code(d), "date",
		clock_fr_day(r->a, action_display_at(a), a->timezone), "due",
		clock_fr_day(r->a, a->due_at, a->timezone), "completed",
		a->completed_at ? clock_fr_day(r->a, a->completed_at, a->timezone) : NULL,
		"qualified", a->q_code != NULL, "snp", a->q_code && strcmp(a->q_code, "NON_SNP"));
	return j;
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
	json_t *comments = comments_json(r, &a, rec.timezone);
	if (!comments)
		return -ERR_DB;
	json_t *data = actions_web_json(r, &a, now);
	enum action_display d = action_display(&a, now);
	json_object_update_new(data, json_pack(
		"{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:o, s:s, s:s, s:s, s:s}",
		"title", a.title, "nav", write ? "portefeuille" : "etablissement", "id", rec.id,
		"name", full_name(r, rec.first_name, rec.last_name), "write", write, "read_only",
		!write, "can_qualify", write && d == DISPLAY_TO_QUALIFY, "can_delete",
		write && action_may_delete(&a, ACTOR_COUNSELOR) == DELETE_OK, "can_edit",
		write && action_may_edit_content(&a, ACTOR_COUNSELOR), "todo",
		a.status != ACTION_DONE, "comments", comments, "creator",
		full_name(r, a.creator_first_name, a.creator_last_name), "created_on",
		clock_fr_day(r->a, a.created_at, rec.timezone), "updated_on",
		clock_fr_day(r->a, a.updated_at, rec.timezone), "default_comment", DEFAULT_COMMENT));
	if (a.status == ACTION_CANCELED)
		json_object_set_new(data, "canceled", json_true());
	return view_page(r, 200, "actions/detail.html", data);
}

/* ---- Status, edit, delete, comment ---- */

/* Stores the change: 0 when done, 1 when refused (the refusal page is the response), or
 * a negative error. */
static int
change(struct req *r, const struct action *before, struct action *after)
{
	struct db *db = ctx_db(r);
	int rc = db_tx_begin(db);
	if (!rc)
		rc = db_tx_end(db, actions_change(db, r->a, clock_now_ms(), before, after));
	if (rc == -ERR_INVAL || rc == -ERR_CONFLICT) {
		rc = refused(r, 400, "L’action n’a pas été modifiée", QUALIFIED_REFUSAL,
			     arena_printf(r->a, "/actions/%s", before->id));
		return rc ? rc : 1;
	}
	return rc;
}

int
actions_status_post(struct req *r)
{
	struct action a;
	struct record rec;
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	const char *statut = req_form(r, "statut");
	if (!statut || (strcmp(statut, "a_faire") && strcmp(statut, "terminee")))
		return -ERR_INVAL;
	struct action after = a;
	bool done = !strcmp(statut, "terminee");
	if (done != (a.status == ACTION_DONE) || a.status == ACTION_CANCELED) {
		after.status = done ? ACTION_DONE : ACTION_NOT_STARTED;
		after.completed_at = 0;  /* moving into done: now (§2) */
		if ((rc = change(r, &a, &after)))
			return rc > 0 ? 0 : rc;
	} else if (a.q_code) {
		return refused(r, 400, "L’action n’a pas été modifiée", QUALIFIED_REFUSAL,
			       arena_printf(r->a, "/actions/%s", a.id));
	}
	return view_redirect_flash(r, arena_printf(r->a, "/actions/%s", a.id), "action-statut", NULL);
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
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if (a.q_code)
		return refused(r, 400, "L’action n’a pas été modifiée", QUALIFIED_REFUSAL,
			       arena_printf(r->a, "/actions/%s", a.id));
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
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if (a.q_code)
		return refused(r, 400, "L’action n’a pas été modifiée", QUALIFIED_REFUSAL,
			       arena_printf(r->a, "/actions/%s", a.id));
	parse_form(r, &f);
	if (actions_form_check(r->a, &f, clock_now_ms(), rec.timezone, &e))
		return form_page(r, 400, &rec, a.id, &f, &e);
	struct action after = a;
	apply_form(&f, rec.timezone, &after);
	if ((rc = change(r, &a, &after)))
		return rc > 0 ? 0 : rc;
	return view_redirect_flash(r, arena_printf(r->a, "/actions/%s", a.id), "action-modifiee", NULL);
}

/* Deletion: the counselor side may delete counselor-created actions only (403), and
 * only when not done, not qualified and not commented (400). */
static int
check_delete(struct req *r, const struct action *a)
{
	switch (action_may_delete(a, ACTOR_COUNSELOR)) {
	case DELETE_OK:
		return 0;
	case DELETE_FORBIDDEN:
		return -ERR_FORBIDDEN;
	default:
		return refused(r, 400, "L’action n’a pas été supprimée", DELETE_REFUSAL,
			       arena_printf(r->a, "/actions/%s", a->id)) ? -ERR_DB : 1;
	}
}

int
actions_delete_page(struct req *r)
{
	struct action a;
	struct record rec;
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if ((rc = check_delete(r, &a)))
		return rc > 0 ? 0 : rc;
	return view_page(r, 200, "actions/delete.html",
			 json_pack("{s:s, s:s, s:s, s:s}", "title", "Supprimer l’action ?", "nav",
				   "portefeuille", "action_id", a.id, "action_title", a.title));
}

int
actions_delete_post(struct req *r)
{
	struct action a;
	struct record rec;
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if ((rc = check_delete(r, &a)))
		return rc > 0 ? 0 : rc;
	struct db *db = ctx_db(r);
	if (!(rc = db_tx_begin(db)))
		rc = db_tx_end(db, actions_remove(db, r->a, &a));
	if (rc == -ERR_CONFLICT)  /* done, qualified or commented meanwhile */
		return refused(r, 400, "L’action n’a pas été supprimée", DELETE_REFUSAL,
			       arena_printf(r->a, "/actions/%s", a.id));
	if (rc)
		return rc;
	return view_redirect_flash(r, arena_printf(r->a, "/beneficiaires/%s?onglet=actions", rec.id),
				   "action-supprimee", NULL);
}

int
actions_comment_post(struct req *r)
{
	struct action a;
	struct record rec;
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	const char *body = text_trim(r->a, req_form(r, "commentaire"));
	const char *back = arena_printf(r->a, "/actions/%s", a.id);
	if (!body || !*body)
		return refused(r, 400, "Le commentaire n’a pas été envoyé",
			       "Veuillez saisir un message à envoyer au bénéficiaire.", back);
	if (g_utf8_strlen(body, -1) > ACTION_COMMENT_MAX)
		return refused(r, 400, "Le commentaire n’a pas été envoyé",
			       "Le commentaire ne doit pas dépasser 1024 caractères.", back);
	struct action_comment c = {.author_id = r->user->id, .first_name = r->user->first_name,
				   .last_name = r->user->last_name, .body = body,
				   .by_counselor = true};
	struct db *db = ctx_db(r);
	if (!(rc = db_tx_begin(db)))
		rc = db_tx_end(db, actions_add_comment(db, req_ctx(r)->keys, r->a, clock_now_ms(), &a, &c));
	if (rc) {
		rc = refused(r, 500, "Le commentaire n’a pas été envoyé",
			     "Erreur lors de l’envoi du message, veuillez réessayer plus tard.", back);
		return rc ? rc : 0;
	}
	messaging_live_changed(rec.id, rec.counselor_id);  /* its ACTION_COMMENT message */
	return view_redirect_flash(r, back, "action-commentee", NULL);
}
