/* notifications_app.h — the beneficiary's notification centre (notifications.md §1):
 * the entries of the last 10 days, newest first; opening it marks them seen, so the
 * bell's count (filled for every app page by view.c) drops to 0 on the next page. */
#ifndef CEJ_NOTIFICATIONS_APP_H
#define CEJ_NOTIFICATIONS_APP_H

struct req;

int notifications_app_centre(struct req *r);   /* GET /app/notifications */

#endif
