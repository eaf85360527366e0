/* qualify_web.c — the qualification pages: parse, decide access (record_open), call
 * actions_qualify() (which writes to i-milo before saving, and traces it), render. */
#include "actions/qualify_web.h"

#include "actions/actions.h"
#include "actions/actions_store.h"
#include "actions/actions_use.h"
#include "actions/actions_web.h"
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
#include "view/form_errors.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

#define NON_SNP "NON_SNP"
#define QUALIFY_ERRORS_MAX 6

static const char *
full_name(struct req *r, const char *first, const char *last)
{
	return arena_printf(r->a, "%s %s", first, text_upper(r->a, last));
}

/* The refusal page of a use case (back to @back), or the error alone when it has nothing
 * to tell. */
static int
refused(struct req *r, int rc, const struct refusal *why, const char *back,
	const char *back_label)
{
	if (!why->message)
		return rc;
	return view_refusal(r, why, "portefeuille", back, back_label);
}

static const char *
action_path(struct req *r, const char *id)
{
	return arena_printf(r->a, "/actions/%s", id);
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

/* Every error of @in, one per field: actions_qualify_check() tells the first one, which
 * is then set aside with a valid stand-in so that the next one shows. Returns the count. */
static int
collect_errors(struct req *r, const struct action *a, struct qualify_input in, int64_t now,
	       struct view_field_error *out)
{
	const char *today = clock_iso_day(r->a, now, a->timezone);
	struct refusal why;
	int n = 0;
	while (n < QUALIFY_ERRORS_MAX && actions_qualify_check(a, &in, now, &why)) {
		const char *field = why.field;
		out[n++] = (struct view_field_error){field, field, why.message};
		if (!strcmp(field, "categorie"))
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

static void
add_categories(struct vm *page, const char *selected)
{
	struct vm *list = vm_set_list(page, "categories");
	for (int i = 0; i <= ACTION_CATEGORY_COUNT; i++) {
		const char *code = i < ACTION_CATEGORY_COUNT ? action_categories[i].code : NON_SNP;
		struct vm *c = vm_push_obj(list);
		vm_set_str(c, "code", code);
		vm_set_str(c, "label", i < ACTION_CATEGORY_COUNT ? action_categories[i].label
								 : "Action non SNP");
		vm_set_bool(c, "selected", selected && !strcmp(selected, code));
	}
}

/* Renders the page with @in as typed; @errors (may be 0) or @failure (i-milo's or the
 * use case's message, may be NULL). */
static int
form_page(struct req *r, int status, const struct action *a, const struct record *rec,
	  const struct qualify_input *in, const struct view_field_error *errors, int n_errors,
	  const char *failure)
{
	int64_t now = clock_now_ms();
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Qualifier l’action");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "id", rec->id);
	vm_set_str(page, "name", full_name(r, rec->first_name, rec->last_name));
	vm_set_str(page, "action_id", a->id);
	vm_set_str(page, "action_title", a->title);
	add_categories(page, in->code);
	vm_set_bool(page, "snp", !in->code || strcmp(in->code, NON_SNP) != 0);
	vm_set_str_opt(page, "comment", in->comment);
	vm_set_int(page, "comment_length", in->comment ? g_utf8_strlen(in->comment, -1) : 0);
	vm_set_str_opt(page, "start", in->start);
	vm_set_str_opt(page, "end", in->end);
	vm_set_str(page, "max", clock_iso_day(r->a, now, a->timezone));
	vm_set_int(page, "comment_max", ACTION_QUALIFY_COMMENT_MAX);
	vm_set_str_opt(page, "failure", failure);
	vm_set(page, "errors", view_form_errors(r->a, errors, (size_t)n_errors));
	return view_page(r, status, "actions/qualify.html", page);
}

static int
success_page(struct req *r, const struct action *a, const struct record *rec)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Action enregistrée !");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str(page, "id", rec->id);
	vm_set_str(page, "action_id", a->id);
	vm_set_bool(page, "snp", strcmp(a->q_code, NON_SNP) != 0);
	return view_page(r, 200, "actions/qualify_done.html", page);
}

int
qualify_page(struct req *r)
{
	struct action a;
	struct record rec;
	struct refusal why = {0};
	const char *step = req_query(r, "etape");
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	/* After the redirection of a success (a reload stays on it). */
	if (a.q_code && step && !strcmp(step, "succes"))
		return success_page(r, &a, &rec);
	if ((rc = actions_check_qualify(&a, &why)))
		return refused(r, rc, &why, action_path(r, a.id), "Retour à l’action");
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
	struct view_field_error errors[QUALIFY_ERRORS_MAX];
	struct refusal why = {0};
	const char *login;
	int64_t now = clock_now_ms();
	int rc = load_for_write(r, &a, &rec);
	if (rc)
		return rc;
	if ((rc = actions_check_qualify(&a, &why)))
		return refused(r, rc, &why, action_path(r, a.id), "Retour à l’action");
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
			     rec.imilo_dossier_id, a.id, &in, &why);
	if (rc == 0) {
		resp_redirect(r, arena_printf(r->a, "/actions/%s/qualifier?etape=succes", a.id));
		return 0;
	}
	if (!why.message)
		return rc;
	return form_page(r, why.status, &a, &rec, &in, NULL, 0, why.message);
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

/* The distinct ids of the "action" fields, in order; ACTION_BATCH_MAX + 1 beyond (the
 * ids kept are the first ACTION_BATCH_MAX). */
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
			return ACTION_BATCH_MAX + 1;
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

/* The refusal page of the batch, back to its list; the error alone when it has nothing
 * to tell (403, 404…). */
static int
batch_refused(struct req *r, int rc, const struct batch *b, const struct refusal *why)
{
	return refused(r, rc, why, back_url(r, b, NULL, 0), "Retour à la liste des actions");
}

/* Parses and checks the batch (§5 "Batch qualification"): 0 with *@b filled, or a
 * negative error, with @why when the batch is refused. */
static int
batch_load(struct req *r, struct batch *b, struct refusal *why)
{
	const char *type = req_form(r, "type"), *back = req_form(r, "retour");
	memset(b, 0, sizeof(*b));
	if (!type || (strcmp(type, "snp") && strcmp(type, "non_snp")))
		return -ERR_INVAL;
	b->snp = !strcmp(type, "snp");
	b->to_pilotage = back && !strcmp(back, "pilotage");
	int n = batch_ids(r, b->ids);
	int rc = actions_check_batch(NULL, n, why);
	for (int i = 0; !rc && i < n; i++) {
		struct record rec;
		if ((rc = load_by_id(r, b->ids[i], &b->actions[i], &rec)))
			break;
		if (i == 0)
			b->rec = rec;
		b->n = i + 1;
	}
	return rc ? rc : actions_check_batch(b->actions, n, why);
}

/* The spec's confirmation modal, as a page: the second post carries confirme=1. */
static int
batch_confirmation(struct req *r, const struct batch *b)
{
	const char *name = full_name(r, b->rec.first_name, b->rec.last_name);
	const char *what = b->n == 1 ? "l’action" : arena_printf(r->a, "les %d actions", b->n);
	const char *heading = b->snp ? arena_printf(r->a, "Qualifier %s de %s en SNP ?", what, name)
				     : arena_printf(r->a, "Enregistrer %s de %s en non SNP ?", what, name);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", heading);
	vm_set_str(page, "nav", b->to_pilotage ? "pilotage" : "portefeuille");
	vm_set_str(page, "heading", heading);
	struct vm *rows = vm_set_list(page, "actions");
	for (int i = 0; i < b->n; i++) {
		const struct action *a = &b->actions[i];
		const struct action_category *cat = action_category(a->category);
		struct vm *row = vm_push_obj(rows);
		vm_set_str(row, "id", a->id);
		vm_set_str(row, "title", a->title);
		vm_set_str_opt(row, "category", cat ? cat->label : NULL);
		vm_set_str(row, "date", clock_fr_day(r->a, a->completed_at, a->timezone));
	}
	vm_set_bool(page, "snp", b->snp);
	vm_set_str(page, "retour", b->to_pilotage ? "pilotage" : "fiche");
	vm_set_str(page, "back", back_url(r, b, NULL, 0));
	return view_page(r, 200, "actions/qualify_batch.html", page);
}

/* Qualifies each action in turn with the batch defaults (§5): code = the category (or
 * NON_SNP), start = end = the civil day of completed_at, the default comment. */
int
qualify_batch_post(struct req *r)
{
	struct batch b;
	struct refusal why = {0};
	const char *failed[ACTION_BATCH_MAX], *reason = NULL, *login = NULL;
	const char *confirm = req_form(r, "confirme");
	int n_failed = 0;
	int rc = batch_load(r, &b, &why);
	if (rc)
		return batch_refused(r, rc, &b, &why);
	if (!confirm || strcmp(confirm, "1"))
		return batch_confirmation(r, &b);
	if (b.snp && ((rc = counselor_login(r, &login)) || (rc = actions_check_login(login, &why))))
		return batch_refused(r, rc, &b, &why);
	for (int i = 0; i < b.n; i++) {
		const struct action *a = &b.actions[i];
		const char *day = clock_iso_day(r->a, a->completed_at, a->timezone);
		struct refusal no = {0};
		struct qualify_input in = {.code = b.snp ? a->category : NON_SNP,
					   .comment = action_qualify_default_comment(r->a, a),
					   .start = day, .end = day};
		rc = actions_qualify(ctx_db(r), req_ctx(r)->imilo, r->a, clock_now_ms(), r->user->id,
				     login, b.rec.imilo_dossier_id, a->id, &in, &no);
		if (rc == 0)
			continue;
		log_info("qualification: action %s not qualified (%d): %s", a->id, rc,
			 no.message ? no.message : "?");
		failed[n_failed++] = a->id;
		if (!reason)
			reason = no.message;
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
