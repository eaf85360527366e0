/* actions_use.h — the use cases on actions: each applies the rules of actions.h, writes
 * through the store and keeps what hangs on an action in step — the J-3 reminder job
 * ("action:{id}:j3", planned, re-planned or cancelled in the same transaction) and the
 * beneficiary's notifications. Callers check access (auth/authz) and validate their form
 * first; these run inside the caller's write transaction unless said otherwise. */
#ifndef CEJ_ACTIONS_USE_H
#define CEJ_ACTIONS_USE_H

#include "actions/actions.h"
#include "jobs/jobs.h"

struct arena;
struct db;
struct imilo_client;
struct msg_keyring;
struct action_comment;

/* Creates @a (id, created_at, updated_at set here; due_at and completed_at already by the
 * 09:30 rule). A counselor's action notifies "Nouvelle action". 0 or -ERR_DB. */
int actions_create(struct db *db, struct arena *ar, int64_t now, struct action *a);

/* Stores @a, the changed version of @before: status moves set or clear completed_at
 * (§2), the reminder is re-planned or cancelled. -ERR_INVAL when qualified (the caller
 * said "Vous ne pouvez pas modifier une action qualifiée"), -ERR_CONFLICT when it was
 * qualified meanwhile. */
int actions_change(struct db *db, struct arena *ar, int64_t now, const struct action *before,
		   struct action *a);

/* Deletes @a (the caller checked action_may_delete) and cancels its reminder. */
int actions_remove(struct db *db, struct arena *ar, const struct action *a);

/* Adds comment @c to @a (id and created_at set here). A counselor's comment notifies
 * "Action mise à jour" and is posted in the conversation as an ACTION_COMMENT message,
 * sealed with @keys (messaging.md §1; no NEW_MESSAGE push). @keys may be NULL for a
 * beneficiary's comment, which posts nothing. */
int actions_add_comment(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			int64_t now, const struct action *a, struct action_comment *c);

/* Qualification input of one action (actions.md §5). */
struct qualify_input {
	const char *code;        /* a category code or "NON_SNP" */
	const char *comment;     /* SNP: 1–255 characters */
	const char *start, *end; /* SNP: YYYY-MM-DD */
};
/* The outcome: 0 saved; otherwise a negative error and @message the French text to show
 * (the spec's, or i-milo's own for a 4xx). Runs its own transactions (never one across
 * the i-milo call): must be called outside any. Calls i-milo (blocking): worker threads
 * only. @login is the counselor's i-milo login (NULL: refused without calling i-milo). */
int actions_qualify(struct db *db, struct imilo_client *im, struct arena *ar, int64_t now,
		    const char *counselor_id, const char *login, const char *dossier_id,
		    const char *action_id, const struct qualify_input *in, const char **message);

/* Validates the SNP part of @in for @a at @now: NULL when fine, else the spec's message
 * (§8 "Qualification"). Pure. */
const char *actions_qualify_check(const struct action *a, const struct qualify_input *in,
				  int64_t now);

/* A beneficiary's part of the account's deletion and archive (beneficiaries.md §9),
 * inside the caller's transaction. The purge deletes their actions, the comments and the
 * J-3 reminder jobs of those actions (live or dead); the conversation's ACTION_COMMENT
 * messages go with the conversation (messaging_purge_beneficiary). The archive sets
 * "actions" in @archive: every action with its comments and qualification. 0 or -ERR_DB. */
struct json_t;
int actions_purge_beneficiary(struct db *db, const char *beneficiary_id);
int actions_archive_beneficiary(struct db *db, struct arena *ar, const char *beneficiary_id,
				struct json_t *archive);

/* Handlers of the jobs of actions: the J-3 reminder, the 06:00 automatic non-SNP and the
 * daily purge of notifications. The app pointer is unused. */
#define ACTIONS_JOB_KINDS 4
extern const struct job_kind actions_job_kinds[ACTIONS_JOB_KINDS];
/* Plans the daily jobs. Idempotent. */
int actions_jobs_plan(struct db *db, int64_t now);

/* Pilotage "Actions" (pilotage.md): the à-qualifier actions of @counselor_id's CEJ
 * beneficiaries, @categories bits as in struct action_filter (0: all), sorted by @sort,
 * @limit from @offset (limit 0: none, only the *@total). Count of rows or -ERR_DB; rows
 * and strings in @ar. */
int actions_to_qualify(struct db *db, struct arena *ar, const char *counselor_id,
		       unsigned categories, enum pilotage_sort sort, int offset, int limit,
		       struct action_to_qualify **out, int *total);

#endif
