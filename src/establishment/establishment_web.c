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

static json_t *
row_json(struct req *r, const struct establishment_row *row, int64_t now)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?, s:s}", "id", row->id, "name",
			 arena_printf(r->a, "%s %s", text_upper(r->a, row->last_name), row->first_name),
			 "link_label", arena_printf(r->a, "Voir la fiche de %s %s", row->first_name,
						    text_upper(r->a, row->last_name)),
			 "situation", row->situation ? row->situation : "Sans situation",
			 "activated", row->activated_at != 0, "last_activity",
			 row->last_activity_at ? clock_fr_relative(r->a, row->last_activity_at, now,
								   r->user->timezone) : NULL,
			 "counselor", arena_printf(r->a, "%s %s", text_upper(r->a, row->counselor_last_name),
						   row->counselor_first_name));
}

int
establishment_page(struct req *r)
{
	const char *q = req_query(r, "q");
	const char *tokens[ESTABLISHMENT_MAX_TOKENS];
	json_t *data = json_pack("{s:s, s:s, s:s?}", "title", "Bénéficiaires", "nav", "etablissement",
				 "q", q);
	if (!q)
		return view_page(r, 200, "establishment/search.html", data);
	int n = establishment_tokens(r->a, q, tokens);
	if (n == 0) {
		json_object_set_new(data, "error", json_string("Veuillez saisir au moins 2 caractères"));
		return view_page(r, 400, "establishment/search.html", data);
	}
	struct establishment_page p;
	int rc = establishment_search(ctx_db(r), r->a, r->user->structure_id, tokens, n,
				      req_query_int(r, "page", 1, 1, 1000000), &p);
	if (rc) {
		json_decref(data);
		return rc;
	}
	int64_t now = clock_now_ms();
	json_t *rows = json_array();
	for (int i = 0; i < p.n; i++)
		json_array_append_new(rows, row_json(r, &p.rows[i], now));
	json_object_set_new(data, "searched", json_true());
	json_object_set_new(data, "total", json_integer(p.total));
	json_object_set_new(data, "rows", rows);
	struct link_ctx l = {r, q};
	if (p.total > ESTABLISHMENT_PAGE_SIZE)
		json_object_set_new(data, "pagination", view_pagination(p.page, p.pages, page_link, &l));
	return view_page(r, 200, "establishment/search.html", data);
}
