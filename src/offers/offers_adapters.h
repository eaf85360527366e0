/* offers_adapters.h — the providers' records mapped to the model (offers.md §8.2), one
 * function per provider. PURE: no I/O, no clock; the same mapping serves the import file
 * and (later) the HTTP sync. Each reads one record of the provider's envelope as jansson
 * parsed it, fills the model with arena strings, and never trusts the record: a missing
 * or mistyped field the model can do without is left NULL (or 0), and a record lacking
 * what the model requires is refused with a French reason, never a crash. first_seen_at
 * and last_seen_at are the store's. docs/offers.md lists each field's mapping. */
#ifndef CEJ_OFFERS_ADAPTERS_H
#define CEJ_OFFERS_ADAPTERS_H

#include "offers/offers.h"

#include <jansson.h>
#include <stddef.h>

struct arena;

/* France Travail "Offres d'emploi v2", one item of `resultats`: EMPLOI, or ALTERNANCE
 * when `alternance` is true or `natureContrat` is apprentissage / professionnalisation
 * (E2 / FS, as a code or as the API's label). Requires a string `id` and a non-empty
 * `intitule`. 0, or -ERR_INVAL with *@why set. */
int offers_map_france_travail(const json_t *rec, struct arena *a, struct offer *out,
			      const char **why);
/* API Engagement, one item of `hits`: SERVICE_CIVIQUE, inactive when `deleted` is true.
 * Requires `id` (or Mongo's `_id`) and `title`. 0 or -ERR_INVAL with *@why. */
int offers_map_engagement(const json_t *rec, struct arena *a, struct offer *out,
			  const char **why);
/* Immersion Facilitée v2, one establishment of the array: one IMMERSION offer per
 * appellation, id "{siret}-{appellationCode}". Requires a 14-digit `siret`, `position`
 * {lat, lon} (the only search is by distance) and at least one appellation with a code and
 * a label; an appellation lacking them is skipped and counted in *@rejected (with *@why).
 * Returns the number of offers written to *@out (an arena array), 0 when the whole
 * establishment is refused (then *@rejected is 1 and *@why says why). */
int offers_map_immersion(const json_t *rec, struct arena *a, struct offer **out, int *rejected,
			 const char **why);
/* Mes Événements Emploi, one item of `content`. Requires `id` (number or string),
 * `titre` and a valid `dateEvenement` (yyyy-mm-dd, optionally followed by a time); hours
 * are read in `timezone` (Europe/Paris when absent or unknown). 0 or -ERR_INVAL with *@why. */
int offers_map_mee(const json_t *rec, struct arena *a, struct job_event *out, const char **why);

/* The département of an offer: the commune's INSEE code (2 characters, 3 overseas: 97x),
 * else the postal code (Corsica: 200–201 → 2A, 202–206 → 2B), else the "29 - Brest"
 * prefix of a France Travail label. NULL when none tells. Arena-owned. */
const char *offers_dept_code(struct arena *a, const char *insee, const char *postal,
			     const char *label);
/* The instant (ms UTC) of an ISO 8601 date-time ("2025-09-15T08:00:00.000Z"; UTC when it
 * carries no offset) or date ("2025-09-15", its UTC midnight); 0 when @s is not one. */
int64_t offers_iso_ms(const char *s);

#endif
