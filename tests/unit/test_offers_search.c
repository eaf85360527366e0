/* test_offers_search.c — the offers' search (offers.md §1, §2, §8.4, §8.5; docs/offers.md
 * "Recherche"): the criteria's rules (suite criteria, pure), then the search on the real
 * communes referential (data/geo/, fixture_geo) with offers stored through offers_store —
 * so indexed by the same upsert as `cej offers import` — on SQLite and on PostgreSQL
 * (meson test --setup postgres): offers.md §10 scenarios 1–4, the stemming cases through
 * the search, every term required, the ranking, arrondissements, ROME codes, the filters
 * and the orders without keywords. */
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "offers/offers.h"
#include "offers/offers_search.h"
#include "offers/offers_query.h"
#include "http/parse.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static struct arena *a;

/* ======================================================================================
 * The criteria (pure)
 * ==================================================================================== */

FIXTURE_ARENA_SUITE(criteria, a);

static int
parse(struct offers_form f, struct offers_criteria *c, struct refusal *why)
{
	*why = (struct refusal){0};
	return offers_criteria_parse(a, &f, c, why);
}

Test(criteria, offer_numbers_are_three_digits_and_four_letters_or_seven_to_eight_digits)
{
	const char *good[] = {"123ABCD", "1234567", "12345678"};
	const char *bad[] = {"12AB", "123ABC", "123ABCDE", "ABC1234", "123456", "123456789",
		"123AbCD", "123ÉBCD", "", "123 ABCD"};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		cr_assert(offers_number_valid(good[i]), "%s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_assert_not(offers_number_valid(bad[i]), "%s", bad[i]);
}

Test(criteria, a_bad_number_is_refused_with_the_spec_message_and_a_good_one_is_the_only_criterion)
{
	struct offers_criteria c;
	struct refusal why;
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .number = "12AB"}, &c, &why),
		     -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.field, "numero");
	cr_assert_str_eq(why.message, "Le numéro d'offre est invalide. Exemple : 123ABCD.");
	cr_assert_eq(parse((struct offers_form){.type = "alternance", .number = " 123abcd ",
						.keywords = "vendeur", .place = "29"}, &c, &why), 0);
	cr_assert_str_eq(c.number, "123ABCD");
	cr_assert_null(c.keywords);
	cr_assert_null(c.departement);
	cr_assert_eq(parse((struct offers_form){.type = "immersion", .number = "123ABCD"}, &c, &why),
		     -ERR_INVAL);
}

Test(criteria, a_url_carries_the_criteria_and_back_without_the_page)
{
	struct arena *a = arena_new();
	const char *in = "type=emploi&motscles=vendeur+caf%C3%A9&lieu=29019&distance=10&contrat=CDI"
			 "&contrat=AUTRES&temps=PLEIN&debutant=1&page=3";
	struct kvlist q = {0};
	cr_assert_eq(parse_urlencoded(a, in, strlen(in), &q), 0);
	struct offers_query oq;
	offers_query_read(&q, &oq);
	cr_assert_str_eq(oq.form.type, "emploi");
	cr_assert_str_eq(oq.form.keywords, "vendeur café");
	cr_assert_eq(oq.form.n_contracts, 2);
	cr_assert_str_eq(oq.form.contracts[1], "AUTRES");
	cr_assert_eq(oq.form.n_work_times, 1);
	cr_assert(oq.form.beginner);
	cr_assert_null(oq.form.number);
	cr_assert_str_eq(offers_query_string(a, &oq.form),
			 "type=emploi&motscles=vendeur%20caf%C3%A9&lieu=29019&distance=10&contrat=CDI"
			 "&contrat=AUTRES&temps=PLEIN&debutant=1");
	cr_assert_str_eq(offers_query_string(a, &(struct offers_form){0}), "");
	arena_free(a);
}

Test(criteria, the_place_is_a_commune_with_a_distance_or_a_departement_without)
{
	struct offers_criteria c;
	struct refusal why;
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .place = "29019"}, &c, &why), 0);
	cr_assert_str_eq(c.commune, "29019");
	cr_assert_eq(c.distance_km, 10, "the default distance");
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .place = "29019", .distance = "0"},
			   &c, &why), 0);
	cr_assert_eq(c.distance_km, 0);
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .place = "2A", .distance = "30"},
			   &c, &why), 0);
	cr_assert_str_eq(c.departement, "2A");
	cr_assert_null(c.commune);
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .place = "974"}, &c, &why), 0);
	cr_assert_str_eq(c.departement, "974");
	const char *bad_distances[] = {"101", "-1", "10.5", "dix", "1000"};
	for (size_t i = 0; i < 5; i++) {
		cr_assert_eq(parse((struct offers_form){.type = "emploi", .place = "29019",
							.distance = bad_distances[i]}, &c, &why),
			     -ERR_INVAL, "%s", bad_distances[i]);
		cr_assert_str_eq(why.message, "La distance doit être comprise entre 0 et 100 km.");
	}
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .place = "20"}, &c, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "lieu");
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .place = "Brest"}, &c, &why),
		     -ERR_INVAL);
}

Test(criteria, contract_groups_are_for_emploi_and_immersion_needs_a_metier_and_a_commune)
{
	struct offers_criteria c;
	struct refusal why;
	const char *cdi_cdd[] = {"CDI", "CDD"}, *both[] = {"PLEIN", "PARTIEL"}, *bad[] = {"CDX"};
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .contracts = cdi_cdd,
						.n_contracts = 2, .work_times = both,
						.n_work_times = 2, .beginner = true}, &c, &why), 0);
	cr_assert_eq(c.contracts, OFFERS_CONTRACT_CDI | OFFERS_CONTRACT_CDD);
	cr_assert_eq(c.work_times, 0, "both working times: no filter");
	cr_assert(c.beginner);
	cr_assert_eq(parse((struct offers_form){.type = "alternance", .contracts = cdi_cdd,
						.n_contracts = 2}, &c, &why), 0);
	cr_assert_eq(c.contracts, 0);
	cr_assert_eq(parse((struct offers_form){.type = "emploi", .contracts = bad, .n_contracts = 1},
			   &c, &why), -ERR_INVAL);
	cr_assert_eq(parse((struct offers_form){.type = "immersion", .place = "29019"}, &c, &why),
		     -ERR_INVAL);
	cr_assert_str_eq(why.message, "Le métier est obligatoire.");
	cr_assert_eq(parse((struct offers_form){.type = "immersion", .keywords = "boulanger",
						.place = "29"}, &c, &why), -ERR_INVAL);
	cr_assert_eq(parse((struct offers_form){.type = "immersion", .keywords = "boulanger",
						.place = "29019", .distance = "0"}, &c, &why),
		     -ERR_INVAL, "Immersion: 1 to 100 km");
	cr_assert_eq(parse((struct offers_form){.type = "stage"}, &c, &why), -ERR_INVAL);
}

Test(criteria, a_mission_s_domain_and_start_date_are_checked_and_kept_for_service_civique_only)
{
	struct offers_criteria c;
	struct refusal why;
	struct offers_form f = {.type = "service-civique", .domain = "sante", .start = "2025-03-01"};
	cr_assert_eq(parse(f, &c, &why), 0);
	cr_assert_str_eq(c.domain->label, "Santé");
	cr_assert_str_eq(c.start_from, "2025-03-01");
	f.start = "01/03/2025";   /* typed */
	f.start_mode = "a-partir-de";
	cr_assert_eq(parse(f, &c, &why), 0);
	cr_assert_str_eq(c.start_from, "2025-03-01");
	/* "Dès que possible" (the default) drops a date the form still carries. */
	f.start_mode = "des-que-possible";
	cr_assert_eq(parse(f, &c, &why), 0);
	cr_assert_null(c.start_from);
	f = (struct offers_form){.type = "service-civique"};
	cr_assert_eq(parse(f, &c, &why), 0);
	cr_assert_null(c.domain);
	cr_assert_null(c.start_from);
	/* Refusals, on their field. */
	f.domain = "Santé";
	cr_assert_eq(parse(f, &c, &why), -ERR_INVAL, "the URL takes the slug");
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.field, "domaine");
	cr_assert_str_eq(why.message, "Le domaine est invalide : choisissez un domaine dans la liste.");
	const char *bad[] = {"31/02/2025", "2025-13-01", "demain", "1/3/2025"};
	for (size_t i = 0; i < 4; i++) {
		f = (struct offers_form){.type = "service-civique", .start = bad[i]};
		cr_assert_eq(parse(f, &c, &why), -ERR_INVAL, "%s", bad[i]);
		cr_assert_str_eq(why.field, "debut");
		cr_assert_str_eq(why.message, "La date de début est invalide : renseignez une date au "
				 "format jj/mm/aaaa.");
	}
	f = (struct offers_form){.type = "service-civique", .start_mode = "a-partir-de"};
	cr_assert_eq(parse(f, &c, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, "Renseignez la date de début au format jj/mm/aaaa.");
	f.start_mode = "plus-tard";
	cr_assert_eq(parse(f, &c, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "debut");
	/* Another type: checked, then left out (§1: Service civique's criteria). */
	f = (struct offers_form){.type = "emploi", .domain = "sante", .start = "2025-03-01"};
	cr_assert_eq(parse(f, &c, &why), 0);
	cr_assert_null(c.domain);
	cr_assert_null(c.start_from);
}

Test(criteria, a_mission_s_url_carries_the_domain_and_the_date_but_not_the_radio)
{
	struct arena *a = arena_new();
	const char *in = "type=service-civique&lieu=29019&domaine=sante&quand=a-partir-de"
			 "&debut=2025-03-01";
	struct kvlist q = {0};
	cr_assert_eq(parse_urlencoded(a, in, strlen(in), &q), 0);
	struct offers_query oq;
	offers_query_read(&q, &oq);
	cr_assert_str_eq(oq.form.domain, "sante");
	cr_assert_str_eq(oq.form.start_mode, "a-partir-de");
	cr_assert_str_eq(oq.form.start, "2025-03-01");
	cr_assert_str_eq(offers_query_string(a, &oq.form),
			 "type=service-civique&lieu=29019&domaine=sante&debut=2025-03-01");
	/* "Dès que possible": the date the form still holds is not a criterion. */
	oq.form.start_mode = "des-que-possible";
	cr_assert_str_eq(offers_query_string(a, &oq.form),
			 "type=service-civique&lieu=29019&domaine=sante");
	arena_free(a);
}

/* ======================================================================================
 * The search, on the real communes (both engines)
 * ==================================================================================== */

static struct fixture fx;
static struct offers_text *analyser;

static void
setup(void)
{
	fixture_open(&fx, "offers-search", FIXTURE_DB);
	a = fx.a;
	fixture_geo(&fx);
	char *why = NULL;
	analyser = offers_text_embedded(&why);
	cr_assert_not_null(analyser, "%s", why);
	arena_defer(a, (void (*)(void *))offers_text_free, analyser);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(search, .init = setup, .fini = teardown);

/* The centre of commune @insee, as stored. */
static struct geo_commune
commune(const char *insee)
{
	struct geo_commune c;
	cr_assert_eq(geo_commune_get(fx.db, a, insee, &c), 0, "%s", insee);
	cr_assert(c.has_centre);
	return c;
}

/* The point @km from (@lat, @lon) towards bearing @deg (great circle). */
static void
destination(double lat, double lon, double km, double deg, double *plat, double *plon)
{
	double br = deg * M_PI / 180, ad = km / GEO_EARTH_RADIUS_KM, p1 = lat * M_PI / 180;
	double p2 = asin(sin(p1) * cos(ad) + cos(p1) * sin(ad) * cos(br));
	double l2 = lon * M_PI / 180 + atan2(sin(br) * sin(ad) * cos(p1), cos(ad) - sin(p1) * sin(p2));
	*plat = p2 * 180 / M_PI;
	*plon = l2 * 180 / M_PI;
}

/* An active offer of @type titled @title in commune @insee, without a position. */
static struct offer
offer(const char *id, enum offer_type type, const char *title, const char *insee)
{
	return (struct offer){.id = id, .provider = "france-travail", .provider_id = id,
			      .type = type, .title = title, .commune_insee = insee,
			      .dept_code = insee ? geo_dept_of_insee(a, insee) : NULL,
			      .active = true, .raw = "{}", .provider_created_at = 1000,
			      .provider_updated_at = 1000};
}

/* The same, @km from commune @insee's centre towards @deg. */
static struct offer
offer_near(const char *id, const char *title, const char *insee, double km, double deg)
{
	struct geo_commune c = commune(insee);
	struct offer o = offer(id, OFFER_EMPLOI, title, insee);
	o.has_position = true;
	destination(c.lat, c.lon, km, deg, &o.lat, &o.lon);
	return o;
}

/* Stores @n offers through the store (indexed as an import indexes them). */
static void
put(const struct offer *o, int n)
{
	cr_assert_eq(db_tx_begin(fx.db), 0);
	for (int i = 0; i < n; i++)
		cr_assert_geq(offers_store_upsert(fx.db, analyser, &o[i], 5000), 0, "%s", o[i].id);
	cr_assert_eq(db_tx_commit(fx.db), 0);
}

static struct offers_result
search_page(struct offers_form f, int page)
{
	struct offers_criteria c;
	struct refusal why = {0};
	cr_assert_eq(offers_criteria_parse(a, &f, &c, &why), 0, "%s", why.message);
	struct offers_result r;
	cr_assert_eq(offers_search(fx.db, a, analyser, &c, page, &r, &why), 0, "%s",
		     why.message ? why.message : "");
	return r;
}

static struct offers_result
search(struct offers_form f)
{
	return search_page(f, 1);
}

static const char *ids(const struct offers_result *r);

/* The ids of the first page of search @f. */
static const char *
found(struct offers_form f)
{
	struct offers_result r = search(f);
	return ids(&r);
}

static const struct offers_hit *
hit(const struct offers_result *r, const char *id)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->hits[i].id, id))
			return &r->hits[i];
	return NULL;
}

/* The ids of the page, in order, as "A,B,C". */
static const char *
ids(const struct offers_result *r)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < r->n; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "", r->hits[i].id);
	char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return out;
}

Test(search, scenario_1_vendeurs_at_brest_finds_the_sellers_within_10_km_and_not_at_11)
{
	struct offer o[] = {
		offer_near("100AAAA", "Vendeur (H/F)", "29019", 2, 30),
		/* 10 km less a metre: "≤ 10 km", away from the rounding of the boundary. */
		offer_near("100AAAB", "Vendeur (H/F)", "29019", 9.999, 90),
		offer_near("100AAAC", "Vendeur (H/F)", "29019", 11, 90),
		offer_near("100AAAD", "Vendeur (H/F)", "29019", 11, 200),
		offer_near("100AAAE", "Boulanger (H/F)", "29019", 1, 0),
		/* No coordinates: placed at Guipavas's centre, ~8 km from Brest's. */
		offer("100AAAF", OFFER_EMPLOI, "Vendeuse en boulangerie", "29075"),
		/* Another type: not an Emploi result. */
		offer("100AAAG", OFFER_ALTERNANCE, "Vendeur (H/F)", "29019"),
	};
	/* Not in Brest: a commune's own offers match whatever their distance. */
	o[1].commune_insee = o[2].commune_insee = o[3].commune_insee = "29075";
	put(o, 7);
	struct offers_result r = search((struct offers_form){.type = "emploi", .keywords = "vendeurs",
							     .place = "29019"});
	cr_assert_eq(r.count, 3, "%s", ids(&r));
	cr_assert_not_null(hit(&r, "100AAAA"));
	cr_assert_not_null(hit(&r, "100AAAB"));
	cr_assert_not_null(hit(&r, "100AAAF"), "\"vendeurs\" finds \"Vendeuse\" (synonym)");
	cr_assert_null(hit(&r, "100AAAC"), "11 km");
	cr_assert_null(hit(&r, "100AAAD"), "11 km");
	for (int i = 0; i < r.n; i++)
		cr_assert(r.hits[i].has_distance && r.hits[i].distance_km <= 10, "%s at %f km",
			  r.hits[i].id, r.hits[i].distance_km);
	cr_assert(fabs(hit(&r, "100AAAB")->distance_km - 9.999) < 0.001);
	struct geo_commune brest = commune("29019"), guipavas = commune("29075");
	cr_assert(fabs(hit(&r, "100AAAF")->distance_km -
		       geo_distance_km(brest.lat, brest.lon, guipavas.lat, guipavas.lon)) < 1e-6);
	cr_assert_str_eq(hit(&r, "100AAAA")->title, "Vendeur (H/F)");
	/* Without keywords (the offers of the box, not a term's postings): the same circle. */
	r = search((struct offers_form){.type = "emploi", .place = "29019"});
	cr_assert_eq(r.count, 4, "%s", ids(&r));
	cr_assert_not_null(hit(&r, "100AAAE"));
	cr_assert_not_null(hit(&r, "100AAAF"), "placed at Guipavas's centre");
	cr_assert_null(hit(&r, "100AAAC"), "11 km");
	/* 11 km is found with 12 km. */
	r = search((struct offers_form){.type = "emploi", .keywords = "vendeurs", .place = "29019",
					.distance = "12"});
	cr_assert_eq(r.count, 5, "%s", ids(&r));
}

Test(search, scenario_2_a_departement_returns_only_its_offers)
{
	struct offer o[] = {
		offer("200AAAA", OFFER_EMPLOI, "Vendeur", "29019"),
		offer("200AAAB", OFFER_EMPLOI, "Cuisinier", "29232"),
		offer("200AAAC", OFFER_EMPLOI, "Vendeur", "56121"),
		offer_near("200AAAD", "Vendeur", "29019", 1, 0),
	};
	put(o, 4);
	struct offers_result r = search((struct offers_form){.type = "emploi", .place = "29"});
	cr_assert_eq(r.count, 3, "%s", ids(&r));
	cr_assert_null(hit(&r, "200AAAC"));
	for (int i = 0; i < r.n; i++) {
		cr_assert_str_eq(r.hits[i].dept_code, "29");
		cr_assert_not(r.hits[i].has_distance, "no distance with a département");
	}
	r = search((struct offers_form){.type = "emploi", .keywords = "vendeur", .place = "29"});
	cr_assert_str_eq(ids(&r), "200AAAA,200AAAD");
}

Test(search, scenario_3_an_offer_number_returns_exactly_that_offer)
{
	struct offer o[] = {
		offer("123ABCD", OFFER_EMPLOI, "Vendeur", "29019"),
		offer("123ABCE", OFFER_EMPLOI, "Vendeur", "29019"),
		offer("12345678", OFFER_ALTERNANCE, "Apprenti vendeur", "29019"),
	};
	put(o, 3);
	struct offers_result r = search((struct offers_form){.type = "emploi", .number = "123ABCD",
							     .keywords = "cuisinier"});
	cr_assert_eq(r.count, 1);
	cr_assert_str_eq(ids(&r), "123ABCD");
	r = search((struct offers_form){.type = "emploi", .number = "12345678"});
	cr_assert_str_eq(ids(&r), "12345678");
	r = search((struct offers_form){.type = "emploi", .number = "999ZZZZ"});
	cr_assert_eq(r.count, 0);
	cr_assert_eq(r.n, 0);
}

Test(search, scenario_4_more_than_1000_matches_read_plus_de_1000_and_page_101_is_refused)
{
	enum { N = 2345 };
	struct offer *o = arena_alloc(a, sizeof(*o) * N);
	for (int i = 0; i < N; i++) {
		o[i] = offer(arena_printf(a, "%07d", 1000000 + i), OFFER_EMPLOI, "Vendeur (H/F)",
			     "29019");
		o[i].provider_updated_at = 1000 + i;
	}
	put(o, N);
	struct offers_form f = {.type = "emploi", .keywords = "vendeur", .place = "29019"};
	struct offers_result r = search(f);
	cr_assert(r.more);
	cr_assert_eq(r.count, 1001, "counted up to 1,001 rows, never more");
	cr_assert_str_eq(offers_count_label(a, &r), "plus de 1000 offres");
	cr_assert_eq(r.n, 10);
	r = search_page(f, 100);
	cr_assert_eq(r.n, 10, "page 100 is the last one shown");
	struct offers_criteria c;
	struct refusal why = {0};
	cr_assert_eq(offers_criteria_parse(a, &f, &c, &why), 0);
	cr_assert_eq(offers_search(fx.db, a, analyser, &c, 101, &r, &why), -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_eq(offers_search(fx.db, a, analyser, &c, 0, &r, &why), -ERR_INVAL);
	/* Without keywords the count is a query of its own, capped the same way. */
	r = search((struct offers_form){.type = "emploi", .place = "29"});
	cr_assert(r.more);
	cr_assert_eq(r.count, 1001);
	/* Below 1,000: the exact count. */
	f.keywords = NULL;
	f.place = "56";
	cr_assert_eq(search(f).count, 0);
	cr_assert_str_eq(offers_count_label(a, &(struct offers_result){.count = 1}), "1 offre");
	cr_assert_str_eq(offers_count_label(a, &(struct offers_result){.count = 345}), "345 offres");
}

Test(search, words_match_through_the_french_analyser)
{
	struct offer o[] = {
		offer("300AAAA", OFFER_EMPLOI, "Chargé de développement commercial", "29019"),
		offer("300AAAB", OFFER_EMPLOI, "Électricien (H/F)", "29019"),
		offer("300AAAC", OFFER_EMPLOI, "Boulanger (H/F)", "29019"),
		offer("300AAAD", OFFER_EMPLOI, "Cuisinier (H/F)", "29019"),
	};
	put(o, 4);
	struct {
		const char *query, *want;
	} cases[] = {
		{"développer", "300AAAA"}, {"DEVELOPPEMENT", "300AAAA"},
		{"electricien", "300AAAB"}, {"l'électricienne", "300AAAB"},
		{"boulangère", "300AAAC"}, {"boulangers", "300AAAC"},
		{"cuisiniers", "300AAAD"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct offers_result r = search((struct offers_form){.type = "emploi",
								     .keywords = cases[i].query});
		cr_assert_str_eq(ids(&r), cases[i].want, "\"%s\"", cases[i].query);
	}
	/* Stop words only: no keyword, every offer by date. */
	cr_assert_eq(search((struct offers_form){.type = "emploi", .keywords = "de la"}).count, 4);
}

Test(search, every_term_is_required)
{
	struct offer o[] = {
		offer("400AAAA", OFFER_EMPLOI, "Vendeur en boulangerie", "29019"),
		offer("400AAAB", OFFER_EMPLOI, "Vendeur prêt-à-porter", "29019"),
		offer("400AAAC", OFFER_EMPLOI, "Pâtissier", "29019"),
	};
	o[2].description = "Boulangerie du centre";
	put(o, 3);
	struct offers_result r = search((struct offers_form){.type = "emploi",
							     .keywords = "vendeur boulangerie"});
	cr_assert_str_eq(ids(&r), "400AAAA");
	r = search((struct offers_form){.type = "emploi", .keywords = "vendeur"});
	cr_assert_eq(r.count, 2);
	r = search((struct offers_form){.type = "emploi", .keywords = "vendeur plombier"});
	cr_assert_eq(r.count, 0, "a term no offer holds");
}

Test(search, the_title_outranks_the_description_whatever_the_dates)
{
	struct offer o[] = {
		offer("500AAAA", OFFER_EMPLOI, "Assistant commercial", "29019"),
		offer("500AAAB", OFFER_EMPLOI, "Magasinier (H/F)", "29019"),
	};
	o[0].description = "Vous aiderez le magasinier.";
	o[0].provider_updated_at = 9000;   /* the newest: first by date */
	/* The longer offer: without the title's weight, BM25's length normalisation would put
	 * it second. */
	o[1].description = "Réception des palettes, contrôle des livraisons, rangement en "
			   "rayonnage, inventaires tournants, conduite de chariots élévateurs.";
	o[1].provider_updated_at = 2000;
	put(o, 2);
	struct offers_result r = search((struct offers_form){.type = "emploi", .keywords = "magasinier"});
	cr_assert_str_eq(ids(&r), "500AAAB,500AAAA", "the title first");
	cr_assert(r.hits[0].score > r.hits[1].score && r.hits[1].score > 0);
	/* Equal relevance: the update date decides. */
	struct offer twins[] = {offer("500AAAD", OFFER_EMPLOI, "Soudeur", "29019"),
				offer("500AAAE", OFFER_EMPLOI, "Soudeur", "29019")};
	twins[0].provider_updated_at = 1000;
	twins[1].provider_updated_at = 8000;
	put(twins, 2);
	r = search((struct offers_form){.type = "emploi", .keywords = "soudeur"});
	cr_assert_str_eq(ids(&r), "500AAAE,500AAAD");
}

Test(search, an_arrondissement_s_offers_match_its_parent_commune)
{
	struct offer o[] = {
		offer("600AAAA", OFFER_EMPLOI, "Serveur", "75115"),
		offer("600AAAB", OFFER_EMPLOI, "Serveur", "92012"),
		offer("600AAAC", OFFER_EMPLOI, "Serveur", "75056"),
		/* An arrondissement's offer whose coordinates are far off (a provider's error):
		 * still an offer of Paris. */
		offer_near("600AAAD", "Serveur", "75056", 60, 0),
	};
	o[3].commune_insee = "75115";
	put(o, 4);
	struct offers_result r = search((struct offers_form){.type = "emploi", .place = "75056",
							     .distance = "0"});
	cr_assert_eq(r.count, 3, "%s", ids(&r));
	cr_assert_null(hit(&r, "600AAAB"), "Boulogne is not Paris");
	r = search((struct offers_form){.type = "emploi", .place = "75056"});
	cr_assert_eq(r.count, 4, "Boulogne is within 10 km: %s", ids(&r));
	r = search((struct offers_form){.type = "emploi", .place = "75115", .distance = "0"});
	cr_assert_str_eq(ids(&r), "600AAAA,600AAAD");
	/* Distance 0 elsewhere: the commune only. */
	struct offer b[] = {offer_near("600AAAE", "Serveur", "29019", 1, 0),
			    offer_near("600AAAF", "Serveur", "29235", 1, 0)};
	put(b, 2);
	r = search((struct offers_form){.type = "emploi", .place = "29019", .distance = "0"});
	cr_assert_str_eq(ids(&r), "600AAAE");
}

Test(search, a_rome_code_filters_the_offers_rome_code)
{
	struct offer o[] = {
		offer("700AAAA", OFFER_EMPLOI, "Vendeur en épicerie", "29019"),
		offer("700AAAB", OFFER_EMPLOI, "Vendeur en boulangerie", "29019"),
		offer("700AAAC", OFFER_EMPLOI, "Conseiller de vente", "29019"),
	};
	o[0].rome_code = "D1106";
	o[1].rome_code = "D1102";
	o[2].rome_code = "D1106";
	o[2].description = "Mentionne D1102 dans son texte.";
	put(o, 3);
	struct offers_result r = search((struct offers_form){.type = "emploi", .keywords = "D1106"});
	cr_assert_str_eq(ids(&r), "700AAAA,700AAAC");
	r = search((struct offers_form){.type = "emploi", .keywords = "D1102"});
	cr_assert_str_eq(ids(&r), "700AAAB", "a code in a text is no ROME code of the offer");
	r = search((struct offers_form){.type = "emploi", .keywords = "vendeur D1106"});
	cr_assert_str_eq(ids(&r), "700AAAA");
	r = search((struct offers_form){.type = "emploi", .keywords = "D1106 D1102"});
	cr_assert_eq(r.count, 0);
}

Test(search, contract_working_time_and_beginner_filters)
{
	const char *codes[] = {"CDI", "DIN", "CDD", "MIS", "SAI", "LIB", "CDI"};
	struct offer o[7];
	for (int i = 0; i < 7; i++) {
		o[i] = offer(arena_printf(a, "800AAA%c", 'A' + i), OFFER_EMPLOI, "Agent", "29019");
		o[i].contract_code = codes[i];
		o[i].work_time = i % 2 ? "PARTIAL" : "FULL";
		o[i].experience_code = i < 3 ? "D" : "E";
		o[i].provider_updated_at = 1000 + i;   /* G newest … A oldest */
	}
	put(o, 7);
	const char *cdi[] = {"CDI"}, *cdd[] = {"CDD"}, *other[] = {"AUTRES"}, *cdi_other[] = {"CDI", "AUTRES"};
	const char *full[] = {"PLEIN"}, *part[] = {"PARTIEL"};
	struct offers_form f = {.type = "emploi", .contracts = cdi, .n_contracts = 1};
	cr_assert_str_eq(found(f), "800AAAG,800AAAB,800AAAA");
	f.contracts = cdd;
	cr_assert_str_eq(found(f), "800AAAE,800AAAD,800AAAC");
	f.contracts = other;
	cr_assert_str_eq(found(f), "800AAAF");
	f.contracts = cdi_other;
	f.n_contracts = 2;
	cr_assert_eq(search(f).count, 4);
	f = (struct offers_form){.type = "emploi", .work_times = full, .n_work_times = 1};
	cr_assert_str_eq(found(f), "800AAAG,800AAAE,800AAAC,800AAAA");
	f.work_times = part;
	cr_assert_str_eq(found(f), "800AAAF,800AAAD,800AAAB");
	f = (struct offers_form){.type = "emploi", .beginner = true};
	cr_assert_str_eq(found(f), "800AAAC,800AAAB,800AAAA");
	f = (struct offers_form){.type = "emploi", .beginner = true, .contracts = cdi,
				 .n_contracts = 1, .work_times = full, .n_work_times = 1};
	cr_assert_str_eq(found(f), "800AAAA");
}

Test(search, without_keywords_each_type_has_its_order)
{
	struct offer o[] = {
		offer("900AAAA", OFFER_EMPLOI, "Agent", "29019"),
		offer("900AAAB", OFFER_EMPLOI, "Agent", "29019"),
		offer("900AAAC", OFFER_EMPLOI, "Agent", "29019"),
		offer("mission-1", OFFER_SERVICE_CIVIQUE, "Mission", "29019"),
		offer("mission-2", OFFER_SERVICE_CIVIQUE, "Mission", "29019"),
		offer_near("11111111111111-1", "Boulanger", "29019", 5, 0),
		offer_near("22222222222222-1", "Boulanger", "29019", 1, 0),
		offer_near("33333333333333-1", "Boulanger", "29019", 3, 0),
		offer("900AAAD", OFFER_EMPLOI, "Agent", "29019"),
	};
	o[0].provider_updated_at = 3000;
	o[1].provider_updated_at = 5000;
	o[2].provider_updated_at = 4000;
	o[8].active = false;   /* inactive: never a result */
	o[8].provider_updated_at = 9000;
	/* Service civique: the creation date, not the update. */
	o[3].provider_created_at = 2000;
	o[3].provider_updated_at = 9000;
	o[4].provider_created_at = 7000;
	o[4].provider_updated_at = 1000;
	for (int i = 5; i < 8; i++)
		o[i].type = OFFER_IMMERSION;
	put(o, 9);
	struct offers_result r = search((struct offers_form){.type = "emploi"});
	cr_assert_str_eq(ids(&r), "900AAAB,900AAAC,900AAAA");
	r = search((struct offers_form){.type = "service-civique"});
	cr_assert_str_eq(ids(&r), "mission-2,mission-1");
	/* Immersion: by distance, even with its (required) métier. */
	r = search((struct offers_form){.type = "immersion", .keywords = "boulanger", .place = "29019"});
	cr_assert_str_eq(ids(&r), "22222222222222-1,33333333333333-1,11111111111111-1");
}

Test(search, a_mission_s_domain_and_start_date_filter_service_civique)
{
	/* Missions in Brest, the newest created first; starts read at midnight in Paris. */
	struct offer o[] = {
		offer("m-sante-mars", OFFER_SERVICE_CIVIQUE, "Aide aux soignants", "29019"),
		offer("m-sante-fevrier", OFFER_SERVICE_CIVIQUE, "Aide aux soignants", "29019"),
		offer("m-sport-avril", OFFER_SERVICE_CIVIQUE, "Animer le club", "29019"),
		offer("m-sante-sans-date", OFFER_SERVICE_CIVIQUE, "Aide aux soignants", "29019"),
		offer("m-sante-deja", OFFER_SERVICE_CIVIQUE, "Aide aux soignants", "29019"),
		offer("960AAAA", OFFER_EMPLOI, "Aide soignant", "29019"),
	};
	const char *domains[] = {"Santé", "Santé", "Sport", "Santé", "Santé", "Santé"};
	int64_t starts[] = {fixture_at("2025-03-01T00:00:00+01:00"),
			    fixture_at("2025-02-28T23:59:00+01:00"),
			    fixture_at("2025-04-01T00:00:00+02:00"), 0,
			    fixture_at("2024-09-01T00:00:00+02:00"),
			    fixture_at("2025-06-01T00:00:00+02:00")};
	for (int i = 0; i < 6; i++) {
		o[i].domain = domains[i];
		o[i].start_date = starts[i];
		o[i].provider_created_at = 6000 - i;
	}
	put(o, 6);
	struct offers_form f = {.type = "service-civique", .domain = "sante"};
	cr_assert_str_eq(found(f), "m-sante-mars,m-sante-fevrier,m-sante-sans-date,m-sante-deja",
			 "\"Dès que possible\": started or not, dated or not");
	f.start = "2025-03-01";
	cr_assert_str_eq(found(f), "m-sante-mars", "from 1 March, Paris");
	f.domain = NULL;
	cr_assert_str_eq(found(f), "m-sante-mars,m-sport-avril");
	f.start = "01/04/2025";
	cr_assert_str_eq(found(f), "m-sport-avril");
	/* The same filters behind a commune and behind keywords. */
	f = (struct offers_form){.type = "service-civique", .place = "29019", .domain = "sante",
				 .start = "2025-02-28"};
	cr_assert_str_eq(found(f), "m-sante-mars,m-sante-fevrier");
	f = (struct offers_form){.type = "service-civique", .keywords = "soignants",
				 .domain = "sport"};
	cr_assert_str_eq(found(f), "");
	f.domain = "sante";
	f.start = "2025-03-01";
	cr_assert_str_eq(found(f), "m-sante-mars");
	struct offers_result r = search(f);
	cr_assert_eq(r.count, 1);
	cr_assert_str_eq(r.hits[0].domain, "Santé");
}

Test(search, reindexing_an_offer_replaces_its_terms_and_keeps_the_statistics)
{
	struct offer o = offer("950AAAA", OFFER_EMPLOI, "Plombier", "29019");
	put(&o, 1);
	cr_assert_eq(search((struct offers_form){.type = "emploi", .keywords = "plombier"}).count, 1);
	o.title = "Chauffagiste";
	put(&o, 1);
	cr_assert_eq(search((struct offers_form){.type = "emploi", .keywords = "plombier"}).count, 0);
	cr_assert_eq(search((struct offers_form){.type = "emploi", .keywords = "chauffagiste"}).count, 1);
	cr_assert_eq(fixture_count(&fx, "SELECT docs FROM offer_search_stat", NULL), 1);
	cr_assert_eq(fixture_count(&fx, "SELECT total_len FROM offer_search_stat", NULL), 4,
		     "one title word, weight 4");
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_term WHERE offer_id = $1",
				   "950AAAA"), 1);
}

Test(search, an_unknown_commune_is_refused)
{
	struct offers_form f = {.type = "emploi", .place = "99999"};
	struct offers_criteria c;
	struct refusal why = {0};
	struct offers_result r;
	cr_assert_eq(offers_criteria_parse(a, &f, &c, &why), -ERR_INVAL, "99 is no département");
	f.place = "29999";
	cr_assert_eq(offers_criteria_parse(a, &f, &c, &why), 0);
	cr_assert_eq(offers_search(fx.db, a, analyser, &c, 1, &r, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "lieu");
}
