/* feed_jobs.c — the jobs of the i-milo event feed (feed.h, feed_jobs.h). i-milo is always
 * called outside any transaction; the transaction that follows records what it answered,
 * together with the event's "done", so an event's effects commit exactly once. */
#include "feed/feed_jobs.h"
#include "feed/feed.h"
#include "feed/feed_store.h"

#include "agenda/agenda_imilo.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "beneficiaries/beneficiaries_jobs.h"
#include "core/ctx.h"
#include "db/db.h"
#include "sessions/sessions_registration.h"

#include <glib.h>
#include <string.h>

#define SECOND_MS 1000LL
#define MINUTE_MS (60 * SECOND_MS)
#define DAY_MS (24 * 3600 * SECOND_MS)

/* ---- The poll ---- */

/* Stores the batch @ev (@n) in one transaction: each new event remembered and its job
 * planned now; a duplicate of its batch remembered as done, with no job. */
static int
store_batch(struct ctx *c, struct db *db, struct arena *a, int64_t now,
	    const struct imilo_event *ev, int n)
{
	bool *dup = arena_alloc(a, sizeof(*dup) * (size_t)(n ? n : 1));
	feed_dedupe(ev, n, dup);
	int rc = db_tx_begin(db);
	for (int i = 0; !rc && i < n; i++) {
		int fresh = feed_store_receive(db, now, &ev[i], dup[i] ? "done" : "pending");
		rc = fresh < 0 ? fresh : 0;
		if (rc || !fresh || dup[i])
			continue;
		struct feed_beneficiary b;
		int known = feed_store_beneficiary(db, a, ev[i].dossier_id, &b);
		if (known && known != -ERR_NOTFOUND) {
			rc = known;
			continue;
		}
		char *payload = feed_payload(&ev[i], known ? NULL : b.id);
		rc = jobs_schedule(db, now, FEED_EVENT_KIND,
				   arena_printf(a, FEED_EVENT_KEY_PREFIX "%s", ev[i].id), payload, now);
		g_free(payload);
	}
	if (!rc)
		jobs_wake_on_commit(db, c->jobs);
	return rc ? (db_tx_rollback(db), rc) : db_tx_commit(db);
}

/* Plans the next poll at @at (re-planning the running one: jobs.h, "Re-planning wins"). */
static int
plan_poll(struct db *db, int64_t now, int64_t at)
{
	int rc = db_tx_begin(db);
	if (!rc)
		rc = db_tx_end(db, jobs_schedule(db, now, FEED_POLL_KIND, FEED_POLL_KEY, NULL, at));
	return rc;
}

static int
run_poll(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	 const char **error)
{
	struct ctx *c = app;
	(void)j;
	int64_t interval = (int64_t)(c->cfg->imilo_feed_interval_s > 0 ? c->cfg->imilo_feed_interval_s
									: 1) * SECOND_MS;
	/* The next poll first: a failure below waits for it, as §7 says of background work. */
	int rc = plan_poll(db, now, now + interval);
	if (rc)
		return rc;
	struct imilo_event *ev = NULL;
	struct imilo_result res;
	int n = imilo_feed(c->imilo, a, &ev, &res);
	if (n < 0) {
		*error = arena_printf(a, "E1 : i-milo ne répond pas (HTTP %d)", res.http_status);
		return -ERR_UNAVAILABLE;
	}
	/* Stored before acked (§4): an event acked but not stored would be lost. */
	if ((rc = store_batch(c, db, a, now, ev, n))) {
		*error = "enregistrement des événements impossible";
		return rc;
	}
	int unacked = 0;
	for (int i = 0; i < n; i++)
		if (imilo_ack(c->imilo, a, ev[i].id, &res)) {
			/* Delivered again at the next poll, and then only acked. */
			log_warn("flux i-milo : acquittement de %s impossible (HTTP %d)", ev[i].id,
				 res.http_status);
			unacked++;
		}
	if (n == FEED_BATCH_MAX && !unacked)
		rc = plan_poll(db, now, now);   /* more may wait: read them now */
	return rc;
}

/* ---- One event ---- */

/* Records @ev done, with whatever the caller wrote in the open transaction. */
static int
finish(struct db *db, const struct imilo_event *ev, int64_t now, int rc)
{
	if (!rc)
		rc = feed_store_finish(db, ev->id, "done", now);
	return db_tx_end(db, rc);
}

static int
done_without_effect(struct db *db, const struct imilo_event *ev, int64_t now)
{
	int rc = db_tx_begin(db);
	return rc ? rc : finish(db, ev, now, 0);
}

static int
rdv_remove(struct ctx *c, struct db *db, const struct imilo_event *ev, int64_t now)
{
	int rc = db_tx_begin(db);
	return rc ? rc : finish(db, ev, now, agenda_imilo_remove(db, now, ev->type_id,
								   c->cfg->imilo_rdv_push));
}

static int
rdv_read(struct ctx *c, struct db *db, struct arena *a, const struct imilo_event *ev,
	 const struct feed_beneficiary *b, int64_t now, const char **error)
{
	struct imilo_rdv rdv;
	struct imilo_result res;
	if (imilo_get_rdv(c->imilo, a, ev->dossier_id, ev->type_id, b->timezone, &rdv, &res)) {
		if (res.status == IMILO_NOT_FOUND)
			return rdv_remove(c, db, ev, now);
		*error = arena_printf(a, "E3 : i-milo ne répond pas (HTTP %d)", res.http_status);
		return -ERR_UNAVAILABLE;
	}
	struct agenda_imilo_rdv in = {
		.imilo_id = ev->type_id, .beneficiary_id = b->id, .structure_id = b->structure_id,
		.objet = rdv.objet, .lieu = rdv.lieu, .commentaire = rdv.commentaire,
		.statut = rdv.statut, .starts_at = rdv.starts_at, .ends_at = rdv.ends_at};
	int rc = db_tx_begin(db);
	return rc ? rc : finish(db, ev, now, agenda_imilo_apply(db, now, &in, c->cfg->imilo_rdv_push));
}

static int
session_delete(struct db *db, const struct imilo_event *ev, const struct feed_beneficiary *b,
	       int64_t now)
{
	int rc = db_tx_begin(db);
	return rc ? rc : finish(db, ev, now, sessions_registration_delete(db, now, b->id,
									   ev->type_id));
}

/* SESSION CREATE/UPDATE: the registration as E4 now gives it. A refusal goes through
 * sessions_registration_apply() too: for a registration still to come it has the effects
 * of a deletion (reminders cancelled, "Rendez-vous supprimé" under the key
 * SESSION_UNREGISTERED:{idInstance}, which absorbs the echo of cej's own S6), and the local
 * copy keeps the refusal as cej's own write does. */
static int
session_read(struct ctx *c, struct db *db, struct arena *a, const struct imilo_event *ev,
	     const struct feed_beneficiary *b, int64_t now, const char **error)
{
	struct imilo_dossier_instance in;
	struct imilo_result res;
	if (imilo_get_instance(c->imilo, a, ev->dossier_id, ev->type_id, b->timezone, &in, &res)) {
		if (res.status == IMILO_NOT_FOUND)
			return session_delete(db, ev, b, now);
		*error = arena_printf(a, "E4 : i-milo ne répond pas (HTTP %d)", res.http_status);
		return -ERR_UNAVAILABLE;
	}
	struct session_registration reg = {
		.instance_id = ev->type_id, .session_id = in.session_id, .beneficiary_id = b->id,
		.session_name = in.nom, .starts_at = in.starts_at,
		.ends_at = in.ends_at ? in.ends_at : in.starts_at, .statut = in.statut};
	int rc = db_tx_begin(db);
	rc = rc ? rc : finish(db, ev, now, sessions_registration_apply(db, now, &reg));
	if (rc == -ERR_INVAL)
		*error = arena_printf(a, "E4 : statut inconnu (%s)", in.statut ? in.statut : "aucun");
	return rc;
}

static int
dossier_refresh(struct ctx *c, struct db *db, const struct imilo_event *ev,
		const struct feed_beneficiary *b, int64_t now)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = beneficiaries_refresh_plan(db, now, b->id, ev->dossier_id, true, now);
	if (!rc)
		jobs_wake_on_commit(db, c->jobs);
	return finish(db, ev, now, rc);
}

static int
run_event(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	  const char **error)
{
	struct ctx *c = app;
	struct imilo_event ev;
	if (feed_payload_parse(a, j->payload, &ev)) {
		*error = "charge utile invalide";
		return -ERR_INVAL;
	}
	const char *state = NULL;
	int rc = feed_store_state(db, ev.id, &state);
	if (rc == 0 && strcmp(state, "pending"))
		return 0;   /* applied already: this run follows a crash after the commit */
	if (rc && rc != -ERR_NOTFOUND)
		return rc;
	struct feed_beneficiary b;
	rc = feed_store_beneficiary(db, a, ev.dossier_id, &b);
	if (rc && rc != -ERR_NOTFOUND)
		return rc;
	/* §4: unknown dossier, or a beneficiary who never logged in (agenda.md §2.3). */
	if (rc == -ERR_NOTFOUND || !b.activated)
		return done_without_effect(db, &ev, now);
	switch (feed_handling(ev.type, ev.action)) {
	case FEED_RDV_READ:
		return rdv_read(c, db, a, &ev, &b, now, error);
	case FEED_RDV_DELETE:
		return rdv_remove(c, db, &ev, now);
	case FEED_DOSSIER_REFRESH:
		return dossier_refresh(c, db, &ev, &b, now);
	case FEED_SESSION_READ:
		return session_read(c, db, a, &ev, &b, now, error);
	case FEED_SESSION_DELETE:
		return session_delete(db, &ev, &b, now);
	case FEED_IGNORE:
		break;
	}
	return done_without_effect(db, &ev, now);
}

/* The event's job is dead (jobs.h): its row in imilo_feed_event says so too. */
static int
event_dead(void *app, struct db *db, const struct job *j, int64_t now)
{
	(void)app;
	struct arena *a = arena_new();
	struct imilo_event ev;
	int rc = feed_payload_parse(a, j->payload, &ev) ? 0
							  : feed_store_finish(db, ev.id, "dead", now);
	arena_free(a);
	return rc;
}

/* ---- Nightly ---- */

static int
run_purge(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	  const char **error)
{
	(void)app;
	(void)a;
	(void)j;
	int n = agenda_imilo_purge_past(db, now);
	int rc = n < 0 ? n : db_tx_begin(db);
	if (!rc)
		rc = db_tx_end(db, feed_store_forget(db, now - FEED_KEEP_DAYS * DAY_MS) < 0 ? -ERR_DB : 0);
	if (rc)
		*error = "purge des rendez-vous i-milo impossible";
	return rc;
}

const struct job_kind feed_job_kinds[FEED_JOB_KINDS] = {
	/* E1 then up to 100 acks at 3 requests/s: well within 5 minutes. */
	{FEED_POLL_KIND, run_poll, 3, MINUTE_MS, 5 * MINUTE_MS, NULL},
	{FEED_EVENT_KIND, run_event, FEED_ATTEMPTS, FEED_BACKOFF_MS, 2 * MINUTE_MS, event_dead},
	{FEED_PURGE_KIND, run_purge, 3, 5 * MINUTE_MS, 10 * MINUTE_MS, NULL},
};

int
feed_jobs_plan(struct db *db, int64_t now)
{
	int rc = jobs_ensure_daily(db, now, FEED_PURGE_KIND, "imilo-feed:purge", NULL, 3, 40,
				   "Europe/Paris");
	if (rc)
		return rc;
	struct arena *a = arena_new();
	struct job j;
	rc = jobs_find(db, a, FEED_POLL_KEY, &j);
	if (rc == -ERR_NOTFOUND)
		rc = jobs_schedule(db, now, FEED_POLL_KIND, FEED_POLL_KEY, NULL, now);
	arena_free(a);
	return rc;
}

int
feed_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	/* Their events' jobs name them in the payload: jobs_purge_beneficiary() takes those. */
	return feed_store_forget_beneficiary(db, beneficiary_id);
}
