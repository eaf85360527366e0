/* important_store.h — the SQL of the message important (important.h): the table
 * important_message, one row per counselor. Texts stay sealed here; important.c opens
 * them. Strings and blobs read live in the arena given. */
#ifndef CEJ_IMPORTANT_STORE_H
#define CEJ_IMPORTANT_STORE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

struct important_row {
	const char *counselor_id;
	const char *start_date, *end_date;
	int64_t starts_at, until_at, updated_at;
	const char *key_id;
	const unsigned char *content;   /* nonce || ciphertext */
	size_t content_len;
};

/* Inserts or replaces the row of @r->counselor_id (created_at kept on a replace). 0 or
 * -ERR_DB. */
int important_store_put(struct db *db, const struct important_row *r, int64_t now);
/* Deletes the row of @counselor_id, if any. 0 or -ERR_DB. */
int important_store_delete(struct db *db, const char *counselor_id);
/* The row of @counselor_id whose until_at is after @now. 0, -ERR_NOTFOUND or -ERR_DB. */
int important_store_current(struct db *db, struct arena *a, const char *counselor_id,
			    int64_t now, struct important_row *out);
/* The row of the referent of live beneficiary @beneficiary_id when it is shown at @now
 * (starts_at <= now < until_at). 0, -ERR_NOTFOUND or -ERR_DB. */
int important_store_shown_for(struct db *db, struct arena *a, const char *beneficiary_id,
			      int64_t now, struct important_row *out);

#endif
