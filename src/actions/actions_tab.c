/* actions_tab.c — the Actions tab of the fiche (actions.md §3 "Actions tab"): filters by
 * status and category, sort by date, 10 per page, and the selection for batch
 * qualification. */
#include "actions/actions_web.h"

#include "actions/actions_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "core/ctx.h"
#include "view/pagination.h"
#include "view/vm.h"

#include <glib.h>
#include <string.h>

#define PER_PAGE 10
#define CATEGORY_NONE "aucune"   /* filter value of "Catégorie manquante" */

/* The query string of the tab's current filters and order, without the page. */
static const char *
filter_query(struct req *r, const struct action_filter *f)
{
	GString *s = g_string_new("onglet=actions");
	for (int i = 0; i < DISPLAY_COUNT; i++)
		if (f->statuses & (1u << i))
			g_string_append_printf(s, "&statut=%s", action_display_code(i));
	for (int i = 0; i < ACTION_CATEGORY_COUNT; i++)
		if (f->categories & (1u << i))
			g_string_append_printf(s, "&categorie=%s", action_categories[i].code);
	if (f->categories & (1u << ACTION_CATEGORY_COUNT))
		g_string_append(s, "&categorie=" CATEGORY_NONE);
	if (f->ascending)
		g_string_append(s, "&tri=asc");
	char *out = arena_strdup(r->a, s->str);
	g_string_free(s, TRUE);
	return out;
}

static void
parse_filter(struct req *r, struct action_filter *f)
{
	const char *v[32];
	memset(f, 0, sizeof(*f));
	int n = req_query_all(r, "statut", v, 32);
	for (int i = 0; i < n; i++) {
		int d = action_display_parse(v[i]);
		if (d >= 0)
			f->statuses |= 1u << d;
	}
	n = req_query_all(r, "categorie", v, 32);
	for (int i = 0; i < n; i++) {
		if (!strcmp(v[i], CATEGORY_NONE))
			f->categories |= 1u << ACTION_CATEGORY_COUNT;
		for (int k = 0; k < ACTION_CATEGORY_COUNT; k++)
			if (!strcmp(v[i], action_categories[k].code))
				f->categories |= 1u << k;
	}
	const char *tri = req_query(r, "tri");
	f->ascending = tri && !strcmp(tri, "asc");
}

struct link_ctx {
	struct req *r;
	const char *base;
};

static const char *
page_link(void *ud, int page)
{
	struct link_ctx *l = ud;
	return arena_printf(l->r->a, "%s&page=%d#actions", l->base, page);
}

static void
add_filters(struct vm *tab, const struct action_filter *f)
{
	struct vm *filters = vm_set_obj(tab, "filters");
	struct vm *statuses = vm_set_list(filters, "statuses");
	for (int i = 0; i < DISPLAY_COUNT; i++) {
		struct vm *o = vm_push_obj(statuses);
		vm_set_str(o, "code", action_display_code(i));
		vm_set_str(o, "label", action_display_label(i));
		vm_set_bool(o, "checked", (f->statuses & (1u << i)) != 0);
	}
	struct vm *categories = vm_set_list(filters, "categories");
	for (int i = 0; i <= ACTION_CATEGORY_COUNT; i++) {
		bool none = i == ACTION_CATEGORY_COUNT;
		struct vm *o = vm_push_obj(categories);
		vm_set_str(o, "code", none ? CATEGORY_NONE : action_categories[i].code);
		vm_set_str(o, "label", none ? "Catégorie manquante" : action_categories[i].label);
		vm_set_bool(o, "checked", (f->categories & (1u << i)) != 0);
	}
	vm_set_int(filters, "status_count", __builtin_popcount(f->statuses));
	vm_set_int(filters, "category_count", __builtin_popcount(f->categories));
}

/* The Actions tab of the fiche of @rec (query: statut, categorie, tri, page) as @page's
 * "actions". @write: the caller is the referent (selection boxes). */
static int
add_tab(struct req *r, const struct record *rec, bool write, int64_t now, struct vm *page)
{
	struct action_filter f;
	struct action *list;
	int total;
	bool cej = !strcmp(rec->dispositif, "CEJ");
	parse_filter(r, &f);
	int page_no = req_query_int(r, "page", 1, 1, 1000000);
	int n = actions_store_list(ctx_db(r), r->a, rec->id, cej, &f, now, (page_no - 1) * PER_PAGE,
				   PER_PAGE, &list, &total);
	if (n < 0)
		return n;
	int pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	if (page_no > pages) {
		page_no = pages;
		n = actions_store_list(ctx_db(r), r->a, rec->id, cej, &f, now,
				       (page_no - 1) * PER_PAGE, PER_PAGE, &list, &total);
		if (n < 0)
			return n;
	}
	/* Actions a failed batch sends back (?action=…) stay selected (actions.md §5). */
	const char *kept[ACTION_BATCH_MAX];
	int nkept = req_query_all(r, "action", kept, ACTION_BATCH_MAX);
	struct vm *tab = vm_set_obj(page, "actions");
	struct vm *rows = vm_set_list(tab, "rows");
	int selectable = 0;
	for (int i = 0; i < n; i++) {
		struct vm *row = vm_push_obj(rows);
		bool to_qualify = action_display(&list[i], now) == DISPLAY_TO_QUALIFY;
		bool checked = false;
		actions_web_fields(r, row, &list[i], now);
		selectable += to_qualify;
		vm_set_bool(row, "selectable", write && to_qualify);
		for (int k = 0; k < nkept; k++)
			checked = checked || !strcmp(kept[k], list[i].id);
		vm_set_bool(row, "checked", checked);
		vm_set_str(row, "category_code", list[i].category ? list[i].category : "");
	}
	const char *base = arena_printf(r->a, "/beneficiaires/%s?%s", rec->id, filter_query(r, &f));
	struct action_filter flipped = f;
	flipped.ascending = !f.ascending;
	struct link_ctx lc = {r, base};
	vm_set_int(tab, "total", total);
	vm_set_bool(tab, "filtered", f.statuses || f.categories);
	vm_set_bool(tab, "ascending", f.ascending);
	add_filters(tab, &f);
	vm_set_strf(tab, "sort_url", "/beneficiaires/%s?%s#actions", rec->id,
		    filter_query(r, &flipped));
	vm_set_strf(tab, "reset_url", "/beneficiaires/%s?onglet=actions#actions", rec->id);
	vm_set_bool(tab, "batch", write && cej && selectable > 0);
	vm_set_bool(tab, "cej", cej);
	vm_set(tab, "pagination",
	       pages > 1 ? view_pagination(r->a, page_no, pages, page_link, &lc) : NULL);
	return 0;
}

static void
counter(struct vm *week, const char *key, int n, const char *one, const char *many)
{
	struct vm *c = vm_set_obj(week, key);
	vm_set_int(c, "n", n);
	vm_set_str(c, "label", n > 1 ? many : one);
}

/* The week block (beneficiaries.md §6 "Cette semaine", §7 Indicateurs) as the fiche's
 * "week": the week of ?debut= (Monday to Sunday in the beneficiary's zone), the links of
 * the period selector and the action counters. @path is the page the selector links to. */
static int
add_week(struct req *r, const struct record *rec, int64_t now, const char *path, struct vm *page)
{
	int64_t monday = record_week_start(req_query(r, "debut"), now, rec->timezone);
	int64_t current = clock_day_monday(clock_day_of(now, rec->timezone));
	struct action_week_counts c;
	int rc = actions_store_week_counts(ctx_db(r), rec->id,
					   clock_day_at(monday, 0, 0, rec->timezone),
					   clock_day_at(monday + 7, 0, 0, rec->timezone), now, &c);
	if (rc)
		return rc;
	const char *sep = strchr(path, '?') ? "&" : "?";
	struct vm *w = vm_set_obj(page, "week");
	vm_set_str(w, "from", clock_day_fr(r->a, monday));
	vm_set_str(w, "to", clock_day_fr(r->a, monday + 6));
	vm_set_bool(w, "current", monday == current);
	vm_set_strf(w, "prev", "%s%sdebut=%s", path, sep, clock_day_iso(r->a, monday - 7));
	vm_set_strf(w, "next", "%s%sdebut=%s", path, sep, clock_day_iso(r->a, monday + 7));
	vm_set_str(w, "now", path);
	counter(w, "created", c.created, "Créée", "Créées");
	counter(w, "done", c.done, "Terminée", "Terminées");
	counter(w, "late", c.late, "En retard", "En retard");
	counter(w, "due", c.due, "Échéance cette semaine", "Échéance cette semaine");
	vm_set_int(w, "total", c.total);
	return 0;
}

/* The fiche's Actions part (core/feature.h record_tab "actions"): the week block of
 * "Cette semaine" and the Actions tab. */
int
actions_record_actions(struct req *r, const struct record *rec, bool can_write, int64_t now,
		       struct vm *page)
{
	/* The period selector keeps the fiche's Agenda tab open: it shows the same week. */
	const char *tab = req_query(r, "onglet");
	bool agenda = tab && !strcmp(tab, "agenda");
	int rc = add_week(r, rec, now, arena_printf(r->a, "/beneficiaires/%s%s", rec->id,
						    agenda ? "?onglet=agenda" : ""), page);
	if (rc)
		return rc;
	return add_tab(r, rec, can_write, now, page);
}

/* The fiche's Indicateurs part (record_tab "indicateurs"): the week block, in full. */
int
actions_record_indicators(struct req *r, const struct record *rec, bool can_write, int64_t now,
			  struct vm *page)
{
	(void)can_write;
	vm_set_bool(page, "full", true);
	return add_week(r, rec, now, arena_printf(r->a,
		"/beneficiaires/%s/informations?onglet=indicateurs", rec->id), page);
}
