/* feed_jobs.h — the jobs of the event feed (feed.h): the poll of E1, one job per event,
 * the nightly purge. The app pointer of these handlers is the struct ctx (core/ctx.h): its
 * i-milo client, its settings (imilo_feed_interval_s, imilo_rdv_push) and its job runner. */
#ifndef CEJ_FEED_JOBS_H
#define CEJ_FEED_JOBS_H

#include "jobs/jobs.h"

#define FEED_JOB_KINDS 3
extern const struct job_kind feed_job_kinds[FEED_JOB_KINDS];

/* Plans the nightly purge (03:40, Paris) and the first poll, now, unless one is planned.
 * Idempotent (core/feature.h plan_jobs). */
int feed_jobs_plan(struct db *db, int64_t now);

/* The feature's part of a beneficiary's end (core/feature.h purge): the events of their
 * dossier and the dead jobs of those events. In the caller's transaction. */
int feed_purge_beneficiary(struct db *db, const char *beneficiary_id);

#endif
