/* sessions_cache.h — the sessions of a structure over a period, as S1 last gave them,
 * kept SESSIONS_CACHE_TTL_S seconds per (structure, first day, last day): the counselors of
 * a Mission Locale opening the agenda together cost i-milo one call, not one each, within
 * the 3 calls a second the client allows (spec/imilo.md §2). A write of cej to a session
 * forgets its structure's entries, so the writer's next page reads i-milo again.
 *
 * One node's memory, holding nothing another node needs (a miss only reads i-milo).
 * Thread-safe. Entries are deep copies: what get() returns lives in the caller's arena. */
#ifndef CEJ_SESSIONS_CACHE_H
#define CEJ_SESSIONS_CACHE_H

#include "imilo/imilo_sessions.h"

#define SESSIONS_CACHE_TTL_S 20

/* The cached sessions of @structure over [@from_day, @to_day], copied into @a: count, or
 * -1 when there is no fresh entry. */
int sessions_cache_get(struct arena *a, const char *structure, const char *from_day,
		       const char *to_day, struct imilo_session **out);
void sessions_cache_put(const char *structure, const char *from_day, const char *to_day,
			const struct imilo_session *s, int n);
/* Forgets every period of @structure (its i-milo code). */
void sessions_cache_forget(const char *structure);

#endif
