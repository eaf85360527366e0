/* agenda_invite_store.c — the invitations' columns of the event table (migration 0027). */
#include "agenda/agenda_invite_store.h"

#include "base/err.h"
#include "db/db.h"

#include <stdint.h>

int
agenda_invite_store_enable(struct db *db, const char *event_id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE event SET invitation = 1, ics_sequence = 0 "
					    "WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	return db_run(st) < 0 ? -ERR_DB : 0;
}

int
agenda_invite_store_next(struct db *db, const char *event_id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE event SET ics_sequence = ics_sequence + 1 "
					    "WHERE id = $1 AND invitation = 1 RETURNING ics_sequence");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	int64_t seq = db_run_int(st);
	return seq < 0 ? -ERR_DB : (int)seq;
}

int
agenda_invite_store_on(struct db *db, const char *event_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT invitation FROM event WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	int64_t on = db_run_int(st);
	return on < 0 ? -ERR_DB : on != 0;
}

int
agenda_invite_store_recipient(struct db *db, struct arena *a, const char *event_id,
			      const char **email, const char **tz)
{
	struct db_stmt *st = db_prepare(db, "SELECT c.email, s.timezone FROM event e "
					    "JOIN counselor c ON c.id = e.creator_id "
					    "JOIN structure s ON s.id = e.structure_id WHERE e.id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	return db_run_texts(st, a, 2, email, tz);
}
