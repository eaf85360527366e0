/* agenda_page_use.c — the /agenda page's listings, one source at a time. */
#include "agenda/agenda_page_use.h"

#include "agenda/agenda_page_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"

#include <string.h>

/* Appends to the @n items of *@items the rows every feature gives for @q; sets *@partial
 * when a source could not be read. The new count, or a negative err. */
static int
add_feature_rows(const struct ctx *app, struct db *db, struct arena *a,
		 const struct agenda_rows_query *q, struct agenda_item **items, int n,
		 bool *partial)
{
	const struct feature_table *t = &app->features;
	for (size_t f = 0; f < t->n; f++) {
		struct agenda_row *rows;
		if (!t->items[f]->agenda_rows)
			continue;
		int k = t->items[f]->agenda_rows(app, db, a, q, &rows);
		if (k == -ERR_UNAVAILABLE) {
			*partial = true;
			continue;
		}
		if (k <= 0) {
			if (k < 0)
				return k;
			continue;
		}
		struct agenda_item *all = arena_alloc(a, sizeof(*all) * (size_t)(n + k));
		if (n)
			memcpy(all, *items, sizeof(*all) * (size_t)n);
		for (int i = 0; i < k; i++)
			agenda_item_of_row(&rows[i], &all[n + i]);
		*items = all;
		n += k;
	}
	return n;
}

static int
with_feature_rows(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		  const struct agenda_period *p, int64_t now, bool mine, struct agenda_item **out,
		  int n, bool *partial)
{
	struct agenda_rows_query q = {
		.mine = mine, .counselor_id = u->id, .structure_id = u->structure_id,
		.timezone = u->timezone, .from_day = clock_day_iso(a, p->first_day),
		.to_day = clock_day_iso(a, p->last_day), .from = p->from, .to = p->to, .now = now,
	};
	*partial = false;
	if (u->structure_id)
		n = add_feature_rows(app, db, a, &q, out, n, partial);
	if (n > 0)
		agenda_items_sort(*out, n);
	return n;
}

int
agenda_page_mine(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		 const struct agenda_period *p, int64_t now, struct agenda_item **out,
		 bool *partial)
{
	int n = agenda_page_store_mine(db, a, u->id, p->from, p->to, out);
	if (n < 0)
		return n;
	return with_feature_rows(app, db, a, u, p, now, true, out, n, partial);
}

int
agenda_page_structure(const struct ctx *app, struct db *db, struct arena *a,
		      const struct user *u, const struct agenda_period *p, int64_t now,
		      struct agenda_item **out, bool *partial)
{
	*out = NULL;
	*partial = false;
	if (!u->structure_id)
		return 0;
	int n = agenda_page_store_structure(db, a, u->structure_id, u->id, p->from, p->to, out);
	if (n < 0)
		return n;
	return with_feature_rows(app, db, a, u, p, now, false, out, n, partial);
}
