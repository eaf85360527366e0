/* sessions_registration.c — the effects of a registration change (sessions_registration.h):
 * the local copy, the beneficiary's notifications (notifications.md rows 8–10) and the
 * J-7/J-1 reminders (row 11, §3.2), plus the reminder's job, which re-checks through i-milo
 * that the instance is still ONGOING before telling. */
#include "sessions/sessions_registration.h"
#include "sessions/sessions.h"
#include "sessions/sessions_store.h"
#include "sessions/sessions_feature.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "core/ctx.h"
#include "db/db.h"
#include "imilo/imilo_sessions.h"
#include "jobs/jobs.h"
#include "notifications/notifications.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const int reminder_days[] = {7, 1};

static const char *
reminder_key(struct arena *a, const char *instance_id, int days)
{
	return arena_printf(a, "instance-session:%s:j%d", instance_id, days);
}

static const char *
session_url(struct arena *a, const char *session_id)
{
	return arena_printf(a, "/app/evenements/sessions/%s", session_id);
}

static int
cancel_reminders(struct db *db, struct arena *a, const char *instance_id)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(reminder_days) / sizeof(*reminder_days); i++)
		rc = jobs_cancel(db, reminder_key(a, instance_id, reminder_days[i]));
	return rc;
}

/* Plans both reminders of @reg (same ids: a date change re-plans them), or cancels each
 * one too late to plan (§3.2). */
static int
plan_reminders(struct db *db, struct arena *a, int64_t now, const struct session_registration *reg)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(reminder_days) / sizeof(*reminder_days); i++) {
		int days = reminder_days[i];
		const char *key = reminder_key(a, reg->instance_id, days);
		int64_t at = notifications_reminder_at(reg->starts_at, days, now);
		if (!at) {
			rc = jobs_cancel(db, key);
			continue;
		}
		json_t *p = json_pack("{s:s, s:s, s:s, s:i, s:I}", "instance", reg->instance_id,
				      "session", reg->session_id, "beneficiary", reg->beneficiary_id,
				      "days", days, "start", (json_int_t)reg->starts_at);
		char *payload = json_dumps(p, JSON_COMPACT);
		rc = jobs_schedule(db, now, SESSIONS_REMINDER_KIND, key, payload, at);
		free(payload);
		json_decref(p);
	}
	return rc;
}

static int
tell_unregistered(struct db *db, struct arena *a, int64_t now, const char *beneficiary_id,
		  const char *instance_id, int64_t starts_at)
{
	return notifications_add_dated(db, now, beneficiary_id, NOTIF_SESSION_UNREGISTERED,
				       arena_printf(a, "SESSION_UNREGISTERED:%s", instance_id),
				       "/app/evenements", starts_at);
}

/* Row 8 on a new registration, row 9 when the date of a kept one moved; a past session
 * tells nothing (the feed may bring old changes). */
static int
tell_registered(struct db *db, struct arena *a, int64_t now, const struct stored_registration *was,
		const struct session_registration *reg, bool self)
{
	if (reg->starts_at <= now)
		return 0;
	const char *url = session_url(a, reg->session_id);
	if (!was || strcmp(was->statut, "ONGOING"))
		return notifications_add_session(
			db, now, reg->beneficiary_id,
			self ? NOTIF_SESSION_SELF_REGISTERED : NOTIF_SESSION_REGISTERED,
			arena_printf(a, "SESSION_REGISTERED:%s", reg->instance_id), url,
			reg->starts_at, reg->session_name);
	if (was->starts_at != reg->starts_at)
		return notifications_add(db, now, reg->beneficiary_id, NOTIF_SESSION_UPDATED,
					 arena_printf(a, "SESSION_UPDATED:%s:%lld", reg->instance_id,
						      (long long)reg->starts_at),
					 url);
	return 0;
}

static int
apply(struct db *db, struct arena *a, int64_t now, const struct session_registration *reg,
      bool self)
{
	struct stored_registration was, is = {
		reg->instance_id, reg->session_id, reg->beneficiary_id, reg->statut,
		reg->session_name ? reg->session_name : "", reg->starts_at, reg->ends_at};
	int rc = sessions_store_registration(db, a, reg->instance_id, &was);
	bool known = rc == 0;
	if (rc && rc != -ERR_NOTFOUND)
		return rc;
	if ((rc = sessions_store_registration_put(db, now, &is)))
		return rc;
	if (!strcmp(reg->statut, "ONGOING")) {
		rc = tell_registered(db, a, now, known ? &was : NULL, reg, self);
		return rc ? rc : plan_reminders(db, a, now, reg);
	}
	/* Refused or present: no reminder; a refusal of a registration still to come is an
	 * unregistration for the young person (row 10). */
	rc = cancel_reminders(db, a, reg->instance_id);
	if (!rc && known && !strcmp(was.statut, "ONGOING") && was.starts_at > now
	    && sessions_statut_is_refusal(reg->statut))
		rc = tell_unregistered(db, a, now, reg->beneficiary_id, reg->instance_id,
				       was.starts_at);
	return rc;
}

static int
apply_checked(struct db *db, int64_t now, const struct session_registration *reg, bool self)
{
	if (!reg || !reg->instance_id || !reg->session_id || !reg->beneficiary_id || !reg->statut
	    || !sessions_statut_is_known(reg->statut))
		return -ERR_INVAL;
	struct arena *a = arena_new();
	int rc = apply(db, a, now, reg, self);
	arena_free(a);
	return rc;
}

int
sessions_registration_apply(struct db *db, int64_t now, const struct session_registration *reg)
{
	return apply_checked(db, now, reg, false);
}

int
sessions_registration_apply_self(struct db *db, int64_t now, const struct session_registration *reg)
{
	return apply_checked(db, now, reg, true);
}

int
sessions_registration_delete(struct db *db, int64_t now, const char *beneficiary_id,
			     const char *instance_id)
{
	if (!beneficiary_id || !instance_id)
		return -ERR_INVAL;
	struct arena *a = arena_new();
	struct stored_registration was;
	int rc = sessions_store_registration(db, a, instance_id, &was);
	bool known = rc == 0;
	if (rc == -ERR_NOTFOUND)
		rc = 0;
	if (!rc && known)
		rc = sessions_store_registration_delete(db, instance_id);
	if (!rc)
		rc = cancel_reminders(db, a, instance_id);
	if (!rc && known && !strcmp(was.statut, "ONGOING") && was.starts_at > now)
		rc = tell_unregistered(db, a, now, beneficiary_id, instance_id, was.starts_at);
	arena_free(a);
	return rc;
}

/* ---- The reminder job (row 11) ---- */

struct reminder {
	const char *instance, *session, *beneficiary;
	int days;
	int64_t start;
};

static int
parse_reminder(struct arena *a, const struct job *j, struct reminder *out)
{
	const char *instance, *session, *beneficiary;
	json_int_t start = 0;
	json_t *p = json_loads(j->payload ? j->payload : "", 0, NULL);
	int rc = -ERR_INVAL;
	if (p && !json_unpack(p, "{s:s, s:s, s:s, s:i, s:I}", "instance", &instance, "session",
			      &session, "beneficiary", &beneficiary, "days", &out->days, "start",
			      &start)
	    && (out->days == 7 || out->days == 1)) {
		out->instance = arena_strdup(a, instance);
		out->session = arena_strdup(a, session);
		out->beneficiary = arena_strdup(a, beneficiary);
		out->start = start;
		rc = 0;
	}
	json_decref(p);
	return rc;
}

/* Is the instance still ONGOING for i-milo (operator auth, S4)? 1 yes, 0 no (refused,
 * deleted, session gone), -1 i-milo could not say. */
static int
still_ongoing(struct imilo_client *c, struct arena *a, const struct reminder *rm)
{
	if (!c)
		return -1;
	struct imilo_instance *v;
	struct imilo_result res;
	int n = imilo_session_registrants(c, a, &(struct imilo_actor){.background = true},
					   rm->session, &v, &res);
	if (n < 0)
		return res.status == IMILO_NOT_FOUND ? 0 : -1;
	for (int i = 0; i < n; i++)
		if (v[i].id && !strcmp(v[i].id, rm->instance))
			return v[i].statut && !strcmp(v[i].statut, "ONGOING");
	return 0;
}

static int
send_reminder(struct db *db, struct arena *a, int64_t now, const struct reminder *rm)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = notifications_add(db, now, rm->beneficiary,
			       rm->days == 7 ? NOTIF_SESSION_REMINDER_WEEK : NOTIF_SESSION_REMINDER_DAY,
			       arena_printf(a, "SESSION_REMINDER:%s:%d", rm->instance, rm->days),
			       session_url(a, rm->session));
	return db_tx_end(db, rc);
}

int
sessions_run_reminder(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
		      const char **error)
{
	struct reminder rm;
	struct stored_registration local;
	if (parse_reminder(a, j, &rm)) {
		*error = "charge utile invalide";
		return -ERR_INVAL;
	}
	int rc = sessions_store_registration(db, a, rm.instance, &local);
	if (rc == -ERR_NOTFOUND || (!rc && (local.starts_at != rm.start
					    || !notifications_reminder_still_due(rm.start, rm.days, now)))) {
		log_info("rappel J-%d de l'inscription %s abandonné : supprimée, déplacée ou passée",
			 rm.days, rm.instance);
		return 0;
	}
	if (rc)
		return rc;
	struct ctx *c = app;
	int ongoing = still_ongoing(c ? c->imilo : NULL, a, &rm);
	if (ongoing < 0 && j->attempts <= SESSIONS_REMINDER_IMILO_TRIES) {
		*error = "i-milo injoignable";
		return -ERR_UNAVAILABLE;   /* retried; after the last try, the local copy decides */
	}
	if (ongoing < 0)
		ongoing = !strcmp(local.statut, "ONGOING");
	if (!ongoing) {
		log_info("rappel J-%d de l'inscription %s abandonné : plus inscrit", rm.days,
			 rm.instance);
		return 0;
	}
	if ((rc = send_reminder(db, a, now, &rm)))
		*error = "envoi du rappel impossible";
	return rc;
}
