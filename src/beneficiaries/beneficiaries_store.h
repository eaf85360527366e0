/* beneficiaries_store.h — the tables behind beneficiary accounts. Strings arena-owned. */
#ifndef CEJ_BENEFICIARIES_STORE_H
#define CEJ_BENEFICIARIES_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct imilo_dossier;

/* The live beneficiary holding @dossier_id: its id and referent. -ERR_NOTFOUND if none. */
int beneficiaries_store_by_dossier(struct db *db, struct arena *a, const char *dossier_id,
				   const char **id, const char **counselor_id);
/* 1 when a live beneficiary has @email (or i-milo account @account_id), 0 when none,
 * or -ERR_DB. */
int beneficiaries_store_email_taken(struct db *db, const char *email);
int beneficiaries_store_account_taken(struct db *db, const char *account_id);
/* The i-milo code of structure @structure_id (arena). -ERR_NOTFOUND if none. */
int beneficiaries_store_structure_code(struct db *db, struct arena *a, const char *structure_id,
				       const char **code);
/* The id of the structure with i-milo @code, created when unknown. */
int beneficiaries_store_structure(struct db *db, struct arena *a, const char *code,
				  const char *name, const char *timezone, int64_t now,
				  const char **structure_id);

struct new_beneficiary {
	const char *id, *structure_id, *counselor_id;
	const char *dispositif, *imilo_account_id;
	const char *search_folded;
	const struct imilo_dossier *dossier;
};
/* Inserts the beneficiary, its empty conversation and its first history row. -ERR_CONFLICT when a live account
 * took the dossier or e-mail meanwhile. */
int beneficiaries_store_insert(struct db *db, const struct new_beneficiary *b, int64_t now);

/* Deletes the account's own rows: its historique des conseillers and the beneficiary row
 * (its search grams go by trigger). Every other feature's rows must be gone already
 * (beneficiaries_purge). */
int beneficiaries_store_remove(struct db *db, const char *id);
/* Records a resend at @now unless one happened less than @delay ago (-ERR_RATE). */
int beneficiaries_store_mark_resent(struct db *db, const char *id, int64_t now, int64_t delay);

struct archive_row {
	const char *id, *beneficiary_id, *structure_id, *archived_by, *motif, *comment;
	const char *end_date, *content_json;
	int64_t purge_at;
};
int beneficiaries_store_insert_archive(struct db *db, const struct archive_row *row, int64_t now);
/* Deletes archives whose retention ended at @now. Count or -ERR_DB. */
int beneficiaries_store_purge_archives(struct db *db, int64_t now);
/* The referent's e-mail and name (for the self-deletion mail). */
int beneficiaries_store_counselor_contact(struct db *db, struct arena *a, const char *counselor_id,
					  const char **email);
/* After a successful dossier read. */
int beneficiaries_store_refreshed(struct db *db, const char *id, const struct imilo_dossier *d,
				  const char *structure_id, int64_t now);
/* The names (and their search form) and, when i-milo has one that no other live account
 * holds, the e-mail of @id as dossier @d gives them (a DOSSIER UPDATE, imilo.md §4). */
int beneficiaries_store_identity(struct db *db, struct arena *a, const char *id,
				 const struct imilo_dossier *d);
/* After a failed read; @to_archive when i-milo said the dossier is gone or not justified. */
int beneficiaries_store_refresh_failed(struct db *db, const char *id, bool to_archive, int64_t now);

struct dossier_ref {
	const char *beneficiary_id, *dossier_id;
};
/* Every live beneficiary with its dossier (arena array, in id order). Count or -ERR_DB. */
int beneficiaries_store_dossiers(struct db *db, struct arena *a, struct dossier_ref **out);

#endif
