/* agenda_imilo.h — the rendez-vous i-milo owns (agenda.md §2.3, imilo.md §4), as the event
 * feed (src/feed/) hands them to the agenda: a local, read-only copy of type
 * RENDEZ_VOUS_MILO per i-milo RDV, with the beneficiary as its only participant, the same
 * notifications and J-7/J-1 reminders as a cej RDV (agenda_notify.h), and a purge 3 months
 * after its date. Public to the feed: the only way in for another feature.
 *
 * The decisions are pure and unit-tested; agenda_imilo_apply() and agenda_imilo_remove()
 * run inside the caller's write transaction (the feed's job owns it), and are idempotent:
 * applying the same RDV twice changes nothing the second time and tells nobody again. */
#ifndef CEJ_AGENDA_IMILO_H
#define CEJ_AGENDA_IMILO_H

#include <stdbool.h>
#include <stdint.h>

struct db;

/* An i-milo RDV as E3 gives it, for beneficiary @beneficiary_id of @structure_id. */
struct agenda_imilo_rdv {
	const char *imilo_id;         /* i-milo's RDV id */
	const char *beneficiary_id, *structure_id;
	const char *objet, *lieu, *commentaire;   /* lieu, commentaire: NULL when none */
	const char *statut;           /* Absent, Annulé, Non précisé, Planifié, Présent, Reporté */
	int64_t starts_at;
	int64_t ends_at;              /* 0: i-milo gave no end */
};

/* ---- Pure decisions ---- */

/* Keep a local copy of a RDV of @statut starting at @starts_at, seen at @now? Not when it
 * is Annulé or Reporté, nor outside [now − 1 year, now + 2 years] (the window of cej's own
 * RDV, §2): such a RDV is deleted locally. */
bool agenda_imilo_kept(const char *statut, int64_t starts_at, int64_t now);
/* Is the beneficiary told of it ("Nouveau rendez-vous", "Rendez-vous modifié")? Only when
 * it is still to come and its statut is Absent, Non précisé, Planifié or Présent. */
bool agenda_imilo_tells(const char *statut, int64_t starts_at, int64_t now);
/* Its duration in minutes: end − start, within 1..1439 (the event table's range); 60 when
 * i-milo gave no end or one not after the start (the guide's i-milo rows read "60 min"). */
int agenda_imilo_duration(int64_t starts_at, int64_t ends_at);
/* The attendance i-milo recorded: 1 Présent, 0 Absent, -1 not said. */
int agenda_imilo_attendance(const char *statut);

/* "Créé(e) par : Système d'information MILO" (§2.1): stored as the creator's names. */
#define AGENDA_IMILO_CREATOR_FIRST "Système d’information"
#define AGENDA_IMILO_CREATOR_LAST "MILO"
/* §2.3: purged 3 months after their date (the longest 3 months: 92 days). */
#define AGENDA_IMILO_KEEP_DAYS 92

/* ---- Inside the caller's write transaction ---- */

/* Upserts the local copy of @rdv (by its i-milo id), or deletes it when it is no longer
 * kept (agenda_imilo_kept). The beneficiary is told as a RDV's participant is
 * (agenda_notify.h: new, moved, deleted) when agenda_imilo_tells() — a deletion when the
 * RDV was still to come —, with a push only when @push (IMILO_RDV_PUSH); the J-7/J-1
 * reminders follow the start whatever @push. 0 or a negative err. */
int agenda_imilo_apply(struct db *db, int64_t now, const struct agenda_imilo_rdv *rdv, bool push);
/* i-milo deleted RDV @imilo_id (a DELETE event, E3's 404): the local copy goes, its
 * reminders too, and the beneficiary is told when it was still to come. 0 also when cej
 * had no copy, or a negative err. */
int agenda_imilo_remove(struct db *db, int64_t now, const char *imilo_id, bool push);

/* The nightly purge: the i-milo RDV dated more than AGENDA_IMILO_KEEP_DAYS before @now go,
 * with their participants, history and reminders, telling nobody. Opens its own
 * transaction. Count or a negative err. */
int agenda_imilo_purge_past(struct db *db, int64_t now);

#endif
