/* alerts_web.h — the counselor's new-message alerts for the pages' script (messaging.md
 * §4): the favicon's "notification" variant and the sound of "Notifications sonores". */
#ifndef CEJ_ALERTS_WEB_H
#define CEJ_ALERTS_WEB_H

struct req;

/* GET /messagerie/non-lus (counselor): {"unread_conversations": N, "last_incoming_at": ms}.
 * The layout renders the same values on page load; static/cej.js asks again after each
 * "message" / "lu" event of the page's stream and each fragment it swaps. */
int alerts_status(struct req *r);

#endif
