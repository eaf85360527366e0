/* important_web.h — the counselor's page "Configurer un message important" (messaging.md
 * §10). A page takes the modal's place: it works without JavaScript. */
#ifndef CEJ_IMPORTANT_WEB_H
#define CEJ_IMPORTANT_WEB_H

#include "http/http.h"

int important_page(struct req *r);     /* GET  /messagerie/message-important */
int important_post(struct req *r);     /* POST /messagerie/message-important (send or replace) */
int important_disable_post(struct req *r); /* POST /messagerie/message-important/desactiver */

#endif
