/* important.h — the counselor's "message important" (messaging.md §10): one short text per
 * counselor, shown from a start day at 00:00 to an end day at 23:59:59 (zone of the
 * counselor's structure) as a pinned banner at the top of the Messages screen of every
 * beneficiary currently in their portfolio. It is not a message: no push, no unread
 * count. Its text is sealed at rest like messages (§14, crypto.h).
 *
 * The checks of the form are pure; the use cases read and write through important_store.
 * Instants are Unix ms UTC; "now" is passed in. Strings returned live in the arena given. */
#ifndef CEJ_IMPORTANT_H
#define CEJ_IMPORTANT_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct msg_keyring;

#define IMPORTANT_TEXT_MAX 150   /* characters, after trimming */
#define IMPORTANT_TIP "Si votre message contient un lien, n’hésitez pas à le raccourcir " \
	"pour une meilleure lisibilité"

/* ---- The form (pure) ---- */

/* What the counselor typed. Dates are "aaaa-mm-jj" (what <input type="date"> sends) or
 * "jj/mm/aaaa"; NULL reads as empty. */
struct important_form {
	const char *start, *end, *text;
};

/* One French message per field in error (NULL: fine), and their number. */
struct important_errors {
	const char *start, *end, *text;
	int count;
};

/* A form that passed the checks: the civil days and the trimmed text (arena). */
struct important_input {
	int64_t start_day, end_day;     /* clock.h day numbers, end_day >= start_day */
	const char *text;               /* 1–IMPORTANT_TEXT_MAX characters */
};

/* Applies §10's checks to @f: each date present and a real date, end not before start, a
 * message of 1–150 characters after trimming. Fills *@e and, when there is no error,
 * *@out. Returns the number of errors. */
int important_check(struct arena *a, const struct important_form *f, struct important_errors *e,
		    struct important_input *out);

/* The day number of "aaaa-mm-jj" or "jj/mm/aaaa", or CLOCK_NO_DAY. */
int64_t important_parse_day(const char *s);

/* The instants a message from @start_day to @end_day is shown between, in zone @tz (NULL:
 * Europe/Paris): from @start_day at 00:00 (*@starts_at, included) to the midnight after
 * @end_day (*@until_at, excluded), so the last instant shown is @end_day at 23:59:59.999. */
void important_window(int64_t start_day, int64_t end_day, const char *tz, int64_t *starts_at,
		      int64_t *until_at);

/* Is a message of window [@starts_at, @until_at) shown at @now? */
bool important_is_shown(int64_t starts_at, int64_t until_at, int64_t now);

/* ---- Use cases ---- */

/* A counselor's message as stored. */
struct important {
	const char *counselor_id;
	const char *start_date, *end_date;  /* "aaaa-mm-jj" */
	int64_t starts_at, until_at;
	const char *text;                   /* decrypted; NULL when it cannot be */
	int64_t updated_at;
};

/* The message of @counselor_id that is still configured at @now: shown now or later
 * (until_at > @now). A message whose end has passed counts as none: the form starts
 * afresh and the next save replaces it. 0, -ERR_NOTFOUND or -ERR_DB. */
int important_current(struct db *db, const struct msg_keyring *keys, struct arena *a,
		      const char *counselor_id, int64_t now, struct important *out);

/* Saves @in as the message of @counselor_id, replacing any previous one (at most one per
 * counselor), its window computed in @tz, the zone of the counselor's structure; the
 * text is sealed with the current key. One statement: atomic by itself, and it fits in a
 * caller's transaction. 0 or -ERR_DB. */
int important_save(struct db *db, const struct msg_keyring *keys, struct arena *a, int64_t now,
		   const char *counselor_id, const char *tz, const struct important_input *in);

/* Removes the message of @counselor_id ("Désactiver le message"). 0 (also when there was
 * none) or -ERR_DB. */
int important_disable(struct db *db, const char *counselor_id);

/* The banner of beneficiary @beneficiary_id's Messages screen at @now: the text of their
 * referent counselor's message when it is shown now (*@text, arena), else *@text = NULL.
 * A deleted account, or a text that cannot be decrypted, gives NULL too. 0 or -ERR_DB. */
int important_banner_for_beneficiary(struct db *db, const struct msg_keyring *keys,
				     struct arena *a, const char *beneficiary_id, int64_t now,
				     const char **text);

#endif
