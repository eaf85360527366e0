/* feature.c — what the layers above read across every feature's descriptor: the events of
 * the beneficiary's app (core/feature.h, app_events) and their window. */
#include "core/feature.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

static int
event_cmp(const void *pa, const void *pb)
{
	const struct app_event *a = pa, *b = pb;
	if (a->starts_at != b->starts_at)
		return a->starts_at < b->starts_at ? -1 : 1;
	return strcmp(a->href ? a->href : "", b->href ? b->href : "");
}

int
app_events_list(const struct feature_table *t, struct db *db, struct arena *a,
		const struct app_event_query *q, struct app_event **out, bool *partial)
{
	struct app_event *all = NULL;
	int n = 0;
	*out = NULL;
	if (partial)
		*partial = false;
	for (size_t i = 0; i < t->n; i++) {
		struct app_event *some;
		if (!t->items[i]->app_events)
			continue;
		int k = t->items[i]->app_events(db, a, q, &some);
		if (k == -ERR_UNAVAILABLE) {
			if (partial)
				*partial = true;
			continue;
		}
		if (k < 0)
			return k;
		if (!k)
			continue;
		struct app_event *more = arena_alloc(a, sizeof(*more) * (size_t)(n + k));
		if (n)
			memcpy(more, all, sizeof(*more) * (size_t)n);
		memcpy(more + n, some, sizeof(*more) * (size_t)k);
		all = more;
		n += k;
	}
	if (n > 1)
		qsort(all, (size_t)n, sizeof(*all), event_cmp);
	*out = all;
	return q->limit > 0 && n > q->limit ? q->limit : n;
}

int64_t
app_events_structure_end(int64_t now, const char *tz)
{
	int64_t last = clock_day_add_months(clock_day_of(now, tz), APP_EVENTS_MONTHS);
	return clock_day_at(last + 1, 0, 0, tz);
}
