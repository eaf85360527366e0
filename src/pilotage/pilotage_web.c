/* pilotage_web.c — GET /pilotage: parse the tab, sort, filter and page, read the counters
 * and the rows, render. */
#include "pilotage/pilotage_web.h"

#include "actions/actions.h"
#include "actions/actions_use.h"
#include "agenda/agenda_close.h"
#include "sessions/sessions_pilotage.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "http/parse.h"
#include "pilotage/pilotage_store.h"
#include "core/ctx.h"
#include "view/table.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

#define PILOTAGE_PAGE_SIZE 10
#define NO_CATEGORY "SANS"   /* the filter value of "Catégorie manquante" */
#define PAGE_MAX 1000000

enum tab { TAB_ACTIONS, TAB_ARCHIVE, TAB_AC, TAB_SESSIONS };

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
	else if (tab && !strcmp(tab, "animations"))
		q.tab = TAB_AC;
	else if (tab && !strcmp(tab, "sessions"))
		q.tab = TAB_SESSIONS;
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
	} else if (q->tab == TAB_AC) {
		g_string_append(s, "animations");
	} else if (q->tab == TAB_SESSIONS) {
		g_string_append(s, "sessions");
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
	char *url = arena_strndup(r->a, s->str, s->len);
	g_string_free(s, TRUE);
	return url;
}

/* A column sorts by its ascending order; the table helper says the direction. */
static enum pilotage_sort
sort_base(enum pilotage_sort s)
{
	return s == PILOTAGE_BY_DATE_DESC ? PILOTAGE_BY_DATE
	       : s == PILOTAGE_BY_NAME_DESC ? PILOTAGE_BY_NAME : s;
}

struct listing {
	struct req *r;
	struct query q;
};

/* view_table_url_fn: @q in another order or at another page. */
static const char *
table_url(void *ud, int sort, bool desc, int page)
{
	struct listing *l = ud;
	struct query q = l->q;
	if (sort != VIEW_UNSORTED)
		q.sort = desc ? (sort == PILOTAGE_BY_NAME ? PILOTAGE_BY_NAME_DESC : PILOTAGE_BY_DATE_DESC)
			      : (enum pilotage_sort)sort;
	q.page = page;
	return listing_url(l->r, &q);
}

/* Columns and pagination of a tab's table; another column sorts in its first order (A→Z,
 * chronological), the current one reverses. */
static void
table(struct req *r, struct vm *page, const struct query *q, int total,
      const struct view_column *cols, size_t ncols)
{
	struct listing l = {r, *q};
	int pages = total > 0 ? (total + PILOTAGE_PAGE_SIZE - 1) / PILOTAGE_PAGE_SIZE : 1;
	view_table(page, &(struct view_table){
		.columns = cols, .ncolumns = ncols, .sort = (int)sort_base(q->sort),
		.desc = sort_desc(q->sort), .page = q->page, .pages = pages, .url = table_url,
		.ud = &l,
	});
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

static void
add_filters(struct vm *page, const struct query *q)
{
	struct vm *list = vm_set_list(page, "filters");
	for (int i = 0; i <= ACTION_CATEGORY_COUNT; i++) {
		bool none = i == ACTION_CATEGORY_COUNT;
		struct vm *f = vm_push_obj(list);
		vm_set_str(f, "code", none ? NO_CATEGORY : action_categories[i].code);
		vm_set_str(f, "label", none ? "Catégorie manquante" : action_categories[i].label);
		vm_set_bool(f, "checked", (q->categories & (1u << i)) != 0);
	}
}

static void
add_action_row(struct req *r, struct vm *rows, const struct action_to_qualify *row)
{
	const struct action *a = &row->a;
	const struct action_category *cat = action_category(a->category);
	struct vm *v = vm_push_obj(rows);
	vm_set_str(v, "id", a->id);
	vm_set_str(v, "beneficiary_id", a->beneficiary_id);
	vm_set_strf(v, "name", "%s %s", text_upper(r->a, row->last_name), row->first_name);
	vm_set_str(v, "action_title", a->title);
	vm_set_str_opt(v, "category", cat ? cat->label : NULL);
	vm_set_str(v, "category_code", a->category ? a->category : "");
	vm_set_str(v, "date", clock_fr_day(r->a, a->completed_at, a->timezone));
	vm_set_bool(v, "checked", kept_selected(r, a->id));
}

/* The Actions tab into @page; *@unfiltered receives the tile's count. */
static int
actions_tab(struct req *r, struct query *q, struct vm *page, int *unfiltered)
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
	struct vm *list = vm_set_list(page, "rows");
	int selected = 0;
	for (int i = 0; i < n; i++) {
		add_action_row(r, list, &rows[i]);
		selected += kept_selected(r, rows[i].a.id);
	}
	vm_set_int(page, "total", total);
	add_filters(page, q);
	vm_set_int(page, "filter_count", __builtin_popcount(q->categories));
	vm_set_bool(page, "filtered", q->categories != 0);
	vm_set_str(page, "tri", sort_names[q->sort]);
	vm_set_str(page, "ordre", sort_desc(q->sort) ? "desc" : "asc");
	vm_set_int(page, "selected", selected);
	const struct view_column cols[] = {
		{"Sélection", VIEW_UNSORTED, false, true},
		{"Bénéficiaire", PILOTAGE_BY_NAME, false, false},
		{"Titre de l’action", VIEW_UNSORTED, false, false},
		{"Catégorie", VIEW_UNSORTED, false, false},
		{"Date de réalisation", PILOTAGE_BY_DATE, false, false},
	};
	table(r, page, q, total, cols, G_N_ELEMENTS(cols));
	return 0;
}

/* The Archivage des comptes tab into @page; @total is the tile's count. */
static int
archive_tab(struct req *r, struct query *q, struct vm *page, int total, int64_t now)
{
	struct pilotage_archive_row *rows;
	int pages = total ? (total + PILOTAGE_PAGE_SIZE - 1) / PILOTAGE_PAGE_SIZE : 1;
	if (q->page > pages)
		q->page = pages;
	int n = pilotage_store_to_archive(ctx_db(r), r->a, r->user->id,
					  (q->page - 1) * PILOTAGE_PAGE_SIZE, PILOTAGE_PAGE_SIZE, &rows);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "rows");
	for (int i = 0; i < n; i++) {
		const struct pilotage_archive_row *b = &rows[i];
		struct vm *v = vm_push_obj(list);
		vm_set_str(v, "id", b->id);
		vm_set_strf(v, "name", "%s %s", text_upper(r->a, b->last_name), b->first_name);
		vm_set_str_opt(v, "cej_end", b->cej_end_date ? clock_fr_date(r->a, b->cej_end_date)
							      : NULL);
		vm_set_str_opt(v, "last_activity",
			       b->last_activity_at
				       ? clock_fr_relative(r->a, b->last_activity_at, now, b->timezone)
				       : NULL);
	}
	const struct view_column cols[] = {
		{"Bénéficiaire", VIEW_UNSORTED, false, false},
		{"Fin de CEJ", VIEW_UNSORTED, false, false},
		{"Dernière activité", VIEW_UNSORTED, false, false},
		{"Action", VIEW_UNSORTED, false, true},
	};
	table(r, page, q, total, cols, G_N_ELEMENTS(cols));
	return 0;
}

/* The "AC app CEJ" tab (agenda.md §8): the AC of the counselor's structure to close, oldest
 * first, each leading to its closing page; @total is the tile's count. */
static int
ac_tab(struct req *r, struct query *q, struct vm *page, int total, int64_t now)
{
	struct agenda_to_close *rows;
	int pages = total ? (total + PILOTAGE_PAGE_SIZE - 1) / PILOTAGE_PAGE_SIZE : 1;
	if (q->page > pages)
		q->page = pages;
	int n = agenda_to_close_list(ctx_db(r), r->a, r->user->structure_id, now,
				     (q->page - 1) * PILOTAGE_PAGE_SIZE, PILOTAGE_PAGE_SIZE, &rows);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "rows");
	for (int i = 0; i < n; i++) {
		struct vm *v = vm_push_obj(list);
		vm_set_str(v, "id", rows[i].id);
		vm_set_str(v, "date", clock_fr_day(r->a, rows[i].starts_at, r->user->timezone));
		vm_set_str(v, "ac_title", rows[i].title);
		vm_set_int(v, "registrants", rows[i].registrants);
	}
	const struct view_column cols[] = {
		{"Date", VIEW_UNSORTED, false, false},
		{"Titre", VIEW_UNSORTED, false, false},
		{"Participants", VIEW_UNSORTED, false, false},
	};
	table(r, page, q, total, cols, G_N_ELEMENTS(cols));
	return 0;
}

/* The "Sessions i-milo" tab (agenda.md §8): the structure's sessions to close, oldest
 * first, each leading to its page (where "Clore" is). */
static void
sessions_tab(struct req *r, struct vm *page, const struct session_to_close *rows, int n)
{
	struct vm *list = vm_set_list(page, "sessions");
	for (int i = 0; i < n; i++) {
		struct vm *v = vm_push_obj(list);
		vm_set_str(v, "id", rows[i].id);
		vm_set_str(v, "date", clock_fr_day(r->a, rows[i].starts_at, r->user->timezone));
		vm_set_str(v, "session_title", rows[i].title);
	}
}

/* The tiles' and tabs' count of sessions to close; -1 when i-milo cannot say (the tile
 * then reads "Erreur — Impossible de récupérer les sessions"). */
static int
sessions_count(struct req *r, int64_t now, struct session_to_close **rows)
{
	int n = sessions_to_close(req_ctx(r), ctx_db(r), r->a, r->user, now, rows);
	return n < 0 ? -1 : n;
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
	int to_close = agenda_to_close_count(ctx_db(r), r->user->structure_id, now);
	if (to_close < 0)
		return to_close;
	struct session_to_close *sessions = NULL;
	int sessions_n = sessions_count(r, now, &sessions);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Pilotage");
	vm_set_str(page, "nav", "pilotage");
	vm_set_str(page, "tab", q.tab == TAB_ARCHIVE ? "archivage"
				: q.tab == TAB_AC ? "animations"
				: q.tab == TAB_SESSIONS ? "sessions" : "actions");
	vm_set_bool(page, "sessions_failed", sessions_n < 0);
	vm_set_int(page, "sessions_to_close", sessions_n < 0 ? 0 : sessions_n);
	if (q.tab == TAB_SESSIONS)
		sessions_tab(r, page, sessions, sessions_n < 0 ? 0 : sessions_n);
	if (q.tab == TAB_ACTIONS) {
		rc = actions_tab(r, &q, page, &to_qualify);
	} else {
		struct action_to_qualify *none;
		rc = actions_to_qualify(ctx_db(r), r->a, r->user->id, 0, PILOTAGE_BY_DATE, 0, 0,
					      &none, &to_qualify);
		if (rc >= 0 && q.tab == TAB_AC)
			rc = ac_tab(r, &q, page, to_close, now);
		else if (rc >= 0 && q.tab == TAB_ARCHIVE)
			rc = archive_tab(r, &q, page, to_archive, now);
	}
	if (rc < 0)
		return rc;
	vm_set_int(page, "to_qualify", to_qualify);
	vm_set_int(page, "to_archive", to_archive);
	vm_set_int(page, "to_close", to_close);
	return view_page(r, 200, "pilotage/pilotage.html", page);
}
