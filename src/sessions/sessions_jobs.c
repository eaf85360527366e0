/* sessions_jobs.c — the feature's jobs: the J-7/J-1 reminders (sessions_registration.c)
 * and the daily closing of sessions nobody is left to mark (§5.5 rule 4). */
#include "sessions/sessions_feature.h"
#include "sessions/sessions_use.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "jobs/jobs.h"

#define AUTO_CLOSE_KIND "sessions_auto_close"

int
sessions_run_auto_close(void *app, struct db *db, struct arena *a, const struct job *j,
			int64_t now, const char **error)
{
	(void)j;
	struct ctx *c = app;
	int rc = c && c->imilo ? sessions_auto_close(c->imilo, db, a, now) : 0;
	if (rc)
		*error = "clôture des sessions impossible";
	return rc;
}

int
sessions_plan_jobs(struct db *db, int64_t now)
{
	/* At night, after the day's sessions: those started with nobody left to mark. */
	return jobs_ensure_daily(db, now, AUTO_CLOSE_KIND, "sessions:auto-close", NULL, 3, 30,
				 "Europe/Paris");
}
