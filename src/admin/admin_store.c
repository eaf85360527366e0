/* admin_store.c — structure, counselor and bench beneficiary rows. */
#include "admin/admin_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

int
admin_store_structure(struct db *db, struct arena *a, const char *code, const char *name,
		      const char *tz, int64_t now, const char **id)
{
	char fresh[UUID_STRLEN + 1];
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO structure(id, code, name, timezone, created_at) VALUES ($1, $2, $3, $4, $5) "
		"ON CONFLICT(code) DO UPDATE SET name = excluded.name, timezone = excluded.timezone "
		"RETURNING id");
	if (!st)
		return -ERR_DB;
	id_uuid7(now, fresh);
	db_bind_text(st, 1, fresh);
	db_bind_text(st, 2, code);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, tz);
	db_bind_int64(st, 5, now);
	return db_run_texts(st, a, 1, id);
}

int
admin_store_structure_id(struct db *db, struct arena *a, const char *code, const char **id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM structure WHERE code = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, code);
	return db_run_texts(st, a, 1, id);
}

int
admin_store_counselor(struct db *db, struct arena *a, const struct admin_counselor *c,
		      int64_t now, const char **id)
{
	char fresh[UUID_STRLEN + 1];
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO counselor(id, structure_id, email, first_name, last_name, imilo_login, "
		"  password_hash, is_supervisor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
		"ON CONFLICT(email) DO UPDATE SET structure_id = excluded.structure_id, "
		"  first_name = excluded.first_name, last_name = excluded.last_name, "
		"  imilo_login = excluded.imilo_login, is_supervisor = excluded.is_supervisor, "
		"  password_hash = COALESCE(excluded.password_hash, counselor.password_hash) "
		"RETURNING id");
	if (!st)
		return -ERR_DB;
	id_uuid7(now, fresh);
	db_bind_text(st, 1, fresh);
	db_bind_text(st, 2, c->structure_id);
	db_bind_text(st, 3, c->email);
	db_bind_text(st, 4, c->first_name);
	db_bind_text(st, 5, c->last_name);
	db_bind_text(st, 6, c->login);
	db_bind_text(st, 7, c->password_hash);
	db_bind_int64(st, 8, c->supervisor);
	db_bind_int64(st, 9, now);
	return db_run_texts(st, a, 1, id);
}

int
admin_store_counselor_password(struct db *db, const char *email, const char *hash)
{
	struct db_stmt *st = db_prepare(db, "UPDATE counselor SET password_hash = $2 WHERE email = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, hash);
	int rc = db_step(st);
	db_finish(st);
	if (rc < 0)
		return rc;
	return db_changes(db) == 1 ? 0 : -ERR_NOTFOUND;
}

int
admin_store_beneficiary(struct db *db, const struct admin_beneficiary *b, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO beneficiary(id, structure_id, counselor_id, first_name, last_name, "
		"  search_folded, email, imilo_dossier_id, dispositif, current_situation, created_at, "
		"  activated_at, last_activity_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, b->id);
	db_bind_text(st, 2, b->structure_id);
	db_bind_text(st, 3, b->counselor_id);
	db_bind_text(st, 4, b->first_name);
	db_bind_text(st, 5, b->last_name);
	db_bind_text(st, 6, b->folded);
	db_bind_text(st, 7, b->email);
	db_bind_text(st, 8, b->dossier_id);
	db_bind_text(st, 9, b->dispositif);
	db_bind_text(st, 10, b->situation);
	db_bind_int64(st, 11, now);
	if (b->activated_at)
		db_bind_int64(st, 12, b->activated_at);
	else
		db_bind_null(st, 12);
	if (b->last_activity_at)
		db_bind_int64(st, 13, b->last_activity_at);
	else
		db_bind_null(st, 13);
	return db_run(st);
}

int
admin_store_beneficiary_exists(struct db *db, const char *email)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM beneficiary "
					    "WHERE email = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, email);
	int64_t n = db_run_int(st);
	return n < 0 ? (int)n : n > 0;
}
