/* view.h — rendering pages: a template plus what every page needs (the user, the CSRF
 * token, the flash message, the layout), escaped by the template engine.
 *
 * Page templates start with {{> layout/head.html}} and end with {{> layout/foot.html}};
 * the layout reads "layout" ("counselor", "app" or "public"), "title" and "nav". Page
 * data is a view model (vm.h) in the request arena. */
#ifndef CEJ_VIEW_H
#define CEJ_VIEW_H

#include <glib.h>

struct req;
struct tmpl_set;
struct vm;

/* Renders @tmpl with @data (an object in r->a, or NULL for an empty one) as the response
 * with @status; adds the common keys (user, csrf, path, layout unless set, flash, badges)
 * to @data. 0, or -ERR_NOTFOUND when the template is unknown (a bug). A missing value in
 * a strict set (tests) is logged with its template, line and path, and answers the 500
 * page. */
int view_page(struct req *r, int status, const char *tmpl, struct vm *data);
/* The error page for @status (404, 403, 413, 500…), in the caller's layout. */
void view_error(struct req *r, int status);

/* Flash messages survive one redirect in a cookie holding a code (never free text) and
 * an optional argument (a UUID, a name, an e-mail address); view_page shows and clears it. Codes are listed in view.c. */
void view_flash(struct req *r, const char *code, const char *arg);
/* Redirects to @location with flash @code (and @arg, may be NULL). Returns 0. */
int view_redirect_flash(struct req *r, const char *location, const char *code, const char *arg);
/* The argument of the flash the request carries when its code is @code, else NULL; the
 * flash itself still shows (view_page). It comes back from the browser: a value to show
 * (a form's prefill, escaped like any other), never one to act on. Arena-owned. */
const char *view_flash_arg(struct req *r, const char *code);

/* Renders mail @name from templates mail/@name.txt and mail/@name.html into @text and
 * @html (appended) with @data (only read). 0, -ERR_NOTFOUND, or -ERR_INVAL for a missing
 * value in a strict set (logged). Thread-safe; needs no request. */
int view_mail(const struct tmpl_set *set, const char *name, const struct vm *data,
	      GString *text, GString *html);

#endif
