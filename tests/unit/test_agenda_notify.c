/* test_agenda_notify.c — what the participants of an event are told and when (agenda.md
 * §9, §10 scenario 1; notifications.md §2 rows 4–7, §3.2, §4, scenarios 1–4, 7 and 12):
 * the pure decisions (suite rules), then the use cases and the reminder jobs on a migrated
 * database with the test clock (suite store), across the October DST change. */
#include "agenda/agenda.h"
#include "agenda/agenda_notify.h"
#include "agenda/agenda_use.h"
#include "auth/authz.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "notifications/notifications.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#define PARIS FIXTURE_PARIS
#define at(iso) fixture_at(iso)
#define DAY (24 * 3600 * 1000LL)
#define MINUTE (60 * 1000LL)

/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

static struct arena *a;

/* ======================================================================================
 * The pure decisions
 * ==================================================================================== */

FIXTURE_ARENA_SUITE(rules, a);

Test(rules, reminders_are_planned_only_when_their_instant_is_still_ahead)
{
	int64_t start = NOW + 10 * DAY;
	cr_assert_eq(notifications_reminder_at(start, 7, NOW), start - 7 * DAY);
	cr_assert_eq(notifications_reminder_at(start, 1, NOW), start - DAY);
	/* "only if start − now > 7 days": exactly 7 days is too late. */
	cr_assert_eq(notifications_reminder_at(NOW + 7 * DAY, 7, NOW), 0);
	cr_assert_eq(notifications_reminder_at(NOW + 7 * DAY + 1, 7, NOW), NOW + 1);
	cr_assert_eq(notifications_reminder_at(NOW + DAY, 1, NOW), 0);
	cr_assert_eq(notifications_reminder_at(NOW + DAY + 1, 1, NOW), NOW + 1);
	cr_assert_eq(notifications_reminder_at(NOW - DAY, 1, NOW), 0, "a past event");
}

Test(rules, at_send_time_j7_needs_6_days_left_and_j1_at_most_2)
{
	int64_t start = NOW + 10 * DAY;
	cr_assert(notifications_reminder_still_due(start, 7, start - 7 * DAY));
	cr_assert(notifications_reminder_still_due(start, 7, start - 6 * DAY));
	cr_assert_not(notifications_reminder_still_due(start, 7, start - 6 * DAY + 1), "ran too late");
	cr_assert(notifications_reminder_still_due(start, 1, start - DAY));
	cr_assert(notifications_reminder_still_due(start, 1, start - 2 * DAY));
	cr_assert_not(notifications_reminder_still_due(start, 1, start - 2 * DAY - 1), "too early");
	cr_assert_not(notifications_reminder_still_due(start, 1, start), "the event has begun");
}

static struct event
ev(int64_t start, int duration, const char *address)
{
	return (struct event){.id = "e1", .type = EVENT_VISITE, .starts_at = start,
			      .duration_min = duration, .address = address, .title = "Visite",
			      .description = ""};
}

Test(rules, only_date_time_duration_and_address_make_a_change)
{
	struct event b = ev(NOW, 45, "12 rue Duc"), x = b;
	x.title = "Autre titre";
	x.description = "Nouvelle description";
	x.modality = MODALITY_VISIO;
	cr_assert_not(agenda_notify_moved(&b, &x));
	x = b;
	x.starts_at += MINUTE;
	cr_assert(agenda_notify_moved(&b, &x), "time");
	x = b;
	x.duration_min = 60;
	cr_assert(agenda_notify_moved(&b, &x), "duration");
	x = b;
	x.address = "3 place de la Liberté";
	cr_assert(agenda_notify_moved(&b, &x), "address");
	struct event none = ev(NOW, 45, NULL), empty = ev(NOW, 45, "");
	cr_assert_not(agenda_notify_moved(&none, &empty), "no address either way");
}

/* The notice for @id in @p, or -1. */
static int
notice(const struct agenda_notify_plan *p, const char *id)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->to[i].beneficiary_id, id))
			return (int)p->to[i].what;
	return -1;
}

Test(rules, a_creation_tells_everyone_and_plans_the_reminders)
{
	struct event e = ev(NOW + 10 * DAY, 45, "");
	struct agenda_notify_plan p;
	agenda_notify_decide(a, NULL, NULL, 0, &e, (const char *[]){"b1", "b2", "b1"}, 3, &p);
	cr_assert_eq(p.n, 2, "b1 listed twice is told once");
	cr_assert_eq(notice(&p, "b1"), AGENDA_NOTICE_NEW);
	cr_assert_eq(notice(&p, "b2"), AGENDA_NOTICE_NEW);
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_PLAN);
	/* An AC with no registrant yet: nobody to remind. */
	agenda_notify_decide(a, NULL, NULL, 0, &e, NULL, 0, &p);
	cr_assert_eq(p.n, 0);
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_CANCEL);
}

Test(rules, a_deletion_tells_every_participant_and_cancels_the_reminders)
{
	struct event e = ev(NOW + 10 * DAY, 45, "");
	struct agenda_notify_plan p;
	agenda_notify_decide(a, &e, (const char *[]){"b1", "b2"}, 2, NULL, NULL, 0, &p);
	cr_assert_eq(p.n, 2);
	cr_assert_eq(notice(&p, "b1"), AGENDA_NOTICE_DELETED);
	cr_assert_eq(notice(&p, "b2"), AGENDA_NOTICE_DELETED);
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_CANCEL);
}

Test(rules, an_edit_tells_the_added_the_removed_and_the_kept_when_it_moved)
{
	struct event b = ev(NOW + 10 * DAY, 45, ""), x = b;
	const char *old[] = {"b1", "b2"}, *now_ids[] = {"b1", "b3"};
	struct agenda_notify_plan p;
	x.title = "Nouveau titre";
	agenda_notify_decide(a, &b, old, 2, &x, now_ids, 2, &p);
	cr_assert_eq(p.n, 2, "b1 kept, nothing moved: not told");
	cr_assert_eq(notice(&p, "b3"), AGENDA_NOTICE_NEW);
	cr_assert_eq(notice(&p, "b2"), AGENDA_NOTICE_DELETED);
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_KEEP, "same start: the jobs stay");

	x.duration_min = 90;
	agenda_notify_decide(a, &b, old, 2, &x, now_ids, 2, &p);
	cr_assert_eq(p.n, 3);
	cr_assert_eq(notice(&p, "b1"), AGENDA_NOTICE_UPDATED);
	cr_assert_eq(notice(&p, "b3"), AGENDA_NOTICE_NEW, "an added one hears of it as new");
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_KEEP, "a longer RDV starts at the same time");

	x.starts_at += DAY;
	agenda_notify_decide(a, &b, old, 2, &x, now_ids, 2, &p);
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_PLAN, "a date change re-plans");
}

Test(rules, reminders_follow_the_first_and_the_last_participant)
{
	struct event b = ev(NOW + 10 * DAY, 45, ""), x = b;
	struct agenda_notify_plan p;
	agenda_notify_decide(a, &b, NULL, 0, &x, (const char *[]){"b1"}, 1, &p);
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_PLAN, "an AC gets its first registrant");
	agenda_notify_decide(a, &b, (const char *[]){"b1"}, 1, &x, NULL, 0, &p);
	cr_assert_eq(p.reminders, AGENDA_REMINDERS_CANCEL, "its last one leaves");
	cr_assert_eq(notice(&p, "b1"), AGENDA_NOTICE_DELETED);
}

/* ======================================================================================
 * Use cases and jobs on a database
 * ==================================================================================== */

static struct fixture fx;
static struct db *db;
static const char *sid, *cid, *b1, *b2, *b3;
static struct user claire;

static void
store_setup(void)
{
	fixture_open(&fx, "agenda-notify", FIXTURE_DB);
	db = fx.db;
	a = fx.a;
	sid = fixture_structure(&fx, "29019S00", "ML Brest", PARIS);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "Claire", .last_name = "Martin", .structure_id = sid});
	b1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Élodie", .last_name = "Dupont",
		.activated_at = 2000});
	b2 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Paul", .last_name = "Arnaud",
		.activated_at = 2000});
	/* Never logged in: told in the centre, never pushed (§6). */
	b3 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Ana", .last_name = "Lemoine"});
	claire = (struct user){.kind = USER_COUNSELOR, .id = cid, .first_name = "Claire",
			       .last_name = "Martin", .structure_id = sid, .timezone = PARIS};
}

static void
store_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = store_setup, .fini = store_teardown, .timeout = 60);

static struct event
rdv_at(int64_t start)
{
	return (struct event){.type = EVENT_VISITE, .modality = MODALITY_ML, .description = "",
			      .address = "12 rue Duc, Brest", .organism = "", .starts_at = start,
			      .duration_min = 45};
}

/* Creates a VISITE at @start with @ids, at @now. */
static struct event
create(int64_t now, int64_t start, const char *const *ids, int n)
{
	struct event e = rdv_at(start);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, now, &e, ids, n, &why, NULL), 0, "%s",
		     why.message ? why.message : "");
	return e;
}

/* Claire's edit of stored event @id at @now: @change applied to what is stored. */
static void
edit(const char *id, int64_t now, void (*change)(struct event *), const char *const *ids, int n)
{
	struct event before, after;
	cr_assert_eq(agenda_open(db, a, &claire, id, true, &before, NULL), 0);
	after = before;
	change(&after);
	struct refusal why = {0};
	cr_assert_eq(agenda_edit(db, a, &claire, now, &before, &after, ids, n, &why, NULL), 0, "%s",
		     why.message ? why.message : "");
}

static int64_t moved_to;
static void move(struct event *e) { e->starts_at = moved_to; }
static void retitle(struct event *e) { e->title = "Point d’étape"; }
static void same(struct event *e) { (void)e; }

/* The centre of @who at @now, entries titled @title: their count; the newest into *@out
 * (may be NULL). */
static int
told(const char *who, int64_t now, const char *title, struct notification *out)
{
	struct notification *list;
	int n = notifications_list(db, a, who, now, &list), k = 0;
	cr_assert_geq(n, 0);
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].title, title)) {
			if (!k && out)
				*out = list[i];
			k++;
		}
	return k;
}

static int
entries(const char *who, int64_t now)
{
	struct notification *list;
	return notifications_list(db, a, who, now, &list);
}

/* The run time of live job @key, or 0 when there is none. */
static int64_t
job_at(const char *event_id, int days)
{
	struct job j;
	int rc = jobs_find(db, a, arena_printf(a, "rdv:%s:j%d", event_id, days), &j);
	if (rc == -ERR_NOTFOUND)
		return 0;
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(j.kind, "agenda_reminder");
	return j.run_at;
}

static int
run_jobs(int64_t now)
{
	return jobs_run_due(agenda_job_kinds, AGENDA_JOB_KINDS, NULL, db, now, 20);
}

Test(store, agenda_scenario_1_forced_presence_new_appointment_j1_but_no_j7)
{
	/* ENTRETIEN_INDIVIDUEL_CONSEILLER at today + 3, 10:00, 00:45, presence false forged. */
	struct event e = rdv_at(clock_day_at(clock_day_of(NOW, PARIS) + 3, 10, 0, PARIS)), got;
	e.type = EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER;
	e.presence = false;
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, false, &got, NULL), 0);
	cr_assert(got.presence, "stored true");
	struct notification n;
	cr_assert_eq(told(b1, NOW, "Nouveau rendez-vous", &n), 1);
	cr_assert_str_eq(n.body, "Votre conseiller a programmé un nouveau rendez-vous");
	cr_assert_str_eq(n.url, arena_printf(a, "/app/rendez-vous/%s", e.id));
	cr_assert_str_eq(n.type, "NEW_APPOINTMENT");
	cr_assert_eq(job_at(e.id, 1), e.starts_at - DAY, "rdv:{id}:j1 exists");
	cr_assert_eq(job_at(e.id, 7), 0, "rdv:{id}:j7 does not");
}

Test(store, scenario_1_an_rdv_10_days_ahead_gets_both_jobs_and_one_new_appointment)
{
	struct event e = create(NOW, NOW + 10 * DAY, (const char *[]){b1}, 1);
	cr_assert_eq(job_at(e.id, 7), e.starts_at - 7 * DAY);
	cr_assert_eq(job_at(e.id, 1), e.starts_at - DAY);
	struct notification n;
	cr_assert_eq(entries(b1, NOW), 1);
	cr_assert_eq(told(b1, NOW, "Nouveau rendez-vous", &n), 1);
	cr_assert(n.push, "activated, preference on: pushed");
	/* Not activated: the centre has it, no push. */
	struct event e3 = create(NOW, NOW + 10 * DAY, (const char *[]){b3}, 1);
	cr_assert_eq(told(b3, NOW, "Nouveau rendez-vous", &n), 1);
	cr_assert_not(n.push);
	cr_assert_neq(job_at(e3.id, 1), 0);
}

Test(store, scenario_2_moved_to_5_days_ahead_drops_j7_replans_j1_and_tells_once)
{
	struct event e = create(NOW, NOW + 10 * DAY, (const char *[]){b1}, 1);
	moved_to = NOW + 5 * DAY;
	edit(e.id, NOW + 5 * MINUTE, move, (const char *[]){b1}, 1);
	cr_assert_eq(job_at(e.id, 7), 0, "j7 deleted");
	cr_assert_eq(job_at(e.id, 1), moved_to - DAY, "j1 re-planned");
	struct notification n;
	cr_assert_eq(told(b1, NOW + 5 * MINUTE, "Rendez-vous modifié", &n), 1);
	cr_assert_str_eq(n.body, "Votre rendez-vous a été modifié");
	cr_assert_str_eq(n.type, "APPOINTMENT_UPDATED");
	cr_assert_str_eq(n.url, arena_printf(a, "/app/rendez-vous/%s", e.id));
	cr_assert_eq(entries(b1, NOW + 5 * MINUTE), 2);
}

Test(store, scenario_3_deleted_drops_both_jobs_and_tells_the_day)
{
	/* Thursday 25 September 2025, 09:30 in Paris. */
	struct event e = create(NOW, at("2025-09-25T07:30:00Z"), (const char *[]){b1, b2}, 2), got;
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_delete(db, NOW + MINUTE, &got, &(struct refusal){0}, NULL), 0);
	cr_assert_eq(job_at(e.id, 7), 0);
	cr_assert_eq(job_at(e.id, 1), 0);
	for (int i = 0; i < 2; i++) {
		struct notification n;
		cr_assert_eq(told(i ? b2 : b1, NOW + MINUTE, "Rendez-vous supprimé", &n), 1);
		cr_assert_str_eq(n.body, "Votre rendez-vous du 25/09 est supprimé");
		cr_assert_str_eq(n.url, "/app/suivi");
		cr_assert_str_eq(n.type, "APPOINTMENT_DELETED");
	}
	cr_assert_eq(run_jobs(e.starts_at), 0, "nothing left to run");
}

Test(store, the_day_of_a_deletion_is_the_structure_s_day)
{
	/* 21:30 UTC on 24/09 is 23:30 in Paris, still the 24th there. */
	struct event e = create(NOW, at("2025-09-24T21:30:00Z"), (const char *[]){b1}, 1), got;
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_delete(db, NOW + MINUTE, &got, &(struct refusal){0}, NULL), 0);
	struct notification n;
	cr_assert_eq(told(b1, NOW + MINUTE, "Rendez-vous supprimé", &n), 1);
	cr_assert_str_eq(n.body, "Votre rendez-vous du 24/09 est supprimé");
	/* Followed from La Réunion (UTC+4), the same instant is already the 25th there. */
	const char *rsid = fixture_structure(&fx, "97411S00", "ML Saint-Denis", FIXTURE_REUNION);
	const char *r1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = rsid,
		.counselor_id = cid, .first_name = "Léa", .last_name = "Payet", .activated_at = 2000});
	e = create(NOW, at("2025-09-24T21:30:00Z"), (const char *[]){r1}, 1);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_delete(db, NOW + MINUTE, &got, &(struct refusal){0}, NULL), 0);
	cr_assert_eq(told(r1, NOW + MINUTE, "Rendez-vous supprimé", &n), 1);
	cr_assert_str_eq(n.body, "Votre rendez-vous du 25/09 est supprimé");
}

static void
set_pref(const char *who, int on)
{
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET pref_rendez_vous_sessions = $1 "
					    "WHERE id = $2");
	db_bind_int64(st, 1, on);
	db_bind_text(st, 2, who);
	cr_assert_eq(db_run(st), 0);
}

Test(store, scenario_4_preference_off_no_push_but_the_centre_and_the_j1_push)
{
	set_pref(b1, 0);
	struct event e = create(NOW, NOW + 10 * DAY, (const char *[]){b1}, 1);
	struct notification n;
	cr_assert_eq(told(b1, NOW, "Nouveau rendez-vous", &n), 1, "the centre entry exists");
	cr_assert_not(n.push, "no push");
	int64_t j1 = job_at(e.id, 1);
	cr_assert_eq(run_jobs(j1), 2, "j7 is overdue too: it runs and finds it is too late");
	cr_assert_eq(told(b1, j1, "Rappel rendez-vous", &n), 1);
	cr_assert_str_eq(n.body, "Vous avez un rendez-vous demain");
	cr_assert(n.push, "reminders are not gated");
}

Test(store, scenario_7_a_participant_removed_before_j1_gets_no_reminder)
{
	struct event e = create(NOW, NOW + 10 * DAY, (const char *[]){b1, b2}, 2);
	edit(e.id, NOW + MINUTE, same, (const char *[]){b1}, 1);
	struct notification n;
	cr_assert_eq(told(b2, NOW + MINUTE, "Rendez-vous supprimé", &n), 1, "Paul is told");
	cr_assert_eq(told(b1, NOW + MINUTE, "Rendez-vous modifié", NULL), 0, "nothing moved for Élodie");
	cr_assert_neq(job_at(e.id, 1), 0, "the jobs stay for the others");
	int64_t j7 = job_at(e.id, 7), j1 = job_at(e.id, 1);
	cr_assert_eq(run_jobs(j7), 1);
	cr_assert_eq(run_jobs(j1), 1);
	cr_assert_eq(told(b1, j1, "Rappel rendez-vous", NULL), 2, "J-7 and J-1");
	cr_assert_eq(told(b2, j1, "Rappel rendez-vous", NULL), 0);
}

Test(store, an_added_participant_hears_of_a_new_appointment_the_others_of_nothing)
{
	struct event e = create(NOW, NOW + 10 * DAY, (const char *[]){b1}, 1);
	edit(e.id, NOW + MINUTE, retitle, (const char *[]){b1, b2}, 2);
	cr_assert_eq(told(b2, NOW + MINUTE, "Nouveau rendez-vous", NULL), 1);
	cr_assert_eq(entries(b1, NOW + MINUTE), 1, "a new title is no change for Élodie");
}

Test(store, changes_within_60_seconds_make_one_rendez_vous_modifie)
{
	struct event e = create(NOW, NOW + 10 * DAY, (const char *[]){b1}, 1);
	int64_t t = NOW + 10 * MINUTE;
	moved_to = e.starts_at + 3600 * 1000LL;
	edit(e.id, t, move, (const char *[]){b1}, 1);
	moved_to += 3600 * 1000LL;
	edit(e.id, t + 30 * 1000, move, (const char *[]){b1}, 1);
	moved_to += 3600 * 1000LL;
	edit(e.id, t + 60 * 1000, move, (const char *[]){b1}, 1);
	cr_assert_eq(told(b1, t + MINUTE, "Rendez-vous modifié", NULL), 1, "one burst");
	/* The key's version is the burst's first change. */
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM notification WHERE key = $1");
	db_bind_text(st, 1, arena_printf(a, "APPOINTMENT_UPDATED:%s:%lld", e.id, (long long)t));
	cr_assert_eq(db_run_int(st), 1);
	/* More than 60 s after the first: a second one. */
	moved_to += 3600 * 1000LL;
	edit(e.id, t + 60 * 1000 + 1, move, (const char *[]){b1}, 1);
	cr_assert_eq(told(b1, t + 2 * MINUTE, "Rendez-vous modifié", NULL), 2);
	cr_assert_eq(job_at(e.id, 1), moved_to - DAY, "re-planned each time");
}

Test(store, an_ac_gets_its_reminders_with_its_first_registrant)
{
	struct event e = rdv_at(NOW + 10 * DAY);
	e.type = EVENT_ATELIER;
	e.title = "Atelier CV";
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, NULL, 0, &why, NULL), 0);
	cr_assert_eq(job_at(e.id, 1), 0, "no registrant, nobody to remind");
	edit(e.id, NOW + MINUTE, same, (const char *[]){b1}, 1);
	cr_assert_eq(told(b1, NOW + MINUTE, "Nouveau rendez-vous", NULL), 1);
	cr_assert_eq(job_at(e.id, 7), e.starts_at - 7 * DAY);
	cr_assert_eq(job_at(e.id, 1), e.starts_at - DAY);
	edit(e.id, NOW + 2 * MINUTE, same, NULL, 0);
	cr_assert_eq(job_at(e.id, 1), 0, "the last one left");
	cr_assert_eq(told(b1, NOW + 2 * MINUTE, "Rendez-vous supprimé", NULL), 1);
}

Test(store, reminders_across_the_october_dst_change_are_24_hours_apart_in_utc)
{
	/* Monday 26 October 2026 at 10:00 in Paris, the day after the last Sunday of October:
	 * 09:00 UTC (CET). The week before was CEST. */
	int64_t start = clock_day_at(fixture_day("2026-10-26"), 10, 0, PARIS);
	cr_assert_eq(start, at("2026-10-26T09:00:00Z"));
	int64_t now = at("2026-10-01T08:00:00Z");
	struct event e = create(now, start, (const char *[]){b1}, 1);
	int64_t j7 = job_at(e.id, 7), j1 = job_at(e.id, 1);
	cr_assert_eq(j1, at("2026-10-25T09:00:00Z"), "exactly start − 24 h");
	cr_assert_eq(j7, at("2026-10-19T09:00:00Z"), "exactly start − 7 × 24 h (11:00 CEST)");
	cr_assert_eq(j7, at("2026-10-19T11:00:00+02:00"));

	cr_assert_eq(run_jobs(j7 - 1), 0, "never early");
	cr_assert_eq(run_jobs(j7), 1);
	struct notification n;
	cr_assert_eq(told(b1, j7, "Rappel rendez-vous", &n), 1);
	cr_assert_str_eq(n.body, "Vous avez un rendez-vous dans une semaine");
	cr_assert_str_eq(n.type, "APPOINTMENT_REMINDER");
	cr_assert_str_eq(n.url, arena_printf(a, "/app/rendez-vous/%s", e.id));
	cr_assert_eq(run_jobs(j1 - 1), 0);
	cr_assert_eq(run_jobs(j1), 1);
	cr_assert_eq(told(b1, j1, "Rappel rendez-vous", &n), 2);
	cr_assert_str_eq(n.body, "Vous avez un rendez-vous demain");
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM notification WHERE key = $1");
	db_bind_text(st, 1, arena_printf(a, "APPOINTMENT_REMINDER:%s:1:%lld", e.id,
					 (long long)start));
	cr_assert_eq(db_run_int(st), 1);
	cr_assert_eq(job_at(e.id, 1), 0, "done");
}

/* Runs the reminder of @e for @days at @now as a re-run or a late runner would. */
static int
fire(const struct event *e, int days, int64_t start, int64_t now)
{
	const char *payload = arena_printf(a, "{\"id\":\"%s\",\"days\":%d,\"start\":%lld}", e->id,
					   days, (long long)start);
	struct job j = {.id = "x", .kind = "agenda_reminder", .payload = payload,
			.key = arena_printf(a, "rdv:%s:j%d", e->id, days), .attempts = 1};
	const char *error = NULL;
	return agenda_notify_run_reminder(NULL, db, a, &j, now, &error);
}

Test(store, scenario_12_and_send_time_checks_a_reminder_is_sent_once_and_only_when_due)
{
	struct event e = create(NOW, NOW + 10 * DAY, (const char *[]){b1}, 1);
	int64_t s = e.starts_at;
	cr_assert_eq(fire(&e, 1, s, s - DAY), 0);
	cr_assert_eq(fire(&e, 1, s, s - DAY + MINUTE), 0, "re-run after a crash");
	cr_assert_eq(told(b1, s - DAY, "Rappel rendez-vous", NULL), 1, "one entry");
	/* J-7 run late (less than 6 days left), J-1 early (more than 2): nothing. */
	cr_assert_eq(fire(&e, 7, s, s - 6 * DAY + 1), 0);
	cr_assert_eq(fire(&e, 1, s, s - 3 * DAY), 0);
	/* A job of an older start, or of a deleted event: nothing. */
	cr_assert_eq(fire(&e, 7, s - DAY, s - 8 * DAY), 0);
	struct event got;
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_delete(db, NOW + MINUTE, &got, &(struct refusal){0}, NULL), 0);
	cr_assert_eq(fire(&e, 7, s, s - 7 * DAY), 0);
	cr_assert_eq(told(b1, s, "Rappel rendez-vous", NULL), 1);
	/* A payload that is not ours is an error, kept on the job. */
	struct job bad = {.id = "x", .kind = "agenda_reminder", .payload = "{\"id\":1}",
			  .key = "rdv:x:j1", .attempts = 1};
	const char *error = NULL;
	cr_assert_eq(agenda_notify_run_reminder(NULL, db, a, &bad, NOW, &error), -ERR_INVAL);
	cr_assert_str_eq(error, "charge utile invalide");
}

Test(store, a_purge_takes_the_reminders_of_the_rdv_the_beneficiary_was_alone_in)
{
	struct event alone = create(NOW, NOW + 10 * DAY, (const char *[]){b1}, 1);
	struct event shared = create(NOW, NOW + 10 * DAY, (const char *[]){b1, b2}, 2);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(agenda_purge_beneficiary(db, b1), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(job_at(alone.id, 7), 0);
	cr_assert_eq(job_at(alone.id, 1), 0);
	cr_assert_neq(job_at(shared.id, 1), 0, "Paul's still comes");
}
