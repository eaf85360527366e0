/* test_actions.c — actions (spec/actions.md §1–§5) and their notifications
 * (spec/notifications.md §3.3, §4): the civil-day helpers of base/clock.h, the pure rules of
 * actions.h, then the store, the use cases and the jobs (J-3 reminder, 06:00 automatic
 * non-SNP, purge of the centre) on a migrated temporary database with a controlled "now".
 * No i-milo client is ever created: the paths tested must not need one. */
#include "actions/actions.h"
#include "actions/actions_app_form.h"
#include "actions/actions_form.h"
#include "actions/actions_store.h"
#include "actions/actions_use.h"
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/db.h"
#include "http/hub.h"
#include "jobs/jobs.h"
#include "messaging/crypto.h"
#include "notifications/notifications.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#define MS 1LL
#define SECOND (1000 * MS)
#define MINUTE (60 * SECOND)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

#define PARIS FIXTURE_PARIS
#define REUNION FIXTURE_REUNION

/* The test clock (fixture.h). */
#define at(iso) fixture_at(iso)
#define day(iso) fixture_day(iso)

/* ======================================================================================
 * Civil days (base/clock.h)
 * ==================================================================================== */

Test(clock_day, parse_iso_and_fr_round_trip)
{
	struct arena *ar = arena_new();
	const char *dates[] = {"1970-01-01", "1969-12-31", "2000-02-29", "2024-02-29",
			       "2025-03-12", "2025-12-31", "2099-01-01"};
	for (size_t i = 0; i < sizeof(dates) / sizeof(*dates); i++) {
		int64_t d = day(dates[i]);
		cr_assert_str_eq(clock_day_iso(ar, d), dates[i]);
		char *fr = clock_day_fr(ar, d);
		cr_assert_str_eq(fr, clock_fr_date(ar, dates[i]));
	}
	cr_assert_eq(day("1970-01-01"), 0);
	cr_assert_eq(day("1969-12-31"), -1);
	cr_assert_eq(day("2024-03-04"), 19786);
	cr_assert_str_eq(clock_day_fr(ar, day("2025-03-05")), "05/03/2025");
	cr_assert_eq(day("2025-03-01") - day("2025-02-28"), 1);
	cr_assert_eq(day("2024-03-01") - day("2024-02-28"), 2);
	arena_free(ar);
}

Test(clock_day, invalid_dates_are_no_day)
{
	const char *bad[] = {"2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31",
			     "2025-1-1", "2025-01-1", "25-01-01", "", "2025-01-01T09:30",
			     "2025-01-01 ", "2025/01/01", "2025-01-0x", "abcd-ef-gh",
			     /* sscanf's %d would take these: they are not yyyy-mm-dd either */
			     "2025-01- 1", "2025- 1-01", " 025-01-01", "+025-01-01", "2025-+1-01",
			     "2025-01-+1", "0000-01-01"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_assert_eq(clock_day_parse(bad[i]), CLOCK_NO_DAY, "%s", bad[i]);
	cr_assert_eq(clock_day_parse(NULL), CLOCK_NO_DAY);
	cr_assert_neq(clock_day_parse("2024-02-29"), CLOCK_NO_DAY);
}

Test(clock_day, weekday_and_monday)
{
	cr_assert_eq(clock_day_weekday(day("2024-03-04")), 0);   /* a Monday */
	cr_assert_eq(clock_day_weekday(day("2024-03-10")), 6);   /* Sunday */
	cr_assert_eq(clock_day_weekday(day("1970-01-01")), 3);   /* Thursday */
	cr_assert_eq(clock_day_weekday(day("1969-12-31")), 2);   /* before the epoch */
	cr_assert_eq(clock_day_weekday(day("1969-12-29")), 0);
	cr_assert_eq(clock_day_weekday(day("2025-09-16")), 1);
	cr_assert_str_eq(clock_day_weekday_fr(day("2024-03-04")), "lundi");
	cr_assert_str_eq(clock_day_weekday_fr(day("2025-09-16")), "mardi");
	cr_assert_str_eq(clock_day_weekday_fr(day("2024-03-10")), "dimanche");
	cr_assert_eq(clock_day_monday(day("2024-03-04")), day("2024-03-04"));
	cr_assert_eq(clock_day_monday(day("2024-03-10")), day("2024-03-04"));
	cr_assert_eq(clock_day_monday(day("2024-03-11")), day("2024-03-11"));
	cr_assert_eq(clock_day_monday(day("2025-01-01")), day("2024-12-30"));  /* across years */
	cr_assert_eq(clock_day_monday(day("1970-01-01")), day("1969-12-29"));
	/* "Semaine prochaine (lundi {n})" from Monday 15: the Monday of next week. */
	cr_assert_eq(clock_day_monday(day("2025-09-15")) + 7, day("2025-09-22"));
}

Test(clock_day, add_months_clamps_to_the_last_day)
{
	cr_assert_eq(clock_day_add_months(day("2024-01-31"), 1), day("2024-02-29"));
	cr_assert_eq(clock_day_add_months(day("2025-01-31"), 1), day("2025-02-28"));
	cr_assert_eq(clock_day_add_months(day("2025-03-31"), -1), day("2025-02-28"));
	cr_assert_eq(clock_day_add_months(day("2025-05-31"), -1), day("2025-04-30"));
	cr_assert_eq(clock_day_add_months(day("2024-02-29"), -12), day("2023-02-28"));
	cr_assert_eq(clock_day_add_months(day("2024-02-29"), 12), day("2025-02-28"));
	cr_assert_eq(clock_day_add_months(day("2024-02-29"), 48), day("2028-02-29"));
	cr_assert_eq(clock_day_add_months(day("2025-09-15"), -12), day("2024-09-15"));
	cr_assert_eq(clock_day_add_months(day("2025-09-15"), 24), day("2027-09-15"));
	cr_assert_eq(clock_day_add_months(day("2025-12-15"), 1), day("2026-01-15"));
	cr_assert_eq(clock_day_add_months(day("2025-01-15"), -1), day("2024-12-15"));
	cr_assert_eq(clock_day_add_months(day("2025-07-15"), -4), day("2025-03-15"));
	cr_assert_eq(clock_day_add_months(day("2025-01-10"), -13), day("2023-12-10"));
	cr_assert_eq(clock_day_add_months(day("2025-06-10"), 0), day("2025-06-10"));
}

Test(clock_day, at_across_dst_and_overseas)
{
	/* Paris: CET (+01) until Sunday 30 March 2025 02:00, CEST (+02) until Sunday 26 October
	 * 03:00. The same wall-clock time moves by an hour in UTC; the day of it never moves. */
	cr_assert_eq(clock_day_at(day("2025-03-29"), 9, 30, PARIS), at("2025-03-29T08:30:00Z"));
	cr_assert_eq(clock_day_at(day("2025-03-30"), 9, 30, PARIS), at("2025-03-30T07:30:00Z"));
	cr_assert_eq(clock_day_at(day("2025-10-26"), 9, 30, PARIS), at("2025-10-26T08:30:00Z"));
	cr_assert_eq(clock_day_at(day("2025-10-25"), 9, 30, PARIS), at("2025-10-25T07:30:00Z"));
	cr_assert_eq(clock_day_at(day("2025-03-30"), 0, 0, PARIS), at("2025-03-29T23:00:00Z"));
	cr_assert_eq(clock_day_at(day("2025-03-31"), 0, 0, PARIS) -
		     clock_day_at(day("2025-03-30"), 0, 0, PARIS), 23 * HOUR);
	cr_assert_eq(clock_day_at(day("2025-10-27"), 0, 0, PARIS) -
		     clock_day_at(day("2025-10-26"), 0, 0, PARIS), 25 * HOUR);
	/* In the spring gap (02:00–03:00 does not exist), GLib moves forward, to 03:00 CEST,
	 * on the same day. */
	int64_t gap = clock_day_at(day("2025-03-30"), 2, 30, PARIS);
	cr_assert_geq(gap, at("2025-03-30T01:00:00Z"));
	cr_assert_leq(gap, at("2025-03-30T01:30:00Z"));
	cr_assert_eq(clock_day_of(gap, PARIS), day("2025-03-30"));
	/* NULL is Paris. */
	cr_assert_eq(clock_day_at(day("2025-07-01"), 9, 30, NULL), at("2025-07-01T07:30:00Z"));
	/* La Réunion: +04 all year, no DST. */
	cr_assert_eq(clock_day_at(day("2025-03-30"), 9, 30, REUNION), at("2025-03-30T05:30:00Z"));
	cr_assert_eq(clock_day_at(day("2025-10-26"), 9, 30, REUNION), at("2025-10-26T05:30:00Z"));
	for (int64_t d = day("2025-03-28"); d <= day("2025-04-01"); d++)
		cr_assert_eq(clock_day_of(clock_day_at(d, 9, 30, PARIS), PARIS), d);
	for (int64_t d = day("2025-10-24"); d <= day("2025-10-28"); d++)
		cr_assert_eq(clock_day_of(clock_day_at(d, 0, 0, PARIS), PARIS), d);
}

Test(clock_day, of_an_instant_late_in_the_evening)
{
	struct arena *ar = arena_new();
	/* imilo.md §8 scenario 4: stored 2025-03-11T23:30Z is 12/03/2025 in Paris. */
	int64_t t = at("2025-03-11T23:30:00Z");
	cr_assert_eq(clock_day_of(t, PARIS), day("2025-03-12"));
	cr_assert_eq(clock_day_of(t, NULL), day("2025-03-12"));
	cr_assert_str_eq(clock_day_iso(ar, clock_day_of(t, PARIS)), "2025-03-12");
	cr_assert_str_eq(clock_iso_day(ar, t, PARIS), "2025-03-12");
	cr_assert_eq(clock_day_of(t, "UTC"), day("2025-03-11"));
	cr_assert_eq(clock_day_of(t, REUNION), day("2025-03-12"));
	/* The edges of a Paris day, winter and summer. */
	cr_assert_eq(clock_day_of(at("2025-03-11T22:59:59Z"), PARIS), day("2025-03-11"));
	cr_assert_eq(clock_day_of(at("2025-03-11T23:00:00Z"), PARIS), day("2025-03-12"));
	cr_assert_eq(clock_day_of(at("2025-07-01T21:59:59Z"), PARIS), day("2025-07-01"));
	cr_assert_eq(clock_day_of(at("2025-07-01T22:00:00Z"), PARIS), day("2025-07-02"));
	cr_assert_eq(clock_day_of(at("2025-07-01T19:59:59Z"), REUNION), day("2025-07-01"));
	cr_assert_eq(clock_day_of(at("2025-07-01T20:00:00Z"), REUNION), day("2025-07-02"));
	/* Before the epoch, days round down. */
	cr_assert_eq(clock_day_of(-1, "UTC"), -1);
	cr_assert_eq(clock_day_of(at("1969-12-31T23:30:00Z"), PARIS), 0);
	arena_free(ar);
}

Test(clock_day, long_french_names)
{
	struct arena *ar = arena_new();
	/* actions.md §8 scenario 1: "Demain (mardi 16)" from Monday 15. */
	cr_assert_str_eq(clock_day_long_fr(ar, day("2025-09-16")), "mardi 16 septembre 2025");
	cr_assert_str_eq(clock_day_long_fr(ar, day("2024-03-05")), "mardi 5 mars 2024");
	cr_assert_str_eq(clock_day_long_fr(ar, day("2024-03-04")), "lundi 4 mars 2024");
	cr_assert_str_eq(clock_day_long_fr(ar, day("2025-02-01")), "samedi 1 février 2025");
	cr_assert_str_eq(clock_day_long_fr(ar, day("2025-08-15")), "vendredi 15 août 2025");
	cr_assert_str_eq(clock_day_long_fr(ar, day("2025-12-31")), "mercredi 31 décembre 2025");
	cr_assert_str_eq(clock_day_month_fr(ar, day("2024-03-05")), "5 mars");
	cr_assert_str_eq(clock_day_month_fr(ar, day("2025-02-28")), "28 février");
	/* The fiche's Agenda tab heads its days so (guide p. 22: "Lundi 9 octobre"). */
	cr_assert_str_eq(clock_day_title_fr(ar, day("2023-10-09")), "Lundi 9 octobre");
	cr_assert_str_eq(clock_day_title_fr(ar, day("2025-12-31")), "Mercredi 31 décembre");
	cr_assert_eq(clock_day_of_month(day("2025-09-16")), 16);
	cr_assert_eq(clock_day_of_month(day("2024-02-29")), 29);
	arena_free(ar);
}

/* ======================================================================================
 * Pure rules (actions.h)
 * ==================================================================================== */

/* A counselor-created CEJ action of a Paris beneficiary, due on @due_day at 09:30. */
static struct action
rule_action(enum action_status s, const char *due_day)
{
	struct action x = {
		.id = "A1", .beneficiary_id = "B1", .by_counselor = true, .creator_id = "C1",
		.title = "Mettre à jour son CV", .description = "", .category = "EMPLOI",
		.status = s, .reminder = true, .cej = true, .timezone = PARIS,
	};
	x.due_at = action_due_at(day(due_day), PARIS);
	x.completed_at = s == ACTION_DONE ? x.due_at : 0;
	return x;
}

Test(rules, catalogue_statuses_categories_titles)
{
	cr_assert_str_eq(action_status_wire(ACTION_NOT_STARTED), "not_started");
	cr_assert_str_eq(action_status_wire(ACTION_CANCELED), "canceled");
	for (int s = 0; s < 4; s++)
		cr_assert_eq(action_status_parse(action_status_wire((enum action_status)s)), s);
	cr_assert_eq(action_status_parse("cancelled"), -1);
	cr_assert_eq(action_status_parse(NULL), -1);
	cr_assert_eq(action_category("FORMATION")->snp_hours, 3);
	cr_assert_str_eq(action_category("CULTURE_SPORT_LOISIRS")->app_label, "Sport et loisirs");
	cr_assert_null(action_category("NON_SNP"));
	cr_assert_null(action_category(NULL));
	cr_assert_eq(action_snp_hours("EMPLOI"), 3);
	cr_assert_eq(action_snp_hours("FORMATION"), 3);
	cr_assert_eq(action_snp_hours("SANTE"), 2);
	cr_assert_eq(action_snp_hours("PROJET_PROFESSIONNEL"), 2);
	cr_assert_eq(action_snp_hours("NON_SNP"), 0);
	cr_assert_eq(action_snp_hours("AUTRE"), -1);
	cr_assert_eq(action_snp_hours(NULL), -1);
	cr_assert_str_eq(action_titles[0], "Identifier ses atouts et ses compétences");
	cr_assert_str_eq(action_titles[9], "Mettre à jour son CV");
	cr_assert_str_eq(action_titles[19], "S’informer pour une mobilité à l’étranger");
	cr_assert(action_title_predefined("Mettre à jour son CV"));
	cr_assert_not(action_title_predefined("Appeler l’entreprise X"));
	cr_assert_not(action_title_predefined(NULL));
}

Test(rules, due_at_is_0930_local)
{
	cr_assert_eq(action_due_at(day("2025-01-15"), PARIS), at("2025-01-15T08:30:00Z"));
	cr_assert_eq(action_due_at(day("2025-07-15"), PARIS), at("2025-07-15T07:30:00Z"));
	cr_assert_eq(action_due_at(day("2025-03-30"), PARIS), at("2025-03-30T07:30:00Z"));
	cr_assert_eq(action_due_at(day("2025-10-26"), PARIS), at("2025-10-26T08:30:00Z"));
	cr_assert_eq(action_due_at(day("2025-07-15"), REUNION), at("2025-07-15T05:30:00Z"));
	cr_assert_eq(action_due_at(day("2025-01-15"), REUNION), at("2025-01-15T05:30:00Z"));
	cr_assert_eq(action_due_at(day("2025-01-15"), NULL), at("2025-01-15T08:30:00Z"));
}

Test(rules, date_window_bounds_are_included)
{
	/* Monday 15 September 2025, 10:00 in Paris. */
	int64_t now = at("2025-09-15T08:00:00Z"), first, last;
	action_date_window(now, PARIS, &first, &last);
	cr_assert_eq(first, day("2024-09-14"));   /* today − 1 year − 1 day */
	cr_assert_eq(last, day("2027-09-15"));    /* today + 2 years */
	cr_assert(action_day_in_window(day("2024-09-14"), now, PARIS));
	cr_assert_not(action_day_in_window(day("2024-09-13"), now, PARIS));
	cr_assert(action_day_in_window(day("2027-09-15"), now, PARIS));
	cr_assert_not(action_day_in_window(day("2027-09-16"), now, PARIS));
	cr_assert(action_day_in_window(day("2025-09-15"), now, PARIS));
	cr_assert_not(action_day_in_window(CLOCK_NO_DAY, now, PARIS));
	/* "Today" is the civil day of the structure: 23:30Z on the 14th is already the 15th in
	 * Paris, still the 14th in UTC. */
	int64_t late = at("2025-09-14T22:30:00Z");
	cr_assert(action_day_in_window(day("2027-09-15"), late, PARIS));
	cr_assert_not(action_day_in_window(day("2027-09-15"), late, "UTC"));
}

Test(rules, date_window_on_a_leap_day)
{
	int64_t now = at("2024-02-29T11:00:00Z"), first, last;
	action_date_window(now, PARIS, &first, &last);
	cr_assert_eq(first, day("2023-02-27"));   /* 2024-02-29 − 1 year = 2023-02-28, − 1 day */
	cr_assert_eq(last, day("2026-02-28"));
	cr_assert(action_day_in_window(day("2023-02-27"), now, PARIS));
	cr_assert_not(action_day_in_window(day("2023-02-26"), now, PARIS));
	cr_assert(action_day_in_window(day("2026-02-28"), now, PARIS));
	cr_assert_not(action_day_in_window(day("2026-03-01"), now, PARIS));
}

Test(rules, display_status_priority)
{
	int64_t now = at("2025-09-15T08:00:00Z");
	struct action x = rule_action(ACTION_NOT_STARTED, "2025-09-16");
	cr_assert_eq(action_display(&x, now), DISPLAY_TODO);
	x.status = ACTION_IN_PROGRESS;
	cr_assert_eq(action_display(&x, now), DISPLAY_TODO);
	x = rule_action(ACTION_IN_PROGRESS, "2025-09-12");
	cr_assert_eq(action_display(&x, now), DISPLAY_LATE);
	x.status = ACTION_NOT_STARTED;
	cr_assert_eq(action_display(&x, now), DISPLAY_LATE);
	/* Done: À qualifier for CEJ, Terminée for PACEA — even when it was late. */
	x = rule_action(ACTION_DONE, "2025-09-12");
	cr_assert_eq(action_display(&x, now), DISPLAY_TO_QUALIFY);
	x.cej = false;
	cr_assert_eq(action_display(&x, now), DISPLAY_DONE);
	/* Qualified first of all, SNP or not. */
	x.cej = true;
	x.q_code = "NON_SNP";
	cr_assert_eq(action_display(&x, now), DISPLAY_QUALIFIED);
	x.q_code = "EMPLOI";
	cr_assert_eq(action_display(&x, now), DISPLAY_QUALIFIED);
	/* Cancelled, late or not. */
	x = rule_action(ACTION_CANCELED, "2025-09-12");
	cr_assert_eq(action_display(&x, now), DISPLAY_CANCELED);
	x = rule_action(ACTION_CANCELED, "2025-09-20");
	cr_assert_eq(action_display(&x, now), DISPLAY_CANCELED);

	const char *labels[DISPLAY_COUNT] = {"À faire", "En retard", "Terminée", "À qualifier",
					     "Qualifiée", "Annulée"};
	for (int d = 0; d < DISPLAY_COUNT; d++) {
		cr_assert_str_eq(action_display_label((enum action_display)d), labels[d]);
		cr_assert_eq(action_display_parse(action_display_code((enum action_display)d)), d);
	}
	cr_assert_eq(action_display_parse("inconnu"), -1);
	cr_assert_eq(action_display_parse(NULL), -1);
}

Test(rules, app_label)
{
	int64_t now = at("2025-09-15T08:00:00Z");
	struct action x = rule_action(ACTION_NOT_STARTED, "2025-09-16");
	cr_assert_str_eq(action_app_label(&x, now), "À faire");
	x.status = ACTION_IN_PROGRESS;
	cr_assert_str_eq(action_app_label(&x, now), "En cours");
	x = rule_action(ACTION_IN_PROGRESS, "2025-09-14");
	cr_assert_str_eq(action_app_label(&x, now), "En retard");
	x = rule_action(ACTION_DONE, "2025-09-14");
	cr_assert_str_eq(action_app_label(&x, now), "Terminée");
	x.q_code = "SANTE";
	cr_assert_str_eq(action_app_label(&x, now), "Terminée");   /* qualified shows Terminée */
	x.cej = false;
	x.q_code = NULL;
	cr_assert_str_eq(action_app_label(&x, now), "Terminée");
	x = rule_action(ACTION_CANCELED, "2025-09-14");
	cr_assert_str_eq(action_app_label(&x, now), "Annulée");
}

Test(rules, late_strictly_after_due_at)
{
	/* Scenario 2: due Tuesday 16 at 09:30, late from 09:30 and a bit. */
	struct action x = rule_action(ACTION_NOT_STARTED, "2025-09-16");
	int64_t due = at("2025-09-16T07:30:00Z");
	cr_assert_eq(x.due_at, due);
	cr_assert_not(action_is_late(&x, due - 1));
	cr_assert_not(action_is_late(&x, due));
	cr_assert(action_is_late(&x, due + 1));
	cr_assert(action_is_late(&x, at("2025-09-16T07:31:00Z")));
	cr_assert_eq(action_display(&x, due), DISPLAY_TODO);
	cr_assert_eq(action_display(&x, due + MINUTE), DISPLAY_LATE);
	x.status = ACTION_DONE;
	cr_assert_not(action_is_late(&x, due + DAY));
	x.status = ACTION_CANCELED;
	cr_assert_not(action_is_late(&x, due + DAY));
}

Test(rules, display_at_is_completion_when_done)
{
	struct action x = rule_action(ACTION_IN_PROGRESS, "2025-09-16");
	cr_assert_eq(action_display_at(&x), x.due_at);
	x.status = ACTION_DONE;
	x.completed_at = at("2025-09-10T12:00:00Z");
	cr_assert_eq(action_display_at(&x), x.completed_at);
}

Test(rules, who_may_edit_and_delete)
{
	struct action x = rule_action(ACTION_NOT_STARTED, "2025-09-16");
	/* Counselor-created: both sides change the status, only the counselor the content. */
	cr_assert(action_may_edit(&x, ACTOR_COUNSELOR));
	cr_assert(action_may_edit(&x, ACTOR_BENEFICIARY));
	cr_assert(action_may_edit_content(&x, ACTOR_COUNSELOR));
	cr_assert_not(action_may_edit_content(&x, ACTOR_BENEFICIARY));
	/* Scenario 11: the beneficiary deleting a counselor's action gets 403. */
	cr_assert_eq(action_may_delete(&x, ACTOR_COUNSELOR), DELETE_OK);
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_FORBIDDEN);
	/* Beneficiary-created: both edit everything, only the beneficiary deletes. */
	x.by_counselor = false;
	cr_assert(action_may_edit_content(&x, ACTOR_BENEFICIARY));
	cr_assert(action_may_edit_content(&x, ACTOR_COUNSELOR));
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_OK);
	cr_assert_eq(action_may_delete(&x, ACTOR_COUNSELOR), DELETE_FORBIDDEN);
	/* A comment, a done status or a qualification block deletion (400) on the right side;
	 * the wrong side still gets 403. */
	x.comments = 1;
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_REFUSED);
	cr_assert_eq(action_may_delete(&x, ACTOR_COUNSELOR), DELETE_FORBIDDEN);
	x.comments = 0;
	x.status = ACTION_DONE;
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_REFUSED);
	x.status = ACTION_CANCELED;
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_OK);
	/* Qualified: nothing at all, for anyone. */
	x = rule_action(ACTION_DONE, "2025-09-12");
	x.q_code = "NON_SNP";
	cr_assert_not(action_may_edit(&x, ACTOR_COUNSELOR));
	cr_assert_not(action_may_edit(&x, ACTOR_BENEFICIARY));
	cr_assert_not(action_may_edit_content(&x, ACTOR_COUNSELOR));
	cr_assert_not(action_may_edit_content(&x, ACTOR_BENEFICIARY));
	cr_assert_eq(action_may_delete(&x, ACTOR_COUNSELOR), DELETE_REFUSED);
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_FORBIDDEN);
	x.by_counselor = false;
	cr_assert_not(action_may_edit_content(&x, ACTOR_BENEFICIARY));
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_REFUSED);
}

Test(rules, reminder_wanted_only_beyond_three_days)
{
	int64_t now = at("2025-09-15T08:00:00Z");   /* Monday 15, 10:00 Paris */
	struct action x = rule_action(ACTION_NOT_STARTED, "2025-09-18");
	cr_assert_not(action_reminder_wanted(&x, now));   /* exactly today + 3 */
	x = rule_action(ACTION_NOT_STARTED, "2025-09-19");
	cr_assert(action_reminder_wanted(&x, now));       /* today + 4 */
	cr_assert(action_reminder_wanted(&x, at("2025-09-15T21:59:00Z")));  /* 23:59 Paris */
	cr_assert_not(action_reminder_wanted(&x, at("2025-09-15T22:00:00Z")));  /* now the 16th */
	x.status = ACTION_IN_PROGRESS;
	cr_assert(action_reminder_wanted(&x, now));
	x.status = ACTION_DONE;
	cr_assert_not(action_reminder_wanted(&x, now));
	x.status = ACTION_CANCELED;
	cr_assert_not(action_reminder_wanted(&x, now));
	x.status = ACTION_NOT_STARTED;
	x.reminder = false;
	cr_assert_not(action_reminder_wanted(&x, now));
	x = rule_action(ACTION_NOT_STARTED, "2025-09-12");
	cr_assert_not(action_reminder_wanted(&x, now));   /* past */
}

Test(rules, reminder_at_0930_three_civil_days_before)
{
	struct action x = rule_action(ACTION_NOT_STARTED, "2025-09-25");
	cr_assert_eq(action_reminder_at(&x), at("2025-09-22T07:30:00Z"));
	/* Due Tuesday 1 April (CEST): the reminder is Saturday 29 March at 09:30 CET, not
	 * due_at − 72 h (08:30 CET). */
	x = rule_action(ACTION_NOT_STARTED, "2025-04-01");
	cr_assert_eq(x.due_at, at("2025-04-01T07:30:00Z"));
	cr_assert_eq(action_reminder_at(&x), at("2025-03-29T08:30:00Z"));
	cr_assert_neq(action_reminder_at(&x), x.due_at - 3 * DAY);
	/* And in autumn: due Tuesday 28 October (CET), reminder Saturday 25 at 09:30 CEST. */
	x = rule_action(ACTION_NOT_STARTED, "2025-10-28");
	cr_assert_eq(action_reminder_at(&x), at("2025-10-25T07:30:00Z"));
	/* La Réunion. */
	x.timezone = REUNION;
	x.due_at = action_due_at(day("2025-10-28"), REUNION);
	cr_assert_eq(action_reminder_at(&x), at("2025-10-25T05:30:00Z"));
}

Test(rules, reminder_still_due_at_send_time)
{
	struct action x = rule_action(ACTION_NOT_STARTED, "2025-09-25");
	int64_t run = action_reminder_at(&x);
	cr_assert(action_reminder_still_due(&x, run));
	cr_assert(action_reminder_still_due(&x, at("2025-09-22T21:59:00Z")));  /* same Paris day */
	cr_assert_not(action_reminder_still_due(&x, at("2025-09-22T22:00:00Z")));  /* day after */
	cr_assert_not(action_reminder_still_due(&x, run - DAY));  /* due moved later */
	x.reminder = false;
	cr_assert_not(action_reminder_still_due(&x, run));
	x.reminder = true;
	x.status = ACTION_DONE;
	cr_assert_not(action_reminder_still_due(&x, run));
	x.status = ACTION_CANCELED;
	cr_assert_not(action_reminder_still_due(&x, run));
	x.status = ACTION_IN_PROGRESS;
	cr_assert(action_reminder_still_due(&x, run));
}

Test(rules, qualify_refusal_messages)
{
	struct action x = rule_action(ACTION_DONE, "2025-09-12");
	cr_assert_null(action_qualify_refusal(&x));
	x.cej = false;
	cr_assert_str_eq(action_qualify_refusal(&x),
			 "Les actions des bénéficiaires PACEA ne sont pas qualifiables.");
	x.cej = true;
	x.q_code = "NON_SNP";   /* a NON_SNP qualification counts */
	cr_assert_str_eq(action_qualify_refusal(&x), "Cette action est déjà qualifiée.");
	x = rule_action(ACTION_IN_PROGRESS, "2025-09-12");
	cr_assert_str_eq(action_qualify_refusal(&x), "Seule une action terminée peut être qualifiée.");
	x.status = ACTION_CANCELED;
	cr_assert_str_eq(action_qualify_refusal(&x), "Seule une action terminée peut être qualifiée.");
	x.status = ACTION_NOT_STARTED;
	cr_assert_str_eq(action_qualify_refusal(&x), "Seule une action terminée peut être qualifiée.");
}

Test(rules, qualify_default_comment)
{
	struct arena *ar = arena_new();
	struct action x = rule_action(ACTION_DONE, "2025-09-12");
	cr_assert_str_eq(action_qualify_default_comment(ar, &x), "Mettre à jour son CV");
	x.description = NULL;
	cr_assert_str_eq(action_qualify_default_comment(ar, &x), "Mettre à jour son CV");
	x.description = "Version 2025";
	cr_assert_str_eq(action_qualify_default_comment(ar, &x), "Mettre à jour son CV - Version 2025");

	/* Cut at 255 characters, not bytes, on a character boundary. */
	GString *d = g_string_new(NULL);
	for (int i = 0; i < 300; i++)
		g_string_append(d, i % 2 ? "é" : "e");
	x.title = "Été";
	x.description = d->str;
	char *c = action_qualify_default_comment(ar, &x);
	cr_assert(g_utf8_validate(c, -1, NULL));
	cr_assert_eq(g_utf8_strlen(c, -1), 255);
	cr_assert(g_str_has_prefix(c, "Été - eé"));
	cr_assert_gt(strlen(c), 255);   /* more bytes than characters */
	/* Exactly 255 characters is kept whole, 256 loses one. */
	g_string_truncate(d, 0);
	for (int i = 0; i < 249; i++)
		g_string_append(d, "à");
	x.description = d->str;   /* "Été - " is 6 characters: 255 in all */
	c = action_qualify_default_comment(ar, &x);
	cr_assert_eq(g_utf8_strlen(c, -1), 255);
	cr_assert(g_str_has_suffix(c, "àà"));
	g_string_append(d, "ç");
	x.description = d->str;
	c = action_qualify_default_comment(ar, &x);
	cr_assert_eq(g_utf8_strlen(c, -1), 255);
	cr_assert(g_str_has_suffix(c, "à"));
	cr_assert_null(strstr(c, "ç"));
	/* A long title alone is cut too. */
	for (int i = 0; i < 20; i++)
		g_string_append(d, "ô");
	x.title = d->str;
	x.description = "";
	c = action_qualify_default_comment(ar, &x);
	cr_assert_eq(g_utf8_strlen(c, -1), 255);
	cr_assert(g_utf8_validate(c, -1, NULL));
	g_string_free(d, TRUE);
	arena_free(ar);
}

#define MANY_BENEFICIARIES                                                                 \
	"Vous ne pouvez pas qualifier les actions de plusieurs bénéficiaires. Sélectionnez " \
	"seulement un ou une bénéficiaire."
#define NO_CATEGORY                                                                        \
	"Vous ne pouvez pas qualifier une ou plusieurs actions sans catégorie. Cliquez sur " \
	"l’action pour pouvoir la modifier et lui ajouter une catégorie."
#define MANY_CATEGORIES                                                                    \
	"Vous ne pouvez pas qualifier en une seule fois des actions de catégories "          \
	"différentes. Sélectionnez des actions d’une même catégorie."

Test(rules, batch_refusal_messages_and_order)
{
	const char *b_same[] = {"B1", "B1", "B1"}, *b_two[] = {"B1", "B2", "B1"};
	const char *c_same[] = {"EMPLOI", "EMPLOI", "EMPLOI"};
	const char *c_two[] = {"EMPLOI", "SANTE", "EMPLOI"};
	const char *c_none[] = {"EMPLOI", NULL, "EMPLOI"};
	const char *c_both[] = {"EMPLOI", NULL, "SANTE"};
	cr_assert_null(action_batch_refusal(b_same, c_same, 3));
	cr_assert_null(action_batch_refusal(b_two, c_two, 1));   /* one action */
	cr_assert_str_eq(action_batch_refusal(b_two, c_same, 3), MANY_BENEFICIARIES);
	cr_assert_str_eq(action_batch_refusal(b_same, c_two, 3), MANY_CATEGORIES);  /* scenario 8 */
	cr_assert_str_eq(action_batch_refusal(b_same, c_none, 3), NO_CATEGORY);
	/* Order: beneficiaries first, then a missing category (which would otherwise read as
	 * "different categories"), then different categories. */
	cr_assert_str_eq(action_batch_refusal(b_two, c_both, 3), MANY_BENEFICIARIES);
	cr_assert_str_eq(action_batch_refusal(b_same, c_both, 3), NO_CATEGORY);
	const char *c_first_none[] = {NULL, "EMPLOI"};
	cr_assert_str_eq(action_batch_refusal(b_same, c_first_none, 2), NO_CATEGORY);
	const char *c_one_none[] = {NULL};
	cr_assert_str_eq(action_batch_refusal(b_same, c_one_none, 1), NO_CATEGORY);
}

Test(rules, auto_non_snp_after_four_months)
{
	int64_t now = at("2025-07-15T04:00:00Z");   /* 06:00 Paris */
	struct action x = rule_action(ACTION_IN_PROGRESS, "2025-03-14");   /* 4 months + 1 day */
	cr_assert(action_auto_non_snp_due(&x, now));
	x.status = ACTION_NOT_STARTED;
	cr_assert(action_auto_non_snp_due(&x, now));
	x.status = ACTION_DONE;
	cr_assert(action_auto_non_snp_due(&x, now));
	x.status = ACTION_CANCELED;
	cr_assert_not(action_auto_non_snp_due(&x, now));
	x.status = ACTION_DONE;
	x.q_code = "NON_SNP";
	cr_assert_not(action_auto_non_snp_due(&x, now));
	x.q_code = NULL;
	x.cej = false;   /* PACEA */
	cr_assert_not(action_auto_non_snp_due(&x, now));
	x = rule_action(ACTION_IN_PROGRESS, "2025-03-17");   /* 3 months 29 days */
	cr_assert_not(action_auto_non_snp_due(&x, now));
	/* Exactly 4 months: due 15 March 09:30 vs now − 4 months = 15 March 06:00. */
	x = rule_action(ACTION_IN_PROGRESS, "2025-03-15");
	cr_assert_not(action_auto_non_snp_due(&x, now));
	cr_assert(action_auto_non_snp_due(&x, at("2025-07-15T07:31:00Z")));   /* 09:31 Paris */
	/* Months are calendar months: on 30 June, 4 months back is 28 February. */
	x = rule_action(ACTION_IN_PROGRESS, "2025-02-27");
	cr_assert(action_auto_non_snp_due(&x, at("2025-06-30T04:00:00Z")));
	x = rule_action(ACTION_IN_PROGRESS, "2025-02-28");
	cr_assert_not(action_auto_non_snp_due(&x, at("2025-06-30T04:00:00Z")));
}

/* The message of actions_qualify_check(), NULL when valid: a refusal is a 400 on a field. */
static const char *
qualify_check(const struct action *x, const struct qualify_input *in, int64_t now)
{
	struct refusal why = {0};
	int rc = actions_qualify_check(x, in, now, &why);
	if (!rc)
		return NULL;
	cr_assert_eq(rc, -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_not_null(why.field);
	cr_assert_not_null(why.message);
	return why.message;
}

Test(rules, qualify_check_messages)
{
	int64_t now = at("2025-09-15T08:00:00Z");
	struct action x = rule_action(ACTION_DONE, "2025-09-12");
	struct qualify_input in = {"FORMATION", "Mettre à jour son CV", "2025-09-12", "2025-09-12"};
	cr_assert_null(qualify_check(&x, &in, now));
	in.end = "2025-09-15";   /* end = today */
	cr_assert_null(qualify_check(&x, &in, now));
	in.end = "2025-09-16";   /* beyond: end > today */
	cr_assert_str_eq(qualify_check(&x, &in, now),
			 "La date de fin de l’action ne peut pas être postérieure à aujourd’hui.");
	/* "Today" in the structure's zone: 23:30Z on the 15th is the 16th in Paris. */
	cr_assert_null(qualify_check(&x, &in, at("2025-09-15T22:30:00Z")));
	in.end = "2025-09-11";
	cr_assert_str_eq(qualify_check(&x, &in, now),
			 "La date de début de l’action doit être antérieure ou égale à la date de fin.");
	in.end = NULL;
	cr_assert_str_eq(qualify_check(&x, &in, now),
			 "Le champ Date de fin de l’action n’est pas renseigné. Veuillez renseigner "
			 "la date à laquelle l’action a été terminée.");
	in.end = "2025-09-31";
	cr_assert_not_null(strstr(qualify_check(&x, &in, now), "Date de fin"));
	in.end = "2025-09-12";
	in.start = "";
	cr_assert_str_eq(qualify_check(&x, &in, now),
			 "Le champ Date de début de l’action n’est pas renseigné. Veuillez renseigner "
			 "la date à laquelle l’action a commencé.");
	in.start = "2025-09-12";
	in.comment = "";
	cr_assert_str_eq(qualify_check(&x, &in, now),
			 "Le champ Titre et description n’est pas renseigné. Veuillez renseigner un "
			 "titre ou une description.");
	in.comment = NULL;
	cr_assert_not_null(strstr(qualify_check(&x, &in, now), "Titre et description"));
	/* 255 characters of two bytes each pass; 256 do not. */
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 255; i++)
		g_string_append(s, "é");
	in.comment = s->str;
	cr_assert_null(qualify_check(&x, &in, now));
	g_string_append(s, "é");
	in.comment = s->str;
	cr_assert_str_eq(qualify_check(&x, &in, now),
			 "Vous avez dépassé le nombre maximal de caractères. Veuillez retirer des "
			 "caractères.");
	in.comment = "ok";
	in.code = "";
	cr_assert_str_eq(qualify_check(&x, &in, now),
			 "Le champ Catégorie est vide. Veuillez renseigner une catégorie.");
	in.code = NULL;
	cr_assert_not_null(qualify_check(&x, &in, now));
	in.code = "INCONNU";
	cr_assert_not_null(qualify_check(&x, &in, now));
	/* NON_SNP needs neither comment nor dates. */
	struct qualify_input non = {"NON_SNP", NULL, NULL, NULL};
	cr_assert_null(qualify_check(&x, &non, now));
	g_string_free(s, TRUE);
}

Test(rules, qualify_check_names_the_field_at_fault)
{
	/* The single page marks the input each message is about (§8 "Qualification"). */
	int64_t now = at("2025-09-15T08:00:00Z");
	struct action x = rule_action(ACTION_DONE, "2025-09-12");
	const struct {
		struct qualify_input in;
		const char *field;
	} cases[] = {
		{{"", "CV", "2025-09-12", "2025-09-12"}, "categorie"},
		{{"INCONNU", "CV", "2025-09-12", "2025-09-12"}, "categorie"},
		{{"FORMATION", "", "2025-09-12", "2025-09-12"}, "commentaire"},
		{{"FORMATION", "CV", "2025-09-12", NULL}, "date-fin"},
		{{"FORMATION", "CV", "2025-09-12", "2025-09-16"}, "date-fin"},
		{{"FORMATION", "CV", "2024-09-01", "2024-09-10"}, "date-fin"},
		{{"FORMATION", "CV", "", "2025-09-12"}, "date-debut"},
		{{"FORMATION", "CV", "2025-09-13", "2025-09-12"}, "date-debut"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct refusal why = {0};
		cr_assert_eq(actions_qualify_check(&x, &cases[i].in, now, &why), -ERR_INVAL, "case %zu", i);
		cr_assert_str_eq(why.field, cases[i].field, "case %zu", i);
	}
	struct refusal why = {0};
	struct qualify_input fine = {"FORMATION", "CV", "2025-09-12", "2025-09-12"};
	cr_assert_eq(actions_qualify_check(&x, &fine, now, &why), 0);
	cr_assert_null(why.message);
}

/* ======================================================================================
 * The beneficiary's forms (actions_app_form.h) and the counselor's comment
 * ==================================================================================== */

/* A creation filled in up to step 3, valid at NOW_FORM in Paris. */
#define NOW_FORM at("2025-09-15T08:00:00Z")

static struct action_app_form
app_form(void)
{
	return (struct action_app_form){
		.category = "EMPLOI", .title = "3", .other = "", .description = "  Au café  ",
		.status = "en_cours", .when = "date", .date = "2025-09-20", .reminder = true,
	};
}

Test(app_form, creation_is_checked_step_by_step)
{
	struct arena *ar = arena_new();
	struct action_app_form f = app_form();
	struct action_app_values v;
	struct action_app_errors e;

	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, NOW_FORM, PARIS, &v, &e), 0);
	cr_assert_eq(e.count, 0);
	cr_assert_str_eq(v.category, "EMPLOI");
	cr_assert_str_eq(v.title, action_titles[2]);
	cr_assert_str_eq(v.description, "Au café");   /* trimmed */
	cr_assert_eq(v.status, ACTION_IN_PROGRESS);
	cr_assert_eq(v.day, day("2025-09-20"));

	/* Step 1: the category, and nothing after it is looked at. */
	f.category = "INCONNUE";
	f.title = NULL;
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_CATEGORY);
	cr_assert_str_eq(e.categorie, "Choisis une catégorie pour continuer");
	cr_assert_eq(e.count, 1);
	cr_assert_null(e.titre);
	f.category = NULL;
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_CATEGORY, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_CATEGORY);
	/* Up to step 1 only: a valid category is enough. */
	f.category = "EMPLOI";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_CATEGORY, NOW_FORM, PARIS, &v, &e), 0);

	/* Step 2: a title among the 20, or "autre" with a name of 60 characters at most. */
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_ACTION);
	cr_assert_str_eq(e.titre, "L’intitulé de l’action doit être renseigné");
	f.title = "21";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_ACTION, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_ACTION);
	f.title = ACTION_APP_OTHER;
	f.other = "   ";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_ACTION, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_ACTION);
	cr_assert_null(e.titre);
	cr_assert_str_eq(e.titre_autre, "L’intitulé de l’action doit être renseigné");
	GString *name = g_string_new(NULL);
	for (int i = 0; i < ACTION_APP_TITLE_MAX; i++)
		g_string_append(name, "é");
	f.other = name->str;
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_ACTION, NOW_FORM, PARIS, &v, &e), 0);
	cr_assert_str_eq(v.title, name->str);
	g_string_append(name, "é");
	f.other = name->str;
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_ACTION, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_ACTION);
	cr_assert_str_eq(e.titre_autre, "La limite de 60 caractères a été atteinte");
	/* The description's limit shows beside the title's. */
	GString *text = g_string_new(NULL);
	for (int i = 0; i <= ACTION_DESCRIPTION_MAX; i++)
		g_string_append_c(text, 'x');
	f.description = text->str;
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_ACTION, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_ACTION);
	cr_assert_str_eq(e.description, "La limite de 1024 caractères a été atteinte");
	cr_assert_eq(e.count, 2);
	f = app_form();
	f.description = NULL;
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_ACTION, NOW_FORM, PARIS, &v, &e), 0);
	cr_assert_str_eq(v.description, "");   /* none: the "aucune description" dialog */

	/* Step 3: the status and the day, both reported. */
	f = app_form();
	f.status = "annulee";   /* the edit's only */
	f.date = "";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_WHEN);
	cr_assert_str_eq(e.statut, "Remplis tous les champs");
	cr_assert_str_eq(e.date, "La date est obligatoire");
	/* Shortcuts are days of the structure's zone: 23:30 in Paris is already tomorrow. */
	f = app_form();
	f.status = "terminee";
	f.when = "hier";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, at("2025-09-15T22:30:00Z"),
					   PARIS, &v, &e), 0);
	cr_assert_eq(v.status, ACTION_DONE);
	cr_assert_eq(v.day, day("2025-09-15"));
	f.when = "demain";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, NOW_FORM, PARIS, &v, &e), 0);
	cr_assert_eq(v.day, day("2025-09-16"));
	/* Outside the window of §2: the message names its bounds. */
	f.when = "date";
	f.date = "2027-09-16";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_WHEN);
	cr_assert_str_eq(e.date, "La date doit être comprise entre le 14/09/2024 et le 15/09/2027.");
	f.date = "2025-02-30";
	cr_assert_eq(actions_app_check_new(ar, &f, ACTION_APP_STEP_WHEN, NOW_FORM, PARIS, &v, &e),
		     ACTION_APP_STEP_WHEN);
	g_string_free(name, TRUE);
	g_string_free(text, TRUE);
	arena_free(ar);
}

Test(app_form, edit_takes_an_optional_category_and_the_typed_date)
{
	struct arena *ar = arena_new();
	struct action_app_form f = app_form();
	struct action_app_values v;
	struct action_app_errors e;
	f.category = "";
	f.status = "annulee";
	cr_assert_eq(actions_app_check_edit(ar, &f, NOW_FORM, PARIS, &v, &e), 0);
	cr_assert_null(v.category);
	cr_assert_eq(v.status, ACTION_CANCELED);
	cr_assert_eq(v.day, day("2025-09-20"));
	/* No shortcut on the edit form: the date field alone counts. */
	f.when = "aujourdhui";
	f.date = NULL;
	f.category = "NOPE";
	f.status = NULL;
	f.title = NULL;
	cr_assert_eq(actions_app_check_edit(ar, &f, NOW_FORM, PARIS, &v, &e), 4);
	cr_assert_str_eq(e.categorie, "Choisis une catégorie pour continuer");
	cr_assert_str_eq(e.statut, "Remplis tous les champs");
	cr_assert_str_eq(e.date, "La date est obligatoire");
	cr_assert_str_eq(e.titre, "L’intitulé de l’action doit être renseigné");
	arena_free(ar);
}

Test(app_form, finish_and_comment_refuse_on_their_field)
{
	struct arena *ar = arena_new();
	struct refusal why = {0};
	int64_t d = 0;
	cr_assert_eq(actions_app_check_finish(ar, "aujourdhui", NULL, NOW_FORM, REUNION, &d, &why), 0);
	cr_assert_eq(d, day("2025-09-15"));
	cr_assert_null(why.message);
	cr_assert_eq(actions_app_check_finish(ar, "date", "", NOW_FORM, PARIS, &d, &why), -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.field, "terminer");
	cr_assert_str_eq(why.message, "La date est obligatoire");

	why = (struct refusal){0};
	cr_assert_eq(actions_app_check_comment("Fait !", &why), 0);
	cr_assert_null(why.message);
	cr_assert_eq(actions_app_check_comment("", &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "commentaire");
	cr_assert_str_eq(why.message, "Écris ton commentaire avant de l’envoyer");
	GString *text = g_string_new(NULL);
	for (int i = 0; i < ACTION_COMMENT_MAX; i++)
		g_string_append(text, "é");
	cr_assert_eq(actions_app_check_comment(text->str, &why), 0);
	g_string_append_c(text, 'x');
	cr_assert_eq(actions_app_check_comment(text->str, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, "La limite de 1024 caractères a été atteinte");

	/* The counselor's comment: the same limits, their words, a page of its own. */
	why = (struct refusal){0};
	cr_assert_eq(actions_form_check_comment(NULL, &why), -ERR_INVAL);
	cr_assert_str_eq(why.title, "Le commentaire n’a pas été envoyé");
	cr_assert_str_eq(why.message, "Veuillez saisir un message à envoyer au bénéficiaire.");
	cr_assert_eq(actions_form_check_comment(text->str, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, "Le commentaire ne doit pas dépasser 1024 caractères.");
	g_string_free(text, TRUE);
	arena_free(ar);
}

Test(app_form, title_choice_shows_a_stored_title)
{
	struct arena *ar = arena_new();
	cr_assert_str_eq(actions_app_title_choice(ar, action_titles[0]), "1");
	cr_assert_str_eq(actions_app_title_choice(ar, action_titles[19]), "20");
	cr_assert_str_eq(actions_app_title_choice(ar, "Ma propre action"), ACTION_APP_OTHER);
	arena_free(ar);
}

/* ======================================================================================
 * Store, use cases and jobs on a migrated temporary database
 * ==================================================================================== */

static struct fixture fx;
static struct db *db;
static struct arena *a;
static struct msg_keyring *keys;   /* a counselor's comment posts a sealed message */
static const char *sid, *rsid, *cid, *cid2;
/* Beneficiaries of counselor cid: CEJ activated (Paris), PACEA activated, CEJ never
 * activated, CEJ activated in La Réunion; and a CEJ one of counselor cid2. */
static const char *bid, *pid, *nid, *rid, *oid;

/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

static const char *
add_beneficiary(const char *structure, const char *counselor, const char *last,
		const char *first, const char *dispositif, bool activated)
{
	return fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = structure, .counselor_id = counselor, .first_name = first,
		.last_name = last, .dispositif = dispositif, .activated_at = activated ? 1000 : 0});
}

static void
setup(void)
{
	fixture_open(&fx, "actions", FIXTURE_DB | FIXTURE_KEYS);
	db = fx.db;
	a = fx.a;
	keys = fx.keys;
	sid = fixture_structure(&fx, "29019S00", "ML Paris", PARIS);
	rsid = fixture_structure(&fx, "97411S00", "ML Réunion", REUNION);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "Claire", .last_name = "Martin", .login = "cmartin", .structure_id = sid});
	cid2 = fixture_counselor(&fx, &(struct admin_counselor){.email = "d@x.fr",
		.first_name = "Denis", .last_name = "Roux", .structure_id = sid});
	bid = add_beneficiary(sid, cid, "Dupont", "Élodie", "CEJ", true);
	pid = add_beneficiary(sid, cid, "Martin", "Paul", "PACEA", true);
	nid = add_beneficiary(sid, cid, "Zola", "Émile", "CEJ", false);
	rid = add_beneficiary(rsid, cid, "Bernard", "Jean", "CEJ", true);
	oid = add_beneficiary(sid, cid2, "Autre", "Ana", "CEJ", true);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(jobs, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(qualify, .init = setup, .fini = teardown, .timeout = 60);

/* A counselor-created action for @ben due on @due_day, with the fields the form fills. */
static struct action
draft(const char *ben, enum action_status s, const char *due_day)
{
	bool cej = ben != pid;
	const char *tz = ben == rid ? REUNION : PARIS;
	struct action x = {
		.beneficiary_id = ben, .by_counselor = true, .creator_id = cid,
		.creator_first_name = "Claire", .creator_last_name = "Martin",
		.title = "Mettre à jour son CV", .description = "", .category = "EMPLOI",
		.status = s, .reminder = true, .cej = cej, .timezone = tz,
	};
	x.due_at = action_due_at(day(due_day), tz);
	x.completed_at = s == ACTION_DONE ? x.due_at : 0;
	return x;
}

static const char *
create_at(struct action *x, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(actions_create(db, a, now, x), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	return x->id;
}

static const char *
create(const char *ben, enum action_status s, const char *due_day)
{
	struct action x = draft(ben, s, due_day);
	return create_at(&x, NOW);
}

static struct action
load(const char *id)
{
	struct action x;
	cr_assert_eq(actions_store_load(db, a, id, &x), 0, "%s", id);
	return x;
}

static int
change(const struct action *before, struct action *after, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	int rc = actions_change(db, a, now, before, after);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

static const char *
j3_key(const char *id)
{
	return arena_printf(a, "action:%s:j3", id);
}

/* The run instant of the J-3 job of @id, or 0 when none is planned. */
static int64_t
j3_at(const char *id)
{
	struct job j;
	int rc = jobs_find(db, a, j3_key(id), &j);
	if (rc == -ERR_NOTFOUND)
		return 0;
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(j.kind, "action_reminder");
	return j.run_at;
}

static int
notif_count(const char *ben, const char *type)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM notification WHERE beneficiary_id = $1 AND type = $2");
	db_bind_text(st, 1, ben);
	db_bind_text(st, 2, type);
	return (int)db_run_int(st);
}

/* The one notification of @type of @ben, by the centre's listing. */
static struct notification
the_notif(const char *ben, const char *type, int64_t now)
{
	struct notification *list, *found = NULL;
	int n = notifications_list(db, a, ben, now, &list);
	cr_assert_geq(n, 0);
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].type, type)) {
			cr_assert_null(found, "two %s", type);
			found = &list[i];
		}
	cr_assert_not_null(found, "no %s", type);
	return *found;
}

static void
set_pref(const char *ben, const char *column, int on)
{
	struct db_stmt *st = db_prepare(db, arena_printf(a,
		"UPDATE beneficiary SET %s = $2 WHERE id = $1", column));
	db_bind_text(st, 1, ben);
	db_bind_int64(st, 2, on);
	cr_assert_eq(db_run(st), 0);
}

static int
run_jobs(int64_t now)
{
	int n = jobs_run_due(actions_job_kinds, ACTIONS_JOB_KINDS, NULL, db, now, 50);
	cr_assert_geq(n, 0);
	return n;
}

/* ---- Creation, notifications of the counselor's actions ---- */

Test(store, create_and_load_round_trip)
{
	struct action x = draft(bid, ACTION_NOT_STARTED, "2025-09-16");
	x.description = "Avec la maquette";
	x.category = "FORMATION";
	create_at(&x, NOW);
	cr_assert(id_is_uuid(x.id));
	struct action y = load(x.id);
	cr_assert_str_eq(y.beneficiary_id, bid);
	cr_assert(y.by_counselor);
	cr_assert_str_eq(y.creator_id, cid);
	cr_assert_str_eq(y.creator_first_name, "Claire");
	cr_assert_str_eq(y.title, "Mettre à jour son CV");
	cr_assert_str_eq(y.description, "Avec la maquette");
	cr_assert_str_eq(y.category, "FORMATION");
	cr_assert_eq(y.status, ACTION_NOT_STARTED);
	/* Scenario 1: "Demain (mardi 16)" is stored Tuesday 16 at 09:30 Paris. */
	cr_assert_eq(y.due_at, at("2025-09-16T09:30:00+02:00"));
	cr_assert_eq(y.completed_at, 0);
	cr_assert(y.reminder);
	cr_assert_eq(y.created_at, NOW);
	cr_assert_eq(y.updated_at, NOW);
	cr_assert_null(y.q_code);
	cr_assert_eq(y.comments, 0);
	cr_assert(y.cej);
	cr_assert_str_eq(y.timezone, PARIS);
	/* Scenario 2: at 09:31 it is late. */
	cr_assert_eq(action_display(&y, at("2025-09-16T09:31:00+02:00")), DISPLAY_LATE);

	/* The zone and the dispositif come from the beneficiary. */
	struct action r = draft(rid, ACTION_NOT_STARTED, "2025-09-16");
	create_at(&r, NOW);
	y = load(r.id);
	cr_assert_str_eq(y.timezone, REUNION);
	cr_assert_eq(y.due_at, at("2025-09-16T09:30:00+04:00"));
	struct action p = draft(pid, ACTION_DONE, "2025-09-12");
	create_at(&p, NOW);
	y = load(p.id);
	cr_assert_not(y.cej);
	cr_assert_eq(y.completed_at, y.due_at);   /* created done: completed_at = due_at */
	cr_assert_eq(actions_store_load(db, a, "nope", &y), -ERR_NOTFOUND);
}

Test(store, counselor_creation_notifies_with_push_when_activated_and_pref_on)
{
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-16");
	struct notification n = the_notif(bid, "NEW_ACTION", NOW);
	cr_assert_str_eq(n.title, "Nouvelle action");
	cr_assert_str_eq(n.body, "Vous avez une nouvelle action");
	cr_assert_str_eq(n.url, arena_printf(a, "/app/actions/%s", id));
	cr_assert(n.push);
	cr_assert_not(n.seen);
	cr_assert_eq(n.created_at, NOW);
	cr_assert_eq(notifications_unseen(db, bid, NOW), 1);

	/* "Mon suivi" off: no push, the centre entry is still there. */
	set_pref(bid, "pref_creation_action_conseiller", 0);
	create(bid, ACTION_NOT_STARTED, "2025-09-17");
	cr_assert_eq(notif_count(bid, "NEW_ACTION"), 2);
	struct notification *list;
	cr_assert_eq(notifications_list(db, a, bid, NOW, &list), 2);
	int pushed = 0;
	for (int i = 0; i < 2; i++)
		pushed += list[i].push;
	cr_assert_eq(pushed, 1);
	/* Another preference does not gate it. */
	set_pref(bid, "pref_creation_action_conseiller", 1);
	set_pref(bid, "pref_rappel_actions", 0);
	const char *id3 = create(bid, ACTION_NOT_STARTED, "2025-09-18");
	cr_assert_eq(notifications_list(db, a, bid, NOW, &list), 3);
	for (int i = 0; i < 3; i++)
		if (strstr(list[i].url, id3))
			cr_assert(list[i].push);

	/* Never activated: an entry, no push. */
	create(nid, ACTION_NOT_STARTED, "2025-09-16");
	n = the_notif(nid, "NEW_ACTION", NOW);
	cr_assert_not(n.push);

	/* The beneficiary's own action notifies nobody. */
	struct action own = draft(rid, ACTION_IN_PROGRESS, "2025-09-16");
	own.by_counselor = false;
	own.creator_id = rid;
	create_at(&own, NOW);
	cr_assert_eq(notif_count(rid, "NEW_ACTION"), 0);
}

Test(store, reminder_job_planned_only_beyond_three_days)
{
	/* Due in 10 days: job at due − 3 days, 09:30 Paris. */
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	cr_assert_eq(j3_at(id), at("2025-09-22T09:30:00+02:00"));
	struct job j;
	cr_assert_eq(jobs_find(db, a, j3_key(id), &j), 0);
	cr_assert_not_null(strstr(j.payload, id));
	/* notifications.md scenario 5: exactly 3 days → none; 5 days → due − 3 d. */
	cr_assert_eq(j3_at(create(bid, ACTION_NOT_STARTED, "2025-09-18")), 0);
	cr_assert_eq(j3_at(create(bid, ACTION_NOT_STARTED, "2025-09-19")),
		     at("2025-09-16T09:30:00+02:00"));
	const char *five = create(bid, ACTION_IN_PROGRESS, "2025-09-20");
	cr_assert_eq(j3_at(five), load(five).due_at - 3 * DAY);
	/* Reminder off, done: none. */
	struct action off = draft(bid, ACTION_IN_PROGRESS, "2025-09-25");
	off.reminder = false;
	cr_assert_eq(j3_at(create_at(&off, NOW)), 0);
	cr_assert_eq(j3_at(create(bid, ACTION_DONE, "2025-09-12")), 0);
	/* Across the October change: 09:30 CEST three days before a CET due day. */
	struct action oct = draft(bid, ACTION_NOT_STARTED, "2025-10-28");
	cr_assert_eq(j3_at(create_at(&oct, NOW)), at("2025-10-25T09:30:00+02:00"));
	/* La Réunion: 09:30 there. */
	cr_assert_eq(j3_at(create(rid, ACTION_NOT_STARTED, "2025-09-25")),
		     at("2025-09-22T09:30:00+04:00"));
	/* A beneficiary's action with the switch on gets one too. */
	struct action own = draft(bid, ACTION_IN_PROGRESS, "2025-09-25");
	own.by_counselor = false;
	own.creator_id = bid;
	cr_assert_eq(j3_at(create_at(&own, NOW)), at("2025-09-22T09:30:00+02:00"));
}

Test(store, change_status_and_due_date_keep_the_reminder_in_step)
{
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	int64_t later = NOW + HOUR;
	/* Into done: completed_at = now, job cancelled. */
	struct action before = load(id), after = before;
	after.status = ACTION_DONE;
	cr_assert_eq(change(&before, &after, later), 0);
	struct action y = load(id);
	cr_assert_eq(y.status, ACTION_DONE);
	cr_assert_eq(y.completed_at, later);
	cr_assert_eq(y.updated_at, later);
	cr_assert_eq(j3_at(id), 0);
	/* Out of done: completed_at cleared, job planned again. */
	before = y;
	after = y;
	after.status = ACTION_IN_PROGRESS;
	cr_assert_eq(change(&before, &after, later + HOUR), 0);
	y = load(id);
	cr_assert_eq(y.completed_at, 0);
	cr_assert_eq(y.updated_at, later + HOUR);
	cr_assert_eq(j3_at(id), at("2025-09-22T09:30:00+02:00"));
	/* A supplied completion date is kept when moving into done. */
	before = y;
	after = y;
	after.status = ACTION_DONE;
	after.completed_at = action_due_at(day("2025-09-14"), PARIS);
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_eq(load(id).completed_at, at("2025-09-14T09:30:00+02:00"));
	after.status = ACTION_NOT_STARTED;
	before = load(id);
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_eq(load(id).completed_at, 0);
	/* Due date moved: re-planned under the same key. */
	before = load(id);
	after = before;
	after.due_at = action_due_at(day("2025-10-10"), PARIS);
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_eq(j3_at(id), at("2025-10-07T09:30:00+02:00"));
	int pending;
	cr_assert_eq(jobs_count(db, "action_reminder", &pending, NULL), 0);
	cr_assert_eq(pending, 1);
	/* Moved to within 3 days: cancelled. */
	before = load(id);
	after = before;
	after.due_at = action_due_at(day("2025-09-17"), PARIS);
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_eq(j3_at(id), 0);
	/* Back far, then cancelled or switched off: cancelled. */
	before = load(id);
	after = before;
	after.due_at = action_due_at(day("2025-10-10"), PARIS);
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_neq(j3_at(id), 0);
	before = load(id);
	after = before;
	after.status = ACTION_CANCELED;
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_eq(j3_at(id), 0);
	cr_assert_eq(load(id).status, ACTION_CANCELED);
	before = load(id);
	after = before;
	after.status = ACTION_NOT_STARTED;
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_neq(j3_at(id), 0);
	before = load(id);
	after = before;
	after.reminder = false;
	cr_assert_eq(change(&before, &after, later), 0);
	cr_assert_eq(j3_at(id), 0);
	/* Content edits are stored. */
	before = load(id);
	after = before;
	after.title = "Rédiger une lettre de motivation";
	after.description = "Pour la boulangerie";
	after.category = NULL;
	cr_assert_eq(change(&before, &after, later), 0);
	y = load(id);
	cr_assert_str_eq(y.title, "Rédiger une lettre de motivation");
	cr_assert_str_eq(y.description, "Pour la boulangerie");
	cr_assert_null(y.category);
}

Test(store, qualified_actions_cannot_change)
{
	const char *id = create(bid, ACTION_DONE, "2025-09-12");
	struct action before = load(id), after = before;
	struct action_qualification q = {.code = "NON_SNP", .hours = 0, .by = cid};
	cr_assert_eq(actions_store_qualify(db, id, &q, NOW), 0);
	/* Qualified meanwhile (the caller loaded it before): the store refuses. */
	after.status = ACTION_IN_PROGRESS;
	cr_assert_eq(change(&before, &after, NOW), -ERR_CONFLICT);
	/* Known qualified: refused before any write. Scenario 12. */
	before = load(id);
	after = before;
	after.status = ACTION_IN_PROGRESS;
	cr_assert_eq(change(&before, &after, NOW), -ERR_INVAL);
	struct action y = load(id);
	cr_assert_eq(y.status, ACTION_DONE);
	cr_assert_eq(action_display(&y, NOW), DISPLAY_QUALIFIED);
}

Test(store, remove_cancels_the_reminder)
{
	/* Scenario 11. */
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	cr_assert_neq(j3_at(id), 0);
	struct action x = load(id);
	cr_assert_eq(action_may_delete(&x, ACTOR_BENEFICIARY), DELETE_FORBIDDEN);
	cr_assert_eq(action_may_delete(&x, ACTOR_COUNSELOR), DELETE_OK);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(actions_remove(db, a, &x), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(j3_at(id), 0);
	cr_assert_eq(actions_store_load(db, a, id, &x), -ERR_NOTFOUND);
}

Test(store, comments_notify_only_from_the_counselor)
{
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	struct action x = load(id);
	struct action_comment c = {.author_id = cid, .first_name = "Claire", .last_name = "Martin",
				   .body = "Pouvez-vous compléter la description de cette action s’il "
					   "vous plaît ?", .by_counselor = true};
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(actions_add_comment(db, keys, a, NOW + MINUTE, &x, &c), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert(id_is_uuid(c.id));
	struct notification n = the_notif(bid, "ACTION_UPDATED", NOW + MINUTE);
	cr_assert_str_eq(n.title, "Action mise à jour");
	cr_assert_str_eq(n.body, "Un commentaire a été ajouté par votre conseiller");
	cr_assert_str_eq(n.url, arena_printf(a, "/app/actions/%s", id));
	cr_assert(n.push);
	/* The beneficiary's answer: stored, no notification. */
	struct action_comment r = {.author_id = bid, .first_name = "Élodie", .last_name = "Dupont",
				   .body = "C’est fait", .by_counselor = false};
	cr_assert_eq(actions_add_comment(db, NULL, a, NOW + 2 * MINUTE, &x, &r), 0);
	cr_assert_eq(notif_count(bid, "ACTION_UPDATED"), 1);
	/* A second counselor comment is a second notification (its own key). */
	struct action_comment c2 = c;
	cr_assert_eq(actions_add_comment(db, keys, a, NOW + 3 * MINUTE, &x, &c2), 0);
	cr_assert_eq(notif_count(bid, "ACTION_UPDATED"), 2);
	struct action_comment *list;
	cr_assert_eq(actions_store_comments(db, a, id, &list), 3);
	cr_assert(list[0].by_counselor);
	cr_assert_str_eq(list[1].body, "C’est fait");
	cr_assert_not(list[1].by_counselor);
	cr_assert_eq(list[2].created_at, NOW + 3 * MINUTE);
	/* Commented: no deletion (400), and the count is loaded. */
	x = load(id);
	cr_assert_eq(x.comments, 3);
	cr_assert_eq(action_may_delete(&x, ACTOR_COUNSELOR), DELETE_REFUSED);
	/* Comments remain allowed once qualified. */
	const char *done = create(bid, ACTION_DONE, "2025-09-12");
	struct action_qualification q = {.code = "NON_SNP", .by = cid};
	cr_assert_eq(actions_store_qualify(db, done, &q, NOW), 0);
	x = load(done);
	cr_assert_eq(actions_add_comment(db, keys, a, NOW, &x, &c), 0);
	cr_assert_eq(load(done).comments, 1);
}

/* The fiche's list: every display status, a category filter with "none", both orders. */
static const char *L[7];

static void
list_fixture(void)
{
	struct action x;
	x = draft(bid, ACTION_NOT_STARTED, "2025-09-20");                 /* À faire */
	L[0] = create_at(&x, NOW);
	x = draft(bid, ACTION_IN_PROGRESS, "2025-09-13");                 /* En retard */
	x.category = "SANTE";
	L[1] = create_at(&x, NOW);
	x = draft(bid, ACTION_DONE, "2025-09-14");                        /* À qualifier */
	x.category = "FORMATION";
	L[2] = create_at(&x, NOW);
	x = draft(bid, ACTION_DONE, "2025-09-12");                        /* Qualifiée */
	L[3] = create_at(&x, NOW);
	struct action_qualification q = {.code = "NON_SNP", .by = cid};
	cr_assert_eq(actions_store_qualify(db, L[3], &q, NOW), 0);
	x = draft(bid, ACTION_NOT_STARTED, "2025-09-11");                 /* Annulée */
	x.category = NULL;
	L[4] = create_at(&x, NOW);
	struct action before = load(L[4]), after = before;
	after.status = ACTION_CANCELED;
	cr_assert_eq(change(&before, &after, NOW), 0);
	x = draft(bid, ACTION_NOT_STARTED, "2025-10-01");                 /* À faire */
	x.category = NULL;
	L[5] = create_at(&x, NOW);
	/* Another beneficiary's action is never listed. */
	x = draft(nid, ACTION_NOT_STARTED, "2025-09-20");
	L[6] = create_at(&x, NOW);
}

static int
list_ids(unsigned statuses, unsigned categories, bool asc, int offset, int limit,
	 const char **ids, int *total)
{
	struct action_filter f = {.statuses = statuses, .categories = categories, .ascending = asc};
	struct action *rows;
	int n = actions_store_list(db, a, bid, true, &f, NOW, offset, limit, &rows, total);
	cr_assert_geq(n, 0);
	for (int i = 0; i < n; i++) {
		ids[i] = rows[i].id;
		/* The SQL filter and the C rule agree. */
		if (statuses && __builtin_popcount(statuses) == 1)
			cr_assert_eq(1u << action_display(&rows[i], NOW), statuses);
	}
	return n;
}

Test(store, list_filters_sorts_and_pages)
{
	list_fixture();
	const char *ids[10];
	int total;
	/* Antichronological on the displayed date by default: 01/10, 20/09, 14/09 (done),
	 * 13/09, 12/09 (done), 11/09. */
	cr_assert_eq(list_ids(0, 0, false, 0, 10, ids, &total), 6);
	cr_assert_eq(total, 6);
	const char *desc[] = {L[5], L[0], L[2], L[1], L[3], L[4]};
	for (int i = 0; i < 6; i++)
		cr_assert_str_eq(ids[i], desc[i], "row %d", i);
	cr_assert_eq(list_ids(0, 0, true, 0, 10, ids, &total), 6);
	for (int i = 0; i < 6; i++)
		cr_assert_str_eq(ids[i], desc[5 - i], "row %d", i);
	/* Pages: total stays the number of matching rows. */
	cr_assert_eq(list_ids(0, 0, false, 0, 4, ids, &total), 4);
	cr_assert_eq(total, 6);
	cr_assert_str_eq(ids[3], L[1]);
	cr_assert_eq(list_ids(0, 0, false, 4, 4, ids, &total), 2);
	cr_assert_eq(total, 6);
	cr_assert_str_eq(ids[0], L[3]);
	cr_assert_eq(list_ids(0, 0, false, 8, 4, ids, &total), 0);
	cr_assert_eq(total, 6);
	/* Each status. */
	cr_assert_eq(list_ids(1u << DISPLAY_TODO, 0, false, 0, 10, ids, &total), 2);
	cr_assert_eq(total, 2);
	cr_assert_str_eq(ids[0], L[5]);
	cr_assert_str_eq(ids[1], L[0]);
	cr_assert_eq(list_ids(1u << DISPLAY_LATE, 0, false, 0, 10, ids, &total), 1);
	cr_assert_str_eq(ids[0], L[1]);
	cr_assert_eq(list_ids(1u << DISPLAY_TO_QUALIFY, 0, false, 0, 10, ids, &total), 1);
	cr_assert_str_eq(ids[0], L[2]);
	cr_assert_eq(list_ids(1u << DISPLAY_QUALIFIED, 0, false, 0, 10, ids, &total), 1);
	cr_assert_str_eq(ids[0], L[3]);
	cr_assert_eq(list_ids(1u << DISPLAY_CANCELED, 0, false, 0, 10, ids, &total), 1);
	cr_assert_str_eq(ids[0], L[4]);
	cr_assert_eq(list_ids(1u << DISPLAY_DONE, 0, false, 0, 10, ids, &total), 0);  /* CEJ */
	cr_assert_eq(total, 0);
	cr_assert_eq(list_ids((1u << DISPLAY_TODO) | (1u << DISPLAY_LATE), 0, false, 0, 10, ids,
			      &total), 3);
	/* Categories, "none" included. */
	cr_assert_eq(list_ids(0, 1u << 0, false, 0, 10, ids, &total), 2);   /* EMPLOI */
	cr_assert_str_eq(ids[0], L[0]);
	cr_assert_str_eq(ids[1], L[3]);
	cr_assert_eq(list_ids(0, 1u << ACTION_CATEGORY_COUNT, false, 0, 10, ids, &total), 2);
	cr_assert_str_eq(ids[0], L[5]);
	cr_assert_str_eq(ids[1], L[4]);
	cr_assert_eq(list_ids(0, (1u << 0) | (1u << ACTION_CATEGORY_COUNT), false, 0, 10, ids,
			      &total), 4);
	cr_assert_eq(list_ids(0, 1u << 4, false, 0, 10, ids, &total), 1);   /* FORMATION */
	cr_assert_str_eq(ids[0], L[2]);
	cr_assert_eq(list_ids(0, 1u << 5, false, 0, 10, ids, &total), 0);   /* LOGEMENT */
	/* Both filters together. */
	cr_assert_eq(list_ids(1u << DISPLAY_TODO, 1u << ACTION_CATEGORY_COUNT, false, 0, 10, ids,
			      &total), 1);
	cr_assert_str_eq(ids[0], L[5]);
	cr_assert_eq(total, 1);
	/* A PACEA beneficiary's done action is "Terminée", never "À qualifier". */
	const char *p = create(pid, ACTION_DONE, "2025-09-14");
	struct action_filter f = {.statuses = 1u << DISPLAY_DONE};
	struct action *rows;
	cr_assert_eq(actions_store_list(db, a, pid, false, &f, NOW, 0, 10, &rows, &total), 1);
	cr_assert_str_eq(rows[0].id, p);
	cr_assert_eq(action_display(&rows[0], NOW), DISPLAY_DONE);
	f.statuses = 1u << DISPLAY_TO_QUALIFY;
	cr_assert_eq(actions_store_list(db, a, pid, false, &f, NOW, 0, 10, &rows, &total), 0);
	/* Time moves: the À faire of 20/09 is late on the 21st. */
	struct action_filter late = {.statuses = 1u << DISPLAY_LATE};
	cr_assert_eq(actions_store_list(db, a, bid, true, &late, at("2025-09-21T08:00:00Z"), 0, 10,
					&rows, &total), 2);
}

Test(store, between_lists_by_displayed_date)
{
	list_fixture();
	struct action *rows;
	int64_t from = clock_day_at(day("2025-09-13"), 0, 0, PARIS);
	int64_t to = clock_day_at(day("2025-09-21"), 0, 0, PARIS);
	cr_assert_eq(actions_store_between(db, a, bid, from, to, &rows), 3);
	cr_assert_str_eq(rows[0].id, L[1]);
	cr_assert_str_eq(rows[1].id, L[2]);
	cr_assert_str_eq(rows[2].id, L[0]);
}

Test(store, week_counts_of_the_fiche)
{
	/* beneficiaries.md scenario 9, the fiche opened Wednesday 17 September 2025. */
	int64_t monday = day("2025-09-15");
	int64_t from = clock_day_at(monday, 0, 0, PARIS), to = clock_day_at(monday + 7, 0, 0, PARIS);
	int64_t now = at("2025-09-17T10:00:00+02:00");
	struct action x;
	/* Two created this week: one to do (Friday), one done on Tuesday. */
	x = draft(bid, ACTION_NOT_STARTED, "2025-09-19");
	create_at(&x, at("2025-09-15T11:00:00+02:00"));
	x = draft(bid, ACTION_DONE, "2025-09-16");
	create_at(&x, at("2025-09-16T18:00:00+02:00"));
	/* Last week: one due Thursday 11 still to do, one done Friday 12, one cancelled. */
	x = draft(bid, ACTION_NOT_STARTED, "2025-09-11");
	create_at(&x, at("2025-09-10T09:00:00+02:00"));
	x = draft(bid, ACTION_DONE, "2025-09-12");
	create_at(&x, at("2025-09-10T09:00:00+02:00"));
	x = draft(bid, ACTION_NOT_STARTED, "2025-09-11");
	const char *c = create_at(&x, at("2025-09-10T09:00:00+02:00"));
	struct action before = load(c), after = before;
	after.status = ACTION_CANCELED;
	cr_assert_eq(change(&before, &after, at("2025-09-10T10:00:00+02:00")), 0);
	/* Created Sunday 14 at 23:59 Paris: last week. */
	x = draft(bid, ACTION_NOT_STARTED, "2025-10-20");
	create_at(&x, at("2025-09-14T23:59:00+02:00"));
	/* Another beneficiary's actions do not count. */
	x = draft(nid, ACTION_NOT_STARTED, "2025-09-11");
	create_at(&x, at("2025-09-15T11:00:00+02:00"));

	struct action_week_counts w;
	cr_assert_eq(actions_store_week_counts(db, bid, from, to, now, &w), 0);
	cr_assert_eq(w.created, 2);
	cr_assert_eq(w.done, 1);
	cr_assert_eq(w.late, 1);
	cr_assert_eq(w.due, 2);    /* Tuesday 16 and Friday 19 */
	cr_assert_eq(w.total, 6);
	/* Late ignores the period: the same number for last week. */
	cr_assert_eq(actions_store_week_counts(db, bid, from - 7 * DAY, from, now, &w), 0);
	cr_assert_eq(w.late, 1);
	cr_assert_eq(w.created, 4);
	cr_assert_eq(w.done, 1);
	/* A beneficiary with no action: zeros. */
	cr_assert_eq(actions_store_week_counts(db, pid, from, to, now, &w), 0);
	cr_assert_eq(w.created + w.done + w.late + w.due + w.total, 0);
}

Test(store, qualify_once_and_only_done)
{
	const char *done = create(bid, ACTION_DONE, "2025-09-12");
	const char *todo = create(bid, ACTION_IN_PROGRESS, "2025-09-12");
	struct action_qualification q = {.code = "FORMATION", .hours = 3, .comment = "CV",
					 .start = "2025-09-10", .end = "2025-09-12", .by = cid,
					 .completed_at = action_due_at(day("2025-09-12"), PARIS)};
	cr_assert_eq(actions_store_qualify(db, todo, &q, NOW), -ERR_CONFLICT);
	cr_assert_null(load(todo).q_code);
	cr_assert_eq(actions_store_qualify(db, done, &q, NOW), 0);
	struct action y = load(done);
	cr_assert_str_eq(y.q_code, "FORMATION");
	cr_assert_eq(y.q_hours, 3);
	cr_assert_str_eq(y.q_comment, "CV");
	cr_assert_str_eq(y.q_start, "2025-09-10");
	cr_assert_str_eq(y.q_end, "2025-09-12");
	cr_assert_str_eq(y.started_on, "2025-09-10");
	cr_assert_str_eq(y.qualified_by, cid);
	cr_assert_eq(y.qualified_at, NOW);
	cr_assert_eq(y.completed_at, at("2025-09-12T09:30:00+02:00"));
	struct action_qualification non = {.code = "NON_SNP", .by = cid};
	cr_assert_eq(actions_store_qualify(db, done, &non, NOW + 1), -ERR_CONFLICT);
	cr_assert_eq(actions_store_qualify(db, done, &q, NOW + 1), -ERR_CONFLICT);
	cr_assert_str_eq(load(done).q_code, "FORMATION");
}

Test(store, qualify_lock_is_exclusive)
{
	const char *id = create(bid, ACTION_DONE, "2025-09-12");
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW, NOW + 2 * MINUTE), 0);
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW + SECOND, NOW + 3 * MINUTE),
		     -ERR_CONFLICT);
	/* An expired lock (a crashed request) may be taken over. */
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW + 2 * MINUTE, NOW + 4 * MINUTE), 0);
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW + 3 * MINUTE, NOW + 5 * MINUTE),
		     -ERR_CONFLICT);
	cr_assert_eq(actions_store_unlock_qualify(db, id), 0);
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW + 3 * MINUTE, NOW + 5 * MINUTE), 0);
	/* A saved qualification releases it, and a qualified action cannot be locked. */
	struct action_qualification q = {.code = "NON_SNP", .by = cid};
	cr_assert_eq(actions_store_qualify(db, id, &q, NOW), 0);
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW + 10 * MINUTE, NOW + 12 * MINUTE),
		     -ERR_CONFLICT);
	cr_assert_eq(actions_store_lock_qualify(db, "nope", NOW, NOW + MINUTE), -ERR_CONFLICT);
	const char *login;
	cr_assert_eq(actions_store_counselor_login(db, a, cid, &login), 0);
	cr_assert_str_eq(login, "cmartin");
	cr_assert_eq(actions_store_counselor_login(db, a, cid2, &login), 0);
	cr_assert_null(login);
	cr_assert_eq(actions_store_counselor_login(db, a, "nope", &login), 0);
	cr_assert_null(login);
}

Test(store, to_qualify_lists_the_counselors_cej_done_unqualified)
{
	struct action x;
	x = draft(bid, ACTION_DONE, "2025-09-10");                 /* Dupont, 10/09, EMPLOI */
	const char *d1 = create_at(&x, NOW);
	x = draft(rid, ACTION_DONE, "2025-09-12");                 /* Bernard, 12/09, SANTE */
	x.category = "SANTE";
	const char *r1 = create_at(&x, NOW);
	x = draft(bid, ACTION_DONE, "2025-09-14");                 /* Dupont, 14/09, EMPLOI */
	const char *d2 = create_at(&x, NOW);
	/* Not listed: PACEA, another counselor's, not done, qualified. */
	create(pid, ACTION_DONE, "2025-09-11");
	create(oid, ACTION_DONE, "2025-09-11");
	create(bid, ACTION_IN_PROGRESS, "2025-09-11");
	const char *q = create(bid, ACTION_DONE, "2025-09-11");
	struct action_qualification non = {.code = "NON_SNP", .by = cid};
	cr_assert_eq(actions_store_qualify(db, q, &non, NOW), 0);

	struct action_to_qualify *rows;
	int total;
	/* "Date de réalisation", chronological by default. */
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 0, PILOTAGE_BY_DATE, 0, 10, &rows, &total),
		     3);
	cr_assert_eq(total, 3);
	cr_assert_str_eq(rows[0].a.id, d1);
	cr_assert_str_eq(rows[1].a.id, r1);
	cr_assert_str_eq(rows[2].a.id, d2);
	cr_assert_str_eq(rows[0].last_name, "Dupont");
	cr_assert_str_eq(rows[0].first_name, "Élodie");
	cr_assert_str_eq(rows[1].a.timezone, REUNION);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(action_display(&rows[i].a, NOW), DISPLAY_TO_QUALIFY);
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 0, PILOTAGE_BY_DATE_DESC, 0, 10, &rows,
					      &total), 3);
	cr_assert_str_eq(rows[0].a.id, d2);
	cr_assert_str_eq(rows[2].a.id, d1);
	/* "Bénéficiaire" A→Z and Z→A. */
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 0, PILOTAGE_BY_NAME, 0, 10, &rows, &total),
		     3);
	cr_assert_str_eq(rows[0].a.id, r1);
	cr_assert_str_eq(rows[1].a.id, d1);
	cr_assert_str_eq(rows[2].a.id, d2);
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 0, PILOTAGE_BY_NAME_DESC, 0, 10, &rows,
					      &total), 3);
	cr_assert_str_eq(rows[0].last_name, "Dupont");
	cr_assert_str_eq(rows[2].a.id, r1);
	/* Category filter, pages. */
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 1u << 6, PILOTAGE_BY_DATE, 0, 10, &rows,
					      &total), 1);
	cr_assert_str_eq(rows[0].a.id, r1);
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 0, PILOTAGE_BY_DATE, 2, 2, &rows, &total),
		     1);
	cr_assert_eq(total, 3);
	cr_assert_str_eq(rows[0].a.id, d2);
	/* Names sort without accents or case: "Éluard" between "Dupont" and "martin". */
	const char *e = add_beneficiary(sid, cid, "Éluard", "Paul", "CEJ", true);
	const char *m = add_beneficiary(sid, cid, "martin", "Zoé", "CEJ", true);
	x = draft(e, ACTION_DONE, "2025-09-09");
	const char *e1 = create_at(&x, NOW);
	x = draft(m, ACTION_DONE, "2025-09-09");
	const char *m1 = create_at(&x, NOW);
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 0, PILOTAGE_BY_NAME, 0, 10, &rows, &total),
		     5);
	const char *by_name[] = {r1, d1, d2, e1, m1};
	for (int i = 0; i < 5; i++)
		cr_assert_str_eq(rows[i].a.id, by_name[i], "row %d: %s", i, rows[i].last_name);
	cr_assert_eq(actions_store_to_qualify(db, a, cid, 0, PILOTAGE_BY_NAME_DESC, 0, 10, &rows,
					      &total), 5);
	cr_assert_str_eq(rows[0].a.id, m1);
	cr_assert_str_eq(rows[1].a.id, e1);
	cr_assert_str_eq(rows[4].a.id, r1);
	/* The other counselor sees only theirs. */
	cr_assert_eq(actions_store_to_qualify(db, a, cid2, 0, PILOTAGE_BY_DATE, 0, 10, &rows,
					      &total), 1);
	cr_assert_str_eq(rows[0].last_name, "Autre");
}

/* The counters and the copy of the counselor kept by triggers (0021_page_summaries.sql)
 * equal what they stand for, for every beneficiary, and the pages' readers agree. */
static void
summaries_match_the_actions(void)
{
	int64_t n = 0;
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM beneficiary b WHERE "
		"b.action_count <> (SELECT count(*) FROM action x WHERE x.beneficiary_id = b.id) "
		"OR b.to_qualify <> (SELECT count(*) FROM action x WHERE x.beneficiary_id = b.id "
		"  AND x.status = 'done' AND x.q_code IS NULL) "
		"OR EXISTS (SELECT 1 FROM action x WHERE x.beneficiary_id = b.id "
		"  AND x.counselor_id IS DISTINCT FROM b.counselor_id)");
	cr_assert_not_null(st);
	n = db_run_int(st);
	cr_assert_eq(n, 0, "%d beneficiaries out of step", (int)n);
	const char *counselors[] = {cid, cid2};
	for (size_t i = 0; i < G_N_ELEMENTS(counselors); i++) {
		st = db_prepare(db, "SELECT count(*) FROM action x JOIN beneficiary b "
				    "ON b.id = x.beneficiary_id WHERE b.counselor_id = $1 "
				    "AND b.deleted_at IS NULL AND b.dispositif = 'CEJ' "
				    "AND x.status = 'done' AND x.q_code IS NULL");
		db_bind_text(st, 1, counselors[i]);
		int64_t expected = db_run_int(st);
		struct action_to_qualify *rows;
		int total = -1;
		cr_assert_eq(actions_store_to_qualify(db, a, counselors[i], 0, PILOTAGE_BY_DATE, 0, 0,
						      &rows, &total), 0);
		cr_assert_eq(total, expected, "counselor %zu", i);
		int listed = actions_store_to_qualify(db, a, counselors[i], 0, PILOTAGE_BY_DATE_DESC, 0,
						      100, &rows, &total);
		cr_assert_eq(listed, expected, "the list has what the tile counts");
		for (int k = 1; k < listed; k++)
			cr_assert_geq(rows[k - 1].a.completed_at, rows[k].a.completed_at);
	}
}

Test(store, counters_follow_inserts_changes_qualification_deletion_and_reassignment)
{
	summaries_match_the_actions();
	const char *d1 = create(bid, ACTION_DONE, "2025-09-10");
	const char *o1 = create(bid, ACTION_NOT_STARTED, "2025-09-20");
	create(pid, ACTION_DONE, "2025-09-11");              /* PACEA: counted, not listed */
	create(oid, ACTION_DONE, "2025-09-12");
	const char *r1 = create(rid, ACTION_IN_PROGRESS, "2025-09-13");
	summaries_match_the_actions();
	/* The fiche's two totals read the counter. */
	struct action_week_counts c;
	cr_assert_eq(actions_store_week_counts(db, bid, NOW - 7 * DAY, NOW + 7 * DAY, NOW, &c), 0);
	cr_assert_eq(c.total, 2);
	struct action *list;
	struct action_filter none = {0};
	int tab = -1;
	cr_assert_eq(actions_store_list(db, a, bid, true, &none, NOW, 0, 10, &list, &tab), 2);
	cr_assert_eq(tab, 2);
	/* Done → in progress → done again (the form), then qualified. */
	struct action before = load(d1), after = before;
	after.status = ACTION_IN_PROGRESS;
	after.completed_at = 0;
	cr_assert_eq(change(&before, &after, NOW), 0);
	summaries_match_the_actions();
	before = load(d1);
	after = before;
	after.status = ACTION_DONE;
	after.completed_at = NOW - DAY;
	cr_assert_eq(change(&before, &after, NOW), 0);
	before = load(r1);
	after = before;
	after.status = ACTION_DONE;
	after.completed_at = NOW - 2 * DAY;
	cr_assert_eq(change(&before, &after, NOW), 0);
	summaries_match_the_actions();
	struct action_qualification non = {.code = "NON_SNP", .by = cid};
	cr_assert_eq(actions_store_qualify(db, d1, &non, NOW), 0);
	summaries_match_the_actions();
	/* Deletion, a reassignment, an archived (deleted) account, the purge. */
	cr_assert_eq(actions_store_delete(db, o1), 0);
	summaries_match_the_actions();
	cr_assert_eq(actions_store_week_counts(db, bid, NOW - 7 * DAY, NOW + 7 * DAY, NOW, &c), 0);
	cr_assert_eq(c.total, 1);
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET counselor_id = $2 WHERE id = $1");
	db_bind_text(st, 1, rid);
	db_bind_text(st, 2, cid2);
	cr_assert_eq(db_run(st), 0);
	summaries_match_the_actions();
	struct action_to_qualify *rows;
	int total;
	cr_assert_eq(actions_store_to_qualify(db, a, cid2, 0, PILOTAGE_BY_DATE, 0, 10, &rows, &total),
		     2, "the reassigned beneficiary's action follows");
	cr_assert_eq(total, 2);
	st = db_prepare(db, "UPDATE beneficiary SET deleted_at = $2 WHERE id = $1");
	db_bind_text(st, 1, oid);
	db_bind_int64(st, 2, NOW);
	cr_assert_eq(db_run(st), 0);
	summaries_match_the_actions();
	cr_assert_eq(actions_purge_beneficiary(db, rid), 0);
	summaries_match_the_actions();
	cr_assert_eq(actions_store_to_qualify(db, a, cid2, 0, PILOTAGE_BY_DATE, 0, 0, &rows, &total),
		     0);
	cr_assert_eq(total, 0);
}

/* ---- Jobs ---- */

Test(jobs, j3_reminder_sends_once)
{
	/* Scenario 3: due in 10 days; 7 days later at 09:30 "Rappel action". */
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	int64_t run = j3_at(id);
	cr_assert_eq(run, at("2025-09-22T09:30:00+02:00"));
	cr_assert_eq(run_jobs(run - 1), 0);
	cr_assert_eq(notif_count(bid, "ACTION_REMINDER"), 0);
	cr_assert_eq(run_jobs(run), 1);
	cr_assert_eq(j3_at(id), 0);   /* done: gone */
	struct notification n = the_notif(bid, "ACTION_REMINDER", run);
	cr_assert_str_eq(n.title, "Rappel action");
	cr_assert_str_eq(n.body, "Une action arrive à échéance dans 3 jours");
	cr_assert_str_eq(n.url, arena_printf(a, "/app/actions/%s", id));
	cr_assert(n.push);
	cr_assert_eq(n.created_at, run);
	/* Re-run (at least once delivery): the key absorbs it. */
	char *payload = arena_printf(a, "{\"id\":\"%s\"}", id);
	cr_assert_eq(jobs_schedule(db, run, "action_reminder", j3_key(id), payload, run), 0);
	cr_assert_eq(run_jobs(run + MINUTE), 1);
	cr_assert_eq(notif_count(bid, "ACTION_REMINDER"), 1);
	cr_assert_eq(notifications_unseen(db, bid, run + MINUTE), 2);   /* with NEW_ACTION */
}

Test(jobs, j3_reminder_gated_by_rappels_at_send_time)
{
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	set_pref(bid, "pref_rappel_actions", 0);   /* after planning: read at send time */
	int64_t run = j3_at(id);
	cr_assert_eq(run_jobs(run), 1);
	struct notification n = the_notif(bid, "ACTION_REMINDER", run);
	cr_assert_not(n.push);                      /* the centre entry is still there */
}

Test(jobs, j3_reminder_nothing_when_done_before)
{
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	int64_t run = j3_at(id);
	struct action before = load(id), after = before;
	after.status = ACTION_DONE;
	cr_assert_eq(change(&before, &after, NOW + DAY), 0);
	cr_assert_eq(j3_at(id), 0);
	cr_assert_eq(run_jobs(run), 0);
	cr_assert_eq(notif_count(bid, "ACTION_REMINDER"), 0);
	/* Even if a stale job ran (planned before the change), the send-time check drops it. */
	char *payload = arena_printf(a, "{\"id\":\"%s\"}", id);
	cr_assert_eq(jobs_schedule(db, NOW, "action_reminder", j3_key(id), payload, run), 0);
	cr_assert_eq(run_jobs(run), 1);
	cr_assert_eq(notif_count(bid, "ACTION_REMINDER"), 0);
	int pending, dead;
	cr_assert_eq(jobs_count(db, "action_reminder", &pending, &dead), 0);
	cr_assert_eq(pending + dead, 0);   /* ended silently, not retried */
}

Test(jobs, j3_reminder_rechecks_at_send_time)
{
	/* Reminder switched off, due date moved, action deleted or account never activated:
	 * the stale job ends without an entry. */
	const char *ids[4];
	for (int i = 0; i < 4; i++)
		ids[i] = create(i == 3 ? nid : bid, ACTION_NOT_STARTED, "2025-09-25");
	int64_t run = j3_at(ids[0]);
	struct action x = load(ids[0]);
	x.reminder = false;
	cr_assert_eq(actions_store_update(db, &x), 0);   /* the job stays: a stale plan */
	x = load(ids[1]);
	x.due_at = action_due_at(day("2025-09-26"), PARIS);
	cr_assert_eq(actions_store_update(db, &x), 0);
	x = load(ids[2]);
	cr_assert_eq(actions_store_delete(db, ids[2]), 0);
	cr_assert_eq(run_jobs(run), 4);
	cr_assert_eq(notif_count(bid, "ACTION_REMINDER"), 0);
	cr_assert_eq(notif_count(nid, "ACTION_REMINDER"), 0);
	int pending, dead;
	cr_assert_eq(jobs_count(db, "action_reminder", &pending, &dead), 0);
	cr_assert_eq(pending + dead, 0);
	/* A job that runs a day late (the server was down) is dropped too. */
	const char *late = create(bid, ACTION_NOT_STARTED, "2025-09-26");
	run = j3_at(late);
	cr_assert_eq(run_jobs(run + DAY), 1);
	cr_assert_eq(notif_count(bid, "ACTION_REMINDER"), 0);
}

Test(jobs, j3_reminder_across_dst_and_overseas)
{
	/* Planned in March for 1 April: runs Saturday 29 March at 09:30 CET. */
	struct action x = draft(bid, ACTION_NOT_STARTED, "2025-04-01");
	const char *id = create_at(&x, at("2025-03-20T10:00:00+01:00"));
	int64_t run = j3_at(id);
	cr_assert_eq(run, at("2025-03-29T09:30:00+01:00"));
	cr_assert_eq(run_jobs(run), 1);
	cr_assert_eq(notif_count(bid, "ACTION_REMINDER"), 1);
	/* La Réunion: 09:30 there is 05:30Z, three Réunion days before. */
	x = draft(rid, ACTION_IN_PROGRESS, "2025-09-25");
	id = create_at(&x, NOW);
	run = j3_at(id);
	cr_assert_eq(run, at("2025-09-22T05:30:00Z"));
	cr_assert_eq(run_jobs(run), 1);
	cr_assert_eq(notif_count(rid, "ACTION_REMINDER"), 1);
}

Test(jobs, auto_non_snp_at_six)
{
	int64_t before = at("2025-03-01T10:00:00+01:00");
	struct action x;
	const char *c[6];
	const char *who[] = {bid, bid, pid, bid, bid, bid};
	const char *due[] = {"2025-03-14", "2025-03-17", "2025-03-14", "2025-03-14", "2025-03-10",
			     "2025-03-01"};
	enum action_status st[] = {ACTION_IN_PROGRESS, ACTION_IN_PROGRESS, ACTION_IN_PROGRESS,
				   ACTION_NOT_STARTED, ACTION_DONE, ACTION_DONE};
	for (int i = 0; i < 6; i++) {
		x = draft(who[i], st[i], due[i]);
		x.reminder = false;
		c[i] = create_at(&x, before);
	}
	/* c[3] cancelled, c[5] qualified SNP by its counselor. */
	struct action b = load(c[3]), after = b;
	after.status = ACTION_CANCELED;
	cr_assert_eq(change(&b, &after, before), 0);
	struct action_qualification snp = {.code = "FORMATION", .hours = 3, .comment = "x",
					   .start = "2025-03-01", .end = "2025-03-01", .by = cid};
	cr_assert_eq(actions_store_qualify(db, c[5], &snp, before), 0);

	/* Planned daily at 06:00 Paris. */
	cr_assert_eq(actions_jobs_plan(db, at("2025-07-14T12:00:00Z")), 0);
	cr_assert_eq(actions_jobs_plan(db, at("2025-07-14T12:00:00Z")), 0);   /* idempotent */
	struct job j;
	cr_assert_eq(jobs_find(db, a, "actions:auto-non-snp", &j), 0);
	cr_assert_str_eq(j.kind, "actions_auto_non_snp");
	int64_t six = at("2025-07-15T06:00:00+02:00");
	cr_assert_eq(j.run_at, six);
	cr_assert_eq(jobs_find(db, a, "notifications:purge", &j), 0);
	cr_assert_str_eq(j.kind, "notifications_purge");
	run_jobs(six);

	/* Scenario 10: 4 months + 1 day, in progress → done and NON_SNP, by the system. */
	struct action y = load(c[0]);
	cr_assert_eq(y.status, ACTION_DONE);
	cr_assert_eq(y.completed_at, six);
	cr_assert_str_eq(y.q_code, "NON_SNP");
	cr_assert_eq(y.q_hours, 0);
	cr_assert_str_eq(y.qualified_by, "system");
	cr_assert_eq(y.qualified_at, six);
	cr_assert_null(y.q_comment);
	cr_assert_null(y.q_start);
	cr_assert_eq(action_display(&y, six), DISPLAY_QUALIFIED);
	/* 3 months 29 days, PACEA, cancelled: untouched. */
	y = load(c[1]);
	cr_assert_eq(y.status, ACTION_IN_PROGRESS);
	cr_assert_null(y.q_code);
	y = load(c[2]);
	cr_assert_eq(y.status, ACTION_IN_PROGRESS);
	cr_assert_null(y.q_code);
	y = load(c[3]);
	cr_assert_eq(y.status, ACTION_CANCELED);
	cr_assert_null(y.q_code);
	/* Already done: qualified, completion date kept. */
	y = load(c[4]);
	cr_assert_str_eq(y.q_code, "NON_SNP");
	cr_assert_eq(y.completed_at, at("2025-03-10T09:30:00+01:00"));
	/* Already qualified by the counselor: untouched. */
	y = load(c[5]);
	cr_assert_str_eq(y.q_code, "FORMATION");
	cr_assert_str_eq(y.qualified_by, cid);

	/* The next day's run changes nothing that was done (idempotent). */
	cr_assert_eq(jobs_find(db, a, "actions:auto-non-snp", &j), 0);
	cr_assert_eq(j.run_at, at("2025-07-16T06:00:00+02:00"));
	run_jobs(j.run_at);
	y = load(c[0]);
	cr_assert_eq(y.qualified_at, six);
	cr_assert_eq(y.completed_at, six);
	cr_assert_null(load(c[1]).q_code);   /* 16 July − 4 months = 16 March, 06:00 < 17 March */
	/* And a run on the 18th catches it. */
	cr_assert_eq(jobs_find(db, a, "actions:auto-non-snp", &j), 0);
	run_jobs(j.run_at);
	cr_assert_eq(jobs_find(db, a, "actions:auto-non-snp", &j), 0);
	cr_assert_eq(j.run_at, at("2025-07-18T06:00:00+02:00"));
	run_jobs(j.run_at);
	y = load(c[1]);
	cr_assert_str_eq(y.q_code, "NON_SNP");
	cr_assert_eq(y.completed_at, at("2025-07-18T06:00:00+02:00"));
	int dead;
	cr_assert_eq(jobs_count(db, NULL, NULL, &dead), 0);
	cr_assert_eq(dead, 0);
}

Test(jobs, notifications_purge_after_ten_days)
{
	int64_t now = NOW;
	cr_assert_eq(notifications_add(db, now - 11 * DAY, bid, NOTIF_ACTION_UPDATED, "k1", "/a"), 0);
	cr_assert_eq(notifications_add(db, now - 10 * DAY - MINUTE, bid, NOTIF_ACTION_UPDATED, "k2",
				       "/a"), 0);
	cr_assert_eq(notifications_add(db, now - 10 * DAY + HOUR, bid, NOTIF_ACTION_UPDATED, "k3",
				       "/a"), 0);
	cr_assert_eq(notifications_add(db, now - DAY, bid, NOTIF_ACTION_UPDATED, "k4", "/a"), 0);
	cr_assert_eq(notifications_add(db, now - 11 * DAY, nid, NOTIF_ACTION_UPDATED, "k1", "/a"), 0);
	/* The centre never shows what is older than 10 days, purged or not. */
	struct notification *list;
	cr_assert_eq(notifications_list(db, a, bid, now, &list), 2);
	cr_assert_eq(jobs_schedule(db, now, "notifications_purge", "notifications:purge", NULL, now),
		     0);
	cr_assert_eq(run_jobs(now), 1);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM notification");
	cr_assert_eq(db_run_int(st), 2);
	cr_assert_eq(notifications_list(db, a, bid, now, &list), 2);
	cr_assert_eq(notif_count(nid, "ACTION_UPDATED"), 0);
	/* notifications.md scenario 11: 11 days later, everything is gone. */
	cr_assert_eq(notifications_purge(db, now + 11 * DAY), 2);
	cr_assert_eq(notifications_purge(db, now + 11 * DAY), 0);
	cr_assert_eq(notifications_list(db, a, bid, now + 11 * DAY, &list), 0);
}

Test(jobs, centre_list_unseen_and_mark_seen)
{
	int64_t now = NOW;
	cr_assert_eq(notifications_add(db, now - HOUR, bid, NOTIF_NEW_ACTION, "NEW_ACTION:x", "/app/actions/x"), 0);
	cr_assert_eq(notifications_add(db, now, bid, NOTIF_ACTION_REMINDER, "ACTION_REMINDER:x:1", "/app/actions/x"), 0);
	/* Same key again: nothing new (notifications.md §4). */
	cr_assert_eq(notifications_add(db, now + MINUTE, bid, NOTIF_ACTION_REMINDER, "ACTION_REMINDER:x:1", "/app/actions/x"), 0);
	/* Unknown or deleted beneficiary: nothing, no error. */
	cr_assert_eq(notifications_add(db, now, "nope", NOTIF_NEW_ACTION, "NEW_ACTION:y", "/y"), 0);
	struct notification *list;
	cr_assert_eq(notifications_list(db, a, bid, now + MINUTE, &list), 2);
	cr_assert_str_eq(list[0].type, "ACTION_REMINDER");   /* newest first */
	cr_assert_str_eq(list[1].type, "NEW_ACTION");
	cr_assert_eq(list[0].created_at, now);
	cr_assert_eq(notifications_unseen(db, bid, now + MINUTE), 2);
	cr_assert_eq(notifications_unseen(db, nid, now + MINUTE), 0);
	cr_assert_eq(notifications_mark_seen(db, bid, now + 2 * MINUTE), 0);
	cr_assert_eq(notifications_unseen(db, bid, now + 2 * MINUTE), 0);
	cr_assert_eq(notifications_list(db, a, bid, now + 2 * MINUTE, &list), 2);
	cr_assert(list[0].seen && list[1].seen);
	cr_assert_eq(notifications_add(db, now + 3 * MINUTE, bid, NOTIF_ACTION_UPDATED, "ACTION_UPDATED:c", "/app/actions/x"), 0);
	cr_assert_eq(notifications_unseen(db, bid, now + 3 * MINUTE), 1);
	cr_assert_eq(notifications_list(db, a, bid, now + 3 * MINUTE, &list), 3);
	cr_assert_not(list[0].seen);
	/* Unseen counts only the 10 days of the centre. */
	cr_assert_eq(notifications_unseen(db, bid, now + 11 * DAY), 0);
	cr_assert_eq(notifications_purge_beneficiary(db, bid), 0);
	cr_assert_eq(notifications_list(db, a, bid, now + 3 * MINUTE, &list), 0);
}

/* ---- Qualification use case (no i-milo client: NULL) ---- */

static int
qualify(const char *id, const char *login, const struct qualify_input *in, const char **msg)
{
	struct refusal why = {0};
	int rc = actions_qualify(db, NULL, a, NOW, cid, login, "1234", id, in, &why);
	*msg = why.message;
	/* What the counselor is told comes with the status of the outcome. */
	if (why.message)
		cr_assert_eq(why.status, err_http_status(rc));
	return rc;
}

Test(qualify, non_snp_saves_zero_hours_without_imilo)
{
	const char *id = create(bid, ACTION_DONE, "2025-09-12");
	struct qualify_input in = {.code = "NON_SNP"};
	const char *msg;
	/* A login or not, NON_SNP never needs i-milo. */
	cr_assert_eq(qualify(id, NULL, &in, &msg), 0);
	cr_assert_null(msg);
	struct action y = load(id);
	cr_assert_str_eq(y.q_code, "NON_SNP");
	cr_assert_eq(y.q_hours, 0);
	cr_assert_null(y.q_comment);
	cr_assert_null(y.q_start);
	cr_assert_null(y.q_end);
	cr_assert_null(y.started_on);
	cr_assert_str_eq(y.qualified_by, cid);
	cr_assert_eq(y.qualified_at, NOW);
	cr_assert_eq(y.completed_at, at("2025-09-12T09:30:00+02:00"));   /* unchanged */
	cr_assert_eq(action_display(&y, NOW), DISPLAY_QUALIFIED);
	/* Twice: refused. */
	cr_assert_eq(qualify(id, "cmartin", &in, &msg), -ERR_INVAL);
	cr_assert_str_eq(msg, "Cette action est déjà qualifiée.");
	/* An SNP after it too. */
	struct qualify_input snp = {"EMPLOI", "CV", "2025-09-12", "2025-09-12"};
	cr_assert_eq(qualify(id, "cmartin", &snp, &msg), -ERR_INVAL);
	cr_assert_str_eq(msg, "Cette action est déjà qualifiée.");
}

Test(qualify, eligibility_messages)
{
	struct qualify_input in = {.code = "NON_SNP"};
	const char *msg;
	/* Scenario 9: PACEA. */
	const char *p = create(pid, ACTION_DONE, "2025-09-12");
	cr_assert_eq(qualify(p, "cmartin", &in, &msg), -ERR_INVAL);
	cr_assert_str_eq(msg, "Les actions des bénéficiaires PACEA ne sont pas qualifiables.");
	cr_assert_null(load(p).q_code);
	const char *t = create(bid, ACTION_IN_PROGRESS, "2025-09-12");
	cr_assert_eq(qualify(t, "cmartin", &in, &msg), -ERR_INVAL);
	cr_assert_str_eq(msg, "Seule une action terminée peut être qualifiée.");
	cr_assert_eq(qualify("nope", "cmartin", &in, &msg), -ERR_NOTFOUND);
	/* Form errors come before any i-milo concern. */
	const char *d = create(bid, ACTION_DONE, "2025-09-12");
	struct qualify_input bad = {"FORMATION", "CV", "2025-09-12", "2025-09-16"};
	cr_assert_eq(qualify(d, "cmartin", &bad, &msg), -ERR_INVAL);
	cr_assert_str_eq(msg, "La date de fin de l’action ne peut pas être postérieure à aujourd’hui.");
	bad.end = "2025-09-11";
	cr_assert_eq(qualify(d, NULL, &bad, &msg), -ERR_INVAL);
	cr_assert_str_eq(msg, "La date de début de l’action doit être antérieure ou égale à la date de fin.");
	cr_assert_null(load(d).q_code);
}

Test(qualify, snp_with_unknown_login_never_calls_imilo)
{
	const char *id = create(bid, ACTION_DONE, "2025-09-12");
	struct qualify_input in = {"FORMATION", "Mettre à jour son CV", "2025-09-12", "2025-09-12"};
	const char *msg;
	/* The client is NULL: a call to i-milo would crash. */
	cr_assert_eq(qualify(id, NULL, &in, &msg), -ERR_INVAL);
	cr_assert_str_eq(msg, "Votre identifiant i-milo est inconnu, reconnectez-vous.");
	struct action y = load(id);
	cr_assert_null(y.q_code);
	cr_assert_eq(action_display(&y, NOW), DISPLAY_TO_QUALIFY);
	/* No lock left behind. */
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW, NOW + MINUTE), 0);
}

Test(qualify, non_snp_refused_while_an_snp_is_being_sent)
{
	/* §5 step 2: while an SNP request holds the lock (its i-milo call in flight), a second
	 * request fails; a NON_SNP saved meanwhile would contradict what i-milo receives. */
	const char *id = create(bid, ACTION_DONE, "2025-09-12");
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW - SECOND, NOW + 2 * MINUTE), 0);
	struct qualify_input in = {.code = "NON_SNP"};
	const char *msg;
	cr_assert_eq(qualify(id, "cmartin", &in, &msg), -ERR_INVAL);  /* "Cette action est déjà qualifiée." is a 400 */
	cr_assert_str_eq(msg, "Cette action est déjà qualifiée.");
	cr_assert_null(load(id).q_code);
	/* Once released, it goes through. */
	cr_assert_eq(actions_store_unlock_qualify(db, id), 0);
	cr_assert_eq(qualify(id, "cmartin", &in, &msg), 0);
	cr_assert_str_eq(load(id).q_code, "NON_SNP");
}

Test(qualify, no_status_change_while_an_snp_is_being_sent)
{
	/* Moving the action out of done during the i-milo call would make the save after
	 * i-milo's answer fail: the lock keeps the row as it was. */
	const char *id = create(bid, ACTION_DONE, "2025-09-12");
	cr_assert_eq(actions_store_lock_qualify(db, id, NOW - SECOND, NOW + 2 * MINUTE), 0);
	struct action before = load(id), after = before;
	after.status = ACTION_IN_PROGRESS;
	cr_assert_eq(change(&before, &after, NOW), -ERR_CONFLICT);
	cr_assert_eq(load(id).status, ACTION_DONE);
	/* The lock expired (the request died): changes go through again. */
	after = before;
	after.status = ACTION_IN_PROGRESS;
	cr_assert_eq(change(&before, &after, NOW + 2 * MINUTE), 0);
	cr_assert_eq(load(id).status, ACTION_IN_PROGRESS);
}

Test(qualify, auto_non_snp_leaves_an_action_being_sent_alone)
{
	struct action x = draft(bid, ACTION_IN_PROGRESS, "2025-03-14");
	x.reminder = false;
	const char *id = create_at(&x, at("2025-03-01T10:00:00+01:00"));
	struct action d = draft(bid, ACTION_DONE, "2025-03-13");
	const char *done = create_at(&d, at("2025-03-01T10:00:00+01:00"));
	struct action o = draft(bid, ACTION_IN_PROGRESS, "2025-03-12");
	o.reminder = false;
	const char *open = create_at(&o, at("2025-03-01T10:00:00+01:00"));
	int64_t six = at("2025-07-15T06:00:00+02:00");
	cr_assert_eq(actions_store_lock_qualify(db, done, six - SECOND, six + 2 * MINUTE), 0);
	/* Only a done action can be locked: an SNP is sent for done actions only. */
	cr_assert_eq(actions_store_lock_qualify(db, open, six - SECOND, six + 2 * MINUTE),
		     -ERR_CONFLICT);
	cr_assert_eq(jobs_schedule(db, six, "actions_auto_non_snp", "t", NULL, six), 0);
	cr_assert_eq(run_jobs(six), 1);
	cr_assert_null(load(done).q_code);            /* left to the SNP in flight */
	cr_assert_str_eq(load(open).q_code, "NON_SNP");
	cr_assert_str_eq(load(id).q_code, "NON_SNP");
	int dead;
	cr_assert_eq(jobs_count(db, NULL, NULL, &dead), 0);
	cr_assert_eq(dead, 0);
	/* The next day, the lock long gone, it is caught. */
	int64_t next = six + DAY;
	cr_assert_eq(jobs_schedule(db, next, "actions_auto_non_snp", "t", NULL, next), 0);
	cr_assert_eq(run_jobs(next), 1);
	cr_assert_str_eq(load(done).q_code, "NON_SNP");
	cr_assert_eq(load(open).status, ACTION_DONE);
}

/* ---- Use cases of the pages: their own transaction, their refusals ---- */

/* A beneficiary-created action of @ben (their own, "En cours"). */
static const char *
create_own(const char *ben, const char *due_day)
{
	struct action x = draft(ben, ACTION_IN_PROGRESS, due_day);
	x.by_counselor = false;
	x.creator_id = ben;
	cr_assert_eq(actions_add(db, a, NOW, &x), 0);
	return x.id;
}

Test(store, add_runs_its_own_transaction)
{
	struct action x = draft(bid, ACTION_NOT_STARTED, "2025-09-25");
	cr_assert_eq(actions_add(db, a, NOW, &x), 0);
	cr_assert_str_eq(load(x.id).title, "Mettre à jour son CV");
	cr_assert_neq(j3_at(x.id), 0);
	/* Committed: another transaction may begin. */
	cr_assert_eq(db_tx_begin(db), 0);
	db_tx_rollback(db);
}

Test(store, delete_refusals_in_the_words_of_each_side)
{
	struct refusal why = {0};
	const char *theirs = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	const char *own = create_own(bid, "2025-09-25");
	/* The beneficiary and their counselor's action: 403, said. */
	cr_assert_eq(actions_delete(db, a, ACTOR_BENEFICIARY, theirs, bid, &why), -ERR_FORBIDDEN);
	cr_assert_eq(why.status, 403);
	cr_assert_str_eq(why.message, "Cette action a été créée par ton conseiller : lui seul peut la supprimer.");
	/* The counselor and the beneficiary's action: the 403 page alone. */
	why = (struct refusal){0};
	cr_assert_eq(actions_delete(db, a, ACTOR_COUNSELOR, own, bid, &why), -ERR_FORBIDDEN);
	cr_assert_null(why.message);
	/* Someone else's action does not exist for them. */
	cr_assert_eq(actions_delete(db, a, ACTOR_BENEFICIARY, own, oid, &why), -ERR_NOTFOUND);
	cr_assert_eq(why.status, 404);
	cr_assert_str_eq(why.title, "Action introuvable");
	cr_assert_str_eq(why.message, "Cet élément n’est plus disponible.");
	why = (struct refusal){0};
	cr_assert_eq(actions_delete(db, a, ACTOR_COUNSELOR, "nope", bid, &why), -ERR_NOTFOUND);
	cr_assert_null(why.message);
	/* Commented since the page was shown: read again inside the transaction, refused. */
	struct action x = load(own);
	struct action_comment c = {.author_id = bid, .first_name = "Élodie", .last_name = "Dupont",
				   .body = "Une question", .by_counselor = false};
	cr_assert_eq(actions_comment(db, NULL, a, NOW, &x, &c, &why), 0);
	cr_assert_eq(actions_delete(db, a, ACTOR_BENEFICIARY, own, bid, &why), -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.title, "Suppression impossible");
	cr_assert_str_eq(why.message, "Vous ne pouvez pas supprimer une action terminée, qualifiée ou commentée.");
	cr_assert_str_eq(load(own).id, own);
	/* The counselor deletes theirs, and its reminder goes with it. */
	cr_assert_eq(actions_delete(db, a, ACTOR_COUNSELOR, theirs, bid, &why), 0);
	cr_assert_eq(actions_store_load(db, a, theirs, &x), -ERR_NOTFOUND);
	cr_assert_eq(j3_at(theirs), 0);
}

Test(store, status_changes_for_each_side)
{
	struct refusal why = {0};
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	struct action x = load(id);
	/* The counselor saves "À faire" again: nothing to do, no refusal. */
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_COUNSELOR, &x, false, 0, &why), 0);
	cr_assert_null(why.message);
	/* The beneficiary is told. */
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_BENEFICIARY, &x, false, 0, &why), -ERR_INVAL);
	cr_assert_str_eq(why.title, "Action non modifiée");
	cr_assert_str_eq(why.message, "Cette action n’est pas terminée.");
	/* Done on the day they chose, the reminder cancelled. */
	int64_t on = action_due_at(day("2025-09-14"), PARIS);
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_BENEFICIARY, &x, true, on, &why), 0);
	struct action y = load(id);
	cr_assert_eq(y.status, ACTION_DONE);
	cr_assert_eq(y.completed_at, on);
	cr_assert_eq(j3_at(id), 0);
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_BENEFICIARY, &y, true, on, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, "Cette action est déjà terminée.");
	/* Back to "À faire" by the counselor; "En cours" by the beneficiary. */
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_COUNSELOR, &y, false, 0, &why), 0);
	cr_assert_eq(load(id).status, ACTION_NOT_STARTED);
	cr_assert_eq(load(id).completed_at, 0);
	y = load(id);
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_COUNSELOR, &y, true, 0, &why), 0);
	cr_assert_eq(load(id).completed_at, NOW);   /* 0: now (§2) */
	y = load(id);
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_BENEFICIARY, &y, false, 0, &why), 0);
	cr_assert_eq(load(id).status, ACTION_IN_PROGRESS);
}

Test(store, updates_refused_once_qualified_or_gone)
{
	struct refusal why = {0};
	const char *id = create(bid, ACTION_DONE, "2025-09-12");
	struct action before = load(id), after = before;
	after.title = "Autre titre";
	struct action_qualification q = {.code = "NON_SNP", .hours = 0, .by = cid};
	cr_assert_eq(actions_store_qualify(db, id, &q, NOW), 0);
	/* Qualified since the form was shown: the store refuses, the page says why. */
	cr_assert_eq(actions_update(db, a, NOW, ACTOR_COUNSELOR, &before, &after, &why), -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.title, "L’action n’a pas été modifiée");
	cr_assert_str_eq(why.message, "Vous ne pouvez pas modifier une action qualifiée");
	cr_assert_str_eq(load(id).title, "Mettre à jour son CV");
	/* Known qualified: the edit form itself is refused. */
	before = load(id);
	cr_assert_eq(actions_check_edit(&before, ACTOR_BENEFICIARY, &why), -ERR_INVAL);
	cr_assert_str_eq(why.title, "Action non modifiée");
	cr_assert_eq(actions_set_status(db, a, NOW, ACTOR_COUNSELOR, &before, false, 0, &why), -ERR_INVAL);
	/* A counselor's action is not the beneficiary's to edit (its status is). */
	const char *other = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	before = load(other);
	cr_assert_eq(actions_check_edit(&before, ACTOR_COUNSELOR, &why), 0);
	cr_assert_eq(actions_check_edit(&before, ACTOR_BENEFICIARY, &why), -ERR_FORBIDDEN);
	cr_assert_eq(why.status, 403);
	/* Deleted since the form was shown: missing, for each side. */
	after = before;
	after.title = "Autre titre";
	cr_assert_eq(actions_delete(db, a, ACTOR_COUNSELOR, other, bid, &why), 0);
	why = (struct refusal){0};
	cr_assert_eq(actions_update(db, a, NOW, ACTOR_COUNSELOR, &before, &after, &why), -ERR_NOTFOUND);
	cr_assert_null(why.message);
	cr_assert_eq(actions_update(db, a, NOW, ACTOR_BENEFICIARY, &before, &after, &why), -ERR_NOTFOUND);
	cr_assert_str_eq(why.title, "Action introuvable");
}

struct fake_stream {
	int unused;
};

static void
no_op(void *ud)
{
	(void)ud;
}

static const struct hub_sub_ops stream_ops = {no_op, no_op};

/* What @s has received since the last call. */
static char *
received(struct hub_sub *s)
{
	GString *out = g_string_new(NULL);
	char buf[1024];
	ssize_t n;
	while ((n = hub_read(s, buf, sizeof(buf))) > 0)
		g_string_append_len(out, buf, (size_t)n);
	return g_string_free(out, FALSE);
}

Test(store, a_counselors_comment_is_announced_once_committed)
{
	struct fake_stream f = {0};
	hub_start(&(struct hub_options){.heartbeat_ms = 600000});
	char *topic = g_strdup_printf(HUB_TOPIC_COUNSELOR, cid);
	struct hub_sub *s = hub_subscribe(topic, &stream_ops, &f);
	cr_assert_not_null(s);
	g_free(received(s));   /* "retry: …" */
	const char *id = create(bid, ACTION_NOT_STARTED, "2025-09-25");
	struct action x = load(id);
	struct refusal why = {0};
	/* Not saved (no keyring to seal its message): rolled back, told, nothing announced. */
	struct action_comment c = {.author_id = cid, .first_name = "Claire", .last_name = "Martin",
				   .body = "Pouvez-vous préciser ?", .by_counselor = true};
	cr_assert_neq(actions_comment(db, NULL, a, NOW, &x, &c, &why), 0);
	cr_assert_eq(why.status, 500);
	cr_assert_str_eq(why.message, "Erreur lors de l’envoi du message, veuillez réessayer plus tard.");
	char *got = received(s);
	cr_assert_null(strstr(got, "event: message"));
	g_free(got);
	cr_assert_eq(notif_count(bid, "ACTION_UPDATED"), 0);
	/* Saved: the conversation's streams hear of it. */
	why = (struct refusal){0};
	cr_assert_eq(actions_comment(db, keys, a, NOW, &x, &c, &why), 0);
	cr_assert_null(why.message);
	got = received(s);
	cr_assert_not_null(strstr(got, "event: message"), "%s", got);
	g_free(got);
	cr_assert_eq(notif_count(bid, "ACTION_UPDATED"), 1);
	hub_unsubscribe(s);
	g_free(topic);
	cr_assert_eq(hub_stop(0), 0);
}
