/* ops_web.h — operations routes: health, static assets, root redirect, test clock. */
#ifndef CEJ_OPS_WEB_H
#define CEJ_OPS_WEB_H

struct req;

int ops_healthz(struct req *r);
int ops_static(struct req *r);
int ops_root(struct req *r);
/* POST /_test/horloge {"offset_ms": n}: shifts the server clock. Only routed when the
 * test_clock setting is on (e2e tests), never in production. */
int ops_test_clock(struct req *r);

#endif
