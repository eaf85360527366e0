/* agenda_close.h — closing an animation collective (agenda.md §4, §8): the attendance of
 * its registrants and its closed_at in one transaction, the nightly closing of the past AC
 * nobody registered to, and what Pilotage lists ("Les animations — À clore"). Other
 * features (pilotage/) call these; the SQL stays in agenda_close_store.c.
 *
 * Once closed, an AC is immutable: agenda_check_open() (agenda.h) refuses its edit, a
 * change of its registrants and its deletion with 409. */
#ifndef CEJ_AGENDA_CLOSE_H
#define CEJ_AGENDA_CLOSE_H

#include "agenda/agenda.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct job;
struct refusal;
struct user;

/* The refusals of agenda_close (400): not an AC, not started yet or already closed, and a
 * beneficiary checked who is not registered. */
#define AGENDA_CLOSE_NOT_AC "Seule une animation collective peut être close."
#define AGENDA_CLOSE_NOT_DUE "Seul un événement passé et non clos peut être clos."
#define AGENDA_CLOSE_NOT_REGISTERED "Ce bénéficiaire n’est pas inscrit à cet événement."

/* Pure: 0 when @e may be closed at @now (an AC, À clore), else the 400 refusal in @why. */
int agenda_close_check(const struct event *e, int64_t now, struct refusal *why);

/* What the detail of an AC says about its closing at @now, with @registrants of them. */
enum ac_close_banner {
	AC_BANNER_NONE,       /* upcoming, or closed */
	AC_BANNER_TO_CLOSE,   /* "Cet événement est passé et doit être clos." + "Clore" */
	AC_BANNER_TO_DELETE,  /* "Cet événement est passé et doit être supprimé." (nobody came) */
};
enum ac_close_banner agenda_close_banner(const struct event *e, int registrants, int64_t now);

/* Closes AC @event_id for counselor @u at @now: @u must write it (authz_event: a counselor
 * of its structure; else -ERR_NOTFOUND / -ERR_FORBIDDEN as agenda_open), it must be À clore
 * (agenda_close_check), and @present_ids (@n, may repeat) must be among its registrants.
 * In one transaction, read again inside it: every registrant gets present 1 (listed) or 0,
 * the event closed_at = @now, and {now, @u} goes to its history. 0, a refusal's err, or a
 * negative err. */
int agenda_close(struct db *db, struct arena *a, const struct user *u, int64_t now,
		 const char *event_id, const char *const *present_ids, int n, struct refusal *why);

/* The nightly job (§4): closes the AC started at or before @now that have no registrant.
 * Idempotent. Count closed or a negative err. */
int agenda_close_empty(struct db *db, int64_t now);
/* The job kind's handler ("agenda_ac_close_empty", daily 01:30 Paris). */
int agenda_close_job_run(void *app, struct db *db, struct arena *a, const struct job *j,
			 int64_t now, const char **error);
#define AGENDA_CLOSE_JOB_KIND "agenda_ac_close_empty"
#define AGENDA_CLOSE_JOB_KEY "agenda:ac-close-empty"
/* Plans it (inside agenda_jobs_plan). */
int agenda_close_jobs_plan(struct db *db, int64_t now);

/* One AC to close, as Pilotage lists it. */
struct agenda_to_close {
	const char *id, *title;   /* arena-owned */
	int64_t starts_at;
	int registrants;
};
/* How many AC of @structure_id are À clore at @now (0 for a NULL structure). Count or a
 * negative err. */
int agenda_to_close_count(struct db *db, const char *structure_id, int64_t now);
/* Those AC, oldest first, @limit from @offset (arena array). Count or a negative err. */
int agenda_to_close_list(struct db *db, struct arena *a, const char *structure_id, int64_t now,
			 int offset, int limit, struct agenda_to_close **out);

#endif
