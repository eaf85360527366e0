/* admin_store.h — writes of the operator commands (structures, counselors, bench data). */
#ifndef CEJ_ADMIN_STORE_H
#define CEJ_ADMIN_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* Creates the structure @code or updates its name and zone. *id receives its id. */
int admin_store_structure(struct db *db, struct arena *a, const char *code, const char *name,
			  const char *tz, int64_t now, const char **id);
/* The id of structure @code, or -ERR_NOTFOUND. */
int admin_store_structure_id(struct db *db, struct arena *a, const char *code, const char **id);

struct admin_counselor {
	const char *email, *first_name, *last_name, *login, *structure_id;
	const char *password_hash;   /* may be NULL */
	bool supervisor;
};
/* Creates the counselor, or updates the one with the same e-mail. *id receives its id. */
int admin_store_counselor(struct db *db, struct arena *a, const struct admin_counselor *c,
			  int64_t now, const char **id);
/* -ERR_NOTFOUND when no counselor has @email. */
int admin_store_counselor_password(struct db *db, const char *email, const char *hash);

struct admin_beneficiary {
	const char *id, *structure_id, *counselor_id, *first_name, *last_name, *folded, *email;
	const char *dossier_id, *dispositif, *situation;
	int64_t activated_at, last_activity_at;  /* 0: NULL */
};
int admin_store_beneficiary(struct db *db, const struct admin_beneficiary *b, int64_t now);
/* 1 when a live beneficiary has @email, 0 when none, or a negative err. */
int admin_store_beneficiary_exists(struct db *db, const char *email);

#endif
