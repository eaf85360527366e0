/* actions_use.h — the use cases on actions: each applies the rules of actions.h, writes
 * through the store and keeps what hangs on an action in step — the J-3 reminder job
 * ("action:{id}:j3", planned, re-planned or cancelled in the same transaction) and the
 * beneficiary's notifications.
 *
 * Two levels. The steps (actions_create, actions_change, actions_remove,
 * actions_add_comment) run inside the caller's write transaction: jobs, other features'
 * seeds and tests compose them. The use cases of the pages (actions_add, actions_update,
 * actions_set_status, actions_delete, actions_comment, actions_qualify) each own their
 * transaction — call them outside any — and say why they refuse in a struct refusal
 * (base/err.h), in the words of the side acting (@who: the counselor says "vous", the
 * app "tu"). Callers decide access first (record_open for a counselor, the
 * beneficiary's own actions in the app) and validate their form (actions_form.h,
 * actions_app_form.h). */
#ifndef CEJ_ACTIONS_USE_H
#define CEJ_ACTIONS_USE_H

#include "actions/actions.h"
#include "jobs/jobs.h"

struct arena;
struct db;
struct imilo_client;
struct msg_keyring;
struct action_comment;
struct refusal;

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

/* ---- Use cases of the pages: each its own transaction ---- */

/* Creates @a (as actions_create) in its own transaction. 0 or -ERR_DB. */
int actions_add(struct db *db, struct arena *ar, int64_t now, struct action *a);

/* An action that does not exist for @who (deleted, or someone else's): the app's refusal
 * (404 "Action introuvable"); a counselor gets -ERR_NOTFOUND alone (the 404 page). */
int actions_refuse_missing(enum action_actor who, struct refusal *why);

/* May @who open the edit form of @a? 0, or the refusal: qualified (400), or, for the
 * beneficiary, created by their counselor (403). Pure. */
int actions_check_edit(const struct action *a, enum action_actor who, struct refusal *why);
/* May @who delete @a (§3)? 0, or: done, qualified or commented (400 refusal); created by
 * the other side: the app's 403 refusal, -ERR_FORBIDDEN alone for a counselor. Pure. */
int actions_check_delete(const struct action *a, enum action_actor who, struct refusal *why);

/* Stores @a, the edited @before, in its own transaction (actions_change). Refused (400)
 * when qualified, before or meanwhile; an action deleted meanwhile is missing
 * (actions_refuse_missing). */
int actions_update(struct db *db, struct arena *ar, int64_t now, enum action_actor who,
		   const struct action *before, struct action *a, struct refusal *why);

/* Moves @before to done (@done, on @completed_at; 0: @now) or out of it: "À faire" for
 * the counselor, "En cours" for the beneficiary. A qualified action is refused (400).
 * Nothing to change: the counselor's choice is saved as it is (0), the beneficiary is
 * told it already is (400). */
int actions_set_status(struct db *db, struct arena *ar, int64_t now, enum action_actor who,
		       const struct action *before, bool done, int64_t completed_at,
		       struct refusal *why);

/* Deletes action @id of beneficiary @beneficiary_id for @who, in its own transaction: the
 * action is read again inside it, so a comment or a status committed since the page was
 * shown wins (actions_check_delete's refusals; missing: actions_refuse_missing). */
int actions_delete(struct db *db, struct arena *ar, enum action_actor who, const char *id,
		   const char *beneficiary_id, struct refusal *why);

/* Adds comment @c to @a (actions_add_comment) in its own transaction. A counselor's
 * comment is a message of the conversation: once committed, both parties' streams are
 * told (messaging_live_changed; the referent is its author). A counselor whose comment
 * could not be saved is told so (500 refusal, the error returned). */
int actions_comment(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		    int64_t now, const struct action *a, struct action_comment *c,
		    struct refusal *why);

/* Qualification input of one action (actions.md §5). */
struct qualify_input {
	const char *code;        /* a category code or "NON_SNP" */
	const char *comment;     /* SNP: 1–255 characters */
	const char *start, *end; /* SNP: YYYY-MM-DD */
};
/* The outcome: 0 saved; otherwise a negative error, and when there is something to tell
 * the counselor, @why: the spec's message (400), i-milo's own for a 4xx (422), a failure
 * to reach it (503), or a save that will happen later (500, the error -ERR_DB). Runs its
 * own transactions (never one across the i-milo call): must be called outside any.
 * Calls i-milo (blocking): worker threads only. @login is the counselor's i-milo login
 * (NULL: refused without calling i-milo). */
int actions_qualify(struct db *db, struct imilo_client *im, struct arena *ar, int64_t now,
		    const char *counselor_id, const char *login, const char *dossier_id,
		    const char *action_id, const struct qualify_input *in, struct refusal *why);

/* May @a be qualified (§5 eligibility)? 0, or the refusal "Qualification impossible."
 * (400) with the spec's message. Pure. */
int actions_check_qualify(const struct action *a, struct refusal *why);

/* May the @n actions of @list be qualified together (§5 "Batch qualification")? The
 * count first (1 to ACTION_BATCH_MAX: @list may be NULL to check only that), then the
 * batch rules in the spec's order and each action's eligibility. 0, or the refusal
 * "Qualification impossible." (400) with the spec's alert. Pure. */
int actions_check_batch(const struct action *list, int n, struct refusal *why);
/* An SNP goes to i-milo under the counselor's i-milo @login: 0, or the refusal (400)
 * when it is unknown. Pure. */
int actions_check_login(const char *login, struct refusal *why);

/* Validates the SNP part of @in for @a at @now: 0, or a refusal (400) with the spec's
 * message (§8 "Qualification") and its field: "categorie", "commentaire", "date-debut" or
 * "date-fin" (the inputs' ids). Pure. */
int actions_qualify_check(const struct action *a, const struct qualify_input *in, int64_t now,
			  struct refusal *why);

/* A beneficiary's part of the account's deletion and archive (beneficiaries.md §9),
 * inside the caller's transaction. The purge deletes their actions, the comments and the
 * J-3 reminder jobs of those actions (live or dead); the conversation's ACTION_COMMENT
 * messages go with the conversation (messaging_purge_beneficiary). The archive sets
 * "actions" in @archive: every action with its comments and qualification. 0 or -ERR_DB. */
struct json_t;
int actions_purge_beneficiary(struct db *db, const char *beneficiary_id);
int actions_archive_beneficiary(struct db *db, struct arena *ar, const char *beneficiary_id,
				struct json_t *archive);

/* The actions' lines of the fiche's Agenda tab (core/feature.h week_items): the actions of
 * @rec whose displayed date falls in [@from, @to), undated to the hour. */
struct record;
struct week_item;
int actions_week_items(struct db *db, struct arena *ar, const struct record *rec, int64_t from,
		       int64_t to, bool events_only, struct week_item **out);

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
