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
#include "view/pagination.h"
#include "view/view.h"

/* The query string of this listing with some parameters changed. */
static const char *
listing_url(struct req *r, const char *q, enum portfolio_sort sort, bool desc, int page)
{
	GString *s = g_string_new("/portefeuille?");
	if (q && *q)
		g_string_append_printf(s, "q=%s&", url_encode(r->a, q));
	g_string_append_printf(s, "tri=%s&ordre=%s", portfolio_sort_name(sort), desc ? "desc" : "asc");
	if (page > 1)
		g_string_append_printf(s, "&page=%d", page);
	char *url = arena_strdup(r->a, s->str);
	g_string_free(s, TRUE);
	return url;
}

struct page_link_ctx {
	struct req *r;
	const struct portfolio_query *pq;
};

static const char *
page_link(void *ud, int page)
{
	struct page_link_ctx *pl = ud;
	return listing_url(pl->r, pl->pq->q, pl->pq->sort, pl->pq->desc, page);
}

/* A sortable column header: clicking another column sorts in its first-click order,
 * clicking the current one reverses (beneficiaries.md §3). */
static json_t *
column(struct req *r, const struct portfolio_query *pq, enum portfolio_sort sort, const char *label)
{
	bool current = pq->sort == sort;
	bool next_desc = current ? !pq->desc : portfolio_sort_first_desc(sort);
	return json_pack("{s:s, s:s, s:s?}", "label", label, "url",
			 listing_url(r, pq->q, sort, next_desc, 1), "aria_sort",
			 current ? (pq->desc ? "descending" : "ascending") : NULL);
}

static json_t *
row_json(struct req *r, const struct portfolio_row *row, int64_t now)
{
	const char *tz = r->user->timezone;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s?, s:i, s:i}", "id", row->beneficiary_id,
			 "last_name_upper", text_upper(r->a, row->last_name),
			 "first_name", row->first_name, "dispositif", row->dispositif,
			 "situation", row->situation ? row->situation : "Sans situation",
			 "activated", row->activated_at != 0, "last_activity",
			 row->last_activity_at ? clock_fr_relative(r->a, row->last_activity_at, now, tz)
					       : NULL, "open_actions", row->open_actions, "unread",
			 row->unread_by_beneficiary);
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
	json_t *rows = json_array();
	for (int i = 0; i < p.n; i++)
		json_array_append_new(rows, row_json(r, &p.rows[i], now));
	json_t *pagination = NULL;
	struct page_link_ctx pl = {r, &pq};
	if (p.total > PORTFOLIO_PAGE_SIZE)
		pagination = view_pagination(p.page, p.pages, page_link, &pl);
	json_t *data = json_pack(
		"{s:s, s:s, s:s?, s:o, s:i, s:b, s:o, s:o*, s:s}", "title", "Portefeuille", "nav",
		"portefeuille", "q", pq.q, "rows", rows, "total", p.total, "empty",
		p.portfolio_size == 0, "columns",
		json_pack("[o, o, o]", column(r, &pq, SORT_NAME, "Bénéficiaire"),
			  column(r, &pq, SORT_SITUATION, "Situation"),
			  column(r, &pq, SORT_ACTIVITY, "Dernière activité")),
		"pagination", pagination, "mail_from", req_ctx(r)->cfg->mail_from);
	json_object_set_new(data, "hours", json_integer(req_ctx(r)->cfg->activation_link_ttl_hours));
	return view_page(r, 200, "portfolio/list.html", data);
}
