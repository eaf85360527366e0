/* sessions_registration.h — what cej does when a beneficiary's registration to an i-milo
 * session changes, whoever changed it: a counselor in cej (after i-milo accepted the write)
 * or the i-milo desk (the event feed, spec/imilo.md §4). One entry point for both, so the
 * effects are the same and the feed's echo of cej's own writes changes nothing twice:
 *
 * - the local copy (table session_registration, migration 0032) is upserted or deleted;
 * - the beneficiary is notified (notifications.md rows 8–10) under the keys
 *   SESSION_REGISTERED:{idInstance}, SESSION_UNREGISTERED:{idInstance} and
 *   SESSION_UPDATED:{idInstance}:{start}: a second call with the same change adds nothing;
 * - the reminders instance-session:{idInstance}:j7|j1 are planned (statut ONGOING, future)
 *   or cancelled (refused, deleted), §3.2.
 *
 * Both run inside the caller's write transaction (the use case owns it). The feed may call
 * them for a beneficiary cej knows; it drops the events of unknown dossiers and of
 * beneficiaries who never logged in before calling. */
#ifndef CEJ_SESSIONS_REGISTRATION_H
#define CEJ_SESSIONS_REGISTRATION_H

#include <stdbool.h>
#include <stdint.h>

struct db;

struct session_registration {
	const char *instance_id;      /* idInstanceSession */
	const char *session_id;
	const char *beneficiary_id;   /* cej's beneficiary */
	const char *session_name;     /* {nom} of the notification texts */
	int64_t starts_at, ends_at;   /* Unix ms */
	const char *statut;           /* ONGOING, REFUSAL, REFUSAL_YOUNG, ACHIEVED */
};

/* The registration as it now stands (created, status changed, moved). 0 or a negative err. */
int sessions_registration_apply(struct db *db, int64_t now, const struct session_registration *reg);

/* sessions_registration_apply() of a registration the young person made himself (agenda.md
 * §7, SESSION_AUTO_REGISTRATION): he is told "Inscription confirmée" (row 12) under the
 * key of row 8, so the feed's echo tells nothing more. */
int sessions_registration_apply_self(struct db *db, int64_t now,
				     const struct session_registration *reg);

/* Instance @instance_id of @beneficiary_id no longer exists (S7, a DELETE event, E4's 404):
 * the local copy and the reminders go; the beneficiary is told when it was still ONGOING
 * and in the future. 0 (also when cej never knew it) or a negative err. */
int sessions_registration_delete(struct db *db, int64_t now, const char *beneficiary_id,
				 const char *instance_id);

#endif
