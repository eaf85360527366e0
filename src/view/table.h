/* table.h — the DSFR sorted, paged table (beneficiaries.md §3): its header cells, with
 * aria-sort on the current column and on each sortable one the link that sorts, and its
 * pagination. The page's template renders
 *	<table>… {{> layout/table_head.html}} <tbody>…rows…</tbody></table>
 *	{{#with pagination}}{{> layout/pagination.html}}{{/with}}
 * — rows stay the page's own: their cells differ from table to table. */
#ifndef CEJ_TABLE_H
#define CEJ_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct vm;

#define VIEW_UNSORTED (-1)

struct view_column {
	const char *label;     /* lives as long as the page's arena (a literal) */
	int sort;              /* the order this column sorts by, or VIEW_UNSORTED */
	bool first_desc;       /* its first click sorts descending (dates: newest first) */
	bool hidden;           /* the label is for screen readers only (a checkbox column) */
};

/* The URL of the listing in order @sort (@desc) at page @page, in the page's arena. */
typedef const char *(*view_table_url_fn)(void *ud, int sort, bool desc, int page);

struct view_table {
	const struct view_column *columns;
	size_t ncolumns;
	int sort;              /* the current order: one of the columns' sort, or none */
	bool desc;
	int page, pages;       /* both >= 1; the pagination shows when pages > 1 */
	view_table_url_fn url;
	void *ud;
};

/* Sets in @page (an object) "columns": [{label, hidden, url|null, aria_sort|null}] — a
 * click on another column sorts in its first order, on the current one reverses, and
 * always goes back to page 1 — and "pagination" (layout/pagination.html; null on one
 * page). */
void view_table(struct vm *page, const struct view_table *t);

#endif
