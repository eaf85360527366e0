/* agenda_invite.c — the invitations' mails: the SEQUENCE, the creator's address, the
 * calendar object (agenda_ics.c) joined to a readable mail (templates/mail/invitation.*),
 * all in the caller's transaction. */
#include "agenda/agenda_invite.h"
#include "agenda/agenda_ics.h"
#include "agenda/agenda_invite_store.h"
#include "agenda/agenda_store.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "core/ctx.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <string.h>

struct agenda_mailer
agenda_mailer_of(const struct ctx *c)
{
	return (struct agenda_mailer){.base_url = c->cfg->base_url, .from = c->cfg->mail_from,
				      .tmpl = c->tmpl, .jobs = c->jobs};
}

/* What the mail's text and HTML read. */
static struct vm *
mail_data(struct arena *a, const struct ics_invitation *in, const char *subject, const char *tz)
{
	const struct event *e = in->event;
	struct vm *d = vm_obj(a);
	vm_set_str(d, "subject", subject);
	vm_set_str(d, "first_name", e->creator_first_name);
	vm_set_str(d, "event_title", agenda_display_title(a, e));
	vm_set_bool(d, "created", in->change == ICS_CREATED);
	vm_set_bool(d, "changed", in->change == ICS_CHANGED);
	vm_set_bool(d, "cancelled", in->change == ICS_CANCELLED);
	vm_set_str(d, "day", clock_fr_day(a, e->starts_at, tz));
	vm_set_str(d, "start", clock_fr_time(a, e->starts_at, tz));
	vm_set_str(d, "end", clock_fr_time(a, agenda_ends_at(e), tz));
	vm_set_str_opt(d, "location", agenda_ics_location(e));
	GString *people = g_string_new(NULL);
	for (int i = 0; i < in->n_participants; i++)
		g_string_append_printf(people, "%s%s", i ? ", " : "",
				       agenda_ics_participant(a, &in->participants[i]));
	vm_set_str_opt(d, "participants", people->len ? arena_strdup(a, people->str) : NULL);
	vm_set_str(d, "participants_label", in->n_participants > 1 ? "Bénéficiaires" : "Bénéficiaire");
	g_string_free(people, TRUE);
	vm_set_str(d, "link", agenda_ics_url(a, e, in->base_url));
	return d;
}

/* Builds the invitation of @e with @sequence for @change and enqueues it to the creator.
 * A creator without an e-mail gets nothing. */
static int
enqueue_invitation(struct db *db, struct arena *a, const struct agenda_mailer *m,
		   const struct event *e, enum ics_change change, int sequence, int64_t now)
{
	const char *to, *tz;
	struct event_participant *people = NULL;
	int rc = agenda_invite_store_recipient(db, a, e->id, &to, &tz);
	if (rc || !to)
		return rc;
	if (!m)
		return -ERR_INVAL;
	int n = agenda_store_participants(db, a, e->id, &people);
	if (n < 0)
		return n;
	const struct ics_invitation in = {
		.change = change, .event = e, .participants = people, .n_participants = n,
		.sequence = sequence, .now = now, .base_url = m->base_url, .organizer = m->from,
		.creator_email = to,
	};
	const char *ics = agenda_ics_build(a, &in);
	const char *subject = agenda_ics_subject(a, change, e->starts_at, tz);
	const struct mail_attachment file = {"invitation.ics", agenda_ics_content_type(change),
					     ics, strlen(ics)};
	GString *text = g_string_new(NULL), *html = g_string_new(NULL);
	rc = view_mail(m->tmpl, "invitation", mail_data(a, &in, subject, tz), text, html);
	if (!rc)
		rc = mail_enqueue_with(db, now, to, subject, text->str, html->str, &file, 1);
	if (!rc)
		jobs_wake_on_commit(db, m->jobs);
	g_string_free(text, TRUE);
	g_string_free(html, TRUE);
	return rc;
}

int
agenda_invite_created(struct db *db, const struct agenda_mailer *m, const struct event *e,
		      int64_t now)
{
	if (!e->invitation)
		return 0;
	struct arena *a = arena_new();
	const char *to, *tz;
	int rc = agenda_invite_store_recipient(db, a, e->id, &to, &tz);
	/* The switch is disabled without an address (§2): a forged one changes nothing. */
	if (!rc && to && !(rc = agenda_invite_store_enable(db, e->id)))
		rc = enqueue_invitation(db, a, m, e, ICS_CREATED, 0, now);
	arena_free(a);
	return rc;
}

/* A change or the deletion: the next SEQUENCE, when the event has an invitation. */
static int
resend(struct db *db, const struct agenda_mailer *m, const struct event *e,
       enum ics_change change, int64_t now)
{
	int seq = agenda_invite_store_next(db, e->id);
	if (seq <= 0)
		return seq;
	struct arena *a = arena_new();
	int rc = enqueue_invitation(db, a, m, e, change, seq, now);
	arena_free(a);
	return rc;
}

int
agenda_invite_changed(struct db *db, const struct agenda_mailer *m, const struct event *e,
		      int64_t now)
{
	return resend(db, m, e, ICS_CHANGED, now);
}

int
agenda_invite_cancelled(struct db *db, const struct agenda_mailer *m, const struct event *e,
			int64_t now)
{
	return resend(db, m, e, ICS_CANCELLED, now);
}

int
agenda_invite_on(struct db *db, const char *event_id)
{
	return agenda_invite_store_on(db, event_id);
}
