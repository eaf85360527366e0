/* agenda_close_store.c — the SQL of closing AC: attendance, closed_at, the AC to close. */
#include "agenda/agenda_close_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

int
agenda_close_store_presence(struct db *db, const char *event_id, const char *beneficiary_id,
			    bool present)
{
	struct db_stmt *st = db_prepare(db, "UPDATE event_participant SET present = $3 "
					    "WHERE event_id = $1 AND beneficiary_id = $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_int64(st, 3, present);
	return db_run(st);
}

int
agenda_close_store_close(struct db *db, const char *event_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE event SET closed_at = $2, updated_at = $2 "
					    "WHERE id = $1 AND kind = 'ac' AND closed_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	db_bind_int64(st, 2, now);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
agenda_close_store_close_empty(struct db *db, int64_t now)
{
	/* Through event_ac_open (0026): only the open AC are read. */
	struct db_stmt *st = db_prepare(db,
		"UPDATE event SET closed_at = $1, updated_at = $1 "
		"WHERE kind = 'ac' AND closed_at IS NULL AND starts_at <= $1 "
		"AND NOT EXISTS (SELECT 1 FROM event_participant p WHERE p.event_id = event.id)");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, now);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
agenda_close_store_count(struct db *db, const char *structure_id, int64_t now)
{
	/* On SQLite, without statistics, the planner took the covering event_ac_week (every AC
	 * of the Mission Locale, closed ones too: ~2,300 past ones read in Paris at national
	 * size, half of Pilotage's instructions) over the partial event_ac_open that holds
	 * only the open ones: 0.22 → 0.07 ms a count. PostgreSQL plans by its statistics. */
	struct db_stmt *st = db_prepare(db, db_engine(db) == DB_SQLITE
		? "SELECT count(*) FROM event INDEXED BY event_ac_open WHERE structure_id = $1 "
		  "AND kind = 'ac' AND closed_at IS NULL AND starts_at <= $2"
		: "SELECT count(*) FROM event WHERE structure_id = $1 AND kind = 'ac' "
		  "AND closed_at IS NULL AND starts_at <= $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_int64(st, 2, now);
	return (int)db_run_int(st);
}

int
agenda_close_store_list(struct db *db, struct arena *a, const char *structure_id, int64_t now,
			int offset, int limit, struct agenda_to_close **out)
{
	/* Registrants counted as agenda_store_participants lists them: live accounts. */
	struct db_stmt *st = db_prepare(db,
		"SELECT e.id, e.title, e.starts_at, (SELECT count(*) FROM event_participant p "
		"  JOIN beneficiary b ON b.id = p.beneficiary_id "
		"  WHERE p.event_id = e.id AND b.deleted_at IS NULL) "
		"FROM event e WHERE e.structure_id = $1 AND e.kind = 'ac' AND e.closed_at IS NULL "
		"AND e.starts_at <= $2 ORDER BY e.starts_at, e.id LIMIT $3 OFFSET $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, limit);
	db_bind_int64(st, 4, offset);
	struct agenda_to_close *rows = arena_alloc(a, sizeof(*rows) * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < limit) {
		rows[n] = (struct agenda_to_close){
			.id = db_col_dup(st, a, 0), .title = db_col_dup(st, a, 1),
			.starts_at = db_col_int64(st, 2), .registrants = (int)db_col_int64(st, 3),
		};
		n++;
	}
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}
