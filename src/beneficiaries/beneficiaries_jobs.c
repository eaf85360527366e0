/* beneficiaries_jobs.c — nightly refresh from i-milo and archive purge. Each handler is
 * safe to run twice (a job may re-run after a crash). */
#include "beneficiaries/beneficiaries_jobs.h"

#include "base/arena.h"
#include "base/err.h"
#include "beneficiaries/beneficiaries.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>

#define MINUTE_MS (60 * 1000LL)

int
beneficiaries_refresh_plan(struct db *db, int64_t now, const char *id, const char *dossier_id,
			   bool identity, int64_t run_at)
{
	json_t *p = identity ? json_pack("{s:s, s:s, s:b}", "id", id, "dossier", dossier_id,
					 "identite", 1)
			     : json_pack("{s:s, s:s}", "id", id, "dossier", dossier_id);
	char *payload = json_dumps(p, JSON_COMPACT);
	char *key = g_strdup_printf("imilo-refresh:%s", id);
	int rc = jobs_schedule(db, now, "imilo_refresh", key, payload, run_at);
	g_free(key);
	free(payload);
	json_decref(p);
	return rc;
}

/* 22:00: one refresh job per beneficiary, spaced so i-milo is not flooded. */
static int
run_sync_all(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	     const char **error)
{
	struct dossier_ref *refs;
	int n = beneficiaries_store_dossiers(db, a, &refs), rc;
	(void)app;
	(void)j;
	if (n < 0)
		return n;
	if ((rc = db_tx_begin(db)))
		return rc;
	for (int i = 0; !rc && i < n; i++)
		rc = beneficiaries_refresh_plan(db, now, refs[i].beneficiary_id, refs[i].dossier_id,
						false, now + (int64_t)i * IMILO_REFRESH_SPACING_MS);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc) {
		db_tx_rollback(db);
		*error = "planification des relectures i-milo impossible";
	}
	return rc;
}

static int
run_refresh(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	    const char **error)
{
	const char *id = NULL, *dossier = NULL;
	int identity = 0;
	json_t *p = json_loads(j->payload ? j->payload : "", 0, NULL);
	int rc = -ERR_INVAL;
	if (p && json_unpack(p, "{s:s, s:s, s?b}", "id", &id, "dossier", &dossier, "identite",
			     &identity) == 0)
		rc = beneficiaries_refresh(app, db, a, id, dossier, identity != 0, now);
	json_decref(p);
	if (rc == 1) {
		*error = "i-milo injoignable";
		return -ERR_UNAVAILABLE;  /* retried; the fiche shows the last known values */
	}
	if (rc == -ERR_INVAL)
		*error = "charge utile invalide";
	return rc;
}

static int
run_purge(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	  const char **error)
{
	(void)app;
	(void)a;
	(void)j;
	int n = beneficiaries_store_purge_archives(db, now);
	if (n < 0)
		*error = "purge des archives impossible";
	return n < 0 ? n : 0;
}

const struct job_kind beneficiaries_job_kinds[BENEFICIARIES_JOB_KINDS] = {
	{"imilo_sync_all", run_sync_all, 3, 5 * MINUTE_MS, 30 * MINUTE_MS, NULL},
	{"imilo_refresh", run_refresh, 3, 5 * MINUTE_MS, 2 * MINUTE_MS, NULL},
	{"archive_purge", run_purge, 3, 5 * MINUTE_MS, 10 * MINUTE_MS, NULL},
};

int
beneficiaries_jobs_plan(struct db *db, int64_t now)
{
	int rc = jobs_ensure_daily(db, now, "imilo_sync_all", "imilo:sync-all", NULL, 22, 0,
				   "Europe/Paris");
	return rc ? rc : jobs_ensure_daily(db, now, "archive_purge", "archive:purge", NULL, 3, 0,
					   "Europe/Paris");
}
