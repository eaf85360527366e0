/* pagination.h — the DSFR pagination component's data: first, previous, a window of 5
 * pages with ellipses, next, last (beneficiaries.md §3). */
#ifndef CEJ_PAGINATION_H
#define CEJ_PAGINATION_H

#include <jansson.h>

typedef const char *(*page_url_fn)(void *ud, int page);

/* {"first":url|null, "prev":url|null, "next":…, "last":…, "current":n, "pages":n,
 *  "items":[{"page":n, "url":…, "current":bool} | {"ellipsis":true}]} for page @page of
 * @pages (both >= 1). New reference. */
json_t *view_pagination(int page, int pages, page_url_fn url, void *ud);

#endif
