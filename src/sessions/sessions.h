/* sessions.h — the pure rules of i-milo sessions in cej (agenda.md §5): statuses and their
 * labels, the status algorithm of §5.5, the staged registration changes of §5.3 (remaining
 * places, validity, the i-milo write order), the closing plan of §5.4, and the reminders'
 * timing (notifications.md §3.2). No I/O: every function is unit-tested
 * (tests/unit/test_sessions.c). */
#ifndef CEJ_SESSIONS_H
#define CEJ_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>

#define SESSIONS_REMINDER_KIND "session_reminder"
/* i-milo is asked this many times before the reminder trusts the local copy (§3.2). */
#define SESSIONS_REMINDER_IMILO_TRIES 3
#define SESSIONS_COMMENT_MAX 250      /* characters of the "Refus jeune" motive */

/* ---- Statuses ---- */

/* ONGOING, REFUSAL, REFUSAL_YOUNG, ACHIEVED. */
bool sessions_statut_is_known(const char *statut);
bool sessions_statut_is_refusal(const char *statut);
/* Inscrit and Présent: who holds a place (an unknown statut counts as Inscrit, §5.5). */
bool sessions_statut_is_participant(const char *statut);
/* "Inscrit", "Présent", "Refus jeune", "Refus tiers"; an unknown one reads "Inscrit". */
const char *sessions_statut_label(const char *statut);

/* ---- §5.5 ---- */

enum session_status { SESSION_UPCOMING, SESSION_TO_CLOSE, SESSION_CLOSED };
/* The status of a session starting at @starts_at, closed in cej at @closed_at (0: not),
 * whose registrants hold @statuts (@n), at @now. First match wins: closed_at ⇒ Close;
 * future ⇒ À venir; one ONGOING (or unknown) ⇒ À clore; else Close. */
enum session_status sessions_status(int64_t starts_at, int64_t closed_at,
				    const char *const *statuts, int n, int64_t now);
/* Rule 4: Close only because nobody is left to mark: the job sets closed_at. */
bool sessions_should_auto_close(int64_t starts_at, int64_t closed_at, const char *const *statuts,
				int n, int64_t now);
const char *sessions_status_label(enum session_status s);   /* À venir, À clore, Close */

/* ---- §5.3: staged registration changes ---- */

enum stage_action {
	STAGE_NONE,
	STAGE_DELETE,         /* "J'ai fait une erreur…": S7 */
	STAGE_REFUSAL,        /* "Refus tiers": S6 REFUSAL */
	STAGE_REFUSAL_YOUNG,  /* "Refus jeune": S6 REFUSAL_YOUNG + comment */
	STAGE_REREGISTER,     /* "Réinscrire": S6 ONGOING */
	STAGE_CREATE,         /* a beneficiary added: S5 */
};

struct stage_change {
	const char *statut;   /* i-milo's current statut; NULL for STAGE_CREATE */
	enum stage_action action;
	const char *comment;  /* STAGE_REFUSAL_YOUNG only; NULL or "" for none */
};

/* Places left once @changes apply to i-milo's @places (-1: unlimited, then -1): minus the
 * creations and re-registrations, plus the participants unregistered or refused. May be
 * negative: the changes then do not fit. */
int sessions_remaining(int places, const struct stage_change *changes, int n);

/* Why @changes cannot be sent, as the spec's message, or NULL. @open: registrations still
 * open (deadline not reached, session not closed). */
const char *sessions_stage_check(const struct stage_change *changes, int n, int places,
				 bool open);

/* The order i-milo gets the writes: deletions, modifications (refusals), re-registrations,
 * creations; changes with no action are left out. Fills @order with indexes of @changes;
 * returns how many. */
int sessions_write_order(const struct stage_change *changes, int n, int *order);

/* ---- §5.4: closing ---- */

/* What one registrant gets at closing, given its statut and whether its box is checked:
 * checked and not ACHIEVED ⇒ ACHIEVED; unchecked ONGOING (or unknown) ⇒ REFUSAL_YOUNG
 * "Absence"; otherwise nothing (NULL). */
const char *sessions_close_statut(const char *statut, bool checked, const char **comment);

#endif
