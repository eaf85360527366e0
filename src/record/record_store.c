/* record_store.c — reads behind the fiche. */
#include "record/record.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

int
record_load(struct db *db, struct arena *a, const char *id, struct record *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT b.id, b.first_name, b.last_name, b.email, b.dispositif, b.current_situation, "
		"  b.situations_json, b.cej_end_date, b.imilo_dossier_id, b.structure_id, s.name, "
		"  s.timezone, b.counselor_id, c.first_name, c.last_name, b.created_at, "
		"  COALESCE(b.activated_at, 0), COALESCE(b.last_activity_at, 0), "
		"  COALESCE(b.last_activation_resend_at, 0), COALESCE(b.imilo_synced_at, 0), "
		"  COALESCE(b.imilo_sync_failed_at, 0), b.to_archive "
		"FROM beneficiary b JOIN structure s ON s.id = b.structure_id "
		"JOIN counselor c ON c.id = b.counselor_id "
		"WHERE b.id = $1 AND b.deleted_at IS NULL");
	int rc;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char **s[] = {&out->id, &out->first_name, &out->last_name, &out->email,
				    &out->dispositif, &out->situation, &out->situations_json,
				    &out->cej_end_date, &out->imilo_dossier_id, &out->structure_id,
				    &out->structure_name, &out->timezone, &out->counselor_id,
				    &out->counselor_first_name, &out->counselor_last_name};
		for (int i = 0; i < (int)(sizeof(s) / sizeof(s[0])); i++)
			*s[i] = db_col_dup(st, a, i);
		out->created_at = db_col_int64(st, 15);
		out->activated_at = db_col_int64(st, 16);
		out->last_activity_at = db_col_int64(st, 17);
		out->last_resend_at = db_col_int64(st, 18);
		out->imilo_synced_at = db_col_int64(st, 19);
		out->imilo_sync_failed_at = db_col_int64(st, 20);
		out->to_archive = db_col_int64(st, 21) != 0;
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
record_history(struct db *db, struct arena *a, const char *id, struct record_history_row **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.first_name, c.last_name, h.started_at, COALESCE(h.ended_at, 0) "
		"FROM counselor_history h JOIN counselor c ON c.id = h.counselor_id "
		"WHERE h.beneficiary_id = $1 ORDER BY h.started_at DESC, h.id DESC");
	int n = 0, cap = 8, rc;
	struct record_history_row *rows;
	if (!st)
		return -ERR_DB;
	rows = arena_alloc(a, sizeof(*rows) * (size_t)cap);
	db_bind_text(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct record_history_row *more = arena_alloc(a, sizeof(*rows) * (size_t)cap * 2);
			memcpy(more, rows, sizeof(*rows) * (size_t)cap);
			rows = more;
			cap *= 2;
		}
		rows[n].first_name = db_col_dup(st, a, 0);
		rows[n].last_name = db_col_dup(st, a, 1);
		rows[n].started_at = db_col_int64(st, 2);
		rows[n].ended_at = db_col_int64(st, 3);
		n++;
	}
	db_finish(st);
	if (rc < 0)
		return rc;
	*out = rows;
	return n;
}
