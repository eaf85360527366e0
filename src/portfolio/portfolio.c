/* portfolio.c — search, sort and paging rules of the portfolio. No SQL, no HTML. */
#include "portfolio/portfolio.h"

#include "base/arena.h"
#include "base/text.h"
#include "portfolio/portfolio_store.h"

#include <glib.h>
#include <stdlib.h>
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

bool
portfolio_matches(const char *query, const char *row)
{
	gchar **tokens = g_strsplit_set(query ? query : "", " -\t", -1);
	bool ok = true;
	for (gchar **t = tokens; ok && *t; t++)
		if (**t && !strstr(row, *t))
			ok = false;
	g_strfreev(tokens);
	return ok;
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* The folded "last first" key orders by last name then first name, accents and case
 * ignored ("Élodie" beside "Elise", not after "Zoé"). */
static int
cmp_name(const struct portfolio_row *a, const struct portfolio_row *b)
{
	return cmp_str(a->folded, b->folded);
}

/* qsort has no user data: the direction travels in a thread-local. */
static _Thread_local bool sort_desc;

static int
by_name(const void *pa, const void *pb)
{
	int c = cmp_name(pa, pb);
	return sort_desc ? -c : c;
}

static int
by_situation(const void *pa, const void *pb)
{
	const struct portfolio_row *a = pa, *b = pb;
	/* "Sans situation" sorts as its label, like the tag the user reads. */
	int c = cmp_str(a->situation ? a->situation : "Sans situation",
			b->situation ? b->situation : "Sans situation");
	if (sort_desc)
		c = -c;
	return c ? c : cmp_name(a, b);
}

static int
by_activity(const void *pa, const void *pb)
{
	const struct portfolio_row *a = pa, *b = pb;
	bool ia = a->activated_at != 0, ib = b->activated_at != 0;
	if (ia != ib)
		return ia ? -1 : 1;  /* non-activated accounts always come last */
	int64_t ta = a->last_activity_at, tb = b->last_activity_at;
	int c = ta < tb ? -1 : ta > tb;
	if (sort_desc)
		c = -c;
	return c ? c : cmp_name(a, b);
}

void
portfolio_select(struct arena *a, struct portfolio_row *rows, int n,
		 const struct portfolio_query *pq, struct portfolio_page *out)
{
	const char *fq = text_fold(a, pq->q);
	int kept = 0;

	for (int i = 0; i < n; i++)
		if (portfolio_matches(fq, rows[i].folded))
			rows[kept++] = rows[i];
	sort_desc = pq->desc;
	qsort(rows, (size_t)kept, sizeof(*rows),
	      pq->sort == SORT_SITUATION ? by_situation
	      : pq->sort == SORT_ACTIVITY ? by_activity : by_name);
	out->portfolio_size = n;
	out->total = kept;
	out->pages = kept ? (kept + PORTFOLIO_PAGE_SIZE - 1) / PORTFOLIO_PAGE_SIZE : 1;
	out->page = pq->page > out->pages ? out->pages : pq->page;
	int first = (out->page - 1) * PORTFOLIO_PAGE_SIZE;
	out->rows = rows + first;
	out->n = kept - first < PORTFOLIO_PAGE_SIZE ? kept - first : PORTFOLIO_PAGE_SIZE;
}

int
portfolio_list(struct db *db, struct arena *a, const char *counselor_id,
	       const struct portfolio_query *pq, struct portfolio_page *out)
{
	struct portfolio_row *rows;
	int n = portfolio_store_rows(db, a, counselor_id, &rows);
	if (n < 0)
		return n;
	portfolio_select(a, rows, n, pq, out);
	return 0;
}
