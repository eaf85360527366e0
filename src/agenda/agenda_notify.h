/* agenda_notify.h — what the participants of an event are told, and when (agenda.md §9,
 * notifications.md §2 rows 4–7, §3.2, §4): "Nouveau rendez-vous", "Rendez-vous modifié",
 * "Rendez-vous supprimé" at each change, and the J-7 / J-1 reminders as durable jobs.
 *
 * The decisions are pure (agenda_notify_decide, …; the J-7/J-1 timing is notifications_reminder_at()) and unit-tested; the
 * agenda_notify_*() calls apply them inside the transaction of the use case that changes
 * the event (agenda_use.c), so an entry of the notification centre, a push intent or a job
 * exists exactly when the change commits. Keys make every effect happen once per
 * recipient (notifications.md §4):
 *   NEW_APPOINTMENT:{event}            the event is created with B, or B is added
 *   APPOINTMENT_UPDATED:{event}:{ms}   ms = the first change of a burst: changes within
 *                                      AGENDA_UPDATE_BURST_MS of it add nothing
 *   APPOINTMENT_DELETED:{event}        the event is deleted, or B removed from it
 *   APPOINTMENT_REMINDER:{event}:{7|1}:{start}
 * Reminders are jobs "rdv:{event}:j7" and "rdv:{event}:j1" of kind "agenda_reminder", for
 * RDV and AC alike, planned while the event has participants, re-planned (same keys) when
 * its start moves, cancelled when it is deleted or left without participants. Removing one
 * participant leaves them: the job reads the participants when it fires. */
#ifndef CEJ_AGENDA_NOTIFY_H
#define CEJ_AGENDA_NOTIFY_H

#include "agenda/agenda.h"
#include "jobs/jobs.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

#define AGENDA_UPDATE_BURST_MS (60 * 1000LL)   /* §4: modifications within 60 s make one */

/* ---- Pure decisions ---- */

/* Does the change of @before into @after matter to its participants: date, time, duration
 * or address (row 5)? The title, the description, the modality do not. */
bool agenda_notify_moved(const struct event *before, const struct event *after);

enum agenda_notice { AGENDA_NOTICE_NEW, AGENDA_NOTICE_UPDATED, AGENDA_NOTICE_DELETED };
enum agenda_reminders { AGENDA_REMINDERS_KEEP, AGENDA_REMINDERS_PLAN, AGENDA_REMINDERS_CANCEL };

struct agenda_notice_to {
	const char *beneficiary_id;   /* one of the ids given to agenda_notify_decide */
	enum agenda_notice what;
};

struct agenda_notify_plan {
	struct agenda_notice_to *to;  /* arena array */
	int n;
	enum agenda_reminders reminders;
};

/* Who is told what, and what becomes of the reminders, when event @before with
 * participants @old (@n_old) becomes @after with participants @ids (@n). @before NULL: a
 * creation; @after NULL: a deletion. Added participants get NEW, removed ones DELETED,
 * those kept UPDATED when the event moved (agenda_notify_moved). Reminders are planned on
 * a creation, a move of the start, or when the first participants come; cancelled on a
 * deletion or when no participant is left; else kept. Pure; @out->to in @a. */
void agenda_notify_decide(struct arena *a, const struct event *before, const char *const *old,
			  int n_old, const struct event *after, const char *const *ids, int n,
			  struct agenda_notify_plan *out);

/* ---- Applied inside the caller's write transaction (agenda_use.c) ---- */

/* Event @e was just stored at @now with participants @ids (@n). 0 or a negative err. */
int agenda_notify_created(struct db *db, int64_t now, const struct event *e,
			  const char *const *ids, int n);
/* Event @before, whose participants are still stored, is about to become @after with
 * participants @ids (@n). Call before the participants are rewritten. */
int agenda_notify_edited(struct db *db, int64_t now, const struct event *before,
			 const struct event *after, const char *const *ids, int n);
/* Event @e, whose participants are still stored, is about to be deleted. */
int agenda_notify_deleted(struct db *db, int64_t now, const struct event *e);
/* The same three with a choice (agenda_imilo.h): @notices false tells nobody (the
 * reminders still follow the event), @push false keeps the notices in the centre only
 * (IMILO_RDV_PUSH off, imilo.md §4). The three above tell everything. */
struct agenda_notify_opts {
	bool notices, push;
};
int agenda_notify_created_opts(struct db *db, int64_t now, const struct event *e,
			       const char *const *ids, int n, const struct agenda_notify_opts *o);
int agenda_notify_edited_opts(struct db *db, int64_t now, const struct event *before,
			      const struct event *after, const char *const *ids, int n,
			      const struct agenda_notify_opts *o);
int agenda_notify_deleted_opts(struct db *db, int64_t now, const struct event *e,
			       const struct agenda_notify_opts *o);
/* Event @event_id goes with a beneficiary's purge: its reminders go, nobody is told. */
int agenda_notify_forget(struct db *db, const char *event_id);

/* The reminder job (agenda_job_kinds): re-checks the event (still there, same start,
 * notifications_reminder_still_due) and tells its current participants, once per key. */
int agenda_notify_run_reminder(void *app, struct db *db, struct arena *a, const struct job *j,
			       int64_t now, const char **error);
#define AGENDA_REMINDER_JOB_KIND                                                   \
	{"agenda_reminder", agenda_notify_run_reminder, 3, 5 * 60 * 1000LL,        \
	 2 * 60 * 1000LL, NULL}

#endif
