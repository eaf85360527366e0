/* beneficiaries.h — beneficiary accounts: adding one from an i-milo dossier
 * (beneficiaries.md §4). The rules are pure functions; the use cases call i-milo first
 * and write locally only what i-milo accepted (spec/imilo.md §7). */
#ifndef CEJ_BENEFICIARIES_H
#define CEJ_BENEFICIARIES_H

#include <stdbool.h>
#include <stdint.h>

#include "imilo/imilo.h"

#include "base/err.h"

struct arena;
struct ctx;
struct db;
struct user;

/* Checks a typed dossier number: NULL when valid (1–11 digits once trimmed), else the
 * spec's message. @trimmed receives the trimmed number (arena). Pure. */
const char *beneficiaries_check_number(struct arena *a, const char *raw, const char **trimmed);
/* True when @email is one address a mail can be sent to: local@domain, the local part
 * of letters, digits and !#$%&'*+-/=?^_`{|}~ with dots between words (64 bytes at most),
 * the domain of two labels or more (letters, digits, inner hyphens), 254 bytes in all,
 * UTF-8 letters allowed. No separator (";", ","), space, quote, bracket or control
 * character (CR, LF, tab…). NULL: false. Pure. */
bool beneficiaries_email_usable(const char *email);
/* True for "CEJ" and "PACEA". Pure. */
bool beneficiaries_dispositif_ok(const char *d);
/* True when a dossier attached to structure @dossier_code belongs to another Mission Locale
 * than the counselor's (@counselor_code, both i-milo codes): the step-2 warning
 * (beneficiaries.md §4, §6). A dossier without a structure says nothing: false. Pure. */
bool beneficiaries_other_structure(const char *counselor_code, const char *dossier_code);
/* IANA zone of a structure from its i-milo code: overseas departments by their prefix
 * (974 La Réunion → Indian/Reunion, …), else Europe/Paris. Pure. */
const char *beneficiaries_structure_timezone(const char *code);

/* Reads dossier @number (already checked) from i-milo. 0, or a negative err with *@why
 * holding the French message to show (beneficiaries.md §4) and the HTTP status of the
 * page (400 bad number, i-milo's 401–404, 422 an e-mail address that
 * beneficiaries_email_usable refuses, 502 i-milo down). A dossier without e-mail is read
 * (0, email NULL). */
int beneficiaries_lookup(struct ctx *c, struct arena *a, const char *number,
			 struct imilo_dossier *out, struct refusal *why);

/* What step 1 ("Valider le numéro") found: the dossier may be shown at step 2. */
struct dossier_check {
	struct refusal why;           /* on a refusal: status (400, 401–404, 409, 422, 502) */
	const char *existing_id;      /* 409 on a dossier of the caller's own portfolio: its fiche */
	bool other_structure;         /* the dossier's Mission Locale is not the counselor's */
};

/* Step 1: reads dossier @number from i-milo (beneficiaries_lookup), then refuses at once a
 * dossier or an e-mail already held by a live account (the duplicate rules of
 * beneficiaries.md §4, checked again at creation), and says whether the dossier belongs
 * to another Mission Locale. 0, or a negative err with @out->why set when the counselor
 * must read it. Nothing is written. */
int beneficiaries_check_dossier(struct ctx *c, struct db *db, struct arena *a,
				const struct user *counselor, const char *number,
				struct imilo_dossier *d, struct dossier_check *out);

struct add_outcome {
	const char *beneficiary_id;   /* on success */
	struct refusal why;           /* on a refusal: status (400, 409, 422, 502), message,
				       * field "dispositif" for a bad dispositif */
	const char *existing_id;      /* 409 on a dossier of the caller's own portfolio: its fiche */
	bool dossier_failed;          /* the dossier could not be re-read (show step 1) */
	bool other_structure;         /* as dossier_check's, once the dossier was re-read */
};

/* "Créer le compte": re-reads the dossier, checks duplicates, declares the account to
 * i-milo (D2), then in one transaction creates the beneficiary, the conversation, the
 * audit row and the activation e-mail (the job runner woken once it commits). Nothing is
 * created locally when any step fails. 0, or a negative err: a refusal the user must
 * read when @out->why.message is set, a failure otherwise. */
int beneficiaries_add(struct ctx *c, struct db *db, struct arena *a, const struct user *counselor,
		      const char *number, const char *dispositif, int64_t now,
		      struct imilo_dossier *dossier, struct add_outcome *out);

/* --- After creation: resend, delete, archive, refresh (beneficiaries.md §5, §9, §11). */

struct record;

/* The motifs of deletion, in the order of the form (NULL-terminated). */
extern const char *const beneficiaries_archive_motifs[];

struct archive_input {
	const char *motif, *comment, *end_date;   /* end_date: YYYY-MM-DD */
};
struct archive_errors {
	const char *motif, *comment, *end_date;   /* NULL: no error on that field */
};
#define ARCHIVE_COMMENT_MAX 250

/* Checks the archive form against the spec's rules: a known motif, a comment of 1–250
 * characters for "Autre", an end date between the account's creation day @created_day and
 * @today (both YYYY-MM-DD, in the structure's zone). True when valid. Pure. */
bool beneficiaries_archive_check(const struct archive_input *in, const char *created_day,
				 const char *today, struct archive_errors *err);

/* Sends the activation e-mail again (referent only, not activated, once per 24 h).
 * 0, or a negative err with *@why (403 activated, 429 too soon, 500 failed). */
int beneficiaries_resend(struct ctx *c, struct db *db, struct arena *a, const struct record *rec,
			 int64_t now, struct refusal *why);
/* Deletes a never-activated account and everything it owns, with no archive. 0, or a
 * negative err: a refusal in *@why (403: activated, it must be archived) or a failure. */
int beneficiaries_delete(struct ctx *c, struct db *db, const struct user *counselor,
			 const struct record *rec, int64_t now, struct refusal *why);
/* Archives an activated account (@in checked again here): archive record, deletion of the live
 * data, sessions revoked, e-mail to the beneficiary, in one transaction. 0, or a negative
 * err: a refusal in *@why (403 never activated; 400 a form beneficiaries_archive_check
 * refuses, its field named) or a failure. */
int beneficiaries_archive(struct ctx *c, struct db *db, struct arena *a,
			  const struct user *counselor, const struct record *rec,
			  const struct archive_input *in, int64_t now, struct refusal *why);
/* The beneficiary deletes their own account (youth-app.md §12): no archive, the counselor
 * is told by e-mail. */
int beneficiaries_self_delete(struct ctx *c, struct db *db, struct arena *a,
			      const struct record *rec, int64_t now);
/* Deletes everything of beneficiary @id (purge.c): the .purge of every feature of
 * @features, the jobs and mails naming the account, then the account's own rows. Inside
 * the caller's write transaction. 0 or a negative err. */
struct feature_table;
int beneficiaries_purge(const struct feature_table *features, struct db *db, const char *id);
/* The archive of @rec as JSON text (arena): identity, the historique des conseillers and
 * the .archive part of every feature of @features. Call before beneficiaries_purge, in
 * its transaction. NULL on a storage error. */
char *beneficiaries_archive_content(const struct feature_table *features, struct db *db,
				    struct arena *a, const struct record *rec);

/* Re-reads the dossier from i-milo and stores situations, end date and structure — and,
 * with @identity (a DOSSIER UPDATE of the event feed, imilo.md §4), the names and the
 * e-mail (kept when i-milo has none, or when another live account holds it); on 404 or
 * "pas justifié" flags to_archive; on any other failure keeps the values and records the
 * failure. 0 when i-milo answered, 1 when it could not be read, or -ERR_DB. */
int beneficiaries_refresh(struct ctx *c, struct db *db, struct arena *a, const char *id,
			  const char *dossier_id, bool identity, int64_t now);

#endif
