/* beneficiaries_store.c — beneficiary, conversation and structure rows. */
#include "beneficiaries/beneficiaries_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/text.h"
#include "base/ids.h"
#include "db/db.h"
#include "imilo/imilo.h"

#include <string.h>

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
	return db_run_texts(st, a, 2, id, counselor_id);
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
beneficiaries_store_structure_code(struct db *db, struct arena *a, const char *structure_id,
				   const char **code)
{
	struct db_stmt *st = db_prepare(db, "SELECT code FROM structure WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	return db_run_texts(st, a, 1, code);
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
	if (rc < 0)
		return rc;
	/* The first row of the historique des conseillers: the creation. */
	st = db_prepare(db, "INSERT INTO counselor_history(id, beneficiary_id, counselor_id, started_at) "
			    "VALUES ($1, $2, $3, $4)");
	if (!st)
		return -ERR_DB;
	id_uuid7(now, conv_id);
	db_bind_text(st, 1, conv_id);
	db_bind_text(st, 2, b->id);
	db_bind_text(st, 3, b->counselor_id);
	db_bind_int64(st, 4, now);
	rc = db_step(st);
	db_finish(st);
	return rc < 0 ? rc : 0;
}

static int
run_one(struct db *db, const char *sql, const char *id)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	return db_run(st);
}

int
beneficiaries_store_remove(struct db *db, const char *id)
{
	int rc = run_one(db, "DELETE FROM counselor_history WHERE beneficiary_id = $1", id);
	return rc ? rc : run_one(db, "DELETE FROM beneficiary WHERE id = $1", id);
}

int
beneficiaries_store_mark_resent(struct db *db, const char *id, int64_t now, int64_t delay)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE beneficiary SET last_activation_resend_at = $2 WHERE id = $1 "
		"AND (last_activation_resend_at IS NULL OR last_activation_resend_at <= $2 - $3)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, delay);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_RATE;
}

int
beneficiaries_store_insert_archive(struct db *db, const struct archive_row *row, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO beneficiary_archive(id, beneficiary_id, structure_id, archived_by, "
		"  archived_at, motif, comment, end_date, content_json, purge_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, row->id);
	db_bind_text(st, 2, row->beneficiary_id);
	db_bind_text(st, 3, row->structure_id);
	db_bind_text(st, 4, row->archived_by);
	db_bind_int64(st, 5, now);
	db_bind_text(st, 6, row->motif);
	db_bind_text(st, 7, row->comment);
	db_bind_text(st, 8, row->end_date);
	db_bind_text(st, 9, row->content_json);
	db_bind_int64(st, 10, row->purge_at);
	return db_run(st);
}

int
beneficiaries_store_purge_archives(struct db *db, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM beneficiary_archive WHERE purge_at <= $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, now);
	int rc = db_step(st);
	db_finish(st);
	return rc < 0 ? rc : db_changes(db);
}

int
beneficiaries_store_counselor_contact(struct db *db, struct arena *a, const char *counselor_id,
				      const char **email)
{
	struct db_stmt *st = db_prepare(db, "SELECT email FROM counselor WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return db_run_texts(st, a, 1, email);
}

int
beneficiaries_store_refreshed(struct db *db, const char *id, const struct imilo_dossier *d,
			      const char *structure_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE beneficiary SET structure_id = $2, cej_end_date = $3, current_situation = $4, "
		"  situations_json = $5, imilo_synced_at = $6, imilo_sync_failed_at = NULL, "
		"  to_archive = 0 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, structure_id);
	db_bind_text(st, 3, d->cej_end_date);
	db_bind_text(st, 4, imilo_sort_situations(d->situations, d->n_situations));
	db_bind_text(st, 5, d->situations_json ? d->situations_json : "[]");
	db_bind_int64(st, 6, now);
	return db_run(st);
}

int
beneficiaries_store_identity(struct db *db, struct arena *a, const char *id,
			     const struct imilo_dossier *d)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE beneficiary SET first_name = $2, last_name = $3, search_folded = $4, "
		"  email = CASE WHEN CAST($5 AS TEXT) IS NOT NULL AND NOT EXISTS ("
		"    SELECT 1 FROM beneficiary o "
		"    WHERE o.email = $5 AND o.deleted_at IS NULL AND o.id <> $1) THEN $5 ELSE email END "
		"WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, d->first_name);
	db_bind_text(st, 3, d->last_name);
	db_bind_text(st, 4, text_fold(a, arena_printf(a, "%s %s", d->last_name, d->first_name)));
	db_bind_text(st, 5, d->email);
	return db_run(st);
}

int
beneficiaries_store_refresh_failed(struct db *db, const char *id, bool to_archive, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE beneficiary SET imilo_sync_failed_at = $2, "
		"  to_archive = CASE WHEN $3 = 1 THEN 1 ELSE to_archive END WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, to_archive);
	return db_run(st);
}

int
beneficiaries_store_dossiers(struct db *db, struct arena *a, struct dossier_ref **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, imilo_dossier_id FROM beneficiary WHERE deleted_at IS NULL ORDER BY id");
	int n = 0, cap = 256, rc;
	struct dossier_ref *refs;
	if (!st)
		return -ERR_DB;
	refs = arena_alloc(a, sizeof(*refs) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct dossier_ref *more = arena_alloc(a, sizeof(*refs) * (size_t)cap * 2);
			memcpy(more, refs, sizeof(*refs) * (size_t)cap);
			refs = more;
			cap *= 2;
		}
		refs[n].beneficiary_id = db_col_dup(st, a, 0);
		refs[n].dossier_id = db_col_dup(st, a, 1);
		n++;
	}
	db_finish(st);
	if (rc < 0)
		return rc;
	*out = refs;
	return n;
}
