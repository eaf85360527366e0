/* bench/offers_alerts_bench.c — one alert run measured in-process (bench/offers_alerts.sh
 * runs it):
 *
 *   bench_offers_alerts DATABASE_URL SEARCHES
 *
 * On a catalogue made by `cej offers demo` (offers_alerts.sh makes it), models one day:
 * every offer's first_seen_at becomes its provider_created_at (the demo spreads them over
 * --days, and --today ones since midnight), so the offers seen for the first time in the
 * last 24 hours are "new". Then SEARCHES saved searches (50 per beneficiary, 10 per cent
 * Service civique) are written with criteria drawn the same way every run — Emploi
 * (55 %), Alternance (15 %) and Immersion (20 %) keywords among the demo's métiers, a
 * commune of an offer of their type (10 km, or the département for a third of the Emploi
 * and Alternance ones), Service civique a commune only — each last alerted 24 hours ago.
 * Then the two runs of the day, offers_alerts_run() for 09:00 (Emploi, Alternance,
 * Immersion) and 11:00 (Service civique), are timed: wall clock and the thread's CPU time,
 * searches per second, how many had new offers. A benchmark: exits 0 whatever the numbers,
 * non-zero only when the set-up fails. */
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/db.h"
#include "offers/offers.h"
#include "offers/offers_alerts.h"
#include "offers/offers_saved.h"
#include "offers/offers_saved_store.h"
#include "offers/offers_search.h"
#include "offers/offers_text.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_MS (24 * 3600 * 1000LL)

static uint64_t
mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t
wall_us(void)
{
	return g_get_monotonic_time();
}

static int64_t
cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
count1(struct db *db, const char *sql, int64_t p1)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	if (strchr(sql, '$'))
		db_bind_int64(st, 1, p1);
	return db_run_int(st);
}

/* The communes of the active offers of @type, in @a. */
static int
communes(struct db *db, struct arena *a, const char *type, const char ***out)
{
	struct db_stmt *st = db_prepare(db, "SELECT DISTINCT commune_insee FROM offer WHERE type = $1 "
				       "AND active = 1 AND commune_insee IS NOT NULL ORDER BY 1");
	if (!st)
		return -1;
	db_bind_text(st, 1, type);
	GPtrArray *l = g_ptr_array_new();
	while (db_step(st) == DB_ROW)
		g_ptr_array_add(l, db_col_dup(st, a, 0));
	db_finish(st);
	int n = (int)l->len;
	*out = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
	memcpy(*out, l->pdata, sizeof(char *) * (size_t)n);
	g_ptr_array_free(l, TRUE);
	return n;
}

/* Keywords a young person types: words of the demo's métier titles. */
static const char *const keywords[] = {
	"vendeur", "caissier", "serveur", "cuisinier", "boulanger", "coiffeur", "aide-soignant",
	"agent d'entretien", "magasinier", "préparateur de commandes", "électricien", "plombier",
	"maçon", "peintre", "mécanicien", "chauffeur", "assistant administratif", "comptable",
	"animateur", "auxiliaire de vie", "développeur", "commercial", "employé polyvalent",
	"manutentionnaire", "jardinier", "esthéticienne", "pâtissier", "boucher", "livreur",
	"hôte d'accueil",
};

static int
make_searches(struct db *db, struct arena *a, int n, int64_t created)
{
	const char *sid, *cid;
	if (admin_store_structure(db, a, "BENCH", "ML du banc d'essai", "Europe/Paris", created, &sid) &&
	    admin_store_structure_id(db, a, "BENCH", &sid))
		return -1;
	struct admin_counselor co = {.email = "banc@alertes.fr", .first_name = "Banc",
				     .last_name = "Essai", .structure_id = sid};
	if (admin_store_counselor(db, a, &co, created, &cid))
		return -1;
	const char *types[] = {"EMPLOI", "ALTERNANCE", "IMMERSION", "SERVICE_CIVIQUE"};
	const char **places[4];
	int np[4];
	for (int i = 0; i < 4; i++)
		if ((np[i] = communes(db, a, types[i], &places[i])) <= 0)
			return -1;
	uint64_t seed = 42;
	if (db_tx_begin(db))
		return -1;
	const char *bid = NULL;
	for (int i = 0; i < n; i++) {
		if (i % OFFERS_SAVED_MAX == 0) {
			char *id = arena_alloc(a, UUID_STRLEN + 1);
			id_uuid7(created + i, id);
			struct admin_beneficiary b = {.id = id, .structure_id = sid, .counselor_id = cid,
				.first_name = "Jeune", .last_name = arena_printf(a, "Banc%d", i),
				.folded = arena_printf(a, "banc%d jeune", i),
				.email = arena_printf(a, "banc%d@alertes.fr", i),
				.dossier_id = arena_printf(a, "B%d", i), .dispositif = "CEJ",
				.activated_at = created};
			if (admin_store_beneficiary(db, &b, created))
				goto fail;
			bid = id;
		}
		unsigned r = (unsigned)(mix(&seed) % 100);
		int t = r < 55 ? 0 : r < 70 ? 1 : r < 90 ? 2 : 3;
		const char *place = places[t][mix(&seed) % (uint64_t)np[t]];
		json_t *c = json_object();
		json_object_set_new(c, "type", json_string(types[t]));
		if (t < 3)
			json_object_set_new(c, "motscles",
					    json_string(keywords[mix(&seed) % G_N_ELEMENTS(keywords)]));
		bool dept = t < 2 && mix(&seed) % 3 == 0;
		json_object_set_new(c, "lieu", json_string(dept ? arena_strndup(a, place,
			g_str_has_prefix(place, "97") ? 3 : 2) : place));
		if (!dept)
			json_object_set_new(c, "distance", json_string("10"));
		char *text = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(c);
		char *id = arena_alloc(a, UUID_STRLEN + 1);
		id_uuid7(created + i, id);
		struct saved_insert s = {.id = id, .beneficiary_id = bid, .name = "Recherche",
					 .type = types[t], .criteria = arena_strdup(a, text),
					 .source = "BENEFICIAIRE", .status = "accepted",
					 .created_at = created};
		free(text);
		if (offers_saved_store_insert(db, &s))
			goto fail;
	}
	return db_tx_commit(db);
fail:
	db_tx_rollback(db);
	return -1;
}

static void
run(struct db *db, struct offers_text *t, int64_t now, const char *label,
    const enum offer_type *types, int n)
{
	struct offers_alerts_stats s;
	int64_t w = wall_us(), c = cpu_us();
	int rc = offers_alerts_run(db, t, now, types, n, &s);
	double wall = (double)(wall_us() - w) / 1e6, cpu = (double)(cpu_us() - c) / 1e6;
	printf("%-28s %6d recherches  %6.2f s (CPU %6.2f s)  %7.0f recherches/s  %6d notifiées  "
	       "%d en échec%s\n", label, s.searched, wall, cpu,
	       wall > 0 ? s.searched / wall : 0, s.notified, s.failed, rc ? " (erreur)" : "");
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage : bench_offers_alerts URL_BASE RECHERCHES\n");
		return 2;
	}
	log_set_quiet(1);
	int n = atoi(argv[2]);
	struct db *db = db_open(argv[1]);
	if (!db || db_migrate_engine(db, embed_migrations, embed_migrations_count,
				     embed_pg_migrations, embed_pg_migrations_count))
		return 1;
	if (db_engine(db) == DB_SQLITE)
		db_exec(db, "PRAGMA cache_size = -262144");
	char *why = NULL;
	struct offers_text *t = offers_text_embedded(&why);
	if (!t)
		return 1;
	struct arena *a = arena_new();
	/* One day: first seen when the provider created them; the run just after the last. */
	if (db_exec(db, "UPDATE offer SET first_seen_at = coalesce(provider_created_at, first_seen_at)"))
		return 1;
	int64_t newest = count1(db, "SELECT max(first_seen_at) FROM offer", 0);
	int64_t now = newest + 60 * 1000;
	int64_t offers = count1(db, "SELECT count(*) FROM offer WHERE active = 1", 0);
	int64_t fresh = count1(db, "SELECT count(*) FROM offer WHERE first_seen_at > $1", now - DAY_MS);
	if (count1(db, "SELECT count(*) FROM offer_saved_search", 0) < n &&
	    make_searches(db, a, n, now - 30 * DAY_MS))
		return 1;
	/* Every search last alerted 24 h ago, on every run: a reused database (--reuse) holds
	 * the state its previous run left (alerted now, nothing new since). */
	struct db_stmt *st = db_prepare(db, "UPDATE offer_saved_search SET last_alert_day = NULL, "
					    "last_alert_state = NULL, last_alert_run_at = $1");
	if (!st)
		return 1;
	db_bind_int64(st, 1, now - DAY_MS);
	if (db_run(st))
		return 1;
	db_exec(db, "DELETE FROM notification WHERE type = 'NEW_OFFERS'");
	printf("catalogue : %" G_GINT64_FORMAT " offres actives, %" G_GINT64_FORMAT " vues pour la "
	       "première fois dans les dernières 24 h ; %" G_GINT64_FORMAT " recherches "
	       "sauvegardées ; moteur %s\n", offers, fresh,
	       count1(db, "SELECT count(*) FROM offer_saved_search", 0),
	       db_engine(db) == DB_POSTGRES ? "PostgreSQL" : "SQLite");
	const enum offer_type morning[] = {OFFER_EMPLOI, OFFER_ALTERNANCE, OFFER_IMMERSION};
	const enum offer_type sc[] = {OFFER_SERVICE_CIVIQUE};
	run(db, t, now, "09:00 emploi, alt., imm.", morning, 3);
	run(db, t, now, "11:00 service civique", sc, 1);
	run(db, t, now + 1000, "même jour, seconde fois", morning, 3);
	offers_text_free(t);
	arena_free(a);
	db_close(db);
	return 0;
}
