/* agenda_use.c — the use cases on events: rights, the portfolio rule, the history. */
#include "agenda/agenda_use.h"
#include "agenda/agenda_form.h"
#include "agenda/agenda_invite.h"
#include "agenda/agenda_store.h"
#include "agenda/agenda_notify.h"
#include "agenda/agenda_close.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "core/ctx.h"
#include "db/db.h"

#include <string.h>

/* Every id of @ids is in @u's portfolio (§2 "creator's portfolio only"). */
static int
check_portfolio(struct db *db, const struct user *u, const char *const *ids, int n,
		struct refusal *why)
{
	for (int i = 0; i < n; i++) {
		int in = agenda_store_in_portfolio(db, u->id, ids[i]);
		if (in < 0)
			return in;
		if (!in)
			return refuse_with(why, 400, "beneficiaires", NULL, AGENDA_NOT_IN_PORTFOLIO);
	}
	return 0;
}

/* @ids without repeats (a forged form may post one twice): the count is what a maximum
 * compares. Arena array; count. */
static int
distinct(struct arena *a, const char *const *ids, int n, const char ***out)
{
	const char **seen = arena_alloc(a, sizeof(*seen) * (size_t)(n + 1));
	int k = 0;
	for (int i = 0; i < n; i++) {
		int j = 0;
		while (j < k && strcmp(seen[j], ids[i]))
			j++;
		if (j == k)
			seen[k++] = ids[i];
	}
	*out = seen;
	return k;
}

/* An AC's registrants (§4): each of @structure_id, and no more than @max (0: none). */
static int
check_registrants(struct db *db, struct arena *a, const char *structure_id,
		  const char *const *ids, int n, int max, struct refusal *why)
{
	for (int i = 0; i < n; i++) {
		struct agenda_person p;
		int rc = agenda_store_person(db, a, structure_id, ids[i], &p);
		if (rc == -ERR_NOTFOUND)
			return refuse_with(why, 400, "beneficiaires", NULL, AGENDA_NOT_IN_STRUCTURE);
		if (rc)
			return rc;
	}
	if (!agenda_ac_fits(max, n))
		return refuse_with(why, 400, "maximum", NULL, AGENDA_MAX_EXCEEDED);
	return 0;
}

static int
create_in_tx(struct db *db, struct arena *a, const struct user *u, int64_t now,
	     struct event *e, const char *const *ids, int n, struct refusal *why,
	     const struct agenda_mailer *m)
{
	int rc;
	if (agenda_is_collective(e->type)) {
		rc = check_registrants(db, a, e->structure_id, ids, n, e->max_participants, why);
	} else {
		if (n < 1)
			return refuse_with(why, 400, "beneficiaires", NULL, AGENDA_NO_BENEFICIARY);
		rc = check_portfolio(db, u, ids, n, why);
	}
	if (!rc)
		rc = agenda_store_insert(db, e);
	if (!rc)
		rc = agenda_store_set_participants(db, e->id, ids, n, now);
	if (!rc)
		rc = agenda_notify_created(db, now, e, ids, n);
	return rc ? rc : agenda_invite_created(db, m, e, now);
}

int
agenda_create(struct db *db, struct arena *a, const struct user *u, int64_t now,
	      struct event *e, const char *const *ids, int n, struct refusal *why,
	      const struct agenda_mailer *m)
{
	char *id = arena_alloc(a, UUID_STRLEN + 1);
	id_uuid7(now, id);
	e->id = id;
	e->creator_id = u->id;
	e->creator_first_name = u->first_name;
	e->creator_last_name = u->last_name;
	e->structure_id = u->structure_id;
	e->presence = agenda_presence(e->type, e->presence);
	e->closed_at = 0;
	e->created_at = e->updated_at = now;
	if (!agenda_is_collective(e->type))
		e->max_participants = 0;
	else if (!u->structure_id || !*u->structure_id)
		return refuse_with(why, 400, NULL, NULL, AGENDA_NO_STRUCTURE);
	const char **unique;
	n = distinct(a, ids, n, &unique);
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, create_in_tx(db, a, u, now, e, unique, n, why, m));
}

int
agenda_open(struct db *db, struct arena *a, const struct user *u, const char *id, bool write,
	    struct event *out, enum authz_level *level)
{
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = agenda_store_load(db, a, id, out);
	if (rc)
		return rc;
	int follows = agenda_store_follows(db, u->id, out->id);
	if (follows < 0)
		return follows;
	enum authz_level l = agenda_is_imilo(out)
		? authz_event_imilo(u, out->structure_id, follows)
		: authz_event(u, agenda_is_collective(out->type), out->creator_id,
			      out->structure_id, follows);
	if (level)
		*level = l;
	if (l == AUTHZ_NONE)
		return -ERR_NOTFOUND;
	return write && l != AUTHZ_WRITE ? -ERR_FORBIDDEN : 0;
}

int
agenda_participants(struct db *db, struct arena *a, const struct event *e,
		    struct event_participant **out)
{
	return agenda_store_participants(db, a, e->id, out);
}

/* @ids, then the participants of @e whom @u does not follow. Arena array; count. */
static int
merge_participants(struct db *db, struct arena *a, const struct user *u, const struct event *e,
		   const char *const *ids, int n, const char ***out)
{
	struct event_participant *old;
	int n_old = agenda_store_participants(db, a, e->id, &old);
	if (n_old < 0)
		return n_old;
	const char **all = arena_alloc(a, sizeof(*all) * (size_t)(n + n_old + 1));
	int k = 0;
	for (int i = 0; i < n; i++)   /* @ids may be NULL when @n is 0: no memcpy */
		all[k++] = ids[i];
	for (int i = 0; i < n_old; i++)
		if (strcmp(old[i].counselor_id, u->id))
			all[k++] = old[i].beneficiary_id;
	*out = all;
	return k;
}

/* The stored event, read again inside the transaction: a close that committed since the
 * caller opened @e wins over a late edit or deletion (scenario 6). */
static int
check_still_open(struct db *db, const struct event *e, struct refusal *why)
{
	struct arena *a = arena_new();
	struct event now;
	int rc = agenda_store_load(db, a, e->id, &now);
	if (!rc)
		rc = agenda_check_open(&now, why);
	arena_free(a);
	return rc;
}

static int
edit_in_tx(struct db *db, struct arena *a, const struct user *u, int64_t now,
	   const struct event *before, struct event *after, const char *const *ids, int n,
	   struct refusal *why, const struct agenda_mailer *m)
{
	const char **all = NULL;
	int rc = check_still_open(db, before, why);
	if (rc)
		return rc;
	int k;
	if (agenda_is_collective(before->type)) {
		k = distinct(a, ids, n, &all);
		rc = check_registrants(db, a, before->structure_id, all, k, after->max_participants,
				       why);
	} else {
		rc = check_portfolio(db, u, ids, n, why);
		k = rc ? rc : merge_participants(db, a, u, before, ids, n, &all);
		if (k < 0)
			return k;
		k = distinct(a, all, k, &all);
		if (k < 1)
			return refuse_with(why, 400, "beneficiaires", NULL, AGENDA_NO_BENEFICIARY);
	}
	if (rc || (rc = agenda_notify_edited(db, now, before, after, all, k)))
		return rc;
	if ((rc = agenda_store_update(db, after)))
		return rc;
	if ((rc = agenda_store_set_participants(db, after->id, all, k, now)))
		return rc;
	rc = agenda_store_add_change(db, after->id, now, u->id, u->first_name, u->last_name);
	return rc ? rc : agenda_invite_changed(db, m, after, now);
}

int
agenda_edit(struct db *db, struct arena *a, const struct user *u, int64_t now,
	    const struct event *before, struct event *after, const char *const *ids, int n,
	    struct refusal *why, const struct agenda_mailer *m)
{
	/* What the form does not edit comes from the stored event: the type is locked (§2). */
	after->id = before->id;
	after->type = before->type;
	if (after->type != EVENT_AUTRE)
		after->precision = NULL;
	after->presence = agenda_presence(after->type, after->presence);
	after->creator_id = before->creator_id;
	after->creator_first_name = before->creator_first_name;
	after->creator_last_name = before->creator_last_name;
	after->structure_id = before->structure_id;
	if (!agenda_is_collective(after->type))
		after->max_participants = 0;
	after->closed_at = before->closed_at;
	after->created_at = before->created_at;
	after->updated_at = now;
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, edit_in_tx(db, a, u, now, before, after, ids, n, why, m));
}

static int
delete_in_tx(struct db *db, int64_t now, const struct event *e, struct refusal *why,
	     const struct agenda_mailer *m)
{
	int rc = check_still_open(db, e, why);
	if (!rc)
		rc = agenda_notify_deleted(db, now, e);
	if (!rc)   /* while its participants exist: the description names them */
		rc = agenda_invite_cancelled(db, m, e, now);
	return rc ? rc : agenda_store_delete(db, e->id);
}

int
agenda_delete(struct db *db, int64_t now, const struct event *e, struct refusal *why,
	      const struct agenda_mailer *m)
{
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, delete_in_tx(db, now, e, why, m));
}

int
agenda_changes(struct db *db, struct arena *a, const struct event *e, int limit,
	       struct event_change **out, int *total)
{
	return agenda_store_changes(db, a, e->id, limit, out, total);
}

int
agenda_portfolio(struct db *db, struct arena *a, const char *counselor_id,
		 struct agenda_person **out)
{
	return agenda_store_portfolio(db, a, counselor_id, out);
}

int
agenda_of_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id, int64_t now,
		      struct event **out, int **present)
{
	return agenda_store_of_beneficiary(db, a, beneficiary_id, now, out, present);
}

int
agenda_count_of_beneficiary(struct db *db, const char *beneficiary_id)
{
	return agenda_store_count_of_beneficiary(db, beneficiary_id);
}

int
agenda_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct arena *a = arena_new();
	const char **alone;
	int n = agenda_store_alone_with(db, a, beneficiary_id, &alone), rc = n < 0 ? n : 0;
	for (int i = 0; !rc && i < n; i++)
		rc = agenda_store_delete(db, alone[i]);
	for (int i = 0; !rc && i < n; i++)
		rc = agenda_notify_forget(db, alone[i]);
	if (!rc)
		rc = agenda_store_forget_participant(db, beneficiary_id);
	arena_free(a);
	return rc;
}

int
agenda_archive_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
			   json_t *archive)
{
	struct event *list;
	int *present;
	int n = agenda_store_of_beneficiary(db, a, beneficiary_id, INT64_MIN, &list, &present);
	if (n < 0)
		return n;
	json_t *out = json_array();
	for (int i = 0; i < n; i++) {
		const struct event *e = &list[i];
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:b, s:s, s:s}",
			"id", e->id, "type", agenda_types[e->type].code,
			"title", agenda_display_title(a, e), "description", e->description,
			"starts_at", (json_int_t)e->starts_at, "duration_min", e->duration_min,
			"counselor_present", e->presence, "creator_first_name", e->creator_first_name,
			"creator_last_name", e->creator_last_name));
	}
	json_object_set_new(archive, "rendez_vous", out);
	return 0;
}

/* ---- The history's retention ---- */

#define DAY_MS (24 * 3600 * 1000LL)

int
agenda_forget_old_changes(struct db *db, int64_t now)
{
	return agenda_store_forget_changes(db, now - AGENDA_HISTORY_KEEP_DAYS * DAY_MS);
}

static int
run_history_purge(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
		  const char **error)
{
	(void)app;
	(void)a;
	(void)j;
	int n = agenda_forget_old_changes(db, now);
	if (n < 0)
		*error = "purge de l’historique des événements impossible";
	return n < 0 ? n : 0;
}

const struct job_kind agenda_job_kinds[AGENDA_JOB_KINDS] = {
	{"agenda_history_purge", run_history_purge, 3, 5 * 60 * 1000LL, 10 * 60 * 1000LL, NULL},
	AGENDA_REMINDER_JOB_KIND,
	{AGENDA_CLOSE_JOB_KIND, agenda_close_job_run, 3, 5 * 60 * 1000LL, 10 * 60 * 1000LL, NULL},
};

int
agenda_jobs_plan(struct db *db, int64_t now)
{
	int rc = jobs_ensure_daily(db, now, "agenda_history_purge", "agenda:history-purge", NULL, 4,
				   15, "Europe/Paris");
	return rc ? rc : agenda_close_jobs_plan(db, now);
}
