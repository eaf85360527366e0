/* test_offers_demo.c — `cej offers demo` (offers.md §8.6 and scenario 12): the same seed
 * gives the same catalogue, the shares the spec asks for, places in the départements
 * asked and near a real commune centre, valid SIRETs, offers of today — on SQLite and on
 * PostgreSQL (meson test --setup postgres). */
#include "fixture.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "offers/offers_demo.h"
#include "offers/offers_search.h"
#include "offers/offers_text.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#define NOW 1796600000000LL   /* 2026-12-07 00:33 Europe/Paris */

static struct fixture fx;
static struct offers_text *text;

static void
setup(void)
{
	fixture_open(&fx, "offers_demo", FIXTURE_DB);
	fixture_geo(&fx);
	char *why = NULL;
	text = offers_text_embedded(&why);
	cr_assert(text, "%s", why);
}

static void
teardown(void)
{
	offers_text_free(text);
	fixture_close(&fx);
}

TestSuite(offers_demo, .init = setup, .fini = teardown);

static struct offers_demo_stats
generate(struct fixture *f, uint32_t seed, int per_type, const char *const *depts, int n)
{
	struct offers_demo_options o = {.seed = seed, .per_type = per_type, .days = 30,
					.today = 10, .depts = depts, .n_depts = n, .now = NOW,
					.text = text};
	struct offers_demo_stats st;
	cr_assert_eq(offers_demo_generate(f->db, f->a, &o, &st), 0);
	return st;
}

/* Every offer and event, one line each, in id order. */
static char *
dump(struct fixture *f)
{
	GString *s = g_string_new(NULL);
	struct db_stmt *st = db_prepare(f->db,
		"SELECT id, type, title, company, commune_insee, CAST(lat AS TEXT), CAST(lon AS TEXT), "
		"COALESCE(contract_code, ''), COALESCE(experience_code, ''), "
		"COALESCE(siret, ''), provider_created_at, provider_updated_at, "
		"COALESCE(start_date, 0), description FROM offer ORDER BY id");
	cr_assert(st);
	while (db_step(st) == DB_ROW)
		for (int c = 0; c < 14; c++)
			g_string_append_printf(s, "%s%c", db_col_text(st, c) ? db_col_text(st, c) : "",
					       c == 13 ? '\n' : '|');
	db_finish(st);
	st = db_prepare(f->db, "SELECT id, title, event_date, starts_at FROM job_event ORDER BY id");
	while (db_step(st) == DB_ROW)
		g_string_append_printf(s, "%s|%s|%s|%s\n", db_col_text(st, 0), db_col_text(st, 1),
				       db_col_text(st, 2), db_col_text(st, 3));
	db_finish(st);
	return g_string_free(s, false);
}

static int64_t
count(struct fixture *f, const char *sql)
{
	return db_run_int(db_prepare(f->db, sql));
}

Test(offers_demo, the_same_seed_gives_the_same_catalogue_and_another_seed_another)
{
	struct fixture twin = {0}, other = {0};
	fixture_open(&twin, "offers_demo_twin", FIXTURE_DB);
	fixture_geo(&twin);
	fixture_open(&other, "offers_demo_other", FIXTURE_DB);
	fixture_geo(&other);
	generate(&fx, 42, 60, NULL, 0);
	generate(&twin, 42, 60, NULL, 0);
	generate(&other, 43, 60, NULL, 0);
	char *a = dump(&fx), *b = dump(&twin), *c = dump(&other);
	cr_assert_gt(strlen(a), 1000);
	cr_assert_str_eq(a, b, "same seed, different catalogues");
	cr_assert_str_neq(a, c, "another seed gave the same catalogue");
	/* A second run with the same seed updates the rows: nothing added. */
	int64_t rows = count(&fx, "SELECT count(*) FROM offer");
	generate(&fx, 42, 60, NULL, 0);
	cr_assert_eq(count(&fx, "SELECT count(*) FROM offer"), rows);
	g_free(a);
	g_free(b);
	g_free(c);
	fixture_close(&twin);
	fixture_close(&other);
}

Test(offers_demo, sizes_and_shares_follow_the_spec)
{
	struct offers_demo_stats st = generate(&fx, 7, 2000, NULL, 0);
	int ft = st.offers[OFFER_EMPLOI] + st.offers[OFFER_ALTERNANCE];
	cr_assert_eq(ft, 2000 + 10, "France Travail family and the offers of today");
	cr_assert_eq(st.offers[OFFER_SERVICE_CIVIQUE], 2000);
	cr_assert_eq(st.offers[OFFER_IMMERSION], 2000);
	cr_assert_eq(st.events, OFFERS_DEMO_EVENTS);
	cr_assert_eq(count(&fx, "SELECT count(*) FROM offer WHERE provider = 'demo'"), 6010);
	/* 15 % alternance (E2 or FS); Emploi contracts CDI 40 %, CDD 35 %, MIS 15 %. */
	cr_assert(st.offers[OFFER_ALTERNANCE] > 240 && st.offers[OFFER_ALTERNANCE] < 370,
		  "alternance %d", st.offers[OFFER_ALTERNANCE]);
	cr_assert_eq(count(&fx, "SELECT count(*) FROM offer WHERE type = 'ALTERNANCE' "
				"AND nature_code NOT IN ('E2', 'FS')"), 0);
	double emploi = st.offers[OFFER_EMPLOI];
	double cdi = count(&fx, "SELECT count(*) FROM offer WHERE type = 'EMPLOI' AND contract_code = 'CDI'");
	double cdd = count(&fx, "SELECT count(*) FROM offer WHERE type = 'EMPLOI' AND contract_code = 'CDD'");
	double mis = count(&fx, "SELECT count(*) FROM offer WHERE type = 'EMPLOI' AND contract_code = 'MIS'");
	cr_assert(cdi / emploi > 0.36 && cdi / emploi < 0.44, "CDI %.3f", cdi / emploi);
	cr_assert(cdd / emploi > 0.31 && cdd / emploi < 0.39, "CDD %.3f", cdd / emploi);
	cr_assert(mis / emploi > 0.12 && mis / emploi < 0.18, "MIS %.3f", mis / emploi);
	double beginners = count(&fx, "SELECT count(*) FROM offer WHERE experience_code = 'D'");
	cr_assert(beginners / ft > 0.45 && beginners / ft < 0.55, "débutants %.3f", beginners / ft);
	/* 60 métiers, 12 domains, every contact mode. */
	cr_assert_eq(count(&fx, "SELECT count(DISTINCT rome_code) FROM offer WHERE rome_code IS NOT NULL"), 60);
	cr_assert_eq(count(&fx, "SELECT count(DISTINCT domain) FROM offer WHERE type = 'SERVICE_CIVIQUE'"), 12);
	cr_assert_eq(count(&fx, "SELECT count(DISTINCT contact_mode) FROM offer WHERE type = 'IMMERSION'"), 3);
}

Test(offers_demo, ids_sirets_and_dates_are_well_formed)
{
	generate(&fx, 42, 300, NULL, 0);
	struct db_stmt *st = db_prepare(fx.db, "SELECT id, type, COALESCE(siret, ''), "
					       "provider_created_at, provider_updated_at, "
					       "COALESCE(start_date, 0) FROM offer");
	int n = 0, today = 0;
	int64_t midnight = 1796598000000LL;   /* 2026-12-07 00:00 Europe/Paris */
	while (db_step(st) == DB_ROW) {
		const char *id = db_col_text(st, 0), *type = db_col_text(st, 1);
		const char *siret = db_col_text(st, 2);
		int64_t created = db_col_int64(st, 3), updated = db_col_int64(st, 4);
		n++;
		cr_assert(created <= NOW && created >= NOW - 30 * 86400000LL, "%s created", id);
		cr_assert(updated >= created && updated <= NOW, "%s updated", id);
		today += created >= midnight && (!strcmp(type, "EMPLOI") || !strcmp(type, "ALTERNANCE"));
		if (!strcmp(type, "EMPLOI") || !strcmp(type, "ALTERNANCE")) {
			cr_assert(g_regex_match_simple("^[0-9]{3}[A-Z]{4}$", id, 0, 0), "id %s", id);
		} else if (!strcmp(type, "IMMERSION")) {
			/* {siret}-{appellation}; the SIRET's Luhn sum is a multiple of 10. */
			cr_assert_eq(strlen(siret), 14);
			cr_assert(g_str_has_prefix(id, siret) && id[14] == '-', "id %s", id);
			int sum = 0;
			for (int i = 0; i < 14; i++) {
				int v = siret[i] - '0';
				if (i % 2 == 0 && (v *= 2) > 9)
					v -= 9;
				sum += v;
			}
			cr_assert_eq(sum % 10, 0, "SIRET %s", siret);
		} else {
			int64_t start = db_col_int64(st, 5);
			cr_assert(start >= midnight && start < NOW + 91 * 86400000LL, "%s start", id);
		}
	}
	db_finish(st);
	cr_assert_eq(n, 900 + 10);
	cr_assert_geq(today, 10, "the offers of today");
}

Test(offers_demo, places_are_in_the_departements_asked_within_2_km_of_a_centre)
{
	const char *depts[] = {"29", "75", "974"};
	generate(&fx, 42, 200, depts, 3);
	cr_assert_eq(count(&fx, "SELECT count(*) FROM offer WHERE dept_code NOT IN ('29', '75', '974')"), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_gt(count(&fx, arena_printf(fx.a, "SELECT count(*) FROM offer WHERE dept_code = '%s'",
						     depts[i])), 0, "nothing in %s", depts[i]);
	struct db_stmt *st = db_prepare(fx.db, "SELECT commune_insee, CAST(lat AS TEXT), "
					       "CAST(lon AS TEXT) FROM offer");
	int n = 0;
	while (db_step(st) == DB_ROW) {
		struct geo_commune c;
		cr_assert_eq(geo_commune_get(fx.db, fx.a, db_col_text(st, 0), &c), 0);
		double km = geo_distance_km(c.lat, c.lon, g_ascii_strtod(db_col_text(st, 1), NULL),
					    g_ascii_strtod(db_col_text(st, 2), NULL));
		cr_assert_leq(km, 2.01, "%s: %.2f km from its centre", c.name, km);
		n++;
	}
	db_finish(st);
	cr_assert_eq(n, 610);
	/* Brest, Finistère's largest commune, has offers: what `make run`'s newcomer searches. */
	cr_assert_gt(count(&fx, "SELECT count(*) FROM offer WHERE commune_insee = '29019'"), 0);
}

Test(offers_demo, without_communes_nothing_is_stored)
{
	const char *none[] = {"976"};
	struct offers_demo_options o = {.seed = 1, .per_type = 10, .days = 30, .now = NOW,
					.text = text};
	struct offers_demo_stats st;
	db_exec(fx.db, "DELETE FROM commune_postal");
	db_exec(fx.db, "DELETE FROM commune");
	cr_assert_eq(offers_demo_generate(fx.db, fx.a, &o, &st), -ERR_NOTFOUND);
	o.depts = none;
	o.n_depts = 1;
	cr_assert_eq(offers_demo_generate(fx.db, fx.a, &o, &st), -ERR_NOTFOUND);
	cr_assert_eq(count(&fx, "SELECT count(*) FROM offer"), 0);
	cr_assert_eq(count(&fx, "SELECT count(*) FROM job_event"), 0);
}
