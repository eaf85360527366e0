/* messages_app.h — the beneficiary's Messages screen (youth-app.md §9, messaging.md §1,
 * §4, §5, §7): the one conversation with their counselor, its composer, the edit and
 * delete of their own messages, the counselor's "message important" pinned on top
 * (messaging.md §10), and the fragment that keeps the list live.
 *
 * A beneficiary reaches only their own conversation (r->user->id): a message of another
 * conversation answers 404, a message of theirs they did not write 403. They never send
 * files: a multipart body holding a file answers 403, a field naming an attachment 400.
 * Opening the screen (or its fragment while it is shown) marks the conversation read;
 * the counselor's page hears "lu" only when something unread was read, so that two pages
 * reading each other never ping-pong. Without JavaScript every step is a plain form and a
 * redirect (PRG); with htmx the list is fetched again on the stream's "message" and "lu".
 * The composer's script posts with Accept: application/json and a sending key "cle_envoi"
 * (msg_client_key_check): 201 {"id","cle_envoi"}, 200 with the message already stored under
 * that key (a retry), 400 {"erreur"} with the spec's message. */
#ifndef CEJ_MESSAGES_APP_H
#define CEJ_MESSAGES_APP_H

struct req;

int messages_app_page(struct req *r);          /* GET  /app/messages[?avant=cursor] */
int messages_app_thread(struct req *r);        /* GET  /app/messages/fil (fragment) */
int messages_app_send(struct req *r);          /* POST /app/messages (ROUTE_MULTIPART) */
int messages_app_edit_page(struct req *r);     /* GET  /app/messages/{id}/modifier */
int messages_app_edit_post(struct req *r);     /* POST /app/messages/{id}/modifier */
int messages_app_delete_page(struct req *r);   /* GET  /app/messages/{id}/supprimer */
int messages_app_delete_post(struct req *r);   /* POST /app/messages/{id}/supprimer */

#endif
