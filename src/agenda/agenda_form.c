/* agenda_form.c — the checks of the counselor's event form (agenda.md §2). */
#include "agenda/agenda_form.h"

#include "actions/actions.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/text.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY(field, what) "Le champ “" field "” est vide. Renseignez " what "."
#define NO_BENEFICIARY "Aucun bénéficiaire n’est renseigné. Veuillez sélectionner au moins " \
		       "un bénéficiaire."

static bool
empty(const char *s)
{
	return !s || !*s;
}

static bool
too_long(const char *s)
{
	return s && g_utf8_strlen(s, -1) > AGENDA_TEXT_MAX;
}

int64_t
agenda_form_day(const char *date)
{
	if (!date || strlen(date) != 10)
		return CLOCK_NO_DAY;
	if (date[2] != '/' || date[5] != '/')
		return clock_day_parse(date);
	char iso[11] = {date[6], date[7], date[8], date[9], '-', date[3], date[4], '-',
			date[0], date[1], 0};
	return clock_day_parse(iso);
}

/* "Date": empty, outside the window the actions use (§2 "same window as actions"). */
static const char *
check_date(struct arena *a, const char *value, int64_t now, const char *tz)
{
	if (empty(value))
		return EMPTY("Date", "une date");
	int64_t day = agenda_form_day(value), first, last;
	if (action_day_in_window(day, now, tz))
		return NULL;
	action_date_window(now, tz, &first, &last);
	return arena_printf(a, "Le champ “Date” est invalide. La date attendue est comprise entre "
			    "le %s et le %s.", clock_day_fr(a, first), clock_day_fr(a, last));
}

static const char *
check_start(const char *value)
{
	if (empty(value))
		return EMPTY("Heure de début", "une heure de début");
	if (agenda_parse_hhmm(value) < 0)
		return "Le champ “Heure de début” est invalide. L’heure attendue est au format hh:mm.";
	return NULL;
}

static const char *
check_duration(const char *value)
{
	if (empty(value))
		return EMPTY("Durée", "une durée");
	if (agenda_parse_hhmm(value) < 1)
		return "Le champ “Durée” est invalide. La durée attendue est comprise entre 00:01 "
		       "et 23:59.";
	return NULL;
}

#define MAX_DIGITS 4   /* a room, not a stadium: 9999 registrants at most */

/* "Nombre maximum de participants" of an AC whose switch is on: an integer ≥ 1 and ≥ the
 * registrants (§2). */
static const char *
check_max(const struct event_form *f)
{
	if (empty(f->max))
		return EMPTY("Nombre maximum de participants", "un nombre maximum de participants");
	if (!text_is_digits(f->max, MAX_DIGITS) || atoi(f->max) < 1)
		return "Le champ “Nombre maximum de participants” est invalide. Renseignez un "
		       "nombre entier supérieur ou égal à 1.";
	if (!agenda_ac_fits(atoi(f->max), f->n_beneficiaries))
		return AGENDA_MAX_EXCEEDED;
	return NULL;
}

int
agenda_form_max(const struct event_form *f)
{
	int type = agenda_type_parse_form(f->type);
	if (type < 0 || !agenda_is_collective(type) || !f->limited || !text_is_digits(f->max, MAX_DIGITS))
		return 0;
	return atoi(f->max);
}

/* Type, Préciser, Titre, Description, Bénéficiaires: what depends on the kind. */
static void
check_kind(const struct event_form *f, struct event_form_errors *e)
{
	int type = agenda_type_parse_form(f->type);
	bool collective = type >= 0 && agenda_is_collective(type);
	if (type < 0)
		e->type = EMPTY("Type", "un type");
	if (type == EVENT_AUTRE && empty(f->precision))
		e->precision = EMPTY("Préciser", "une précision");
	else if (type == EVENT_AUTRE && too_long(f->precision))
		e->precision = "Le champ “Préciser” ne doit pas dépasser 250 caractères.";
	if (collective && empty(f->title))
		e->title = EMPTY("Titre", "un titre");
	else if (too_long(f->title))
		e->title = "Le titre ne doit pas dépasser 250 caractères.";
	if (too_long(f->description))
		e->description = "La description ne doit pas dépasser 250 caractères.";
	if (type >= 0 && !collective && f->n_beneficiaries < 1)
		e->beneficiaries = NO_BENEFICIARY;
	if (collective && f->limited)
		e->max = check_max(f);
}

int
agenda_form_check(struct arena *a, const struct event_form *f, int64_t now, const char *tz,
		  struct event_form_errors *e)
{
	memset(e, 0, sizeof(*e));
	check_kind(f, e);
	if (agenda_modality_parse(f->modality) < MODALITY_NONE)
		e->modality = "Le champ “Modalité” est invalide. Sélectionnez une modalité.";
	e->date = check_date(a, f->date, now, tz);
	e->start = check_start(f->start);
	e->duration = check_duration(f->duration);
	if (too_long(f->address))
		e->address = "L’adresse ne doit pas dépasser 250 caractères.";
	if (too_long(f->organism))
		e->organism = "L’organisme ne doit pas dépasser 250 caractères.";
	const char *all[] = {e->type, e->precision, e->title, e->description, e->beneficiaries,
			     e->modality, e->date, e->start, e->duration, e->address, e->organism,
			     e->max};
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		e->count += all[i] != NULL;
	return e->count;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

void
agenda_form_apply(const struct event_form *f, const char *tz, struct event *e)
{
	e->type = agenda_type_parse_form(f->type);
	e->precision = e->type == EVENT_AUTRE ? f->precision : NULL;
	e->title = empty(f->title) ? NULL : f->title;
	e->description = or_empty(f->description);
	e->modality = agenda_modality_parse(f->modality);
	int start = agenda_parse_hhmm(f->start);
	e->starts_at = clock_day_at(agenda_form_day(f->date), start / 60, start % 60, tz);
	e->duration_min = agenda_parse_hhmm(f->duration);
	e->address = or_empty(f->address);
	e->organism = or_empty(f->organism);
	e->presence = agenda_presence(e->type, f->presence);
	e->max_participants = agenda_form_max(f);
}

void
agenda_form_of(struct arena *a, const struct event *e, const char *tz, struct event_form *f)
{
	char *start = arena_alloc(a, 6), *duration = arena_alloc(a, 6);
	int64_t day = clock_day_of(e->starts_at, tz);
	/* The wall clock, not the time since midnight: a DST change day has 23 or 25 hours. */
	const char *wall = clock_fr_time(a, e->starts_at, tz);   /* "10h05" */
	g_strlcpy(start, wall, 6);
	start[2] = ':';
	agenda_hhmm(e->duration_min, duration);
	*f = (struct event_form){
		.type = agenda_types[e->type].code, .precision = e->precision, .title = e->title,
		.description = e->description,
		.modality = e->modality == MODALITY_NONE ? "" : agenda_modalities[e->modality].code,
		.date = clock_day_iso(a, day), .start = start, .duration = duration,
		.address = e->address, .organism = e->organism, .presence = e->presence,
		.limited = e->max_participants > 0,
		.max = e->max_participants > 0 ? arena_printf(a, "%d", e->max_participants) : NULL,
	};
}
