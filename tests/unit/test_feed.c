/* test_feed.c — the i-milo event feed (imilo.md §4) and the i-milo rendez-vous (agenda.md
 * §2.3): the pure rules (suite rules: batch dedupe, handling, payload, what an E3 statut
 * and date mean), then the local copy of an i-milo RDV on a migrated database (suite
 * store: created, told once, moved, cancelled, deleted, purged; the push flag), and the
 * migration 0033 rebuilding event under events that have participants (suite migration). */
#include "agenda/agenda.h"
#include "agenda/agenda_imilo.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/embed.h"
#include "base/err.h"
#include "db/db.h"
#include "feed/feed.h"
#include "feed/feed_store.h"
#include "jobs/jobs.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#define at(iso) fixture_at(iso)
#define DAY (24 * 3600 * 1000LL)
#define MINUTE (60 * 1000LL)
/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

static struct arena *a;

/* ======================================================================================
 * The pure rules
 * ==================================================================================== */

FIXTURE_ARENA_SUITE(rules, a);

Test(rules, a_batch_keeps_the_latest_session_event_per_dossier_action_and_instance)
{
	struct imilo_event ev[] = {
		{.id = "1", .dossier_id = "100001", .type = "SESSION", .action = "UPDATE", .type_id = "50001"},
		{.id = "2", .dossier_id = "100001", .type = "SESSION", .action = "UPDATE", .type_id = "50002"},
		{.id = "3", .dossier_id = "100001", .type = "SESSION", .action = "UPDATE", .type_id = "50001"},
		{.id = "4", .dossier_id = "100001", .type = "SESSION", .action = "DELETE", .type_id = "50001"},
		{.id = "5", .dossier_id = "100002", .type = "SESSION", .action = "UPDATE", .type_id = "50001"},
		{.id = "6", .dossier_id = "100001", .type = "RDV", .action = "UPDATE", .type_id = "7001"},
		{.id = "7", .dossier_id = "100001", .type = "RDV", .action = "UPDATE", .type_id = "7001"},
		{.id = "8", .dossier_id = "100001", .type = "DOSSIER", .action = "UPDATE"},
		{.id = "9", .dossier_id = "100001", .type = "DOSSIER", .action = "UPDATE"},
	};
	bool dup[9];
	cr_assert_eq(feed_dedupe(ev, 9, dup), 1);
	cr_assert(dup[0], "event 3 is the same change, later: 1 goes");
	for (int i = 1; i < 9; i++)
		cr_assert_not(dup[i], "event %s is kept (another instance, action or dossier, or "
			      "not a session)", ev[i].id);
	cr_assert_eq(feed_dedupe(ev, 0, dup), 0);
}

Test(rules, each_type_and_action_has_its_handling_and_the_others_are_done_without_effect)
{
	cr_assert_eq(feed_handling("RDV", "CREATE"), FEED_RDV_READ);
	cr_assert_eq(feed_handling("RDV", "UPDATE"), FEED_RDV_READ);
	cr_assert_eq(feed_handling("RDV", "DELETE"), FEED_RDV_DELETE);
	cr_assert_eq(feed_handling("SESSION", "CREATE"), FEED_SESSION_READ);
	cr_assert_eq(feed_handling("SESSION", "UPDATE"), FEED_SESSION_READ);
	cr_assert_eq(feed_handling("SESSION", "DELETE"), FEED_SESSION_DELETE);
	cr_assert_eq(feed_handling("DOSSIER", "UPDATE"), FEED_DOSSIER_REFRESH);
	cr_assert_eq(feed_handling("DOSSIER", "CREATE"), FEED_IGNORE);
	cr_assert_eq(feed_handling("RDV", "ARCHIVE"), FEED_IGNORE);
	cr_assert_eq(feed_handling("ACTUALITE", "CREATE"), FEED_IGNORE);
	cr_assert_eq(feed_handling(NULL, "CREATE"), FEED_IGNORE);
	cr_assert_eq(feed_handling("RDV", NULL), FEED_IGNORE);
}

Test(rules, an_event_goes_through_its_job_payload_unchanged)
{
	struct imilo_event e = {.id = "0193a", .dossier_id = "100003", .type = "RDV",
				.action = "UPDATE", .type_id = "7003",
				.date = "2025-09-15T10:00:00+02:00"}, back;
	char *p = feed_payload(&e, "b-1");
	cr_assert_not_null(strstr(p, "\"beneficiary\":\"b-1\""), "the purge finds it: %s", p);
	cr_assert_eq(feed_payload_parse(a, p, &back), 0);
	g_free(p);
	cr_assert_str_eq(back.id, "0193a");
	cr_assert_str_eq(back.dossier_id, "100003");
	cr_assert_str_eq(back.type, "RDV");
	cr_assert_str_eq(back.action, "UPDATE");
	cr_assert_str_eq(back.type_id, "7003");
	cr_assert_str_eq(back.date, "2025-09-15T10:00:00+02:00");
	struct imilo_event d = {.id = "0193b", .dossier_id = "100003", .type = "DOSSIER",
				.action = "UPDATE"};
	p = feed_payload(&d, NULL);
	cr_assert_eq(feed_payload_parse(a, p, &back), 0);
	g_free(p);
	cr_assert_null(back.type_id, "DOSSIER has no idType");
	cr_assert_eq(feed_payload_parse(a, "{\"id\": 3}", &back), -1);
	cr_assert_eq(feed_payload_parse(a, NULL, &back), -1);
}

Test(rules, cancelled_postponed_or_out_of_window_rdv_are_not_kept)
{
	cr_assert(agenda_imilo_kept("Planifié", NOW + DAY, NOW));
	cr_assert(agenda_imilo_kept("Présent", NOW - 30 * DAY, NOW), "past, within a year");
	cr_assert_not(agenda_imilo_kept("Annulé", NOW + DAY, NOW));
	cr_assert_not(agenda_imilo_kept("Reporté", NOW + DAY, NOW));
	cr_assert(agenda_imilo_kept("Absent", NOW - 365 * DAY, NOW), "exactly a year back");
	cr_assert_not(agenda_imilo_kept("Absent", NOW - 365 * DAY - 1, NOW));
	cr_assert(agenda_imilo_kept("Planifié", NOW + 731 * DAY, NOW), "two years ahead");
	cr_assert_not(agenda_imilo_kept("Planifié", NOW + 731 * DAY + 1, NOW));
}

Test(rules, only_future_rdv_of_the_four_statuts_are_told)
{
	static const char *const told[] = {"Absent", "Non précisé", "Planifié", "Présent"};
	for (size_t i = 0; i < 4; i++) {
		cr_assert(agenda_imilo_tells(told[i], NOW + 1, NOW), "%s", told[i]);
		cr_assert_not(agenda_imilo_tells(told[i], NOW, NOW), "%s, starting now", told[i]);
	}
	cr_assert_not(agenda_imilo_tells("Annulé", NOW + DAY, NOW));
	cr_assert_not(agenda_imilo_tells("Reporté", NOW + DAY, NOW));
	cr_assert_not(agenda_imilo_tells("Inconnu", NOW + DAY, NOW));
	cr_assert_not(agenda_imilo_tells(NULL, NOW + DAY, NOW));
}

Test(rules, the_duration_is_end_minus_start_or_60_minutes)
{
	cr_assert_eq(agenda_imilo_duration(NOW, NOW + 45 * MINUTE), 45);
	cr_assert_eq(agenda_imilo_duration(NOW, NOW + 45 * MINUTE + 1), 46, "a started minute counts");
	cr_assert_eq(agenda_imilo_duration(NOW, 0), 60, "no end");
	cr_assert_eq(agenda_imilo_duration(NOW, NOW), 60, "an end not after the start");
	cr_assert_eq(agenda_imilo_duration(NOW, NOW + 3 * DAY), AGENDA_DURATION_MAX);
	cr_assert_eq(agenda_imilo_attendance("Présent"), 1);
	cr_assert_eq(agenda_imilo_attendance("Absent"), 0);
	cr_assert_eq(agenda_imilo_attendance("Planifié"), -1);
}

/* ======================================================================================
 * The local copy of an i-milo RDV
 * ==================================================================================== */

static struct fixture fx;
static struct fixture_two_ml ml;

static void
store_setup(void)
{
	fixture_open(&fx, "feed", FIXTURE_DB);
	fixture_two_ml(&fx, &ml);
}

static void
store_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = store_setup, .fini = store_teardown);

static struct agenda_imilo_rdv
rdv(const char *statut, int64_t start)
{
	return (struct agenda_imilo_rdv){
		.imilo_id = "7001", .beneficiary_id = ml.elodie, .structure_id = ml.brest,
		.objet = "Point d’étape", .lieu = "12 rue Duc, Brest", .commentaire = "Apporte ton CV",
		.statut = statut, .starts_at = start, .ends_at = start + 45 * MINUTE};
}

static void
apply(const struct agenda_imilo_rdv *r, int64_t now, bool push)
{
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(db_tx_end(fx.db, agenda_imilo_apply(fx.db, now, r, push)), 0);
}

static int
count(const char *sql, const char *param)
{
	return fixture_count(&fx, sql, param);
}

static const char *
copy_id(void)
{
	const char *id = NULL;
	struct db_stmt *st = db_prepare(fx.db, "SELECT id FROM event WHERE imilo_id = '7001'");
	cr_assert_eq(db_run_texts(st, fx.a, 1, &id), 0);
	return id;
}

Test(store, a_new_rdv_is_copied_read_only_told_once_and_reminded)
{
	struct agenda_imilo_rdv r = rdv("Planifié", NOW + 10 * DAY);
	apply(&r, NOW, true);
	const char *id = copy_id();
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1 AND type = 'RENDEZ_VOUS_MILO' "
			   "AND creator_id IS NULL AND title = 'Point d’étape' AND duration_min = 45 "
			   "AND address = '12 rue Duc, Brest' AND description = 'Apporte ton CV'", id), 1);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1", id), 1);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE key = 'NEW_APPOINTMENT:' || $1",
			   id), 1);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key IN ('rdv:' || $1 || ':j7', "
			   "'rdv:' || $1 || ':j1')", id), 2);
	/* The same RDV again (the feed delivered it twice): nothing more. */
	apply(&r, NOW + MINUTE, true);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE imilo_id = $1", "7001"), 1);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1", ml.elodie), 1);
}

Test(store, a_moved_rdv_says_modifie_and_its_reminders_follow)
{
	struct agenda_imilo_rdv r = rdv("Planifié", NOW + 10 * DAY);
	apply(&r, NOW, true);
	const char *id = copy_id();
	r.starts_at += DAY;
	r.ends_at += DAY;
	apply(&r, NOW + 5 * MINUTE, true);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE key LIKE "
			   "'APPOINTMENT_UPDATED:' || $1 || ':%'", id), 1);
	struct job j;
	cr_assert_eq(jobs_find(fx.db, fx.a, arena_printf(fx.a, "rdv:%s:j1", id), &j), 0);
	cr_assert_eq(j.run_at, NOW + 10 * DAY);
	/* The comment changes: not a move (row 5), nobody is told. */
	r.commentaire = "Apporte aussi ta lettre";
	apply(&r, NOW + 10 * MINUTE, true);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1", ml.elodie), 2);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE description = $1",
			   "Apporte aussi ta lettre"), 1);
}

Test(store, a_cancelled_rdv_is_deleted_and_said_supprime_when_it_was_to_come)
{
	struct agenda_imilo_rdv r = rdv("Planifié", NOW + 10 * DAY);
	apply(&r, NOW, true);
	const char *id = copy_id();
	r.statut = "Annulé";
	apply(&r, NOW + MINUTE, true);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE imilo_id = $1", "7001"), 0);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1", id), 0);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE key = 'APPOINTMENT_DELETED:' || $1",
			   id), 1);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key LIKE 'rdv:' || $1 || ':%'", id), 0);
	/* Deleted in i-milo afterwards: nothing left to do. */
	cr_assert_eq(agenda_imilo_remove(fx.db, NOW + 2 * MINUTE, "7001", true), 0);
}

Test(store, a_past_rdv_is_kept_silently_with_its_attendance)
{
	struct agenda_imilo_rdv r = rdv("Présent", NOW - 2 * DAY);
	apply(&r, NOW, true);
	const char *id = copy_id();
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1", ml.elodie), 0);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1 AND present = 1",
			   id), 1);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key LIKE 'rdv:' || $1 || ':%'", id), 0);
	/* Deleted in i-milo: gone, and nobody told of a past RDV. */
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(db_tx_end(fx.db, agenda_imilo_remove(fx.db, NOW, "7001", true)), 0);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1", id), 0);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1", ml.elodie), 0);
}

Test(store, without_imilo_rdv_push_the_centre_still_has_the_entry_and_the_reminders_stay)
{
	struct agenda_imilo_rdv r = rdv("Planifié", NOW + 10 * DAY);
	apply(&r, NOW, false);
	const char *id = copy_id();
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE key = 'NEW_APPOINTMENT:' || $1 "
			   "AND push = 0", id), 1);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key LIKE 'rdv:' || $1 || ':%'", id), 2);
}

Test(store, i_milo_rdv_are_purged_three_months_after_their_date)
{
	struct agenda_imilo_rdv old = rdv("Présent", NOW - 93 * DAY), recent = rdv("Présent", NOW - 91 * DAY);
	recent.imilo_id = "7002";
	apply(&old, NOW, true);
	apply(&recent, NOW, true);
	const char *cej = fixture_event(&fx, &(struct event){
		.type = EVENT_VISITE, .modality = MODALITY_NONE, .description = "", .address = "",
		.organism = "", .presence = true, .starts_at = NOW - 200 * DAY, .duration_min = 30,
		.creator_id = ml.claire_id, .creator_first_name = "Claire", .creator_last_name = "Martin",
		.structure_id = ml.brest}, (const char *[]){ml.elodie}, 1);
	cr_assert_eq(agenda_imilo_purge_past(fx.db, NOW), 1);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE imilo_id = $1", "7001"), 0);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE imilo_id = $1", "7002"), 1);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1", cej), 1, "cej's own RDV stay");
}

Test(store, an_event_received_twice_is_planned_once)
{
	struct imilo_event e = {.id = "0193a", .dossier_id = "100001", .type = "RDV",
				.action = "CREATE", .type_id = "7001", .date = "2025-09-15T10:00:00+02:00"};
	cr_assert_eq(feed_store_receive(fx.db, NOW, &e, "pending"), 1);
	cr_assert_eq(feed_store_receive(fx.db, NOW + MINUTE, &e, "pending"), 0, "delivered again");
	const char *state = NULL;
	cr_assert_eq(feed_store_state(fx.db, "0193a", &state), 0);
	cr_assert_str_eq(state, "pending");
	cr_assert_eq(feed_store_finish(fx.db, "0193a", "done", NOW + 2 * MINUTE), 0);
	cr_assert_eq(feed_store_receive(fx.db, NOW + 3 * MINUTE, &e, "pending"), 0, "and after");
	cr_assert_eq(feed_store_state(fx.db, "0193a", &state), 0);
	cr_assert_str_eq(state, "done");
	cr_assert_eq(feed_store_forget(fx.db, NOW + 2 * MINUTE + 1), 1);
	cr_assert_eq(feed_store_state(fx.db, "0193a", &state), -ERR_NOTFOUND);
}

/* ======================================================================================
 * Migration 0033 under events with participants
 * ==================================================================================== */

Test(store, migration_0033_keeps_events_participants_history_and_their_triggers)
{
	/* A database migrated up to 0032, holding a RDV and an AC with participants and a
	 * change, then 0033. */
	struct fixture old = {0};
	fixture_open(&old, "feed-migration", 0);
	struct db *db = db_open(fixture_path(&old, "old.db"));
	cr_assert_not_null(db);
	size_t before = 0;
	while (before < embed_migrations_count && strcmp(embed_migrations[before].name, "0033") < 0)
		before++;
	cr_assert_eq(db_migrate(db, embed_migrations, before), 0);
	static const char *const seed[] = {
		"INSERT INTO structure(id, code, name, created_at) VALUES ('s', '29019S00', 'ML', 0)",
		"INSERT INTO counselor(id, structure_id, first_name, last_name, created_at) "
		"  VALUES ('c', 's', 'Claire', 'Martin', 0)",
		"INSERT INTO beneficiary(id, structure_id, counselor_id, first_name, last_name, "
		"  search_folded, email, imilo_dossier_id, dispositif, created_at) "
		"  VALUES ('b', 's', 'c', 'Léa', 'Bertin', 'bertin lea', 'l@x.fr', '100001', 'CEJ', 0)",
		"INSERT INTO event(id, kind, type, starts_at, duration_min, ends_at, presence, "
		"  creator_id, creator_first_name, creator_last_name, structure_id, created_at, "
		"  updated_at) VALUES ('r', 'rdv', 'VISITE', 1000, 30, 1801000, 1, 'c', 'Claire', "
		"  'Martin', 's', 0, 0)",
		"INSERT INTO event(id, kind, type, title, starts_at, duration_min, ends_at, presence, "
		"  creator_id, creator_first_name, creator_last_name, structure_id, created_at, "
		"  updated_at) VALUES ('ac', 'ac', 'ATELIER', 'CV', 1000, 30, 1801000, 1, 'c', "
		"  'Claire', 'Martin', 's', 0, 0)",
		"INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('r', 'b', 0)",
		"INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('ac', 'b', 0)",
		"INSERT INTO event_history VALUES ('r', 5, 'c', 'Claire', 'Martin')",
	};
	for (size_t i = 0; i < sizeof(seed) / sizeof(seed[0]); i++)
		cr_assert_eq(db_exec(db, seed[i]), 0, "%s", seed[i]);
	cr_assert_eq(db_migrate(db, embed_migrations, embed_migrations_count), 0);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM event WHERE participant_count = 1");
	cr_assert_eq(db_run_int(st), 2, "both events and their counts");
	st = db_prepare(db, "SELECT count(*) FROM event_history WHERE event_id = 'r'");
	cr_assert_eq(db_run_int(st), 1);
	/* The triggers are back: a move reaches the participation, a removal the count. */
	cr_assert_eq(db_exec(db, "UPDATE event SET starts_at = 5000 WHERE id = 'r'"), 0);
	st = db_prepare(db, "SELECT starts_at FROM event_participant WHERE event_id = 'r'");
	cr_assert_eq(db_run_int(st), 5000);
	cr_assert_eq(db_exec(db, "DELETE FROM event_participant WHERE event_id = 'ac'"), 0);
	st = db_prepare(db, "SELECT participant_count FROM event WHERE id = 'ac'");
	cr_assert_eq(db_run_int(st), 0);
	/* The foreign keys hold: no participation of a missing event. */
	cr_assert_neq(db_exec(db, "INSERT INTO event_participant(event_id, beneficiary_id, "
				  "added_at) VALUES ('nope', 'b', 0)"), 0);
	/* An i-milo RDV needs its id, and only it may lack a creator. */
	cr_assert_neq(db_exec(db, "INSERT INTO event(id, kind, type, starts_at, duration_min, "
				  "ends_at, presence, creator_first_name, creator_last_name, "
				  "structure_id, created_at, updated_at) VALUES ('x', 'rdv', 'VISITE', "
				  "0, 30, 1800000, 1, 'A', 'B', 's', 0, 0)"), 0);
	cr_assert_eq(db_exec(db, "INSERT INTO event(id, kind, type, starts_at, duration_min, "
				 "ends_at, presence, creator_first_name, creator_last_name, "
				 "structure_id, created_at, updated_at, imilo_id) VALUES ('m', 'rdv', "
				 "'RENDEZ_VOUS_MILO', 0, 30, 1800000, 1, 'A', 'B', 's', 0, 0, '7001')"), 0);
	db_close(db);
	fixture_close(&old);
}
