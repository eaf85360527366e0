/* important_web.c — "Configurer un message important" (messaging.md §10): the modal of the
 * reference is a page here, so it works without JavaScript. Parse, check, save, redirect
 * to the messaging with the spec's flash. A counselor only ever reaches their own
 * message: the route is theirs by construction (r->user). */
#include "messaging/important_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "messaging/important.h"
#include "core/ctx.h"
#include "view/form_errors.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>

#define TITLE "Configurer un message important"
#define BACK "/messagerie"

/* The value of a date field as <input type="date"> wants it ("aaaa-mm-jj"); what cannot
 * be read is given back as typed. */
static const char *
date_value(struct req *r, const char *typed)
{
	int64_t day = important_parse_day(typed);
	return day == CLOCK_NO_DAY ? typed : clock_day_iso(r->a, day);
}

/* The form, filled with @f; @configured when a message is already set (§10). */
static int
form_page(struct req *r, int status, const struct important_form *f, bool configured,
	  const struct important_errors *e)
{
	const char *text = f->text ? f->text : "";
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", TITLE);
	vm_set_str(page, "nav", "messagerie");
	vm_set_bool(page, "configured", configured);
	vm_set_str_opt(page, "start", date_value(r, f->start));
	vm_set_str_opt(page, "end", date_value(r, f->end));
	vm_set_str(page, "text", text);
	vm_set_int(page, "text_length", (int64_t)g_utf8_strlen(text, -1));
	vm_set_int(page, "text_max", IMPORTANT_TEXT_MAX);
	vm_set_str(page, "tip", IMPORTANT_TIP);
	const struct view_field_error fields[] = {
		{"start", "date-debut", e ? e->start : NULL},
		{"end", "date-fin", e ? e->end : NULL},
		{"text", "message", e ? e->text : NULL},
	};
	vm_set(page, "errors", view_form_errors(r->a, fields, G_N_ELEMENTS(fields)));
	return view_page(r, status, "important/form.html", page);
}

/* Is a message already configured for the caller? Fills @m when it is. 1, 0 or -ERR_DB. */
static int
current(struct req *r, int64_t now, struct important *m)
{
	int rc = important_current(ctx_db(r), req_ctx(r)->keys, r->a, r->user->id, now, m);
	return rc == -ERR_NOTFOUND ? 0 : rc ? rc : 1;
}

int
important_page(struct req *r)
{
	struct important m;
	struct important_form f = {0};
	int rc = current(r, clock_now_ms(), &m);
	if (rc < 0)
		return rc;
	if (rc)
		f = (struct important_form){.start = m.start_date, .end = m.end_date, .text = m.text};
	return form_page(r, 200, &f, rc == 1, NULL);
}

int
important_post(struct req *r)
{
	struct important m;
	struct important_errors e;
	struct important_input in;
	int64_t now = clock_now_ms();
	struct important_form f = {.start = req_form(r, "date_debut"), .end = req_form(r, "date_fin"),
				   .text = req_form(r, "message")};
	if (important_check(r->a, &f, &e, &in)) {
		int rc = current(r, now, &m);
		return rc < 0 ? rc : form_page(r, 400, &f, rc == 1, &e);
	}
	int rc = important_save(ctx_db(r), req_ctx(r)->keys, r->a, now, r->user->id,
				r->user->timezone, &in);
	return rc ? rc : view_redirect_flash(r, BACK, "message-important-diffuse", NULL);
}

int
important_disable_post(struct req *r)
{
	int rc = important_disable(ctx_db(r), r->user->id);
	return rc ? rc : view_redirect_flash(r, BACK, "message-important-desactive", NULL);
}
