/* profile.c — the rules of the counselor's profile, and its use cases. No SQL, no HTML. */
#include "profile/profile.h"

#include "base/err.h"
#include "profile/profile_store.h"

#include <string.h>

int
profile_load(struct db *db, struct arena *a, const char *id, struct counselor_profile *out)
{
	return profile_store_load(db, a, id, out);
}

bool
profile_email_missing(const char *email)
{
	return !email || !*email;
}

int
profile_roles(bool supervisor, const char *out[2])
{
	out[0] = "Conseiller";
	if (!supervisor)
		return 1;
	out[1] = "Superviseur";
	return 2;
}

int
profile_sound_parse(const char *value, bool *on)
{
	if (!value) {
		*on = false;
		return 0;
	}
	if (strcmp(value, "1") != 0)
		return -ERR_INVAL;
	*on = true;
	return 0;
}

int
profile_set_sound(struct db *db, const char *id, bool on)
{
	return profile_store_set_sound(db, id, on);
}

int
profile_mobile_welcome_done(struct db *db, const char *id, int64_t now)
{
	return profile_store_mobile_welcome_done(db, id, now);
}
