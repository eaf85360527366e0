/* password.h — argon2id hashing (libsodium, interactive limits) and the CNIL password rule.
 * Hashing takes ~100 ms and 64 MiB: call it only from worker threads (ROUTE_WORKER). */
#ifndef CEJ_PASSWORD_H
#define CEJ_PASSWORD_H

#include <stdbool.h>
#include <sodium.h>

#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES

/* Writes the argon2id string of @pw into @out. 0, or -ERR_INVAL if hashing failed. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* True when @pw matches @hash (constant time inside libsodium). NULL hash: false. */
bool password_verify(const char *hash, const char *pw);
/* True when @hash was made with other parameters than today's: rehash after login. */
bool password_needs_rehash(const char *hash);
/* Burns the time of one verification, so that an unknown account answers as slowly as a
 * wrong password (no account enumeration by timing). */
void password_verify_dummy(const char *pw);

/* The CNIL rule of youth-app.md §3: 8–128 characters, at least one upper-case letter,
 * one lower-case letter and one digit, different from the e-mail (case-insensitive).
 * Pure. */
bool password_rule_ok(const char *pw, const char *email);

#endif
