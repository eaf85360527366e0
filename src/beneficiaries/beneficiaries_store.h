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
/* Inserts the beneficiary and its empty conversation. -ERR_CONFLICT when a live account
 * took the dossier or e-mail meanwhile. */
int beneficiaries_store_insert(struct db *db, const struct new_beneficiary *b, int64_t now);

#endif
