/* agenda.c — the pure rules on events (agenda.md §2, §4). */
#include "agenda/agenda.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/text.h"
#include "base/err.h"

#include <stdio.h>
#include <string.h>

const struct event_type_def agenda_types[EVENT_TYPE_COUNT] = {
	[EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER] = {"ENTRETIEN_INDIVIDUEL_CONSEILLER",
						   "Entretien individuel conseiller", false, false},
	[EVENT_ACTIVITES_EXTERIEURES] = {"ACTIVITES_EXTERIEURES", "Activités extérieures", false, false},
	[EVENT_ENTRETIEN_PARTENAIRE] = {"ENTRETIEN_PARTENAIRE", "Entretien par un partenaire", false, false},
	[EVENT_VISITE] = {"VISITE", "Visite", false, false},
	[EVENT_PRESTATION] = {"PRESTATION", "Prestation", false, false},
	[EVENT_AUTRE] = {"AUTRE", "Autre", false, false},
	[EVENT_ATELIER] = {"ATELIER", "Atelier", true, false},
	[EVENT_INFORMATION_COLLECTIVE] = {"INFORMATION_COLLECTIVE", "Information collective", true, false},
	[EVENT_RENDEZ_VOUS_MILO] = {"RENDEZ_VOUS_MILO", "Rendez-vous i-milo", false, true},
};

const struct event_modality_def agenda_modalities[MODALITY_COUNT] = {
	[MODALITY_ML] = {"ML", "En présentiel : Mission Locale"},
	[MODALITY_ML_PERMANENCE] = {"ML_PERMANENCE", "En présentiel : Mission Locale / Permanence"},
	[MODALITY_PHONE] = {"TELEPHONE", "Par téléphone"},
	[MODALITY_VISIO] = {"VISIO", "Par visio"},
};

int
agenda_type_parse(const char *code)
{
	for (int i = 0; code && i < EVENT_TYPE_COUNT; i++)
		if (!strcmp(code, agenda_types[i].code))
			return i;
	return -1;
}

int
agenda_type_parse_form(const char *code)
{
	int t = agenda_type_parse(code);
	return t >= 0 && agenda_types[t].synced ? -1 : t;
}

bool
agenda_is_imilo(const struct event *e)
{
	return e->type == EVENT_RENDEZ_VOUS_MILO;
}

int
agenda_modality_parse(const char *code)
{
	if (!code || !*code)
		return MODALITY_NONE;
	for (int i = 0; i < MODALITY_COUNT; i++)
		if (!strcmp(code, agenda_modalities[i].code))
			return i;
	return -2;
}

bool
agenda_person_matches(struct arena *a, const struct agenda_person *p,
		      const char *const *tokens, int n)
{
	const char *name = text_fold(a, arena_printf(a, "%s %s", p->last_name, p->first_name));
	for (int i = 0; i < n; i++)
		if (!strstr(name, tokens[i]))
			return false;
	return true;
}

bool
agenda_is_collective(enum event_type t)
{
	return t >= 0 && t < EVENT_TYPE_COUNT && agenda_types[t].collective;
}

bool
agenda_presence(enum event_type t, bool asked)
{
	return t == EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER || asked;
}

const char *
agenda_display_title(struct arena *a, const struct event *e)
{
	if (e->title && *e->title)
		return e->title;
	const char *base = e->type == EVENT_AUTRE && e->precision && *e->precision
				   ? e->precision : agenda_types[e->type].label;
	if (e->modality == MODALITY_NONE)
		return base;
	return arena_printf(a, "%s %s", base, agenda_modalities[e->modality].label);
}

int64_t
agenda_ends_at(const struct event *e)
{
	return e->starts_at + (int64_t)e->duration_min * 60000;
}

bool
agenda_ac_fits(int max, int n)
{
	return max <= 0 || n <= max;
}

bool
agenda_ac_full(const struct agenda_ac_row *row)
{
	return !agenda_ac_fits(row->e.max_participants, row->registrants + 1);
}

enum ac_status
agenda_ac_status(const struct event *e, int64_t now)
{
	if (e->closed_at)
		return AC_CLOSED;
	return e->starts_at <= now ? AC_TO_CLOSE : AC_UPCOMING;
}

const char *
agenda_ac_status_label(enum ac_status s)
{
	static const char *const labels[] = {"À venir", "À clore", "Close"};
	return labels[s];
}

int
agenda_check_open(const struct event *e, struct refusal *why)
{
	if (!e->closed_at)   /* only an AC is ever closed (0024's CHECK) */
		return 0;
	return refuse_with(why, 409, NULL, "Événement clos", AGENDA_CLOSED);
}

void
agenda_hhmm(int minutes, char buf[static 6])
{
	unsigned m = (unsigned)minutes % (24 * 60);
	snprintf(buf, 6, "%02u:%02u", (m / 60) % 24, m % 60);
}

static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int
agenda_parse_hhmm(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	int h = two_digits(s), m = two_digits(s + 3);
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	return h * 60 + m;
}

char *
agenda_duration_fr(struct arena *a, int duration_min)
{
	int h = duration_min / 60, m = duration_min % 60;
	if (!h)
		return arena_printf(a, "%d min", m);
	return m ? arena_printf(a, "%dh%02d", h, m) : arena_printf(a, "%dh", h);
}

char *
agenda_hours_fr(struct arena *a, int64_t starts_at, int duration_min, const char *tz)
{
	return arena_printf(a, "%s - %d min", clock_fr_time(a, starts_at, tz), duration_min);
}
