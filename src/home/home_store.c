/* home_store.c — the beneficiary's referent and Mission Locale. */
#include "home/home_store.h"

#include "base/err.h"
#include "db/db.h"

int
home_store_counselor(struct db *db, struct arena *a, const char *id, struct home_counselor *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.first_name, c.last_name, s.name FROM beneficiary b "
		"JOIN counselor c ON c.id = b.counselor_id JOIN structure s ON s.id = b.structure_id "
		"WHERE b.id = $1 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->first_name = db_col_dup(st, a, 0);
		out->last_name = db_col_dup(st, a, 1);
		out->structure_name = db_col_dup(st, a, 2);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}
