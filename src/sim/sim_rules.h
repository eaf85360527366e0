/* sim_rules.h — the pure rules of the simulator's sessions (spec/imilo.md §2, §3.3, §3.4):
 * naive local datetimes, the registration deadline, instance statuses and paging. No I/O,
 * no SQLite: unit-tested alone (tests/unit/test_sim.c). */
#ifndef CEJ_SIM_RULES_H
#define CEJ_SIM_RULES_H

#include <stdbool.h>
#include <stdint.h>

/* Naive local datetimes: clock_local_valid(), clock_local_to_ms() (base/clock.h). */

/* The first instant at which registrations are closed: the end of day @date_max
 * ("yyyy-MM-dd", NULL: none) in @tz, or the start @debut if that comes first or when
 * there is no date_max (§3.4 INSCRIPTIONS_CLOSES, agenda.md §5.3). false when invalid. */
bool sim_registration_closes_ms(const char *tz, const char *date_max, const char *debut,
				int64_t *out);

/* Whether @statut is one of ONGOING, REFUSAL, REFUSAL_YOUNG, ACHIEVED. */
bool sim_statut_valid(const char *statut);
/* Whether an instance in @statut holds a place (ONGOING or ACHIEVED, §3.3). */
bool sim_statut_holds_place(const char *statut);
/* The French label E4 uses: Prescrit, Réalisé, Refus tiers, Refus jeune (static); NULL
 * for an unknown status. */
const char *sim_statut_label(const char *statut);

/* Places left: @capacity (negative: unlimited, then -1) minus @taken, never below 0. */
int64_t sim_places_left(int64_t capacity, int64_t taken);

/* The offset of page @page (from 1) of @size items; false when either is below 1. */
bool sim_page_offset(int page, int size, int64_t *offset);

/* ---- the desk page (sim_desk_page.c) ---- */

/* Who may use the desk page, given the admin @token and what the request carries: its
 * X-Admin-Token @header, its desk @cookie and, for a POST, the hidden @field of the form.
 * A GET needs the header or the cookie; a POST needs the cookie, and the field equal to it
 * (double submit: a cross-site form can send the cookie, never know its value). 0, 401
 * (no valid token) or 403 (a POST whose field does not match). Compared in constant time. */
int sim_desk_page_access(const char *token, const char *header, const char *cookie,
			 const char *field, bool post);
/* A browser's datetime-local value "YYYY-MM-DDTHH:MM[:SS]" (or the naive form itself) as the
 * desk's naive local "YYYY-MM-DD HH:MM:SS" in @out; false when @in is neither. */
bool sim_desk_local_time(const char *in, char out[20]);
/* The period shown from day @du (YYYY-MM-DD) over @days days: @to = @du + @days, and the
 * first days of the previous and next periods (@du - @days - 1, @to + 1). false when @du is
 * not a valid date. */
bool sim_desk_period(const char *du, int days, char to[11], char prev[11], char next[11]);

#endif
