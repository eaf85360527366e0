/* agenda_page.h — the rules of the /agenda page (agenda.md §3): its 7-day period, the
 * grouping of its rows by day and half-day in the structure's zone, and the rows
 * themselves, whatever their source.
 *
 * A row is a struct agenda_item. Today every item comes from cej's own events (RDV and
 * AC); i-milo rendez-vous and sessions (§2.3, §5, next issue) will be further sources
 * that fill the same struct — their own type label, status and link — and merge into the
 * same sorted list (agenda_items_sort). No I/O here: the functions are pure and
 * unit-tested (tests/unit/test_agenda_page.c). Strings returned are arena-owned or
 * static. */
#ifndef CEJ_AGENDA_PAGE_H
#define CEJ_AGENDA_PAGE_H

#include "agenda/agenda.h"
#include "core/feature.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;

#define AGENDA_PERIOD_DAYS 7
/* How far from today a period may start (days). Events exist from today − 1 year to
 * today + 2 years (the form's window); beyond 5 years a "debut" is a typing error. */
#define AGENDA_PERIOD_REACH_DAYS (5 * 366)

/* A period of the page: AGENDA_PERIOD_DAYS civil days from @first_day, in one zone.
 * [from, to) are the instants of midnight of the first day and of the day after the
 * last: 7 days are 167, 168 or 169 hours across a DST change. */
struct agenda_period {
	int64_t first_day, last_day;   /* civil days (base/clock.h) */
	int64_t today;
	int64_t from, to;              /* Unix ms: events with from <= starts_at < to */
	bool current;                  /* starts today */
};

/* The period starting on @debut ("yyyy-mm-dd", from the URL; may be NULL) seen at @now in
 * zone @tz. The current period (starting today) when @debut is NULL, malformed, not a
 * real date or further than AGENDA_PERIOD_REACH_DAYS from today: an old bookmark or a
 * hand-edited link then shows the agenda rather than an error page, and the period
 * printed on the page says which one it is. Returns true when @debut was used. */
bool agenda_period_of(int64_t now, const char *tz, const char *debut, struct agenda_period *p);

/* "Aujourd’hui", "Demain", else "Mercredi 11 octobre" for civil @day seen on @today. */
const char *agenda_day_label(struct arena *a, int64_t day, int64_t today);

/* Where a row goes: its civil day and half-day ("Matin" before 12:00, "Après-midi"
 * from 12:00) in zone @tz. */
struct agenda_slot {
	int64_t day;
	bool afternoon;
};
struct agenda_slot agenda_slot_of(int64_t t, const char *tz);
/* The slots of period @p in zone @tz, computed once: its days' midnights and noons, so
 * that placing a row costs two comparisons rather than two zone computations (a hundred
 * rows on the Mission Locale tab). */
struct agenda_slots {
	const char *tz;
	int64_t first_day;
	int64_t midnight[AGENDA_PERIOD_DAYS + 1], noon[AGENDA_PERIOD_DAYS];
};
void agenda_slots_of(const struct agenda_period *p, const char *tz, struct agenda_slots *out);
/* agenda_slot_of(@t, s->tz), read from @s when @t is in the period. */
struct agenda_slot agenda_slots_find(const struct agenda_slots *s, int64_t t);
/* "Matin" or "Après-midi". Static. */
const char *agenda_half_label(bool afternoon);

/* Where a row comes from. */
enum agenda_source {
	AGENDA_SOURCE_CEJ,   /* an event of cej: RDV, AC, i-milo rendez-vous (migration 0024) */
	AGENDA_SOURCE_FEATURE, /* another feature's row (core/feature.h agenda_rows): sessions */
};

/* One row of either tab. */
struct agenda_item {
	enum agenda_source source;
	const char *id;
	bool collective;                 /* an AC (or, later, a session) */
	enum event_type type;            /* AGENDA_SOURCE_CEJ */
	const char *title;               /* the shown title (agenda_display_title) */
	const char *type_label;          /* "Atelier", "Entretien individuel conseiller" */
	const char *modality;            /* label, or NULL */
	int64_t starts_at;
	int duration_min;
	bool mine;                       /* "Créé par vous" */
	int participants;                /* live beneficiaries taking part */
	/* The participant when there is exactly one (Mon agenda's "NOM Prénom"). */
	const char *first_name, *last_name;
	int max_participants;            /* 0: no maximum */
	int64_t closed_at;               /* 0: open */
	bool visible;                    /* shown to the structure's beneficiaries */
	/* AGENDA_SOURCE_FEATURE: what the feature computed (struct agenda_row). */
	const char *href, *beneficiary, *visibility_action;
	enum ac_status status;
	bool full;
};

/* Another feature's row as an item of the page. */
void agenda_item_of_row(const struct agenda_row *row, struct agenda_item *out);

/* Sorts @n items by start, then by source and id: the order of the page, and how lists
 * from several sources merge. */
void agenda_items_sort(struct agenda_item *items, int n);

/* The detail page of @it: "/agenda/rendez-vous/{id}" or "/agenda/animations-collectives/{id}". */
const char *agenda_item_href(struct arena *a, const struct agenda_item *it);
/* Mon agenda's "Bénéficiaire": "NOM Prénom" for one participant, "Bénéficiaires
 * multiples" for more, NULL for none. */
const char *agenda_item_beneficiary(struct arena *a, const struct agenda_item *it);
/* The status of an AC (§4) at @now. */
enum ac_status agenda_item_status(const struct agenda_item *it, int64_t now);

/* "Inscrits": "1 inscrit", "3 inscrits / 10". */
const char *agenda_registrants_fr(struct arena *a, int registrants, int max);
/* True when a maximum is set and reached: the red "Complet". */
bool agenda_full(int registrants, int max);

/* The "Statuts" filter: a set of enum ac_status bits; 0 is no filter (all). */
#define AGENDA_STATUS_BIT(s) (1u << (s))
/* The URL value of a status ("a-venir", "a-clore", "close") and back (-1: unknown). */
const char *agenda_status_code(enum ac_status s);
int agenda_status_parse(const char *code);

/* Does @it pass the search @tokens (@n of them, folded by text_search_tokens) and the
 * status filter @statuses at @now? A token matches when it is contained in the folded
 * title or type label (accent- and case-insensitive, base/text.h); every token must. */
bool agenda_item_matches(struct arena *a, const struct agenda_item *it, const char *const *tokens,
			 int n, unsigned statuses, int64_t now);

#endif
