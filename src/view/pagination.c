/* pagination.c — which page links to show. */
#include "view/pagination.h"

#include "view/vm.h"

/* The pages around @page shown as numbers: [*lo, *hi], 5 wide unless fewer pages. */
static void
window(int page, int pages, int *lo, int *hi)
{
	*lo = page - 2;
	*hi = page + 2;
	/* Keep the window 5 wide when it touches an end. */
	if (*lo < 1) {
		*hi += 1 - *lo;
		*lo = 1;
	}
	if (*hi > pages) {
		*lo -= *hi - pages;
		*hi = pages;
	}
	if (*lo < 1)
		*lo = 1;
}

struct vm *
view_pagination(struct arena *a, int page, int pages, page_url_fn url, void *ud)
{
	int lo, hi;
	window(page, pages, &lo, &hi);
	struct vm *p = vm_obj(a);
	vm_set_str_opt(p, "first", page > 1 ? url(ud, 1) : NULL);
	vm_set_str_opt(p, "prev", page > 1 ? url(ud, page - 1) : NULL);
	vm_set_str_opt(p, "next", page < pages ? url(ud, page + 1) : NULL);
	vm_set_str_opt(p, "last", page < pages ? url(ud, pages) : NULL);
	vm_set_int(p, "current", page);
	vm_set_int(p, "pages", pages);
	struct vm *items = vm_set_list(p, "items");
	/* Every item says whether it is an ellipsis: one without the key would look it up in
	 * the enclosing scopes. */
	if (lo > 1)
		vm_set_bool(vm_push_obj(items), "ellipsis", true);
	for (int k = lo; k <= hi; k++) {
		struct vm *it = vm_push_obj(items);
		vm_set_bool(it, "ellipsis", false);
		vm_set_int(it, "page", k);
		vm_set_str(it, "url", url(ud, k));
		vm_set_bool(it, "current", k == page);
	}
	if (hi < pages)
		vm_set_bool(vm_push_obj(items), "ellipsis", true);
	return p;
}
