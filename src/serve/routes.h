/* routes.h — the table of every route of `cej serve`: one place to read what the
 * application answers, and to walk in the authorization test. */
#ifndef CEJ_ROUTES_H
#define CEJ_ROUTES_H

#include "http/http.h"

struct config;

/* The routes enabled by @cfg (the demo mailbox only with the file transport, the test
 * clock only with test_clock). Built once; static storage. */
const struct route *routes_table(const struct config *cfg, size_t *n);

#endif
