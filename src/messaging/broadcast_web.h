/* broadcast_web.h — the "Message multi-destinataires" page (messaging.md §8): recipients
 * chosen among the counselor's portfolio and own lists, one message, sent as an individual
 * message to each beneficiary. */
#ifndef CEJ_BROADCAST_WEB_H
#define CEJ_BROADCAST_WEB_H

#include "http/http.h"

int broadcast_page(struct req *r);   /* GET  /messagerie/multi-destinataires */
int broadcast_post(struct req *r);   /* POST /messagerie/multi-destinataires */

#endif
