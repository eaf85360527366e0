/* sessions_pilotage.h — Pilotage's "Sessions i-milo" (agenda.md §8): the sessions of the
 * counselor's structure that started within the look-back (pilotage_sessions_lookback_days)
 * and are still À clore (§5.5), oldest first. Read through S1 with the acting counselor's
 * identity (kept 20 s, sessions_cache.h); a public header for the pilotage feature. */
#ifndef CEJ_SESSIONS_PILOTAGE_H
#define CEJ_SESSIONS_PILOTAGE_H

#include <stdint.h>

struct arena;
struct ctx;
struct db;
struct user;

struct session_to_close {
	const char *id, *title;   /* title: offer name, then session name */
	int64_t starts_at;
};

/* The sessions of @u's structure to close at @now, into *@out (arena array). Count, or
 * -ERR_UNAVAILABLE when i-milo cannot be read ("Erreur — Impossible de récupérer les
 * sessions"), or another negative err. */
int sessions_to_close(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		      int64_t now, struct session_to_close **out);

#endif
