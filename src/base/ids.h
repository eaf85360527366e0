/* ids.h — identifiers and secret tokens.
 *
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits, so ids sort by creation
 * time and B-tree inserts stay local. Tokens are random bytes from libsodium, shown to
 * users as URL-safe base64 and stored only as their SHA-256 hex digest. */
#ifndef CEJ_IDS_H
#define CEJ_IDS_H

#include <stdbool.h>
#include <stdint.h>

#define UUID_STRLEN 36
#define TOKEN_BYTES 32      /* 256 bits: sessions, activation links */
#define TOKEN_STRLEN 43     /* unpadded base64url of 32 bytes */
#define TOKEN_HASHLEN 64    /* hex SHA-256 */

/* Writes a UUIDv7 for instant @now_ms into @out (UUID_STRLEN + 1 bytes). */
void id_uuid7(int64_t now_ms, char out[UUID_STRLEN + 1]);
/* True when @s is a lower-case canonical UUID string. */
bool id_is_uuid(const char *s);

/* Writes a fresh random token into @out (TOKEN_STRLEN + 1 bytes). */
void token_new(char out[TOKEN_STRLEN + 1]);
/* Writes the hex SHA-256 of @token into @out (TOKEN_HASHLEN + 1 bytes). */
void token_hash(const char *token, char out[TOKEN_HASHLEN + 1]);

#endif
