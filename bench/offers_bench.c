/* bench/offers_bench.c — the offers' search measured in-process (bench/offers.sh runs it):
 *
 *   bench_offers DATABASE_URL N [GEO_DIR]
 *
 * Migrates the database, imports the communes (GEO_DIR, default data/geo) when there are
 * none, then, when the catalogue holds fewer than N offers, generates the missing ones —
 * deterministic: offer i is always the same — through offers_store_upsert(), so the index
 * of stems is built as an import builds it: Emploi (85 %) and Alternance offers over the
 * whole country, each on a commune drawn by population (its centre ± 2 km; 5 % without
 * coordinates, placed by their commune), titles from 40 métiers with their ROME code,
 * label and appellation, contracts CDI 40 % / CDD 35 % / MIS 15 % / others 10 %, full time
 * 75 %, beginners 50 %, updated over 30 days.
 * Then it times offers_search() (one thread, the same connection, a fresh arena each
 * call) for three searches, each over varied arguments drawn the same way every run:
 * keywords + commune + 10 km, département, offer number; and prints p50 / p99 / max and
 * what each search reads (postings of its terms, offers in the box or the département).
 * A benchmark: exits 0 whatever the numbers, non-zero only when the set-up fails. */
#include "base/arena.h"
#include "base/embed.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"
#include "geo/geo_import.h"
#include "geo/geo_store.h"
#include "offers/offers.h"
#include "offers/offers_search.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A small deterministic generator (splitmix64): offer i draws from seed i. */
static uint64_t
mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unit(uint64_t *s)
{
	return (double)(mix(s) >> 11) / 9007199254740992.0;
}

static const struct {
	const char *appellation, *rome, *label;
} metiers[] = {
	{"Vendeur en prêt-à-porter", "D1214", "Vente en habillement et accessoires de la personne"},
	{"Vendeur en boulangerie-pâtisserie", "D1106", "Vente en alimentation"},
	{"Conseiller de vente", "D1211", "Vente en articles de sport et loisirs"},
	{"Caissier", "D1505", "Personnel de caisse"},
	{"Employé de libre-service", "D1507", "Mise en rayon libre-service"},
	{"Boulanger", "D1102", "Boulangerie - viennoiserie"},
	{"Pâtissier", "D1104", "Pâtisserie, confiserie, chocolaterie et glacerie"},
	{"Boucher", "D1101", "Boucherie"},
	{"Cuisinier", "G1602", "Personnel de cuisine"},
	{"Commis de cuisine", "G1602", "Personnel de cuisine"},
	{"Serveur en restauration", "G1803", "Service en restauration"},
	{"Plongeur en restauration", "G1605", "Plonge en restauration"},
	{"Réceptionniste en hôtellerie", "G1703", "Réception en hôtellerie"},
	{"Aide-soignant", "J1501", "Soins d'hygiène, de confort du patient"},
	{"Auxiliaire de vie", "K1302", "Assistance auprès d'adultes"},
	{"Agent de service hospitalier", "J1301", "Personnel polyvalent des services hospitaliers"},
	{"Infirmier", "J1506", "Soins infirmiers généralistes"},
	{"Assistant maternel", "K1303", "Assistance auprès d'enfants"},
	{"Animateur périscolaire", "G1202", "Animation d'activités culturelles ou ludiques"},
	{"Agent d'entretien de locaux", "K2204", "Nettoyage de locaux"},
	{"Électricien du bâtiment", "F1602", "Électricité bâtiment"},
	{"Plombier chauffagiste", "F1603", "Installation d'équipements sanitaires et thermiques"},
	{"Maçon", "F1703", "Maçonnerie"},
	{"Peintre en bâtiment", "F1606", "Peinture en bâtiment"},
	{"Menuisier poseur", "F1607", "Pose de fermetures menuisées"},
	{"Couvreur", "F1610", "Pose et restauration de couvertures"},
	{"Manœuvre du BTP", "F1704", "Préparation du gros œuvre et des travaux publics"},
	{"Cariste", "N1101", "Conduite d'engins de déplacement des charges"},
	{"Préparateur de commandes", "N1103", "Magasinage et préparation de commandes"},
	{"Magasinier", "N1103", "Magasinage et préparation de commandes"},
	{"Chauffeur livreur", "N4105", "Conduite et livraison par tournées sur courte distance"},
	{"Conducteur de poids lourd", "N4101", "Conduite de transport de marchandises sur longue distance"},
	{"Mécanicien automobile", "I1604", "Mécanique automobile et entretien de véhicules"},
	{"Technicien de maintenance industrielle", "I1304", "Installation et maintenance d'équipements industriels"},
	{"Opérateur de production", "H2102", "Conduite d'équipement de production alimentaire"},
	{"Soudeur", "H2913", "Soudage manuel"},
	{"Assistant administratif", "M1602", "Opérations administratives"},
	{"Secrétaire médical", "M1609", "Secrétariat et assistanat médical ou médico-social"},
	{"Développeur informatique", "M1805", "Études et développement informatique"},
	{"Agent de sécurité", "K2503", "Sécurité et surveillance privées"},
};
#define N_METIERS (int)(sizeof(metiers) / sizeof(*metiers))

static const char *const companies[] = {"Leclerc", "Carrefour", "Intermarché", "Super U",
	"Adecco", "Manpower", "Randstad", "Synergie", "Korian", "Orpea", "Vinci Construction",
	"Eiffage", "Bouygues Bâtiment", "Spie", "La Poste", "Geodis", "Kiabi", "Decathlon",
	"Boulangerie Paul", "Brioche Dorée", "McDonald's", "Buffalo Grill", "Accor", "Onet",
	"Elior", "Sodexo", "Transdev", "Keolis", "Leroy Merlin", "Castorama"};
static const char *const phrases[] = {
	"Vous accueillez et conseillez la clientèle dans une équipe dynamique.",
	"Vous participez à la mise en place et au réassort des produits.",
	"Une première expérience est appréciée mais les débutants sont acceptés.",
	"Vous respectez les règles d'hygiène et de sécurité en vigueur.",
	"Poste à pourvoir rapidement, horaires du lundi au samedi.",
	"Vous travaillez en lien avec le responsable d'équipe et les autres services.",
	"Rigueur, ponctualité et sens du travail en équipe sont attendus.",
	"Formation assurée en interne, évolution possible vers un poste de responsable.",
	"Travail le week-end par roulement, deux jours de repos consécutifs.",
	"Mutuelle, tickets restaurant et prime d'intéressement.",
};

struct commune_row {
	const char *insee, *dept, *name, *postal;
	double lat, lon, cum;   /* cumulated population: drawn by population */
};

static struct commune_row *
load_communes(struct db *db, struct arena *a, int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT insee, dept_code, name, postal_code, lat, lon, "
					    "population FROM commune WHERE type = 'COM' AND lat IS NOT "
					    "NULL AND population > 0 ORDER BY insee");
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct commune_row));
	double cum = 0;
	while (st && db_step(st) == DB_ROW) {
		cum += (double)db_col_int64(st, 6);
		struct commune_row r = {db_col_dup(st, a, 0), db_col_dup(st, a, 1), db_col_dup(st, a, 2),
			db_col_dup(st, a, 3), g_ascii_strtod(db_col_text(st, 4), NULL),
			g_ascii_strtod(db_col_text(st, 5), NULL), cum};
		g_array_append_val(rows, r);
	}
	db_finish(st);
	*n = (int)rows->len;
	for (int i = 0; i < *n; i++)
		g_array_index(rows, struct commune_row, i).cum /= cum;
	struct commune_row *out = arena_memdup(a, rows->data, sizeof(struct commune_row) * rows->len);
	g_array_free(rows, TRUE);
	return out;
}

static const struct commune_row *
draw_commune(const struct commune_row *c, int n, uint64_t *s)
{
	double x = unit(s);
	int lo = 0, hi = n - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (c[mid].cum < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &c[lo];
}

/* Offer number i: "000AAAA", "000AAAB"… (France Travail's shape, increasing with i). */
static char *
offer_id(struct arena *a, int64_t i)
{
	char l[5];
	int64_t r = i % (26 * 26 * 26 * 26);
	for (int k = 3; k >= 0; k--, r /= 26)
		l[k] = (char)('A' + r % 26);
	l[4] = 0;
	return arena_printf(a, "%03d%s", (int)(i / (26 * 26 * 26 * 26)) % 1000, l);
}

static const int64_t NOW = 1765000000000;   /* 2025-12-06: the catalogue's "now" */

static struct offer
make_offer(struct arena *a, int64_t i, const struct commune_row *cs, int nc)
{
	uint64_t s = (uint64_t)i * 7919 + 17;
	const struct commune_row *c = draw_commune(cs, nc, &s);
	int m = (int)(mix(&s) % N_METIERS);
	double x = unit(&s);
	const char *contract = x < 0.40 ? "CDI" : x < 0.75 ? "CDD" : x < 0.90 ? "MIS"
		: (const char *[]){"DIN", "SAI", "LIB", "CCE"}[mix(&s) % 4];
	const char *company = companies[mix(&s) % (sizeof(companies) / sizeof(*companies))];
	GString *d = g_string_new(NULL);
	g_string_append_printf(d, "%s recrute un %s à %s.", company, metiers[m].appellation, c->name);
	for (int k = 0; k < 3; k++)
		g_string_append_printf(d, " %s", phrases[mix(&s) % (sizeof(phrases) / sizeof(*phrases))]);
	struct offer o = {
		.id = offer_id(a, i), .provider = "demo",
		.type = unit(&s) < 0.15 ? OFFER_ALTERNANCE : OFFER_EMPLOI,
		.title = arena_printf(a, "%s (H/F)", metiers[m].appellation),
		.description = arena_strdup(a, d->str), .company = company,
		.rome_code = metiers[m].rome, .rome_label = metiers[m].label,
		.appellation_label = metiers[m].appellation, .contract_code = contract,
		.work_time = unit(&s) < 0.75 ? "FULL" : "PARTIAL",
		.experience_code = unit(&s) < 0.5 ? "D" : "E",
		.commune_insee = c->insee, .postal_code = c->postal, .dept_code = c->dept,
		.place_label = arena_printf(a, "%s - %s", c->dept, c->name),
		.active = true, .raw = "{}",
	};
	g_string_free(d, TRUE);
	o.provider_id = o.id;
	o.provider_created_at = NOW - (int64_t)(unit(&s) * 30 * 86400000.0);
	o.provider_updated_at = o.provider_created_at;
	if (unit(&s) >= 0.05) {
		o.has_position = true;
		o.lat = c->lat + (unit(&s) * 2 - 1) * 2 / 111.2;
		o.lon = c->lon + (unit(&s) * 2 - 1) * 2 / (111.2 * cos(c->lat * M_PI / 180));
	}
	return o;
}

static int64_t
count_offers(struct db *db)
{
	return db_run_int(db_prepare(db, "SELECT count(*) FROM offer"));
}

static int
generate(struct db *db, struct offers_text *t, int64_t n, const struct commune_row *cs, int nc)
{
	int64_t have = count_offers(db);
	if (have >= n)
		return 0;
	printf("génération de %" G_GINT64_FORMAT " offres…\n", n - have);
	fflush(stdout);
	gint64 t0 = g_get_monotonic_time();
	for (int64_t i = have; i < n;) {
		if (db_tx_begin(db))
			return 1;
		for (int64_t end = MIN(n, i + 5000); i < end; i++) {
			struct arena *a = arena_new();
			struct offer o = make_offer(a, i, cs, nc);
			int rc = offers_store_upsert(db, t, &o, NOW);
			arena_free(a);
			if (rc < 0) {
				db_tx_rollback(db);
				return 1;
			}
		}
		if (db_tx_commit(db))
			return 1;
	}
	double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
	printf("  %.1f s (%.0f offres/s)\n", secs, (double)(n - have) / secs);
	if (db_engine(db) == DB_POSTGRES)
		db_exec(db, "ANALYZE");
	return 0;
}

/* The CPU time of this thread, in µs: on a shared machine the wall clock also counts the
 * other processes' turns; the CPU time is what the search itself costs. */
static int64_t
thread_cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Times @n searches: @make fills the form of the k-th. */
typedef void (*form_fn)(struct arena *a, int k, const struct commune_row *cs, int nc,
			int64_t n_offers, struct offers_form *f, int64_t *reads, struct db *db);

static void
measure(struct db *db, struct offers_text *t, const char *name, form_fn make, int n,
	const struct commune_row *cs, int nc, int64_t n_offers)
{
	int64_t *us = g_new(int64_t, n), *cpu = g_new(int64_t, n);
	int64_t reads = 0, results = 0, found = 0;
	/* BENCH_IDS=FILE: every search's count and page ids, to check that a change of the
	 * SQL returns the same results (diff two runs' files). */
	FILE *ids = g_getenv("BENCH_IDS") ? fopen(g_getenv("BENCH_IDS"), "a") : NULL;
	for (int k = 0; k < n; k++) {
		struct arena *a = arena_new();
		struct offers_form f;
		struct offers_criteria c;
		struct offers_result r;
		struct refusal why = {0};
		int64_t rd = 0;
		make(a, k, cs, nc, n_offers, &f, NULL, db);
		if (offers_criteria_parse(a, &f, &c, &why)) {
			fprintf(stderr, "critères refusés : %s\n", why.message);
			exit(1);
		}
		gint64 t0 = g_get_monotonic_time(), c0 = thread_cpu_us();
		int rc = offers_search(db, a, t, &c, 1, &r, &why);
		us[k] = g_get_monotonic_time() - t0;
		cpu[k] = thread_cpu_us() - c0;
		if (rc) {
			fprintf(stderr, "recherche en échec (%d)\n", rc);
			exit(1);
		}
		results += r.count;
		found += r.n > 0;
		if (ids) {
			fprintf(ids, "%s %d: %d", name, k, r.count);
			for (int i = 0; i < r.n; i++)
				fprintf(ids, " %s", r.hits[i].id);
			fputc('\n', ids);
		}
		/* What it read, counted after the timing (not to warm the cache for it). */
		make(a, k, cs, nc, n_offers, &f, &rd, db);
		reads += rd;
		arena_free(a);
	}
	if (ids)
		fclose(ids);
	qsort(us, (size_t)n, sizeof(*us), cmp_i64);
	qsort(cpu, (size_t)n, sizeof(*cpu), cmp_i64);
	int p99 = (int)((n - 1) * 0.99);
	printf("%-36s %4d  horloge p50 %6.2f p99 %7.2f max %7.2f ms | CPU p50 %6.2f p99 %6.2f "
	       "max %6.2f ms | résultats %5.0f  lus %6.0f (moy.)  non vides %d\n", name, n,
	       us[n / 2] / 1e3, us[p99] / 1e3, us[n - 1] / 1e3, cpu[n / 2] / 1e3, cpu[p99] / 1e3,
	       cpu[n - 1] / 1e3, (double)results / n, (double)reads / n, (int)found);
	g_free(us);
	g_free(cpu);
}

/* The process's analyser, for the forms' counts. */
static struct offers_text *bench_text;

/* What a search reads, counted apart (not timed). */
static int64_t
count1(struct db *db, const char *sql, const char *p1)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (p1)
		db_bind_text(st, 1, p1);
	return db_run_int(st);
}

static void
form_keywords_commune(struct arena *a, int k, const struct commune_row *cs, int nc, int64_t n,
		      struct offers_form *f, int64_t *reads, struct db *db)
{
	(void)n;
	uint64_t s = (uint64_t)k * 104729 + 3;
	const struct commune_row *c = draw_commune(cs, nc, &s);
	static const char *const words[] = {"vendeur", "cuisinier", "aide-soignant", "cariste",
		"électricien", "boulangère", "serveurs", "développeur informatique",
		"agent entretien", "chauffeur livreur"};
	const char *w = words[mix(&s) % (sizeof(words) / sizeof(*words))];
	*f = (struct offers_form){.type = "emploi", .keywords = w, .place = c->insee};
	if (!reads)
		return;
	/* Read: the postings of the rarest term (one range of offer_term's key; those within
	 * 10 km are then looked up for the other terms and read from offer). */
	char **ws = g_strsplit(w, " ", -1);
	*reads = INT64_MAX;
	for (int i = 0; ws[i]; i++) {
		char *term = offers_text_term(bench_text, ws[i]);
		int64_t df = term ? count1(db, "SELECT count(*) FROM offer_term WHERE term = $1", term)
				  : INT64_MAX;
		*reads = MIN(*reads, df);
		g_free(term);
	}
	g_strfreev(ws);
	(void)a;
}

/* "vendeur" around Paris (the densest circle) and Brest, as bench/offers_pages.sh asks. */
static void
form_vendeur_paris(struct arena *a, int k, const struct commune_row *cs, int nc, int64_t n,
		   struct offers_form *f, int64_t *reads, struct db *db)
{
	(void)a, (void)k, (void)cs, (void)nc, (void)n, (void)db;
	*f = (struct offers_form){.type = "emploi", .keywords = "vendeur", .place = "75056"};
	if (reads)
		*reads = 0;
}

static void
form_vendeur_brest(struct arena *a, int k, const struct commune_row *cs, int nc, int64_t n,
		   struct offers_form *f, int64_t *reads, struct db *db)
{
	(void)a, (void)k, (void)cs, (void)nc, (void)n, (void)db;
	*f = (struct offers_form){.type = "emploi", .keywords = "vendeur", .place = "29019"};
	if (reads)
		*reads = 0;
}

/* The same communes without keywords: the offers of the box, by date. */
static void
form_commune(struct arena *a, int k, const struct commune_row *cs, int nc, int64_t n,
	     struct offers_form *f, int64_t *reads, struct db *db)
{
	(void)n;
	uint64_t s = (uint64_t)k * 104729 + 3;
	const struct commune_row *c = draw_commune(cs, nc, &s);
	*f = (struct offers_form){.type = "emploi", .place = c->insee};
	if (!reads)
		return;
	/* Read: the offers of the box (offer_place), then the page and the count. */
	struct geo_box b = geo_bbox(c->lat, c->lon, 10);
	*reads = count1(db, arena_printf(a, "SELECT count(*) FROM offer WHERE type = 'EMPLOI' AND "
					 "active = 1 AND lat BETWEEN %f AND %f AND lon BETWEEN %f "
					 "AND %f", b.lat_min, b.lat_max, b.lon_min, b.lon_max), NULL);
}

static void
form_departement(struct arena *a, int k, const struct commune_row *cs, int nc, int64_t n,
		 struct offers_form *f, int64_t *reads, struct db *db)
{
	(void)n;
	uint64_t s = (uint64_t)k * 15485863 + 5;
	const struct commune_row *c = draw_commune(cs, nc, &s);
	*f = (struct offers_form){.type = "emploi", .place = arena_strdup(a, c->dept)};
	if (!reads)
		return;
	/* Read: the first page by date through offer_dept_type, then the count (≤ 1,001). */
	int64_t in_dept = count1(db, "SELECT count(*) FROM offer WHERE dept_code = $1 AND "
				     "type = 'EMPLOI' AND active = 1", c->dept);
	*reads = MIN(in_dept, OFFERS_COUNT_MAX + 1) + OFFERS_PAGE_SIZE;
}

static void
form_keywords_departement(struct arena *a, int k, const struct commune_row *cs, int nc,
			  int64_t n, struct offers_form *f, int64_t *reads, struct db *db)
{
	form_departement(a, k, cs, nc, n, f, NULL, db);
	f->keywords = (const char *[]){"vendeur", "cuisinier", "cariste", "boulanger"}[k % 4];
	if (reads)
		*reads = count1(db, "SELECT count(*) FROM offer WHERE dept_code = $1 AND "
			    "type = 'EMPLOI' AND active = 1", f->place);
}

static void
form_number(struct arena *a, int k, const struct commune_row *cs, int nc, int64_t n,
	    struct offers_form *f, int64_t *reads, struct db *db)
{
	(void)cs, (void)nc, (void)db;
	uint64_t s = (uint64_t)k * 31 + 11;
	*f = (struct offers_form){.type = "emploi", .number = offer_id(a, (int64_t)(mix(&s) % (uint64_t)n))};
	if (reads)
		*reads = 1;
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage : bench_offers URL_BASE N [DOSSIER_GEO]\n");
		return 2;
	}
	const char *url = argv[1], *geo = argc > 3 ? argv[3] : "data/geo";
	int64_t n = g_ascii_strtoll(argv[2], NULL, 10);
	int rounds = g_getenv("TOURS") ? atoi(g_getenv("TOURS")) : 300;
	struct db *db = db_open(url);
	if (!db || db_migrate_engine(db, embed_migrations, embed_migrations_count,
				     embed_pg_migrations, embed_pg_migrations_count))
		return 1;
	if (db_engine(db) == DB_SQLITE)
		db_exec(db, "PRAGMA cache_size = -262144");   /* 256 MB: the index fits */
	if (geo_commune_count(db) == 0 && geo_import_files(db, geo, NULL))
		return 1;
	char *why = NULL;
	struct offers_text *t = offers_text_embedded(&why);
	if (!t)
		return 1;
	bench_text = t;
	struct arena *a = arena_new();
	int nc;
	struct commune_row *cs = load_communes(db, a, &nc);
	if (generate(db, t, n, cs, nc))
		return 1;
	int64_t have = count_offers(db);
	printf("catalogue : %" G_GINT64_FORMAT " offres, %" G_GINT64_FORMAT " termes indexés ; "
	       "moteur %s\n", have, count1(db, "SELECT count(*) FROM offer_term", NULL),
	       db_engine(db) == DB_POSTGRES ? "PostgreSQL" : "SQLite");
	/* The document frequency offers_search counts for each query term (a range of the
	 * primary key), for the most common words of the bench's queries. */
	const char *const common[] = {"vendeur", "cuisinier", "agent", "serveurs", "entretien"};
	printf("postings :");
	for (size_t i = 0; i < sizeof(common) / sizeof(*common); i++) {
		char *term = offers_text_term(t, common[i]);
		printf(" %s %" G_GINT64_FORMAT, common[i],
		       count1(db, "SELECT count(*) FROM offer_term WHERE term = $1", term));
		g_free(term);
	}
	printf("\n");
	/* A warm-up round: the first prepare of each shape, the page cache. */
	measure(db, t, "(échauffement)", form_keywords_commune, 20, cs, nc, have);
	measure(db, t, "mots clés + commune + 10 km", form_keywords_commune, rounds, cs, nc, have);
	measure(db, t, "« vendeur » + Paris + 10 km", form_vendeur_paris, rounds, cs, nc, have);
	measure(db, t, "« vendeur » + Brest + 10 km", form_vendeur_brest, rounds, cs, nc, have);
	measure(db, t, "commune + 10 km (sans mots clés)", form_commune, rounds, cs, nc, have);
	measure(db, t, "département (sans mots clés)", form_departement, rounds, cs, nc, have);
	measure(db, t, "mots clés + département", form_keywords_departement, rounds, cs, nc, have);
	measure(db, t, "numéro d'offre", form_number, rounds, cs, nc, have);
	offers_text_free(t);
	arena_free(a);
	db_close(db);
	return 0;
}
