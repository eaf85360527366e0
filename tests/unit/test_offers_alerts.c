/* test_offers_alerts.c — saved searches, the counselor's suggestions and the alerts
 * (offers.md §4, §6, §10 scenario 8; docs/offers.md "Alertes"): the pure rules (suite
 * rules), then the use cases and the alert runs on SQLite and PostgreSQL (suites saved and
 * alerts: meson test --setup postgres), with the real communes referential and offers
 * stored through offers_store — so indexed as an import indexes them, first_seen_at set by
 * the store at the instant given. */
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"
#include "notifications/notifications.h"
#include "offers/offers.h"
#include "offers/offers_alerts.h"
#include "offers/offers_saved.h"
#include "offers/offers_search.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

static struct arena *a;

/* ======================================================================================
 * The rules (pure)
 * ==================================================================================== */

FIXTURE_ARENA_SUITE(rules, a);

static struct offers_criteria
criteria(struct offers_form f)
{
	struct offers_criteria c;
	struct refusal why = {0};
	cr_assert_eq(offers_criteria_parse(a, &f, &c, &why), 0, "%s", why.message);
	return c;
}

Test(rules, the_default_name_is_keywords_dash_place_or_whichever_is_given)
{
	struct offers_criteria c = criteria((struct offers_form){.type = "emploi",
		.keywords = " vendeur ", .place = "29019"});
	cr_assert_str_eq(offers_saved_default_name(a, &c, "Brest (29200)"), "vendeur - Brest (29200)");
	cr_assert_str_eq(offers_saved_default_name(a, &c, NULL), "vendeur");
	c = criteria((struct offers_form){.type = "service-civique", .place = "29"});
	cr_assert_str_eq(offers_saved_default_name(a, &c, "Finistère (29)"), "Finistère (29)");
	c = criteria((struct offers_form){.type = "service-civique"});
	cr_assert_str_eq(offers_saved_default_name(a, &c, NULL), "Service civique");
	c = criteria((struct offers_form){.type = "emploi", .number = "123abcd"});
	cr_assert_str_eq(offers_saved_default_name(a, &c, NULL), "Offre n°123ABCD");
	/* Cut at 100 characters, not bytes: 99 'é' (2 bytes each) then " - …". */
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 99; i++)
		g_string_append(s, "é");
	c = criteria((struct offers_form){.type = "emploi", .keywords = s->str});
	const char *name = offers_saved_default_name(a, &c, "Brest (29200)");
	cr_assert_eq(g_utf8_strlen(name, -1), 100);
	cr_assert(g_utf8_validate(name, -1, NULL));
	cr_assert(g_str_has_suffix(name, "é "));
	g_string_free(s, TRUE);
}

Test(rules, a_name_is_1_to_100_characters_with_the_spec_message_when_empty)
{
	struct refusal why = {0};
	const char *out;
	cr_assert_eq(offers_saved_name_check(a, "   ", &out, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "nom");
	cr_assert_str_eq(why.message, "Renseigne un nom pour ta recherche");
	cr_assert_eq(offers_saved_name_check(a, NULL, &out, &why), -ERR_INVAL);
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 100; i++)
		g_string_append(s, "é");
	cr_assert_eq(offers_saved_name_check(a, s->str, &out, &why), 0, "100 characters");
	g_string_append_c(s, 'x');
	cr_assert_eq(offers_saved_name_check(a, s->str, &out, &why), -ERR_INVAL, "101 characters");
	cr_assert_str_eq(why.message, OFFERS_SAVED_NAME_LONG);
	g_string_free(s, TRUE);
	cr_assert_eq(offers_saved_name_check(a, "  Vendeur à Brest ", &out, &why), 0);
	cr_assert_str_eq(out, "Vendeur à Brest");
}

Test(rules, criteria_are_shareable_as_section_4_says)
{
	struct {
		struct offers_form f;
		bool ok;
	} cases[] = {
		{{.type = "emploi", .keywords = "vendeur", .place = "29019"}, true},
		{{.type = "emploi", .keywords = "vendeur", .place = "29"}, true},
		{{.type = "emploi", .keywords = "vendeur"}, false},
		{{.type = "emploi", .place = "29019"}, false},
		{{.type = "emploi", .number = "123ABCD"}, false},
		{{.type = "alternance", .keywords = "boulanger", .place = "75056"}, true},
		{{.type = "immersion", .keywords = "boulanger", .place = "29019"}, true},
		{{.type = "service-civique", .place = "29019"}, true},
		{{.type = "service-civique", .place = "29"}, false},
		{{.type = "service-civique", .keywords = "sport"}, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct offers_criteria c = criteria(cases[i].f);
		cr_assert_eq(offers_saved_shareable(&c), cases[i].ok, "case %zu", i);
	}
}

Test(rules, criteria_are_kept_as_json_with_the_type_and_come_back_as_the_same_url)
{
	const char *contracts[] = {"CDI", "AUTRES"}, *times[] = {"PARTIEL"};
	struct offers_form f = {.type = "emploi", .keywords = "vendeur", .place = "29019",
				.distance = "20", .contracts = contracts, .n_contracts = 2,
				.work_times = times, .n_work_times = 1, .beginner = true};
	struct offers_criteria c = criteria(f);
	json_t *j = offers_saved_criteria_json(&f, &c);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	cr_assert_str_eq(text, "{\"contrat\":[\"CDI\",\"AUTRES\"],\"debutant\":true,\"distance\":\"20\","
			 "\"lieu\":\"29019\",\"motscles\":\"vendeur\",\"temps\":[\"PARTIEL\"],"
			 "\"type\":\"EMPLOI\"}");
	cr_assert_str_eq(offers_saved_query(a, text), "type=emploi&motscles=vendeur&lieu=29019"
			 "&distance=20&contrat=CDI&contrat=AUTRES&temps=PARTIEL&debutant=1");
	free(text);
	json_decref(j);
	/* An alternance search is kept as ALTERNANCE (§6), its contracts dropped (Emploi only). */
	struct offers_form alt = {.type = "alternance", .keywords = "vendeur", .place = "29",
				  .contracts = contracts, .n_contracts = 2};
	c = criteria(alt);
	j = offers_saved_criteria_json(&alt, &c);
	cr_assert_str_eq(json_string_value(json_object_get(j, "type")), "ALTERNANCE");
	cr_assert_null(json_object_get(j, "contrat"));
	cr_assert_null(json_object_get(j, "distance"), "no distance with a département");
	json_decref(j);
	cr_assert_null(offers_saved_query(a, "{\"type\":\"STAGE\"}"));
	cr_assert_null(offers_saved_query(a, "pas du json"));
}

Test(rules, a_mission_s_domain_and_start_date_are_kept_and_dropped_with_dès_que_possible)
{
	struct offers_form f = {.type = "service-civique", .place = "29019", .domain = "sante",
				.start_mode = "a-partir-de", .start = "01/03/2027"};
	struct offers_criteria c = criteria(f);
	json_t *j = offers_saved_criteria_json(&f, &c);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	cr_assert_str_eq(text, "{\"debut\":\"2027-03-01\",\"distance\":\"10\",\"domaine\":"
			 "\"sante\",\"lieu\":\"29019\",\"type\":\"SERVICE_CIVIQUE\"}");
	cr_assert_str_eq(offers_saved_query(a, text), "type=service-civique&lieu=29019&distance=10"
			 "&domaine=sante&debut=2027-03-01");
	struct refusal why = {0};
	cr_assert_eq(offers_saved_criteria(a, text, &c, &why), 0);
	cr_assert_str_eq(c.domain->label, "Santé");
	cr_assert_str_eq(c.start_from, "2027-03-01");
	free(text);
	json_decref(j);
	/* "Dès que possible": no date kept. */
	f.start_mode = "des-que-possible";
	c = criteria(f);
	j = offers_saved_criteria_json(&f, &c);
	cr_assert_null(json_object_get(j, "debut"));
	json_decref(j);
}

/* ======================================================================================
 * Saved searches and suggestions (both engines)
 * ==================================================================================== */

#define DAY (24 * 3600 * 1000LL)

static struct fixture fx;
static struct offers_text *analyser;
static const char *claire, *denis, *lea, *hugo, *zoe;   /* counselors, then beneficiaries */

static void
setup(void)
{
	fixture_open(&fx, "offers-alerts", FIXTURE_DB);
	a = fx.a;
	fixture_geo(&fx);
	char *why = NULL;
	analyser = offers_text_embedded(&why);
	cr_assert_not_null(analyser, "%s", why);
	arena_defer(a, (void (*)(void *))offers_text_free, analyser);
	const char *ml = fixture_structure(&fx, "29019S00", "ML Brest", FIXTURE_PARIS);
	claire = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "Claire", .last_name = "Martin", .structure_id = ml});
	denis = fixture_counselor(&fx, &(struct admin_counselor){.email = "d@x.fr",
		.first_name = "Denis", .last_name = "Roux", .structure_id = ml});
	lea = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = ml,
		.counselor_id = claire, .first_name = "Léa", .last_name = "Bertin",
		.activated_at = 1000});
	hugo = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = ml,
		.counselor_id = claire, .first_name = "Hugo", .last_name = "Carré",
		.activated_at = 1000});
	zoe = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = ml,
		.counselor_id = denis, .first_name = "Zoé", .last_name = "Roux",
		.activated_at = 1000});
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(saved, .init = setup, .fini = teardown);
TestSuite(alerts, .init = setup, .fini = teardown);

static const struct offers_form vendeur_brest = {.type = "emploi", .keywords = "vendeur",
						 .place = "29019"};

static const char *
create(const char *who, const char *name, struct offers_form f, int64_t now)
{
	const char *id = NULL;
	struct refusal why = {0};
	cr_assert_eq(offers_saved_create(fx.db, a, now, who, name, &f, &id, &why), 0, "%s",
		     why.message ? why.message : "");
	return id;
}

Test(saved, a_saved_search_is_listed_newest_first_opened_and_deleted_by_its_owner_only)
{
	const char *first = create(lea, "Vendeur à Brest", vendeur_brest, 10 * DAY);
	const char *second = create(lea, "Service civique", (struct offers_form){
		.type = "service-civique", .place = "29019"}, 11 * DAY);
	struct offers_saved *s;
	cr_assert_eq(offers_saved_list(fx.db, a, lea, false, 0, &s), 2);
	cr_assert_str_eq(s[0].id, second);
	cr_assert_str_eq(s[1].name, "Vendeur à Brest");
	cr_assert_eq(s[1].type, OFFER_EMPLOI);
	cr_assert_str_eq(s[1].query, "type=emploi&motscles=vendeur&lieu=29019&distance=10");
	cr_assert_eq(offers_saved_list(fx.db, a, lea, false, 1, &s), 1, "the home's limit");
	cr_assert_eq(offers_saved_list(fx.db, a, hugo, false, 0, &s), 0);
	/* Someone else's: not found, unchanged. */
	struct offers_saved o;
	cr_assert_eq(offers_saved_open(fx.db, a, 12 * DAY, hugo, first, &o), -ERR_NOTFOUND);
	cr_assert_eq(offers_saved_delete(fx.db, hugo, first), -ERR_NOTFOUND);
	cr_assert_eq(offers_saved_open(fx.db, a, 12 * DAY, lea, first, &o), 0);
	cr_assert_eq(fixture_count(&fx, "SELECT last_searched_at / 86400000 FROM offer_saved_search "
				   "WHERE id = $1", first), 12);
	cr_assert_eq(offers_saved_delete(fx.db, lea, first), 0);
	cr_assert_eq(offers_saved_list(fx.db, a, lea, false, 0, &s), 1);
	/* Each save is an indicator event "Recherches sauvegardées" (offers.md §7). */
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_event WHERE beneficiary_id = $1 "
				   "AND code = 'RECHERCHE_SAUVEGARDEE'", lea), 2);
}

Test(saved, a_51st_search_and_an_empty_name_are_refused)
{
	for (int i = 0; i < OFFERS_SAVED_MAX; i++)
		create(lea, "Vendeur", vendeur_brest, DAY + i);
	const char *id = NULL;
	struct refusal why = {0};
	cr_assert_eq(offers_saved_create(fx.db, a, 2 * DAY, lea, "Une de plus", &vendeur_brest,
					 &id, &why), -ERR_CONFLICT);
	cr_assert_eq(why.status, 409);
	cr_assert_str_eq(why.message, OFFERS_SAVED_TOO_MANY);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_saved_search WHERE "
				   "beneficiary_id = $1", lea), 50);
	/* Someone else still may. */
	create(hugo, "Vendeur", vendeur_brest, 2 * DAY);
	why = (struct refusal){0};
	cr_assert_eq(offers_saved_create(fx.db, a, 2 * DAY, hugo, " ", &vendeur_brest, &id, &why),
		     -ERR_INVAL);
	cr_assert_str_eq(why.message, "Renseigne un nom pour ta recherche");
	why = (struct refusal){0};
	cr_assert_eq(offers_saved_create(fx.db, a, 2 * DAY, hugo, "x", &(struct offers_form){
		.type = "emploi", .number = "12AB"}, &id, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, "Le numéro d'offre est invalide. Exemple : 123ABCD.");
}

Test(saved, shared_criteria_reach_each_beneficiary_chosen_who_accepts_or_refuses)
{
	struct refusal why = {0};
	const char *both[] = {lea, hugo};
	cr_assert_eq(offers_saved_suggest(fx.db, a, DAY, claire, &vendeur_brest, both, 2, &why), 0);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM notification WHERE type = "
				   "'SEARCH_SUGGESTION' AND title = 'Nouvelle suggestion' AND body = "
				   "'Votre conseiller vous suggère une recherche' AND push = 0", NULL), 2);
	struct offers_saved *s;
	cr_assert_eq(offers_saved_list(fx.db, a, lea, true, 0, &s), 1);
	cr_assert(s[0].suggestion);
	cr_assert(s[0].from_counselor);
	cr_assert_str_eq(s[0].name, "vendeur - Brest (29200)");
	cr_assert_eq(offers_saved_list(fx.db, a, lea, false, 0, &s), 0, "not saved yet");
	const char *for_lea = NULL;
	cr_assert_eq(offers_saved_list(fx.db, a, lea, true, 0, &s), 1);
	for_lea = s[0].id;
	cr_assert_eq(offers_saved_list(fx.db, a, hugo, true, 0, &s), 1);
	const char *for_hugo = s[0].id;
	/* Only one's own, and only once. */
	cr_assert_eq(offers_saved_answer(fx.db, 2 * DAY, hugo, for_lea, true, &why), -ERR_NOTFOUND);
	cr_assert_eq(offers_saved_answer(fx.db, 2 * DAY, lea, for_lea, true, &why), 0);
	cr_assert_eq(offers_saved_answer(fx.db, 2 * DAY, lea, for_lea, false, &why), -ERR_NOTFOUND);
	cr_assert_eq(offers_saved_answer(fx.db, 2 * DAY, hugo, for_hugo, false, &why), 0);
	cr_assert_eq(offers_saved_list(fx.db, a, lea, false, 0, &s), 1);
	cr_assert_str_eq(s[0].id, for_lea);
	cr_assert_not(s[0].suggestion);
	cr_assert_eq(offers_saved_list(fx.db, a, lea, true, 0, &s), 0);
	cr_assert_eq(offers_saved_list(fx.db, a, hugo, false, 0, &s), 0);
	cr_assert_eq(offers_saved_list(fx.db, a, hugo, true, 0, &s), 0);
	/* The accepted suggestion is a saved search (§7), the refused one is not. */
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_event WHERE code = "
				   "'RECHERCHE_SAUVEGARDEE' AND beneficiary_id = $1", lea), 1);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_event WHERE code = "
				   "'RECHERCHE_SAUVEGARDEE' AND beneficiary_id = $1", hugo), 0);
}

Test(saved, criteria_are_shared_only_to_the_own_portfolio_and_only_when_shareable)
{
	struct refusal why = {0};
	const char *with_zoe[] = {lea, zoe};
	cr_assert_eq(offers_saved_suggest(fx.db, a, DAY, claire, &vendeur_brest, with_zoe, 2, &why),
		     -ERR_FORBIDDEN);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_saved_search", NULL), 0,
		     "all or nothing");
	why = (struct refusal){0};
	cr_assert_eq(offers_saved_suggest(fx.db, a, DAY, claire, &(struct offers_form){
		.type = "emploi", .keywords = "vendeur"}, with_zoe, 1, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, OFFERS_SAVED_NOT_SHAREABLE);
	why = (struct refusal){0};
	cr_assert_eq(offers_saved_suggest(fx.db, a, DAY, claire, &vendeur_brest, NULL, 0, &why),
		     -ERR_INVAL);
	cr_assert_str_eq(why.field, "beneficiaires");
}

Test(saved, searches_unused_for_two_years_are_purged)
{
	int64_t t0 = 100 * DAY;
	const char *old = create(lea, "Ancienne", vendeur_brest, t0);
	const char *used = create(lea, "Utilisée", vendeur_brest, t0);
	const char *recent = create(lea, "Récente", vendeur_brest, t0 + 400 * DAY);
	struct offers_saved o;
	cr_assert_eq(offers_saved_open(fx.db, a, t0 + 300 * DAY, lea, used, &o), 0);
	cr_assert_eq(offers_saved_purge_unused(fx.db, t0 + 730 * DAY), 0, "2 years exactly: kept");
	cr_assert_eq(offers_saved_purge_unused(fx.db, t0 + 730 * DAY + 1), 1);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_saved_search WHERE id = $1",
				   old), 0);
	cr_assert_eq(offers_saved_purge_unused(fx.db, t0 + 1030 * DAY + 1), 1);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_saved_search WHERE id = $1",
				   recent), 1);
}

/* ======================================================================================
 * The alert runs
 * ==================================================================================== */

/* An active offer of @type in commune @insee (placed at its centre), seen first at @at. */
static void
offer_at(const char *id, enum offer_type type, const char *title, const char *insee, int64_t at)
{
	struct offer o = {.id = id, .provider = "engagement", .provider_id = id, .type = type,
			  .title = title, .commune_insee = insee,
			  .dept_code = geo_dept_of_insee(a, insee), .active = true, .raw = "{}",
			  .provider_created_at = at, .provider_updated_at = at};
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_geq(offers_store_upsert(fx.db, analyser, &o, at), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
}

static struct offers_alerts_stats
run(int64_t now, enum offer_type type)
{
	struct offers_alerts_stats s;
	cr_assert_eq(offers_alerts_run(fx.db, analyser, now, &type, 1, &s), 0);
	return s;
}

static int
alerts_of(const char *who)
{
	return fixture_count(&fx, "SELECT count(*) FROM notification WHERE type = 'NEW_OFFERS' AND "
			     "beneficiary_id = $1", who);
}

Test(alerts, scenario_8_a_mission_imported_at_10_is_alerted_once_at_11)
{
	/* Monday 7 December 2026, Paris (UTC+1). */
	int64_t created = fixture_at("2026-12-06T18:00:00+01:00");
	const char *id = create(lea, "Missions à Brest", (struct offers_form){
		.type = "service-civique", .place = "29019"}, created);
	offer_at("sc-1", OFFER_SERVICE_CIVIQUE, "Aide aux devoirs", "29019",
		 fixture_at("2026-12-07T10:00:00+01:00"));
	int64_t at11 = fixture_at("2026-12-07T11:00:00+01:00");
	struct offers_alerts_stats s = run(at11, OFFER_SERVICE_CIVIQUE);
	cr_assert_eq(s.searched, 1);
	cr_assert_eq(s.notified, 1);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM notification WHERE type = 'NEW_OFFERS' "
				   "AND title = 'Missions à Brest' AND body = 'De nouveaux résultats "
				   "sont disponibles' AND push = 1 AND key = 'NEW_OFFERS:' || CAST($1 AS TEXT) "
				   "|| ':2026-12-07' AND url = '/app/offres/alertes/' || CAST($1 AS TEXT)",
				   id), 1);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_saved_search WHERE "
				   "last_alert_state = 'SUCCES' AND last_alert_day = '2026-12-07' AND "
				   "id = $1", id), 1);
	/* A second run the same day sends nothing, even with a new mission. */
	offer_at("sc-2", OFFER_SERVICE_CIVIQUE, "Sport pour tous", "29019",
		 fixture_at("2026-12-07T11:30:00+01:00"));
	s = run(fixture_at("2026-12-07T23:59:00+01:00"), OFFER_SERVICE_CIVIQUE);
	cr_assert_eq(s.searched, 0);
	cr_assert_eq(alerts_of(lea), 1);
	/* The next day: sc-2 entered after the last run's start, so it is new. */
	s = run(fixture_at("2026-12-08T11:00:00+01:00"), OFFER_SERVICE_CIVIQUE);
	cr_assert_eq(s.notified, 1);
	cr_assert_eq(alerts_of(lea), 2);
	/* The day after, nothing new: looked at, nothing sent. */
	s = run(fixture_at("2026-12-09T11:00:00+01:00"), OFFER_SERVICE_CIVIQUE);
	cr_assert_eq(s.searched, 1);
	cr_assert_eq(s.notified, 0);
	cr_assert_eq(alerts_of(lea), 2);
}

Test(alerts, a_saved_mission_search_alerts_only_on_its_domain_and_start_date)
{
	int64_t created = fixture_at("2026-12-06T18:00:00+01:00");
	create(lea, "Santé à Brest", (struct offers_form){.type = "service-civique",
		.place = "29019", .domain = "sante"}, created);
	create(hugo, "Brest en mars", (struct offers_form){.type = "service-civique",
		.place = "29019", .start = "2027-03-01"}, created);
	int64_t seen = fixture_at("2026-12-07T10:00:00+01:00");
	/* A sport mission starting in February: neither search's. */
	struct offer o = {.id = "sc-sport", .provider = "engagement", .provider_id = "sc-sport",
			  .type = OFFER_SERVICE_CIVIQUE, .title = "Sport pour tous",
			  .commune_insee = "29019", .dept_code = "29", .active = true, .raw = "{}",
			  .domain = "Sport", .start_date = fixture_at("2027-02-15T00:00:00+01:00"),
			  .provider_created_at = seen, .provider_updated_at = seen};
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_geq(offers_store_upsert(fx.db, analyser, &o, seen), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	struct offers_alerts_stats s = run(fixture_at("2026-12-07T11:00:00+01:00"),
					   OFFER_SERVICE_CIVIQUE);
	cr_assert_eq(s.searched, 2);
	cr_assert_eq(s.notified, 0, "another domain, an earlier start");
	/* The next day, a health mission from 1 March: both. */
	o.id = o.provider_id = "sc-sante";
	o.domain = "Santé";
	o.start_date = fixture_at("2027-03-01T00:00:00+01:00");
	seen += DAY;
	o.provider_created_at = o.provider_updated_at = seen;
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_geq(offers_store_upsert(fx.db, analyser, &o, seen), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	s = run(fixture_at("2026-12-08T11:00:00+01:00"), OFFER_SERVICE_CIVIQUE);
	cr_assert_eq(s.notified, 2);
	cr_assert_eq(alerts_of(lea), 1);
	cr_assert_eq(alerts_of(hugo), 1);
}

Test(alerts, only_new_matching_offers_of_the_run_types_alert)
{
	int64_t created = fixture_at("2026-12-06T18:00:00+01:00");
	create(lea, "Vendeur Brest", vendeur_brest, created);
	create(hugo, "Boulanger Brest", (struct offers_form){.type = "emploi",
		.keywords = "boulanger", .place = "29019"}, created);
	create(zoe, "Vendeur Paris", (struct offers_form){.type = "emploi", .keywords = "vendeur",
		.place = "75056"}, created);
	/* Seen before the searches were made: not new. */
	offer_at("old", OFFER_EMPLOI, "Boulanger (H/F)", "29019", created - DAY);
	/* New: a seller in Brest, and a seller in Quimper (70 km away). */
	offer_at("new", OFFER_EMPLOI, "Vendeur (H/F)", "29019",
		 fixture_at("2026-12-07T07:00:00+01:00"));
	offer_at("far", OFFER_EMPLOI, "Vendeuse", "29232", fixture_at("2026-12-07T07:00:00+01:00"));
	/* The 11:00 run is for Service civique only. */
	struct offers_alerts_stats s = run(fixture_at("2026-12-07T11:00:00+01:00"),
					   OFFER_SERVICE_CIVIQUE);
	cr_assert_eq(s.searched, 0);
	s = run(fixture_at("2026-12-07T09:00:00+01:00"), OFFER_EMPLOI);
	cr_assert_eq(s.searched, 3);
	cr_assert_eq(s.notified, 1);
	cr_assert_eq(alerts_of(lea), 1);
	cr_assert_eq(alerts_of(hugo), 0, "its only match was there before");
	cr_assert_eq(alerts_of(zoe), 0, "no seller in Paris");
}

Test(alerts, the_preference_gates_the_push_not_the_centre_entry)
{
	create(lea, "Vendeur Brest", vendeur_brest, fixture_at("2026-12-06T18:00:00+01:00"));
	cr_assert_eq(db_exec(fx.db, "UPDATE beneficiary SET pref_alertes_offres = 0"), 0);
	offer_at("new", OFFER_EMPLOI, "Vendeur (H/F)", "29019", fixture_at("2026-12-07T07:00:00+01:00"));
	run(fixture_at("2026-12-07T09:00:00+01:00"), OFFER_EMPLOI);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM notification WHERE type = 'NEW_OFFERS' "
				   "AND push = 0", NULL), 1);
}

Test(alerts, a_search_whose_criteria_fail_is_marked_ECHEC_and_retried)
{
	const char *id = create(lea, "Vendeur Brest", vendeur_brest,
				fixture_at("2026-12-06T18:00:00+01:00"));
	offer_at("new", OFFER_EMPLOI, "Vendeur (H/F)", "29019", fixture_at("2026-12-07T07:00:00+01:00"));
	/* A commune the referential no longer knows. */
	cr_assert_eq(db_exec(fx.db, "UPDATE offer_saved_search SET criteria = "
			     "'{\"type\":\"EMPLOI\",\"motscles\":\"vendeur\",\"lieu\":\"29999\"}'"), 0);
	enum offer_type t = OFFER_EMPLOI;
	struct offers_alerts_stats s;
	cr_assert_eq(offers_alerts_run(fx.db, analyser, fixture_at("2026-12-07T09:00:00+01:00"), &t, 1,
				       &s), -ERR_DB);
	cr_assert_eq(s.failed, 1);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer_saved_search WHERE "
				   "last_alert_state = 'ECHEC' AND last_alert_day IS NULL AND "
				   "last_alert_run_at IS NULL AND id = $1", id), 1);
	/* Repaired, the job's retry the same day runs it. */
	cr_assert_eq(db_exec(fx.db, "UPDATE offer_saved_search SET criteria = "
			     "'{\"type\":\"EMPLOI\",\"motscles\":\"vendeur\",\"lieu\":\"29019\"}'"), 0);
	s = run(fixture_at("2026-12-07T09:05:00+01:00"), OFFER_EMPLOI);
	cr_assert_eq(s.notified, 1);
	cr_assert_eq(alerts_of(lea), 1);
}

Test(alerts, the_daily_jobs_are_planned_at_9_and_11_paris)
{
	int64_t now = fixture_at("2026-12-07T08:00:00+01:00");
	cr_assert_eq(offers_alerts_plan_jobs(fx.db, now), 0);
	struct job j;
	cr_assert_eq(jobs_find(fx.db, a, "offers:alerts-09", &j), 0);
	cr_assert_eq(j.run_at, fixture_at("2026-12-07T09:00:00+01:00"));
	cr_assert_str_eq(j.kind, "offers_alerts");
	cr_assert_eq(jobs_find(fx.db, a, "offers:alerts-11", &j), 0);
	cr_assert_eq(j.run_at, fixture_at("2026-12-07T11:00:00+01:00"));
	cr_assert(strstr(j.payload, "SERVICE_CIVIQUE"));
	cr_assert_eq(jobs_find(fx.db, a, "offers:saved-purge", &j), 0);
}
