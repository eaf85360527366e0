/* sessions_app_use.h — the young person and his Mission Locale's i-milo sessions
 * (agenda.md §7, youth-app.md §7 "Ma Mission Locale"): which sessions he sees, a session's
 * page, and his registration request to his counselor (SESSION_SHARE).
 *
 * He sees a session his Mission Locale made visible (cej's flag, migration 0032) or one he
 * takes part in (Inscrit or Présent, the local copy of his registrations): any other is
 * "introuvable", whatever i-milo holds. i-milo is read with operator auth: S2 for the
 * listing (kept 20 s per structure, sessions_cache.h), S3 for a page. */
#ifndef CEJ_SESSIONS_APP_USE_H
#define CEJ_SESSIONS_APP_USE_H

#include "core/feature.h"
#include "imilo/imilo_sessions.h"

#include <stdbool.h>

struct ctx;
struct db;
struct refusal;
struct user;

#define SESSIONS_APP_GONE "Cet événement n’est pas ou plus proposé par ta Mission Locale."
#define SESSIONS_APP_REQUEST_FAILED "Erreur lors de la demande d’inscription"

#define SESSIONS_APP_NO_PLACE "Il n’y a plus de place disponible pour cet événement."
#define SESSIONS_APP_SELF_FAILED "L’inscription est impossible pour le moment. Demande à ton " \
				 "conseiller de t’inscrire."
#define SESSIONS_APP_FULL_TEXT "Bonjour, cet événement est complet mais je suis intéressé"

/* A session as the young person sees it. When i-milo cannot be read and he is registered,
 * what cej knows of it (name and dates) with @complete false. */
struct app_session {
	struct imilo_session s;
	bool registered;          /* Inscrit or Présent */
	bool complete;            /* read from i-milo */
	/* Self-registration (agenda.md §7): the feature flag SESSION_AUTO_REGISTRATION and the
	 * session's own switch are on. Then the page shows the places, and "M'inscrire pour
	 * participer" while some are left and the deadline is not passed (@open). */
	bool self_registration;
	bool open;
};

/* Session @id (any string: from a path) for young person @u, into @out. 0, a refusal's
 * err (404 SESSIONS_APP_GONE; 503 when i-milo cannot be read and he is not registered),
 * or -ERR_DB. */
int sessions_app_open(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		      const char *id, struct app_session *out, struct refusal *why);

/* Young person @u asks his counselor to register him to session @id at @now, with his
 * @text ("Bonjour, pouvez-vous m'inscrire à cet événement ?" unless he edited it): a
 * SESSION_SHARE in his conversation carrying the session's card. 0, a refusal's err (the
 * session as sessions_app_open; a 400 on field "message" for a text refused), or -ERR_DB. */
int sessions_app_request(const struct ctx *app, struct db *db, struct arena *a,
			 const struct user *u, int64_t now, const char *id, const char *text,
			 struct refusal *why);

/* Young person @u registers himself to session @id at @now (self-registration on: see
 * struct app_session): S5 on his referent's behalf, then in one transaction the local copy
 * with "Inscription confirmée" (sessions_registration_apply_self) and the AUTO_REGISTRATION
 * message with the session's card in his conversation. 0, a refusal's err (404 as
 * sessions_app_open, or when self-registration is off; 409 SESSIONS_APP_NO_PLACE; 503
 * SESSIONS_APP_SELF_FAILED when the deadline passed or i-milo did not accept), or -ERR_DB. */
int sessions_app_self_register(const struct ctx *app, struct db *db, struct arena *a,
			       const struct user *u, int64_t now, const char *id,
			       struct refusal *why);

/* The feature's app_events (core/feature.h). MINE: the sessions he takes part in, from the
 * local copy (no i-milo call: Mon suivi, Accueil). STRUCTURE: the visible sessions and his
 * own in the window, read through S2 when q->app is given (-ERR_UNAVAILABLE when i-milo
 * fails), only his own otherwise. */
int sessions_app_events(struct db *db, struct arena *a, const struct app_event_query *q,
			struct app_event **out);

/* "Atelier" for a WORKSHOP, "Information collective" otherwise; "Session i-milo" when the
 * offer is unknown (the local copy). Static. */
const char *sessions_app_type_label(const struct imilo_offre *o);

#endif
