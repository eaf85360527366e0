/* profile_app.h — the beneficiary's "Mon profil" and the deletion of their own account
 * and its settings (youth-app.md §10–§12). */
#ifndef CEJ_PROFILE_APP_H
#define CEJ_PROFILE_APP_H

struct req;

int profile_app_page(struct req *r);          /* GET  /app/profil */
int profile_app_delete_page(struct req *r);   /* GET  /app/suppression-compte */
int profile_app_delete(struct req *r);        /* POST /app/suppression-compte */
int profile_app_share_post(struct req *r);    /* POST /app/profil/partage */
int profile_app_notifications_page(struct req *r);  /* GET  /app/profil/notifications */
int profile_app_notifications_post(struct req *r);  /* POST /app/profil/notifications */

#endif
