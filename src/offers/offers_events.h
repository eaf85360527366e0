/* offers_events.h — the young person's activity on offers that the counselor's indicators
 * count (offers.md §7; beneficiaries.md §7, "Les offres"): each beneficiary detail view
 * (OFFRE_CONSULTEE), each favourite saved (FAVORI_AJOUTE), each offer shared with the
 * counselor (OFFRE_PARTAGEE), each saved search (RECHERCHE_SAUVEGARDEE). Stored
 * {beneficiary, code, offer id or NULL, at} in offer_event, kept 1 year (a daily purge). */
#ifndef CEJ_OFFERS_EVENTS_H
#define CEJ_OFFERS_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct job_event;
struct msg_keyring;
struct refusal;

/* The four codes, as stored. */
#define OFFER_EVENT_VIEWED "OFFRE_CONSULTEE"
#define OFFER_EVENT_FAVORITE "FAVORI_AJOUTE"
#define OFFER_EVENT_SHARED "OFFRE_PARTAGEE"
#define OFFER_EVENT_SEARCH_SAVED "RECHERCHE_SAUVEGARDEE"
#define OFFER_EVENT_CODES 4
/* Not one of "Les offres": an event of Mes Événements Emploi shared with the counselor
 * (offers.md §9; offer_id = job_event.id), counted in "Les événements" (beneficiaries.md
 * §7) by offers_week_events. */
#define OFFER_EVENT_JOB_EVENT_SHARED "EVENEMENT_PARTAGE"

/* How long an event is kept (offers.md §7): 365 days. */
#define OFFER_EVENT_KEEP_MS (365LL * 24 * 3600 * 1000)

/* The position of @code among the four above (the order of the indicators), or -1. Pure. */
int offers_event_code_index(const char *code);

/* The label after the count of the indicator of code number @i (0…3) for a count of @n:
 * "Offre consultée" / "Offres consultées", "Favori ajouté" / "Favoris ajoutés", "Offre
 * partagée" / "Offres partagées", "Recherche sauvegardée" / "Recherches sauvegardées" —
 * plural from 2, as French counts ("0 Offre consultée", "3 Offres consultées"). Static;
 * "" for an @i out of range. Pure. */
const char *offers_event_label(int i, int n);

/* Records event @code (one of the four, or OFFER_EVENT_JOB_EVENT_SHARED) of beneficiary
 * @beneficiary_id about @offer_id (NULL: none, e.g. a saved search) at @at, inside the
 * caller's write transaction. 0, -ERR_INVAL for an unknown code, or -ERR_DB. */
int offers_event_record(struct db *db, const char *beneficiary_id, const char *code,
			const char *offer_id, int64_t at);

/* A detail view of an offer that @beneficiary_id already viewed less than this long ago is
 * the same view — a reload, the page again after its own forms (save, "As-tu postulé ?") —
 * and is not counted twice. */
#define OFFER_EVENT_VIEW_SAME_MS (10 * 60 * 1000LL)

/* Has @beneficiary_id an event @code about @offer_id at or after @since? 1, 0 or -ERR_DB. */
int offers_event_since(struct db *db, const char *beneficiary_id, const char *code,
		       const char *offer_id, int64_t since);

/* The counts of the four codes (offers_event_code_index order) of @beneficiary_id for
 * events in [@from, @to), into @counts. 0 or -ERR_DB. */
int offers_events_count(struct db *db, const char *beneficiary_id, int64_t from, int64_t to,
			int counts[OFFER_EVENT_CODES]);

/* How many events @code @beneficiary_id has in [@from, @to). Count or -ERR_DB. */
int offers_events_count_code(struct db *db, const char *beneficiary_id, const char *code,
			     int64_t from, int64_t to);

/* The offers' part of the fiche's "Les événements — Cette semaine" (core/feature.h
 * week_events): the events of Mes Événements Emploi @beneficiary_id shared with the
 * counselor in [@from, @to), each share counted. Count or -ERR_DB. */
int offers_week_events(struct db *db, const char *beneficiary_id, int64_t from, int64_t to);

/* Beneficiary @beneficiary_id shares event @e of Mes Événements Emploi with their
 * counselor (offers.md §9, "Partager l’événement à mon conseiller"): the JOB_EVENT_SHARE
 * message with the card {job_event_id, title, starts_at, url} (@url: the provider's page,
 * http(s) only, or NULL) and the event EVENEMENT_PARTAGE, in one transaction; the
 * conversation's live event on the commit (offers_events_share.c). 0, a 400 refusal in
 * @why, -ERR_NOTFOUND (no such live beneficiary) or -ERR_DB. */
int offers_job_event_share(struct db *db, const struct msg_keyring *keys, struct arena *a,
			   const char *beneficiary_id, const struct job_event *e, const char *url,
			   int64_t now, struct refusal *why);

/* Deletes the events older than OFFER_EVENT_KEEP_MS at @now. Count deleted or -ERR_DB. */
int offers_events_purge_old(struct db *db, int64_t now);

/* Every event of @beneficiary_id (the account's purge). 0 or -ERR_DB. */
int offers_events_purge_beneficiary(struct db *db, const char *beneficiary_id);

#endif
