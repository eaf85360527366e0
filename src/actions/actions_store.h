/* actions_store.h — the SQL of actions, comments and qualifications. Writes belong in the
 * caller's transaction; strings read land in the arena given. */
#ifndef CEJ_ACTIONS_STORE_H
#define CEJ_ACTIONS_STORE_H

#include "actions/actions.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* Inserts @a (every field but comments, cej and timezone). 0 or -ERR_DB. */
int actions_store_insert(struct db *db, const struct action *a);
/* Loads action @id with its comment count, its beneficiary's dispositif and zone.
 * 0, -ERR_NOTFOUND (also for an action of a deleted beneficiary) or -ERR_DB. */
int actions_store_load(struct db *db, struct arena *ar, const char *id, struct action *out);
/* Writes the mutable fields of @a (title, description, category, status, due_at,
 * completed_at, reminder, updated_at) unless the action was qualified meanwhile or is
 * being sent to i-milo (its qualification lock is live): -ERR_CONFLICT then. */
int actions_store_update(struct db *db, const struct action *a);
/* Deletes action @id if it is still deletable (not done, not qualified nor being
 * qualified, no comment): else -ERR_CONFLICT. */
int actions_store_delete(struct db *db, const char *id);

/* Filters of the Actions tab: bit (1 << enum action_display) per chosen status, bit i per
 * chosen category of action_categories (bit ACTION_CATEGORY_COUNT: none); 0 = no filter. */
struct action_filter {
	unsigned statuses;
	unsigned categories;
	bool ascending;             /* "Date de l'action" order; default antichronological */
};

/* A page of the beneficiary's actions (@cej: their dispositif, for the derived statuses).
 * Fills *@out (arena array) and *@total (rows matching); returns the count on the page. */
int actions_store_list(struct db *db, struct arena *ar, const char *beneficiary_id, bool cej,
		       const struct action_filter *f, int64_t now, int offset, int limit,
		       struct action **out, int *total);
/* Every action of the beneficiary whose displayed date falls in [@from, @to) (Mon suivi),
 * by displayed date. Count or -ERR_DB. */
int actions_store_between(struct db *db, struct arena *ar, const char *beneficiary_id,
			  int64_t from, int64_t to, struct action **out);

/* The counters of the fiche (beneficiaries.md §6–§7) for the week [@from, @to). */
struct action_week_counts {
	int created, done, late, due, total;
};
int actions_store_week_counts(struct db *db, const char *beneficiary_id, int64_t from,
			      int64_t to, int64_t now, struct action_week_counts *out);

struct action_comment {
	const char *id, *action_id, *author_id, *first_name, *last_name, *body;
	bool by_counselor;
	int64_t created_at;
};
int actions_store_add_comment(struct db *db, const struct action_comment *c);
/* Comments of @action_id, oldest first. Count or -ERR_DB. */
int actions_store_comments(struct db *db, struct arena *ar, const char *action_id,
			   struct action_comment **out);

/* Saves a qualification (actions.md §5 step 4): code, hours, comment, dates,
 * qualified_at = @now, by @by; for SNP also started_on = @start and completed_at =
 * @completed_at. Only while the action is done and unqualified: else -ERR_CONFLICT. */
struct action_qualification {
	const char *code, *comment, *start, *end, *by;   /* comment/start/end NULL for NON_SNP */
	int hours;
	int64_t completed_at;                            /* 0: unchanged */
};
int actions_store_qualify(struct db *db, const char *id, const struct action_qualification *q,
			  int64_t now);

/* Takes the qualification lock of action @id until @until (actions.md §5 step 2): 0, or
 * -ERR_CONFLICT when the action is qualified or another request holds the lock. */
int actions_store_lock_qualify(struct db *db, const char *id, int64_t now, int64_t until);
/* Keeps the lock until @until whoever holds it (a qualification i-milo accepted waits for
 * its local save). */
int actions_store_hold_qualify(struct db *db, const char *id, int64_t until);
/* Releases it (after a failure; a saved qualification releases it too). */
int actions_store_unlock_qualify(struct db *db, const char *id);
/* The i-milo login of counselor @id into *@login (NULL when unknown). */
int actions_store_counselor_login(struct db *db, struct arena *ar, const char *id,
				  const char **login);

/* Whether beneficiary @id has activated the account (the J-3 re-check). */
int actions_store_beneficiary_activated(struct db *db, const char *id, bool *activated);

/* Pilotage "Actions" (actions_to_qualify in actions_use.h; its types in actions.h). */
int actions_store_to_qualify(struct db *db, struct arena *ar, const char *counselor_id,
			     unsigned categories, enum pilotage_sort sort, int offset, int limit,
			     struct action_to_qualify **out, int *total);

/* Ids of the unqualified, not cancelled actions of CEJ beneficiaries due before @before
 * (a prefilter for the 06:00 job, which applies the exact rule). Count or -ERR_DB. */
int actions_store_auto_non_snp_candidates(struct db *db, struct arena *ar, int64_t before,
					  const char ***ids);

#endif
