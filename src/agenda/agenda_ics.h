/* agenda_ics.h — the invitation of an event (agenda.md §2.2): the iCalendar object mailed
 * to the event's creator so that it lands in their own calendar, its subject and its
 * content type. Pure: built from its inputs with libical, no I/O, no clock.
 *
 * What an invitation guarantees:
 * - one VCALENDAR holding one VEVENT; METHOD:REQUEST for a creation or a change,
 *   METHOD:CANCEL and STATUS:CANCELLED for a deletion;
 * - UID "rdv-{event id}@{host of the base URL}": the same for every mail of an event, so a
 *   calendar updates its copy; SEQUENCE as given (the caller raises it, agenda_invite.h);
 * - DTSTART, DTEND and DTSTAMP in UTC ("…Z");
 * - ORGANIZER the product's no-reply address, its CN the creator's name; the creator the
 *   only ATTENDEE. Beneficiaries appear by first name and initial in DESCRIPTION only:
 *   never their e-mail, never their last name. */
#ifndef CEJ_AGENDA_ICS_H
#define CEJ_AGENDA_ICS_H

#include "agenda/agenda.h"

#include <stdint.h>

struct arena;

/* Why the creator gets a mail: the subject and the method follow. */
enum ics_change { ICS_CREATED, ICS_CHANGED, ICS_CANCELLED };

struct ics_invitation {
	enum ics_change change;
	const struct event *event;
	const struct event_participant *participants;   /* may be NULL when @n is 0 */
	int n_participants;
	int sequence;                /* 0 at creation, then one more per mail */
	int64_t now;                 /* DTSTAMP, Unix ms */
	const char *base_url;        /* "https://cej.example.org": the UID's domain, the link */
	const char *organizer;       /* the product's no-reply address ("Nom <a@b>" accepted) */
	const char *creator_email;   /* the only attendee */
};

/* "rdv-{event_id}@{host}" with the host of @base_url ("localhost" when it has none).
 * Arena-owned. */
char *agenda_ics_uid(struct arena *a, const char *event_id, const char *base_url);

/* The address of the event's page in the counselor's space. Arena-owned. */
char *agenda_ics_url(struct arena *a, const struct event *e, const char *base_url);

/* LOCATION: the address when there is one, else the modality's label, else NULL. Static
 * or @e's. */
const char *agenda_ics_location(const struct event *e);

/* "Kevin D.": a participant as the invitation names them. Arena-owned. */
char *agenda_ics_participant(struct arena *a, const struct event_participant *p);

/* DESCRIPTION: the type, the participants, the description, the event's URL and the
 * warning that changes made in a calendar do not reach the application. Arena-owned. */
char *agenda_ics_description(struct arena *a, const struct ics_invitation *in);

/* The whole iCalendar text (CRLF line endings, folded at 75 octets). Arena-owned. */
char *agenda_ics_build(struct arena *a, const struct ics_invitation *in);

/* "REQUEST" or "CANCEL". Static. */
const char *agenda_ics_method(enum ics_change c);
/* The attachment's content type: "text/calendar; method=REQUEST; charset=UTF-8". Static. */
const char *agenda_ics_content_type(enum ics_change c);

/* "Nouveau rendez-vous CEJ le 12/03/2026 à 10h00", "Modification du rendez-vous CEJ du
 * 12/03/2026", "Annulation du rendez-vous CEJ du 12/03/2026": the date and time of
 * @starts_at in zone @tz. Arena-owned. */
char *agenda_ics_subject(struct arena *a, enum ics_change c, int64_t starts_at, const char *tz);

#endif
