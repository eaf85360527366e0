/* pagination.c — which page links to show. */
#include "view/pagination.h"

json_t *
view_pagination(int page, int pages, page_url_fn url, void *ud)
{
	int lo = page - 2, hi = page + 2;
	/* Keep the window 5 wide when it touches an end. */
	if (lo < 1) {
		hi += 1 - lo;
		lo = 1;
	}
	if (hi > pages) {
		lo -= hi - pages;
		hi = pages;
	}
	if (lo < 1)
		lo = 1;
	json_t *items = json_array();
	if (lo > 1)
		json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
	for (int k = lo; k <= hi; k++)
		json_array_append_new(items, json_pack("{s:i, s:s, s:b}", "page", k, "url", url(ud, k),
						       "current", k == page));
	if (hi < pages)
		json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:i, s:i, s:o}",
			 "first", page > 1 ? url(ud, 1) : NULL,
			 "prev", page > 1 ? url(ud, page - 1) : NULL,
			 "next", page < pages ? url(ud, page + 1) : NULL,
			 "last", page < pages ? url(ud, pages) : NULL,
			 "current", page, "pages", pages, "items", items);
}
