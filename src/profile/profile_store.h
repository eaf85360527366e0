/* profile_store.h — the counselor row behind "Mon profil" and its settings. */
#ifndef CEJ_PROFILE_STORE_H
#define CEJ_PROFILE_STORE_H

#include "profile/profile.h"

int profile_store_load(struct db *db, struct arena *a, const char *id,
		       struct counselor_profile *out);
int profile_store_set_sound(struct db *db, const char *id, bool on);
int profile_store_mobile_welcome_done(struct db *db, const char *id, int64_t now);

int profile_store_app_prefs(struct db *db, const char *id, struct app_prefs *out);
/* Writes every setting of @p (the switch and the five notifications). */
int profile_store_set_app_prefs(struct db *db, const char *id, const struct app_prefs *p);

#endif
