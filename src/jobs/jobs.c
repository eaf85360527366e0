/* jobs.c — the queue's rules: planning by key, daily recurrence in a structure's zone,
 * retries with backoff, giving up, the run of due jobs and the background runner. SQL lives
 * in jobs_store.c. */
#include "jobs/jobs.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/ticker.h"
#include "db/db.h"
#include "jobs/jobs_store.h"

#include <glib.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_TZ "Europe/Paris"
#define DAY_S (24 * 60 * 60)

/* Kind and key name the job; the payload is NULL or JSON the handler can parse later. */
static bool
plan_ok(const char *kind, const char *key, const char *payload)
{
	json_t *json = NULL;
	bool ok = kind && *kind && key && *key;

	if (ok && payload) {
		json = json_loads(payload, JSON_DECODE_ANY, NULL);
		ok = json != NULL;
	}
	json_decref(json);
	return ok;
}

int
jobs_schedule(struct db *db, int64_t now, const char *kind, const char *key,
	      const char *payload, int64_t run_at)
{
	char id[UUID_STRLEN + 1];

	if (!plan_ok(kind, key, payload))
		return -ERR_INVAL;
	id_uuid7(now, id);
	const struct job_plan p = {
		.id = id, .kind = kind, .key = key, .payload = payload, .run_at = run_at,
	};
	return jobs_store_plan(db, &p, now, false);
}

int
jobs_cancel(struct db *db, const char *key)
{
	return key ? jobs_store_cancel(db, key) : -ERR_INVAL;
}

int
jobs_ensure_daily(struct db *db, int64_t now, const char *kind, const char *key,
		  const char *payload, int hour, int minute, const char *tz)
{
	char id[UUID_STRLEN + 1], daily_at[sizeof "HH:MM"];
	int64_t run_at = jobs_next_daily(now, hour, minute, tz);

	if (run_at < 0 || !plan_ok(kind, key, payload))
		return -ERR_INVAL;
	id_uuid7(now, id);
	snprintf(daily_at, sizeof daily_at, "%02d:%02d", hour, minute);
	const struct job_plan p = {
		.id = id, .kind = kind, .key = key, .payload = payload, .run_at = run_at,
		.daily_at = daily_at, .timezone = tz ? tz : DEFAULT_TZ,
	};
	return jobs_store_plan(db, &p, now, true);
}

/* UTC offset, in seconds, of @tz at instant @t (seconds). */
static int64_t
offset_at(GTimeZone *tz, int64_t t)
{
	return g_time_zone_get_offset(tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, t));
}

/* The instant (seconds) at which the wall clock of @tz shows @wall (seconds since the epoch
 * of a clock without offset). GLib's own choice differs from RFC 5545 on both edges (it
 * prefers standard time when ambiguous, and clamps a gap to its end), hence this. */
static int64_t
instant_of_wall(GTimeZone *tz, int64_t wall)
{
	/* Offsets a day either side: no zone changes its offset twice within two days. */
	int64_t early = wall - offset_at(tz, wall - DAY_S);
	int64_t late = wall - offset_at(tz, wall + DAY_S);
	bool early_ok = early + offset_at(tz, early) == wall;
	bool late_ok = late + offset_at(tz, late) == wall;

	if (early_ok && late_ok)
		return MIN(early, late);   /* the repeated hour: its first occurrence */
	if (late_ok)
		return late;
	return early;   /* valid, or in the gap: read with the offset in force before it */
}

int64_t
jobs_next_daily(int64_t now, int hour, int minute, const char *tz_name)
{
	GTimeZone *tz = NULL;
	int64_t rc = -ERR_INVAL;

	if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
		goto out;
	tz = g_time_zone_new_identifier(tz_name ? tz_name : DEFAULT_TZ);
	if (!tz)
		goto out;
	int64_t now_s = now / 1000;
	int64_t local = now_s + offset_at(tz, now_s);
	int64_t midnight = local - (local % DAY_S + DAY_S) % DAY_S;
	/* Today's occurrence may be past; tomorrow's is always ahead. */
	for (int day = 0; day < 3; day++) {
		int64_t wall = midnight + (int64_t)day * DAY_S + hour * 3600 + minute * 60;
		int64_t t = instant_of_wall(tz, wall) * 1000;
		if (t > now) {
			rc = t;
			break;
		}
	}
out:
	if (tz)
		g_time_zone_unref(tz);
	return rc;
}

int64_t
jobs_retry_delay_ms(int64_t backoff_ms, int attempts)
{
	int64_t d = backoff_ms > 0 ? backoff_ms : JOBS_DEFAULT_BACKOFF_MS;

	for (int i = 1; i < attempts && d < JOBS_MAX_BACKOFF_MS; i++)
		d *= 2;
	return MIN(d, JOBS_MAX_BACKOFF_MS);
}

static const struct job_kind *
kind_find(const struct job_kind *kinds, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kinds[i].kind, name) == 0)
			return &kinds[i];
	return NULL;
}

static int
max_attempts_of(const struct job_kind *k)
{
	return k->max_attempts > 0 ? k->max_attempts : JOBS_DEFAULT_MAX_ATTEMPTS;
}

/* The lease a batch of @max jobs takes: they run one after another, so the last must stay
 * held until every run before it may have ended. */
static int64_t
batch_lease_ms(const struct job_kind *kinds, size_t n, int max)
{
	int64_t longest = JOBS_DEFAULT_LEASE_MS;

	for (size_t i = 0; i < n; i++)
		longest = MAX(longest, kinds[i].lease_ms);
	return longest * MAX(max, 1);
}

/* The next occurrence of the daily job @r after @now, or -ERR_INVAL when its recurrence no
 * longer reads (a zone removed from the system's tzdata). */
static int64_t
next_occurrence(const struct job_row *r, int64_t now)
{
	int hour, minute;

	if (sscanf(r->daily_at, "%d:%d", &hour, &minute) != 2)
		return -ERR_INVAL;
	return jobs_next_daily(now, hour, minute, r->timezone);
}

/* Plans the next occurrence of the daily job @r as a new live row: its own row is dead. */
static int
plan_next_row(struct db *db, const struct job_row *r, int64_t now)
{
	char id[UUID_STRLEN + 1];
	int64_t run_at = next_occurrence(r, now);

	if (run_at < 0) {
		log_error("job %s (%s): daily plan %s %s unreadable, not planned again",
			  r->job.key, r->job.kind, r->daily_at, r->timezone);
		return 0;
	}
	id_uuid7(now, id);
	const struct job_plan p = {
		.id = id, .kind = r->job.kind, .key = r->job.key, .payload = r->job.payload,
		.run_at = run_at, .daily_at = r->daily_at, .timezone = r->timezone,
	};
	return jobs_store_plan(db, &p, now, false);
}

/* Keeps @r as dead with @error, and, in the same transaction, lets its kind @k (NULL when
 * unknown) forget what must not outlive it; a daily job also gets its next occurrence, so
 * that one bad night never stops the nightly job. 1 when recorded, 0 when the claim was
 * lost, or -ERR_DB. */
static int
finish_dead(const struct job_kind *k, void *app, struct db *db, const struct job_row *r,
	    const char *error, int64_t now)
{
	bool hook = k && k->dead;
	int rc = 0;

	if (!r->daily_at && !hook) {
		rc = jobs_store_dead(db, r, error, now);
		goto out;
	}
	rc = db_tx_begin(db);
	if (rc)
		goto out;
	rc = jobs_store_dead(db, r, error, now);
	if (rc == 1 && r->daily_at && plan_next_row(db, r, now) < 0)
		rc = -ERR_DB;
	if (rc == 1 && hook && k->dead(app, db, &r->job, now) < 0)
		rc = -ERR_DB;
	if (rc >= 0 && db_tx_commit(db))
		rc = -ERR_DB;
out:
	if (rc < 0)
		db_tx_rollback(db);
	if (rc == 1)
		log_warn("job %s (%s): given up after %d attempts: %s", r->job.key, r->job.kind,
			 r->job.attempts, error);
	return rc;
}

/* Removes the done one-shot job @r, or moves a daily one to its next occurrence. 1 when
 * recorded, 0 when the claim was lost, or -ERR_DB. */
static int
finish_done(const struct job_kind *k, void *app, struct db *db, const struct job_row *r,
	    int64_t now)
{
	int64_t next;

	if (!r->daily_at)
		return jobs_store_delete(db, r);
	next = next_occurrence(r, now);
	if (next < 0)
		return finish_dead(k, app, db, r, "daily plan unreadable (time or zone)", now);
	return jobs_store_next(db, r, next, now);
}

/* Plans the retry of @r after its failed run, or gives up after its kind's last attempt.
 * 1 when recorded, 0 when the claim was lost, or -ERR_DB. */
static int
finish_failed(const struct job_kind *k, void *app, struct db *db, const struct job_row *r,
	      const char *error, int64_t now)
{
	int64_t delay = jobs_retry_delay_ms(k->backoff_ms, r->job.attempts);
	int rc;

	if (r->job.attempts >= max_attempts_of(k))
		return finish_dead(k, app, db, r, error, now);
	rc = jobs_store_retry(db, r, now + delay, error, now);
	if (rc == 1)
		log_info("job %s (%s): attempt %d failed, retry in %" PRId64 " s: %s", r->job.key,
			 r->job.kind, r->job.attempts, delay / 1000, error);
	return rc;
}

/* Runs the claimed job @r with its handler @k and records the outcome: 1 when recorded, 0
 * when the claim was lost meanwhile, or -ERR_DB. */
static int
run_claimed(const struct job_kind *k, void *app, struct db *db, const struct job_row *r,
	    int64_t now)
{
	struct arena *a = arena_new();
	const char *error = NULL;
	int rc = k->run(app, db, a, &r->job, now, &error);

	/* An open transaction would swallow the outcome and refuse the next claim; a statement
	 * left stepping would pin an old snapshot. */
	db_tx_rollback(db);
	db_release(db);
	if (rc >= 0)
		rc = finish_done(k, app, db, r, now);
	else
		rc = finish_failed(k, app, db, r, error ? error : arena_printf(a, "error %d", rc),
				   now);
	arena_free(a);
	return rc;
}

/* Runs or gives up the claimed job @r. 0 or -ERR_DB. */
static int
handle_claimed(const struct job_kind *kinds, size_t n, void *app, struct db *db,
	       const struct job_row *r, int64_t now)
{
	const struct job_kind *k = kind_find(kinds, n, r->job.kind);
	int rc;

	if (!k)
		rc = finish_dead(NULL, app, db, r, "unknown kind", now);
	else if (r->job.attempts > max_attempts_of(k))
		/* Claimed once too often without an outcome: its runs kill their runner. */
		rc = finish_dead(k, app, db, r, "no run finished (runner died or lease ended)", now);
	else
		rc = run_claimed(k, app, db, r, now);
	/* Re-planned, cancelled or claimed again meanwhile: the outcome belonged to a plan
	 * that is gone; only give the lease back, so that the new plan runs on time. */
	if (rc == 0)
		rc = jobs_store_release(db, r);
	return rc < 0 ? rc : 0;
}

int
jobs_run_due(const struct job_kind *kinds, size_t n, void *app, struct db *db,
	     int64_t now, int max)
{
	struct arena *a = arena_new();
	struct job_row *due = NULL;
	int rc = 0;

	int claimed = jobs_store_claim(db, a, now, now + batch_lease_ms(kinds, n, max), max, &due);
	if (claimed < 0) {
		rc = claimed;
		goto out;
	}
	for (int i = 0; i < claimed; i++) {
		rc = handle_claimed(kinds, n, app, db, &due[i], now);
		if (rc < 0)
			goto out;
	}
	rc = claimed;
out:
	arena_free(a);
	return rc;
}

int
jobs_find(struct db *db, struct arena *a, const char *key, struct job *out)
{
	struct job_row r;
	int rc = jobs_store_find(db, a, key, &r);

	if (rc == 0)
		*out = r.job;
	return rc;
}

int
jobs_count(struct db *db, const char *kind, int *pending, int *dead)
{
	return jobs_store_count(db, kind, pending, dead);
}

/* --- /metrics */

static const char *const state_names[JOB_N_STATES] = {"waiting", "retrying", "running", "dead"};

struct kind_census {
	const char *kind;
	int64_t count[JOB_N_STATES];
	int64_t oldest_run_at;    /* of its waiting jobs */
};

/* The entry of @kind in @by, added (zeroed) when missing. A dozen kinds: a linear search. */
static struct kind_census *
kind_entry(GArray *by, const char *kind)
{
	for (guint i = 0; i < by->len; i++)
		if (!strcmp(g_array_index(by, struct kind_census, i).kind, kind))
			return &g_array_index(by, struct kind_census, i);
	g_array_set_size(by, by->len + 1);
	struct kind_census *k = &g_array_index(by, struct kind_census, by->len - 1);
	k->kind = kind;
	return k;
}

static void
write_census(GArray *by, int64_t now, GString *out)
{
	metrics_family(out, "cej_jobs", "gauge",
		       "Tâches par type et état : waiting (dues, pas encore prises), retrying (en "
		       "échec, en attente du prochain essai), running, dead (abandonnées). Les "
		       "e-mails sont le type mail ; les tâches prévues plus tard ne sont pas comptées.");
	for (guint i = 0; i < by->len; i++) {
		const struct kind_census *k = &g_array_index(by, struct kind_census, i);
		for (int s = 0; s < JOB_N_STATES; s++) {
			struct metrics_label l[] = {{"kind", k->kind}, {"state", state_names[s]}};
			metrics_sample(out, "cej_jobs", l, G_N_ELEMENTS(l), k->count[s]);
		}
	}
	metrics_family(out, "cej_jobs_oldest_waiting_seconds", "gauge",
		       "Retard de la plus ancienne tâche due et pas encore prise, par type (0 : aucune).");
	for (guint i = 0; i < by->len; i++) {
		const struct kind_census *k = &g_array_index(by, struct kind_census, i);
		int64_t late = k->count[JOB_WAITING] ? MAX(0, now - k->oldest_run_at) / 1000 : 0;
		struct metrics_label l[] = {{"kind", k->kind}};
		metrics_sample(out, "cej_jobs_oldest_waiting_seconds", l, G_N_ELEMENTS(l), late);
	}
}

int
jobs_metrics(struct db *db, struct arena *a, int64_t now, const struct job_kind *kinds,
	     size_t n, GString *out)
{
	struct job_census *rows = NULL;
	int nrows = jobs_store_census(db, a, now, &rows);

	if (nrows < 0)
		return nrows;
	GArray *by = g_array_new(FALSE, TRUE, sizeof(struct kind_census));
	for (size_t i = 0; i < n; i++)
		kind_entry(by, kinds[i].kind);
	for (int i = 0; i < nrows; i++) {
		struct kind_census *k = kind_entry(by, rows[i].kind);
		k->count[rows[i].state] = rows[i].count;
		if (rows[i].state == JOB_WAITING)
			k->oldest_run_at = rows[i].oldest_run_at;
	}
	write_census(by, now, out);
	g_array_free(by, TRUE);
	return 0;
}

struct jobs_runner {
	char *database_url;
	const struct job_kind *kinds;
	size_t n;
	void *app;
	struct ticker *ticker;
};

/* One round: runs due jobs until none is left or the runner stops. One job per claim,
 * each on a fresh clock, so that a job's lease starts when its run does, not when a batch
 * did. Then sleeps a second, or until woken. */
static gint64
runner_round(struct ticker *t, void *p)
{
	struct jobs_runner *r = p;
	/* This thread's own connection, closed by db.c when the thread exits. */
	struct db *db = db_thread(r->database_url);
	int rc = db ? 1 : -ERR_DB;

	while (rc == 1 && !ticker_stopping(t))
		rc = jobs_run_due(r->kinds, r->n, r->app, db, clock_now_ms(), 1);
	if (rc < 0)
		log_error("jobs: run failed (%d)", rc);
	return G_TIME_SPAN_SECOND;
}

struct jobs_runner *
jobs_runner_start(const char *database_url, const struct job_kind *kinds, size_t n, void *app)
{
	struct jobs_runner *r = g_new0(struct jobs_runner, 1);

	r->database_url = g_strdup(database_url);
	r->kinds = kinds;
	r->n = n;
	r->app = app;
	r->ticker = ticker_start("jobs", runner_round, r);
	return r;
}

void
jobs_runner_wake(struct jobs_runner *r)
{
	if (r)
		ticker_wake(r->ticker);
}

static void
wake_committed(void *runner)
{
	jobs_runner_wake(runner);
}

void
jobs_wake_on_commit(struct db *db, struct jobs_runner *r)
{
	if (r)
		db_tx_on_commit(db, wake_committed, r);
}

void
jobs_runner_stop(struct jobs_runner *r)
{
	if (!r)
		return;
	ticker_stop(r->ticker);
	g_free(r->database_url);
	g_free(r);
}
