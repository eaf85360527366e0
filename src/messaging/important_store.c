/* important_store.c — the only file that knows the table important_message. */
#include "messaging/important_store.h"

#include "base/err.h"
#include "db/db.h"

#define COLUMNS "im.counselor_id, im.start_date, im.end_date, im.starts_at, im.until_at, " \
	"im.updated_at, im.key_id, im.content"

int
important_store_put(struct db *db, const struct important_row *r, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO important_message (counselor_id, start_date, end_date, starts_at, "
		" until_at, content, key_id, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
		"ON CONFLICT (counselor_id) DO UPDATE SET start_date = excluded.start_date, "
		" end_date = excluded.end_date, starts_at = excluded.starts_at, "
		" until_at = excluded.until_at, content = excluded.content, key_id = excluded.key_id, "
		" updated_at = excluded.updated_at");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, r->counselor_id);
	db_bind_text(st, 2, r->start_date);
	db_bind_text(st, 3, r->end_date);
	db_bind_int64(st, 4, r->starts_at);
	db_bind_int64(st, 5, r->until_at);
	db_bind_blob(st, 6, r->content, r->content_len);
	db_bind_text(st, 7, r->key_id);
	db_bind_int64(st, 8, now);
	return db_run(st) < 0 ? -ERR_DB : 0;
}

int
important_store_delete(struct db *db, const char *counselor_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM important_message WHERE counselor_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return db_run(st) < 0 ? -ERR_DB : 0;
}

/* Reads the first row of @st (columns COLUMNS) into @out and finishes @st. */
static int
read_one(struct db_stmt *st, struct arena *a, struct important_row *out)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (struct important_row){
			.counselor_id = db_col_dup(st, a, 0), .start_date = db_col_dup(st, a, 1),
			.end_date = db_col_dup(st, a, 2), .starts_at = db_col_int64(st, 3),
			.until_at = db_col_int64(st, 4), .updated_at = db_col_int64(st, 5),
			.key_id = db_col_dup(st, a, 6),
		};
		out->content = db_col_blob_dup(st, a, 7, &out->content_len);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	} else {
		rc = -ERR_DB;
	}
	db_finish(st);
	return rc;
}

int
important_store_current(struct db *db, struct arena *a, const char *counselor_id, int64_t now,
			struct important_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM important_message im "
					    "WHERE im.counselor_id = $1 AND im.until_at > $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_int64(st, 2, now);
	return read_one(st, a, out);
}

int
important_store_shown_for(struct db *db, struct arena *a, const char *beneficiary_id, int64_t now,
			  struct important_row *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " COLUMNS " FROM beneficiary b "
		"JOIN important_message im ON im.counselor_id = b.counselor_id "
		"WHERE b.id = $1 AND b.deleted_at IS NULL AND im.starts_at <= $2 AND im.until_at > $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, now);
	return read_one(st, a, out);
}
