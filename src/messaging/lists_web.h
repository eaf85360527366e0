/* lists_web.h — the counselor's pages on listes de diffusion (messaging.md §9): the
 * listing, the create / edit form, deletion, and the history of the messages sent to a
 * list with their read receipts. A list is its owner's only: everyone else gets 404. */
#ifndef CEJ_LISTS_WEB_H
#define CEJ_LISTS_WEB_H

#include "http/http.h"

int lists_page(struct req *r);          /* GET  /listes (?tri=nom|destinataires, ?ordre=) */
int lists_new_page(struct req *r);      /* GET  /listes/nouvelle */
int lists_new_post(struct req *r);      /* POST /listes/nouvelle */
int lists_edit_page(struct req *r);     /* GET  /listes/{id}/modifier */
int lists_edit_post(struct req *r);     /* POST /listes/{id}/modifier */
int lists_delete_page(struct req *r);   /* GET  /listes/{id}/supprimer */
int lists_delete_post(struct req *r);   /* POST /listes/{id}/supprimer */
int lists_history_page(struct req *r);  /* GET  /listes/messages (one entry per list) */
int lists_messages_page(struct req *r); /* GET  /listes/{id}/messages (?avant=) */
int lists_message_page(struct req *r);  /* GET  /listes/{id}/messages/{bid} */

#endif
