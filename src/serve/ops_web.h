/* ops_web.h — operations routes: health, static assets, root redirect, live event
 * streams, test clock and test publisher. */
#ifndef CEJ_OPS_WEB_H
#define CEJ_OPS_WEB_H

struct req;

int ops_healthz(struct req *r);
int ops_static(struct req *r);
int ops_root(struct req *r);
/* POST /_test/horloge {"offset_ms": n}: shifts the server clock. Only routed when the
 * test_clock setting is on (e2e tests), never in production. */
int ops_test_clock(struct req *r);
/* GET /_test/files-vides: {"jobs": live jobs due on the (test) clock or running, "mails":
 * mails neither sent nor given up}, so that e2e tests wait until the background work they
 * caused is done instead of sleeping. Routed only with test_clock, like /_test/horloge. */
int ops_test_queues(struct req *r);
/* GET /evenements, GET /app/evenements-direct: the logged-in counselor's or beneficiary's
 * event stream (topics HUB_TOPIC_COUNSELOR / HUB_TOPIC_BENEFICIARY of http/hub.h). */
int ops_events_counselor(struct req *r);
int ops_events_beneficiary(struct req *r);
/* POST /_test/publier {"topic", "event", "data"}: hub_publish() for the e2e tests, before
 * the pages that publish exist; answers {"delivered": n, "streams": open streams}. Routed
 * only with the test_clock setting, like /_test/horloge. */
int ops_test_publish(struct req *r);

#endif
