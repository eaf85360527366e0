/* agenda_page_store.c — the only file that knows how the /agenda page reads the tables of
 * events (migration 0024). */
#include "agenda/agenda_page_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

/* What a row shows; $1 is the reader (for "Créé par vous"). The participants are counted
 * by triggers (migration 0030): a beneficiary's participations go in the transaction that
 * ends their account (agenda_purge_beneficiary), so every row counted is a live one. Then
 * ITEM_NAME or NULL: the participant's name, shown when they are the only one (split in
 * read_item). */
#define ITEM_COLS                                                                           \
	"e.id, e.type, e.precision, e.title, e.modality, e.starts_at, e.duration_min, "       \
	"e.creator_id = $1, COALESCE(e.closed_at, 0), COALESCE(e.max_participants, 0), "     \
	"e.participant_count, "
/* Mon agenda's "Bénéficiaire"; the Mission Locale tab shows no name and reads NULL. */
#define ITEM_NAME                                                                           \
	"(SELECT b.last_name || '\x1f' || b.first_name FROM event_participant p "             \
	"  JOIN beneficiary b ON b.id = p.beneficiary_id "                                    \
	"  WHERE p.event_id = e.id AND b.deleted_at IS NULL LIMIT 1) "

static void
split_name(struct arena *a, const char *s, struct agenda_item *it)
{
	const char *sep = s ? strchr(s, '\x1f') : NULL;
	if (!sep)
		return;
	it->last_name = arena_strndup(a, s, (size_t)(sep - s));
	it->first_name = arena_strdup(a, sep + 1);
}

static void
read_item(struct db_stmt *st, struct arena *a, struct agenda_item *it)
{
	int type = agenda_type_parse(db_col_text(st, 1));
	int modality = agenda_modality_parse(db_col_text(st, 4));
	struct event e = {
		.type = type < 0 ? EVENT_AUTRE : (enum event_type)type,
		.precision = db_col_dup(st, a, 2), .title = db_col_dup(st, a, 3),
		.modality = modality < MODALITY_NONE ? MODALITY_NONE : (enum event_modality)modality,
	};
	*it = (struct agenda_item){
		.source = AGENDA_SOURCE_CEJ, .id = db_col_dup(st, a, 0),
		.collective = agenda_is_collective(e.type), .type = e.type,
		.title = agenda_display_title(a, &e), .type_label = agenda_types[e.type].label,
		.modality = e.modality == MODALITY_NONE ? NULL : agenda_modalities[e.modality].label,
		.starts_at = db_col_int64(st, 5), .duration_min = (int)db_col_int64(st, 6),
		.mine = db_col_int64(st, 7) != 0, .closed_at = db_col_int64(st, 8),
		.max_participants = (int)db_col_int64(st, 9), .participants = (int)db_col_int64(st, 10),
		/* §3: an AC is always visible to the beneficiaries of its structure. */
		.visible = agenda_is_collective(e.type),
	};
	if (it->participants == 1)
		split_name(a, db_col_text(st, 11), it);
}

/* Reads every row of @st (finished here). Count or a negative err. */
static int
read_items(struct db_stmt *st, struct arena *a, struct agenda_item **out)
{
	int n = 0, cap = 16, rc;
	struct agenda_item *items = arena_alloc(a, sizeof(*items) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct agenda_item *more = arena_alloc(a, sizeof(*more) * (size_t)cap * 2);
			memcpy(more, items, sizeof(*items) * (size_t)cap);
			items = more;
			cap *= 2;
		}
		read_item(st, a, &items[n++]);
	}
	db_finish(st);
	*out = items;
	return rc < 0 ? rc : n;
}

int
agenda_page_store_mine(struct db *db, struct arena *a, const char *counselor_id, int64_t from,
		       int64_t to, struct agenda_item **out)
{
	/* Index ranges only: event_creator_start for what they created; their portfolio
	 * (beneficiary_portfolio) then, per beneficiary, the participations starting in the
	 * period (event_participant_start, migration 0030). */
	struct db_stmt *st = db_prepare(db,
		"SELECT " ITEM_COLS ITEM_NAME "FROM event e WHERE e.id IN ("
		"  SELECT id FROM event WHERE creator_id = $1 AND starts_at >= $2 AND starts_at < $3 "
		"  UNION "
		"  SELECT p.event_id FROM beneficiary b "
		"  JOIN event_participant p ON p.beneficiary_id = b.id "
		"  WHERE b.counselor_id = $1 AND b.deleted_at IS NULL "
		"  AND p.starts_at >= $2 AND p.starts_at < $3) "
		"ORDER BY e.starts_at, e.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	return read_items(st, a, out);
}

int
agenda_page_store_structure(struct db *db, struct arena *a, const char *structure_id,
			    const char *counselor_id, int64_t from, int64_t to,
			    struct agenda_item **out)
{
	/* Within event_ac_week (0031) alone: the columns read are in the index, in order. */
	struct db_stmt *st = db_prepare(db,
		"SELECT " ITEM_COLS "NULL FROM event e WHERE e.structure_id = $4 AND e.kind = 'ac' "
		"AND e.starts_at >= $2 AND e.starts_at < $3 ORDER BY e.starts_at, e.id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	db_bind_text(st, 4, structure_id);
	return read_items(st, a, out);
}

/* ---- The demo week ---- */

static int
read_counselors(struct db_stmt *st, struct arena *a, struct agenda_demo_counselor **out)
{
	int n = 0, cap = 8, rc;
	struct agenda_demo_counselor *c = arena_alloc(a, sizeof(*c) * (size_t)cap);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct agenda_demo_counselor *more = arena_alloc(a, sizeof(*more) * (size_t)cap * 2);
			memcpy(more, c, sizeof(*c) * (size_t)cap);
			c = more;
			cap *= 2;
		}
		c[n++] = (struct agenda_demo_counselor){
			db_col_dup(st, a, 0), db_col_dup(st, a, 1), db_col_dup(st, a, 2),
			db_col_dup(st, a, 3), db_col_dup(st, a, 4),
		};
	}
	db_finish(st);
	*out = c;
	return rc < 0 ? rc : n;
}

int
agenda_page_store_counselors(struct db *db, struct arena *a, struct agenda_demo_counselor **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.id, c.first_name, c.last_name, c.structure_id, s.timezone "
		"FROM counselor c JOIN structure s ON s.id = c.structure_id "
		"ORDER BY c.email NULLS FIRST, c.id");
	if (!st)
		return -ERR_DB;
	return read_counselors(st, a, out);
}

int
agenda_page_store_created(struct db *db, const char *counselor_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM event WHERE creator_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return (int)db_run_int(st);
}

