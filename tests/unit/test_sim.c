/* test_sim.c — the pure rules of the i-milo simulator's sessions (sim/sim_rules.h): naive
 * local times in a structure's zone (DST gap and overlap), the registration deadline,
 * instance statuses and their French labels, places and paging; the desk page's access
 * (token cookie, double submit), its period and its datetime-local values, and the HTML
 * escape it writes with. */
#include <criterion/criterion.h>
#include <glib.h>

#include "sim/sim_rules.h"

#include "base/clock.h"
#include "base/text.h"

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

Test(sim_desk_page, a_get_needs_the_cookie_or_the_header)
{
	cr_assert_eq(sim_desk_page_access("tok", NULL, "tok", NULL, false), 0);
	cr_assert_eq(sim_desk_page_access("tok", "tok", NULL, NULL, false), 0);
	cr_assert_eq(sim_desk_page_access("tok", NULL, NULL, NULL, false), 401);
	cr_assert_eq(sim_desk_page_access("tok", "to", "tokk", NULL, false), 401);
	cr_assert_eq(sim_desk_page_access("tok", "", "", NULL, false), 401);
}

Test(sim_desk_page, a_post_needs_the_cookie_and_the_same_hidden_token)
{
	cr_assert_eq(sim_desk_page_access("tok", NULL, "tok", "tok", true), 0);
	/* The header alone does not make a form: a POST is the browser's, with its cookie. */
	cr_assert_eq(sim_desk_page_access("tok", "tok", NULL, "tok", true), 401);
	cr_assert_eq(sim_desk_page_access("tok", NULL, "bad", "bad", true), 401);
	cr_assert_eq(sim_desk_page_access("tok", NULL, "tok", "tak", true), 403);
	cr_assert_eq(sim_desk_page_access("tok", NULL, "tok", NULL, true), 403);
	cr_assert_eq(sim_desk_page_access("tok", NULL, "tok", "", true), 403);
}

Test(sim_desk_page, datetime_local_values_become_naive_local_times)
{
	char out[20];

	cr_assert(sim_desk_local_time("2026-12-20T09:30", out));
	cr_assert_str_eq(out, "2026-12-20 09:30:00");
	cr_assert(sim_desk_local_time("2026-12-20T09:30:15", out));
	cr_assert_str_eq(out, "2026-12-20 09:30:15");
	cr_assert(sim_desk_local_time("2026-12-20 09:30:00", out));
	cr_assert_str_eq(out, "2026-12-20 09:30:00");
	cr_assert_not(sim_desk_local_time("2026-02-30T09:30", out));
	cr_assert_not(sim_desk_local_time("demain 9h", out));
	cr_assert_not(sim_desk_local_time("", out));
	cr_assert_not(sim_desk_local_time(NULL, out));
}

Test(sim_desk_page, periods_of_thirty_days_follow_each_other)
{
	char to[11], prev[11], next[11];

	cr_assert(sim_desk_period("2026-12-07", 30, to, prev, next));
	cr_assert_str_eq(to, "2027-01-06");
	cr_assert_str_eq(next, "2027-01-07");
	cr_assert_str_eq(prev, "2026-11-06");
	/* The previous period ends the day before: 2026-11-06 + 30 days. */
	cr_assert(sim_desk_period(prev, 30, to, prev, next));
	cr_assert_str_eq(to, "2026-12-06");
	cr_assert_not(sim_desk_period("2026-02-30", 30, to, prev, next));
	cr_assert_not(sim_desk_period("07/12/2026", 30, to, prev, next));
	cr_assert_not(sim_desk_period(NULL, 30, to, prev, next));
}

Test(sim_desk_page, html_escape_covers_text_and_attributes)
{
	GString *o = g_string_new(NULL);

	text_append_html(o, "<a href=\"x\">l'été & co</a>");
	text_append_html(o, NULL);
	cr_assert_str_eq(o->str, "&lt;a href=&quot;x&quot;&gt;l&#39;été &amp; co&lt;/a&gt;");
	g_string_free(o, TRUE);
}
