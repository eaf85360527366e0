/* agenda_close.c — closing an AC (agenda.md §4): the rules, the use case, the nightly job
 * and what Pilotage reads. */
#include "agenda/agenda_close.h"
#include "agenda/agenda_close_store.h"
#include "agenda/agenda_store.h"
#include "agenda/agenda_use.h"

#include "base/arena.h"
#include "base/err.h"
#include "core/ctx.h"
#include "db/db.h"
#include "jobs/jobs.h"

#include <string.h>

int
agenda_close_check(const struct event *e, int64_t now, struct refusal *why)
{
	if (!agenda_is_collective(e->type))
		return refuse_with(why, 400, NULL, "Clôture impossible", AGENDA_CLOSE_NOT_AC);
	if (agenda_ac_status(e, now) != AC_TO_CLOSE)
		return refuse_with(why, 400, NULL, "Clôture impossible", AGENDA_CLOSE_NOT_DUE);
	return 0;
}

enum ac_close_banner
agenda_close_banner(const struct event *e, int registrants, int64_t now)
{
	if (!agenda_is_collective(e->type) || agenda_ac_status(e, now) != AC_TO_CLOSE)
		return AC_BANNER_NONE;
	return registrants > 0 ? AC_BANNER_TO_CLOSE : AC_BANNER_TO_DELETE;
}

static bool
listed(const char *id, const char *const *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(id, ids[i]))
			return true;
	return false;
}

/* Every id of @ids is a registrant of @p (@np). */
static int
check_registered(const struct event_participant *p, int np, const char *const *ids, int n,
		 struct refusal *why)
{
	for (int i = 0; i < n; i++) {
		bool found = false;
		for (int k = 0; !found && k < np; k++)
			found = !strcmp(p[k].beneficiary_id, ids[i]);
		if (!found)
			return refuse_with(why, 400, "presents", "Clôture impossible",
					   AGENDA_CLOSE_NOT_REGISTERED);
	}
	return 0;
}

static int
close_in_tx(struct db *db, struct arena *a, const struct user *u, int64_t now,
	    const char *event_id, const char *const *ids, int n, struct refusal *why)
{
	struct event e;
	struct event_participant *p;
	int rc = agenda_open(db, a, u, event_id, true, &e, NULL);
	if (!rc)
		rc = agenda_close_check(&e, now, why);
	if (rc)
		return rc;
	int np = agenda_store_participants(db, a, e.id, &p);
	if (np < 0)
		return np;
	if ((rc = check_registered(p, np, ids, n, why)))
		return rc;
	for (int i = 0; !rc && i < np; i++)
		rc = agenda_close_store_presence(db, e.id, p[i].beneficiary_id,
						 listed(p[i].beneficiary_id, ids, n));
	if (rc)
		return rc;
	int closed = agenda_close_store_close(db, e.id, now);
	if (closed < 0)
		return closed;
	if (!closed)   /* cannot happen under the write lock: the check above read it open */
		return refuse_with(why, 400, NULL, "Clôture impossible", AGENDA_CLOSE_NOT_DUE);
	return agenda_store_add_change(db, e.id, now, u->id, u->first_name, u->last_name);
}

int
agenda_close(struct db *db, struct arena *a, const struct user *u, int64_t now,
	     const char *event_id, const char *const *present_ids, int n, struct refusal *why)
{
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, close_in_tx(db, a, u, now, event_id, present_ids, n, why));
}

/* ---- The nightly job ---- */

int
agenda_close_empty(struct db *db, int64_t now)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	int n = agenda_close_store_close_empty(db, now);
	rc = db_tx_end(db, n < 0 ? n : 0);
	return rc ? rc : n;
}

int
agenda_close_job_run(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
		     const char **error)
{
	(void)app;
	(void)a;
	(void)j;
	int n = agenda_close_empty(db, now);
	if (n < 0)
		*error = "clôture des animations collectives sans inscrit impossible";
	return n < 0 ? n : 0;
}

int
agenda_close_jobs_plan(struct db *db, int64_t now)
{
	return jobs_ensure_daily(db, now, AGENDA_CLOSE_JOB_KIND, AGENDA_CLOSE_JOB_KEY, NULL, 1, 30,
				 "Europe/Paris");
}

/* ---- Pilotage ---- */

int
agenda_to_close_count(struct db *db, const char *structure_id, int64_t now)
{
	return structure_id ? agenda_close_store_count(db, structure_id, now) : 0;
}

int
agenda_to_close_list(struct db *db, struct arena *a, const char *structure_id, int64_t now,
		     int offset, int limit, struct agenda_to_close **out)
{
	if (!structure_id) {
		*out = NULL;
		return 0;
	}
	return agenda_close_store_list(db, a, structure_id, now, offset, limit, out);
}
