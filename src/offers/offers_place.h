/* offers_place.h — "Lieu de travail" / "Localisation" as typed, made a code (offers.md §1,
 * §8.5), the same in the counselor's and the young person's search: a stored code as it is
 * (a commune's INSEE code, a département's code: what a link or a saved search holds), else
 * the suggestion offers_place_pick (offers_page.h) says is meant ("Brest", "Brest (29200)",
 * "Finistère (29)"), else several that fit ("Paris": the département and the commune, for
 * "Précisez le lieu"), else none. */
#ifndef CEJ_OFFERS_PLACE_H
#define CEJ_OFFERS_PLACE_H

#include <stdbool.h>

struct arena;
struct db;
struct geo_suggestion;

struct offers_place {
	const char *code;                /* INSEE or département code; NULL: none or unresolved */
	const char *label;               /* "Brest (29200)", "Finistère (29)" */
	bool commune;
	bool unknown;                    /* nothing fits (each space words its message) */
	struct geo_suggestion *choices;  /* several fit: "Précisez le lieu" */
	int n_choices;
};

/* Resolves @text (NULL or empty: no place, *@p all zero) into *@p, allocated in @a.
 * 0 or -ERR_DB. */
int offers_place_resolve(struct db *db, struct arena *a, const char *text, struct offers_place *p);

#endif
