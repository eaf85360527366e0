/* offers_search_store.c — the SQL of the offers' search (offers_search_store.h).
 *
 * A query is written from its shape (how many terms, which place filter, which optional
 * filters): the text depends only on the shape, the values are bound, so each shape is
 * prepared once per connection. Everything is the same SQL on both engines; in particular
 * the haversine runs in SQL with sin, cos, radians and power, which PostgreSQL has and
 * Debian's SQLite has too (built with SQLITE_ENABLE_MATH_FUNCTIONS; `SELECT sin(1)` answers).
 * The distance test needs no asin: d ≤ D exactly when the haversine term
 * h = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) is ≤ sin²(D / 2R), computed here in C; the
 * distance shown is computed in C (geo_distance_km) from the position the row returns.
 *
 * Which rows a query starts from is written into the SQL, with CROSS JOIN (SQLite keeps
 * that order; PostgreSQL plans freely): SQLite runs without ANALYZE statistics and would
 * otherwise guess, e.g. walk every Emploi offer through the (type, active) index.
 *  - a commune: the offers of the bounding box of the circle (index offer_place, which
 *    holds the id) and those placed by the centre of a commune of the box
 *    (commune_position, offer_commune_type), each kept when within the distance, and the
 *    commune's own offers and its arrondissements' whatever their distance; with keywords,
 *    the same from the rarest term's postings (offer_term_place, offer_term_commune);
 *  - a département: its offers (offer_dept_type) by date;
 *  - keywords without a commune: the postings of the rarest term (in the département: the
 *    postings carry it), offers by primary key;
 *  - nothing: the offers of the type by date (offer_type_active_updated).
 * The other terms are then looked up per candidate on offer_term's primary key (term,
 * offer_id), before the offer's row is read: a candidate lacking one is dropped (all the
 * terms are required). */
#include "offers/offers_search_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"

#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

/* The statement being written: its text and its binds, in placeholder order. */
#define MAX_BINDS 48
struct sql {
	struct arena *a;
	GString *text;
	int n;
	struct {
		const char *text;      /* or, when NULL, */
		int64_t i;
	} bind[MAX_BINDS];
};

/* "$n" for text @v. */
static const char *
p_text(struct sql *b, const char *v)
{
	g_assert(b->n < MAX_BINDS);
	b->bind[b->n].text = v;
	return arena_printf(b->a, "$%d", ++b->n);
}

static const char *
p_int(struct sql *b, int64_t v)
{
	g_assert(b->n < MAX_BINDS);
	b->bind[b->n].text = NULL;
	b->bind[b->n].i = v;
	return arena_printf(b->a, "$%d", ++b->n);
}

/* A double: db.h binds no floating point, so it goes as text (17 digits, "." whatever the
 * locale) cast by the SQL — a text compared with an expression would otherwise compare as
 * text on SQLite. */
static const char *
p_double(struct sql *b, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *n = p_text(b, arena_strdup(b->a, g_ascii_dtostr(buf, sizeof(buf), v)));
	return arena_printf(b->a, "CAST(%s AS DOUBLE PRECISION)", n);
}

static void
add(struct sql *b, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void
add(struct sql *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_string_append_vprintf(b->text, fmt, ap);
	va_end(ap);
}

static struct db_stmt *
prepare(struct db *db, struct sql *b)
{
	struct db_stmt *st = db_prepare(db, b->text->str);
	if (!st)
		return NULL;
	for (int i = 0; i < b->n; i++) {
		if (b->bind[i].text)
			db_bind_text(st, i + 1, b->bind[i].text);
		else
			db_bind_int64(st, i + 1, b->bind[i].i);
	}
	return st;
}

/* ---- The pieces of a query ------------------------------------------------------------ */

/* The placeholders of the commune's centre, bound once per statement. */
struct centre {
	const char *phi, *cphi, *lambda;   /* latitude (rad), its cosine, longitude (rad) */
};

static struct centre
centre(struct sql *b, const struct offers_query *q)
{
	const double rad = M_PI / 180;
	struct centre c = {p_double(b, q->lat * rad), p_double(b, cos(q->lat * rad)),
			   p_double(b, q->lon * rad)};
	return c;
}

/* The haversine term h of position (@lat, @lon) (column names) from the centre. */
static const char *
haversine(struct sql *b, const struct centre *c, const char *lat, const char *lon)
{
	return arena_printf(b->a,
		"(power(sin((radians(%s) - %s) / 2), 2) + %s * cos(radians(%s)) * "
		"power(sin((radians(%s) - %s) / 2), 2))", lat, c->phi, c->cphi, lat, lon, c->lambda);
}

/* The candidates of a commune search, as "(…) p" with columns id, plat, plon (the offer's
 * position, or its commune's centre), every one a geographic match: the offers of the
 * commune and of its arrondissements whatever their distance, and when near, those within
 * the distance (the haversine test inside the bounding box).
 * With keywords, the postings of the rarest term (q->terms[0]) near the place only: they
 * carry the offer's position and commune, so no offer is read for those that fail, and
 * offer_term_commune / offer_term_place (0042) read just the commune's and the box's
 * latitude band's, rather than every posting of the term in the country. Without, the
 * commune's offers (offer_commune_type), the offers of the box (offer_place, which holds
 * the id: read from the index alone) and those without coordinates placed by a commune of
 * the box; grouped by id (an offer reached twice is one row). @type is the bind marker ($n)
 * of the type. */
static void
commune_candidates(struct sql *b, const struct offers_query *q, const char *type,
		   const struct centre *c)
{
	const char *insee = p_text(b, q->commune);
	const char *la = NULL, *lb = NULL, *lc = NULL, *ld = NULL, *hmax = NULL;
	if (q->near) {
		struct geo_box box = geo_bbox(q->lat, q->lon, q->km);
		double hs = sin(q->km / (2 * GEO_EARTH_RADIUS_KM));
		la = p_double(b, box.lat_min);
		lb = p_double(b, box.lat_max);
		lc = p_double(b, box.lon_min);
		ld = p_double(b, box.lon_max);
		hmax = p_double(b, hs * hs);
	}
	if (q->n_terms) {
		/* Two ranges of the rarest term's postings, each read from an index alone
		 * (0042): the commune's and its arrondissements' (offer_term_commune), and when
		 * near, the latitude band of the box (offer_term_place), longitude and distance
		 * tested on the index's row. UNION: a posting of both ranges is the same row. Its
		 * weight (w) comes along: the term is not looked up again for BM25. */
		const char *term = p_text(b, q->terms[0]);
		add(b, "(SELECT t.offer_id AS id, t.lat AS plat, t.lon AS plon, t.weight AS w "
		       "FROM (SELECT CAST(%s AS TEXT) AS insee UNION ALL "
		       "SELECT insee FROM commune WHERE parent_insee = %s) s "
		       "CROSS JOIN offer_term t WHERE t.term = %s AND t.commune_insee = s.insee",
		    insee, insee, term);
		if (q->near)
			add(b, " UNION SELECT t.offer_id, t.lat, t.lon, t.weight FROM offer_term t "
			       "WHERE t.term = %s AND t.lat BETWEEN %s AND %s AND t.lon BETWEEN %s AND %s "
			       "AND %s <= %s", term, la, lb, lc, ld, haversine(b, c, "t.lat", "t.lon"), hmax);
		add(b, ") p");
		return;
	}
	add(b, "(SELECT id, max(plat) AS plat, max(plon) AS plon FROM ("
	       "SELECT o.id AS id, coalesce(o.lat, c.lat) AS plat, coalesce(o.lon, c.lon) AS plon "
	       "FROM (SELECT CAST(%s AS TEXT) AS insee UNION ALL "
	       "SELECT insee FROM commune WHERE parent_insee = %s) s "
	       "CROSS JOIN offer o LEFT JOIN commune c ON c.insee = o.commune_insee "
	       "WHERE o.commune_insee = s.insee AND o.type = %s AND o.active = 1",
	    insee, insee, type);
	if (q->near)
		add(b, " UNION ALL SELECT o.id, o.lat, o.lon FROM offer o WHERE o.type = %s AND "
		       "o.active = 1 AND o.lat BETWEEN %s AND %s AND o.lon BETWEEN %s AND %s AND "
		       "%s <= %s UNION ALL SELECT o.id, c.lat, c.lon FROM commune c "
		       "CROSS JOIN offer o WHERE c.lat BETWEEN %s AND %s AND c.lon BETWEEN %s AND "
		       "%s AND %s <= %s AND o.commune_insee = c.insee AND o.type = %s AND "
		       "o.active = 1 AND o.lat IS NULL",
		    type, la, lb, lc, ld, haversine(b, c, "o.lat", "o.lon"), hmax,
		    la, lb, lc, ld, haversine(b, c, "c.lat", "c.lon"), hmax, type);
	add(b, ") u GROUP BY id) p");
}

/* " AND …" for the filters every shape applies to o. */
static void
filters(struct sql *b, const struct offers_query *q, const char *type)
{
	add(b, " AND o.type = %s AND o.active = 1", type);
	if (q->rome_code)
		add(b, " AND o.rome_code = %s", p_text(b, q->rome_code));
	if (q->contracts) {
		/* offers.md §1's groups; constants, written into the text. */
		static const char *const groups[] = {"'CDI', 'DIN'", "'CDD', 'MIS', 'SAI', 'DDI'",
			"'CCE', 'FRA', 'LIB', 'REP', 'TTI'"};
		const char *sep = "";
		add(b, " AND o.contract_code IN (");
		for (int i = 0; i < 3; i++)
			if (q->contracts & (1u << i)) {
				add(b, "%s%s", sep, groups[i]);
				sep = ", ";
			}
		add(b, ")");
	}
	if (q->work_times == OFFERS_TIME_FULL)
		add(b, " AND o.work_time = 'FULL'");
	else if (q->work_times == OFFERS_TIME_PARTIAL)
		add(b, " AND o.work_time = 'PARTIAL'");
	if (q->beginner)
		add(b, " AND o.experience_code = 'D'");
	if (q->first_seen_after)
		add(b, " AND o.first_seen_at > %s", p_int(b, q->first_seen_after));
	if (q->domain)
		add(b, " AND o.domain = %s", p_text(b, q->domain));
	/* A mission without a start date is not known to start on or after the day. */
	if (q->has_start)
		add(b, " AND o.start_date >= %s", p_int(b, q->start_from));
}

/* The FROM and WHERE of @q (with "p" the candidates of a commune search); *@score gets the
 * BM25 expression (or "0") and *@h the haversine term (or "NULL"). The terms t1…tn are
 * joined in the order of @q (the rarest first). */
static void
from_where(struct sql *b, const struct offers_query *q, bool ranked, const char **score,
	   const char **h)
{
	const char *type = p_text(b, offer_type_code(q->type));
	int first = 0;  /* the term the query starts from (no place), joined as t0 */
	int lookup = 0; /* the first term looked up per candidate */
	const char *id; /* the offer id of the driving rows */
	*h = "NULL";
	add(b, " FROM ");
	struct centre ctr = {0};
	if (q->commune && q->has_centre)
		ctr = centre(b, q);
	if (q->commune) {
		commune_candidates(b, q, type, &ctr);
		id = "p.id";
		lookup = q->n_terms ? 1 : 0;   /* the candidates carry term 0's weight, p.w */
	} else if (q->n_terms) {
		add(b, "offer_term t0");
		id = "t0.offer_id";
		first = lookup = 1;
	} else {
		add(b, "offer o");
		id = "o.id";
	}
	/* The terms before the offer's row: a candidate that lacks one is dropped by a lookup
	 * in offer_term's key, before its row of offer (wide: description, raw) is read. */
	for (int i = lookup; i < q->n_terms; i++)
		add(b, " CROSS JOIN offer_term t%d", i);
	bool driven = strcmp(id, "o.id") != 0;   /* o is looked up by the driver's id */
	if (driven)
		add(b, " CROSS JOIN offer o");
	if (driven)
		add(b, " WHERE o.id = %s", id);
	else
		add(b, " WHERE 1 = 1");
	if (first)
		add(b, " AND t0.term = %s", p_text(b, q->terms[0]));
	if (q->departement && !q->commune) {
		const char *dept = p_text(b, q->departement);
		if (first)   /* the postings carry the département: kept as they are read */
			add(b, " AND t0.dept_code = %s", dept);
		add(b, " AND o.dept_code = %s", dept);
	}
	for (int i = lookup; i < q->n_terms; i++)
		add(b, " AND t%d.term = %s AND t%d.offer_id = %s", i, p_text(b, q->terms[i]), i, id);
	filters(b, q, type);
	if (q->commune && q->has_centre)
		*h = haversine(b, &ctr, "p.plat", "p.plon");
	*score = "0";
	if (!ranked || !q->n_terms)
		return;
	/* BM25: Σ idf · tf (k1 + 1) / (tf + k1 (1 − b + b · len / avgdl)), tf the weighted
	 * count of offer_term, len the offer's weighted length. */
	GString *s = g_string_new(NULL);
	const char *k1 = p_double(b, OFFERS_BM25_K1 + 1);
	const char *na = p_double(b, q->bm25_a), *nb = p_double(b, q->bm25_b);
	for (int i = 0; i < q->n_terms; i++) {
		const char *w = i || !q->commune ? arena_printf(b->a, "t%d.weight", i) : "p.w";
		g_string_append_printf(s, "%s%s * %s * %s / (%s + %s + %s * o.term_len)",
				       i ? " + " : "", p_double(b, q->idf[i]), w, k1, w, na, nb);
	}
	*score = arena_strdup(b->a, s->str);
	g_string_free(s, TRUE);
}

/* ---- The queries ---------------------------------------------------------------------- */

int
offers_search_store_stats(struct db *db, int64_t *docs, int64_t *total_len)
{
	struct db_stmt *st = db_prepare(db, "SELECT docs, total_len FROM offer_search_stat WHERE id = 1");
	if (!st)
		return -ERR_DB;
	int rc = db_step(st);
	*docs = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	*total_len = rc == DB_ROW ? db_col_int64(st, 1) : 0;
	db_finish(st);
	return rc < 0 ? rc : 0;
}

int64_t
offers_search_store_df(struct db *db, const char *term)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM offer_term WHERE term = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, term);
	return db_run_int(st);
}

/* The columns of a hit (0–19), then plat, plon, score, h, and the count of the matches
 * when the query counts them (24). */
#define HIT_COLUMNS \
	"o.id, o.title, o.company, o.place_label, o.postal_code, o.commune_insee, o.dept_code, " \
	"o.rome_code, o.appellation_label, o.contract_code, o.contract_label, o.work_time, " \
	"o.work_time_label, o.experience_code, o.domain, o.type, o.voluntary, o.start_date, " \
	"o.provider_created_at, o.provider_updated_at"

static void
read_hit(struct db_stmt *st, struct arena *a, const struct offers_query *q, struct offers_hit *h)
{
	memset(h, 0, sizeof(*h));
	const char **t[] = {&h->id, &h->title, &h->company, &h->place_label, &h->postal_code,
		&h->commune_insee, &h->dept_code, &h->rome_code, &h->appellation_label,
		&h->contract_code, &h->contract_label, &h->work_time, &h->work_time_label,
		&h->experience_code, &h->domain};
	for (int i = 0; i < 15; i++)
		*t[i] = db_col_dup(st, a, i);
	offer_type_parse(db_col_text(st, 15), false, &h->type);
	h->voluntary = db_col_int64(st, 16);
	h->start_date = db_col_int64(st, 17);
	h->provider_created_at = db_col_int64(st, 18);
	h->provider_updated_at = db_col_int64(st, 19);
	if (q->commune && q->has_centre && !db_col_is_null(st, 20) && !db_col_is_null(st, 21)) {
		h->has_distance = true;
		h->distance_km = geo_distance_km(q->lat, q->lon, g_ascii_strtod(db_col_text(st, 20), NULL),
						 g_ascii_strtod(db_col_text(st, 21), NULL));
	}
	const char *score = db_col_text(st, 22);
	h->score = score ? g_ascii_strtod(score, NULL) : 0;
}

/* The one offer of number q->number (Emploi or Alternance, active). */
static void
number_query(struct sql *b, const struct offers_query *q, bool count)
{
	add(b, count ? "SELECT count(*)" : "SELECT " HIT_COLUMNS ", NULL, NULL, 0, NULL, NULL");
	add(b, " FROM offer o WHERE o.id = %s AND o.type IN ('EMPLOI', 'ALTERNANCE') AND "
	       "o.active = 1", p_text(b, q->number));
	if (q->first_seen_after)
		add(b, " AND o.first_seen_at > %s", p_int(b, q->first_seen_after));
	if (q->domain)
		add(b, " AND o.domain = %s", p_text(b, q->domain));
	/* A mission without a start date is not known to start on or after the day. */
	if (q->has_start)
		add(b, " AND o.start_date >= %s", p_int(b, q->start_from));
}

int
offers_search_store_count(struct db *db, struct arena *a, const struct offers_query *q, int max)
{
	struct sql b = {.a = a, .text = g_string_new(NULL)};
	if (q->number) {
		number_query(&b, q, true);
	} else {
		const char *score, *h;
		add(&b, "SELECT count(*) FROM (SELECT 1 AS one");
		from_where(&b, q, false, &score, &h);
		add(&b, " LIMIT %s) x", p_int(&b, max));
	}
	struct db_stmt *st = prepare(db, &b);
	g_string_free(b.text, TRUE);
	return st ? (int)db_run_int(st) : -ERR_DB;
}

int
offers_search_store_page(struct db *db, struct arena *a, const struct offers_query *q,
			 int offset, int limit, struct offers_hit *out, int64_t *total)
{
	struct sql b = {.a = a, .text = g_string_new(NULL)};
	if (q->number) {
		number_query(&b, q, false);
	} else {
		/* The select list goes first in the text but its expressions are known once the
		 * FROM is written: write the rest, then put the head before it. */
		const char *score, *h;
		from_where(&b, q, true, &score, &h);
		/* A search by keywords reads and ranks every match to give its first rows: it
		 * counts them in the same pass (a count query would read them all again). */
		g_string_prepend(b.text, arena_printf(a, "SELECT " HIT_COLUMNS ", %s, %s, %s AS score, "
						      "%s AS h, %s", q->commune ? "p.plat" : "NULL",
						      q->commune ? "p.plon" : "NULL", score, h,
						      q->n_terms ? "count(*) OVER ()" : "NULL"));
		/* Immersion: by distance, its métier (required) a filter rather than a query. */
		if (q->type == OFFER_IMMERSION && q->commune)
			add(&b, " ORDER BY h, o.id");
		else if (q->n_terms)
			add(&b, " ORDER BY score DESC, o.provider_updated_at DESC NULLS LAST, o.id");
		else if (q->type == OFFER_SERVICE_CIVIQUE)
			add(&b, " ORDER BY o.provider_created_at DESC NULLS LAST, o.id");
		else
			add(&b, " ORDER BY o.provider_updated_at DESC NULLS LAST, o.id");
		add(&b, " LIMIT %s", p_int(&b, limit));
		add(&b, " OFFSET %s", p_int(&b, offset));
	}
	struct db_stmt *st = prepare(db, &b);
	g_string_free(b.text, TRUE);
	if (!st)
		return -ERR_DB;
	int n = 0, rc = 0;
	*total = -1;
	while (n < limit && (rc = db_step(st)) == DB_ROW) {
		if (!db_col_is_null(st, 24))
			*total = db_col_int64(st, 24);
		read_hit(st, a, q, &out[n++]);
	}
	db_finish(st);
	return rc < 0 ? rc : n;
}

int64_t
offers_search_store_version(struct db *db)
{
	return db_run_int(db_prepare(db, "SELECT version FROM offer_search_stat WHERE id = 1"));
}
