/* important_web.c — "Configurer un message important" (messaging.md §10): the modal of the
 * reference is a page here, so it works without JavaScript. Parse, check, save, redirect
 * to the messaging with the spec's flash. A counselor only ever reaches their own
 * message: the route is theirs by construction (r->user). */
#include "messaging/important_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "db/db.h"
#include "messaging/important.h"
#include "core/ctx.h"
#include "view/view.h"

#include <glib.h>

#define TITLE "Configurer un message important"
#define BACK "/messagerie"

static json_t *
errors_json(const struct important_errors *e)
{
	const struct {
		const char *name, *text, *anchor;
	} all[] = {
		{"start", e->start, "date-debut"},
		{"end", e->end, "date-fin"},
		{"text", e->text, "message"},
	};
	json_t *j = json_object(), *list = json_array();
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		if (all[i].text) {
			json_object_set_new(j, all[i].name, json_string(all[i].text));
			json_array_append_new(list, json_pack("{s:s, s:s}", "text", all[i].text,
							      "anchor", all[i].anchor));
		}
	json_object_set_new(j, "list", list);
	json_object_set_new(j, "count", json_integer(e->count));
	return j;
}

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
	json_t *data = json_pack("{s:s, s:s, s:b, s:s?, s:s?, s:s, s:i, s:i, s:s}",
		"title", TITLE, "nav", "messagerie", "configured", configured,
		"start", date_value(r, f->start), "end", date_value(r, f->end), "text", text,
		"text_length", (int)g_utf8_strlen(text, -1), "text_max", IMPORTANT_TEXT_MAX,
		"tip", IMPORTANT_TIP);
	if (e && e->count)
		json_object_set_new(data, "errors", errors_json(e));
	return view_page(r, status, "important/form.html", data);
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
