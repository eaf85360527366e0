/* beneficiaries.h — beneficiary accounts: adding one from an i-milo dossier
 * (beneficiaries.md §4). The rules are pure functions; the use cases call i-milo first
 * and write locally only what i-milo accepted (spec/imilo.md §7). */
#ifndef CEJ_BENEFICIARIES_H
#define CEJ_BENEFICIARIES_H

#include <stdbool.h>
#include <stdint.h>

#include "imilo/imilo.h"

/* A refusal the user reads (positive, unlike enum err failures). */
#define BENEFICIARIES_REFUSED 1

struct arena;
struct ctx;
struct db;
struct user;

/* Checks a typed dossier number: NULL when valid (1–11 digits once trimmed), else the
 * spec's message. @trimmed receives the trimmed number (arena). Pure. */
const char *beneficiaries_check_number(struct arena *a, const char *raw, const char **trimmed);
/* True for "CEJ" and "PACEA". Pure. */
bool beneficiaries_dispositif_ok(const char *d);
/* IANA zone of a structure from its i-milo code: overseas departments by their prefix
 * (974 La Réunion → Indian/Reunion, …), else Europe/Paris. Pure. */
const char *beneficiaries_structure_timezone(const char *code);

/* Reads dossier @number (already checked) from i-milo. 0, or BENEFICIARIES_REFUSED with
 * *message set to the French message to show (beneficiaries.md §4) and *status to the
 * HTTP status of the page (400 bad number, i-milo's 401–404, 502 i-milo down). */
int beneficiaries_lookup(struct ctx *c, struct arena *a, const char *number,
			 struct imilo_dossier *out, const char **message, int *status);

struct add_outcome {
	const char *beneficiary_id;   /* on success */
	const char *message;          /* on failure: the French message to show */
	int status;                   /* on failure: 400, 409, 422, 502 */
	bool dossier_failed;          /* the dossier could not be re-read (show step 1) */
};

/* "Créer le compte": re-reads the dossier, checks duplicates, declares the account to
 * i-milo (D2), then in one transaction creates the beneficiary, the conversation, the
 * audit row and the activation e-mail. Nothing is created locally when any step fails.
 * Returns 0, BENEFICIARIES_REFUSED with @out->message for a refusal the user must read,
 * or a negative enum err. */
int beneficiaries_add(struct ctx *c, struct db *db, struct arena *a, const struct user *counselor,
		      const char *number, const char *dispositif, int64_t now,
		      struct imilo_dossier *dossier, struct add_outcome *out);

#endif
