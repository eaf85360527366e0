/* conversations_web.h — the counselor's messaging pages (messaging.md §2–§6). */
#ifndef CEJ_CONVERSATIONS_WEB_H
#define CEJ_CONVERSATIONS_WEB_H

#include "http/http.h"

int conversations_page(struct req *r);    /* GET  /messagerie (the list, ?q= name filter) */
int conversations_column(struct req *r);  /* GET  /messagerie/colonne (fragment of the list) */
/* GET /conversations/{id} (?avant=, ?depuis=, ?modifier=) */
int conversations_show(struct req *r);
int conversations_thread(struct req *r);  /* GET  /conversations/{id}/fil (fragment, same ?) */
int conversations_search(struct req *r);  /* GET  /conversations/{id}/recherche (?q=, §6) */
int conversations_send(struct req *r);    /* POST /conversations/{id} */
int conversations_follow(struct req *r);  /* POST /conversations/{id}/suivre */
int conversations_edit(struct req *r);    /* POST /conversations/{id}/messages/{mid}/modifier */
int conversations_delete(struct req *r);  /* POST /conversations/{id}/messages/{mid}/supprimer */

int conversations_download(struct req *r); /* GET  /pieces-jointes/{id} */
/* The download for a logged-in @kind ("counselor" | "beneficiary"), for both spaces. */
int attachments_download(struct req *r, const char *kind);
int app_attachments_download(struct req *r); /* GET /app/pieces-jointes/{id} */

#endif
