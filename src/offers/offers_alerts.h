/* offers_alerts.h — the alerts of saved searches (offers.md §6, notifications.md #14,
 * docs/offers.md "Alertes"): daily jobs in Europe/Paris, 09:00 for Emploi, Alternance and
 * Immersion, 11:00 for Service civique.
 *
 * A run looks, for each saved search of its types, for the active offers matching its
 * criteria that entered the catalogue (first_seen_at) after the search's last successful
 * run — or its creation. At least one: one centre entry NEW_OFFERS titled with the search's
 * name, "De nouveaux résultats sont disponibles", linking to /app/offres/alertes/{id} (the
 * results), with a push intent when the preference alertes_offres is on. Then the search
 * records SUCCES, last_alert_run_at = the run's start and the Paris day; a failed search
 * records ECHEC and is tried again by the job's retry. Idempotent per (search, Paris day):
 * a search already alerted that day is skipped, and the notification's key
 * NEW_OFFERS:{search}:{day} makes a repeated write a no-op. */
#ifndef CEJ_OFFERS_ALERTS_H
#define CEJ_OFFERS_ALERTS_H

#include "jobs/jobs.h"
#include "offers/offers.h"

#include <stddef.h>
#include <stdint.h>

struct db;
struct offers_text;
struct req;
struct vm;

#define OFFERS_ALERTS_TZ "Europe/Paris"
#define OFFERS_ALERTS_BATCH 200   /* searches read, and their outcomes written, per transaction */

struct offers_alerts_stats {
	int searched;              /* saved searches looked at */
	int notified;              /* of which had new offers */
	int failed;                /* ECHEC */
};

/* One run at @now over the saved searches of the @n types of @types. 0 when every search
 * succeeded (or was already done today), -ERR_DB when one failed (its state ECHEC; a retry
 * runs only the searches still due). @t: the process's analyser. */
int offers_alerts_run(struct db *db, struct offers_text *t, int64_t now,
		      const enum offer_type *types, int n, struct offers_alerts_stats *stats);

/* The job kinds (the alerts, the 2-year purge of saved searches) and their daily plans,
 * for the offers' descriptor. The alert job's runner app pointer must be the server's
 * struct ctx (its offers_text). */
#define OFFERS_ALERTS_KIND "offers_alerts"
#define OFFERS_SAVED_PURGE_KIND "offers_saved_purge"
/* A run over 10,000 searches takes seconds (bench/offers_alerts.sh): a lease of 30 min. */
#define OFFERS_ALERTS_LEASE_MS (30 * 60 * 1000LL)
int offers_alerts_job_run(void *app, struct db *db, struct arena *a, const struct job *j,
			  int64_t now, const char **error);
int offers_alerts_job_purge(void *app, struct db *db, struct arena *a, const struct job *j,
			    int64_t now, const char **error);
int offers_alerts_plan_jobs(struct db *db, int64_t now);

/* The app home's "Mes alertes" block (youth-app.md §5.4): the 3 latest saved searches of
 * the caller into @page's list "alerts" ([] when none: the template then shows the
 * invitation and "Commencer une recherche"), each {name, href, recap}; the block itself is
 * templates/offers/app_alerts_home.html. 0 or -ERR_DB. */
#define OFFERS_ALERTS_HOME 3
int offers_alerts_home(struct req *r, struct vm *page);

#endif
