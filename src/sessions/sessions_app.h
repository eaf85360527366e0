/* sessions_app.h — the young person's pages of an i-milo session (youth-app.md §7):
 * GET /app/evenements/sessions/{id}, the request page "Partage d'événement" at
 * /app/evenements/sessions/{id}/demande (GET, POST) and its confirmation
 * /app/evenements/sessions/{id}/demande/envoyee. */
#ifndef CEJ_SESSIONS_APP_H
#define CEJ_SESSIONS_APP_H

struct req;

int sessions_app_page(struct req *r);
int sessions_app_request_page(struct req *r);
int sessions_app_request_post(struct req *r);
int sessions_app_requested_page(struct req *r);
/* Self-registration (SESSION_AUTO_REGISTRATION): POST /app/evenements/sessions/{id}/inscription
 * and its confirmation …/inscription/confirmee. */
int sessions_app_self_post(struct req *r);
int sessions_app_self_done_page(struct req *r);

#endif
