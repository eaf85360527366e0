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
	return db_run_texts(st, a, 3, &out->first_name, &out->last_name, &out->structure_name);
}
