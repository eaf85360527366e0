/* feed_web.h — the support page of the i-milo event feed. */
#ifndef CEJ_FEED_WEB_H
#define CEJ_FEED_WEB_H

struct req;

/* GET /support/flux-imilo: the events whose job is dead (the queue's dead letters), newest
 * first, for the supervisors (authz_support; others 403). */
int feed_support_page(struct req *r);

#endif
