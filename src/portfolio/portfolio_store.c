/* portfolio_store.c — reads a counselor's live beneficiaries. */
#include "portfolio/portfolio_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <string.h>

int
portfolio_store_rows(struct db *db, struct arena *a, const char *counselor_id,
		     struct portfolio_row **rows)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, last_name, first_name, search_folded, dispositif, current_situation, "
		"       COALESCE(activated_at, 0), COALESCE(last_activity_at, 0) "
		"FROM beneficiary WHERE counselor_id = $1 AND deleted_at IS NULL");
	int cap = 64, n = 0, rc;
	struct portfolio_row *r;

	if (!st)
		return -ERR_DB;
	r = arena_alloc(a, sizeof(*r) * (size_t)cap);
	db_bind_text(st, 1, counselor_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct portfolio_row *bigger = arena_alloc(a, sizeof(*r) * (size_t)cap * 2);
			memcpy(bigger, r, sizeof(*r) * (size_t)cap);
			r = bigger;
			cap *= 2;
		}
		r[n].beneficiary_id = db_col_dup(st, a, 0);
		r[n].last_name = db_col_dup(st, a, 1);
		r[n].first_name = db_col_dup(st, a, 2);
		r[n].folded = db_col_dup(st, a, 3);
		r[n].dispositif = db_col_dup(st, a, 4);
		r[n].situation = db_col_dup(st, a, 5);
		r[n].activated_at = db_col_int64(st, 6);
		r[n].last_activity_at = db_col_int64(st, 7);
		n++;
	}
	db_finish(st);
	if (rc < 0)
		return rc;
	*rows = r;
	return n;
}
