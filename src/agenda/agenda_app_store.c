/* agenda_app_store.c — the beneficiary's reads of events (migration 0024's tables). */
#include "agenda/agenda_app_store.h"

#include "agenda/agenda_store.h"
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

/* Reads every row of @st: the event, then (when @flags) a 0/1 column after it. Count or a
 * negative err; finishes @st. */
static int
read_events(struct db_stmt *st, struct arena *a, struct event **out, bool **flags)
{
	int n = 0, cap = 8, rc;
	struct event *rows = arena_alloc(a, sizeof(*rows) * (size_t)cap);
	bool *f = arena_alloc(a, sizeof(*f) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct event *more = arena_alloc(a, sizeof(*more) * (size_t)cap * 2);
			bool *fmore = arena_alloc(a, sizeof(*fmore) * (size_t)cap * 2);
			memcpy(more, rows, sizeof(*rows) * (size_t)cap);
			memcpy(fmore, f, sizeof(*f) * (size_t)cap);
			rows = more;
			f = fmore;
			cap *= 2;
		}
		agenda_store_read_event(st, a, &rows[n]);
		f[n] = flags && db_col_int64(st, AGENDA_EVENT_NCOLS) != 0;
		n++;
	}
	db_finish(st);
	*out = rows;
	if (flags)
		*flags = f;
	return rc < 0 ? rc : n;
}

int
agenda_app_store_mine(struct db *db, struct arena *a, const char *beneficiary_id,
		      int64_t from, int64_t to, int limit, struct event **out)
{
	/* Through event_participant_beneficiary (0024): a beneficiary has few events. */
	struct db_stmt *st = db_prepare(db,
		"SELECT " AGENDA_EVENT_COLS "FROM event_participant p "
		"JOIN event e ON e.id = p.event_id "
		"JOIN beneficiary b ON b.id = p.beneficiary_id AND b.deleted_at IS NULL "
		"WHERE p.beneficiary_id = $1 AND e.ends_at >= $2 AND e.starts_at < $3 "
		"ORDER BY e.starts_at, e.id LIMIT $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	db_bind_int64(st, 4, limit);
	return read_events(st, a, out, NULL);
}

int
agenda_app_store_structure(struct db *db, struct arena *a, const char *structure_id,
			   const char *beneficiary_id, int64_t from, int64_t to, int limit,
			   struct event **out, bool **registered)
{
	/* Through event_ac_week (0031): the structure's AC by start. */
	struct db_stmt *st = db_prepare(db,
		"SELECT " AGENDA_EVENT_COLS ", EXISTS (SELECT 1 FROM event_participant p "
		"  WHERE p.event_id = e.id AND p.beneficiary_id = $2) "
		"FROM event e WHERE e.structure_id = $1 AND e.kind = 'ac' AND e.closed_at IS NULL "
		"AND e.starts_at > $3 AND e.starts_at < $4 ORDER BY e.starts_at, e.id LIMIT $5");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	db_bind_int64(st, 5, limit);
	return read_events(st, a, out, registered);
}

int
agenda_app_store_takes_part(struct db *db, const char *event_id, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM event_participant p JOIN beneficiary b ON b.id = p.beneficiary_id "
		"WHERE p.event_id = $1 AND p.beneficiary_id = $2 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	db_bind_text(st, 2, beneficiary_id);
	int64_t n = db_run_int(st);
	return n < 0 ? (int)n : n > 0;
}

int
agenda_app_store_referent(struct db *db, struct arena *a, const char *beneficiary_id,
			  const char **counselor_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT counselor_id FROM beneficiary "
					    "WHERE id = $1 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run_texts(st, a, 1, counselor_id);
}
