/* session_store.h — the tables behind sessions (web_session joined with the accounts). */
#ifndef CEJ_SESSION_STORE_H
#define CEJ_SESSION_STORE_H

#include "auth/session.h"

struct arena;
struct db;

int session_store_insert(struct db *db, const char *hash, enum user_kind kind,
			 const char *user_id, const char *csrf, int64_t now);
/* Finds the live session @hash: fills @u (arena strings) and its instants. 0, or
 * -ERR_NOTFOUND (also when the account is deleted), or -ERR_DB. */
int session_store_find(struct db *db, struct arena *a, const char *hash, struct user *u,
		       int64_t *created_at, int64_t *seen_at);
int session_store_touch(struct db *db, const char *hash, int64_t now);
/* Records the beneficiary's activity (beneficiaries.md §1 last_activity_at). */
int session_store_beneficiary_activity(struct db *db, const char *id, int64_t now);
int session_store_delete(struct db *db, const char *hash);
/* Revokes every session of an account (password reset, deletion). */
int session_store_delete_user(struct db *db, enum user_kind kind, const char *user_id);

#endif
