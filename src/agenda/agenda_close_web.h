/* agenda_close_web.h — the counselor's pages on closing an AC (agenda.md §4): "Clore" with
 * its émargement, the printable sign-in sheet, and the closing block of an AC's detail. */
#ifndef CEJ_AGENDA_CLOSE_WEB_H
#define CEJ_AGENDA_CLOSE_WEB_H

struct event;
struct req;
struct vm;

/* GET and POST /agenda/animations-collectives/{id}/clore. */
int agenda_close_page(struct req *r);
int agenda_close_post(struct req *r);
/* GET /emargement/{id}?type=ac: the sign-in sheet, chrome-less A4; type=session hands
 * over to sessions_signin_sheet() (sessions/sessions_signin.h); any other type is 404. */
int agenda_signin_sheet(struct req *r);

/* For the detail page of AC @e (read access already checked): sets "ac_close" in @page —
 * the banner "doit être clos" with its "Clore" link or "doit être supprimé", and the link
 * "Exporter la liste des inscrits" — read by the block of templates/agenda/detail.html.
 * Sets nothing for a RDV. 0 or a negative err. */
int agenda_close_detail(struct req *r, struct vm *page, const struct event *e);

#endif
