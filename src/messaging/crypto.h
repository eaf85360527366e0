/* crypto.h — encryption at rest of messages (messaging.md §14): libsodium secretbox
 * (XSalsa20-Poly1305) with a fresh random 192-bit nonce per value, under keys read from a
 * key file outside the database.
 *
 * The key file is text, one key per line, "id:base64key" (standard base64 of 32 bytes; an
 * id is 1–32 characters of [A-Za-z0-9_-]); blank lines and lines starting with '#' are
 * ignored. The LAST key is the current one: new values are sealed with it. Every stored
 * value keeps the id of its key, so older keys keep opening older rows after a rotation
 * (`cej admin cle-messages nouvelle` appends a key; servers use it once restarted).
 *
 * A keyring is read-only once opened: threads share it without locks. Keys are zeroed
 * (sodium_memzero) when it is freed. Nothing here ever logs a key or a plaintext. */
#ifndef CEJ_MESSAGING_CRYPTO_H
#define CEJ_MESSAGING_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct msg_keyring;

#define CRYPTO_KEY_ID_MAX 32
/* Bytes a sealed value adds to its plaintext: nonce (24) + MAC (16). */
#define CRYPTO_OVERHEAD 40

/* Loads the key file @path. When it is missing and @create_if_missing, creates it (and
 * its directory, 0700) with one random key, mode 0600. NULL when the file cannot be read
 * or created, or is malformed (a line that is not "id:key" with a 32-byte key, a repeated
 * id) or empty — the reason is logged, never a key. A file readable by group or others is
 * accepted with a warning. Free with crypto_keyring_free(). */
struct msg_keyring *crypto_keyring_open(const char *path, bool create_if_missing);
/* Zeroes the keys and frees @k (NULL is fine). */
void crypto_keyring_free(struct msg_keyring *k);
/* Id of the current key (the file's last). Owned by @k. */
const char *crypto_keyring_current(const struct msg_keyring *k);
/* Number of keys. */
int crypto_keyring_count(const struct msg_keyring *k);

/* Appends a fresh random key to @path, which becomes the current one; creates the file
 * (0600) when missing. The id is "k{n}", n one more than the largest such id in the file.
 * Sets *@new_id (g_free). 0, -ERR_INVAL (malformed file: nothing is written) or -ERR_IO. */
int crypto_keyring_add(const char *path, char **new_id);

/* A sealed value: nonce || ciphertext, and the id of its key. */
struct crypto_sealed {
	const char *key_id;           /* owned by the keyring */
	const unsigned char *blob;    /* arena-owned */
	size_t len;                   /* plaintext length + CRYPTO_OVERHEAD */
};

/* Seals @len bytes of @plain with the current key. Never fails (the blob is in @a). */
void crypto_seal(const struct msg_keyring *k, struct arena *a, const void *plain, size_t len,
		 struct crypto_sealed *out);
/* Opens @blob (@len bytes) sealed with key @key_id into *@plain, NUL-terminated in @a, its
 * length in *@plain_len (may be NULL). 0; -ERR_NOTFOUND when @key_id is not in the
 * keyring; -ERR_INVAL when the blob is too short or fails authentication (tampered, or
 * sealed with another key of the same id). */
int crypto_open(const struct msg_keyring *k, struct arena *a, const char *key_id,
		const unsigned char *blob, size_t len, char **plain, size_t *plain_len);

#endif
