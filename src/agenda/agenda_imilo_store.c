/* agenda_imilo_store.c — the SQL of the i-milo rendez-vous (agenda_imilo_store.h). */
#include "agenda/agenda_imilo_store.h"
#include "agenda/agenda_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

int
agenda_imilo_store_find(struct db *db, struct arena *a, const char *imilo_id, struct event *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " AGENDA_EVENT_COLS "FROM event e WHERE e.imilo_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, imilo_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		agenda_store_read_event(st, a, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
agenda_imilo_store_insert(struct db *db, const struct event *e, const char *imilo_id)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO event(id, kind, type, title, description, starts_at, duration_min, "
		"  ends_at, address, presence, creator_first_name, creator_last_name, "
		"  structure_id, created_at, updated_at, imilo_id) "
		"VALUES ($1, 'rdv', 'RENDEZ_VOUS_MILO', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
		"  $12, $12, $13)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, e->id);
	db_bind_text(st, 2, e->title);
	db_bind_text(st, 3, e->description ? e->description : "");
	db_bind_int64(st, 4, e->starts_at);
	db_bind_int64(st, 5, e->duration_min);
	db_bind_int64(st, 6, agenda_ends_at(e));
	db_bind_text(st, 7, e->address ? e->address : "");
	db_bind_int64(st, 8, e->presence);
	db_bind_text(st, 9, e->creator_first_name);
	db_bind_text(st, 10, e->creator_last_name);
	db_bind_text(st, 11, e->structure_id);
	db_bind_int64(st, 12, e->created_at);
	db_bind_text(st, 13, imilo_id);
	return db_run(st);
}

int
agenda_imilo_store_attendance(struct db *db, const char *event_id, int present)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE event_participant SET present = $2 WHERE event_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	if (present < 0)
		db_bind_null(st, 2);
	else
		db_bind_int64(st, 2, present);
	return db_run(st);
}

int
agenda_imilo_store_older(struct db *db, struct arena *a, int64_t before, const char ***out)
{
	/* Through event_imilo_start (0033): only the i-milo rows. */
	struct db_stmt *st = db_prepare(db,
		"SELECT id FROM event WHERE imilo_id IS NOT NULL AND starts_at < $1 ORDER BY starts_at");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, before);
	int n = 0, cap = 16, rc;
	const char **ids = arena_alloc(a, sizeof(*ids) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			const char **more = arena_alloc(a, sizeof(*more) * (size_t)cap * 2);
			for (int i = 0; i < n; i++)
				more[i] = ids[i];
			ids = more;
			cap *= 2;
		}
		ids[n++] = db_col_dup(st, a, 0);
	}
	db_finish(st);
	*out = ids;
	return rc < 0 ? rc : n;
}
