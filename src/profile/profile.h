/* profile.h — the counselor's "Mon profil" (admin-and-misc.md §4): who they are as i-milo
 * knows them, and their own settings ("Notifications sonores", the welcome modal of the
 * mobile space, messaging.md §4 and §12). The beneficiary's profile is profile_app.c.
 *
 * The data model holds no agency and no date of accepted CGU for a counselor: the page
 * shows neither. */
#ifndef CEJ_PROFILE_H
#define CEJ_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

struct counselor_profile {
	const char *first_name, *last_name;
	const char *email;            /* NULL: i-milo gave none */
	const char *imilo_login;      /* NULL: not known */
	const char *structure_name;   /* the Mission Locale */
	bool supervisor;
	bool sound_notifications;
};

/* The warning of a counselor without e-mail (§4), also the reason of the menu's badge. */
#define PROFILE_EMAIL_MISSING \
	"Votre adresse e-mail n’est pas renseignée. Renseignez-la dans l’encart « Contacts " \
	"personnels » de votre profil i-milo, puis reconnectez-vous."

/* Loads counselor @id. Strings in @a. 0, -ERR_NOTFOUND or -ERR_DB. */
int profile_load(struct db *db, struct arena *a, const char *id, struct counselor_profile *out);

/* Is the e-mail missing (NULL or empty)? Invitations and the digest skip such counselors;
 * the profile warns and the menu shows a badge. Pure. */
bool profile_email_missing(const char *email);

/* The roles of a counselor, in the order shown: "Conseiller", then "Superviseur" for a
 * supervisor. Fills @out (static strings) and returns their number (1 or 2). Pure. */
int profile_roles(bool supervisor, const char *out[2]);

/* Reads a switch of a submitted form ("Notifications sonores", and the app's settings in
 * profile_app.c): a checkbox sends "1" when
 * on and nothing when off. 0 with *@on set, or -ERR_INVAL for any other value. Pure. */
int profile_sound_parse(const char *value, bool *on);

/* Saves the switch of counselor @id. 0 or -ERR_DB. */
int profile_set_sound(struct db *db, const char *id, bool on);

/* Records that counselor @id dismissed the welcome modal of the mobile space, at @now
 * (the first dismissal stays). 0 or -ERR_DB. */
int profile_mobile_welcome_done(struct db *db, const char *id, int64_t now);

/* The young person's settings (youth-app.md §10–§11): "Partager mes offres suivies" and the
 * five switches of "Gérer tes notifications", which gate push only (the senders read the
 * beneficiary's pref_* columns). All on by default. */
struct app_prefs {
	bool messages;                    /* "Messages" */
	bool alertes_offres;              /* "Alertes" */
	bool creation_action_conseiller;  /* "Mon suivi" */
	bool rendez_vous_sessions;        /* "Rendez-vous et sessions" */
	bool rappel_actions;              /* "Rappels" */
	bool share_favorites;             /* "Partager mes offres suivies" */
};

/* Loads beneficiary @id's settings. 0, -ERR_NOTFOUND or -ERR_DB. */
int profile_app_prefs_load(struct db *db, const char *id, struct app_prefs *out);

/* Saves "Partager mes offres suivies" of beneficiary @id, in its own transaction.
 * 0, -ERR_NOTFOUND or -ERR_DB. */
int profile_app_set_share(struct db *db, const char *id, bool on);

/* Saves the five notification switches of @p (share_favorites is not touched) of
 * beneficiary @id, in its own transaction. 0, -ERR_NOTFOUND or -ERR_DB. */
int profile_app_set_notifications(struct db *db, const char *id, const struct app_prefs *p);

#endif
