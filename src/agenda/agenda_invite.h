/* agenda_invite.h — the invitations' mails (agenda.md §2.2). A counselor who turned the
 * switch on when creating an event gets, at their own address, a mail with the event as
 * invitation.ics (agenda_ics.h) on its creation, on each change and on its deletion,
 * whoever makes them.
 *
 * Each call below runs inside the write transaction of the use case that changes the
 * event (agenda_use.c) and enqueues the mail in the outbox (mail.h): the mail exists if
 * and only if the change commits, and is retried until sent. The job runner is woken
 * after the commit. The SEQUENCE is raised in the same transaction, so two changes at
 * once never mail the same number. */
#ifndef CEJ_AGENDA_INVITE_H
#define CEJ_AGENDA_INVITE_H

#include "agenda/agenda.h"

#include <stdint.h>

struct ctx;
struct db;
struct jobs_runner;
struct tmpl_set;

/* What the mails need from the server. Strings are the configuration's. */
struct agenda_mailer {
	const char *base_url;          /* the event's link and the UID's domain */
	const char *from;              /* the product's no-reply address: ORGANIZER */
	const struct tmpl_set *tmpl;   /* templates/mail/invitation.{txt,html} */
	struct jobs_runner *jobs;      /* woken after the commit; NULL: it looks within 1 s */
};

/* The mailer of the server context @c. */
struct agenda_mailer agenda_mailer_of(const struct ctx *c);

/* After stored event @e (participants included) was created: when e->invitation and its
 * creator has an e-mail, marks it invited and mails SEQUENCE 0; otherwise does nothing.
 * 0, -ERR_INVAL when an invitation is due and @m is NULL, or a negative err. */
int agenda_invite_created(struct db *db, const struct agenda_mailer *m, const struct event *e,
			  int64_t now);
/* After stored event @e (participants included) was changed: when it has an invitation,
 * raises its SEQUENCE and mails METHOD:REQUEST. Same returns. */
int agenda_invite_changed(struct db *db, const struct agenda_mailer *m, const struct event *e,
			  int64_t now);
/* Before event @e is deleted (its participants still stored): when it has an invitation,
 * raises its SEQUENCE and mails METHOD:CANCEL. Same returns. */
int agenda_invite_cancelled(struct db *db, const struct agenda_mailer *m,
			    const struct event *e, int64_t now);

/* 1 when a change of event @event_id mails its creator (the confirmation of an edit says
 * so, §2.1), 0 when not, or -ERR_DB. */
int agenda_invite_on(struct db *db, const char *event_id);

#endif
