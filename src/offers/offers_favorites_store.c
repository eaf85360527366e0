/* offers_favorites_store.c — the SQL of the followed offers (offers_favorites.h). */
#include "offers/offers_favorites.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

#define COLUMNS "offer_id, offer_type, snapshot, created_at, applied_at"

static void
read_row(struct db_stmt *st, struct arena *a, struct offer_favorite *f)
{
	*f = (struct offer_favorite){.offer_id = db_col_dup(st, a, 0),
				     .snapshot = db_col_dup(st, a, 2),
				     .created_at = db_col_int64(st, 3),
				     .applied_at = db_col_int64(st, 4)};
	if (!offer_type_parse(db_col_text(st, 1), false, &f->type))
		f->type = OFFER_EMPLOI;
	offers_favorite_read(a, f);
}

int
offers_favorites_store_add(struct db *db, const char *beneficiary_id, const char *offer_id,
			   enum offer_type type, const char *snapshot, int64_t now)
{
	/* ON CONFLICT DO NOTHING: a duplicate must not abort a PostgreSQL transaction. */
	struct db_stmt *st = db_prepare(db, "INSERT INTO offer_favorite(beneficiary_id, offer_id, "
					    "offer_type, snapshot, created_at) VALUES ($1, $2, $3, $4, $5) "
					    "ON CONFLICT DO NOTHING");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, offer_id);
	db_bind_text(st, 3, offer_type_code(type));
	db_bind_text(st, 4, snapshot);
	db_bind_int64(st, 5, now);
	int rc = db_run(st);
	return rc ? rc : db_changes(db) == 1 ? 0 : -ERR_CONFLICT;
}

int
offers_favorites_store_get(struct db *db, struct arena *a, const char *beneficiary_id,
			   const char *offer_id, struct offer_favorite *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM offer_favorite "
					    "WHERE beneficiary_id = $1 AND offer_id = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, offer_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_row(st, a, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
offers_favorites_store_list(struct db *db, struct arena *a, const char *beneficiary_id, int type,
			    struct offer_favorite **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM offer_favorite "
					    "WHERE beneficiary_id = $1 AND ($2 = '' OR offer_type = $2) "
					    "ORDER BY created_at DESC, offer_id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, type < 0 ? "" : offer_type_code((enum offer_type)type));
	int n = 0, cap = 8, rc;
	struct offer_favorite *all = arena_alloc(a, sizeof(*all) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct offer_favorite *grown = arena_alloc(a, sizeof(*all) * (size_t)cap * 2);
			memcpy(grown, all, sizeof(*all) * (size_t)n);
			all = grown;
			cap *= 2;
		}
		read_row(st, a, &all[n++]);
	}
	db_finish(st);
	*out = all;
	return rc < 0 ? rc : n;
}

int
offers_favorites_store_apply(struct db *db, const char *beneficiary_id, const char *offer_id,
			     int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE offer_favorite SET applied_at = $3 "
					    "WHERE beneficiary_id = $1 AND offer_id = $2 "
					    "AND applied_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, offer_id);
	db_bind_int64(st, 3, now);
	return db_run(st);
}

int
offers_favorites_store_remove(struct db *db, const char *beneficiary_id, const char *offer_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_favorite "
					    "WHERE beneficiary_id = $1 AND offer_id = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, offer_id);
	return db_run(st);
}

int
offers_favorites_store_owner(struct db *db, struct arena *a, const char *beneficiary_id,
			     bool *shared, const char **counselor_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT pref_share_favorites, counselor_id "
					    "FROM beneficiary WHERE id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*shared = db_col_int64(st, 0) != 0;
		if (counselor_id)
			*counselor_id = db_col_dup(st, a, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
offers_favorites_store_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_favorite WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}

int
offers_favorites_store_purge_old(struct db *db, int64_t cutoff)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_favorite WHERE created_at < $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, cutoff);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}
