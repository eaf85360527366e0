/* offers_recent.h — "the last 3 searches, kept on the device" of the app's search home
 * (youth-app.md §8). Kept in a cookie, not in the database: the spec keeps them on the
 * device, and a cookie works without JavaScript. The server sets it when a search runs
 * (/app/offres/recherche?…&recherche=1) and reads it on /app/offres (offers_recent_app.c).
 *
 * The cookie's value is at most OFFERS_RECENT_MAX criteria query strings, most recent
 * first, joined by '|': each is the query string offers_query_string writes (offers_query.h:
 * the one mapping of the criteria), so it holds only unreserved characters, '%', '=' and
 * '&' — all allowed in a cookie value, and never '|'. The browser gives the value back, so
 * it is checked as untrusted input when read: an entry is kept only when it is exactly what
 * offers_query_string writes for what it parses to, and its criteria pass
 * offers_criteria_parse. A tampered entry is dropped, never shown.
 *
 * Pure: no I/O. Strings are arena-owned or the caller's. */
#ifndef CEJ_OFFERS_RECENT_H
#define CEJ_OFFERS_RECENT_H

#include <stdbool.h>

struct arena;
struct offers_criteria;

/* The name's prefix: each young person has their own cookie (offers_recent_app.c). */
#define OFFERS_RECENT_COOKIE "cej_recherches"
#define OFFERS_RECENT_MAX 3
/* Bytes of one query string: a longer search (a paragraph of keywords) is not kept, so
 * that the cookie stays under 1 KB whatever was typed. */
#define OFFERS_RECENT_ENTRY_MAX 300
/* Seconds: renewed by each search; a device left alone for 90 days forgets them. */
#define OFFERS_RECENT_MAX_AGE (90 * 24 * 3600)

/* Whether @query is a search worth keeping: at most OFFERS_RECENT_ENTRY_MAX bytes, exactly
 * offers_query_string's output for what it parses to, and criteria that
 * offers_criteria_parse accepts (into *@c when @c is not NULL). */
bool offers_recent_valid(struct arena *a, const char *query, struct offers_criteria *c);

/* The searches of cookie value @value (NULL: none) into @out, most recent first: the valid
 * entries (offers_recent_valid), each once, at most OFFERS_RECENT_MAX. Count (0…3). */
int offers_recent_decode(struct arena *a, const char *value, const char *out[OFFERS_RECENT_MAX]);

/* Puts @query first in @list of @n searches (most recent first): a search already there
 * moves to the top, the oldest falls beyond OFFERS_RECENT_MAX. The caller checked @query.
 * The new count. */
int offers_recent_add(const char *query, const char *list[OFFERS_RECENT_MAX], int n);

/* The cookie's value for @list of @n searches ("" for none). Arena-owned. */
char *offers_recent_encode(struct arena *a, const char *const *list, int n);

#endif
