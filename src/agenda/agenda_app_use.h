/* agenda_app_use.h — the beneficiary's side of the agenda (agenda.md §7, youth-app.md
 * §5–§7): the rules of what his app shows of an event (pure, unit-tested), the events he
 * takes part in and those his Mission Locale offers him, opened with his rights
 * (authz_event_beneficiary), the share of an animation collective with his counselor, and
 * the feature's app_events hook (core/feature.h) through which Mon suivi and Accueil list
 * them. The i-milo sessions will add theirs through the same hook.
 *
 * Instants are Unix ms UTC; the app shows them in the zone of the beneficiary's structure. */
#ifndef CEJ_AGENDA_APP_USE_H
#define CEJ_AGENDA_APP_USE_H

#include "agenda/agenda.h"
#include "core/feature.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct msg_keyring;
struct refusal;
struct user;

/* The refusal of an event the beneficiary may not see, or that is gone. */
#define AGENDA_APP_GONE "Cet élément n’est plus disponible."
/* The confirmation of "Partager à mon conseiller" (youth-app.md §7). */
#define AGENDA_APP_SHARED "L’événement a été partagé à ton conseiller sur la messagerie de " \
			  "l’application"

/* ---- Pure rules ---- */

/* "Le rendez-vous se fera par téléphone": the modality's label, its first letter in lower
 * case; NULL without a modality. Arena-owned. */
const char *agenda_app_modality_sentence(struct arena *a, enum event_modality m);
/* The page of a map search of @address (OpenStreetMap, the address escaped), for "Voir
 * l’itinéraire"; NULL when @address is NULL or blank. Arena-owned. */
const char *agenda_app_map_url(struct arena *a, const char *address);
/* Was @e programmed by a counselor other than @referent_id, the beneficiary's current one
 * ("ton conseiller précédent")? */
bool agenda_app_by_previous(const struct event *e, const char *referent_id);
/* "Ton conseiller sera présent" / "Ton conseiller ne sera pas présent". Static. */
const char *agenda_app_presence_text(const struct event *e);
/* Does the Mission Locale offer @e to its beneficiaries at @now: an animation collective,
 * open and still to come (§4 "À venir", §7)? */
bool agenda_app_offered(const struct event *e, int64_t now);
/* @e as the app lists it (struct app_event): its page @href, display title, type and
 * modality labels, "Prénom Nom" of its creator for a RDV, @registered. Arena strings. */
void agenda_app_item(struct arena *a, const struct event *e, const char *href, bool registered,
		     struct app_event *out);

/* ---- Use cases ---- */

/* Event @id (any string: from a path) that beneficiary @u takes part in, with his
 * referent's id in *@referent_id; anything else is the 404 refusal AGENDA_APP_GONE. 0, the
 * refusal's err, or -ERR_DB. */
int agenda_app_open_mine(struct db *db, struct arena *a, const struct user *u, const char *id,
			 struct event *out, const char **referent_id, struct refusal *why);

/* Animation collective @id that beneficiary @u's Mission Locale offers him at @now, or one
 * he is registered to (*@registered); anything else is the 404 refusal AGENDA_APP_GONE. */
int agenda_app_open_offered(struct db *db, struct arena *a, const struct user *u, int64_t now,
			    const char *id, struct event *out, bool *registered,
			    struct refusal *why);

/* Beneficiary @u shares animation collective @id (opened as agenda_app_open_offered) with
 * his counselor at @now: an EVENT_SHARE in his conversation (messaging_use.h). 0, a
 * refusal's err, or -ERR_DB. */
int agenda_app_share(struct db *db, const struct msg_keyring *keys, struct arena *a,
		     const struct user *u, int64_t now, const char *id, struct refusal *why);

/* The feature's app_events (core/feature.h): MINE lists the RDV and AC the beneficiary
 * takes part in ("/app/rendez-vous/{id}"), STRUCTURE the animations collectives his
 * Mission Locale offers ("/app/evenements/animations/{id}", registered marked). */
int agenda_app_events(struct db *db, struct arena *a, const struct app_event_query *q,
		      struct app_event **out);

#endif
