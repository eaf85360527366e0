/* portfolio_web.c — GET /portefeuille: parse, list, render. */
#include "portfolio/portfolio_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/text.h"
#include "http/parse.h"
#include "portfolio/portfolio.h"
#include "core/ctx.h"
#include "view/table.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

struct listing {
	struct req *r;
	const char *prefix;   /* "/portefeuille?" with the search, encoded once */
};

/* "&page=N", or "" for the first page (a listing's default). */
static const char *
page_param(char buf[static 24], int page)
{
	char *p = buf + 24;
	if (page <= 1)
		return "";
	*--p = '\0';
	for (; page; page /= 10)
		*--p = (char)('0' + page % 10);
	p -= 6;
	memcpy(p, "&page=", 6);
	return p;
}

/* The URL of this listing in another order or at another page (view_table_url_fn). */
static const char *
listing_url(void *ud, int sort, bool desc, int page)
{
	struct listing *l = ud;
	char buf[24];
	return vm_strcat(l->r->a, l->prefix, "tri=", portfolio_sort_name((enum portfolio_sort)sort),
			 desc ? "&ordre=desc" : "&ordre=asc", page_param(buf, page), NULL);
}

static void
add_row(struct req *r, struct vm *rows, const struct portfolio_row *row, int64_t now)
{
	struct vm *v = vm_push_obj(rows);
	vm_set_str(v, "id", row->beneficiary_id);
	vm_set_str(v, "last_name_upper", text_upper(r->a, row->last_name));
	vm_set_str(v, "first_name", row->first_name);
	vm_set_str(v, "dispositif", row->dispositif);
	vm_set_str(v, "situation", row->situation ? row->situation : "Sans situation");
	vm_set_bool(v, "activated", row->activated_at != 0);
	vm_set_str_opt(v, "last_activity",
		       row->last_activity_at
			       ? clock_fr_relative(r->a, row->last_activity_at, now, r->user->timezone)
			       : NULL);
	vm_set_int(v, "open_actions", row->open_actions);
	vm_set_int(v, "unread", row->unread_by_beneficiary);
}

int
portfolio_page(struct req *r)
{
	struct portfolio_query pq = portfolio_query_parse(
		req_query(r, "q"), req_query(r, "tri"), req_query(r, "ordre"),
		req_query_int(r, "page", 1, 1, 1000000));
	struct portfolio_page p;
	int64_t now = clock_now_ms();
	int rc = portfolio_list(ctx_db(r), r->a, r->user->id, &pq, &p);

	if (rc)
		return rc;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Portefeuille");
	vm_set_str(page, "nav", "portefeuille");
	vm_set_str_opt(page, "q", pq.q);
	vm_set_int(page, "total", p.total);
	vm_set_bool(page, "empty", p.portfolio_size == 0);
	vm_set_str(page, "mail_from", req_ctx(r)->cfg->mail_from);
	vm_set_int(page, "hours", req_ctx(r)->cfg->activation_link_ttl_hours);
	struct vm *rows = vm_set_list(page, "rows");
	for (int i = 0; i < p.n; i++)
		add_row(r, rows, &p.rows[i], now);
	struct listing l = {
		r, pq.q && *pq.q ? arena_printf(r->a, "/portefeuille?q=%s&", url_encode(r->a, pq.q))
				 : "/portefeuille?",
	};
	const struct view_column columns[] = {
		{"Bénéficiaire", SORT_NAME, portfolio_sort_first_desc(SORT_NAME), false},
		{"Situation", SORT_SITUATION, portfolio_sort_first_desc(SORT_SITUATION), false},
		{"Dernière activité", SORT_ACTIVITY, portfolio_sort_first_desc(SORT_ACTIVITY), false},
		{"Actions", VIEW_UNSORTED, false, false},
		{"Messages non lus par les bénéficiaires", VIEW_UNSORTED, false, false},
	};
	view_table(page, &(struct view_table){
		.columns = columns, .ncolumns = G_N_ELEMENTS(columns), .sort = pq.sort,
		.desc = pq.desc, .page = p.page, .pages = p.pages, .url = listing_url, .ud = &l,
	});
	return view_page(r, 200, "portfolio/list.html", page);
}
