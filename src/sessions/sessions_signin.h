/* sessions_signin.h — the sign-in sheet of an i-milo session, for the agenda's
 * /emargement/{id}?type=session (agenda.md §5.4): public, the agenda's sheet route hands
 * that type over. */
#ifndef CEJ_SESSIONS_SIGNIN_H
#define CEJ_SESSIONS_SIGNIN_H

struct req;

/* Renders the chrome-less A4 sheet of session {id} for the counselor (the AC's template):
 * its registrants Inscrit or Présent by name, then blank rows. 404 as the session page;
 * i-milo down: 503 with the generic i-milo message. */
int sessions_signin_sheet(struct req *r);

#endif
