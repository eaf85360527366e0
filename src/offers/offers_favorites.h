/* offers_favorites.h — the young person's followed offers, "Suivi des offres" (offers.md
 * §5, youth-app.md §8): an offer saved with a snapshot of its card, so that it stays listed
 * once it left the catalogue; "J'ai postulé" dates the application. The counselor reads
 * them only when the beneficiary shares them (beneficiary.pref_share_favorites, the switch
 * "Partager mes offres suivies"). Purged 6 months after creation.
 *
 * Pure rules first (snapshot, the "As-tu postulé ?" question), then the store (SQL in
 * offers_favorites_store.c, inside the caller's transaction) and the use cases that own
 * their transaction. Strings are arena-owned. */
#ifndef CEJ_OFFERS_FAVORITES_H
#define CEJ_OFFERS_FAVORITES_H

#include "offers/offers.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct msg_keyring;
struct refusal;

#define OFFERS_FAVORITE_KEEP_MONTHS 6
/* "As-tu postulé à cette offre ?" is asked of an offer saved more than this long ago. */
#define OFFERS_FAVORITE_ASK_MS (24 * 3600 * 1000LL)

struct offer_favorite {
	const char *offer_id;
	enum offer_type type;
	const char *snapshot;      /* JSON object (offers_favorite_snapshot) */
	int64_t created_at;
	int64_t applied_at;        /* 0: not applied */
	/* Read from the snapshot (offers_favorite_read): what a card shows. */
	const char *title;         /* the offer's title; Immersion: the métier */
	const char *company;       /* company, establishment or organisation; NULL: none */
	const char *place;         /* "Brest (29200)", the city; NULL: none */
	const char *detail;        /* contract (Emploi, Alternance), domain (Service civique),
				    * sector (Immersion); NULL: none */
	bool gone;                 /* set by offers_favorites_followed only: the offer left the
				    * catalogue or is inactive */
};

/* "Brest (29200)" (offers.md §2): place label @label without its "29 - " prefix, with
 * @postal_code when known. NULL when @label is. Arena-owned. Pure. */
const char *offers_place_label(struct arena *a, const char *label, const char *postal_code);

/* The snapshot of @o (offers.md §5), compact JSON: Emploi/Alternance {id, title, contract,
 * company, place, alternance, origin}; Immersion {id, metier, establishment, sector,
 * city}; Service civique {id, title, domain, organisation, start_date, city}. Absent
 * values are left out. Pure. */
char *offers_favorite_snapshot(struct arena *a, const struct offer *o);

/* Fills @f's card fields from f->snapshot (left NULL when the snapshot lacks them; the
 * title falls back on the offer id). Pure. */
void offers_favorite_read(struct arena *a, struct offer_favorite *f);

/* Should the detail page of @f ask "As-tu postulé à cette offre ?" at @now: saved more
 * than a day ago and not applied to (youth-app.md §8). False for NULL. Pure. */
bool offers_favorite_ask_applied(const struct offer_favorite *f, int64_t now);

/* The instant before which favourites are purged at @now: 6 calendar months earlier,
 * in Europe/Paris. Pure. */
int64_t offers_favorites_cutoff(int64_t now);

/* ---- Store (offers_favorites_store.c), inside the caller's transaction ---- */

/* Adds the favourite (created_at @now). 0, -ERR_CONFLICT when it exists, or -ERR_DB. */
int offers_favorites_store_add(struct db *db, const char *beneficiary_id, const char *offer_id,
			       enum offer_type type, const char *snapshot, int64_t now);
/* 0, -ERR_NOTFOUND or -ERR_DB. */
int offers_favorites_store_get(struct db *db, struct arena *a, const char *beneficiary_id,
			       const char *offer_id, struct offer_favorite *out);
/* The favourites of @beneficiary_id, newest first, of type @type (-1: all) into *@out
 * (arena array, snapshots read). Count or -ERR_DB. */
int offers_favorites_store_list(struct db *db, struct arena *a, const char *beneficiary_id,
				int type, struct offer_favorite **out);
/* Sets applied_at to @now when not set yet. 0 or -ERR_DB. */
int offers_favorites_store_apply(struct db *db, const char *beneficiary_id, const char *offer_id,
				 int64_t now);
/* 0 (also when there was none) or -ERR_DB. */
int offers_favorites_store_remove(struct db *db, const char *beneficiary_id, const char *offer_id);
/* Of live beneficiary @beneficiary_id: the switch "Partager mes offres suivies" into
 * *@shared, the referent counselor into *@counselor_id (may be NULL). 0, -ERR_NOTFOUND or
 * -ERR_DB. */
int offers_favorites_store_owner(struct db *db, struct arena *a, const char *beneficiary_id,
				 bool *shared, const char **counselor_id);
/* The account's purge: every favourite of @beneficiary_id. */
int offers_favorites_store_purge_beneficiary(struct db *db, const char *beneficiary_id);
/* Deletes favourites created before @cutoff. Count or -ERR_DB. */
int offers_favorites_store_purge_old(struct db *db, int64_t cutoff);

/* ---- Use cases (offers_favorites.c): each owns its transaction ---- */

/* Beneficiary @beneficiary_id saves offer @offer_id: the favourite with its snapshot and
 * the event FAVORI_AJOUTE. 0; -ERR_CONFLICT when already saved (nothing written);
 * -ERR_NOTFOUND when the offer is unknown or inactive; -ERR_DB. */
int offers_favorite_save(struct db *db, struct arena *a, const char *beneficiary_id,
			 const char *offer_id, int64_t now);

/* The answers to "As-tu postulé à cette offre ?" (youth-app.md §8). */
enum offers_applied_answer {
	OFFERS_APPLIED_YES,          /* "Oui, j'ai postulé": favourite with applied_at */
	OFFERS_APPLIED_NOT_YET,      /* "Pas encore, mais ça m'intéresse": favourite */
	OFFERS_APPLIED_NO,           /* "Non, ça ne m'intéresse plus": removed */
};
/* Applies @answer for @offer_id. An offer that is not a favourite yet must be active
 * (-ERR_NOTFOUND otherwise) for YES and NOT_YET. 0, -ERR_NOTFOUND or -ERR_DB. */
int offers_favorite_answer(struct db *db, struct arena *a, const char *beneficiary_id,
			   const char *offer_id, enum offers_applied_answer answer, int64_t now);

/* ---- Reads for the pages and the API (offers_favorites.c): the store's rows, in the
 * request's read snapshot, so that handlers never reach the store ---- */

/* @beneficiary_id's favourite of @offer_id. 0, -ERR_NOTFOUND or -ERR_DB. */
int offers_favorite_get(struct db *db, struct arena *a, const char *beneficiary_id,
			const char *offer_id, struct offer_favorite *out);
/* The favourites of @beneficiary_id, newest first, of type @type (-1: all) into *@out
 * (arena array). Count or -ERR_DB. */
int offers_favorites_list(struct db *db, struct arena *a, const char *beneficiary_id, int type,
			  struct offer_favorite **out);
/* "Suivi des offres": offers_favorites_list with each favourite's ->gone set. Count or
 * -ERR_DB. */
int offers_favorites_followed(struct db *db, struct arena *a, const char *beneficiary_id,
			      int type, struct offer_favorite **out);
/* The @limit newest favourites of @beneficiary_id (Accueil's "Mon suivi des offres"),
 * ->gone set: only they are looked up in the catalogue. Count or -ERR_DB. */
int offers_favorites_latest(struct db *db, struct arena *a, const char *beneficiary_id,
			    int limit, struct offer_favorite **out);
/* What a counselor reads of @beneficiary_id's favourites (the fiche's tab "Favoris", the
 * API): *@shared says whether the switch "Partager mes offres suivies" is on; only then
 * are they listed into *@out (otherwise *@out is NULL and the count 0). Count,
 * -ERR_NOTFOUND (no live beneficiary) or -ERR_DB. */
int offers_favorites_for_counselor(struct db *db, struct arena *a, const char *beneficiary_id,
				   bool *shared, struct offer_favorite **out);

/* Records OFFRE_CONSULTEE of @offer_id by @beneficiary_id (a detail view), unless he
 * viewed it less than OFFER_EVENT_VIEW_SAME_MS ago (the same view). 0 or -ERR_DB. */
int offers_viewed(struct db *db, const char *beneficiary_id, const char *offer_id, int64_t now);

/* "Bonjour, je vous partage une offre d'emploi afin d'avoir votre avis", the noun by type
 * (youth-app.md §8). Static. Pure. */
const char *offers_share_to_counselor_text(enum offer_type t);

/* Beneficiary @beneficiary_id shares active offer @o with their counselor: an OFFER_SHARE
 * message of @text with the card {type, id, title, company} and the event OFFRE_PARTAGEE,
 * in one transaction; the live event "message" on the commit. 0, a 400 refusal (field
 * "message") for a text refused, -ERR_NOTFOUND or -ERR_DB. */
int offers_share_to_counselor(struct db *db, const struct msg_keyring *keys, struct arena *a,
			      const char *beneficiary_id, const struct offer *o, const char *text,
			      int64_t now, struct refusal *why);

#endif
