/* audit_store.c — the audit_log table. */
#include "audit/audit.h"

#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

int
audit_record(struct db *db, int64_t now, const char *actor_kind, const char *actor_id,
	     const char *action, const char *target_id, const char *detail)
{
	char id[UUID_STRLEN + 1];
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO audit_log(id, at, actor_kind, actor_id, action, target_id, detail) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7)");
	if (!st)
		return -ERR_DB;
	id_uuid7(now, id);
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, actor_kind);
	db_bind_text(st, 4, actor_id);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, target_id);
	db_bind_text(st, 7, detail);
	return db_run(st);
}
