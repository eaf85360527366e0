/* login_store.c — login_failure, account lookups by e-mail, account_token. */
#include "auth/login_store.h"
#include "auth/login.h"

#include "base/err.h"
#include "db/db.h"

#include <glib.h>

int
login_store_latest_failures(struct db *db, const char *scope, int max, int64_t *at)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT at FROM login_failure WHERE scope = $1 ORDER BY at DESC LIMIT $2");
	int n = 0, rc;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, scope);
	db_bind_int64(st, 2, max);
	while ((rc = db_step(st)) == DB_ROW && n < max)
		at[n++] = db_col_int64(st, 0);
	db_finish(st);
	return rc < 0 ? rc : n;
}

int
login_store_add_failure(struct db *db, const char *scope, int64_t now, int64_t window)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM login_failure WHERE scope = $1 AND at <= $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, scope);
	db_bind_int64(st, 2, now - window);
	int rc = db_run(st);
	if (rc)
		return rc;
	st = db_prepare(db, "INSERT INTO login_failure(scope, at) VALUES ($1, $2)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, scope);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
login_store_clear_failures(struct db *db, const char *scope)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM login_failure WHERE scope = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, scope);
	return db_run(st);
}

int
login_store_account(struct db *db, struct arena *a, enum user_kind kind, const char *email,
		    const char **id, const char **hash)
{
	struct db_stmt *st = db_prepare(db, kind == USER_COUNSELOR
		? "SELECT id, password_hash FROM counselor WHERE email = $1"
		: "SELECT id, password_hash FROM beneficiary WHERE email = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, email);
	return db_run_texts(st, a, 2, id, hash);
}

int
login_store_set_hash(struct db *db, enum user_kind kind, const char *id, const char *hash)
{
	struct db_stmt *st = db_prepare(db, kind == USER_COUNSELOR
		? "UPDATE counselor SET password_hash = $2 WHERE id = $1"
		: "UPDATE beneficiary SET password_hash = $2 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, hash);
	return db_run(st);
}

int
login_store_beneficiary_logged_in(struct db *db, const char *id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE beneficiary SET activated_at = COALESCE(activated_at, $2), "
		"last_activity_at = $2 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
login_store_beneficiary_contact(struct db *db, struct arena *a, const char *id,
				const char **first_name, const char **email)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT first_name, email FROM beneficiary WHERE id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	return db_run_texts(st, a, 2, first_name, email);
}

int
login_store_links_since(struct db *db, const char *id, const char *kind, int64_t since)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM account_token WHERE beneficiary_id = $1 AND kind = $2 "
		"AND created_at > $3");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_int64(st, 3, since);
	return (int)db_run_int(st);
}

int
login_store_use_links(struct db *db, const char *id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE account_token SET used_at = $2 WHERE beneficiary_id = $1 AND used_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
login_store_insert_link(struct db *db, const char *hash, const char *id, const char *kind,
			int64_t now, int64_t expires_at)
{
	int rc = login_store_use_links(db, id, now);
	if (rc)
		return rc;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO account_token(hash, beneficiary_id, kind, created_at, expires_at) "
		"VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, id);
	db_bind_text(st, 3, kind);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, expires_at);
	return db_run(st);
}

int
login_store_link(struct db *db, struct arena *a, const char *hash, int64_t now,
		 const char **id, const char **email)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT b.id, b.email FROM account_token t JOIN beneficiary b ON b.id = t.beneficiary_id "
		"WHERE t.hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, hash);
	db_bind_int64(st, 2, now);
	return db_run_texts(st, a, 2, id, email);
}

/* Declared in login.h. */
int
login_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	static const char *const sql[] = {
		"DELETE FROM login_failure WHERE scope = "
		"  (SELECT 'account:beneficiary:' || email FROM beneficiary WHERE id = $1)",
		"DELETE FROM account_token WHERE beneficiary_id = $1",
	};
	return db_run_each(db, sql, sizeof(sql) / sizeof(sql[0]), beneficiary_id);
}
