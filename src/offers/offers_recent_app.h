/* offers_recent_app.h — the app's last 3 searches kept on the device (youth-app.md §8;
 * the rules in offers_recent.h): what offers_app.c calls. */
#ifndef CEJ_OFFERS_RECENT_APP_H
#define CEJ_OFFERS_RECENT_APP_H

struct req;
struct vm;

/* The search of criteria query string @query (offers_query_string's, the place as its
 * code) ran: puts it first in the cookie of the response. Nothing when it is not one to
 * keep (offers_recent_valid). */
void offers_recent_remember(struct req *r, const char *query);

/* The list "recent" of @page: {label, href} of each search of the cookie, most recent
 * first ("Offre d’emploi · vendeur · Brest (29200) · 10 km" and its results' link); empty
 * without cookie or when nothing in it is valid. */
void offers_recent_show(struct req *r, struct vm *page);

#endif
