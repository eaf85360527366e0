/* offers_sync_web.h — GET /support/offres, "Synchronisation des offres" (offers.md §8.3):
 * per provider its last run (when, which kind, how long, what it wrote) and its last
 * error, or "non configuré" when its credentials are unset. The supervisors only
 * (authz_support, as /support/flux-imilo; others 403). */
#ifndef CEJ_OFFERS_SYNC_WEB_H
#define CEJ_OFFERS_SYNC_WEB_H

struct req;

int offers_sync_support_page(struct req *r);

#endif
