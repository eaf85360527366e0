/* establishment_web.c — parse the search, call, render. */
#include "establishment/establishment_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/text.h"
#include "establishment/establishment.h"
#include "http/parse.h"
#include "core/ctx.h"
#include "view/pagination.h"
#include "view/view.h"
#include "view/vm.h"

struct link_ctx {
	struct req *r;
	const char *q;
};

static const char *
page_link(void *ud, int page)
{
	struct link_ctx *l = ud;
	return arena_printf(l->r->a, "/etablissement?q=%s&page=%d", url_encode(l->r->a, l->q), page);
}

static void
add_row(struct req *r, struct vm *rows, const struct establishment_row *row, int64_t now)
{
	const char *last = text_upper(r->a, row->last_name);
	struct vm *o = vm_push_obj(rows);
	vm_set_str(o, "id", row->id);
	vm_set_strf(o, "name", "%s %s", last, row->first_name);
	vm_set_strf(o, "link_label", "Voir la fiche de %s %s", row->first_name, last);
	vm_set_str(o, "situation", row->situation ? row->situation : "Sans situation");
	vm_set_bool(o, "activated", row->activated_at != 0);
	vm_set_str_opt(o, "last_activity", row->last_activity_at
		? clock_fr_relative(r->a, row->last_activity_at, now, r->user->timezone) : NULL);
	vm_set_strf(o, "counselor", "%s %s", text_upper(r->a, row->counselor_last_name),
		    row->counselor_first_name);
}

int
establishment_page(struct req *r)
{
	const char *q = req_query(r, "q");
	const char *tokens[ESTABLISHMENT_MAX_TOKENS];
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Bénéficiaires");
	vm_set_str(data, "nav", "etablissement");
	vm_set_str_opt(data, "q", q);
	vm_set_null(data, "error");
	if (!q)
		return view_page(r, 200, "establishment/search.html", data);
	int n = establishment_tokens(r->a, q, tokens);
	if (n == 0) {
		vm_set_str(data, "error", "Veuillez saisir au moins 2 caractères");
		return view_page(r, 400, "establishment/search.html", data);
	}
	struct establishment_page p;
	int rc = establishment_search(ctx_db(r), r->a, r->user->structure_id, tokens, n,
				      req_query_int(r, "page", 1, 1, 1000000), &p);
	if (rc)
		return rc;
	int64_t now = clock_now_ms();
	struct vm *rows = vm_set_list(data, "rows");
	for (int i = 0; i < p.n; i++)
		add_row(r, rows, &p.rows[i], now);
	vm_set_bool(data, "searched", true);
	vm_set_int(data, "total", p.total);
	struct link_ctx l = {r, q};
	vm_set(data, "pagination", p.total > ESTABLISHMENT_PAGE_SIZE
		? view_pagination(r->a, p.page, p.pages, page_link, &l) : NULL);
	return view_page(r, 200, "establishment/search.html", data);
}
