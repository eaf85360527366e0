/* test_sim.c — the pure rules of the i-milo simulator's sessions (sim/sim_rules.h): naive
 * local times in a structure's zone (DST gap and overlap), the registration deadline,
 * instance statuses and their French labels, places and paging. */
#include <criterion/criterion.h>
#include <glib.h>

#include "sim/sim_rules.h"

#include "base/clock.h"

/* Unix ms of an ISO UTC instant, for readable expectations. */
static int64_t
utc(const char *iso)
{
	GDateTime *d = g_date_time_new_from_iso8601(iso, NULL);
	int64_t ms = g_date_time_to_unix(d) * 1000;

	g_date_time_unref(d);
	return ms;
}

Test(sim_local, converts_in_the_structure_zone)
{
	int64_t ms;

	cr_assert(clock_local_to_ms("Europe/Paris", "2026-01-15 10:00:00", &ms));
	cr_assert_eq(ms, utc("2026-01-15T09:00:00Z"));
	cr_assert(clock_local_to_ms("Indian/Reunion", "2026-01-15 10:00:00", &ms));
	cr_assert_eq(ms, utc("2026-01-15T06:00:00Z"));
}

Test(sim_local, spring_gap_moves_forward_autumn_overlap_takes_the_first)
{
	int64_t ms;

	/* 02:30 does not exist on 29 March 2026 in Paris: 03:30 CEST. */
	cr_assert(clock_local_to_ms("Europe/Paris", "2026-03-29 02:30:00", &ms));
	cr_assert_eq(ms, utc("2026-03-29T01:30:00Z"));
	/* 02:30 happens twice on 25 October 2026: the first, still CEST. */
	cr_assert(clock_local_to_ms("Europe/Paris", "2026-10-25 02:30:00", &ms));
	cr_assert_eq(ms, utc("2026-10-25T00:30:00Z"));
}

Test(sim_local, refuses_malformed_times)
{
	int64_t ms;

	cr_assert_not(clock_local_valid("2026-02-30 10:00:00"));
	cr_assert_not(clock_local_valid("2026-01-15T10:00:00"));
	cr_assert_not(clock_local_valid("2026-01-15 24:00:00"));
	cr_assert_not(clock_local_valid("2026-01-15 10:00"));
	cr_assert_not(clock_local_valid(NULL));
	cr_assert_not(clock_local_to_ms("Europe/Paris", "demain", &ms));
}

Test(sim_deadline, closes_at_the_end_of_the_date_max_day_in_the_structure_zone)
{
	int64_t closes;

	cr_assert(sim_registration_closes_ms("Europe/Paris", "2026-03-10", "2026-03-20 10:00:00",
					     &closes));
	cr_assert_eq(closes, utc("2026-03-10T23:00:00Z"));  /* midnight Paris */
	cr_assert_gt(closes, utc("2026-03-10T22:59:59Z"));  /* 23:59:59 Paris: still open */
	cr_assert(sim_registration_closes_ms("Indian/Reunion", "2026-06-10", "2026-06-20 10:00:00",
					     &closes));
	cr_assert_eq(closes, utc("2026-06-10T20:00:00Z"));
}

Test(sim_deadline, the_start_closes_first_or_alone)
{
	int64_t closes;

	/* Same-day session: the start comes before the end of the day. */
	cr_assert(sim_registration_closes_ms("Europe/Paris", "2026-03-10", "2026-03-10 09:00:00",
					     &closes));
	cr_assert_eq(closes, utc("2026-03-10T08:00:00Z"));
	cr_assert(sim_registration_closes_ms("Europe/Paris", NULL, "2026-03-20 10:00:00", &closes));
	cr_assert_eq(closes, utc("2026-03-20T09:00:00Z"));
	cr_assert_not(sim_registration_closes_ms("Europe/Paris", "2026-02-30", "2026-03-20 10:00:00",
						 &closes));
}

Test(sim_statut, labels_and_places)
{
	cr_assert_str_eq(sim_statut_label("ONGOING"), "Prescrit");
	cr_assert_str_eq(sim_statut_label("ACHIEVED"), "Réalisé");
	cr_assert_str_eq(sim_statut_label("REFUSAL"), "Refus tiers");
	cr_assert_str_eq(sim_statut_label("REFUSAL_YOUNG"), "Refus jeune");
	cr_assert_null(sim_statut_label("INSCRIT"));
	cr_assert_not(sim_statut_valid(NULL));
	cr_assert(sim_statut_holds_place("ONGOING"));
	cr_assert(sim_statut_holds_place("ACHIEVED"));
	cr_assert_not(sim_statut_holds_place("REFUSAL"));
	cr_assert_not(sim_statut_holds_place("REFUSAL_YOUNG"));
	cr_assert_eq(sim_places_left(10, 3), 7);
	cr_assert_eq(sim_places_left(2, 5), 0);   /* a desk over-registration never goes below 0 */
	cr_assert_eq(sim_places_left(-1, 3), -1); /* unlimited */
}

Test(sim_paging, offsets_from_page_one)
{
	int64_t off = -1;

	cr_assert(sim_page_offset(1, 150, &off));
	cr_assert_eq(off, 0);
	cr_assert(sim_page_offset(2, 150, &off));
	cr_assert_eq(off, 150);
	cr_assert_not(sim_page_offset(0, 150, &off));
	cr_assert_not(sim_page_offset(1, 0, &off));
}
