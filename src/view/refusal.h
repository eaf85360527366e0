/* refusal.h — the page of a refusal: what a use case said no with (base/err.h struct
 * refusal), shown in the caller's layout. One template, errors/refused.html, for both
 * spaces: the counselor's alert with its heading, or the app's heading above an alert
 * (an info alert for a 404: something that is no longer there). */
#ifndef CEJ_VIEW_REFUSAL_H
#define CEJ_VIEW_REFUSAL_H

struct refusal;
struct req;

/* Renders @why (status, title, message; its field is not shown) as the response, with a
 * link back to @back labelled @back_label. The layout follows the user (counselor or
 * app); @nav marks the current menu entry ("portefeuille", "suivi"…; NULL: none). A NULL
 * title reads "Action impossible"; a NULL @back_label, "Retour à la fiche bénéficiaire"
 * for a counselor and "Retour" in the app. Strings must live as long as the request's
 * arena. 0, or the negative error of view_page() (a bug). */
int view_refusal(struct req *r, const struct refusal *why, const char *nav, const char *back,
		 const char *back_label);

#endif
