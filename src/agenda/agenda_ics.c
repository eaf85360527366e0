/* agenda_ics.c — the invitation's iCalendar object, its subject and content type, built
 * with libical (DESIGN §2: no hand-written iCalendar, its escaping and folding are
 * libical's). */
#include "agenda/agenda_ics.h"

#include "base/arena.h"
#include "base/clock.h"

#include <glib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#define PRODID "-//Application du CEJ//Agenda//FR"
#define NOT_SYNCED "Les modifications effectuées dans votre agenda ne sont pas prises en " \
		   "compte dans l’application du CEJ."

char *
agenda_ics_uid(struct arena *a, const char *event_id, const char *base_url)
{
	GUri *uri = base_url ? g_uri_parse(base_url, G_URI_FLAGS_NONE, NULL) : NULL;
	const char *host = uri && g_uri_get_host(uri) && *g_uri_get_host(uri)
				   ? g_uri_get_host(uri) : "localhost";
	char *uid = arena_printf(a, "rdv-%s@%s", event_id, host);
	if (uri)
		g_uri_unref(uri);
	return uid;
}

char *
agenda_ics_url(struct arena *a, const struct event *e, const char *base_url)
{
	size_t n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	return arena_printf(a, "%.*s/agenda/%s/%s", (int)n, base_url,
			    agenda_is_collective(e->type) ? "animations-collectives" : "rendez-vous",
			    e->id);
}

const char *
agenda_ics_location(const struct event *e)
{
	if (e->address && *e->address)
		return e->address;
	return e->modality == MODALITY_NONE ? NULL : agenda_modalities[e->modality].label;
}

char *
agenda_ics_participant(struct arena *a, const struct event_participant *p)
{
	const char *last = p->last_name ? p->last_name : "";
	if (!*last || !g_utf8_validate(last, -1, NULL))
		return arena_strdup(a, p->first_name);
	/* The initial is one character, whatever its bytes: "Élodie É." */
	gchar *initial = g_utf8_strup(last, g_utf8_next_char(last) - last);
	char *s = arena_printf(a, "%s %s.", p->first_name, initial);
	g_free(initial);
	return s;
}

static const char *
type_label(struct arena *a, const struct event *e)
{
	if (e->type == EVENT_AUTRE && e->precision && *e->precision)
		return arena_printf(a, "Autre : %s", e->precision);
	return agenda_types[e->type].label;
}

char *
agenda_ics_description(struct arena *a, const struct ics_invitation *in)
{
	const struct event *e = in->event;
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "Type : %s\n", type_label(a, e));
	if (in->n_participants > 0) {
		g_string_append(s, in->n_participants > 1 ? "Bénéficiaires : " : "Bénéficiaire : ");
		for (int i = 0; i < in->n_participants; i++)
			g_string_append_printf(s, "%s%s", i ? ", " : "",
					       agenda_ics_participant(a, &in->participants[i]));
		g_string_append_c(s, '\n');
	}
	if (e->description && *e->description)
		g_string_append_printf(s, "Description : %s\n", e->description);
	g_string_append_printf(s, "Voir l’événement dans l’application du CEJ : %s\n\n%s",
			       agenda_ics_url(a, e, in->base_url), NOT_SYNCED);
	char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return out;
}

const char *
agenda_ics_method(enum ics_change c)
{
	return c == ICS_CANCELLED ? "CANCEL" : "REQUEST";
}

const char *
agenda_ics_content_type(enum ics_change c)
{
	return c == ICS_CANCELLED ? "text/calendar; method=CANCEL; charset=UTF-8"
				  : "text/calendar; method=REQUEST; charset=UTF-8";
}

char *
agenda_ics_subject(struct arena *a, enum ics_change c, int64_t starts_at, const char *tz)
{
	const char *day = clock_fr_day(a, starts_at, tz);
	switch (c) {
	case ICS_CREATED:
		return arena_printf(a, "Nouveau rendez-vous CEJ le %s à %s", day,
				    clock_fr_time(a, starts_at, tz));
	case ICS_CHANGED:
		return arena_printf(a, "Modification du rendez-vous CEJ du %s", day);
	case ICS_CANCELLED:
		break;
	}
	return arena_printf(a, "Annulation du rendez-vous CEJ du %s", day);
}

/* "Nom <a@b>" -> "a@b"; a bare address as is. Arena-owned. */
static const char *
bare_address(struct arena *a, const char *s)
{
	const char *lt = strrchr(s, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	return gt ? arena_strndup(a, lt + 1, (size_t)(gt - lt - 1)) : s;
}

static struct icaltimetype
utc_time(int64_t ms)
{
	/* Floor to the second, also before 1970. */
	int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	return icaltime_from_timet_with_zone((time_t)s, 0, icaltimezone_get_utc_timezone());
}

/* @p, a CAL-ADDRESS property (ORGANIZER, ATTENDEE), with its display name @cn. */
static icalproperty *
person(icalproperty *p, const char *cn)
{
	icalproperty_add_parameter(p, icalparameter_new_cn(cn));
	return p;
}

static icalcomponent *
vevent(struct arena *a, const struct ics_invitation *in)
{
	const struct event *e = in->event;
	const char *creator = arena_printf(a, "%s %s", e->creator_first_name, e->creator_last_name);
	const char *location = agenda_ics_location(e);
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);

	icalcomponent_add_property(ev, icalproperty_new_uid(agenda_ics_uid(a, e->id, in->base_url)));
	icalcomponent_add_property(ev, icalproperty_new_sequence(in->sequence));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(in->now)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(e->starts_at)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(agenda_ends_at(e))));
	icalcomponent_add_property(ev, icalproperty_new_summary(
		arena_printf(a, "[CEJ] %s", agenda_display_title(a, e))));
	if (location)
		icalcomponent_add_property(ev, icalproperty_new_location(location));
	icalcomponent_add_property(ev, icalproperty_new_description(agenda_ics_description(a, in)));
	icalcomponent_add_property(ev, icalproperty_new_url(agenda_ics_url(a, e, in->base_url)));
	icalcomponent_add_property(ev, icalproperty_new_status(
		in->change == ICS_CANCELLED ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ev, person(icalproperty_new_organizer(
		arena_printf(a, "mailto:%s", bare_address(a, in->organizer))), creator));
	/* The creator puts the event in their own calendar: nothing to answer. */
	icalproperty *att = person(icalproperty_new_attendee(
		arena_printf(a, "mailto:%s", in->creator_email)), creator);
	icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
	icalproperty_add_parameter(att, icalparameter_new_partstat(ICAL_PARTSTAT_ACCEPTED));
	icalproperty_add_parameter(att, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
	icalcomponent_add_property(ev, att);
	return ev;
}

char *
agenda_ics_build(struct arena *a, const struct ics_invitation *in)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(
		in->change == ICS_CANCELLED ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST));
	icalcomponent_add_component(cal, vevent(a, in));

	/* The _r variant: ours to free, not libical's ring buffer. */
	char *text = icalcomponent_as_ical_string_r(cal);
	GString *s = g_string_new(text);
	/* libical 3.0 folds a line of exactly 75 octets between its CR and its LF
	 * ("…\r\r\n \n"): the same content once unfolded, but a bare CR and LF that mail
	 * clients may choke on. Written as unfolding reads it. */
	g_string_replace(s, "\r\r\n \n", "\r\n", 0);
	char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	free(text);
	icalcomponent_free(cal);
	return out;
}
