/* offers_search_store.h — the SQL of the offers' search (offers_search.h; tables offer,
 * offer_term, offer_search_stat of migrations 0034/0036, commune of 0035): one text per
 * query shape, the same on SQLite and PostgreSQL. */
#ifndef CEJ_OFFERS_SEARCH_STORE_H
#define CEJ_OFFERS_SEARCH_STORE_H

#include "offers/offers.h"
#include "offers/offers_search.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* A search resolved by offers_search(): terms analysed, the commune's centre read, BM25's
 * statistics applied. */
struct offers_query {
	enum offer_type type;
	const char *number;             /* only criterion when set */
	const char *const *terms;       /* distinct text terms (stems) … */
	const double *idf;              /* … and their BM25 idf */
	int n_terms;
	double bm25_a, bm25_b;          /* k1(1 − b), k1·b / avgdl: the length normalisation */
	const char *rome_code;          /* NULL: none */
	const char *departement;        /* NULL: none */
	const char *commune;            /* INSEE code, NULL: none */
	bool has_centre;                /* with commune: lat, lon are its centre */
	bool near;                      /* with commune: also within km of its centre */
	double lat, lon, km;
	unsigned contracts, work_times; /* offers_search.h's bit sets */
	bool beginner;
	int64_t first_seen_after;       /* 0: none; else first_seen_at > it */
	const char *domain;             /* NULL: none; else offer.domain = it (a label) */
	bool has_start;                 /* start_date >= start_from (an instant) */
	int64_t start_from;
};

/* How many offers are indexed, and the sum of their weighted lengths: 0 or -ERR_DB. */
int offers_search_store_stats(struct db *db, int64_t *docs, int64_t *total_len);
/* How many offers hold @term (its postings), or -ERR_DB. */
int64_t offers_search_store_df(struct db *db, const char *term);

/* How many offers match @q, counting at most @max rows; or -ERR_DB. */
int offers_search_store_count(struct db *db, struct arena *a, const struct offers_query *q,
			      int max);
/* Up to @limit matching offers from @offset, in the search's order (offers_search.h), into
 * @out; distances are filled when q->commune is set. With keywords (q->n_terms > 0) every
 * match is read to rank them, and counted in the same pass: *@total is then how many
 * match (when the page is not empty); -1 otherwise (offers_search_store_count). The number
 * of rows on the page, or -ERR_DB. */
int offers_search_store_page(struct db *db, struct arena *a, const struct offers_query *q,
			     int offset, int limit, struct offers_hit *out, int64_t *total);

/* The catalogue's version (offers_cache.h): +1 at every write of an offer and at a sync's
 * deactivations; 0 before the first offer. Or a negative err. */
int64_t offers_search_store_version(struct db *db);

#endif
