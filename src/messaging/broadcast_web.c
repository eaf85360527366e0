/* broadcast_web.c — GET/POST /messagerie/multi-destinataires: the form (checkboxes of the
 * portfolio and of the counselor's lists: the autocomplete without JavaScript, and one
 * optional file), the send in one transaction, then the live pages of each recipient. */
#include "messaging/broadcast_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "db/db.h"
#include "messaging/attachments.h"
#include "messaging/lists.h"
#include "messaging/messaging.h"
#include "messaging/messaging_live.h"
#include "core/ctx.h"
#include "view/view.h"

#include <string.h>

/* What the form holds: the boxes checked, the text typed and the name of the file
 * picked (NULL: none). A browser cannot put a file back into a file input: a form shown
 * again names the file so that the counselor picks it again. */
struct broadcast_form {
	const char **beneficiaries, **lists;
	int n_beneficiaries, n_lists;
	bool all;
	const char *text, *file_name;
};

static json_t *
errors_json(const struct broadcast_result *res)
{
	json_t *list = json_array();
	if (res->recipients_error)
		json_array_append_new(list, json_pack("{s:s, s:s}", "text", res->recipients_error,
						      "anchor", "destinataires"));
	if (res->text_error)
		json_array_append_new(list, json_pack("{s:s, s:s}", "text", res->text_error,
						      "anchor", "message"));
	if (res->file_error)
		json_array_append_new(list, json_pack("{s:s, s:s}", "text", res->file_error,
						      "anchor", "piece-jointe"));
	return json_pack("{s:s?, s:s?, s:s?, s:o, s:i}", "recipients", res->recipients_error,
			 "text", res->text_error, "file", res->file_error, "list", list, "count",
			 res->errors);
}

/* Renders the form with @f checked and typed; @res (NULL on the first display) gives the
 * errors and the count of unique recipients of what was checked. */
static int
form_page(struct req *r, int status, const struct broadcast_form *f,
	  const struct broadcast_result *res)
{
	struct list_person *pf;
	struct list_row *lists;
	int np = lists_portfolio(ctx_db(r), r->a, r->user->id, &pf);
	if (np < 0)
		return np;
	int nl = lists_of(ctx_db(r), r->a, r->user->id, LISTS_SORT_TITLE, false, &lists);
	if (nl < 0)
		return nl;
	json_t *people = json_array(), *jl = json_array();
	for (int i = 0; i < np; i++)
		json_array_append_new(people, json_pack("{s:s, s:s, s:b}", "id", pf[i].id, "name",
			lists_person_name(r->a, pf[i].first_name, pf[i].last_name), "checked",
			lists_all_within(&pf[i].id, 1, f->beneficiaries, f->n_beneficiaries)));
	for (int i = 0; i < nl; i++)
		json_array_append_new(jl, json_pack("{s:s, s:s, s:s, s:b}", "id", lists[i].id,
			"title", lists[i].title, "size",
			lists[i].recipients == 1 ? "1 destinataire"
				: arena_printf(r->a, "%d destinataires", lists[i].recipients),
			"checked", lists_all_within(&lists[i].id, 1, f->lists, f->n_lists)));
	json_t *data = json_pack("{s:s, s:s, s:o, s:o, s:b, s:s?, s:s, s:i}", "title",
		"Message multi-destinataires", "nav", "messagerie", "people", people, "lists", jl,
		"all", f->all, "text", f->text, "count",
		broadcast_count_label(r->a, res ? res->n : 0), "text_max", MSG_TEXT_MAX);
	if (res && res->errors)
		json_object_set_new(data, "errors", errors_json(res));
	/* A file refused shows its error; a good one is dropped by another field's error. */
	if (res && res->errors && f->file_name && !res->file_error)
		json_object_set_new(data, "file_dropped", json_string(f->file_name));
	return view_page(r, status, "lists/broadcast.html", data);
}

int
broadcast_page(struct req *r)
{
	struct broadcast_form f = {0};
	return form_page(r, 200, &f, NULL);
}

/* Every value of checkbox @field, at most LISTS_MAX_IDS; -ERR_INVAL beyond. */
static int
posted(struct req *r, const char *field, const char ***out)
{
	const char **ids = arena_alloc(r->a, sizeof(*ids) * (LISTS_MAX_IDS + 1));
	int n = req_form_all(r, field, ids, LISTS_MAX_IDS + 1);
	*out = ids;
	return n > LISTS_MAX_IDS ? -ERR_INVAL : n;
}

int
broadcast_post(struct req *r)
{
	struct broadcast_form f = {.text = req_form(r, "message")};
	const char *all = req_form(r, "tous");
	f.all = all && !strcmp(all, "1");
	if ((f.n_beneficiaries = posted(r, "beneficiaires", &f.beneficiaries)) < 0)
		return f.n_beneficiaries;
	if ((f.n_lists = posted(r, "listes", &f.lists)) < 0)
		return f.n_lists;
	const struct part *file = req_part(r, "piece_jointe");
	if (file && !attachment_chosen(file->filename))
		file = NULL;  /* the empty file input of a form without a file */
	f.file_name = file ? attachment_clean_name(r->a, file->filename) : NULL;
	struct broadcast_request in = {
		.counselor_id = r->user->id, .beneficiary_ids = f.beneficiaries,
		.n_beneficiaries = f.n_beneficiaries, .list_ids = f.lists, .n_lists = f.n_lists,
		.all = f.all, .text = f.text, .file_name = f.file_name,
		.file = file ? (const unsigned char *)file->data : NULL,
		.file_len = file ? file->len : 0,
	};
	struct broadcast_result res = {0};
	struct db *db = ctx_db(r);
	int rc = db_tx_begin(db);
	if (!rc)
		rc = db_tx_end(db, broadcast_send(db, req_ctx(r)->keys, r->a, clock_now_ms(), &in,
						  &res));
	if (rc) {
		if (rc == -ERR_INVAL && res.errors)
			return form_page(r, 400, &f, &res);
		return rc == -ERR_DB && res.file_error ? form_page(r, 500, &f, &res) : rc;
	}
	for (int i = 0; i < res.n; i++)
		messaging_live_changed(res.recipients[i], r->user->id);
	return view_redirect_flash(r, "/messagerie", "multi-destinataires-envoye", NULL);
}
