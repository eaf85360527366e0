/* agenda_notify.c — the notifications and reminders of events (agenda_notify.h): the pure
 * decisions, then their application through the notification centre and the job queue. */
#include "agenda/agenda_notify.h"
#include "agenda/agenda_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "notifications/notifications.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>


/* ---- Pure decisions ---- */

static bool
same_text(const char *x, const char *y)
{
	return !strcmp(x ? x : "", y ? y : "");
}

bool
agenda_notify_moved(const struct event *before, const struct event *after)
{
	return before->starts_at != after->starts_at || before->duration_min != after->duration_min
	       || !same_text(before->address, after->address);
}

static bool
contains(const char *const *ids, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

static enum agenda_reminders
reminders_after(const struct event *before, int n_old, const struct event *after, int n)
{
	if (!after || n < 1)
		return AGENDA_REMINDERS_CANCEL;
	if (!before || n_old < 1 || before->starts_at != after->starts_at)
		return AGENDA_REMINDERS_PLAN;
	return AGENDA_REMINDERS_KEEP;
}

void
agenda_notify_decide(struct arena *a, const struct event *before, const char *const *old,
		     int n_old, const struct event *after, const char *const *ids, int n,
		     struct agenda_notify_plan *out)
{
	if (!before)
		n_old = 0;
	if (!after)
		n = 0;
	out->to = arena_alloc(a, sizeof(*out->to) * (size_t)(n + n_old + 1));
	out->n = 0;
	bool moved = before && after && agenda_notify_moved(before, after);
	for (int i = 0; i < n; i++) {
		if (contains(ids, i, ids[i]))
			continue;   /* listed twice */
		bool kept = contains(old, n_old, ids[i]);
		if (kept && !moved)
			continue;
		out->to[out->n++] = (struct agenda_notice_to){
			ids[i], kept ? AGENDA_NOTICE_UPDATED : AGENDA_NOTICE_NEW};
	}
	for (int i = 0; i < n_old; i++)
		if (!contains(ids, n, old[i]) && !contains(old, i, old[i]))
			out->to[out->n++] = (struct agenda_notice_to){old[i], AGENDA_NOTICE_DELETED};
	out->reminders = reminders_after(before, n_old, after, n);
}

/* ---- Application ---- */

static const char *
reminder_key(struct arena *a, const char *event_id, int days)
{
	return arena_printf(a, "rdv:%s:j%d", event_id, days);
}

/* Plans both reminders of @e at @now, or cancels each one too late to plan (§3.2). */
static int
plan_reminders(struct db *db, struct arena *a, int64_t now, const struct event *e)
{
	static const int days[] = {7, 1};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(days) / sizeof(days[0]); i++) {
		const char *key = reminder_key(a, e->id, days[i]);
		int64_t at = notifications_reminder_at(e->starts_at, days[i], now);
		if (!at) {
			rc = jobs_cancel(db, key);
			continue;
		}
		json_t *p = json_pack("{s:s, s:i, s:I}", "id", e->id, "days", days[i], "start",
				      (json_int_t)e->starts_at);
		char *payload = json_dumps(p, JSON_COMPACT);
		rc = jobs_schedule(db, now, "agenda_reminder", key, payload, at);
		free(payload);
		json_decref(p);
	}
	return rc;
}

static int
cancel_reminders(struct db *db, struct arena *a, const char *event_id)
{
	int rc = jobs_cancel(db, reminder_key(a, event_id, 7));
	return rc ? rc : jobs_cancel(db, reminder_key(a, event_id, 1));
}

/* Tells @to of the change of @was (NULL: a creation) into @is (NULL: a deletion), with a
 * push unless @o says otherwise. */
static int
tell(struct db *db, struct arena *a, int64_t now, const struct event *was,
     const struct event *is, const struct agenda_notice_to *to, const struct agenda_notify_opts *o)
{
	const struct event *e = is ? is : was;
	const char *url = arena_printf(a, "/app/rendez-vous/%s", e->id);
	struct notif_opts n = {.no_push = !o->push};
	switch (to->what) {
	case AGENDA_NOTICE_NEW:
		return notifications_add_opts(db, now, to->beneficiary_id, NOTIF_NEW_APPOINTMENT,
					      arena_printf(a, "NEW_APPOINTMENT:%s", e->id), url, &n);
	case AGENDA_NOTICE_UPDATED:
		n.burst_ms = AGENDA_UPDATE_BURST_MS;
		return notifications_add_opts(db, now, to->beneficiary_id,
					      NOTIF_APPOINTMENT_UPDATED,
					      arena_printf(a, "APPOINTMENT_UPDATED:%s", e->id), url, &n);
	case AGENDA_NOTICE_DELETED:
		/* The event is gone for them: the day they were expected, and "Mon suivi"
		 * (row 6). */
		n.day_of = (was ? was : is)->starts_at;
		return notifications_add_opts(db, now, to->beneficiary_id,
					      NOTIF_APPOINTMENT_DELETED,
					      arena_printf(a, "APPOINTMENT_DELETED:%s", e->id),
					      "/app/suivi", &n);
	}
	return -ERR_INVAL;
}

/* Applies @plan, made for the change of @was into @is (either NULL, not both). */
static int
apply(struct db *db, struct arena *a, int64_t now, const struct event *was,
      const struct event *is, const struct agenda_notify_plan *plan,
      const struct agenda_notify_opts *o)
{
	int rc = 0;
	for (int i = 0; o->notices && !rc && i < plan->n; i++)
		rc = tell(db, a, now, was, is, &plan->to[i], o);
	if (rc)
		return rc;
	switch (plan->reminders) {
	case AGENDA_REMINDERS_PLAN:
		return plan_reminders(db, a, now, is);
	case AGENDA_REMINDERS_CANCEL:
		return cancel_reminders(db, a, (is ? is : was)->id);
	case AGENDA_REMINDERS_KEEP:
		break;
	}
	return 0;
}

/* The stored participants of @event_id as ids. Count or a negative err. */
static int
stored_ids(struct db *db, struct arena *a, const char *event_id, const char ***out)
{
	struct event_participant *p;
	int n = agenda_store_participants(db, a, event_id, &p);
	if (n < 0)
		return n;
	const char **ids = arena_alloc(a, sizeof(*ids) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		ids[i] = p[i].beneficiary_id;
	*out = ids;
	return n;
}

static const struct agenda_notify_opts everything = {.notices = true, .push = true};

int
agenda_notify_created(struct db *db, int64_t now, const struct event *e,
		      const char *const *ids, int n)
{
	return agenda_notify_created_opts(db, now, e, ids, n, &everything);
}

int
agenda_notify_edited(struct db *db, int64_t now, const struct event *before,
		     const struct event *after, const char *const *ids, int n)
{
	return agenda_notify_edited_opts(db, now, before, after, ids, n, &everything);
}

int
agenda_notify_deleted(struct db *db, int64_t now, const struct event *e)
{
	return agenda_notify_deleted_opts(db, now, e, &everything);
}

int
agenda_notify_created_opts(struct db *db, int64_t now, const struct event *e,
			   const char *const *ids, int n, const struct agenda_notify_opts *o)
{
	struct arena *a = arena_new();
	struct agenda_notify_plan plan;
	agenda_notify_decide(a, NULL, NULL, 0, e, ids, n, &plan);
	int rc = apply(db, a, now, NULL, e, &plan, o);
	arena_free(a);
	return rc;
}

int
agenda_notify_edited_opts(struct db *db, int64_t now, const struct event *before,
			  const struct event *after, const char *const *ids, int n,
			  const struct agenda_notify_opts *o)
{
	struct arena *a = arena_new();
	const char **old = NULL;
	int n_old = stored_ids(db, a, before->id, &old), rc = n_old < 0 ? n_old : 0;
	if (!rc) {
		struct agenda_notify_plan plan;
		agenda_notify_decide(a, before, old, n_old, after, ids, n, &plan);
		rc = apply(db, a, now, before, after, &plan, o);
	}
	arena_free(a);
	return rc;
}

int
agenda_notify_deleted_opts(struct db *db, int64_t now, const struct event *e,
			   const struct agenda_notify_opts *o)
{
	struct arena *a = arena_new();
	const char **old = NULL;
	int n_old = stored_ids(db, a, e->id, &old), rc = n_old < 0 ? n_old : 0;
	if (!rc) {
		struct agenda_notify_plan plan;
		agenda_notify_decide(a, e, old, n_old, NULL, NULL, 0, &plan);
		rc = apply(db, a, now, e, NULL, &plan, o);
	}
	arena_free(a);
	return rc;
}

int
agenda_notify_forget(struct db *db, const char *event_id)
{
	struct arena *a = arena_new();
	int rc = cancel_reminders(db, a, event_id);
	arena_free(a);
	return rc;
}

/* ---- The reminder job ---- */

/* Tells each current participant of @e, in one transaction; keys absorb re-runs. */
static int
send_reminder(struct db *db, struct arena *a, int64_t now, const struct event *e, int days)
{
	const char **ids = NULL;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	int n = stored_ids(db, a, e->id, &ids);
	rc = n < 0 ? n : 0;
	const char *key = arena_printf(a, "APPOINTMENT_REMINDER:%s:%d:%lld", e->id, days,
				       (long long)e->starts_at);
	const char *url = arena_printf(a, "/app/rendez-vous/%s", e->id);
	for (int i = 0; !rc && i < n; i++)
		rc = notifications_add(db, now, ids[i],
				       days == 7 ? NOTIF_APPOINTMENT_REMINDER_WEEK
						 : NOTIF_APPOINTMENT_REMINDER_DAY,
				       key, url);
	return db_tx_end(db, rc);
}

int
agenda_notify_run_reminder(void *app, struct db *db, struct arena *a, const struct job *j,
			   int64_t now, const char **error)
{
	(void)app;
	const char *id = NULL;
	int days = 0;
	json_int_t start = 0;
	json_t *p = json_loads(j->payload ? j->payload : "", 0, NULL);
	if (!p || json_unpack(p, "{s:s, s:i, s:I}", "id", &id, "days", &days, "start", &start)
	    || (days != 7 && days != 1)) {
		json_decref(p);
		*error = "charge utile invalide";
		return -ERR_INVAL;
	}
	id = arena_strdup(a, id);
	json_decref(p);
	struct event e;
	int rc = agenda_store_load(db, a, id, &e);
	if (rc == -ERR_NOTFOUND) {
		log_info("rappel J-%d de l'événement %s abandonné : événement supprimé", days, id);
		return 0;
	}
	if (rc)
		return rc;
	if (e.starts_at != start || !notifications_reminder_still_due(e.starts_at, days, now)) {
		log_info("rappel J-%d de l'événement %s abandonné : date changée ou dépassée", days,
			 id);
		return 0;
	}
	if ((rc = send_reminder(db, a, now, &e, days)))
		*error = "envoi du rappel impossible";
	return rc;
}
