/* broadcast_web.c — GET/POST /messagerie/multi-destinataires: the form (checkboxes of the
 * portfolio and of the counselor's lists: the autocomplete without JavaScript, and one
 * optional file), then broadcast_submit: the send in one transaction, and the live pages of
 * each recipient told on its commit. */
#include "messaging/broadcast_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "messaging/attachments.h"
#include "messaging/lists.h"
#include "messaging/messaging.h"
#include "core/ctx.h"
#include "view/form_errors.h"
#include "view/view.h"
#include "view/vm.h"

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
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Message multi-destinataires");
	vm_set_str(page, "nav", "messagerie");
	struct vm *people = vm_set_list(page, "people"), *jl = vm_set_list(page, "lists");
	for (int i = 0; i < np; i++) {
		struct vm *p = vm_push_obj(people);
		vm_set_str(p, "id", pf[i].id);
		vm_set_str(p, "name", lists_person_name(r->a, pf[i].first_name, pf[i].last_name));
		vm_set_bool(p, "checked",
			    lists_all_within(&pf[i].id, 1, f->beneficiaries, f->n_beneficiaries));
	}
	for (int i = 0; i < nl; i++) {
		struct vm *l = vm_push_obj(jl);
		vm_set_str(l, "id", lists[i].id);
		vm_set_str(l, "title", lists[i].title);
		vm_set_str(l, "size", lists[i].recipients == 1
			   ? "1 destinataire" : vm_strf(r->a, "%d destinataires", lists[i].recipients));
		vm_set_bool(l, "checked", lists_all_within(&lists[i].id, 1, f->lists, f->n_lists));
	}
	vm_set_bool(page, "all", f->all);
	vm_set_str_opt(page, "text", f->text);
	vm_set_str(page, "count", broadcast_count_label(r->a, res ? res->n : 0));
	vm_set_int(page, "text_max", MSG_TEXT_MAX);
	bool failed = res && res->errors;
	const struct view_field_error fields[] = {
		{"recipients", "destinataires", failed ? res->recipients_error : NULL},
		{"text", "message", failed ? res->text_error : NULL},
		{"file", "piece-jointe", failed ? res->file_error : NULL},
	};
	vm_set(page, "errors", view_form_errors(r->a, fields, G_N_ELEMENTS(fields)));
	/* A file refused shows its error; a good one is dropped by another field's error. */
	vm_set_str_opt(page, "file_dropped",
		       failed && f->file_name && !res->file_error ? f->file_name : NULL);
	return view_page(r, status, "lists/broadcast.html", page);
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
	int rc = broadcast_submit(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(), &in, &res);
	if (rc) {
		if (rc == -ERR_INVAL && res.errors)
			return form_page(r, 400, &f, &res);
		return rc == -ERR_DB && res.file_error ? form_page(r, 500, &f, &res) : rc;
	}
	return view_redirect_flash(r, "/messagerie", "multi-destinataires-envoye", NULL);
}
