/* pagination.h — the DSFR pagination component's data: first, previous, a window of 5
 * pages with ellipses, next, last (beneficiaries.md §3). Rendered by
 * templates/layout/pagination.html. */
#ifndef CEJ_PAGINATION_H
#define CEJ_PAGINATION_H

struct arena;
struct vm;

/* The URL of page @page (>= 1) of a listing; the string must live as long as the arena
 * of the view model (an arena string or a literal). */
typedef const char *(*page_url_fn)(void *ud, int page);

/* {"first":url|null, "prev":url|null, "next":…, "last":…, "current":n, "pages":n,
 *  "items":[{"page":n, "url":…, "current":bool, "ellipsis":false} | {"ellipsis":true}]}
 * for page @page of @pages (both >= 1), in @a. */
struct vm *view_pagination(struct arena *a, int page, int pages, page_url_fn url, void *ud);

#endif
