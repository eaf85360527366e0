/* agenda_store.c — the only file that knows the tables of events (migration 0024). */
#include "agenda/agenda_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

#define EVENT_COLS AGENDA_EVENT_COLS
#define EVENT_NCOLS AGENDA_EVENT_NCOLS

void
agenda_store_read_event(struct db_stmt *st, struct arena *a, struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->id = db_col_dup(st, a, 0);
	int type = agenda_type_parse(db_col_text(st, 1));
	e->type = type < 0 ? EVENT_AUTRE : (enum event_type)type;
	e->precision = db_col_dup(st, a, 2);
	e->title = db_col_dup(st, a, 3);
	e->description = db_col_dup(st, a, 4);
	int modality = agenda_modality_parse(db_col_text(st, 5));
	e->modality = modality < MODALITY_NONE ? MODALITY_NONE : (enum event_modality)modality;
	e->starts_at = db_col_int64(st, 6);
	e->duration_min = (int)db_col_int64(st, 7);
	e->address = db_col_dup(st, a, 8);
	e->organism = db_col_dup(st, a, 9);
	e->presence = db_col_int64(st, 10) != 0;
	e->creator_id = db_col_dup(st, a, 11);
	e->creator_first_name = db_col_dup(st, a, 12);
	e->creator_last_name = db_col_dup(st, a, 13);
	e->structure_id = db_col_dup(st, a, 14);
	e->closed_at = db_col_int64(st, 15);
	e->created_at = db_col_int64(st, 16);
	e->updated_at = db_col_int64(st, 17);
	e->max_participants = (int)db_col_int64(st, 18);
}

static const char *
modality_code(const struct event *e)
{
	return e->modality == MODALITY_NONE ? NULL : agenda_modalities[e->modality].code;
}

/* Binds an AC's maximum at @idx: NULL when none (and always for a RDV). */
static void
bind_max(struct db_stmt *st, int idx, const struct event *e)
{
	if (agenda_is_collective(e->type) && e->max_participants > 0)
		db_bind_int64(st, idx, e->max_participants);
	else
		db_bind_text(st, idx, NULL);
}

/* Binds what the form sets, $2..$12, in the order of insert and update. */
static void
bind_fields(struct db_stmt *st, const struct event *e)
{
	db_bind_text(st, 2, e->precision);
	db_bind_text(st, 3, e->title);
	db_bind_text(st, 4, e->description ? e->description : "");
	db_bind_text(st, 5, modality_code(e));
	db_bind_int64(st, 6, e->starts_at);
	db_bind_int64(st, 7, e->duration_min);
	db_bind_int64(st, 8, agenda_ends_at(e));
	db_bind_text(st, 9, e->address ? e->address : "");
	db_bind_text(st, 10, e->organism ? e->organism : "");
	db_bind_int64(st, 11, e->presence);
	db_bind_int64(st, 12, e->updated_at);
}

int
agenda_store_insert(struct db *db, const struct event *e)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO event(id, precision, title, description, modality, starts_at, "
		"  duration_min, ends_at, address, organism, presence, updated_at, kind, type, "
		"  creator_id, creator_first_name, creator_last_name, structure_id, created_at, "
		"  max_participants) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
		"  $18, $19, $20)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, e->id);
	bind_fields(st, e);
	db_bind_text(st, 13, agenda_is_collective(e->type) ? "ac" : "rdv");
	db_bind_text(st, 14, agenda_types[e->type].code);
	db_bind_text(st, 15, e->creator_id);
	db_bind_text(st, 16, e->creator_first_name);
	db_bind_text(st, 17, e->creator_last_name);
	db_bind_text(st, 18, e->structure_id);
	db_bind_int64(st, 19, e->created_at);
	bind_max(st, 20, e);
	return db_run(st);
}

int
agenda_store_update(struct db *db, const struct event *e)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE event SET precision = $2, title = $3, description = $4, modality = $5, "
		"  starts_at = $6, duration_min = $7, ends_at = $8, address = $9, organism = $10, "
		"  presence = $11, updated_at = $12, max_participants = $13 WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, e->id);
	bind_fields(st, e);
	bind_max(st, 13, e);
	return db_run(st);
}

int
agenda_store_delete(struct db *db, const char *id)
{
	static const char *const sql[] = {
		"DELETE FROM event_history WHERE event_id = $1",
		"DELETE FROM event_participant WHERE event_id = $1",
		"DELETE FROM event WHERE id = $1",
	};
	return db_run_each(db, sql, sizeof(sql) / sizeof(sql[0]), id);
}

int
agenda_store_load(struct db *db, struct arena *a, const char *id, struct event *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " EVENT_COLS "FROM event e WHERE e.id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
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

static bool
listed(const char *id, const char *const *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(id, ids[i]))
			return true;
	return false;
}

int
agenda_store_set_participants(struct db *db, const char *event_id, const char *const *ids,
			      int n, int64_t now)
{
	struct arena *a = arena_new();
	struct event_participant *old;
	int n_old = agenda_store_participants(db, a, event_id, &old), rc = n_old < 0 ? n_old : 0;
	for (int i = 0; !rc && i < n_old; i++) {
		if (listed(old[i].beneficiary_id, ids, n))
			continue;
		struct db_stmt *st = db_prepare(db, "DELETE FROM event_participant "
						    "WHERE event_id = $1 AND beneficiary_id = $2");
		if (!st)
			rc = -ERR_DB;
		else {
			db_bind_text(st, 1, event_id);
			db_bind_text(st, 2, old[i].beneficiary_id);
			rc = db_run(st);
		}
	}
	for (int i = 0; !rc && i < n; i++) {
		struct db_stmt *st = db_prepare(db, "INSERT INTO event_participant(event_id, "
						    "  beneficiary_id, added_at) VALUES ($1, $2, $3) "
						    "ON CONFLICT DO NOTHING");
		if (!st) {
			rc = -ERR_DB;
			break;
		}
		db_bind_text(st, 1, event_id);
		db_bind_text(st, 2, ids[i]);
		db_bind_int64(st, 3, now);
		rc = db_run(st);
	}
	arena_free(a);
	return rc;
}

/* Reads every row of @st with @read into an arena array of @size-byte items. Count or a
 * negative err; finishes @st. */
static int
read_all(struct db_stmt *st, struct arena *a, size_t size, void **out,
	 void (*read)(struct db_stmt *, struct arena *, void *))
{
	int n = 0, cap = 8, rc;
	char *rows = arena_alloc(a, size * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			char *more = arena_alloc(a, size * (size_t)cap * 2);
			memcpy(more, rows, size * (size_t)cap);
			rows = more;
			cap *= 2;
		}
		read(st, a, rows + size * (size_t)n++);
	}
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}

static void
read_participant(struct db_stmt *st, struct arena *a, void *row)
{
	struct event_participant *p = row;
	p->beneficiary_id = db_col_dup(st, a, 0);
	p->first_name = db_col_dup(st, a, 1);
	p->last_name = db_col_dup(st, a, 2);
	p->counselor_id = db_col_dup(st, a, 3);
	p->present = db_col_is_null(st, 4) ? -1 : (int)db_col_int64(st, 4);
}

int
agenda_store_participants(struct db *db, struct arena *a, const char *event_id,
			  struct event_participant **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT b.id, b.first_name, b.last_name, b.counselor_id, p.present "
		"FROM event_participant p JOIN beneficiary b ON b.id = p.beneficiary_id "
		"WHERE p.event_id = $1 AND b.deleted_at IS NULL "
		"ORDER BY b.last_name, b.first_name, b.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	return read_all(st, a, sizeof(**out), (void **)out, read_participant);
}

int
agenda_store_add_change(struct db *db, const char *event_id, int64_t at, const char *author_id,
			const char *first_name, const char *last_name)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO event_history(event_id, at, author_id, author_first_name, "
		"  author_last_name) VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	db_bind_int64(st, 2, at);
	db_bind_text(st, 3, author_id);
	db_bind_text(st, 4, first_name);
	db_bind_text(st, 5, last_name);
	return db_run(st);
}

int
agenda_store_forget_changes(struct db *db, int64_t before)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM event_history WHERE at < $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, before);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

static void
read_change(struct db_stmt *st, struct arena *a, void *row)
{
	struct event_change *c = row;
	c->at = db_col_int64(st, 0);
	c->first_name = db_col_dup(st, a, 1);
	c->last_name = db_col_dup(st, a, 2);
}

int
agenda_store_changes(struct db *db, struct arena *a, const char *event_id, int limit,
		     struct event_change **out, int *total)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM event_history WHERE event_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	int64_t n = db_run_int(st);
	if (n < 0)
		return (int)n;
	*total = (int)n;
	st = db_prepare(db, "SELECT at, author_first_name, author_last_name FROM event_history "
			    "WHERE event_id = $1 ORDER BY at DESC, rowid DESC LIMIT $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	db_bind_int64(st, 2, limit);
	return read_all(st, a, sizeof(**out), (void **)out, read_change);
}

static void
read_person(struct db_stmt *st, struct arena *a, void *row)
{
	struct agenda_person *p = row;
	p->id = db_col_dup(st, a, 0);
	p->first_name = db_col_dup(st, a, 1);
	p->last_name = db_col_dup(st, a, 2);
	p->counselor_id = db_col_dup(st, a, 3);
}

int
agenda_store_portfolio(struct db *db, struct arena *a, const char *counselor_id,
		       struct agenda_person **out)
{
	/* The order of the index beneficiary_portfolio (0001). */
	struct db_stmt *st = db_prepare(db,
		"SELECT id, first_name, last_name, counselor_id FROM beneficiary "
		"WHERE counselor_id = $1 AND deleted_at IS NULL ORDER BY last_name, first_name");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return read_all(st, a, sizeof(**out), (void **)out, read_person);
}

int
agenda_store_in_portfolio(struct db *db, const char *counselor_id, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM beneficiary WHERE id = $1 AND counselor_id = $2 "
		"AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, counselor_id);
	int64_t n = db_run_int(st);
	return n < 0 ? (int)n : n > 0;
}

int
agenda_store_follows(struct db *db, const char *counselor_id, const char *event_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM event_participant p JOIN beneficiary b ON b.id = p.beneficiary_id "
		"WHERE p.event_id = $1 AND b.counselor_id = $2 AND b.deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, event_id);
	db_bind_text(st, 2, counselor_id);
	int64_t n = db_run_int(st);
	return n < 0 ? (int)n : n > 0;
}

struct event_row {
	struct event e;
	int present;
};

static void
read_event_row(struct db_stmt *st, struct arena *a, void *row)
{
	struct event_row *r = row;
	agenda_store_read_event(st, a, &r->e);
	r->present = db_col_is_null(st, EVENT_NCOLS) ? -1 : (int)db_col_int64(st, EVENT_NCOLS);
}

int
agenda_store_of_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
			    int64_t now, struct event **out, int **present)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " EVENT_COLS ", p.present FROM event_participant p "
		"JOIN event e ON e.id = p.event_id "
		"WHERE p.beneficiary_id = $1 "
		"ORDER BY e.ends_at < $2, "
		"  CASE WHEN e.ends_at < $2 THEN -e.starts_at ELSE e.starts_at END, e.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, now);
	struct event_row *rows;
	int n = read_all(st, a, sizeof(*rows), (void **)&rows, read_event_row);
	if (n < 0)
		return n;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n ? n : 1));
	*present = arena_alloc(a, sizeof(**present) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		(*out)[i] = rows[i].e;
		(*present)[i] = rows[i].present;
	}
	return n;
}

int
agenda_store_count_of_beneficiary(struct db *db, const char *beneficiary_id)
{
	/* The participant index alone: every participation is an event's. */
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM event_participant WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return (int)db_run_int(st);
}

int
agenda_store_week_of_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
				 int64_t from, int64_t to, struct event **out)
{
	/* Both kinds: an AC the beneficiary is registered to is in his week too. A
	 * beneficiary has few events: the participant index, then each event's key. */
	struct db_stmt *st = db_prepare(db,
		"SELECT " EVENT_COLS ", p.present FROM event_participant p "
		"JOIN event e ON e.id = p.event_id "
		"WHERE p.beneficiary_id = $1 AND e.starts_at >= $2 AND e.starts_at < $3 "
		"ORDER BY e.starts_at, e.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	struct event_row *rows;
	int n = read_all(st, a, sizeof(*rows), (void **)&rows, read_event_row);
	if (n < 0)
		return n;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		(*out)[i] = rows[i].e;
	return n;
}

static void
read_id(struct db_stmt *st, struct arena *a, void *row)
{
	*(const char **)row = db_col_dup(st, a, 0);
}

int
agenda_store_alone_with(struct db *db, struct arena *a, const char *beneficiary_id,
			const char ***ids)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT p.event_id FROM event_participant p JOIN event e ON e.id = p.event_id "
		"WHERE p.beneficiary_id = $1 AND e.kind = 'rdv' AND NOT EXISTS "
		"  (SELECT 1 FROM event_participant o WHERE o.event_id = p.event_id "
		"   AND o.beneficiary_id <> $1)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return read_all(st, a, sizeof(**ids), (void **)ids, read_id);
}

int
agenda_store_forget_participant(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM event_participant WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}

/* ---- Animations collectives: their structure's beneficiaries, the upcoming ones ---- */

int
agenda_store_person(struct db *db, struct arena *a, const char *structure_id, const char *id,
		    struct agenda_person *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, first_name, last_name, counselor_id FROM beneficiary "
		"WHERE id = $1 AND structure_id = $2 AND deleted_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, structure_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_person(st, a, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
agenda_store_structure_search(struct db *db, struct arena *a, const char *structure_id,
			      const char *const *tokens, int n_tokens, int limit,
			      struct agenda_person **out)
{
	/* The index beneficiary_structure (0003) gives the name order. */
	struct db_stmt *st = db_prepare(db, arena_printf(a,
		"SELECT id, first_name, last_name, counselor_id FROM beneficiary "
		"WHERE structure_id = $1 AND deleted_at IS NULL%s "
		"ORDER BY search_folded, id LIMIT $2",
		db_sql_contains(db, a, "search_folded", n_tokens, 3)));
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_int64(st, 2, limit);
	for (int i = 0; i < n_tokens; i++)
		db_bind_text(st, 3 + i, tokens[i]);
	return read_all(st, a, sizeof(**out), (void **)out, read_person);
}

static void
read_ac_row(struct db_stmt *st, struct arena *a, void *row)
{
	struct agenda_ac_row *r = row;
	agenda_store_read_event(st, a, &r->e);
	r->registrants = (int)db_col_int64(st, EVENT_NCOLS);
	r->registered = db_col_int64(st, EVENT_NCOLS + 1) != 0;
}

int
agenda_store_upcoming_ac(struct db *db, struct arena *a, const char *structure_id, int64_t now,
			 const char *beneficiary_id, int limit, struct agenda_ac_row **out)
{
	/* Through event_ac_week (0031): the structure's AC from now on. The counts
	 * read event_participant's primary key, a few rows per AC. */
	struct db_stmt *st = db_prepare(db,
		"SELECT " EVENT_COLS ", "
		"  (SELECT count(*) FROM event_participant p JOIN beneficiary b "
		"     ON b.id = p.beneficiary_id AND b.deleted_at IS NULL WHERE p.event_id = e.id), "
		"  EXISTS (SELECT 1 FROM event_participant p WHERE p.event_id = e.id "
		"     AND p.beneficiary_id = $3) "
		"FROM event e WHERE e.structure_id = $1 AND e.kind = 'ac' AND e.starts_at > $2 "
		"AND e.closed_at IS NULL ORDER BY e.starts_at, e.id LIMIT $4");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, beneficiary_id);
	db_bind_int64(st, 4, limit);
	return read_all(st, a, sizeof(**out), (void **)out, read_ac_row);
}
