/* beneficiaries_store.c — beneficiary, conversation and structure rows. */
#include "beneficiaries/beneficiaries_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"
#include "imilo/imilo.h"

static int
exists(struct db_stmt *st)
{
	int rc = db_step(st);
	db_finish(st);
	return rc == DB_ROW ? 1 : rc;
}

int
beneficiaries_store_by_dossier(struct db *db, struct arena *a, const char *dossier_id,
			       const char **id, const char **counselor_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, counselor_id FROM beneficiary "
		"WHERE imilo_dossier_id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, dossier_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_dup(st, a, 0);
		*counselor_id = db_col_dup(st, a, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
beneficiaries_store_email_taken(struct db *db, const char *email)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT 1 FROM beneficiary WHERE email = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, email);
	return exists(st);
}

int
beneficiaries_store_account_taken(struct db *db, const char *account_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT 1 FROM beneficiary WHERE imilo_account_id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, account_id);
	return exists(st);
}

int
beneficiaries_store_structure(struct db *db, struct arena *a, const char *code, const char *name,
			      const char *timezone, int64_t now, const char **structure_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM structure WHERE code = $1");
	char id[UUID_STRLEN + 1];
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW)
		*structure_id = db_col_dup(st, a, 0);
	db_finish(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : 0;
	st = db_prepare(db, "INSERT INTO structure(id, code, name, timezone, created_at) "
			    "VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return -ERR_DB;
	id_uuid7(now, id);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, code);
	db_bind_text(st, 3, name ? name : code);
	db_bind_text(st, 4, timezone);
	db_bind_int64(st, 5, now);
	rc = db_step(st);
	db_finish(st);
	if (rc < 0)
		return rc;
	*structure_id = arena_strdup(a, id);
	return 0;
}

int
beneficiaries_store_insert(struct db *db, const struct new_beneficiary *b, int64_t now)
{
	const struct imilo_dossier *d = b->dossier;
	char conv_id[UUID_STRLEN + 1];
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO beneficiary(id, structure_id, counselor_id, first_name, last_name, "
		"  search_folded, email, birth_date, postal_code, imilo_dossier_id, imilo_account_id, "
		"  dispositif, cej_end_date, current_situation, situations_json, created_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, b->id);
	db_bind_text(st, 2, b->structure_id);
	db_bind_text(st, 3, b->counselor_id);
	db_bind_text(st, 4, d->first_name);
	db_bind_text(st, 5, d->last_name);
	db_bind_text(st, 6, b->search_folded);
	db_bind_text(st, 7, d->email);
	db_bind_text(st, 8, d->birth_date);
	db_bind_text(st, 9, d->postal_code);
	db_bind_text(st, 10, d->id);
	db_bind_text(st, 11, b->imilo_account_id);
	db_bind_text(st, 12, b->dispositif);
	db_bind_text(st, 13, d->cej_end_date);
	db_bind_text(st, 14, imilo_sort_situations(d->situations, d->n_situations));
	db_bind_text(st, 15, d->situations_json ? d->situations_json : "[]");
	db_bind_int64(st, 16, now);
	rc = db_step(st);
	db_finish(st);
	if (rc < 0)
		return rc;
	st = db_prepare(db, "INSERT INTO conversation(id, beneficiary_id, created_at) VALUES ($1, $2, $3)");
	if (!st)
		return -ERR_DB;
	id_uuid7(now, conv_id);
	db_bind_text(st, 1, conv_id);
	db_bind_text(st, 2, b->id);
	db_bind_int64(st, 3, now);
	rc = db_step(st);
	db_finish(st);
	return rc < 0 ? rc : 0;
}
