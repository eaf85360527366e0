/* test_jobs.c — the durable job queue: planning and re-planning by key, cancelling, retries
 * with backoff, dead jobs, leases after a crash, concurrent runners, daily jobs across DST
 * and the runner thread. Each test gets a fresh temporary database; time is passed in. */
#include "base/arena.h"
#include "base/clock.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "jobs/jobs_store.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#define SECOND 1000LL
#define MINUTE (60 * SECOND)
#define HOUR (60 * MINUTE)
#define LEASE JOBS_DEFAULT_LEASE_MS

static struct fixture fx;
static const char *db_path;
static struct arena *a;
static struct db *db;

/* The test clock (fixture.h). */
#define at(iso) fixture_at(iso)

/* Thu 15 Jan 2026, 10:00 in Paris. */
#define T at("2026-01-15T09:00:00Z")

static void
setup(void)
{
	fixture_open(&fx, "jobs", FIXTURE_DB);
	db_path = fx.db_path;
	a = fx.a;
	db = fx.db;
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(jobs, .init = setup, .fini = teardown, .timeout = 60);

/* What the handlers saw. */
struct calls {
	int runs;                  /* atomic: the runner test reads it from another thread */
	int attempts;              /* of the last run */
	char payload[64];          /* of the last run; "" for NULL */
	int fail;                  /* what replan_run returns */
	int counts[64];            /* runs per job of kind "count" (atomic) */
	int dead;                  /* calls of the dead hook */
	char dead_key[64];         /* the job it was called for */
	int dead_fails;            /* what the dead hook returns while > 0 (then counts down) */
};

static void
saw(struct calls *c, const struct job *j)
{
	g_atomic_int_inc(&c->runs);
	c->attempts = j->attempts;
	snprintf(c->payload, sizeof c->payload, "%s", j->payload ? j->payload : "");
}

static int
ok_run(void *app, struct db *d, struct arena *ar, const struct job *j, int64_t now,
       const char **error)
{
	(void)d, (void)ar, (void)now, (void)error;
	saw(app, j);
	return 0;
}

static int
fail_run(void *app, struct db *d, struct arena *ar, const struct job *j, int64_t now,
	 const char **error)
{
	(void)d, (void)ar, (void)now;
	saw(app, j);
	*error = "i-milo indisponible";
	return -ERR_UNAVAILABLE;
}

/* Re-plans its own key an hour later with payload {"v":2}, as a request would while the
 * job runs, then returns calls->fail. */
static int
replan_run(void *app, struct db *d, struct arena *ar, const struct job *j, int64_t now,
	   const char **error)
{
	struct calls *c = app;
	(void)ar, (void)error;
	saw(c, j);
	if (strcmp(j->payload, "{\"v\":1}") == 0)
		cr_assert_eq(jobs_schedule(d, now, "replan", j->key, "{\"v\":2}", now + HOUR), 0);
	return c->fail;
}

/* Cancels its own key, as a request would while the job runs, then fails. */
static int
cancel_run(void *app, struct db *d, struct arena *ar, const struct job *j, int64_t now,
	   const char **error)
{
	(void)ar, (void)now, (void)error;
	saw(app, j);
	cr_assert_eq(jobs_cancel(d, j->key), 0);
	return -ERR_UNAVAILABLE;
}

/* Forgets to close its transaction. */
static int
leaky_run(void *app, struct db *d, struct arena *ar, const struct job *j, int64_t now,
	  const char **error)
{
	(void)ar, (void)now, (void)error;
	saw(app, j);
	cr_assert_eq(db_tx_begin(d), 0);
	return 0;
}

/* Counts the runs of job {"i":n}, slowly enough for runners to overlap. */
static int
count_run(void *app, struct db *d, struct arena *ar, const struct job *j, int64_t now,
	  const char **error)
{
	struct calls *c = app;
	int i = -1;
	(void)d, (void)ar, (void)now, (void)error;
	/* No cr_assert here: it may not fail from a thread other than the test's. */
	if (sscanf(j->payload, "{\"i\":%d}", &i) != 1 || i < 0 || i >= (int)G_N_ELEMENTS(c->counts))
		return -ERR_INVAL;
	g_atomic_int_inc(&c->counts[i]);
	g_usleep(500);
	return 0;
}

/* The dead hook of kind "forget": records the call, in the transaction that makes the job
 * dead, a row that must commit or roll back with it. */
static int
forget_dead(void *app, struct db *d, const struct job *j, int64_t now)
{
	struct calls *c = app;
	c->dead++;
	snprintf(c->dead_key, sizeof c->dead_key, "%s", j->key);
	if (c->dead_fails > 0) {
		c->dead_fails--;
		return -ERR_DB;
	}
	return jobs_schedule(d, now, "remind", "forgotten", NULL, now + 24 * HOUR);
}

static const struct job_kind kinds[] = {
	{ .kind = "remind", .run = ok_run },
	{ .kind = "flaky", .run = fail_run, .max_attempts = 3, .backoff_ms = SECOND },
	{ .kind = "replan", .run = replan_run },
	{ .kind = "cancel", .run = cancel_run },
	{ .kind = "leaky", .run = leaky_run },
	{ .kind = "count", .run = count_run },
	{ .kind = "forget", .run = fail_run, .max_attempts = 2, .backoff_ms = SECOND,
	  .dead = forget_dead },
	{ .kind = "forget_ok", .run = ok_run, .dead = forget_dead },
};
#define NKINDS G_N_ELEMENTS(kinds)

static int
run(struct calls *c, int64_t now)
{
	return jobs_run_due(kinds, NKINDS, c, db, now, 10);
}

static void
assert_counts(const char *kind, int pending, int dead)
{
	int p = -1, d = -1;
	cr_assert_eq(jobs_count(db, kind, &p, &d), 0);
	cr_assert_eq(p, pending, "pending %d, expected %d", p, pending);
	cr_assert_eq(d, dead, "dead %d, expected %d", d, dead);
}

static struct job
find(const char *key)
{
	struct job j;
	cr_assert_eq(jobs_find(db, a, key, &j), 0, "no live job %s", key);
	return j;
}

static struct job_row
row(const char *id)
{
	struct job_row r;
	cr_assert_eq(jobs_store_get(db, a, id, &r), 0);
	return r;
}

Test(jobs, a_scheduled_job_runs_when_due_then_leaves_the_queue)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "remind", "action:A:j3", "{\"action\":\"A\"}", T + HOUR), 0);
	assert_counts("remind", 1, 0);

	cr_assert_eq(run(&c, T + HOUR - 1), 0);
	cr_assert_eq(c.runs, 0);
	cr_assert_eq(run(&c, T + HOUR), 1);
	cr_assert_eq(c.runs, 1);
	cr_assert_eq(c.attempts, 1);
	cr_assert_str_eq(c.payload, "{\"action\":\"A\"}");
	assert_counts(NULL, 0, 0);
	cr_assert_eq(run(&c, T + 2 * HOUR), 0);
	cr_assert_eq(c.runs, 1);
}

Test(jobs, scheduling_an_existing_key_replans_it)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "remind", "rdv:R:j1", "{\"v\":1}", T + HOUR), 0);
	const char *id = find("rdv:R:j1").id;
	cr_assert_eq(jobs_schedule(db, T + 1, "remind", "rdv:R:j1", "{\"v\":2}", T + 2 * HOUR), 0);

	assert_counts(NULL, 1, 0);
	struct job j = find("rdv:R:j1");
	cr_assert_str_eq(j.id, id);
	cr_assert_eq(j.run_at, T + 2 * HOUR);
	cr_assert_str_eq(j.payload, "{\"v\":2}");
	cr_assert_eq(run(&c, T + HOUR), 0);
	cr_assert_eq(run(&c, T + 2 * HOUR), 1);
	cr_assert_str_eq(c.payload, "{\"v\":2}");
}

Test(jobs, replanning_a_failing_job_starts_its_attempts_again)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "flaky", "sync:1", NULL, T), 0);
	cr_assert_eq(run(&c, T), 1);
	cr_assert_eq(find("sync:1").attempts, 1);
	cr_assert_str_eq(row(find("sync:1").id).last_error, "i-milo indisponible");

	cr_assert_eq(jobs_schedule(db, T + 10, "flaky", "sync:1", NULL, T + MINUTE), 0);
	struct job j = find("sync:1");
	cr_assert_eq(j.attempts, 0);
	cr_assert_eq(j.run_at, T + MINUTE);
	cr_assert_null(row(j.id).last_error);
}

Test(jobs, cancel_removes_the_pending_job_and_ignores_unknown_keys)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "remind", "action:A:j3", NULL, T + HOUR), 0);
	cr_assert_eq(jobs_schedule(db, T, "remind", "action:B:j3", NULL, T + HOUR), 0);
	cr_assert_eq(jobs_cancel(db, "action:A:j3"), 0);
	cr_assert_eq(jobs_cancel(db, "action:Z:j3"), 0);

	struct job j;
	cr_assert_eq(jobs_find(db, a, "action:A:j3", &j), -ERR_NOTFOUND);
	assert_counts(NULL, 1, 0);
	cr_assert_eq(run(&c, T + HOUR), 1);
	cr_assert_eq(c.runs, 1);
}

Test(jobs, a_change_and_its_job_commit_or_roll_back_together)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(jobs_schedule(db, T, "remind", "action:A:j3", NULL, T + HOUR), 0);
	db_tx_rollback(db);
	assert_counts(NULL, 0, 0);

	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(jobs_schedule(db, T, "remind", "action:A:j3", NULL, T + HOUR), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	assert_counts(NULL, 1, 0);
}

Test(jobs, schedule_refuses_an_empty_kind_or_key_and_a_payload_that_is_not_json)
{
	cr_assert_eq(jobs_schedule(db, T, "remind", "", NULL, T), -ERR_INVAL);
	cr_assert_eq(jobs_schedule(db, T, "", "k", NULL, T), -ERR_INVAL);
	cr_assert_eq(jobs_schedule(db, T, "remind", NULL, NULL, T), -ERR_INVAL);
	cr_assert_eq(jobs_schedule(db, T, "remind", "k", "{not json", T), -ERR_INVAL);
	cr_assert_eq(jobs_schedule(db, T, "remind", "k", "\"texte\"", T), 0);
	assert_counts(NULL, 1, 0);
}

Test(jobs, a_failing_job_is_retried_with_exponential_backoff_then_kept_as_dead)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "flaky", "sync:1", NULL, T), 0);
	const char *id = find("sync:1").id;

	cr_assert_eq(run(&c, T), 1);
	cr_assert_eq(find("sync:1").run_at, T + SECOND);
	cr_assert_eq(run(&c, T + SECOND - 1), 0);
	cr_assert_eq(run(&c, T + SECOND), 1);
	cr_assert_eq(c.attempts, 2);
	cr_assert_eq(find("sync:1").run_at, T + 3 * SECOND);
	cr_assert_eq(run(&c, T + 3 * SECOND - 1), 0);
	cr_assert_eq(run(&c, T + 3 * SECOND), 1);
	cr_assert_eq(c.runs, 3);

	assert_counts("flaky", 0, 1);
	struct job_row r = row(id);
	cr_assert_eq(r.failed_at, T + 3 * SECOND);
	cr_assert_eq(r.job.attempts, 3);
	cr_assert_str_eq(r.last_error, "i-milo indisponible");
	cr_assert_eq(r.locked_until, 0);
	cr_assert_eq(run(&c, T + 10 * HOUR), 0);
	cr_assert_eq(c.runs, 3);

	/* The key is free again; the dead row stays for support. */
	cr_assert_eq(jobs_schedule(db, T + 11 * HOUR, "flaky", "sync:1", NULL, T + 11 * HOUR), 0);
	assert_counts("flaky", 1, 1);
}

Test(jobs, retry_delay_doubles_from_the_kinds_backoff_and_is_capped_at_one_hour)
{
	cr_assert_eq(jobs_retry_delay_ms(SECOND, 1), SECOND);
	cr_assert_eq(jobs_retry_delay_ms(SECOND, 2), 2 * SECOND);
	cr_assert_eq(jobs_retry_delay_ms(SECOND, 4), 8 * SECOND);
	cr_assert_eq(jobs_retry_delay_ms(0, 1), JOBS_DEFAULT_BACKOFF_MS);
	cr_assert_eq(jobs_retry_delay_ms(40 * MINUTE, 1), 40 * MINUTE);
	cr_assert_eq(jobs_retry_delay_ms(40 * MINUTE, 2), HOUR);
	cr_assert_eq(jobs_retry_delay_ms(SECOND, 60), HOUR);
	cr_assert_eq(jobs_retry_delay_ms(2 * HOUR, 1), HOUR);
}

Test(jobs, a_job_of_an_unknown_kind_is_kept_as_dead)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "inconnu", "x:1", NULL, T), 0);
	const char *id = find("x:1").id;

	cr_assert_eq(run(&c, T), 1);
	cr_assert_eq(c.runs, 0);
	assert_counts("inconnu", 0, 1);
	cr_assert_str_eq(row(id).last_error, "unknown kind");
}

Test(jobs, a_job_whose_runner_died_runs_again_once_when_the_lease_ends)
{
	struct calls c = {0};
	struct job_row *claimed;
	cr_assert_eq(jobs_schedule(db, T, "remind", "action:A:j3", NULL, T), 0);

	/* A runner claims it and dies before recording anything. */
	cr_assert_eq(jobs_store_claim(db, a, T, T + LEASE, 10, &claimed), 1);
	cr_assert_eq(run(&c, T + 1), 0);
	cr_assert_eq(run(&c, T + LEASE - 1), 0);
	cr_assert_eq(c.runs, 0);

	cr_assert_eq(run(&c, T + LEASE), 1);
	cr_assert_eq(c.runs, 1);
	cr_assert_eq(c.attempts, 2);
	cr_assert_eq(run(&c, T + 3 * LEASE), 0);
	cr_assert_eq(c.runs, 1);
	assert_counts(NULL, 0, 0);
}

Test(jobs, a_job_that_keeps_killing_its_runner_is_given_up_without_running)
{
	struct calls c = {0};
	struct job_row *claimed;
	cr_assert_eq(jobs_schedule(db, T, "flaky", "sync:1", NULL, T), 0);
	const char *id = find("sync:1").id;

	for (int i = 0; i < 3; i++)
		cr_assert_eq(jobs_store_claim(db, a, T + i * LEASE, T + (i + 1) * LEASE, 10, &claimed), 1);
	cr_assert_eq(run(&c, T + 3 * LEASE), 1);
	cr_assert_eq(c.runs, 0);
	assert_counts(NULL, 0, 1);
	cr_assert(strstr(row(id).last_error, "no run finished"));
}

Test(jobs, a_claimed_job_is_not_claimed_by_another_connection_until_its_lease_ends)
{
	struct job_row *rows;
	cr_assert_eq(jobs_schedule(db, T, "remind", "action:A:j3", NULL, T), 0);
	struct db *other = db_open(db_path);

	cr_assert_eq(jobs_store_claim(db, a, T, T + LEASE, 10, &rows), 1);
	cr_assert_eq(jobs_store_claim(other, a, T, T + LEASE, 10, &rows), 0);
	cr_assert_eq(jobs_store_claim(other, a, T + LEASE - 1, T + 2 * LEASE, 10, &rows), 0);
	cr_assert_eq(jobs_store_claim(other, a, T + LEASE, T + 2 * LEASE, 10, &rows), 1);
	db_close(other);
}

Test(jobs, a_running_job_replanned_meanwhile_keeps_the_new_plan)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "replan", "rdv:R:j1", "{\"v\":1}", T), 0);

	cr_assert_eq(run(&c, T), 1);
	struct job j = find("rdv:R:j1");
	cr_assert_eq(j.run_at, T + HOUR);
	cr_assert_str_eq(j.payload, "{\"v\":2}");
	cr_assert_eq(row(j.id).locked_until, 0);
	cr_assert_eq(run(&c, T + HOUR - 1), 0);
	cr_assert_eq(run(&c, T + HOUR), 1);
	cr_assert_str_eq(c.payload, "{\"v\":2}");
	assert_counts(NULL, 0, 0);
}

Test(jobs, a_failure_of_a_run_replanned_meanwhile_does_not_count_against_the_new_plan)
{
	struct calls c = { .fail = -ERR_UNAVAILABLE };
	cr_assert_eq(jobs_schedule(db, T, "replan", "rdv:R:j1", "{\"v\":1}", T), 0);

	cr_assert_eq(run(&c, T), 1);
	struct job j = find("rdv:R:j1");
	cr_assert_eq(j.run_at, T + HOUR);
	cr_assert_eq(j.attempts, 0);
	cr_assert_null(row(j.id).last_error);
	cr_assert_eq(run(&c, T + HOUR), 1);
	cr_assert_eq(c.attempts, 1);
}

Test(jobs, a_job_cancelled_while_running_is_not_retried)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "cancel", "action:A:j3", NULL, T), 0);

	cr_assert_eq(run(&c, T), 1);
	assert_counts(NULL, 0, 0);
	cr_assert_eq(run(&c, T + HOUR), 0);
	cr_assert_eq(c.runs, 1);
}

Test(jobs, a_transaction_left_open_by_a_handler_is_rolled_back)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "leaky", "a", NULL, T), 0);
	cr_assert_eq(jobs_schedule(db, T, "leaky", "b", NULL, T + 1), 0);

	cr_assert_eq(jobs_run_due(kinds, NKINDS, &c, db, T + 1, 1), 1);
	cr_assert_eq(jobs_run_due(kinds, NKINDS, &c, db, T + 1, 1), 1);
	cr_assert_eq(c.runs, 2);
	assert_counts(NULL, 0, 0);
}

struct runner {
	GThread *thread;
	struct calls *calls;
	int handled;          /* -1 on a storage error */
};

/* The database the runners connect to: the suite's SQLite file, or a PostgreSQL URL. */
static const char *runners_url;

static gpointer
runner_main(gpointer p)
{
	struct runner *r = p;
	struct db *own = db_open(runners_url ? runners_url : db_path);
	int n;

	while ((n = jobs_run_due(kinds, NKINDS, r->calls, own, T, 3)) > 0)
		r->handled += n;
	if (n < 0)
		r->handled = -1;
	db_close(own);
	return NULL;
}

Test(jobs, concurrent_runners_on_their_own_connections_run_each_job_exactly_once)
{
	enum { JOBS = 60, RUNNERS = 4 };
	struct calls c = {0};
	struct runner r[RUNNERS] = {0};
	int total = 0;

	for (int i = 0; i < JOBS; i++)
		cr_assert_eq(jobs_schedule(db, T, "count", arena_printf(a, "count:%d", i),
					   arena_printf(a, "{\"i\":%d}", i), T), 0);
	for (int i = 0; i < RUNNERS; i++) {
		r[i].calls = &c;
		r[i].thread = g_thread_new("runner", runner_main, &r[i]);
	}
	for (int i = 0; i < RUNNERS; i++) {
		g_thread_join(r[i].thread);
		cr_assert_geq(r[i].handled, 0);
		total += r[i].handled;
	}
	cr_assert_eq(total, JOBS);
	for (int i = 0; i < JOBS; i++)
		cr_assert_eq(c.counts[i], 1, "job %d ran %d times", i, c.counts[i]);
	assert_counts(NULL, 0, 0);
}

/* On PostgreSQL the runners of several nodes claim without the one-writer lock
 * (db_tx_begin_rows, FOR UPDATE SKIP LOCKED): a claim does not wait while another
 * connection holds that lock, and concurrent runners still run each job exactly once. */
Test(jobs, on_postgres_runners_claim_without_the_write_lock_and_run_each_job_once)
{
	enum { JOBS = 60, RUNNERS = 4 };
	struct calls c = {0};
	struct runner r[RUNNERS] = {0};
	struct job_row *rows;
	int total = 0;
	/* Under `meson test --setup postgres` the suite's own database is PostgreSQL already. */
	runners_url = db_engine(db) == DB_POSTGRES ? fx.db_path : fixture_pg_url(&fx);
	struct db *pg = db_open(runners_url), *holder = db_open(runners_url);
	cr_assert(pg && holder);
	cr_assert_eq(db_migrate_engine(pg, embed_migrations, embed_migrations_count,
				       embed_pg_migrations, embed_pg_migrations_count), 0);
	for (int i = 0; i < JOBS; i++)
		cr_assert_eq(jobs_schedule(pg, T, "count", arena_printf(a, "count:%d", i),
					   arena_printf(a, "{\"i\":%d}", i), T), 0);

	cr_assert_eq(db_tx_begin(holder), 0);   /* another node's use case, mid-transaction */
	gint64 t0 = g_get_monotonic_time();
	cr_assert_eq(jobs_store_claim(pg, a, T, T + LEASE, 1, &rows), 1);
	cr_assert_lt(g_get_monotonic_time() - t0, G_USEC_PER_SEC, "the claim did not wait");
	db_tx_rollback(holder);
	cr_assert_geq(jobs_store_delete(pg, &rows[0]), 0);   /* ran: gone */

	for (int i = 0; i < RUNNERS; i++) {
		r[i].calls = &c;
		r[i].thread = g_thread_new("runner", runner_main, &r[i]);
	}
	for (int i = 0; i < RUNNERS; i++) {
		g_thread_join(r[i].thread);
		cr_assert_geq(r[i].handled, 0);
		total += r[i].handled;
	}
	cr_assert_eq(total, JOBS - 1, "%d jobs run", total);
	for (int i = 0; i < JOBS; i++)
		cr_assert_leq(c.counts[i], 1, "job %d ran %d times", i, c.counts[i]);
	runners_url = NULL;
	db_close(holder);
	db_close(pg);
}

Test(jobs, a_daily_job_runs_then_is_planned_for_the_next_day_at_the_same_wall_clock_time)
{
	struct calls c = {0};
	int64_t now = at("2026-03-27T12:00:00Z");
	cr_assert_eq(jobs_ensure_daily(db, now, "remind", "imilo:sync", NULL, 22, 0, "Europe/Paris"), 0);
	struct job j = find("imilo:sync");
	cr_assert_eq(j.run_at, at("2026-03-27T22:00:00+01:00"));

	/* At every start: an identical plan is left alone. */
	cr_assert_eq(jobs_ensure_daily(db, now + HOUR, "remind", "imilo:sync", NULL, 22, 0, NULL), 0);
	cr_assert_eq(find("imilo:sync").run_at, j.run_at);
	cr_assert_eq(row(j.id).revision, 0);

	cr_assert_eq(run(&c, j.run_at), 1);
	struct job next = find("imilo:sync");
	cr_assert_str_eq(next.id, j.id);
	cr_assert_eq(next.run_at, at("2026-03-28T22:00:00+01:00"));
	cr_assert_eq(next.attempts, 0);

	/* Saturday night to Sunday night crosses the change to summer time. */
	cr_assert_eq(run(&c, next.run_at + 5 * SECOND), 1);
	cr_assert_eq(find("imilo:sync").run_at, at("2026-03-29T22:00:00+02:00"));
	cr_assert_eq(c.runs, 2);
	assert_counts(NULL, 1, 0);
}

Test(jobs, ensuring_a_daily_job_with_another_time_replans_it)
{
	int64_t now = at("2026-03-27T12:00:00Z");
	cr_assert_eq(jobs_ensure_daily(db, now, "remind", "imilo:sync", NULL, 22, 0, NULL), 0);
	cr_assert_eq(jobs_ensure_daily(db, now, "remind", "imilo:sync", NULL, 23, 30, NULL), 0);
	cr_assert_eq(find("imilo:sync").run_at, at("2026-03-27T23:30:00+01:00"));
	cr_assert_eq(jobs_ensure_daily(db, now, "remind", "imilo:sync", NULL, 23, 30,
				       "Indian/Reunion"), 0);
	cr_assert_eq(find("imilo:sync").run_at, at("2026-03-27T23:30:00+04:00"));
	assert_counts(NULL, 1, 0);

	cr_assert_eq(jobs_ensure_daily(db, now, "remind", "k", NULL, 24, 0, NULL), -ERR_INVAL);
	cr_assert_eq(jobs_ensure_daily(db, now, "remind", "k", NULL, 22, 0, "Europe/Nulle_Part"),
		     -ERR_INVAL);
}

Test(jobs, a_daily_job_given_up_tonight_is_still_planned_for_tomorrow)
{
	struct calls c = {0};
	int64_t now = at("2026-10-24T12:00:00Z");
	cr_assert_eq(jobs_ensure_daily(db, now, "flaky", "imilo:sync", "{\"full\":true}", 22, 0,
				       "Europe/Paris"), 0);
	struct job j = find("imilo:sync");
	cr_assert_eq(j.run_at, at("2026-10-24T22:00:00+02:00"));

	cr_assert_eq(run(&c, j.run_at), 1);
	cr_assert_eq(run(&c, j.run_at + SECOND), 1);
	cr_assert_eq(run(&c, j.run_at + 3 * SECOND), 1);
	assert_counts("flaky", 1, 1);
	cr_assert_not_null(row(j.id).last_error);
	struct job next = find("imilo:sync");
	cr_assert_str_neq(next.id, j.id);
	cr_assert_eq(next.run_at, at("2026-10-25T22:00:00+01:00"));
	cr_assert_str_eq(next.payload, "{\"full\":true}");
	cr_assert_eq(next.attempts, 0);
}

Test(jobs, next_daily_is_today_when_ahead_and_tomorrow_when_past_or_now)
{
	cr_assert_eq(jobs_next_daily(at("2026-01-15T13:00:00+01:00"), 22, 0, "Europe/Paris"),
		     at("2026-01-15T22:00:00+01:00"));
	cr_assert_eq(jobs_next_daily(at("2026-01-15T22:30:00+01:00"), 22, 0, "Europe/Paris"),
		     at("2026-01-16T22:00:00+01:00"));
	cr_assert_eq(jobs_next_daily(at("2026-01-15T22:00:00+01:00"), 22, 0, "Europe/Paris"),
		     at("2026-01-16T22:00:00+01:00"));
	cr_assert_eq(jobs_next_daily(at("2026-01-15T21:59:59+01:00"), 22, 0, NULL),
		     at("2026-01-15T22:00:00+01:00"));
	/* Past midnight in Paris but still the 15th in UTC. */
	cr_assert_eq(jobs_next_daily(at("2026-01-15T23:30:00Z"), 0, 15, "Europe/Paris"),
		     at("2026-01-17T00:15:00+01:00"));
	cr_assert_eq(jobs_next_daily(at("2026-12-31T23:00:00+01:00"), 1, 0, "Europe/Paris"),
		     at("2027-01-01T01:00:00+01:00"));
}

Test(jobs, next_daily_keeps_the_wall_clock_time_across_the_changes_of_time_in_paris)
{
	/* Sunday 29 March 2026, 02:00 CET → 03:00 CEST; Sunday 25 October, 03:00 → 02:00. */
	cr_assert_eq(jobs_next_daily(at("2026-03-28T22:00:00+01:00"), 22, 0, "Europe/Paris"),
		     at("2026-03-29T22:00:00+02:00"));
	cr_assert_eq(jobs_next_daily(at("2026-03-29T00:30:00+01:00"), 4, 0, "Europe/Paris"),
		     at("2026-03-29T04:00:00+02:00"));
	cr_assert_eq(jobs_next_daily(at("2026-10-24T22:00:00+02:00"), 22, 0, "Europe/Paris"),
		     at("2026-10-25T22:00:00+01:00"));
	cr_assert_eq(jobs_next_daily(at("2026-10-25T00:30:00+02:00"), 4, 0, "Europe/Paris"),
		     at("2026-10-25T04:00:00+01:00"));
}

Test(jobs, next_daily_moves_a_time_in_the_spring_gap_forward_by_the_gap)
{
	cr_assert_eq(jobs_next_daily(at("2026-03-28T12:00:00+01:00"), 2, 30, "Europe/Paris"),
		     at("2026-03-29T03:30:00+02:00"));
	cr_assert_eq(jobs_next_daily(at("2026-03-28T12:00:00+01:00"), 2, 0, "Europe/Paris"),
		     at("2026-03-29T03:00:00+02:00"));
	/* The day after, the time exists again. */
	cr_assert_eq(jobs_next_daily(at("2026-03-29T03:30:00+02:00"), 2, 30, "Europe/Paris"),
		     at("2026-03-30T02:30:00+02:00"));
}

Test(jobs, next_daily_takes_the_first_of_the_repeated_autumn_hour_and_skips_the_second)
{
	cr_assert_eq(jobs_next_daily(at("2026-10-24T12:00:00+02:00"), 2, 30, "Europe/Paris"),
		     at("2026-10-25T02:30:00+02:00"));
	/* Having run at the first 02:30, the job is not due again at the second one. */
	cr_assert_eq(jobs_next_daily(at("2026-10-25T02:30:00+02:00"), 2, 30, "Europe/Paris"),
		     at("2026-10-26T02:30:00+01:00"));
	cr_assert_eq(jobs_next_daily(at("2026-10-25T02:45:00+02:00"), 2, 30, "Europe/Paris"),
		     at("2026-10-26T02:30:00+01:00"));
	/* 03:00 is not repeated: it exists once, in winter time. */
	cr_assert_eq(jobs_next_daily(at("2026-10-24T12:00:00+02:00"), 3, 0, "Europe/Paris"),
		     at("2026-10-25T03:00:00+01:00"));
}

Test(jobs, next_daily_in_reunion_ignores_the_metropoles_changes_of_time)
{
	/* La Réunion stays at UTC+4 all year, whatever Paris does. */
	cr_assert_eq(jobs_next_daily(at("2026-03-28T22:00:00+04:00"), 22, 0, "Indian/Reunion"),
		     at("2026-03-29T22:00:00+04:00"));
	cr_assert_eq(jobs_next_daily(at("2026-03-28T12:00:00+04:00"), 2, 30, "Indian/Reunion"),
		     at("2026-03-29T02:30:00+04:00"));
	cr_assert_eq(jobs_next_daily(at("2026-03-29T02:30:00+04:00"), 2, 30, "Indian/Reunion"),
		     at("2026-03-30T02:30:00+04:00"));
	cr_assert_eq(jobs_next_daily(at("2026-10-25T01:00:00+04:00"), 2, 30, "Indian/Reunion"),
		     at("2026-10-25T02:30:00+04:00"));
	cr_assert_eq(jobs_next_daily(at("2026-10-25T02:30:00+04:00"), 2, 30, "Indian/Reunion"),
		     at("2026-10-26T02:30:00+04:00"));
	/* Its day starts four hours before UTC's: 01:00 on the 16th is the 15th in UTC. */
	cr_assert_eq(jobs_next_daily(at("2026-01-15T21:00:00Z"), 0, 30, "Indian/Reunion"),
		     at("2026-01-17T00:30:00+04:00"));
}

Test(jobs, next_daily_refuses_a_bad_time_or_an_unknown_zone)
{
	cr_assert_eq(jobs_next_daily(T, 24, 0, "Europe/Paris"), -ERR_INVAL);
	cr_assert_eq(jobs_next_daily(T, -1, 0, "Europe/Paris"), -ERR_INVAL);
	cr_assert_eq(jobs_next_daily(T, 22, 60, "Europe/Paris"), -ERR_INVAL);
	cr_assert_eq(jobs_next_daily(T, 22, 0, "Europe/Nulle_Part"), -ERR_INVAL);
	cr_assert_eq(jobs_next_daily(T, 22, 0, ""), -ERR_INVAL);
}

Test(jobs, the_runner_thread_runs_a_job_due_now_when_woken_and_stops_cleanly)
{
	struct calls c = {0};
	struct jobs_runner *r = jobs_runner_start(db_path, kinds, NKINDS, &c);

	cr_assert_eq(jobs_schedule(db, clock_now_ms(), "remind", "action:A:j3", NULL,
				   clock_now_ms()), 0);
	jobs_runner_wake(r);
	for (int i = 0; i < 500 && g_atomic_int_get(&c.runs) == 0; i++)
		g_usleep(10000);
	jobs_runner_stop(r);
	cr_assert_eq(c.runs, 1);
	assert_counts(NULL, 0, 0);
	jobs_runner_wake(NULL);
	jobs_runner_stop(NULL);
}

Test(jobs, the_dead_hook_runs_once_when_the_last_attempt_fails_and_commits_with_the_dead_row)
{
	struct calls c = {0};
	cr_assert_eq(jobs_schedule(db, T, "forget", "mail:1", NULL, T), 0);
	cr_assert_eq(jobs_schedule(db, T, "forget_ok", "mail:2", NULL, T), 0);

	cr_assert_eq(run(&c, T), 2);
	cr_assert_eq(c.dead, 0, "neither a success nor a retry is an end");
	cr_assert_eq(run(&c, T + SECOND), 1);
	cr_assert_eq(c.dead, 1);
	cr_assert_str_eq(c.dead_key, "mail:1");
	assert_counts("forget", 0, 1);
	assert_counts("remind", 1, 0);
	find("forgotten");
	cr_assert_eq(run(&c, T + HOUR), 0);
	cr_assert_eq(c.dead, 1);
}

Test(jobs, the_dead_hook_runs_when_a_job_is_given_up_because_its_runs_kept_dying)
{
	struct calls c = {0};
	struct job_row *claimed;
	cr_assert_eq(jobs_schedule(db, T, "forget", "mail:1", NULL, T), 0);

	for (int i = 0; i < 2; i++)
		cr_assert_eq(jobs_store_claim(db, a, T + i * LEASE, T + (i + 1) * LEASE, 10, &claimed), 1);
	cr_assert_eq(run(&c, T + 2 * LEASE), 1);
	cr_assert_eq(c.runs, 0);
	cr_assert_eq(c.dead, 1);
	assert_counts("forget", 0, 1);
	find("forgotten");
}

Test(jobs, a_failing_dead_hook_leaves_the_job_live_and_is_called_again_after_the_lease)
{
	struct calls c = { .dead_fails = 1 };
	cr_assert_eq(jobs_schedule(db, T, "forget", "mail:1", NULL, T), 0);

	cr_assert_eq(run(&c, T), 1);
	cr_assert_eq(jobs_run_due(kinds, NKINDS, &c, db, T + SECOND, 10), -ERR_DB);
	cr_assert_eq(c.dead, 1);
	/* Rolled back: not dead, nothing the hook wrote, held until the lease ends. */
	assert_counts("forget", 1, 0);
	assert_counts("remind", 0, 0);
	cr_assert_eq(run(&c, T + SECOND + 1), 0);

	/* Claimed again after the lease, past its attempts: given up without a run. */
	int runs = c.runs;
	cr_assert_eq(run(&c, T + SECOND + 10 * LEASE), 1);
	cr_assert_eq(c.runs, runs);
	cr_assert_eq(c.dead, 2);
	assert_counts("forget", 0, 1);
	assert_counts("remind", 1, 0);
}

Test(jobs, metrics_count_waiting_retrying_running_and_dead_jobs_by_kind)
{
	struct calls c = {0};
	struct job_row *claimed;
	GString *out = g_string_new("\n");

	/* Failed once, retried 1 s later (after T); a kind no handler knows, given up at once. */
	cr_assert_eq(jobs_schedule(db, T - 500, "flaky", "f", NULL, T - 500), 0);
	cr_assert_eq(jobs_schedule(db, T - 500, "ghost", "g", NULL, T - 500), 0);
	cr_assert_eq(run(&c, T - 500), 2);
	/* Due 5 s ago and not taken; planned for later (not counted); held by a runner. */
	cr_assert_eq(jobs_schedule(db, T, "remind", "late", NULL, T - 5 * SECOND), 0);
	cr_assert_eq(jobs_schedule(db, T, "remind", "later", NULL, T + HOUR), 0);
	cr_assert_eq(jobs_schedule(db, T, "count", "held", "{\"i\":0}", T - 10 * SECOND), 0);
	cr_assert_eq(jobs_store_claim(db, a, T, T + LEASE, 1, &claimed), 1);
	cr_assert_str_eq(claimed[0].job.key, "held");

	cr_assert_eq(jobs_metrics(db, a, T, kinds, NKINDS, out), 0);
	const char *t = out->str;
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"remind\",state=\"waiting\"}"), 1, "%s", t);
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"remind\",state=\"retrying\"}"), 0);
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"remind\",state=\"running\"}"), 0);
	cr_assert_eq(fixture_sample(t, "cej_jobs_oldest_waiting_seconds{kind=\"remind\"}"), 5);
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"flaky\",state=\"retrying\"}"), 1);
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"flaky\",state=\"waiting\"}"), 0);
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"count\",state=\"running\"}"), 1);
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"count\",state=\"waiting\"}"), 0);
	cr_assert_eq(fixture_sample(t, "cej_jobs_oldest_waiting_seconds{kind=\"count\"}"), 0);
	/* Every kind of the table, zeros included; then the kinds only the table of jobs has. */
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"leaky\",state=\"dead\"}"), 0);
	cr_assert_eq(fixture_sample(t, "cej_jobs{kind=\"ghost\",state=\"dead\"}"), 1);
	cr_assert_gt(strstr(t, "kind=\"ghost\""), strstr(t, "kind=\"forget_ok\""));
	g_string_free(out, TRUE);
}
