/* offers_alerts_web.h — the counselor's "Partager les critères" (offers.md §4):
 *   GET/POST /offres/criteres/partager?<critères>   the criteria's recap, the portfolio as
 *   checkboxes, "Partager": one suggestion per beneficiary chosen; then 303 to the results
 *   (/offres?<critères>) with the flash "Les critères de recherche ont bien été partagés".
 * Criteria that may not be shared (offers_saved_shareable) answer a refusal page (400). */
#ifndef CEJ_OFFERS_ALERTS_WEB_H
#define CEJ_OFFERS_ALERTS_WEB_H

struct req;

/* The counselor's results page of a search. */
#define OFFERS_WEB_RESULTS "/offres"

int offers_share_criteria_page(struct req *r);
int offers_share_criteria_post(struct req *r);

#endif
