/* profile_app.h — the beneficiary's "Mon profil" and the deletion of their own account
 * (youth-app.md §11–§12). */
#ifndef CEJ_PROFILE_APP_H
#define CEJ_PROFILE_APP_H

struct req;

int profile_app_page(struct req *r);          /* GET  /app/profil */
int profile_app_delete_page(struct req *r);   /* GET  /app/suppression-compte */
int profile_app_delete(struct req *r);        /* POST /app/suppression-compte */

#endif
