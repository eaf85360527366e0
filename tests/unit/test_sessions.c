/* test_sessions.c — i-milo sessions in cej (agenda.md §5, notifications.md rows 8–11):
 * the pure rules (suite rules: the status algorithm of §5.5, remaining places and the
 * staging checks of §5.3, the i-milo write order, the closing plan of §5.4), then the
 * effects of a registration change on a migrated database (suite registration: the local
 * copy, notifications and their keys, reminders). */
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "sessions/sessions.h"
#include "sessions/sessions_registration.h"
#include "sessions/sessions_feature.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#define at(iso) fixture_at(iso)
#define DAY (24 * 3600 * 1000LL)
#define NOW at("2025-09-15T08:00:00Z")

static struct arena *a;

FIXTURE_ARENA_SUITE(rules, a);

Test(rules, status_first_match_wins)
{
	const char *ongoing[] = {"REFUSAL", "ONGOING"};
	const char *marked[] = {"ACHIEVED", "REFUSAL_YOUNG", "REFUSAL"};
	const char *unknown[] = {"WAITING"};
	/* 1. closed_at wins, even for a session still to come. */
	cr_assert_eq(sessions_status(NOW + DAY, NOW - 1, ongoing, 2, NOW), SESSION_CLOSED);
	/* 2. future. */
	cr_assert_eq(sessions_status(NOW + 1, 0, ongoing, 2, NOW), SESSION_UPCOMING);
	/* 3. started with one ONGOING (an unknown statut is an Inscrit). */
	cr_assert_eq(sessions_status(NOW, 0, ongoing, 2, NOW), SESSION_TO_CLOSE);
	cr_assert_eq(sessions_status(NOW - DAY, 0, unknown, 1, NOW), SESSION_TO_CLOSE);
	/* 4. started, nobody left to mark, or nobody at all. */
	cr_assert_eq(sessions_status(NOW - DAY, 0, marked, 3, NOW), SESSION_CLOSED);
	cr_assert_eq(sessions_status(NOW - DAY, 0, NULL, 0, NOW), SESSION_CLOSED);
	cr_assert(sessions_should_auto_close(NOW - DAY, 0, marked, 3, NOW));
	cr_assert_not(sessions_should_auto_close(NOW - DAY, NOW - 1, marked, 3, NOW), "already");
	cr_assert_not(sessions_should_auto_close(NOW - DAY, 0, ongoing, 2, NOW));
	cr_assert_not(sessions_should_auto_close(NOW + DAY, 0, NULL, 0, NOW), "not started");
	cr_assert_str_eq(sessions_status_label(SESSION_TO_CLOSE), "À clore");
}

Test(rules, labels_map_imilo_statuts_and_unknown_reads_inscrit)
{
	cr_assert_str_eq(sessions_statut_label("ONGOING"), "Inscrit");
	cr_assert_str_eq(sessions_statut_label("ACHIEVED"), "Présent");
	cr_assert_str_eq(sessions_statut_label("REFUSAL"), "Refus tiers");
	cr_assert_str_eq(sessions_statut_label("REFUSAL_YOUNG"), "Refus jeune");
	cr_assert_str_eq(sessions_statut_label("PRESCRIT"), "Inscrit");
	cr_assert_not(sessions_statut_is_known("PRESCRIT"));
}

Test(rules, remaining_places_follow_the_staged_changes)
{
	struct stage_change c[] = {
		{NULL, STAGE_CREATE, NULL},
		{"REFUSAL", STAGE_REREGISTER, NULL},
		{"ONGOING", STAGE_REFUSAL_YOUNG, "malade"},
		{"ACHIEVED", STAGE_DELETE, NULL},
		{"ONGOING", STAGE_NONE, NULL},
	};
	cr_assert_eq(sessions_remaining(1, c, 1), 0, "scenario 7: 1 place, one staged");
	cr_assert_eq(sessions_remaining(1, c, 2), -1);
	cr_assert_eq(sessions_remaining(1, c, 5), 1, "two taken, two freed");
	cr_assert_eq(sessions_remaining(-1, c, 5), -1, "unlimited stays unlimited");
	struct stage_change refused_again = {"REFUSAL", STAGE_REFUSAL_YOUNG, NULL};
	cr_assert_eq(sessions_remaining(0, &refused_again, 1), 0, "a refusal holds no place");
}

Test(rules, staging_checks_deadline_places_and_rows)
{
	struct stage_change add = {NULL, STAGE_CREATE, NULL};
	struct stage_change two[] = {{NULL, STAGE_CREATE, NULL}, {NULL, STAGE_CREATE, NULL}};
	cr_assert_null(sessions_stage_check(&add, 1, 1, true));
	cr_assert_null(sessions_stage_check(two, 2, -1, true), "unlimited");
	cr_assert_str_eq(sessions_stage_check(two, 2, 1, true),
			 "Il n'y a plus assez de places disponibles pour cette session.");
	cr_assert_str_eq(sessions_stage_check(&add, 1, 5, false),
			 "Les inscriptions ne sont plus possibles car la date limite est atteinte.");
	/* Past the deadline a counselor may still unregister or refuse. */
	struct stage_change refuse = {"ONGOING", STAGE_REFUSAL, NULL};
	cr_assert_null(sessions_stage_check(&refuse, 1, 0, false));
	/* A comment only with "Refus jeune", at most 250 characters (not bytes). */
	char long_comment[4 * 251 + 1] = "";
	for (int i = 0; i < 250; i++)
		strcat(long_comment, "é");
	struct stage_change young = {"ONGOING", STAGE_REFUSAL_YOUNG, long_comment};
	cr_assert_null(sessions_stage_check(&young, 1, 0, true));
	strcat(long_comment, "é");
	cr_assert_not_null(sessions_stage_check(&young, 1, 0, true));
	struct stage_change commented = {"ONGOING", STAGE_REFUSAL, "non"};
	cr_assert_not_null(sessions_stage_check(&commented, 1, 0, true));
	struct stage_change rereg_ongoing = {"ONGOING", STAGE_REREGISTER, NULL};
	cr_assert_not_null(sessions_stage_check(&rereg_ongoing, 1, 3, true));
	struct stage_change unreg_refused = {"REFUSAL", STAGE_DELETE, NULL};
	cr_assert_not_null(sessions_stage_check(&unreg_refused, 1, 3, true));
}

Test(rules, writes_go_deletions_modifications_reregistrations_creations)
{
	struct stage_change c[] = {
		{NULL, STAGE_CREATE, NULL},             /* 0 */
		{"REFUSAL", STAGE_REREGISTER, NULL},    /* 1 */
		{"ONGOING", STAGE_NONE, NULL},          /* 2 */
		{"ONGOING", STAGE_REFUSAL_YOUNG, NULL}, /* 3 */
		{"ONGOING", STAGE_DELETE, NULL},        /* 4 */
		{"ONGOING", STAGE_REFUSAL, NULL},       /* 5 */
		{NULL, STAGE_CREATE, NULL},             /* 6 */
	};
	int order[7];
	int n = sessions_write_order(c, 7, order);
	int expected[] = {4, 3, 5, 1, 0, 6};
	cr_assert_eq(n, 6);
	for (int i = 0; i < n; i++)
		cr_assert_eq(order[i], expected[i], "write %d", i);
}

Test(rules, closing_marks_present_and_absent_and_leaves_the_rest)
{
	const char *comment;
	cr_assert_str_eq(sessions_close_statut("ONGOING", true, &comment), "ACHIEVED");
	cr_assert_null(comment);
	cr_assert_str_eq(sessions_close_statut("REFUSAL", true, &comment), "ACHIEVED",
			 "scenario 10: D, Refus tiers, checked");
	cr_assert_str_eq(sessions_close_statut("ONGOING", false, &comment), "REFUSAL_YOUNG");
	cr_assert_str_eq(comment, "Absence");
	cr_assert_null(sessions_close_statut("ACHIEVED", true, &comment), "already present");
	cr_assert_null(sessions_close_statut("REFUSAL", false, &comment), "refusal unchanged");
	cr_assert_null(sessions_close_statut("REFUSAL_YOUNG", false, &comment));
}

/* ======================================================================================
 * The effects of a registration change
 * ==================================================================================== */

static struct fixture fx;
static struct fixture_two_ml ml;

static void
setup(void)
{
	fixture_open(&fx, "sessions", FIXTURE_DB);
	fixture_two_ml(&fx, &ml);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(registration, .init = setup, .fini = teardown);

static int64_t
count(const char *sql, const char *param)
{
	struct db_stmt *st = db_prepare(fx.db, sql);
	cr_assert_not_null(st);
	if (param)
		db_bind_text(st, 1, param);
	return db_run_int(st);
}

static const char *
body_of(const char *key)
{
	const char *body = NULL;
	struct db_stmt *st = db_prepare(fx.db, "SELECT body FROM notification WHERE key = $1");
	db_bind_text(st, 1, key);
	int rc = db_run_texts(st, fx.a, 1, &body);
	return rc ? NULL : body;
}

static struct session_registration
reg(const char *statut, int64_t start)
{
	return (struct session_registration){"9001", "4242", ml.elodie, "Atelier CV", start,
					     start + 2 * 3600 * 1000LL, statut};
}

static void
apply(const struct session_registration *r, int64_t now)
{
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(sessions_registration_apply(fx.db, now, r), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
}

Test(registration, a_registration_is_copied_told_once_and_reminded)
{
	struct session_registration r = reg("ONGOING", at("2025-09-25T08:00:00Z"));
	apply(&r, NOW);
	apply(&r, NOW + 1000);   /* the feed's echo */
	cr_assert_eq(count("SELECT count(*) FROM session_registration WHERE statut = 'ONGOING'",
			   NULL), 1);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE type = 'SESSION_REGISTERED'",
			   NULL), 1, "the key absorbs the echo");
	cr_assert_str_eq(body_of("SESSION_REGISTERED:9001"),
			 "Vous êtes inscrit à l'événement Atelier CV du 25/09");
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE url = $1", 
			   "/app/evenements/sessions/4242"), 1);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key IN ('instance-session:9001:j7', "
			   "'instance-session:9001:j1')", NULL), 2);
}

Test(registration, a_young_refusal_unregisters_and_drops_the_reminders)
{
	struct session_registration r = reg("ONGOING", at("2025-09-25T08:00:00Z"));
	apply(&r, NOW);
	r.statut = "REFUSAL_YOUNG";
	apply(&r, NOW + 1000);
	cr_assert_str_eq(body_of("SESSION_UNREGISTERED:9001"),
			 "Votre rendez-vous du 25/09 est supprimé");
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key LIKE 'instance-session:9001:%'",
			   NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM session_registration WHERE statut = "
			   "'REFUSAL_YOUNG'", NULL), 1, "the row stays, refused");
}

Test(registration, a_moved_session_is_told_once_per_date_and_replanned)
{
	struct session_registration r = reg("ONGOING", at("2025-09-25T08:00:00Z"));
	apply(&r, NOW);
	r.starts_at = at("2025-09-16T12:00:00Z");   /* now 28 h ahead: J-7 too late */
	apply(&r, NOW + 1000);
	apply(&r, NOW + 2000);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE type = 'SESSION_UPDATED'",
			   NULL), 1);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key = 'instance-session:9001:j7'",
			   NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key = 'instance-session:9001:j1'",
			   NULL), 1);
}

Test(registration, a_deletion_removes_the_copy_and_tells_only_a_future_registration)
{
	struct session_registration r = reg("ONGOING", at("2025-09-25T08:00:00Z"));
	apply(&r, NOW);
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(sessions_registration_delete(fx.db, NOW, ml.elodie, "9001"), 0);
	cr_assert_eq(sessions_registration_delete(fx.db, NOW, ml.elodie, "9001"), 0, "twice");
	cr_assert_eq(sessions_registration_delete(fx.db, NOW, ml.elodie, "777"), 0, "unknown");
	cr_assert_eq(db_tx_commit(fx.db), 0);
	cr_assert_eq(count("SELECT count(*) FROM session_registration", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE type = "
			   "'SESSION_UNREGISTERED'", NULL), 1);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key LIKE 'instance-session:%'", NULL),
		     0);
}

Test(registration, a_past_registration_tells_nothing)
{
	struct session_registration r = reg("ONGOING", NOW - DAY);
	apply(&r, NOW);
	cr_assert_eq(count("SELECT count(*) FROM notification", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM job WHERE key LIKE 'instance-session:%'", NULL),
		     0);
	r.statut = "bogus";
	cr_assert_eq(sessions_registration_apply(fx.db, NOW, &r), -ERR_INVAL);
}

/* The reminder job without i-milo (app NULL: nobody to ask): retried while i-milo may
 * still answer, then the local copy decides (notifications.md §3.2). */
static int
run_reminder(int attempts, int64_t now, const char **error)
{
	const char *payload = "{\"instance\":\"9001\",\"session\":\"4242\",\"beneficiary\":\"%s\","
			      "\"days\":1,\"start\":%lld}";
	struct job j = {"j", SESSIONS_REMINDER_KIND, "instance-session:9001:j1",
			arena_printf(fx.a, payload, ml.elodie,
				     (long long)at("2025-09-25T08:00:00Z")),
			attempts, now};
	return sessions_run_reminder(NULL, fx.db, fx.a, &j, now, error);
}

Test(registration, the_reminder_falls_back_on_the_local_copy_after_three_tries)
{
	struct session_registration r = reg("ONGOING", at("2025-09-25T08:00:00Z"));
	apply(&r, NOW);
	int64_t j1 = at("2025-09-24T08:00:00Z");
	const char *error = NULL;
	for (int attempt = 1; attempt <= SESSIONS_REMINDER_IMILO_TRIES; attempt++)
		cr_assert_eq(run_reminder(attempt, j1, &error), -ERR_UNAVAILABLE, "try %d", attempt);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE type = 'SESSION_REMINDER'",
			   NULL), 0);
	cr_assert_eq(run_reminder(SESSIONS_REMINDER_IMILO_TRIES + 1, j1, &error), 0);
	cr_assert_str_eq(body_of("SESSION_REMINDER:9001:1"), "Vous avez un événement demain");
	cr_assert_eq(run_reminder(SESSIONS_REMINDER_IMILO_TRIES + 1, j1, &error), 0, "re-run");
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE type = 'SESSION_REMINDER'",
			   NULL), 1);
}

Test(registration, a_refused_registration_gets_no_reminder)
{
	struct session_registration r = reg("ONGOING", at("2025-09-25T08:00:00Z"));
	apply(&r, NOW);
	r.statut = "REFUSAL";
	apply(&r, NOW + 1000);
	const char *error = NULL;
	cr_assert_eq(run_reminder(SESSIONS_REMINDER_IMILO_TRIES + 1, at("2025-09-24T08:00:00Z"),
				  &error), 0);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE type = 'SESSION_REMINDER'",
			   NULL), 0, "notifications.md scenario 7");
}
