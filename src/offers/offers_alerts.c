/* offers_alerts.c — the alert runs of saved searches and their jobs (offers_alerts.h). */
#include "offers/offers_alerts.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "core/ctx.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "notifications/notifications.h"
#include "offers/offers_saved.h"
#include "offers/offers_saved_store.h"
#include "offers/offers_search.h"

#include <jansson.h>
#include <string.h>

/* What a search's run found, kept until its batch's transaction writes it. */
struct outcome {
	bool ok, any;
};

/* Whether saved search @r has offers that entered the catalogue since its last run (or
 * its creation): *@any. @newest: the type's latest first_seen_at — when it is not after
 * the search's start, nothing can be new and no query runs (most days, most searches). */
static int
look(struct db *db, struct arena *a, struct offers_text *t, const struct saved_row *r,
     int64_t newest, bool *any)
{
	int64_t after = r->last_alert_run_at ? r->last_alert_run_at : r->created_at;
	*any = false;
	if (newest <= after)
		return 0;
	struct offers_criteria c;
	struct refusal why = {0};
	int rc = offers_saved_criteria(a, r->criteria, &c, &why);
	if (!rc) {
		c.first_seen_after = after;
		rc = offers_search_any(db, a, t, &c, any, &why);
	}
	if (rc)
		log_warn("alerte %s : %s (%d)", r->id, why.message ? why.message : "erreur", rc);
	return rc;
}

/* The outcomes of @n searches @rows, in one transaction: the centre entry and push intent
 * of those with new offers, the state of each. */
static int
record(struct db *db, struct arena *a, int64_t now, const char *day,
       const struct saved_row *rows, const struct outcome *out, int n)
{
	int rc = db_tx_begin(db);
	for (int i = 0; i < n && !rc; i++) {
		const struct saved_row *r = &rows[i];
		if (out[i].ok && out[i].any)
			rc = notifications_add_titled(db, now, r->beneficiary_id, NOTIF_NEW_OFFERS,
						      arena_printf(a, "NEW_OFFERS:%s:%s", r->id, day),
						      arena_printf(a, "/app/offres/alertes/%s", r->id),
						      r->name);
		if (!rc)
			rc = offers_saved_store_alerted(db, r->id, out[i].ok, now, day);
	}
	return rc ? (db_tx_rollback(db), rc) : db_tx_commit(db);
}

/* The saved searches of @type due today, batch by batch. */
static int
run_type(struct db *db, struct offers_text *t, int64_t now, const char *day,
	 enum offer_type type, struct offers_alerts_stats *stats)
{
	const char *code = offer_type_code(type);
	int64_t newest = offers_saved_store_newest_offer(db, code);
	if (newest < 0)
		return (int)newest;
	char last[64] = "";
	for (;;) {
		struct arena *a = arena_new();
		struct saved_row *rows;
		int n = offers_saved_store_due(db, a, code, day, last, OFFERS_ALERTS_BATCH, &rows);
		if (n <= 0) {
			arena_free(a);
			return n;
		}
		struct outcome *out = arena_alloc(a, sizeof(*out) * (size_t)n);
		for (int i = 0; i < n; i++) {
			out[i].ok = look(db, a, t, &rows[i], newest, &out[i].any) == 0;
			stats->searched++;
			stats->notified += out[i].ok && out[i].any;
			stats->failed += !out[i].ok;
		}
		int rc = record(db, a, now, day, rows, out, n);
		g_strlcpy(last, rows[n - 1].id, sizeof(last));
		arena_free(a);
		if (rc)
			return rc;
		if (n < OFFERS_ALERTS_BATCH)
			return 0;
	}
}

int
offers_alerts_run(struct db *db, struct offers_text *t, int64_t now,
		  const enum offer_type *types, int n, struct offers_alerts_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct arena *a = arena_new();
	const char *day = clock_iso_day(a, now, OFFERS_ALERTS_TZ);
	int rc = 0;
	for (int i = 0; i < n && !rc; i++)
		rc = run_type(db, t, now, day, types[i], stats);
	arena_free(a);
	if (!rc && stats->failed)
		rc = -ERR_DB;
	return rc;
}

/* ---- Jobs ------------------------------------------------------------------------------ */

#define ALERTS_KIND OFFERS_ALERTS_KIND
#define PURGE_KIND OFFERS_SAVED_PURGE_KIND

/* Payload {"types": ["EMPLOI", …]}: the types of the run. */
int
offers_alerts_job_run(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	   const char **error)
{
	struct ctx *c = app;
	enum offer_type types[OFFER_TYPES];
	int n = 0;
	json_t *p = json_loads(j->payload ? j->payload : "", 0, NULL);
	json_t *l = json_object_get(p, "types");
	for (size_t i = 0; json_is_array(l) && i < json_array_size(l) && n < OFFER_TYPES; i++)
		if (offer_type_parse(json_string_value(json_array_get(l, i)), false, &types[n]))
			n++;
	json_decref(p);
	if (!n || !c || !c->offers_text) {
		*error = n ? "analyseur absent" : "charge utile invalide";
		return -ERR_INVAL;
	}
	struct offers_alerts_stats s;
	int rc = offers_alerts_run(db, c->offers_text, now, types, n, &s);
	log_info("alertes %s : %d recherches, %d notifiées, %d en échec", j->key, s.searched,
		 s.notified, s.failed);
	if (rc)
		*error = arena_printf(a, "%d recherches en échec", s.failed);
	return rc;
}

int
offers_alerts_job_purge(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	  const char **error)
{
	(void)app;
	(void)a;
	(void)j;
	int n = offers_saved_purge_unused(db, now);
	if (n < 0)
		*error = "purge des recherches sauvegardées";
	return n < 0 ? n : 0;
}

int
offers_alerts_plan_jobs(struct db *db, int64_t now)
{
	int rc = jobs_ensure_daily(db, now, ALERTS_KIND, "offers:alerts-09",
				   "{\"types\":[\"EMPLOI\",\"ALTERNANCE\",\"IMMERSION\"]}", 9, 0,
				   OFFERS_ALERTS_TZ);
	if (!rc)
		rc = jobs_ensure_daily(db, now, ALERTS_KIND, "offers:alerts-11",
				       "{\"types\":[\"SERVICE_CIVIQUE\"]}", 11, 0, OFFERS_ALERTS_TZ);
	if (!rc)
		rc = jobs_ensure_daily(db, now, PURGE_KIND, "offers:saved-purge", NULL, 4, 40,
				       OFFERS_ALERTS_TZ);
	return rc;
}
