/* profile.c — the rules of the counselor's profile, and its use cases. No SQL, no HTML. */
#include "profile/profile.h"

#include "base/err.h"
#include "db/db.h"
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

int
profile_app_prefs_load(struct db *db, const char *id, struct app_prefs *out)
{
	return profile_store_app_prefs(db, id, out);
}

/* Writes @id's settings: the notifications of @notifications (NULL: kept) and the switch
 * @share (-1: kept). The row is read inside the transaction: an UPDATE of no row is not a
 * success, and the part not given is kept as it is. */
static int
update_prefs(struct db *db, const char *id, const struct app_prefs *notifications, int share)
{
	struct app_prefs p;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = profile_store_app_prefs(db, id, &p);
	if (!rc) {
		bool shared = share < 0 ? p.share_favorites : share;
		if (notifications)
			p = *notifications;
		p.share_favorites = shared;
		rc = profile_store_set_app_prefs(db, id, &p);
	}
	return db_tx_end(db, rc);
}

int
profile_app_set_share(struct db *db, const char *id, bool on)
{
	return update_prefs(db, id, NULL, on);
}

int
profile_app_set_notifications(struct db *db, const char *id, const struct app_prefs *p)
{
	return update_prefs(db, id, p, -1);
}
