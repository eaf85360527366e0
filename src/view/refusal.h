/* refusal.h — the page of a refusal (base/err.h's struct refusal): what a use case said
 * no to, in the user's words, with its status, in the caller's layout (the counselor's
 * space or the app), and a link back. templates/errors/refused.html. */
#ifndef CEJ_VIEW_REFUSAL_H
#define CEJ_VIEW_REFUSAL_H

struct refusal;
struct req;
struct vm;

/* Renders @why (its status, title — "Action impossible" when NULL — and message) with a
 * link to @back labelled @back_label (both literals or arena strings; @back_label NULL:
 * "Retour à la fiche bénéficiaire"). Returns view_page's result. */
int view_refusal(struct req *r, const struct refusal *why, const char *back,
		 const char *back_label);
/* The same into @page (may be NULL), an object already holding what the layout reads
 * beside ("nav": the current entry of the menu or the app's bar). */
int view_refusal_page(struct req *r, struct vm *page, const struct refusal *why,
		      const char *back, const char *back_label);

#endif
