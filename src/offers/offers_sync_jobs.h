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

#define OFFERS_SYNC_JOB_KINDS 6
extern const struct job_kind offers_sync_job_kinds[OFFERS_SYNC_JOB_KINDS];

#define OFFERS_SYNC_PLAN_KEY "offers-sync:plan"
#define OFFERS_PURGE_KEY "offers:purge-inactive"

/* core/feature.h plan_jobs. Idempotent. */
int offers_sync_plan_jobs(struct db *db, int64_t now);

/* The next instant strictly after @now at minute @minute of an hour (UTC and Paris agree
 * on minutes). Pure. */
int64_t offers_sync_next_hourly(int64_t now, int minute);

#endif
