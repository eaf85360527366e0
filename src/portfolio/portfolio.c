/* portfolio.c — the listing's query: sort names and directions, search tokens. No SQL,
 * no HTML. */
#include "portfolio/portfolio.h"

#include "base/arena.h"
#include "base/text.h"
#include "portfolio/portfolio_store.h"

#include <glib.h>
#include <string.h>

static const char *const sort_names[] = {
	[SORT_NAME] = "beneficiaire", [SORT_SITUATION] = "situation", [SORT_ACTIVITY] = "activite",
};

const char *
portfolio_sort_name(enum portfolio_sort s)
{
	return sort_names[s];
}

bool
portfolio_sort_first_desc(enum portfolio_sort s)
{
	return s == SORT_ACTIVITY;
}

struct portfolio_query
portfolio_query_parse(const char *q, const char *tri, const char *ordre, int page)
{
	struct portfolio_query pq = {.q = q, .sort = SORT_NAME, .page = page < 1 ? 1 : page};
	for (size_t i = 0; i < G_N_ELEMENTS(sort_names); i++)
		if (tri && strcmp(tri, sort_names[i]) == 0)
			pq.sort = (enum portfolio_sort)i;
	pq.desc = ordre ? strcmp(ordre, "desc") == 0 : portfolio_sort_first_desc(pq.sort);
	return pq;
}

int
portfolio_list(struct db *db, struct arena *a, const char *counselor_id,
	       const struct portfolio_query *pq, struct portfolio_page *out)
{
	const char *tokens[PORTFOLIO_MAX_TOKENS];
	int n = text_search_tokens(a, pq->q, tokens, PORTFOLIO_MAX_TOKENS);
	return portfolio_store_page(db, a, counselor_id, tokens, n, pq, out);
}
