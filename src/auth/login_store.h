/* login_store.h — the tables behind logins and account links. All strings arena-owned. */
#ifndef CEJ_LOGIN_STORE_H
#define CEJ_LOGIN_STORE_H

#include <stdint.h>

#include "auth/session.h"

struct arena;
struct db;

/* The instants of the @max latest failures of @scope, newest first, into @at. Count or <0. */
int login_store_latest_failures(struct db *db, const char *scope, int max, int64_t *at);
int login_store_add_failure(struct db *db, const char *scope, int64_t now, int64_t window);
int login_store_clear_failures(struct db *db, const char *scope);

/* The live account of @kind with @email: id and password hash (NULL when never set).
 * -ERR_NOTFOUND when none. */
int login_store_account(struct db *db, struct arena *a, enum user_kind kind, const char *email,
			const char **id, const char **hash);
int login_store_set_hash(struct db *db, enum user_kind kind, const char *id, const char *hash);
/* First login sets activated_at; every login sets last_activity_at. */
int login_store_beneficiary_logged_in(struct db *db, const char *id, int64_t now);

int login_store_beneficiary_contact(struct db *db, struct arena *a, const char *id,
				    const char **first_name, const char **email);
int login_store_links_since(struct db *db, const char *id, const char *kind, int64_t since);
/* Invalidates the beneficiary's outstanding links, then records the new one. */
int login_store_insert_link(struct db *db, const char *hash, const char *id, const char *kind,
			    int64_t now, int64_t expires_at);
/* The live beneficiary holding valid link @hash. -ERR_NOTFOUND otherwise. */
int login_store_link(struct db *db, struct arena *a, const char *hash, int64_t now,
		     const char **id, const char **email);
/* Marks every outstanding link of @id used at @now. */
int login_store_use_links(struct db *db, const char *id, int64_t now);

#endif
