/* offers_cache.h — a page of search results kept per (criteria, page) while the catalogue
 * does not change, OFFERS_CACHE_TTL_S seconds at most: the search pages of both spaces ask
 * offers_search_cached, which answers from memory when the same page of the same criteria
 * was computed on the catalogue's current version (offers_search_store_version: +1 at every
 * write of an offer, by any process or node).
 *
 * Why: the catalogue changes when a provider's sync runs (hourly at best, offers.md §8.3),
 * while one search page is asked again and again — its pager, the back button, a shared
 * link or alert, the same "vendeur" around the same city by the counselors of a Mission
 * Locale — and a search with keywords around a big city ranks every match (493 offers for
 * "vendeur" within 10 km of Paris at 500,000 offers: 4 ms of CPU, bench/README.md), where
 * reading the version costs one row. The TTL only bounds what memory keeps.
 *
 * One node's memory, holding nothing another node needs (a miss only searches). Thread-safe.
 * Entries are deep copies: what a hit returns lives in the caller's arena. The alerts and
 * the benchmark of the query (bench/offers.sh) call offers_search itself. */
#ifndef CEJ_OFFERS_CACHE_H
#define CEJ_OFFERS_CACHE_H

#include "offers/offers_search.h"

#define OFFERS_CACHE_TTL_S 600

/* offers_search(), through the cache. Same arguments, results and errors. */
int offers_search_cached(struct db *db, struct arena *a, struct offers_text *t,
			 const struct offers_criteria *c, int page, struct offers_result *out,
			 struct refusal *why);

#endif
