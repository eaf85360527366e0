/* profile_web.h — the counselor's "Mon profil" (admin-and-misc.md §4) and the settings it
 * holds: "Notifications sonores" (messaging.md §4) and the dismissal of the welcome modal
 * of the mobile space (messaging.md §12), which the layout shows on every page. */
#ifndef CEJ_PROFILE_WEB_H
#define CEJ_PROFILE_WEB_H

struct req;

int profile_page(struct req *r);                /* GET  /profil */
int profile_sound_post(struct req *r);          /* POST /profil/notifications-sonores */
int profile_mobile_welcome_post(struct req *r); /* POST /profil/bienvenue-mobile */

#endif
