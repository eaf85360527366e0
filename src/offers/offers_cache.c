/* offers_cache.c — pages of search results kept while the catalogue holds (offers_cache.h). */
#include "offers/offers_cache.h"

#include "base/arena.h"
#include "offers/offers.h"
#include "offers/offers_search_store.h"

#include <glib.h>
#include <string.h>

#define MAX_ENTRIES 2048   /* a page of 10 cards: a few ko each */

struct entry {
	struct arena *a;
	gint64 expires_us;    /* monotonic */
	int64_t version;      /* the catalogue's when it was computed */
	struct offers_result r;
};

static GMutex lock;
static GHashTable *entries;   /* key_of() -> struct entry *, under lock */

static void
entry_free(gpointer p)
{
	struct entry *e = p;
	arena_free(e->a);
	g_free(e);
}

/* Every criterion that changes the results, and the page. */
static char *
key_of(const struct offers_criteria *c, int page)
{
	return g_strdup_printf("%d|%s|%s|%s|%s|%d|%u|%u|%d|%s|%s|%" G_GINT64_FORMAT "|%d",
			       (int)c->type, c->number ? c->number : "",
			       c->keywords ? c->keywords : "", c->commune ? c->commune : "",
			       c->departement ? c->departement : "", c->distance_km, c->contracts,
			       c->work_times, c->beginner, c->domain ? c->domain->slug : "",
			       c->start_from ? c->start_from : "", c->first_seen_after, page);
}

static void
copy_hit(struct arena *a, struct offers_hit *d, const struct offers_hit *s)
{
	*d = *s;
	const char **str[] = {&d->id, &d->title, &d->company, &d->place_label, &d->postal_code,
			      &d->commune_insee, &d->dept_code, &d->rome_code,
			      &d->appellation_label, &d->contract_code, &d->contract_label,
			      &d->work_time, &d->work_time_label, &d->experience_code, &d->domain};
	for (size_t i = 0; i < G_N_ELEMENTS(str); i++)
		*str[i] = arena_strdup(a, *str[i]);
}

static void
copy_result(struct arena *a, struct offers_result *d, const struct offers_result *s)
{
	*d = *s;
	for (int i = 0; i < s->n; i++)
		copy_hit(a, &d->hits[i], &s->hits[i]);
}

static bool
get(const char *key, int64_t version, struct arena *a, struct offers_result *out)
{
	bool hit = false;
	g_mutex_lock(&lock);
	struct entry *e = entries ? g_hash_table_lookup(entries, key) : NULL;
	if (e && e->version == version && e->expires_us > g_get_monotonic_time()) {
		copy_result(a, out, &e->r);
		hit = true;
	}
	g_mutex_unlock(&lock);
	return hit;
}

static void
put(char *key, int64_t version, const struct offers_result *r)
{
	struct entry *e = g_new0(struct entry, 1);
	e->version = version;
	e->a = arena_new();
	copy_result(e->a, &e->r, r);
	e->expires_us = g_get_monotonic_time() + OFFERS_CACHE_TTL_S * G_USEC_PER_SEC;
	g_mutex_lock(&lock);
	if (!entries)
		entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
	if (g_hash_table_size(entries) >= MAX_ENTRIES)
		g_hash_table_remove_all(entries);   /* rare: a crude bound beats a leak */
	g_hash_table_replace(entries, key, e);
	g_mutex_unlock(&lock);
}

int
offers_search_cached(struct db *db, struct arena *a, struct offers_text *t,
		     const struct offers_criteria *c, int page, struct offers_result *out,
		     struct refusal *why)
{
	int64_t version = offers_search_store_version(db);
	if (version < 0)
		return (int)version;
	char *key = key_of(c, page);
	if (get(key, version, a, out)) {
		g_free(key);
		return 0;
	}
	int rc = offers_search(db, a, t, c, page, out, why);
	if (rc == 0)
		put(key, version, out);   /* takes the key */
	else
		g_free(key);
	return rc;
}
