/* agenda_page_seed.c — the agenda's demo week (`cej seed --demo`): what a newcomer sees on
 * /agenda after `make run`. Dates are offsets from the seeding day in each structure's
 * zone, so the week is always the current one. */
#include "agenda/agenda_page_use.h"

#include "agenda/agenda_page_store.h"
#include "agenda/agenda_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/ids.h"

#include <glib.h>
#include <string.h>

#define DEMO_PARTS_MAX 4

/* One demo event: when (days from today, local time), what, and who takes part (indexes
 * in the portfolio, or in the structure's pool for an AC; -1 ends the list). */
struct demo_event {
	int day, hour, minute, duration;
	enum event_type type;
	const char *title;           /* NULL: the fallback */
	enum event_modality modality;
	const char *organism, *description;
	int max;                     /* AC: 0 for no maximum */
	int parts[DEMO_PARTS_MAX];
};

static const struct demo_event rdv[] = {
	{-1, 10, 0, 45, EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER, NULL, MODALITY_ML, "", "", 0, {4, -1}},
	{0, 9, 30, 45, EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER, NULL, MODALITY_ML, "", "", 0, {0, -1}},
	{0, 14, 0, 60, EVENT_VISITE, "Visite d’une entreprise du bâtiment", MODALITY_NONE,
	 "Entreprise partenaire", "Découverte des métiers du gros œuvre.", 0, {1, -1}},
	{1, 10, 0, 30, EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER, NULL, MODALITY_PHONE, "", "", 0, {2, -1}},
	{2, 11, 0, 90, EVENT_ACTIVITES_EXTERIEURES, "Forum de l’alternance", MODALITY_NONE,
	 "", "Rencontre avec des employeurs qui recrutent en alternance.", 0, {0, 1, 3, -1}},
	{3, 16, 0, 45, EVENT_ENTRETIEN_PARTENAIRE, NULL, MODALITY_VISIO, "France Travail", "", 0,
	 {3, -1}},
	{5, 9, 0, 60, EVENT_PRESTATION, "Bilan de compétences", MODALITY_ML_PERMANENCE, "", "", 0,
	 {4, -1}},
};

static const struct demo_event ac[] = {
	{-1, 14, 0, 120, EVENT_ATELIER, "Simulation d’entretien avec des recruteurs", MODALITY_ML,
	 "", "Des recruteurs du territoire font passer des entretiens.", 10, {0, 4, -1}},
	{1, 9, 30, 120, EVENT_ATELIER, "Préparer son entretien d’embauche", MODALITY_ML, "",
	 "Se présenter, parler de son parcours, répondre aux questions difficiles.", 8,
	 {0, 1, 4, -1}},
	{2, 14, 0, 90, EVENT_INFORMATION_COLLECTIVE, "Découvrir le service civique", MODALITY_ML,
	 "", "Les missions, l’indemnité, comment candidater.", 3, {1, 2, 3, -1}},
	{3, 14, 0, 60, EVENT_INFORMATION_COLLECTIVE, "Les aides à la mobilité", MODALITY_VISIO, "",
	 "Permis de conduire, transport, logement : les aides possibles.", 0, {-1}},
	{4, 10, 0, 180, EVENT_ATELIER, "Atelier CV et lettre de motivation", MODALITY_ML, "", "", 0,
	 {3, 4, -1}},
};

/* The ids of @d's participants among @pool (@n): those that exist. */
static int
pick(const struct demo_event *d, struct agenda_person *pool, int n, const char **ids)
{
	int k = 0;
	for (int i = 0; i < DEMO_PARTS_MAX && d->parts[i] >= 0; i++)
		if (d->parts[i] < n)
			ids[k++] = pool[d->parts[i]].id;
	return k;
}

static int
add_event(struct db *db, struct arena *a, const struct agenda_demo_counselor *c, int64_t now,
	  const struct demo_event *d, struct agenda_person *pool, int n)
{
	const char *ids[DEMO_PARTS_MAX];
	int k = pick(d, pool, n, ids);
	if (!k && !agenda_is_collective(d->type))
		return 0;   /* a RDV needs someone: a portfolio too small skips it */
	char *id = arena_alloc(a, UUID_STRLEN + 1);
	id_uuid7(now, id);
	int64_t today = clock_day_of(now, c->timezone);
	struct event e = {
		.id = id, .type = d->type, .title = d->title, .description = d->description,
		.modality = d->modality,
		.starts_at = clock_day_at(today + d->day, d->hour, d->minute, c->timezone),
		.duration_min = d->duration, .address = "", .organism = d->organism,
		.presence = agenda_presence(d->type, true), .creator_id = c->id,
		.creator_first_name = c->first_name, .creator_last_name = c->last_name,
		.structure_id = c->structure_id, .created_at = now, .updated_at = now,
		.max_participants = d->max,
	};
	int rc = agenda_store_insert(db, &e);
	if (!rc)
		rc = agenda_store_set_participants(db, id, ids, k, now);
	return rc;
}

/* The pool of the AC of @structure_id: the portfolios of its counselors, one after the
 * other (the indexes of ac[] stay below 5: one demo portfolio fills every AC). */
static int
structure_pool(struct db *db, struct arena *a, const struct agenda_demo_counselor *all, int n,
	       const char *structure_id, struct agenda_person **out)
{
	GArray *pool = g_array_new(FALSE, FALSE, sizeof(struct agenda_person));
	int rc = 0;
	for (int i = 0; !rc && i < n; i++) {
		struct agenda_person *p;
		int m = strcmp(all[i].structure_id, structure_id) ? 0
			: agenda_store_portfolio(db, a, all[i].id, &p);
		if (m < 0)
			rc = m;
		else if (m > 0)
			g_array_append_vals(pool, p, (guint)m);
	}
	int len = (int)pool->len;
	*out = arena_alloc(a, sizeof(**out) * (pool->len + 1));
	memcpy(*out, pool->data, sizeof(**out) * pool->len);
	g_array_free(pool, TRUE);
	return rc ? rc : len;
}

/* Is @c the first counselor of their structure in @all (the one who creates its AC)? */
static bool
first_of_structure(const struct agenda_demo_counselor *all, int i)
{
	for (int j = 0; j < i; j++)
		if (!strcmp(all[j].structure_id, all[i].structure_id))
			return false;
	return true;
}

static int
seed_counselor(struct db *db, struct arena *a, const struct agenda_demo_counselor *all, int n,
	       int i, int64_t now)
{
	struct agenda_person *mine, *pool;
	int m = agenda_store_portfolio(db, a, all[i].id, &mine), rc = m < 0 ? m : 0;
	for (size_t j = 0; !rc && j < G_N_ELEMENTS(rdv); j++)
		rc = add_event(db, a, &all[i], now, &rdv[j], mine, m);
	if (rc || !first_of_structure(all, i))
		return rc;
	int p = structure_pool(db, a, all, n, all[i].structure_id, &pool);
	rc = p < 0 ? p : 0;
	for (size_t j = 0; !rc && j < G_N_ELEMENTS(ac); j++)
		rc = add_event(db, a, &all[i], now, &ac[j], pool, p);
	return rc;
}

int
agenda_seed_demo(struct db *db, int64_t now)
{
	struct arena *a = arena_new();
	struct agenda_demo_counselor *all;
	int n = agenda_page_store_counselors(db, a, &all), rc = n < 0 ? n : 0;
	for (int i = 0; !rc && i < n; i++) {
		int made = agenda_page_store_created(db, all[i].id);
		/* Idempotent: a counselor with events already has their demo week. */
		rc = made < 0 ? made : made ? 0 : seed_counselor(db, a, all, n, i, now);
	}
	arena_free(a);
	return rc;
}
