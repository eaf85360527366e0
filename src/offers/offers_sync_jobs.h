/* offers_sync_jobs.h — the jobs of the providers' sync (offers.md §8.3, docs/offers.md
 * "Synchronisation"). Their app pointer is the struct ctx (core/ctx.h): its settings and its
 * French analyser (ctx->offers_text).
 *
 * At start, plan_jobs plans the nightly purge of inactive offers and one run, now, of the
 * planner (offers_sync_plan), which reads the configuration: a provider whose credentials
 * are set gets its jobs — France Travail every hour at :05 (incremental) and 03:00 (full),
 * API Engagement every 2 hours (incremental) and 03:30 (full), Immersion at 04:00 and Mes
 * Événements Emploi at 04:30 (full), Paris time — and one whose credentials are gone loses
 * them. A provider's failure is recorded in its run (the support page) and the job is done:
 * the next slot tries again, no backoff. */
#ifndef CEJ_OFFERS_SYNC_JOBS_H
#define CEJ_OFFERS_SYNC_JOBS_H

#include "jobs/jobs.h"

/* The job kinds, listed in the offers descriptor's one table (offers_feature.c): one per
 * provider (its runs), the planner, the purge of offers inactive for 30 days. A provider's
 * run may take long: a full France Travail run pages through ~100 départements. */
#define OFFERS_SYNC_KIND_FRANCE_TRAVAIL "offers_sync_france_travail"
#define OFFERS_SYNC_KIND_ENGAGEMENT "offers_sync_engagement"
#define OFFERS_SYNC_KIND_IMMERSION "offers_sync_immersion"
#define OFFERS_SYNC_KIND_MEE "offers_sync_mee"
#define OFFERS_SYNC_PLAN_KIND "offers_sync_plan"
#define OFFERS_PURGE_INACTIVE_KIND "offers_purge_inactive"
#define OFFERS_SYNC_LEASE_MS (4 * 3600 * 1000LL)
int offers_sync_job_france_travail(void *app, struct db *db, struct arena *a,
				   const struct job *j, int64_t now, const char **error);
int offers_sync_job_engagement(void *app, struct db *db, struct arena *a, const struct job *j,
			       int64_t now, const char **error);
int offers_sync_job_immersion(void *app, struct db *db, struct arena *a, const struct job *j,
			      int64_t now, const char **error);
int offers_sync_job_mee(void *app, struct db *db, struct arena *a, const struct job *j,
			int64_t now, const char **error);
int offers_sync_job_plan(void *app, struct db *db, struct arena *a, const struct job *j,
			 int64_t now, const char **error);
int offers_sync_job_purge(void *app, struct db *db, struct arena *a, const struct job *j,
			  int64_t now, const char **error);

#define OFFERS_SYNC_PLAN_KEY "offers-sync:plan"
#define OFFERS_PURGE_KEY "offers:purge-inactive"

/* core/feature.h plan_jobs. Idempotent. */
int offers_sync_plan_jobs(struct db *db, int64_t now);

/* The next instant strictly after @now at minute @minute of an hour (UTC and Paris agree
 * on minutes). Pure. */
int64_t offers_sync_next_hourly(int64_t now, int minute);

#endif
