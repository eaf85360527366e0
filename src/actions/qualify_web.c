/* qualify_web.c — the qualification pages: parse, check access and eligibility, call
 * actions_qualify() (which writes to i-milo before saving), render. */
#include "actions/qualify_web.h"

#include "actions/actions.h"
#include "actions/actions_store.h"
#include "actions/actions_use.h"
#include "actions/actions_web.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "db/db.h"
#include "record/record.h"
#include "core/ctx.h"
#include "view/view.h"

#include <string.h>

#define NON_SNP "NON_SNP"
#define REFUSED_TITLE "Qualification impossible."
#define QUALIFY_ERRORS_MAX 6

static const char *
full_name(struct req *r, const char *first, const char *last)
{
	return arena_printf(r->a, "%s %s", first, text_upper(r->a, last));
}

static int
refused(struct req *r, int status, const char *text, const char *back, const char *back_label)
{
	return view_page(r, status, "errors/refused.html",
			 json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", REFUSED_TITLE, "text", text,
				   "back", back, "back_label", back_label, "nav", "portefeuille"));
}

/* The trace of a qualification (DESIGN §8). A failure to write it is logged: the
 * situation already lives in i-milo and the qualification is saved. */
static void
audit_qualified(struct req *r, const char *action_id, const char *code, int64_t now)
{
	if (audit_record(ctx_db(r), now, "counselor", r->user->id, "action.qualify", action_id, code))
		log_error("audit: qualification of action %s not traced", action_id);
}

/* The counselor's i-milo login (NULL when unknown: actions_qualify refuses SNP then). */
static int
counselor_login(struct req *r, const char **login)
{
	return actions_store_counselor_login(ctx_db(r), r->a, r->user->id, login);
}

/* ---- The single page ---- */

/* The action of the path, when the caller is its referent (a colleague 403, others 404). */
#define load_for_write actions_web_load_for_write

struct field_error {
	const char *field, *text;   /* field: the input's id, the anchor of the summary */
};

/* The input a message of actions_qualify_check() is about (§8 "Qualification"). */
static const char *
field_of(const char *message)
{
	static const struct {
		const char *prefix, *field;
	} map[] = {
		{"Le champ Catégorie", "categorie"},   {"Le champ Titre", "commentaire"},
		{"Vous avez dépassé", "commentaire"},  {"Le champ Date de fin", "date-fin"},
		{"Le champ Date de début", "date-debut"}, {"La date de début", "date-debut"},
		{"La date de fin", "date-fin"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
		if (g_str_has_prefix(message, map[i].prefix))
			return map[i].field;
	return NULL;
}

/* Every error of @in, one per field: actions_qualify_check() tells the first one, which
 * is then set aside with a valid stand-in so that the next one shows. Returns the count. */
static int
collect_errors(struct req *r, const struct action *a, struct qualify_input in, int64_t now,
	       struct field_error *out)
{
	const char *today = clock_iso_day(r->a, now, a->timezone);
	const char *m;
	int n = 0;
	while (n < QUALIFY_ERRORS_MAX && (m = actions_qualify_check(a, &in, now))) {
		const char *field = field_of(m);
		out[n++] = (struct field_error){field ? field : "categorie", m};
		if (!field || !strcmp(field, "categorie"))
			break;  /* without a category, the rest may not apply */
		if (!strcmp(field, "commentaire")) {
			in.comment = "-";
		} else if (!strcmp(field, "date-fin")) {
			in.end = today;
			if (clock_day_parse(in.start) > clock_day_parse(today))
				in.start = today;
		} else {
			in.start = clock_day_parse(in.end) != CLOCK_NO_DAY ? in.end : today;
		}
	}
	return n;
}

static json_t *
categories_json(const char *selected)
{
	json_t *out = json_array();
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code",
			action_categories[i].code, "label", action_categories[i].label, "selected",
			selected && !strcmp(selected, action_categories[i].code)));
	json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", NON_SNP, "label",
		"Action non SNP", "selected", selected && !strcmp(selected, NON_SNP)));
	return out;
}

static json_t *
errors_json(const struct field_error *e, int n)
{
	json_t *j = json_object(), *list = json_array();
	for (int i = 0; i < n; i++) {
		json_array_append_new(list, json_pack("{s:s, s:s}", "text", e[i].text, "anchor", e[i].field));
		if (!json_object_get(j, e[i].field))
			json_object_set_new(j, e[i].field, json_string(e[i].text));
	}
	json_object_set_new(j, "list", list);
	json_object_set_new(j, "count", json_integer(n));
	return j;
}

/* Renders the page with @in as typed; @errors (may be 0) or @failure (i-milo's or the
 * use case's message, may be NULL). */
static int
form_page(struct req *r, int status, const struct action *a, const struct record *rec,
	  const struct qualify_input *in, const struct field_error *errors, int n_errors,
	  const char *failure)
{
	int64_t now = clock_now_ms();
	bool snp = !in->code || strcmp(in->code, NON_SNP) != 0;
	json_t *data = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:s?, s:s?, s:s?, s:s, s:i, s:s?}",
		"title", "Qualifier l’action", "nav", "portefeuille", "id", rec->id, "name",
		full_name(r, rec->first_name, rec->last_name), "action_id", a->id, "action_title",
		a->title, "categories", categories_json(in->code), "snp", snp, "comment",
		in->comment, "start", in->start, "end", in->end, "max",
		clock_iso_day(r->a, now, a->timezone), "comment_max", ACTION_QUALIFY_COMMENT_MAX,
		"failure", failure);
	json_object_set_new(data, "comment_length",
			    json_integer(in->comment ? g_utf8_strlen(in->comment, -1) : 0));
	if (n_errors)
		json_object_set_new(data, "errors", errors_json(errors, n_errors));
	return view_page(r, status, "actions/qualify.html", data);
}

static int
success_page(struct req *r, const struct action *a, const struct record *rec)
{
	return view_page(r, 200, "actions/qualify_done.html",
			 json_pack("{s:s, s:s, s:s, s:s, s:b}", "title", "Action enregistrée !", "nav",
				   "portefeuille", "id", rec->id, "action_id", a->id, "snp",
				   strcmp(a->q_code, NON_SNP) != 0));
}

int
qualify_page(struct req *r)
{
	struct action a;
	struct record rec;
	const char *message, *step = req_query(r, "etape");
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	/* After the redirection of a success (a reload stays on it). */
	if (a.q_code && step && !strcmp(step, "succes"))
		return success_page(r, &a, &rec);
	if ((message = action_qualify_refusal(&a)))
		return refused(r, 400, message, arena_printf(r->a, "/actions/%s", a.id),
			       "Retour à l’action");
	const char *day = clock_iso_day(r->a, a.completed_at, a.timezone);
	struct qualify_input in = {.code = a.category,
				   .comment = action_qualify_default_comment(r->a, &a),
				   .start = day, .end = day};
	return form_page(r, 200, &a, &rec, &in, NULL, 0, NULL);
}

int
qualify_post(struct req *r)
{
	struct action a;
	struct record rec;
	struct field_error errors[QUALIFY_ERRORS_MAX];
	const char *message = NULL, *login;
	int64_t now = clock_now_ms();
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if ((message = action_qualify_refusal(&a)))
		return refused(r, 400, message, arena_printf(r->a, "/actions/%s", a.id),
			       "Retour à l’action");
	/* Absent fields take the page's defaults (§5); sent but empty ones are errors. */
	const char *day = clock_iso_day(r->a, a.completed_at, a.timezone);
	const char *comment = req_form(r, "commentaire"), *start = req_form(r, "date_debut"),
		   *end = req_form(r, "date_fin");
	struct qualify_input in = {
		.code = req_form(r, "categorie"),
		.comment = comment ? text_trim(r->a, comment) : action_qualify_default_comment(r->a, &a),
		.start = start ? text_trim(r->a, start) : day,
		.end = end ? text_trim(r->a, end) : day,
	};
	int n = collect_errors(r, &a, in, now, errors);
	if (n)
		return form_page(r, 400, &a, &rec, &in, errors, n, NULL);
	if ((rc = counselor_login(r, &login)))
		return rc;
	rc = actions_qualify(ctx_db(r), req_ctx(r)->imilo, r->a, now, r->user->id, login,
			     rec.imilo_dossier_id, a.id, &in, &message);
	if (rc == 0) {
		audit_qualified(r, a.id, in.code, now);
		resp_redirect(r, arena_printf(r->a, "/actions/%s/qualifier?etape=succes", a.id));
		return 0;
	}
	if (!message)
		return rc;
	return form_page(r, err_http_status(rc), &a, &rec, &in, NULL, 0, message);
}

/* ---- The batch ---- */

/* Action @id and its beneficiary, when the caller is the referent: 404 when the action
 * does not exist for them, 403 for a colleague who may only read. */
static int
load_by_id(struct req *r, const char *id, struct action *a, struct record *rec)
{
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = actions_store_load(ctx_db(r), r->a, id, a);
	return rc ? rc : record_open(ctx_db(r), r->a, r->user, a->beneficiary_id, RECORD_WRITE,
				     clock_now_ms(), rec, NULL);
}

struct batch {
	int n;
	const char *ids[ACTION_BATCH_MAX];
	struct action actions[ACTION_BATCH_MAX];
	struct record rec;      /* of the first action (all share it once the rules hold) */
	bool snp, to_pilotage;
};

/* The distinct ids of the "action" fields, in order; -1 beyond ACTION_BATCH_MAX. */
static int
batch_ids(struct req *r, const char **ids)
{
	int n = 0;
	for (size_t i = 0; i < r->form.n; i++) {
		const struct kv *kv = &r->form.items[i];
		bool seen = false;
		if (strcmp(kv->key, "action") || !*kv->val)
			continue;
		for (int k = 0; k < n && !seen; k++)
			seen = !strcmp(ids[k], kv->val);
		if (seen)
			continue;
		if (n == ACTION_BATCH_MAX)
			return -1;
		ids[n++] = kv->val;
	}
	return n;
}

/* Where the batch comes back to, with the ids to keep selected (may be NULL). */
static const char *
back_url(struct req *r, const struct batch *b, const char *const *keep, int n_keep)
{
	GString *s = g_string_new(NULL);
	if (b->to_pilotage || !b->n)
		g_string_append(s, "/pilotage?onglet=actions");
	else
		g_string_append_printf(s, "/beneficiaires/%s?onglet=actions", b->actions[0].beneficiary_id);
	for (int i = 0; i < n_keep; i++)
		g_string_append_printf(s, "&action=%s", keep[i]);
	char *url = arena_strdup(r->a, s->str);
	g_string_free(s, TRUE);
	return url;
}

/* Renders the refusal page: 1 (the response is set) or a negative error. */
static int
batch_refused(struct req *r, const struct batch *b, const char *text)
{
	int rc = refused(r, 400, text, back_url(r, b, NULL, 0), "Retour à la liste des actions");
	return rc ? rc : 1;
}

/* Parses and checks the batch (§5 "Batch qualification"): 0 with *@b filled, 1 when a
 * refusal page was rendered, or a negative error (403, 404…). */
static int
batch_load(struct req *r, struct batch *b)
{
	const char *type = req_form(r, "type"), *back = req_form(r, "retour");
	const char *beneficiaries[ACTION_BATCH_MAX], *categories[ACTION_BATCH_MAX], *message;
	memset(b, 0, sizeof(*b));
	if (!type || (strcmp(type, "snp") && strcmp(type, "non_snp")))
		return -ERR_INVAL;
	b->snp = !strcmp(type, "snp");
	b->to_pilotage = back && !strcmp(back, "pilotage");
	int n = batch_ids(r, b->ids);
	if (n < 0)
		return batch_refused(r, b, "Vous ne pouvez pas qualifier plus de 10 actions en une seule fois.");
	if (n == 0)
		return batch_refused(r, b, "Sélectionnez au moins une action à qualifier.");
	for (int i = 0; i < n; i++) {
		struct record rec;
		int rc = load_by_id(r, b->ids[i], &b->actions[i], &rec);
		if (rc)
			return rc;
		if (i == 0)
			b->rec = rec;
		b->n = i + 1;
		beneficiaries[i] = b->actions[i].beneficiary_id;
		categories[i] = b->actions[i].category;
	}
	if ((message = action_batch_refusal(beneficiaries, categories, n)))
		return batch_refused(r, b, message);
	for (int i = 0; i < n; i++)
		if ((message = action_qualify_refusal(&b->actions[i])))
			return batch_refused(r, b, message);
	return 0;
}

/* The spec's confirmation modal, as a page: the second post carries confirme=1. */
static int
batch_confirmation(struct req *r, const struct batch *b)
{
	const char *name = full_name(r, b->rec.first_name, b->rec.last_name);
	const char *what = b->n == 1 ? "l’action" : arena_printf(r->a, "les %d actions", b->n);
	const char *heading = b->snp ? arena_printf(r->a, "Qualifier %s de %s en SNP ?", what, name)
				     : arena_printf(r->a, "Enregistrer %s de %s en non SNP ?", what, name);
	json_t *rows = json_array();
	for (int i = 0; i < b->n; i++) {
		const struct action *a = &b->actions[i];
		const struct action_category *cat = action_category(a->category);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s?, s:s}", "id", a->id, "title",
			a->title, "category", cat ? cat->label : NULL, "date",
			clock_fr_day(r->a, a->completed_at, a->timezone)));
	}
	return view_page(r, 200, "actions/qualify_batch.html",
			 json_pack("{s:s, s:s, s:s, s:o, s:b, s:s, s:s}", "title", heading, "nav",
				   b->to_pilotage ? "pilotage" : "portefeuille", "heading", heading,
				   "actions", rows, "snp", b->snp, "retour",
				   b->to_pilotage ? "pilotage" : "fiche", "back", back_url(r, b, NULL, 0)));
}

/* Qualifies each action in turn with the batch defaults (§5): code = the category (or
 * NON_SNP), start = end = the civil day of completed_at, the default comment. */
int
qualify_batch_post(struct req *r)
{
	struct batch b;
	const char *failed[ACTION_BATCH_MAX], *reason = NULL, *login = NULL;
	const char *confirm = req_form(r, "confirme");
	int n_failed = 0;
	int rc = batch_load(r, &b);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (!confirm || strcmp(confirm, "1"))
		return batch_confirmation(r, &b);
	if (b.snp && (rc = counselor_login(r, &login)))
		return rc;
	if (b.snp && !login) {
		rc = batch_refused(r, &b, "Votre identifiant i-milo est inconnu, reconnectez-vous.");
		return rc > 0 ? 0 : rc;
	}
	for (int i = 0; i < b.n; i++) {
		const struct action *a = &b.actions[i];
		const char *day = clock_iso_day(r->a, a->completed_at, a->timezone);
		const char *message = NULL;
		int64_t now = clock_now_ms();
		struct qualify_input in = {.code = b.snp ? a->category : NON_SNP,
					   .comment = action_qualify_default_comment(r->a, a),
					   .start = day, .end = day};
		rc = actions_qualify(ctx_db(r), req_ctx(r)->imilo, r->a, now, r->user->id, login,
				     b.rec.imilo_dossier_id, a->id, &in, &message);
		if (rc == 0) {
			audit_qualified(r, a->id, in.code, now);
			continue;
		}
		log_info("qualification: action %s not qualified (%d): %s", a->id, rc,
			 message ? message : "?");
		failed[n_failed++] = a->id;
		if (!reason)
			reason = message;
	}
	const char *back = back_url(r, &b, failed, n_failed);
	if (!n_failed)
		return view_redirect_flash(r, back, b.snp ? "actions-qualifiees-snp"
							  : "actions-qualifiees-non-snp", NULL);
	/* The reason fits the flash cookie, or the flash goes without it. */
	if (reason && strlen(reason) <= 120)
		return view_redirect_flash(r, back, "actions-non-qualifiees-motif", reason);
	return view_redirect_flash(r, back, "actions-non-qualifiees", NULL);
}
