/* view.h — rendering pages: a template plus what every page needs (the user, the CSRF
 * token, the flash message, the layout), escaped by the template engine.
 *
 * Page templates start with {{> layout/head.html}} and end with {{> layout/foot.html}};
 * the layout reads "layout" ("counselor", "app" or "public"), "title" and "nav". */
#ifndef CEJ_VIEW_H
#define CEJ_VIEW_H

#include <glib.h>
#include <jansson.h>

struct req;

/* Renders @tmpl with @data (stolen; may be NULL) as the response with @status.
 * 0, or -ERR_NOTFOUND when the template is unknown (a bug). */
int view_page(struct req *r, int status, const char *tmpl, json_t *data);
/* The error page for @status (404, 403, 413, 500…), in the caller's layout. */
void view_error(struct req *r, int status);

/* Flash messages survive one redirect in a cookie holding a code (never free text) and
 * an optional UUID; view_page shows and clears it. Codes are listed in view.c. */
void view_flash(struct req *r, const char *code, const char *arg);
/* Redirects to @location with flash @code (and @arg, may be NULL). Returns 0. */
int view_redirect_flash(struct req *r, const char *location, const char *code, const char *arg);

/* Renders mail @name from templates mail/@name.txt and mail/@name.html into @text and
 * @html (appended). 0 or -ERR_NOTFOUND. Thread-safe; needs no request. */
struct tmpl_set;
int view_mail(const struct tmpl_set *set, const char *name, json_t *data, GString *text,
	      GString *html);

#endif
