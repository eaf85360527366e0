/* test_agenda_page.c — the /agenda page (agenda.md §3): its pure rules (suite rules: the
 * period across DST changes and in another zone, the day labels, Matin/Après-midi, the
 * cells, the search and the status filter) and its listings on a migrated database
 * (suite store: "Mon agenda", "Agenda Mission Locale", the bounds of a period, and the
 * demo week). */
#include "agenda/agenda.h"
#include "agenda/agenda_page.h"
#include "agenda/agenda_page_store.h"
#include "agenda/agenda_page_use.h"
#include "core/ctx.h"
#include "agenda/agenda_store.h"
#include "agenda/agenda_use.h"
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "db/db.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#define PARIS FIXTURE_PARIS
#define REUNION FIXTURE_REUNION
#define at(iso) fixture_at(iso)
#define day(iso) fixture_day(iso)
#define HOUR_MS 3600000LL

/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

/* No other feature: the agenda's own rows only (the sessions' are tested end to end). */
static const struct ctx no_app;
static bool partial;

static struct arena *a;

FIXTURE_ARENA_SUITE(rules, a);

Test(rules, the_current_period_is_seven_days_from_today_midnight_to_midnight)
{
	struct agenda_period p;
	cr_assert_not(agenda_period_of(NOW, PARIS, NULL, &p));
	cr_assert_eq(p.first_day, day("2025-09-15"));
	cr_assert_eq(p.last_day, day("2025-09-21"));
	cr_assert_eq(p.today, day("2025-09-15"));
	cr_assert_eq(p.from, at("2025-09-14T22:00:00Z"), "midnight in Paris (UTC+2)");
	cr_assert_eq(p.to, at("2025-09-21T22:00:00Z"));
	cr_assert(p.current);
}

Test(rules, a_period_across_a_dst_change_ends_at_local_midnight)
{
	struct agenda_period p;
	/* Autumn: Sunday 26 October 2025, 03:00 → 02:00 — the week lasts 169 hours. */
	cr_assert(agenda_period_of(NOW, PARIS, "2025-10-23", &p));
	cr_assert_eq(p.from, at("2025-10-22T22:00:00Z"));
	cr_assert_eq(p.to, at("2025-10-29T23:00:00Z"));
	cr_assert_eq(p.to - p.from, 169 * HOUR_MS);
	cr_assert_not(p.current);
	/* Spring: Sunday 29 March 2026, 02:00 → 03:00 — 167 hours. */
	cr_assert(agenda_period_of(NOW, PARIS, "2026-03-26", &p));
	cr_assert_eq(p.from, at("2026-03-25T23:00:00Z"));
	cr_assert_eq(p.to, at("2026-04-01T22:00:00Z"));
	cr_assert_eq(p.to - p.from, 167 * HOUR_MS);
}

Test(rules, today_is_the_structure_s_today)
{
	struct agenda_period p;
	/* 23:30 in Paris, already 01:30 the next day in La Réunion (UTC+4, no DST). */
	int64_t late = at("2025-09-15T21:30:00Z");
	agenda_period_of(late, PARIS, NULL, &p);
	cr_assert_eq(p.first_day, day("2025-09-15"));
	agenda_period_of(late, REUNION, NULL, &p);
	cr_assert_eq(p.first_day, day("2025-09-16"));
	cr_assert_eq(p.from, at("2025-09-15T20:00:00Z"));
	cr_assert_eq(p.to - p.from, 7 * 24 * HOUR_MS);
}

Test(rules, a_bad_start_gives_the_current_period)
{
	static const char *const bad[] = {"", "demain", "2025-02-30", "2025-9-15", "15/09/2025",
					  "1900-01-01", "2099-01-01"};
	struct agenda_period p;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_not(agenda_period_of(NOW, PARIS, bad[i], &p), "%s", bad[i]);
		cr_assert(p.current, "%s", bad[i]);
		cr_assert_eq(p.first_day, day("2025-09-15"));
	}
	/* Any real day within reach is taken as it is, a Wednesday included. */
	cr_assert(agenda_period_of(NOW, PARIS, "2024-09-11", &p));
	cr_assert_eq(p.first_day, day("2024-09-11"));
}

Test(rules, days_are_named_today_tomorrow_then_weekday_and_date)
{
	int64_t today = day("2025-09-15");
	cr_assert_str_eq(agenda_day_label(a, today, today), "Aujourd’hui");
	cr_assert_str_eq(agenda_day_label(a, today + 1, today), "Demain");
	cr_assert_str_eq(agenda_day_label(a, today + 2, today), "Mercredi 17 septembre");
	cr_assert_str_eq(agenda_day_label(a, day("2023-10-11"), today), "Mercredi 11 octobre");
	cr_assert_str_eq(agenda_day_label(a, today - 1, today), "Dimanche 14 septembre");
}

Test(rules, morning_is_before_noon_in_the_structure_s_zone)
{
	struct agenda_slot s = agenda_slot_of(at("2025-09-15T09:59:00Z"), PARIS);   /* 11:59 */
	cr_assert_eq(s.day, day("2025-09-15"));
	cr_assert_not(s.afternoon);
	cr_assert(agenda_slot_of(at("2025-09-15T10:00:00Z"), PARIS).afternoon, "12:00");
	/* The day of the change to winter time: 11:30 is 10:30 UTC. */
	cr_assert_not(agenda_slot_of(at("2025-10-26T10:30:00Z"), PARIS).afternoon);
	cr_assert(agenda_slot_of(at("2025-10-26T11:00:00Z"), PARIS).afternoon);
	/* 10:30 in Paris is 12:30 in La Réunion. */
	cr_assert(agenda_slot_of(at("2025-09-15T08:30:00Z"), REUNION).afternoon);
	cr_assert_not(agenda_slot_of(at("2025-09-15T08:30:00Z"), PARIS).afternoon);
	/* 23:30 UTC is tomorrow morning in Paris. */
	s = agenda_slot_of(at("2025-09-15T23:30:00Z"), PARIS);
	cr_assert_eq(s.day, day("2025-09-16"));
	cr_assert_str_eq(agenda_half_label(false), "Matin");
	cr_assert_str_eq(agenda_half_label(true), "Après-midi");
}

Test(rules, the_period_s_slots_place_rows_as_the_zone_does)
{
	/* The week of the change to winter time, in Paris and in La Réunion: every quarter of
	 * an hour of the period (and one before, one after) lands where agenda_slot_of says. */
	static const char *const zones[] = {PARIS, REUNION};
	for (int z = 0; z < 2; z++) {
		struct agenda_period p;
		struct agenda_slots s;
		agenda_period_of(NOW, zones[z], "2025-10-23", &p);
		agenda_slots_of(&p, zones[z], &s);
		for (int64_t t = p.from - HOUR_MS; t <= p.to + HOUR_MS; t += HOUR_MS / 4) {
			struct agenda_slot want = agenda_slot_of(t, zones[z]), got = agenda_slots_find(&s, t);
			cr_assert_eq(got.day, want.day, "%s %lld", zones[z], (long long)t);
			cr_assert_eq(got.afternoon, want.afternoon, "%s %lld", zones[z], (long long)t);
		}
	}
}

Test(rules, the_cells_say_who_how_many_and_whether_it_is_full)
{
	struct agenda_item it = {.id = "x", .participants = 1, .first_name = "Élodie",
				 .last_name = "Dupré"};
	cr_assert_str_eq(agenda_item_beneficiary(a, &it), "DUPRÉ Élodie");
	it.participants = 2;
	cr_assert_str_eq(agenda_item_beneficiary(a, &it), "Bénéficiaires multiples");
	it.participants = 0;
	cr_assert_null(agenda_item_beneficiary(a, &it));
	cr_assert_str_eq(agenda_registrants_fr(a, 0, 0), "0 inscrit");
	cr_assert_str_eq(agenda_registrants_fr(a, 1, 0), "1 inscrit");
	cr_assert_str_eq(agenda_registrants_fr(a, 3, 10), "3 inscrits / 10");
	cr_assert(agenda_full(3, 3));
	cr_assert(agenda_full(4, 3), "more than the maximum (lowered later): still full");
	cr_assert_not(agenda_full(2, 3));
	cr_assert_not(agenda_full(50, 0), "no maximum: never full");
	it.collective = false;
	cr_assert_str_eq(agenda_item_href(a, &it), "/agenda/rendez-vous/x");
	it.collective = true;
	cr_assert_str_eq(agenda_item_href(a, &it), "/agenda/animations-collectives/x");
}

static bool
matches(const struct agenda_item *it, const char *query, unsigned statuses)
{
	const char *tokens[8];
	int n = text_search_tokens(a, query, tokens, 8);
	return agenda_item_matches(a, it, tokens, n, statuses, NOW);
}

Test(rules, the_search_wants_every_token_without_accents_or_case)
{
	struct agenda_item it = {.id = "x", .title = "Préparer son entretien d’embauche",
				 .type_label = "Atelier", .starts_at = NOW + HOUR_MS};
	cr_assert(matches(&it, "", 0));
	cr_assert(matches(&it, "ENTRETIEN", 0));
	cr_assert(matches(&it, "prepa embauche", 0), "accents and partial words");
	cr_assert(matches(&it, "atelier entretien", 0), "the type too");
	cr_assert_not(matches(&it, "entretien cv", 0), "every token");
	cr_assert_not(matches(&it, "information", 0));
}

Test(rules, the_status_filter_keeps_the_checked_statuses)
{
	struct agenda_item upcoming = {.id = "a", .title = "T", .type_label = "Atelier",
				       .starts_at = NOW + HOUR_MS};
	struct agenda_item to_close = upcoming, closed = upcoming;
	to_close.starts_at = NOW - HOUR_MS;
	closed.starts_at = NOW - HOUR_MS;
	closed.closed_at = NOW;
	unsigned up = AGENDA_STATUS_BIT(AC_UPCOMING), tc = AGENDA_STATUS_BIT(AC_TO_CLOSE),
		 cl = AGENDA_STATUS_BIT(AC_CLOSED);
	cr_assert(matches(&upcoming, "", up));
	cr_assert_not(matches(&to_close, "", up));
	cr_assert(matches(&to_close, "", up | tc));
	cr_assert(matches(&closed, "", cl));
	cr_assert_not(matches(&closed, "", up | tc));
	cr_assert_not(matches(&closed, "autre", cl), "status and search together");
	for (int s = AC_UPCOMING; s <= AC_CLOSED; s++)
		cr_assert_eq(agenda_status_parse(agenda_status_code(s)), s);
	cr_assert_eq(agenda_status_parse("fermee"), -1);
	cr_assert_eq(agenda_status_parse(NULL), -1);
}

Test(rules, items_of_several_sources_merge_by_start)
{
	struct agenda_item items[] = {
		{.id = "c", .starts_at = 300}, {.id = "b", .starts_at = 100},
		{.id = "a", .starts_at = 300}, {.id = "d", .starts_at = 200},
	};
	agenda_items_sort(items, 4);
	cr_assert_str_eq(items[0].id, "b");
	cr_assert_str_eq(items[1].id, "d");
	cr_assert_str_eq(items[2].id, "a", "same start: by id, a stable order");
	cr_assert_str_eq(items[3].id, "c");
}

/* ---- On a database ---- */

static struct fixture fx;
static struct db *db;
static const char *sid, *sid2, *cid, *cid2, *cid3, *b1, *b2, *o1, *x1;
static struct user claire, denis, sophie;

static void
store_setup(void)
{
	fixture_open(&fx, "agenda_page", FIXTURE_DB);
	db = fx.db;
	a = fx.a;
	struct fixture_two_ml ml;
	fixture_two_ml(&fx, &ml);
	sid = ml.brest;
	sid2 = ml.paris;
	cid = ml.claire_id;
	cid2 = ml.denis_id;
	cid3 = ml.sophie_id;
	b1 = ml.elodie;
	b2 = ml.paul;
	o1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid2, .first_name = "Ana", .last_name = "Autre"});
	x1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid2,
		.counselor_id = cid3, .first_name = "Zoé", .last_name = "Loin"});
	claire = ml.claire;
	denis = ml.denis;
	sophie = ml.sophie;
}

static void
store_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = store_setup, .fini = store_teardown, .timeout = 60);

/* Stores an event of @type by @u starting at @starts_at with participants @ids (@n),
 * straight through the store (the listing is under test, not the form). Returns its id. */
static const char *
event_at(const struct user *u, enum event_type type, const char *title, int64_t starts_at,
	 const char *const *ids, int n)
{
	return fixture_event(&fx, &(struct event){
		.type = type, .title = title, .modality = MODALITY_ML, .starts_at = starts_at,
		.presence = true, .creator_id = u->id, .creator_first_name = "P",
		.creator_last_name = "N", .structure_id = u->structure_id, .created_at = NOW}, ids, n);
}

static struct agenda_period
period(void)
{
	struct agenda_period p;
	agenda_period_of(NOW, PARIS, NULL, &p);
	return p;
}

static int
find(const struct agenda_item *items, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(items[i].id, id))
			return i;
	return -1;
}

Test(store, my_agenda_holds_what_i_created_and_what_my_beneficiaries_attend)
{
	struct agenda_period p = period();
	const char *mine = event_at(&claire, EVENT_VISITE, NULL, NOW + 2 * HOUR_MS, &b1, 1);
	const char *both = event_at(&claire, EVENT_ACTIVITES_EXTERIEURES, "Forum",
				    NOW + 26 * HOUR_MS, (const char *[]){b1, b2}, 2);
	/* Denis's AC where Élodie is registered, Denis's AC without mine, Denis's RDV. */
	const char *theirs = event_at(&denis, EVENT_ATELIER, "CV", NOW + 3 * HOUR_MS, &b1, 1);
	const char *not_mine = event_at(&denis, EVENT_ATELIER, "Autre", NOW + 4 * HOUR_MS, &o1, 1);
	const char *their_rdv = event_at(&denis, EVENT_VISITE, NULL, NOW + 5 * HOUR_MS, &o1, 1);
	const char *empty_ac = event_at(&claire, EVENT_INFORMATION_COLLECTIVE, "Info",
					NOW + 30 * HOUR_MS, NULL, 0);
	struct agenda_item *items;
	int n = agenda_page_mine(&no_app, db, a, &claire, &p, 0, &items, &partial);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(items[0].id, mine, "by start");
	cr_assert_str_eq(items[1].id, theirs);
	cr_assert_str_eq(items[2].id, both);
	cr_assert_str_eq(items[3].id, empty_ac);
	cr_assert_eq(find(items, n, not_mine), -1);
	cr_assert_eq(find(items, n, their_rdv), -1);
	/* The cells. */
	cr_assert(items[0].mine);
	cr_assert_not(items[0].collective);
	cr_assert_eq(items[0].participants, 1);
	cr_assert_str_eq(items[0].last_name, "Dupont");
	cr_assert_str_eq(items[0].title, "Visite En présentiel : Mission Locale");
	cr_assert_str_eq(items[0].type_label, "Visite");
	cr_assert_str_eq(items[0].modality, "En présentiel : Mission Locale");
	cr_assert_not(items[1].mine, "Denis created it");
	cr_assert(items[1].collective);
	cr_assert_eq(items[2].participants, 2);
	cr_assert_eq(items[3].participants, 0);
	/* Denis: the three he created; Claire's events hold none of his beneficiaries. */
	n = agenda_page_mine(&no_app, db, a, &denis, &p, 0, &items, &partial);
	cr_assert_eq(n, 3);
	/* Sophie, another structure: nothing. */
	cr_assert_eq(agenda_page_mine(&no_app, db, a, &sophie, &p, 0, &items, &partial), 0);
}

Test(store, a_period_holds_what_starts_from_its_first_midnight_to_its_end)
{
	struct agenda_period p = period();
	const char *first = event_at(&claire, EVENT_VISITE, NULL, p.from, &b1, 1);
	event_at(&claire, EVENT_VISITE, NULL, p.from - 1, &b1, 1);
	const char *last = event_at(&claire, EVENT_VISITE, NULL, p.to - 1, &b1, 1);
	event_at(&claire, EVENT_VISITE, NULL, p.to, &b1, 1);
	struct agenda_item *items;
	cr_assert_eq(agenda_page_mine(&no_app, db, a, &claire, &p, 0, &items, &partial), 2);
	cr_assert_str_eq(items[0].id, first);
	cr_assert_str_eq(items[1].id, last);
	/* The next period starts where this one ended. */
	struct agenda_period next;
	agenda_period_of(NOW, PARIS, clock_day_iso(a, p.first_day + 7), &next);
	cr_assert_eq(next.from, p.to);
	cr_assert_eq(agenda_page_mine(&no_app, db, a, &claire, &next, 0, &items, &partial), 1);
}

Test(store, a_beneficiary_who_left_is_no_longer_counted)
{
	struct agenda_period p = period();
	const char *id = event_at(&claire, EVENT_ACTIVITES_EXTERIEURES, "Sortie",
				  NOW + HOUR_MS, (const char *[]){b1, b2}, 2);
	/* The account's end: the agenda's part, then the account (beneficiaries/purge.c). */
	cr_assert_eq(agenda_purge_beneficiary(db, b2), 0);
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET deleted_at = 1 WHERE id = $1");
	db_bind_text(st, 1, b2);
	cr_assert_eq(db_run(st), 0);
	struct agenda_item *items;
	cr_assert_eq(agenda_page_mine(&no_app, db, a, &claire, &p, 0, &items, &partial), 1);
	cr_assert_str_eq(items[0].id, id);
	cr_assert_eq(items[0].participants, 1);
	cr_assert_str_eq(items[0].first_name, "Élodie", "the one left is named");
}

Test(store, the_mission_locale_agenda_lists_the_structure_s_ac_only)
{
	struct agenda_period p = period();
	const char *full = event_at(&denis, EVENT_INFORMATION_COLLECTIVE, "Service civique",
				    NOW + HOUR_MS, (const char *[]){b1, o1}, 2);
	struct db_stmt *st = db_prepare(db, "UPDATE event SET max_participants = 2 WHERE id = $1");
	db_bind_text(st, 1, full);
	cr_assert_eq(db_run(st), 0);
	const char *past = event_at(&claire, EVENT_ATELIER, "CV", NOW - HOUR_MS, &b2, 1);
	event_at(&claire, EVENT_VISITE, NULL, NOW + HOUR_MS, &b1, 1);   /* a RDV: not listed */
	event_at(&sophie, EVENT_ATELIER, "Paris", NOW + HOUR_MS, &x1, 1);   /* elsewhere */
	struct agenda_item *items;
	int n = agenda_page_structure(&no_app, db, a, &claire, &p, 0, &items, &partial);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(items[0].id, past);
	cr_assert(items[0].mine);
	cr_assert_eq(agenda_item_status(&items[0], NOW), AC_TO_CLOSE);
	cr_assert_str_eq(items[1].id, full);
	cr_assert_not(items[1].mine);
	cr_assert(items[1].visible);
	cr_assert_str_eq(items[1].title, "Service civique");
	cr_assert_str_eq(items[1].type_label, "Information collective");
	cr_assert_eq(items[1].participants, 2);
	cr_assert_eq(items[1].max_participants, 2);
	cr_assert(agenda_full(items[1].participants, items[1].max_participants));
	cr_assert_eq(agenda_item_status(&items[1], NOW), AC_UPCOMING);
	/* Sophie sees hers only; without a structure, nothing. */
	cr_assert_eq(agenda_page_structure(&no_app, db, a, &sophie, &p, 0, &items, &partial), 1);
	struct user nowhere = fixture_counselor_user(cid, "Claire", "Martin", NULL);
	cr_assert_eq(agenda_page_structure(&no_app, db, a, &nowhere, &p, 0, &items, &partial), 0);
}

#define count(sql) fixture_count(&fx, (sql), NULL)

Test(store, the_demo_week_fills_both_tabs_once)
{
	for (int i = 0; i < 4; i++)
		fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
			.counselor_id = cid, .first_name = "Demo", .last_name = "Jeune"});
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(agenda_seed_demo(db, NOW), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	int events = count("SELECT count(*) FROM event");
	cr_assert_gt(events, 0);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(agenda_seed_demo(db, NOW), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(count("SELECT count(*) FROM event"), events, "idempotent");
	/* Claire (6 beneficiaries) has her week; Denis (1) what one beneficiary allows. */
	struct agenda_period p = period();
	struct agenda_item *items;
	int n = agenda_page_mine(&no_app, db, a, &claire, &p, 0, &items, &partial);
	cr_assert_geq(n, 6);
	bool multiple = false;
	for (int i = 0; i < n; i++)
		multiple |= !items[i].collective && items[i].participants > 1;
	cr_assert(multiple, "a RDV with several beneficiaries");
	/* Every RDV's participants are in its creator's portfolio. */
	cr_assert_eq(count("SELECT count(*) FROM event e JOIN event_participant p ON p.event_id = e.id "
			   "JOIN beneficiary b ON b.id = p.beneficiary_id "
			   "WHERE e.kind = 'rdv' AND b.counselor_id <> e.creator_id"), 0);
	/* The Mission Locale: one AC full, one past to close (previous period). */
	n = agenda_page_structure(&no_app, db, a, &claire, &p, 0, &items, &partial);
	int full = 0;
	for (int i = 0; i < n; i++)
		full += agenda_full(items[i].participants, items[i].max_participants);
	cr_assert_eq(full, 1);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE kind = 'ac' AND closed_at IS NULL "
			   "AND starts_at < created_at"), 2, "one AC to close per structure");
}

Test(store, a_participation_follows_its_event_s_start)
{
	/* Migration 0030: event_participant.starts_at, kept by triggers, is what "Mon
	 * agenda" reads for the events of my beneficiaries that someone else created. */
	struct agenda_period p = period();
	const char *id = event_at(&denis, EVENT_ATELIER, "CV", NOW + HOUR_MS, &b1, 1);
	struct agenda_item *items;
	cr_assert_eq(agenda_page_mine(&no_app, db, a, &claire, &p, 0, &items, &partial), 1);
	struct event e;
	cr_assert_eq(agenda_store_load(db, a, id, &e), 0);
	e.starts_at = p.to + HOUR_MS;   /* moved to the next period */
	cr_assert_eq(agenda_store_update(db, &e), 0);
	cr_assert_eq(agenda_page_mine(&no_app, db, a, &claire, &p, 0, &items, &partial), 0);
	/* A participant added later carries the start too. */
	cr_assert_eq(agenda_store_set_participants(db, id, (const char *[]){b1, b2}, 2, NOW), 0);
	cr_assert_eq(count("SELECT count(*) FROM event_participant p JOIN event e ON e.id = p.event_id "
			   "WHERE p.starts_at IS DISTINCT FROM e.starts_at"), 0);
	/* The kept count equals the rows, after additions and removals (0030). */
	cr_assert_eq(agenda_store_set_participants(db, id, &b2, 1, NOW), 0);
	cr_assert_eq(agenda_store_set_participants(db, id, (const char *[]){b1, b2}, 2, NOW), 0);
	cr_assert_eq(count("SELECT count(*) FROM event e WHERE participant_count <> "
			   "(SELECT count(*) FROM event_participant p WHERE p.event_id = e.id)"), 0);
	struct agenda_period next;
	agenda_period_of(NOW, PARIS, clock_day_iso(a, p.first_day + 7), &next);
	cr_assert_eq(agenda_page_mine(&no_app, db, a, &claire, &next, 0, &items, &partial), 1);
	cr_assert_eq(items[0].participants, 2);
}
