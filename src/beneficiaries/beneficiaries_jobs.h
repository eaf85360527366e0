/* beneficiaries_jobs.h — the background work on accounts (beneficiaries.md §9, §11):
 * the nightly i-milo refresh of every dossier, one job per beneficiary, and the purge of
 * archives older than 2 years. The app pointer of these handlers is the struct ctx. */
#ifndef CEJ_BENEFICIARIES_JOBS_H
#define CEJ_BENEFICIARIES_JOBS_H

#include "jobs/jobs.h"

#include <stdbool.h>

#define BENEFICIARIES_JOB_KINDS 3
extern const struct job_kind beneficiaries_job_kinds[BENEFICIARIES_JOB_KINDS];

/* Plans the daily jobs (22:00 refresh, 03:00 purge, Paris time). Idempotent. */
int beneficiaries_jobs_plan(struct db *db, int64_t now);

/* Plans the i-milo refresh of beneficiary @id (dossier @dossier_id) at @run_at: the job
 * "imilo-refresh:{id}" the nightly run plans, so a refresh asked by the event feed (a
 * DOSSIER UPDATE, imilo.md §4: @identity, the names and e-mail too) and the nightly one
 * are the same job. In the caller's transaction. 0 or a negative err. */
int beneficiaries_refresh_plan(struct db *db, int64_t now, const char *id, const char *dossier_id,
			       bool identity, int64_t run_at);

/* Spacing of the per-beneficiary i-milo reads: the client keeps to 3 requests/s. */
#define IMILO_REFRESH_SPACING_MS 350

#endif
