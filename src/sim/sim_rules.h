/* sim_rules.h — the pure rules of the simulator's sessions (spec/imilo.md §2, §3.3, §3.4):
 * naive local datetimes, the registration deadline, instance statuses and paging. No I/O,
 * no SQLite: unit-tested alone (tests/unit/test_sim.c). */
#ifndef CEJ_SIM_RULES_H
#define CEJ_SIM_RULES_H

#include <stdbool.h>
#include <stdint.h>

/* True when @s is a naive datetime "yyyy-MM-dd HH:mm:ss" naming a real calendar time. */
bool sim_valid_local(const char *s);

/* The instant (Unix ms) of naive local time @local ("yyyy-MM-dd HH:mm:ss") in IANA zone
 * @tz. A time in a spring gap moves forward by the gap; an ambiguous autumn time takes
 * the first occurrence (§2). false when @local or @tz is invalid. */
bool sim_local_to_ms(const char *tz, const char *local, int64_t *out);

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
