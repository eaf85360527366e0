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

static json_t *
filter_options(const struct action_filter *f)
{
	json_t *statuses = json_array(), *categories = json_array();
	for (int i = 0; i < DISPLAY_COUNT; i++)
		json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "code",
			action_display_code(i), "label", action_display_label(i), "checked",
			(f->statuses & (1u << i)) != 0));
	for (int i = 0; i <= ACTION_CATEGORY_COUNT; i++)
		json_array_append_new(categories, json_pack("{s:s, s:s, s:b}", "code",
			i < ACTION_CATEGORY_COUNT ? action_categories[i].code : CATEGORY_NONE,
			"label", i < ACTION_CATEGORY_COUNT ? action_categories[i].label
							    : "Catégorie manquante",
			"checked", (f->categories & (1u << i)) != 0));
	return json_pack("{s:o, s:o, s:i, s:i}", "statuses", statuses, "categories", categories,
			 "status_count", __builtin_popcount(f->statuses), "category_count",
			 __builtin_popcount(f->categories));
}

json_t *
actions_tab_json(struct req *r, const struct record *rec, bool write, int64_t now)
{
	struct action_filter f;
	struct action *list;
	int total;
	bool cej = !strcmp(rec->dispositif, "CEJ");
	parse_filter(r, &f);
	int page = req_query_int(r, "page", 1, 1, 1000000);
	int n = actions_store_list(ctx_db(r), r->a, rec->id, cej, &f, now, (page - 1) * PER_PAGE,
				   PER_PAGE, &list, &total);
	if (n < 0)
		return NULL;
	int pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	if (page > pages) {
		page = pages;
		n = actions_store_list(ctx_db(r), r->a, rec->id, cej, &f, now, (page - 1) * PER_PAGE,
				       PER_PAGE, &list, &total);
		if (n < 0)
			return NULL;
	}
	/* Actions a failed batch sends back (?action=…) stay selected (actions.md §5). */
	const char *kept[ACTION_BATCH_MAX];
	int nkept = req_query_all(r, "action", kept, ACTION_BATCH_MAX);
	json_t *rows = json_array();
	int selectable = 0;
	for (int i = 0; i < n; i++) {
		json_t *row = actions_web_json(r, &list[i], now);
		bool to_qualify = action_display(&list[i], now) == DISPLAY_TO_QUALIFY;
		selectable += to_qualify;
		json_object_set_new(row, "selectable", json_boolean(write && to_qualify));
		for (int k = 0; k < nkept; k++)
			if (!strcmp(kept[k], list[i].id))
				json_object_set_new(row, "checked", json_true());
		json_object_set_new(row, "category_code", json_string(list[i].category ? list[i].category : ""));
		json_array_append_new(rows, row);
	}
	const char *base = arena_printf(r->a, "/beneficiaires/%s?%s", rec->id, filter_query(r, &f));
	struct action_filter flipped = f;
	flipped.ascending = !f.ascending;
	struct link_ctx lc = {r, base};
	json_t *tab = json_pack("{s:o, s:i, s:b, s:b, s:o, s:s, s:s, s:b, s:b}",
		"rows", rows, "total", total, "filtered", f.statuses || f.categories, "ascending",
		f.ascending, "filters", filter_options(&f), "sort_url",
		arena_printf(r->a, "/beneficiaires/%s?%s#actions", rec->id, filter_query(r, &flipped)),
		"reset_url", arena_printf(r->a, "/beneficiaires/%s?onglet=actions#actions", rec->id),
		"batch", write && cej && selectable > 0, "cej", cej);
	if (pages > 1)
		json_object_set_new(tab, "pagination", view_pagination(page, pages, page_link, &lc));
	return tab;
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
	int rc = add_week(r, rec, now, arena_printf(r->a, "/beneficiaires/%s", rec->id), page);
	if (rc)
		return rc;
	json_t *tab = actions_tab_json(r, rec, can_write, now);
	if (!tab)
		return -ERR_DB;
	vm_set(page, "actions", vm_from_json(r->a, tab));
	json_decref(tab);
	return 0;
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
