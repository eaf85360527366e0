/* sessions_cache.c — S1's answers kept a few seconds (sessions_cache.h). */
#include "sessions/sessions_cache.h"

#include "base/arena.h"

#include <glib.h>
#include <string.h>

#define MAX_ENTRIES 512   /* periods × structures a node serves within the TTL */

struct entry {
	struct arena *a;
	gint64 expires_us;    /* monotonic */
	struct imilo_session *s;
	int n;
};

static GMutex lock;
static GHashTable *entries;   /* "structure|from|to" -> struct entry *, under lock */

static void
entry_free(gpointer p)
{
	struct entry *e = p;
	arena_free(e->a);
	g_free(e);
}

static void
copy_offre(struct arena *a, struct imilo_offre *d, const struct imilo_offre *s)
{
	d->id = arena_strdup(a, s->id);
	d->nom = arena_strdup(a, s->nom);
	d->theme = arena_strdup(a, s->theme);
	d->type = arena_strdup(a, s->type);
	d->description = arena_strdup(a, s->description);
	d->partenaire = arena_strdup(a, s->partenaire);
}

static void
copy_session(struct arena *a, struct imilo_session *d, const struct imilo_session *s)
{
	*d = *s;
	d->id = arena_strdup(a, s->id);
	d->nom = arena_strdup(a, s->nom);
	d->date_max = arena_strdup(a, s->date_max);
	d->animateur = arena_strdup(a, s->animateur);
	d->lieu = arena_strdup(a, s->lieu);
	d->commentaire = arena_strdup(a, s->commentaire);
	d->my_statut = arena_strdup(a, s->my_statut);
	copy_offre(a, &d->offre, &s->offre);
	d->instances = NULL;
	if (s->n_instances <= 0)
		return;
	d->instances = arena_alloc(a, sizeof(*d->instances) * (size_t)s->n_instances);
	for (int i = 0; i < s->n_instances; i++) {
		const struct imilo_instance *from = &s->instances[i];
		d->instances[i] = (struct imilo_instance){
			.id = arena_strdup(a, from->id), .dossier_id = arena_strdup(a, from->dossier_id),
			.last_name = arena_strdup(a, from->last_name),
			.first_name = arena_strdup(a, from->first_name),
			.statut = arena_strdup(a, from->statut),
		};
	}
}

static struct imilo_session *
copy_all(struct arena *a, const struct imilo_session *s, int n)
{
	struct imilo_session *out = arena_alloc(a, sizeof(*out) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		copy_session(a, &out[i], &s[i]);
	return out;
}

static char *
key_of(const char *structure, const char *from_day, const char *to_day)
{
	return g_strconcat(structure, "|", from_day, "|", to_day, NULL);
}

int
sessions_cache_get(struct arena *a, const char *structure, const char *from_day,
		   const char *to_day, struct imilo_session **out)
{
	char *key = key_of(structure, from_day, to_day);
	int n = -1;

	g_mutex_lock(&lock);
	struct entry *e = entries ? g_hash_table_lookup(entries, key) : NULL;
	if (e && e->expires_us > g_get_monotonic_time()) {
		*out = copy_all(a, e->s, e->n);
		n = e->n;
	}
	g_mutex_unlock(&lock);
	g_free(key);
	return n;
}

void
sessions_cache_put(const char *structure, const char *from_day, const char *to_day,
		   const struct imilo_session *s, int n)
{
	struct entry *e = g_new0(struct entry, 1);

	e->a = arena_new();
	e->s = copy_all(e->a, s, n);
	e->n = n;
	e->expires_us = g_get_monotonic_time() + SESSIONS_CACHE_TTL_S * G_USEC_PER_SEC;
	g_mutex_lock(&lock);
	if (!entries)
		entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
	if (g_hash_table_size(entries) >= MAX_ENTRIES)
		g_hash_table_remove_all(entries);   /* rare: a crude bound beats a leak */
	g_hash_table_replace(entries, key_of(structure, from_day, to_day), e);
	g_mutex_unlock(&lock);
}

static gboolean
of_structure(gpointer key, gpointer value, gpointer prefix)
{
	(void)value;
	return g_str_has_prefix(key, prefix);
}

void
sessions_cache_forget(const char *structure)
{
	char *prefix = g_strconcat(structure, "|", NULL);

	g_mutex_lock(&lock);
	if (entries)
		g_hash_table_foreach_remove(entries, of_structure, prefix);
	g_mutex_unlock(&lock);
	g_free(prefix);
}
