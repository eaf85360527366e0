/* sessions_web.h — the counselor's pages of an i-milo session (agenda.md §5.2–§5.4):
 * the session page, its visibility and registration forms, closing. Private. */
#ifndef CEJ_SESSIONS_WEB_H
#define CEJ_SESSIONS_WEB_H

struct req;

/* GET /agenda/sessions/{id}. */
int sessions_page(struct req *r);
/* POST /agenda/sessions/{id}/visibilite: saved at once, also when i-milo is down. */
int sessions_visibility_post(struct req *r);
/* POST /agenda/sessions/{id}/inscriptions: every step of the staging (search, add,
 * unregister dialog, re-register, undo) re-renders the page with the pending changes in
 * the form; "Enregistrer" sends them to i-milo. */
int sessions_registrations_post(struct req *r);
/* GET and POST /agenda/sessions/{id}/clore. */
int sessions_close_page(struct req *r);
int sessions_close_post(struct req *r);

#endif
