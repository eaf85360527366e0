/* offers_saved.h — a beneficiary's saved searches and the counselor's suggestions
 * (offers.md §4 "Search criteria", §6; youth-app.md §5 "Mes alertes", §8 "Mes alertes";
 * docs/offers.md "Alertes"). Table offer_saved_search (migration 0038).
 *
 * A saved search keeps its criteria as JSON with its type — the URL's parameter names
 * (offers_query.h) and the offer type's code: {"type":"ALTERNANCE","motscles":"vendeur",
 * "lieu":"29019","distance":"10"} — and is re-run through the same URL. A suggestion is a
 * row of the same table in status pending, made by a counselor for a beneficiary of their
 * portfolio; "Créer l'alerte" turns it into a saved search, "Refuser" marks it refused (it
 * then shows nowhere and goes with the 2-year purge).
 *
 * The pure rules come first (unit-tested without a database), then the use cases, which
 * own their transaction and say no through a struct refusal. */
#ifndef CEJ_OFFERS_SAVED_H
#define CEJ_OFFERS_SAVED_H

#include "offers/offers.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct offers_criteria;
struct offers_form;
struct refusal;

#define OFFERS_SAVED_MAX 50           /* saved searches per beneficiary (§6) */
#define OFFERS_SAVED_NAME_MAX 100     /* characters of "Nom de la recherche" */
#define OFFERS_SAVED_UNUSED_DAYS 730  /* unused for 2 years: purged (§6) */

/* The refusals' texts. The spec gives none for the 51st search: ours. */
#define OFFERS_SAVED_NAME_EMPTY "Renseigne un nom pour ta recherche"
#define OFFERS_SAVED_NAME_LONG "Le nom de ta recherche ne doit pas dépasser 100 caractères"
#define OFFERS_SAVED_TOO_MANY "Tu as atteint le nombre maximum de 50 alertes. Supprime une " \
	"alerte de la section Mes alertes pour en créer une nouvelle."
#define OFFERS_SAVED_NOT_SHAREABLE "Ces critères ne peuvent pas être partagés : renseignez " \
	"des mots clés et un lieu (emploi, alternance), un métier et une commune (immersion) " \
	"ou une commune (service civique)."

/* A saved search or a suggestion as the pages show it. Strings are arena-owned. */
struct offers_saved {
	const char *id, *name;
	enum offer_type type;
	const char *criteria;      /* the JSON above */
	const char *query;         /* the same as a URL's query (offers_query_string) */
	bool suggestion;           /* pending: made by the counselor, not answered yet */
	bool from_counselor;       /* source CONSEILLER */
	int64_t created_at, last_searched_at;
};

/* ---- Pure rules ------------------------------------------------------------------------ */

/* "Nom de la recherche" by default (§6): "{mots clés ou métier} - {lieu}", either alone
 * when the other is not given, "Offre n°{numéro}" for a number search, the type's label
 * when nothing is given; cut to 100 characters (never inside a UTF-8 character).
 * @place_label: "Brest (29200)", "Finistère (29)" or NULL. Arena-owned. */
char *offers_saved_default_name(struct arena *a, const struct offers_criteria *c,
				const char *place_label);

/* The name typed, trimmed, into *@out: 1–100 characters. 0, or -ERR_INVAL with @why
 * (400, "nom", OFFERS_SAVED_NAME_EMPTY or OFFERS_SAVED_NAME_LONG). */
int offers_saved_name_check(struct arena *a, const char *name, const char **out,
			    struct refusal *why);

/* Whether a counselor may share criteria @c (§4): keywords and a place for Emploi and
 * Alternance, a métier and a commune for Immersion, a commune for Service civique. A
 * number search is never shared. */
bool offers_saved_shareable(const struct offers_criteria *c);

/* The JSON kept for form @f, whose checked criteria are @c: the type's code from @c (the
 * slug "alternance" is ALTERNANCE), then the given criteria under the URL's names
 * ("contrat" and "temps" lists, "debutant" true, Service civique's "domaine" slug and
 * "debut" "yyyy-mm-dd" — none for "Dès que possible"). A new JSON object (json_decref). */
json_t *offers_saved_criteria_json(const struct offers_form *f, const struct offers_criteria *c);

/* The URL query of criteria @json ("type=alternance&motscles=…", offers_query_string), in
 * @a; NULL when @json is not such an object. */
char *offers_saved_query(struct arena *a, const char *json);

/* Criteria @json back into checked criteria @c (offers_criteria_parse on its form), in
 * @a. 0, -ERR_INVAL when @json is not such an object, or the parse's refusal in @why. */
int offers_saved_criteria(struct arena *a, const char *json, struct offers_criteria *c,
			  struct refusal *why);

/* ---- Use cases (SQL in offers_saved_store.c) ------------------------------------------- */

/* "Brest (29200)" for a commune's INSEE code, "Finistère (29)" for a département's code,
 * NULL when @place is neither (or NULL). Arena-owned. */
const char *offers_saved_place_label(struct db *db, struct arena *a, const char *place);

/* Saves the search of form @f under @name for @beneficiary_id (source BENEFICIAIRE).
 * Refusals: criteria that offers_criteria_parse refuses, the name (offers_saved_name_check),
 * a 51st search (409, OFFERS_SAVED_TOO_MANY). Its id into *@id (arena). 0 or a negative err. */
int offers_saved_create(struct db *db, struct arena *a, int64_t now, const char *beneficiary_id,
			const char *name, const struct offers_form *f, const char **id,
			struct refusal *why);

/* The beneficiary's saved searches (@suggestions false), newest first, at most @limit (0:
 * all), or their pending suggestions (true). Count (arena array in *@out) or -ERR_DB. */
int offers_saved_list(struct db *db, struct arena *a, const char *beneficiary_id,
		      bool suggestions, int limit, struct offers_saved **out);

/* "Voir les résultats": the saved search @id of @beneficiary_id into @out, its
 * last_searched_at set to @now. -ERR_NOTFOUND when it is not theirs (or not saved). */
int offers_saved_open(struct db *db, struct arena *a, int64_t now, const char *beneficiary_id,
		      const char *id, struct offers_saved *out);

/* The saved search @id of @beneficiary_id into @out (no change). -ERR_NOTFOUND likewise. */
int offers_saved_get(struct db *db, struct arena *a, const char *beneficiary_id, const char *id,
		     struct offers_saved *out);

/* Deletes the saved search @id of @beneficiary_id. -ERR_NOTFOUND when it is not theirs. */
int offers_saved_delete(struct db *db, const char *beneficiary_id, const char *id);

/* "Partager les critères": one suggestion of form @f for each of @ids (@n ≥ 1), every one a
 * beneficiary of @counselor_id's portfolio, each told in the centre ("Votre conseiller
 * vous suggère une recherche", SEARCH_SUGGESTION). Refusals: criteria refused by
 * offers_criteria_parse, criteria not shareable (400, OFFERS_SAVED_NOT_SHAREABLE), no
 * beneficiary (400, "beneficiaires"), one outside the portfolio (403). All or nothing. */
int offers_saved_suggest(struct db *db, struct arena *a, int64_t now, const char *counselor_id,
			 const struct offers_form *f, const char *const *ids, int n,
			 struct refusal *why);

/* The beneficiary answers suggestion @id: @accept makes it a saved search (refused as a
 * 51st, like offers_saved_create), else it is marked refused. -ERR_NOTFOUND when it is not
 * their pending suggestion. */
int offers_saved_answer(struct db *db, int64_t now, const char *beneficiary_id, const char *id,
			bool accept, struct refusal *why);

/* The beneficiaries "Partager les critères" offers @counselor_id: their portfolio, by
 * name ("NOM Prénom" in *@names, ids in *@ids). Count (arena arrays) or -ERR_DB. */
int offers_saved_portfolio(struct db *db, struct arena *a, const char *counselor_id,
			   const char ***ids, const char ***names);

/* The daily purge (§6): every row neither searched nor created for 2 years at @now.
 * Rows deleted or -ERR_DB. */
int offers_saved_purge_unused(struct db *db, int64_t now);

/* The part of an account's deletion / archive (feature descriptor .purge / .archive): every
 * row of @beneficiary_id; the archive keeps the saved searches (name, type, criteria,
 * dates) under "recherches_sauvegardees". In the caller's transaction. 0 or -ERR_DB. */
int offers_saved_purge_beneficiary(struct db *db, const char *beneficiary_id);
int offers_saved_archive_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
				     json_t *archive);

#endif
