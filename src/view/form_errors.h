/* form_errors.h — the DSFR summary of a form's errors: "Le formulaire contient n
 * erreur(s)." and one link per field in error, to the field's anchor. The page's
 * template renders {{#with errors}}{{> layout/form_errors.html}}{{/with}} above the
 * form, and each field reads its own message as errors.<field>. */
#ifndef CEJ_FORM_ERRORS_H
#define CEJ_FORM_ERRORS_H

#include <stddef.h>

struct arena;
struct vm;

struct view_field_error {
	const char *field;     /* key of the message in "errors" (a literal) */
	const char *anchor;    /* id of the field in the page, without '#' */
	const char *text;      /* the message, in French; NULL: this field is fine */
};

/* {"count": n, "list": [{"text", "anchor"}…], <field>: text…} in @a of the @n fields
 * whose text is not NULL, in their order — or NULL when none is, so that
 * vm_set(page, "errors", …) leaves "errors" null and the summary hidden. The texts must
 * live as long as @a. */
struct vm *view_form_errors(struct arena *a, const struct view_field_error *fields, size_t n);

#endif
