/* offers_sync_jobs.c — the jobs of the providers' sync (offers_sync_jobs.h). */
#include "offers/offers_sync_jobs.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "core/ctx.h"
#include "db/db.h"
#include "offers/offers_sync.h"
#include "offers/offers_sync_store.h"

#include <jansson.h>
#include <string.h>

#define MINUTE_MS (60 * 1000LL)
#define HOUR_MS (60 * MINUTE_MS)
#define PLAN_KIND OFFERS_SYNC_PLAN_KIND
#define PURGE_KIND OFFERS_PURGE_INACTIVE_KIND

/* Per provider: its job kind, its recurring incremental key (NULL: none) and period, its
 * nightly full run. */
static const struct {
	enum offer_provider p;
	const char *kind, *incremental_key, *full_key;
	int64_t period_ms;
	int full_hour, full_minute;
} providers[] = {
	{PROVIDER_FRANCE_TRAVAIL, OFFERS_SYNC_KIND_FRANCE_TRAVAIL, "offers-sync:france-travail",
	 "offers-sync:france-travail:full", HOUR_MS, 3, 0},
	{PROVIDER_ENGAGEMENT, OFFERS_SYNC_KIND_ENGAGEMENT, "offers-sync:engagement",
	 "offers-sync:engagement:full", 2 * HOUR_MS, 3, 30},
	{PROVIDER_IMMERSION, OFFERS_SYNC_KIND_IMMERSION, NULL, "offers-sync:immersion:full", 0, 4, 0},
	{PROVIDER_MEE, OFFERS_SYNC_KIND_MEE, NULL, "offers-sync:mee:full", 0, 4, 30},
};
#define FT_MINUTE 5

int64_t
offers_sync_next_hourly(int64_t now, int minute)
{
	int64_t at = now - now % HOUR_MS + minute * MINUTE_MS;
	return at > now ? at : at + HOUR_MS;
}

/* The next incremental run of provider @i after @now. */
static int64_t
next_incremental(size_t i, int64_t now)
{
	if (providers[i].p == PROVIDER_FRANCE_TRAVAIL)
		return offers_sync_next_hourly(now, FT_MINUTE);
	return now + providers[i].period_ms;
}

static int
schedule(struct db *db, int64_t now, const char *kind, const char *key, int64_t at)
{
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, jobs_schedule(db, now, kind, key, "{\"full\":false}", at));
}

static int
run_provider(size_t i, void *app, struct db *db, struct arena *a, const struct job *j,
	     int64_t now, const char **error)
{
	struct ctx *c = app;
	struct offers_sync_settings s;
	offers_sync_settings_of(c->cfg, &s);
	if (!offers_sync_configured(&s, providers[i].p))
		return 0;   /* unset since planned: the planner cancels at the next start */
	json_t *payload = j->payload ? json_loads(j->payload, 0, NULL) : NULL;
	bool full = !providers[i].incremental_key || json_is_true(json_object_get(payload, "full"));
	json_decref(payload);
	/* The next incremental slot first: a failure below waits for it. */
	if (!full) {
		int rc = schedule(db, now, providers[i].kind, providers[i].incremental_key,
				  next_incremental(i, now));
		if (rc)
			return rc;
	}
	struct offers_sync_run run;
	int rc = offers_sync_run(db, c->offers_text, &s, providers[i].p, full, now, a, &run);
	if (rc == -ERR_UNAVAILABLE)
		return 0;   /* recorded in the run; retried at the next slot, not before */
	if (rc)
		*error = "enregistrement de la synchronisation impossible";
	return rc;
}

#define PROVIDER_RUN(name, n)                                                                \
	int offers_sync_job_##name(void *app, struct db *db, struct arena *a,                \
				   const struct job *j, int64_t now, const char **error)     \
	{                                                                                    \
		return run_provider(n, app, db, a, j, now, error);                           \
	}
PROVIDER_RUN(france_travail, 0)
PROVIDER_RUN(engagement, 1)
PROVIDER_RUN(immersion, 2)
PROVIDER_RUN(mee, 3)

/* The planner: each provider's jobs as its credentials say. */
int
offers_sync_job_plan(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	 const char **error)
{
	(void)j;
	struct ctx *c = app;
	struct offers_sync_settings s;
	offers_sync_settings_of(c->cfg, &s);
	int rc = 0;
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(providers); i++) {
		bool on = offers_sync_configured(&s, providers[i].p);
		if (on) {
			rc = jobs_ensure_daily(db, now, providers[i].kind, providers[i].full_key,
					       "{\"full\":true}", providers[i].full_hour,
					       providers[i].full_minute, "Europe/Paris");
			struct job live;
			if (!rc && providers[i].incremental_key &&
			    jobs_find(db, a, providers[i].incremental_key, &live) == -ERR_NOTFOUND)
				rc = schedule(db, now, providers[i].kind, providers[i].incremental_key,
					      next_incremental(i, now));
			continue;
		}
		if ((rc = db_tx_begin(db)))
			break;
		rc = jobs_cancel(db, providers[i].full_key);
		if (!rc && providers[i].incremental_key)
			rc = jobs_cancel(db, providers[i].incremental_key);
		rc = db_tx_end(db, rc);
	}
	if (rc)
		*error = "planification des synchronisations impossible";
	return rc;
}

int
offers_sync_job_purge(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	  const char **error)
{
	(void)app, (void)a, (void)j;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	int n = offers_sync_store_purge_inactive(db, now - OFFERS_INACTIVE_KEEP_MS);
	rc = db_tx_end(db, n < 0 ? n : 0);
	if (rc)
		*error = "suppression des offres inactives impossible";
	else if (n > 0)
		log_info("catalogue des offres : %d offres ou événements inactifs depuis 30 jours "
			 "supprimés", n);
	return rc;
}

int
offers_sync_plan_jobs(struct db *db, int64_t now)
{
	int rc = jobs_ensure_daily(db, now, PURGE_KIND, OFFERS_PURGE_KEY, NULL, 5, 0,
				   "Europe/Paris");
	if (rc)
		return rc;
	if ((rc = db_tx_begin(db)))
		return rc;
	return db_tx_end(db, jobs_schedule(db, now, PLAN_KIND, OFFERS_SYNC_PLAN_KEY, NULL, now));
}
