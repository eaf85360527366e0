/* router.h — method + path pattern matching. Patterns are literal segments and
 * "{name}" (one non-empty segment) or a final "{name*}" (the rest, possibly with slashes). */
#ifndef CEJ_ROUTER_H
#define CEJ_ROUTER_H

#include "http/http.h"

/* The first of @routes matching @method and @path, with its parameters added to
 * @params (arena-owned), or NULL. */
const struct route *router_match(const struct route *routes, size_t n, struct arena *a,
				 const char *method, const char *path, struct kvlist *params);

#endif
