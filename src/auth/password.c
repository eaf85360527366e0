/* password.c — argon2id through libsodium; the rule is pure and unit-tested. */
#include "auth/password.h"

#include "base/err.h"

#include <glib.h>
#include <string.h>

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -ERR_INVAL;
	return 0;
}

bool
password_verify(const char *hash, const char *pw)
{
	return hash && pw && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool
password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

void
password_verify_dummy(const char *pw)
{
	static char dummy[PASSWORD_HASH_MAX];
	static gsize once;
	if (g_once_init_enter(&once)) {
		password_hash("mot de passe factice", dummy);
		g_once_init_leave(&once, 1);
	}
	password_verify(dummy, pw ? pw : "");
}

bool
password_rule_ok(const char *pw, const char *email)
{
	bool upper = false, lower = false, digit = false;
	if (!pw || !g_utf8_validate(pw, -1, NULL))
		return false;
	glong n = g_utf8_strlen(pw, -1);
	if (n < 8 || n > 128)
		return false;
	for (const char *p = pw; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		upper |= g_unichar_isupper(c);
		lower |= g_unichar_islower(c);
		digit |= g_unichar_isdigit(c);
	}
	if (email && g_ascii_strcasecmp(pw, email) == 0)
		return false;
	return upper && lower && digit;
}
