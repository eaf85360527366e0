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

#endif
