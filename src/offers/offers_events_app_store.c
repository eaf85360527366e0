/* offers_events_app_store.c — the SQL of the "Externes" tab (offers_events_app_store.h). */
#include "offers/offers_events_app_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>

/* The conditions (a printf format: %% is %), $1…$8 (+ $9 type); modalities is a JSON array of the provider's words
 * ("en physique", "En présentiel", "à distance"): matched on their ASCII part. */
#define WHERE \
	" FROM job_event WHERE active = 1 AND starts_at >= $1 AND starts_at < $2 AND (" \
	"commune_insee = $3 OR lower(modalities) LIKE '%%distance%%' OR (" \
	"lat BETWEEN CAST($4 AS DOUBLE PRECISION) AND CAST($5 AS DOUBLE PRECISION) AND " \
	"lon BETWEEN CAST($6 AS DOUBLE PRECISION) AND CAST($7 AS DOUBLE PRECISION))) AND (" \
	"$8 = 0 OR ($8 = 1 AND (lower(modalities) LIKE '%%physique%%' OR " \
	"lower(modalities) LIKE '%%sentiel%%')) OR ($8 = 2 AND lower(modalities) LIKE '%%distance%%'))"

static void
bind_double(struct db_stmt *st, int idx, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	db_bind_text(st, idx, g_ascii_dtostr(buf, sizeof(buf), v));
}

static void
bind_search(struct db_stmt *st, const struct job_event_search *q)
{
	db_bind_int64(st, 1, q->from);
	db_bind_int64(st, 2, q->to);
	db_bind_text(st, 3, q->commune_insee);
	bind_double(st, 4, q->lat_min);
	bind_double(st, 5, q->lat_max);
	bind_double(st, 6, q->lon_min);
	bind_double(st, 7, q->lon_max);
	db_bind_int64(st, 8, q->modality);
	if (q->type)
		db_bind_text(st, 9, q->type);
}

int
offers_events_store_search(struct db *db, struct arena *a, const struct job_event_search *q,
			   struct job_event **out, int *total)
{
	const char *type = q->type ? " AND type = $9" : "";
	struct db_stmt *st = db_prepare(db, arena_printf(a, "SELECT count(*)" WHERE "%s", type));
	if (!st)
		return -ERR_DB;
	bind_search(st, q);
	int64_t n = db_run_int(st);
	if (n < 0)
		return (int)n;
	*total = (int)n;
	st = db_prepare(db, arena_printf(a, "SELECT id, title, event_date, start_time, end_time, "
					 "timezone, starts_at, city, postal_code, type, modalities, ends_at"
					 WHERE "%s ORDER BY starts_at, id LIMIT %d OFFSET %d", type,
					 q->limit, q->offset));
	if (!st)
		return -ERR_DB;
	bind_search(st, q);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(q->limit > 0 ? q->limit : 1));
	int count = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && count < q->limit) {
		(*out)[count++] = (struct job_event){
			.id = db_col_dup(st, a, 0), .title = db_col_dup(st, a, 1),
			.event_date = db_col_dup(st, a, 2), .start_time = db_col_dup(st, a, 3),
			.end_time = db_col_dup(st, a, 4), .timezone = db_col_dup(st, a, 5),
			.starts_at = db_col_int64(st, 6), .city = db_col_dup(st, a, 7),
			.postal_code = db_col_dup(st, a, 8), .type = db_col_dup(st, a, 9),
			.modalities = db_col_dup(st, a, 10), .ends_at = db_col_int64(st, 11),
			.active = true,
		};
	}
	db_finish(st);
	return rc < 0 ? rc : count;
}
