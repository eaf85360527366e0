/* pilotage_store.c — the beneficiaries to archive of a portfolio. */
#include "pilotage/pilotage_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#define TO_ARCHIVE "FROM beneficiary b JOIN structure s ON s.id = b.structure_id " \
		   "WHERE b.counselor_id = $1 AND b.deleted_at IS NULL AND b.to_archive = 1 "

int
pilotage_store_to_archive_count(struct db *db, const char *counselor_id)
{
	/* On the covering index beneficiary_to_archive (0021_page_summaries.sql): the few
	 * entries to archive, not a read of the portfolio's rows (~100,000 instructions on
	 * every Pilotage page). No join: the structure of a beneficiary always exists. */
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM beneficiary "
		"WHERE counselor_id = $1 AND deleted_at IS NULL AND to_archive = 1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return (int)db_run_int(st);
}

int
pilotage_store_to_archive(struct db *db, struct arena *ar, const char *counselor_id,
			  int offset, int limit, struct pilotage_archive_row **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT b.id, b.first_name, b.last_name, b.cej_end_date, s.timezone, "
		"  COALESCE(b.last_activity_at, 0) " TO_ARCHIVE
		"ORDER BY lower(b.last_name), lower(b.first_name), b.id "
		"LIMIT $2 OFFSET $3");
	int n = 0, rc = DB_DONE;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_int64(st, 2, limit);
	db_bind_int64(st, 3, offset);
	struct pilotage_archive_row *rows = arena_alloc(ar, sizeof(*rows) * (size_t)(limit > 0 ? limit : 1));
	while (n < limit && (rc = db_step(st)) == DB_ROW) {
		struct pilotage_archive_row *row = &rows[n++];
		row->id = db_col_dup(st, ar, 0);
		row->first_name = db_col_dup(st, ar, 1);
		row->last_name = db_col_dup(st, ar, 2);
		row->cej_end_date = db_col_dup(st, ar, 3);
		row->timezone = db_col_dup(st, ar, 4);
		row->last_activity_at = db_col_int64(st, 5);
	}
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}
