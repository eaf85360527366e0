/* test_geo.c — the communes referential (offers.md §8.5, docs/geo.md): the pure rules
 * (haversine against reference values, bounding boxes, département codes, search keys),
 * the import of the repository's data/geo/ and of the geo.api.gouv.fr JSON shape, and the
 * "Lieu de travail" autocomplete — on SQLite and on PostgreSQL (meson test --setup
 * postgres). */
#include "fixture.h"

#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"
#include "geo/geo_import.h"
#include "geo/geo_store.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static struct fixture fx;

static void
setup(void)
{
	fixture_open(&fx, "geo", FIXTURE_DB);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(geo, .init = setup, .fini = teardown);

/* ---- Pure rules -------------------------------------------------------------------------- */

Test(geo, haversine_reference_values)
{
	/* Rosetta Code's haversine task: Nashville (BNA) to Los Angeles (LAX) is 2887.2600 km
	 * on a sphere of radius 6372.8 km; on ours the same angle gives that × 6371.0088/6372.8. */
	double d = geo_distance_km(36.12, -86.67, 33.94, -118.40);
	cr_assert(fabs(d - 2887.2599506 * GEO_EARTH_RADIUS_KM / 6372.8) < 0.001, "%f", d);
	/* Brest and Quimper town centres (data/geo/): 54.55 km on the WGS 84 ellipsoid
	 * (Vincenty's inverse formula); the sphere is within 0.1 % of it. Not 64 km: that
	 * figure is the road. */
	d = geo_distance_km(48.40844, -4.49959, 47.99816, -4.09721);
	cr_assert(fabs(d - 54.551) < 0.055, "Brest–Quimper %f km", d);
	cr_assert_eq(geo_distance_km(48.4, -4.5, 48.4, -4.5), 0.0);
	/* Symmetric, and defined for antipodes (no NaN from a rounding error). */
	cr_assert(fabs(geo_distance_km(47.99816, -4.09721, 48.40844, -4.49959) - d) < 1e-9);
	cr_assert(fabs(geo_distance_km(0, 0, 0, 180) - M_PI * GEO_EARTH_RADIUS_KM) < 1e-6);
}

Test(geo, bounding_box_holds_the_circle)
{
	const double lat = 48.40844, lon = -4.49959;
	for (double km = 0.5; km <= 100; km *= 3) {
		struct geo_box b = geo_bbox(lat, lon, km);
		/* Points at exactly km in 360 directions (a destination on the sphere) are inside. */
		for (int deg = 0; deg < 360; deg++) {
			double br = deg * M_PI / 180, ad = km / GEO_EARTH_RADIUS_KM, p1 = lat * M_PI / 180;
			double p2 = asin(sin(p1) * cos(ad) + cos(p1) * sin(ad) * cos(br));
			double l2 = lon * M_PI / 180 + atan2(sin(br) * sin(ad) * cos(p1), cos(ad) - sin(p1) * sin(p2));
			double plat = p2 * 180 / M_PI, plon = l2 * 180 / M_PI;
			cr_assert(fabs(geo_distance_km(lat, lon, plat, plon) - km) < 1e-6);
			cr_assert(plat >= b.lat_min && plat <= b.lat_max && plon >= b.lon_min && plon <= b.lon_max,
				  "%g km, %d°: (%f, %f) outside", km, deg, plat, plon);
		}
		/* …and the box is not much larger than the circle: a prefilter worth its index. */
		cr_assert(b.lat_max - b.lat_min < 2.01 * km / 111.19);
		cr_assert(b.lon_max - b.lon_min < 2.05 * km / (111.19 * cos(lat * M_PI / 180)));
	}
	struct geo_box pole = geo_bbox(89.5, 10, 100);
	cr_assert(pole.lon_min == -180 && pole.lon_max == 180);
}

Test(geo, departement_codes)
{
	const char *valid[] = {"01", "29", "2A", "2B", "95", "971", "972", "973", "974", "976"};
	const char *invalid[] = {"00", "20", "96", "2C", "975", "977", "9", "029", "", "2a"};
	for (size_t i = 0; i < G_N_ELEMENTS(valid); i++)
		cr_assert(geo_dept_valid(valid[i]), "%s", valid[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(invalid); i++)
		cr_assert(!geo_dept_valid(invalid[i]), "%s", invalid[i]);
	cr_assert(!geo_dept_valid(NULL));
	cr_assert_str_eq(geo_dept_of_insee(fx.a, "29019"), "29");
	cr_assert_str_eq(geo_dept_of_insee(fx.a, "2A004"), "2A");
	cr_assert_str_eq(geo_dept_of_insee(fx.a, "97411"), "974");
	cr_assert_str_eq(geo_dept_of_insee(fx.a, "97617"), "976");
	cr_assert_null(geo_dept_of_insee(fx.a, "97501"));
	cr_assert_null(geo_dept_of_insee(fx.a, "2901"));
	cr_assert_str_eq(geo_arm_parent("75115"), "75056");
	cr_assert_str_eq(geo_arm_parent("13201"), "13055");
	cr_assert_str_eq(geo_arm_parent("69389"), "69123");
	cr_assert_null(geo_arm_parent("75056"));
	cr_assert_null(geo_arm_parent("75121"));
	cr_assert_null(geo_arm_parent("69380"));
	cr_assert_null(geo_arm_parent("29019"));
}

Test(geo, search_keys)
{
	cr_assert_str_eq(geo_key(fx.a, "Saint-Étienne"), "saint etienne");
	cr_assert_str_eq(geo_key(fx.a, "  SAINT  étienne- "), "saint etienne");
	cr_assert_str_eq(geo_key(fx.a, "L'Haÿ-les-Roses"), "l hay les roses");
	cr_assert_str_eq(geo_key(fx.a, "Œuilly"), "oeuilly");
	cr_assert_str_eq(geo_key(fx.a, "Saint-Médard-d’Aunis"), "saint medard d aunis");
	cr_assert_str_eq(geo_key(fx.a, ""), "");
	cr_assert_str_eq(geo_key(fx.a, NULL), "");
	cr_assert_str_eq(geo_key_bare(fx.a, "La Garenne-Colombes"), "garenne colombes");
	cr_assert_str_eq(geo_key_bare(fx.a, "L'Abergement-Clémenciat"), "abergement clemenciat");
	cr_assert_str_eq(geo_key_bare(fx.a, "Les Abymes"), "abymes");
	cr_assert_str_eq(geo_key_bare(fx.a, "Lannion"), "lannion");
	cr_assert_str_eq(geo_key_bare(fx.a, "Le"), "le");
	cr_assert_str_eq(geo_prefix_end(fx.a, "bre"), "brf");
	cr_assert_str_eq(geo_prefix_end(fx.a, "saint "), "saint!");
	cr_assert_null(geo_prefix_end(fx.a, ""));
}

/* ---- The repository's data --------------------------------------------------------------- */

/* The labels geo_suggest() gives for @text, joined by " | ". */
static const char *
suggest(const char *text)
{
	struct geo_suggestion s[GEO_SUGGEST_MAX];
	int n = geo_suggest(fx.db, fx.a, text, s, GEO_SUGGEST_MAX);
	cr_assert_geq(n, 0, "%s", text);
	GString *out = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append_printf(out, "%s%s", i ? " | " : "", s[i].label);
	const char *r = arena_strdup(fx.a, out->str);
	g_string_free(out, TRUE);
	return r;
}

static bool
starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

Test(geo, import_of_the_repository_data)
{
	struct geo_import_stats s = {0};
	const char *dir = arena_printf(fx.a, "%s/data/geo", g_getenv("CEJ_SOURCE_ROOT"));
	gint64 t0 = g_get_monotonic_time();
	cr_assert_eq(geo_import_files(fx.db, dir, &s), 0);
	cr_log_info("import of data/geo/: %.2f s", (double)(g_get_monotonic_time() - t0) / 1e6);
	/* 36,208 rows: 34,931 communes (COM, several rows for a commune with several postal
	 * codes), 45 arrondissements (ARM), 793 communes déléguées (COMD, skipped: they share
	 * their commune nouvelle's code), and the 3 parents of the arrondissements that the
	 * extract lacks (Paris, Marseille, Lyon, added in data/geo/, docs/geo.md). */
	cr_assert_eq(s.communes_new, 34931 + 45 + 3, "%d", s.communes_new);
	cr_assert_eq(s.communes_updated, 0);
	cr_assert_eq(s.departements_new, 101);
	cr_assert_eq(s.postal_codes, 35415 + 3);
	cr_assert_eq(s.skipped, 793);
	cr_assert_eq(s.rejected, 0);
	cr_assert_eq(geo_commune_count(fx.db), 34979);
	cr_assert_str_eq(geo_import_summary(fx.a, &s),
			 "34979 communes importées (34979 nouvelles, 0 mises à jour), 35418 codes postaux ; "
			 "101 départements (101 nouveaux, 0 mis à jour) ; 793 communes déléguées ignorées ; "
			 "0 lignes rejetées");

	struct geo_commune brest;
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "29019", &brest), 0);
	cr_assert_str_eq(brest.name, "Brest");
	cr_assert_str_eq(brest.postal_code, "29200");
	cr_assert_str_eq(brest.dept_code, "29");
	cr_assert_str_eq(brest.type, "COM");
	cr_assert_null(brest.parent_insee);
	cr_assert(brest.has_centre);
	cr_assert(fabs(brest.lat - 48.40844) < 1e-6 && fabs(brest.lon - -4.49959) < 1e-6,
		  "%f %f", brest.lat, brest.lon);
	cr_assert_eq(brest.population, 139619);

	struct geo_commune c;
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "75115", &c), 0);
	cr_assert_str_eq(c.type, "ARM");
	cr_assert_str_eq(c.parent_insee, "75056");
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "31555", &c), 0);   /* Toulouse: six codes */
	cr_assert_str_eq(c.postal_code, "31000");
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM commune_postal WHERE insee = $1", "31555"), 6);
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "97411", &c), 0);   /* Saint-Denis (La Réunion) */
	cr_assert_str_eq(c.dept_code, "974");
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "2A004", &c), 0);   /* Ajaccio */
	cr_assert_str_eq(c.dept_code, "2A");
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "60694", &c), 0);   /* no centre in the data */
	cr_assert(!c.has_centre);
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "99999", &c), -ERR_NOTFOUND);

	struct geo_departement d;
	cr_assert_eq(geo_departement_get(fx.db, fx.a, "976", &d), 0);
	cr_assert_str_eq(d.name, "Mayotte");
	cr_assert(d.has_centre && d.lat < 0);

	/* A second import changes nothing: every row is found and updated in place. */
	struct geo_import_stats again = {0};
	cr_assert_eq(geo_import_files(fx.db, dir, &again), 0);
	cr_assert_eq(again.communes_new, 0);
	cr_assert_eq(again.communes_updated, 34979);
	cr_assert_eq(again.departements_updated, 101);
	cr_assert_eq(geo_commune_count(fx.db), 34979);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM commune_postal", NULL), 35418);
}

Test(geo, autocomplete)
{
	fixture_geo(&fx);
	/* Départements first: "fin" is Finistère, then communes by population. */
	cr_assert(starts(suggest("fin"), "Finistère (29) | "), "%s", suggest("fin"));
	cr_assert(starts(suggest("29"), "Finistère (29) | Brest (29200) | Quimper (29000)"), "%s",
		  suggest("29"));
	/* "bre" names no département (Bretagne is a region); Brest is the largest commune. */
	cr_assert(starts(suggest("bre"), "Brest (29200) | "), "%s", suggest("bre"));
	cr_assert(starts(suggest("Brest"), "Brest (29200)"));
	cr_assert(starts(suggest("29200"), "Brest (29200)"), "%s", suggest("29200"));
	cr_assert(starts(suggest("2920"), "Brest (29200)"));
	/* Paris: the département, the commune, then its arrondissements by population. */
	const char *paris = suggest("paris");
	cr_assert(starts(paris, "Paris (75) | Paris (75001) | Paris 15e Arrondissement (75015) | "
				"Paris 20e Arrondissement (75020)"), "%s", paris);
	cr_assert(starts(suggest("75015"), "Paris 15e Arrondissement (75015)"), "%s", suggest("75015"));
	cr_assert(starts(suggest("lyon 3"), "Lyon 3e Arrondissement (69003)"), "%s", suggest("lyon 3"));
	/* Accents, case, hyphens and apostrophes do not matter. */
	const char *se = suggest("saint-e");
	cr_assert(starts(se, "Saint-Étienne (42000) | "), "%s", se);
	cr_assert_str_eq(suggest("Saint-É"), se);
	cr_assert_str_eq(suggest("SAINT E"), se);
	cr_assert_str_eq(suggest("saint é"), se);
	cr_assert_str_eq(suggest("saint’e"), se);
	/* With or without the article; overseas and Corsica. */
	cr_assert(starts(suggest("garenne"), "La Garenne-Colombes (92250)"), "%s", suggest("garenne"));
	cr_assert(starts(suggest("la garenne"), "La Garenne-Colombes (92250)"));
	cr_assert(starts(suggest("reun"), "La Réunion (974)"), "%s", suggest("reun"));
	cr_assert(starts(suggest("ajac"), "Ajaccio (20000)"), "%s", suggest("ajac"));
	cr_assert(starts(suggest("corse"), "Corse-du-Sud (2A) | Haute-Corse (2B)") ||
		  starts(suggest("corse"), "Corse-du-Sud (2A)"), "%s", suggest("corse"));
	/* At most 10; nothing under 2 characters; communes déléguées are not offered. */
	struct geo_suggestion s[GEO_SUGGEST_MAX];
	cr_assert_eq(geo_suggest(fx.db, fx.a, "sa", s, GEO_SUGGEST_MAX), 10);
	cr_assert_eq(geo_suggest(fx.db, fx.a, "sa", s, 3), 3);
	cr_assert_eq(geo_suggest(fx.db, fx.a, "b", s, GEO_SUGGEST_MAX), 0);
	cr_assert_eq(geo_suggest(fx.db, fx.a, "é-", s, GEO_SUGGEST_MAX), 0);
	cr_assert_str_eq(suggest("cherbourg oct"), "");
	cr_assert(starts(suggest("cherbourg"), "Cherbourg-en-Cotentin (50100)"), "%s", suggest("cherbourg"));
	cr_assert_str_eq(suggest("zzz"), "");
	/* The codes and kinds a search needs. */
	int n = geo_suggest(fx.db, fx.a, "brest", s, 1);
	cr_assert_eq(n, 1);
	cr_assert_eq(s[0].kind, GEO_COMMUNE);
	cr_assert_str_eq(s[0].code, "29019");
	cr_assert_str_eq(s[0].dept_code, "29");
	n = geo_suggest(fx.db, fx.a, "finis", s, 1);
	cr_assert_eq(s[0].kind, GEO_DEPARTEMENT);
	cr_assert_str_eq(s[0].code, "29");

	/* What one keystroke costs (logged, not asserted: the machine's load decides). "sa"
	 * is the widest prefix: the 4,000 or so "Saint-…" are sorted by population. */
	const char *typed[] = {"sa", "saint e", "bre", "paris", "29", "750"};
	for (size_t i = 0; i < G_N_ELEMENTS(typed); i++) {
		gint64 t0 = g_get_monotonic_time();
		for (int k = 0; k < 20; k++)
			cr_assert_gt(geo_suggest(fx.db, fx.a, typed[i], s, GEO_SUGGEST_MAX), 0);
		cr_log_info("geo_suggest(\"%s\"): %.0f µs", typed[i],
			    (double)(g_get_monotonic_time() - t0) / 20);
	}
}

/* ---- The geo.api.gouv.fr JSON shape ---------------------------------------------------- */

static const char *
write_file(const char *name, const char *text)
{
	const char *path = fixture_path(&fx, name);
	cr_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static int
import(const char *path, struct geo_import_stats *s, const char **why)
{
	cr_assert_eq(db_tx_begin(fx.db), 0);
	return db_tx_end(fx.db, geo_import_file(fx.db, fx.a, path, s, why));
}

Test(geo, json_shape_import)
{
	const char *depts = write_file("departements.json",
		"[{\"nom\":\"Finistère\",\"code\":\"29\"},{\"nom\":\"La Réunion\",\"code\":\"974\"},"
		"{\"nom\":\"Nulle part\",\"code\":\"975\"}]");
	const char *communes = write_file("communes.json",
		"[{\"nom\":\"Brest\",\"code\":\"29019\",\"codesPostaux\":[\"29200\"],"
		"\"centre\":{\"type\":\"Point\",\"coordinates\":[-4.5016,48.4080]},"
		"\"codeDepartement\":\"29\",\"population\":139456},"
		"{\"nom\":\"Le Relecq-Kerhuon\",\"code\":\"29235\",\"codesPostaux\":[\"29480\"],"
		"\"centre\":{\"type\":\"Point\",\"coordinates\":[-4.4,48.41]},\"population\":11500},"
		"{\"nom\":\"Saint-Pierre\",\"code\":\"97416\",\"codesPostaux\":[\"97410\",\"97432\"],"
		"\"centre\":{\"type\":\"Point\",\"coordinates\":[55.4781,-21.3393]},"
		"\"codeDepartement\":\"974\",\"population\":84961},"
		"{\"nom\":\"Paris 15e Arrondissement\",\"code\":\"75115\",\"codesPostaux\":[\"75015\"],"
		"\"type\":\"arrondissement-municipal\",\"codeDepartement\":\"75\",\"population\":227746},"
		"{\"nom\":\"Sans code\",\"codesPostaux\":[\"29000\"]},"
		"{\"nom\":\"Code postal faux\",\"code\":\"29232\",\"codesPostaux\":[\"ABCDE\"]},"
		"{\"nom\":\"Population fausse\",\"code\":\"29233\",\"codesPostaux\":[\"29000\"],\"population\":\"beaucoup\"},"
		"{\"nom\":\"Cherbourg-Octeville\",\"code\":\"50129\",\"codesPostaux\":[\"50100\"],"
		"\"type\":\"commune-deleguee\",\"codeDepartement\":\"50\"},"
		"42]");
	struct geo_import_stats s = {0};
	const char *why = NULL;
	cr_assert_eq(import(depts, &s, &why), 0);
	cr_assert_eq(import(communes, &s, &why), 0);
	cr_assert_eq(s.departements_new, 2);
	cr_assert_eq(s.communes_new, 4);
	cr_assert_eq(s.rejected, 1 + 4);   /* the département 975, then 3 communes and a number */
	cr_assert_eq(s.skipped, 1);        /* the commune déléguée */
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "50129", &(struct geo_commune){0}), -ERR_NOTFOUND);
	struct geo_commune c;
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "29019", &c), 0);
	cr_assert(fabs(c.lat - 48.4080) < 1e-6 && fabs(c.lon - -4.5016) < 1e-6, "[lon, lat] order");
	cr_assert_eq(c.population, 139456);
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "29235", &c), 0);
	cr_assert_str_eq(c.dept_code, "29", "the département from the INSEE code");
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "97416", &c), 0);
	cr_assert_str_eq(c.postal_code, "97410");
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "75115", &c), 0);
	cr_assert_str_eq(c.type, "ARM");
	cr_assert_str_eq(c.parent_insee, "75056");
	cr_assert(!c.has_centre);
	cr_assert_str_eq(suggest("97432"), "Saint-Pierre (97432)");
	cr_assert_str_eq(suggest("relecq"), "Le Relecq-Kerhuon (29480)");
	cr_assert(starts(suggest("fin"), "Finistère (29)"));
	struct geo_departement d;
	cr_assert_eq(geo_departement_get(fx.db, fx.a, "29", &d), 0);
	cr_assert(!d.has_centre);

	/* The CSV with centres, then the JSON again: the centres the JSON lacks are kept. */
	const char *csv = write_file("dep.csv", "code,nom,lat,lng\n29,Finistère,48.26111,-4.05889\n");
	cr_assert_eq(import(csv, &s, &why), 0);
	cr_assert_eq(import(depts, &s, &why), 0);
	cr_assert_eq(geo_departement_get(fx.db, fx.a, "29", &d), 0);
	cr_assert(d.has_centre && fabs(d.lat - 48.26111) < 1e-6);
	cr_assert_eq(s.departements_updated, 3);
}

Test(geo, unreadable_files_import_nothing)
{
	struct geo_import_stats s = {0};
	const char *why = NULL;
	const char *bad[] = {
		write_file("a.json", "{\"communes\": []}"),
		write_file("b.json", "[{\"nom\": \"Brest\""),
		write_file("c.csv", "foo,bar\n1,2\n"),
		fixture_path(&fx, "absent.csv"),
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		why = NULL;
		cr_assert_eq(import(bad[i], &s, &why), -ERR_INVAL, "%s", bad[i]);
		cr_assert_not_null(why);
	}
	cr_assert_eq(geo_commune_count(fx.db), 0);

	/* The command: one transaction for all its files — a bad one keeps even the good. */
	struct config *cfg = config_load(NULL, NULL);
	g_free(cfg->database_url);
	cfg->database_url = g_strdup(fx.db_path);
	const char *good = write_file("ok.csv", "insee,departement,nom,nom_article,code_postal,type,"
				      "insee_parente,lat,lng,population\n"
				      "29019,29,Brest,Brest,29200,COM,,48.40844,-4.49959,139619\n");
	char *argv_bad[] = {"import", (char *)good, (char *)bad[0], NULL};
	cr_assert_eq(geo_import_main(cfg, 3, argv_bad), 1);
	cr_assert_eq(geo_commune_count(fx.db), 0);
	char *argv_none[] = {"import", NULL};
	cr_assert_eq(geo_import_main(cfg, 1, argv_none), 2);
	char *argv_ok[] = {"import", (char *)good, NULL};
	cr_assert_eq(geo_import_main(cfg, 2, argv_ok), 0);
	cr_assert_eq(geo_commune_count(fx.db), 1);
	/* Rows the schema would refuse are rejected one by one, the rest imported. */
	const char *odd = write_file("odd.csv", "insee,nom,code_postal,type,insee_parente\n"
				     "29232,Quimper,29000,COM,\n"
				     "29233,Arrondissement sans parent,29000,ARM,\n"
				     "29234,Type inconnu,29000,XYZ,\n"
				     "29235,Commune avec parent,29000,COM,29019\n");
	char *argv_odd[] = {"import", (char *)odd, NULL};
	cr_assert_eq(geo_import_main(cfg, 2, argv_odd), 0);
	cr_assert_eq(geo_commune_count(fx.db), 3, "Brest, Quimper, 29235 (a COM's parent ignored)");
	struct geo_commune c;
	cr_assert_eq(geo_commune_get(fx.db, fx.a, "29235", &c), 0);
	cr_assert_null(c.parent_insee);
	config_free(cfg);
}
