/* geo_store.c — the SQL of the referential (0035), written once for both engines. */
#include "geo/geo_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"

#include <glib.h>
#include <string.h>

/* Coordinates travel as text both ways: db.h binds no double, and text is what each engine
 * converts exactly (an untyped parameter is inferred as double precision on PostgreSQL;
 * SQLite's REAL affinity converts it). g_ascii_*: independent of the locale (LC_NUMERIC
 * would write "48,4"). */
static void
bind_coord(struct db_stmt *st, int idx, bool has, double v, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
	if (has)
		db_bind_text(st, idx, g_ascii_formatd(buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6f", v));
	else
		db_bind_null(st, idx);
}

static double
col_coord(struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return s ? g_ascii_strtod(s, NULL) : 0.0;
}

int
geo_store_departement(struct db *db, struct arena *a, const struct geo_departement *d)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM departement WHERE code = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, d->code);
	int64_t existed = db_run_int(st);
	if (existed < 0)
		return (int)existed;
	/* A file without centres (geo.api.gouv.fr's [{nom, code}]) keeps those stored. */
	st = db_prepare(db,
			"INSERT INTO departement (code, name, folded, lat, lon) VALUES ($1, $2, $3, $4, $5) "
			"ON CONFLICT (code) DO UPDATE SET name = excluded.name, folded = excluded.folded, "
			"lat = coalesce(excluded.lat, departement.lat), "
			"lon = coalesce(excluded.lon, departement.lon)");
	if (!st)
		return -ERR_DB;
	char b1[G_ASCII_DTOSTR_BUF_SIZE], b2[G_ASCII_DTOSTR_BUF_SIZE];
	db_bind_text(st, 1, d->code);
	db_bind_text(st, 2, d->name);
	db_bind_text(st, 3, geo_key_bare(a, d->name));
	bind_coord(st, 4, d->has_centre, d->lat, b1);
	bind_coord(st, 5, d->has_centre, d->lon, b2);
	int rc = db_run(st);
	return rc < 0 ? rc : !existed;
}

/* "($k, $k+1, …), (…)": @rows groups of @cols placeholders, numbered from $1. */
static const char *
placeholders(struct arena *a, int rows, int cols)
{
	GString *out = g_string_new(NULL);
	for (int r = 0, k = 1; r < rows; r++) {
		g_string_append(out, r ? ", (" : "(");
		for (int c = 0; c < cols; c++, k++)
			g_string_append_printf(out, c ? ", $%d" : "$%d", k);
		g_string_append_c(out, ')');
	}
	const char *s = arena_strndup(a, out->str, out->len);
	g_string_free(out, TRUE);
	return s;
}

enum { COMMUNE_COLS_N = 11 };

/* One INSERT … ON CONFLICT for the @n communes of @c (a batch: distinct codes, as
 * PostgreSQL requires of one statement's conflicting rows). */
static int
upsert_communes(struct db *db, struct arena *a, const struct geo_commune *c, int n)
{
	struct db_stmt *st = db_prepare(db, arena_printf(a,
		"INSERT INTO commune (insee, name, folded, folded_bare, type, parent_insee, "
		"dept_code, postal_code, lat, lon, population) VALUES %s "
		"ON CONFLICT (insee) DO UPDATE SET name = excluded.name, folded = excluded.folded, "
		"folded_bare = excluded.folded_bare, type = excluded.type, "
		"parent_insee = excluded.parent_insee, dept_code = excluded.dept_code, "
		"postal_code = excluded.postal_code, lat = excluded.lat, lon = excluded.lon, "
		"population = excluded.population", placeholders(a, n, COMMUNE_COLS_N)));
	if (!st)
		return -ERR_DB;
	char (*buf)[G_ASCII_DTOSTR_BUF_SIZE] = arena_alloc(a, (size_t)n * 2 * G_ASCII_DTOSTR_BUF_SIZE);
	for (int i = 0; i < n; i++) {
		int k = i * COMMUNE_COLS_N;
		db_bind_text(st, k + 1, c[i].insee);
		db_bind_text(st, k + 2, c[i].name);
		db_bind_text(st, k + 3, geo_key(a, c[i].name));
		db_bind_text(st, k + 4, geo_key_bare(a, c[i].name));
		db_bind_text(st, k + 5, c[i].type);
		db_bind_text(st, k + 6, c[i].parent_insee);
		db_bind_text(st, k + 7, c[i].dept_code);
		db_bind_text(st, k + 8, c[i].postal_code);
		bind_coord(st, k + 9, c[i].has_centre, c[i].lat, buf[2 * i]);
		bind_coord(st, k + 10, c[i].has_centre, c[i].lon, buf[2 * i + 1]);
		db_bind_int64(st, k + 11, c[i].population);
	}
	return db_run(st);
}

/* Replaces the postal codes of the @n communes of @c: one DELETE, then the pairs by
 * GEO_STORE_BATCH. */
static int
replace_postal(struct db *db, struct arena *a, const struct geo_commune *c, int n)
{
	GString *in = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append_printf(in, i ? ", $%d" : "$%d", i + 1);
	struct db_stmt *st = db_prepare(db, arena_printf(a,
		"DELETE FROM commune_postal WHERE insee IN (%s)", in->str));
	g_string_free(in, TRUE);
	if (!st)
		return -ERR_DB;
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 1, c[i].insee);
	int rc = db_run(st);
	/* The pairs, flattened, then written GEO_STORE_BATCH at a time. */
	GPtrArray *pairs = g_ptr_array_new();
	for (int i = 0; i < n; i++)
		for (int j = 0; j < c[i].n_postal; j++) {
			g_ptr_array_add(pairs, (char *)c[i].postal_codes[j]);
			g_ptr_array_add(pairs, (char *)c[i].insee);
		}
	int total = (int)pairs->len / 2;
	for (int from = 0; !rc && from < total; from += GEO_STORE_BATCH) {
		int m = MIN(GEO_STORE_BATCH, total - from);
		st = db_prepare(db, arena_printf(a, "INSERT INTO commune_postal (postal_code, insee) "
						    "VALUES %s ON CONFLICT DO NOTHING", placeholders(a, m, 2)));
		if (!st) {
			rc = -ERR_DB;
			break;
		}
		for (int k = 0; k < 2 * m; k++)
			db_bind_text(st, k + 1, pairs->pdata[2 * from + k]);
		rc = db_run(st);
	}
	g_ptr_array_free(pairs, TRUE);
	return rc;
}

int
geo_store_communes(struct db *db, struct arena *a, const struct geo_commune *c, int n)
{
	int rc = 0;
	for (int from = 0; !rc && from < n; from += GEO_STORE_BATCH) {
		int m = MIN(GEO_STORE_BATCH, n - from);
		rc = upsert_communes(db, a, c + from, m);
		if (!rc)
			rc = replace_postal(db, a, c + from, m);
	}
	return rc;
}

int64_t
geo_commune_count(struct db *db)
{
	return db_run_int(db_prepare(db, "SELECT count(*) FROM commune"));
}

#define COMMUNE_COLS "c.insee, c.name, c.type, c.parent_insee, c.dept_code, c.postal_code, " \
		     "c.lat, c.lon, c.population"

static void
read_commune(struct db_stmt *st, struct arena *a, struct geo_commune *c)
{
	*c = (struct geo_commune){
		.insee = db_col_dup(st, a, 0), .name = db_col_dup(st, a, 1),
		.type = db_col_dup(st, a, 2), .parent_insee = db_col_dup(st, a, 3),
		.dept_code = db_col_dup(st, a, 4), .postal_code = db_col_dup(st, a, 5),
		.has_centre = !db_col_is_null(st, 6) && !db_col_is_null(st, 7),
		.lat = col_coord(st, 6), .lon = col_coord(st, 7),
		.population = db_col_int64(st, 8),
	};
}

int
geo_commune_get(struct db *db, struct arena *a, const char *insee, struct geo_commune *c)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COMMUNE_COLS " FROM commune c WHERE c.insee = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, insee);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_commune(st, a, c);
	db_finish(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? -ERR_NOTFOUND : rc;
}

int
geo_communes_populated(struct db *db, struct arena *a, const char *dept, struct geo_commune **out,
		       int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COMMUNE_COLS " FROM commune c "
		"WHERE c.type = 'COM' AND c.population > 0 AND c.lat IS NOT NULL "
		"AND ($1 = '' OR c.dept_code = $1) ORDER BY c.insee");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, dept ? dept : "");
	int cap = 0, rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct geo_commune *grown = arena_alloc(a, (size_t)cap * sizeof **out);
			if (*n)
				memcpy(grown, *out, (size_t)*n * sizeof **out);
			*out = grown;
		}
		read_commune(st, a, &(*out)[(*n)++]);
	}
	db_finish(st);
	return rc == DB_DONE ? 0 : rc;
}

int
geo_departement_get(struct db *db, struct arena *a, const char *code, struct geo_departement *d)
{
	struct db_stmt *st = db_prepare(db, "SELECT code, name, lat, lon FROM departement WHERE code = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*d = (struct geo_departement){
			.code = db_col_dup(st, a, 0), .name = db_col_dup(st, a, 1),
			.has_centre = !db_col_is_null(st, 2) && !db_col_is_null(st, 3),
			.lat = col_coord(st, 2), .lon = col_coord(st, 3),
		};
	}
	db_finish(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? -ERR_NOTFOUND : rc;
}

/* Appends the rows of @st (code, name, postal code or NULL, département) to @out as
 * suggestions of @kind, up to @max in all. Returns the new count or -ERR_DB. */
static int
collect(struct db_stmt *st, struct arena *a, enum geo_kind kind, struct geo_suggestion *out,
	int n, int max)
{
	int rc = DB_DONE;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		struct geo_suggestion *s = &out[n++];
		s->kind = kind;
		s->code = db_col_dup(st, a, 0);
		s->name = db_col_dup(st, a, 1);
		s->postal_code = db_col_dup(st, a, 2);
		s->dept_code = db_col_dup(st, a, 3);
		s->label = arena_printf(a, "%s (%s)", s->name, kind == GEO_COMMUNE ? s->postal_code : s->code);
	}
	db_finish(st);
	return n < max && rc < 0 ? rc : n;
}

int
geo_suggest(struct db *db, struct arena *a, const char *text, struct geo_suggestion *out, int max)
{
	const char *key = geo_key(a, text);
	if (strlen(key) < 2 || max <= 0)
		return 0;
	if (max > GEO_SUGGEST_MAX)
		max = GEO_SUGGEST_MAX;
	const char *end = geo_prefix_end(a, key);
	bool digits = strspn(key, "0123456789") == strlen(key);
	/* Départements first, by code: a name prefix, or a code prefix for digits ("29"). */
	struct db_stmt *st = db_prepare(db, digits
		? "SELECT code, name, NULL, code FROM departement WHERE code >= $1 AND code < $2 "
		  "ORDER BY code LIMIT $3"
		: "SELECT code, name, NULL, code FROM departement WHERE folded >= $1 AND folded < $2 "
		  "ORDER BY code LIMIT $3");
	if (!st)
		return -ERR_DB;
	/* Départements are keyed without their article (La Réunion is "reunion"). */
	const char *dkey = digits ? key : geo_key_bare(a, text);
	db_bind_text(st, 1, dkey);
	db_bind_text(st, 2, geo_prefix_end(a, dkey));
	db_bind_int64(st, 3, max);
	int n = collect(st, a, GEO_DEPARTEMENT, out, 0, max);
	if (n < 0 || n == max)
		return n;
	/* Then communes by population. With digits, the typed code's smallest match is the one
	 * shown, one line per commune (Toulouse's six codes make one line). */
	st = db_prepare(db, digits
		? "SELECT c.insee, c.name, min(p.postal_code), c.dept_code FROM commune_postal p "
		  "JOIN commune c ON c.insee = p.insee "
		  "WHERE p.postal_code >= $1 AND p.postal_code < $2 AND c.type <> 'COMD' "
		  "GROUP BY c.insee, c.name, c.dept_code, c.population "
		  "ORDER BY c.population DESC, c.name, c.insee LIMIT $3"
		: "SELECT c.insee, c.name, c.postal_code, c.dept_code FROM commune c "
		  "WHERE ((c.folded >= $1 AND c.folded < $2) OR (c.folded_bare >= $1 AND c.folded_bare < $2)) "
		  "AND c.type <> 'COMD' ORDER BY c.population DESC, c.name, c.insee LIMIT $3");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, end);
	db_bind_int64(st, 3, max - n);
	return collect(st, a, GEO_COMMUNE, out, n, max);
}
