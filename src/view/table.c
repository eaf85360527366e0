/* table.c — header cells and pagination of a sorted, paged table. */
#include "view/table.h"

#include "view/pagination.h"
#include "view/vm.h"

struct page_link {
	const struct view_table *t;
};

static const char *
page_link(void *ud, int page)
{
	const struct view_table *t = ((struct page_link *)ud)->t;
	return t->url(t->ud, t->sort, t->desc, page);
}

void
view_table(struct vm *page, const struct view_table *t)
{
	struct vm *cols = vm_set_list(page, "columns");
	for (size_t i = 0; i < t->ncolumns; i++) {
		const struct view_column *c = &t->columns[i];
		struct vm *col = vm_push_obj(cols);
		vm_set_str(col, "label", c->label);
		vm_set_bool(col, "hidden", c->hidden);
		/* Both set even when null: a key absent from a column would be looked up in the
		 * page's scope. */
		if (c->sort == VIEW_UNSORTED) {
			vm_set_null(col, "url");
			vm_set_null(col, "aria_sort");
			continue;
		}
		bool current = c->sort == t->sort;
		bool next_desc = current ? !t->desc : c->first_desc;
		vm_set_str(col, "url", t->url(t->ud, c->sort, next_desc, 1));
		vm_set_str_opt(col, "aria_sort",
			       current ? (t->desc ? "descending" : "ascending") : NULL);
	}
	struct page_link pl = {t};
	vm_set(page, "pagination",
	       t->pages > 1 ? view_pagination(vm_arena(page), t->page, t->pages, page_link, &pl)
			    : NULL);
}
