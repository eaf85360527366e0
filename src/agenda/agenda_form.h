/* agenda_form.h — the counselor's event form (agenda.md §2 fields and messages): what was
 * typed, and its checks. Pure: the page parses the request into a struct event_form,
 * the use case re-checks what needs the database (the portfolio). */
#ifndef CEJ_AGENDA_FORM_H
#define CEJ_AGENDA_FORM_H

#include "agenda/agenda.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;

struct event_form {
	const char *type;           /* code; "" when none chosen */
	const char *precision, *title, *description;   /* trimmed; may be NULL */
	const char *modality;       /* code or "" */
	const char *date;           /* "aaaa-mm-jj" (the date input) or "jj/mm/aaaa" */
	const char *start;          /* "hh:mm" */
	const char *duration;       /* "hh:mm" */
	const char *address, *organism;
	bool presence;              /* as posted; agenda_presence() decides */
	int n_beneficiaries;        /* chosen (RDV: the caller's portfolio; AC: registrants) */
	bool limited;               /* AC: "Définissez un nombre maximum de participants" */
	const char *max;            /* AC: "Nombre maximum de participants", read when limited */
};

/* One message per field, NULL when the field is fine; count = how many are set. */
struct event_form_errors {
	const char *type, *precision, *title, *description, *beneficiaries, *modality;
	const char *date, *start, *duration, *address, *organism;
	const char *max;
	int count;
};

/* The message of an AC holding more registrants than its maximum (§2, scenario 5). */
#define AGENDA_MAX_EXCEEDED "Le nombre maximum de participants est dépassé."

/* The maximum of a checked @f: 0 for a RDV or an AC without one. */
int agenda_form_max(const struct event_form *f);

/* Checks @f at @now in zone @tz (the counselor's structure). Messages are the spec's,
 * arena-owned when they carry dates. Returns the number of errors. */
int agenda_form_check(struct arena *a, const struct event_form *f, int64_t now,
		      const char *tz, struct event_form_errors *e);

/* The civil day of the form's date (either format), or CLOCK_NO_DAY. */
int64_t agenda_form_day(const char *date);

/* Fills @e's type, texts, modality, times and presence from a checked @f (zone @tz).
 * Strings are @f's. */
void agenda_form_apply(const struct event_form *f, const char *tz, struct event *e);

/* The form of a stored event @e, as its edit page shows it (zone @tz). Arena-owned. */
void agenda_form_of(struct arena *a, const struct event *e, const char *tz,
		    struct event_form *f);

#endif
