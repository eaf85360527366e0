/* digest_store.h — the SQL of the counselor unread digest (notifications.md §3.5): who
 * could get it today, and the record of each mail sent (table unread_digest). */
#ifndef CEJ_DIGEST_STORE_H
#define CEJ_DIGEST_STORE_H

#include <stdint.h>

struct arena;
struct db;

/* A counselor with an e-mail who has not had the digest on the day asked. */
struct digest_candidate {
	const char *counselor_id, *email, *first_name;   /* arena */
	int unread;          /* N: conversations of the portfolio whose last message is an
			      * incoming one (beneficiary-side, or AUTO_REGISTRATION) the counselor
			      * has not read */
	int64_t last_open;   /* the latest counselor_last_read_at over the portfolio's
			      * conversations: when they last opened one (0: never) */
};

/* The counselors with an e-mail, at least one unread conversation, and no digest recorded
 * on @day ("aaaa-mm-jj"), ordered by id. Sets *@out (arena); count or -ERR_DB. */
int digest_store_candidates(struct db *db, struct arena *a, const char *day,
			    struct digest_candidate **out);

/* When @counselor_id last opened a conversation of their portfolio (0: never), or -ERR_DB. */
int64_t digest_store_last_open(struct db *db, const char *counselor_id);

/* Records the digest of @counselor_id on @day with its @unread count. 0, -ERR_CONFLICT
 * when one is already recorded that day, or -ERR_DB. Belongs in the transaction that
 * enqueues the mail. */
int digest_store_record(struct db *db, const char *counselor_id, const char *day, int unread,
			int64_t now);

#endif
