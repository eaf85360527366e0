/* ids.c — UUIDv7 and random tokens (libsodium for randomness, GLib for SHA-256). */
#include "base/ids.h"

#include <glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

void
id_uuid7(int64_t now_ms, char out[UUID_STRLEN + 1])
{
	unsigned char b[16];
	uint64_t ms = (uint64_t)now_ms;

	randombytes_buf(b + 6, sizeof(b) - 6);
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));  /* version 7 */
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));  /* variant 10 */
	snprintf(out, UUID_STRLEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

bool
id_is_uuid(const char *s)
{
	if (!s || strlen(s) != UUID_STRLEN)
		return false;
	for (int i = 0; i < UUID_STRLEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !g_ascii_isxdigit(s[i]) || g_ascii_isupper(s[i]))
			return false;
	}
	return true;
}

void
token_new(char out[TOKEN_STRLEN + 1])
{
	unsigned char b[TOKEN_BYTES];
	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, TOKEN_STRLEN + 1, b, sizeof(b),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
token_hash(const char *token, char out[TOKEN_HASHLEN + 1])
{
	gchar *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, token, -1);
	memcpy(out, hex, TOKEN_HASHLEN + 1);
	g_free(hex);
}
