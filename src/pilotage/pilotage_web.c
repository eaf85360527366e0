/* pilotage_web.c — GET /pilotage: parse the tab, sort, filter and page, read the counters
 * and the rows, render. */
#include "pilotage/pilotage_web.h"

#include "actions/actions.h"
#include "actions/actions_use.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "http/parse.h"
#include "pilotage/pilotage_store.h"
#include "core/ctx.h"
#include "view/pagination.h"
#include "view/view.h"

#include <string.h>

#define PILOTAGE_PAGE_SIZE 10
#define NO_CATEGORY "SANS"   /* the filter value of "Catégorie manquante" */
#define PAGE_MAX 1000000

enum tab { TAB_ACTIONS, TAB_ARCHIVE };

struct query {
	enum tab tab;
	enum pilotage_sort sort;
	unsigned categories;      /* bits of struct action_filter (actions.h) */
	int page;
};

static const char *const sort_names[] = {"date", "date", "beneficiaire", "beneficiaire"};

static bool
sort_desc(enum pilotage_sort s)
{
	return s == PILOTAGE_BY_DATE_DESC || s == PILOTAGE_BY_NAME_DESC;
}

/* The category filter bit of @code (one of the 7, or NO_CATEGORY); 0 when unknown. */
static unsigned
category_bit(const char *code)
{
	if (!strcmp(code, NO_CATEGORY))
		return 1u << ACTION_CATEGORY_COUNT;
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++)
		if (!strcmp(code, action_categories[i].code))
			return 1u << i;
	return 0;
}

static struct query
query_parse(struct req *r)
{
	struct query q = {.tab = TAB_ACTIONS, .sort = PILOTAGE_BY_DATE};
	const char *tab = req_query(r, "onglet"), *sort = req_query(r, "tri"),
		   *order = req_query(r, "ordre");
	bool desc = order && !strcmp(order, "desc");
	if (tab && !strcmp(tab, "archivage"))
		q.tab = TAB_ARCHIVE;
	if (sort && !strcmp(sort, "beneficiaire"))
		q.sort = desc ? PILOTAGE_BY_NAME_DESC : PILOTAGE_BY_NAME;
	else
		q.sort = desc ? PILOTAGE_BY_DATE_DESC : PILOTAGE_BY_DATE;
	for (size_t i = 0; i < r->query.n; i++)
		if (!strcmp(r->query.items[i].key, "categorie"))
			q.categories |= category_bit(r->query.items[i].val);
	q.page = req_query_int(r, "page", 1, 1, PAGE_MAX);
	return q;
}

/* The URL of the listing @q (page 1 is implicit). */
static const char *
listing_url(struct req *r, const struct query *q)
{
	GString *s = g_string_new("/pilotage?onglet=");
	if (q->tab == TAB_ARCHIVE) {
		g_string_append(s, "archivage");
	} else {
		g_string_append_printf(s, "actions&tri=%s&ordre=%s", sort_names[q->sort],
				       sort_desc(q->sort) ? "desc" : "asc");
		for (int i = 0; i < ACTION_CATEGORY_COUNT; i++)
			if (q->categories & (1u << i))
				g_string_append_printf(s, "&categorie=%s", action_categories[i].code);
		if (q->categories & (1u << ACTION_CATEGORY_COUNT))
			g_string_append(s, "&categorie=" NO_CATEGORY);
	}
	if (q->page > 1)
		g_string_append_printf(s, "&page=%d", q->page);
	char *url = arena_strdup(r->a, s->str);
	g_string_free(s, TRUE);
	return url;
}

struct page_link_ctx {
	struct req *r;
	struct query q;
};

static const char *
page_link(void *ud, int page)
{
	struct page_link_ctx *pl = ud;
	struct query q = pl->q;
	q.page = page;
	return listing_url(pl->r, &q);
}

static json_t *
pagination_json(struct req *r, const struct query *q, int total)
{
	if (total <= PILOTAGE_PAGE_SIZE)
		return NULL;
	struct page_link_ctx pl = {r, *q};
	int pages = (total + PILOTAGE_PAGE_SIZE - 1) / PILOTAGE_PAGE_SIZE;
	return view_pagination(q->page, pages, page_link, &pl);
}

/* A sortable column: another column sorts in its first order (A→Z, chronological), the
 * current one reverses. */
static json_t *
column(struct req *r, const struct query *q, enum pilotage_sort asc, enum pilotage_sort desc,
       const char *label)
{
	bool current = q->sort == asc || q->sort == desc;
	struct query next = *q;
	next.page = 1;
	next.sort = current && q->sort == asc ? desc : asc;
	return json_pack("{s:s, s:s, s:s?}", "label", label, "url", listing_url(r, &next),
			 "aria_sort", current ? (sort_desc(q->sort) ? "descending" : "ascending") : NULL);
}

/* Is @id among the "action" parameters (the actions a failed batch keeps selected)? */
static bool
kept_selected(struct req *r, const char *id)
{
	for (size_t i = 0; i < r->query.n; i++)
		if (!strcmp(r->query.items[i].key, "action") && !strcmp(r->query.items[i].val, id))
			return true;
	return false;
}

static json_t *
filters_json(const struct query *q)
{
	json_t *out = json_array();
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code",
			action_categories[i].code, "label", action_categories[i].label, "checked",
			(q->categories & (1u << i)) != 0));
	json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", NO_CATEGORY, "label",
		"Catégorie manquante", "checked", (q->categories & (1u << ACTION_CATEGORY_COUNT)) != 0));
	return out;
}

static json_t *
action_row(struct req *r, const struct action_to_qualify *row)
{
	const struct action *a = &row->a;
	const struct action_category *cat = action_category(a->category);
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:b}", "id", a->id,
			 "beneficiary_id", a->beneficiary_id, "name",
			 arena_printf(r->a, "%s %s", text_upper(r->a, row->last_name), row->first_name),
			 "action_title", a->title, "category", cat ? cat->label : NULL,
			 "category_code", a->category ? a->category : "", "date",
			 clock_fr_day(r->a, a->completed_at, a->timezone), "checked",
			 kept_selected(r, a->id));
}

/* The Actions tab into @data; *@unfiltered receives the tile's count. */
static int
actions_tab(struct req *r, struct query *q, json_t *data, int *unfiltered)
{
	struct action_to_qualify *rows;
	int total, rc, n;
	const char *me = r->user->id;
	n = actions_to_qualify(ctx_db(r), r->a, me, q->categories, q->sort,
				     (q->page - 1) * PILOTAGE_PAGE_SIZE, PILOTAGE_PAGE_SIZE, &rows, &total);
	if (n == 0 && total > 0 && q->page > 1) {  /* past the last page: show the last one */
		q->page = (total + PILOTAGE_PAGE_SIZE - 1) / PILOTAGE_PAGE_SIZE;
		n = actions_to_qualify(ctx_db(r), r->a, me, q->categories, q->sort,
					     (q->page - 1) * PILOTAGE_PAGE_SIZE, PILOTAGE_PAGE_SIZE,
					     &rows, &total);
	}
	if (n < 0)
		return n;
	*unfiltered = total;
	if (q->categories) {
		struct action_to_qualify *none;
		if ((rc = actions_to_qualify(ctx_db(r), r->a, me, 0, q->sort, 0, 0, &none,
						   unfiltered)) < 0)
			return rc;
	}
	json_t *list = json_array();
	int selected = 0;
	for (int i = 0; i < n; i++) {
		json_array_append_new(list, action_row(r, &rows[i]));
		selected += kept_selected(r, rows[i].a.id);
	}
	int filter_count = __builtin_popcount(q->categories);
	json_object_update_new(data, json_pack(
		"{s:o, s:i, s:o, s:o, s:i, s:b, s:s, s:s, s:i}", "rows", list, "total", total,
		"columns", json_pack("[o, o]",
			column(r, q, PILOTAGE_BY_NAME, PILOTAGE_BY_NAME_DESC, "Bénéficiaire"),
			column(r, q, PILOTAGE_BY_DATE, PILOTAGE_BY_DATE_DESC, "Date de réalisation")),
		"filters", filters_json(q), "filter_count", filter_count, "filtered",
		q->categories != 0, "tri", sort_names[q->sort], "ordre",
		sort_desc(q->sort) ? "desc" : "asc", "selected", selected));
	json_t *pagination = pagination_json(r, q, total);
	if (pagination)
		json_object_set_new(data, "pagination", pagination);
	return 0;
}

/* The Archivage des comptes tab into @data; @total is the tile's count. */
static int
archive_tab(struct req *r, struct query *q, json_t *data, int total, int64_t now)
{
	struct pilotage_archive_row *rows;
	int pages = total ? (total + PILOTAGE_PAGE_SIZE - 1) / PILOTAGE_PAGE_SIZE : 1;
	if (q->page > pages)
		q->page = pages;
	int n = pilotage_store_to_archive(ctx_db(r), r->a, r->user->id,
					  (q->page - 1) * PILOTAGE_PAGE_SIZE, PILOTAGE_PAGE_SIZE, &rows);
	if (n < 0)
		return n;
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		const struct pilotage_archive_row *b = &rows[i];
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:s?}", "id", b->id, "name",
			arena_printf(r->a, "%s %s", text_upper(r->a, b->last_name), b->first_name),
			"cej_end", b->cej_end_date ? clock_fr_date(r->a, b->cej_end_date) : NULL,
			"last_activity", b->last_activity_at
				? clock_fr_relative(r->a, b->last_activity_at, now, b->timezone) : NULL));
	}
	json_object_set_new(data, "rows", list);
	json_t *pagination = pagination_json(r, q, total);
	if (pagination)
		json_object_set_new(data, "pagination", pagination);
	return 0;
}

int
pilotage_page(struct req *r)
{
	struct query q = query_parse(r);
	int64_t now = clock_now_ms();
	int to_qualify = 0, rc;
	int to_archive = pilotage_store_to_archive_count(ctx_db(r), r->user->id);
	if (to_archive < 0)
		return to_archive;
	json_t *data = json_pack("{s:s, s:s, s:s}", "title", "Pilotage", "nav", "pilotage", "tab",
				 q.tab == TAB_ARCHIVE ? "archivage" : "actions");
	if (q.tab == TAB_ACTIONS) {
		rc = actions_tab(r, &q, data, &to_qualify);
	} else {
		struct action_to_qualify *none;
		rc = actions_to_qualify(ctx_db(r), r->a, r->user->id, 0, PILOTAGE_BY_DATE, 0, 0,
					      &none, &to_qualify);
		if (rc >= 0)
			rc = archive_tab(r, &q, data, to_archive, now);
	}
	if (rc < 0) {
		json_decref(data);
		return rc;
	}
	json_object_set_new(data, "to_qualify", json_integer(to_qualify));
	json_object_set_new(data, "to_archive", json_integer(to_archive));
	return view_page(r, 200, "pilotage/pilotage.html", data);
}
