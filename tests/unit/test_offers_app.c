/* test_offers_app.c — the young person's followed offers and offer events (offers.md §5,
 * §7, §10 #6, #10, #11; youth-app.md §8): the pure rules (snapshot, "As-tu postulé ?",
 * the 6-month cutoff, the indicators' plural labels, the share's default text), then the
 * store and the use cases on the suite's engine (both in CI). */
#include "base/ids.h"
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "offers/offers.h"
#include "offers/offers_app.h"
#include "offers/offers_app_contact.h"
#include "offers/offers_events.h"
#include "offers/offers_favorites.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"
#include "offers/offers_search.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#define at(iso) fixture_at(iso)
#define DAY (24 * 3600 * 1000LL)

static struct arena *a;

/* ==== Pure rules ==== */

FIXTURE_ARENA_SUITE(rules, a);

static const struct offer EMPLOI = {
	.id = "123ABCD", .type = OFFER_EMPLOI, .title = "Vendeur (H/F)", .company = "Boulangerie Le Fournil",
	.contract_label = "Contrat à durée indéterminée", .place_label = "29 - Brest", .postal_code = "29200",
	.origin_name = "France Travail", .description = "Non gardé", .active = true,
};

Test(rules, an_emploi_snapshot_keeps_what_its_card_shows_and_nothing_else)
{
	char *s = offers_favorite_snapshot(a, &EMPLOI);
	cr_assert_str_eq(s, "{\"alternance\":false,\"company\":\"Boulangerie Le Fournil\","
			    "\"contract\":\"Contrat à durée indéterminée\",\"id\":\"123ABCD\","
			    "\"origin\":\"France Travail\",\"place\":\"Brest (29200)\","
			    "\"title\":\"Vendeur (H/F)\"}");
	struct offer_favorite f = {.offer_id = "123ABCD", .type = OFFER_EMPLOI, .snapshot = s};
	offers_favorite_read(a, &f);
	cr_assert_str_eq(f.title, "Vendeur (H/F)");
	cr_assert_str_eq(f.company, "Boulangerie Le Fournil");
	cr_assert_str_eq(f.place, "Brest (29200)");
	cr_assert_str_eq(f.detail, "Contrat à durée indéterminée");
}

Test(rules, an_immersion_snapshot_has_the_metier_the_establishment_the_sector_and_the_city)
{
	struct offer o = {.id = "12345678901234-D1214", .type = OFFER_IMMERSION, .title = "Vente",
			  .appellation_label = "Vendeur / Vendeuse en boulangerie", .company = "Au bon pain",
			  .naf_label = "Boulangerie", .place_label = "29 - Brest"};
	struct offer_favorite f = {.offer_id = o.id, .type = OFFER_IMMERSION,
				   .snapshot = offers_favorite_snapshot(a, &o)};
	cr_assert_str_eq(f.snapshot, "{\"city\":\"Brest\",\"establishment\":\"Au bon pain\","
				     "\"id\":\"12345678901234-D1214\",\"metier\":\"Vendeur / Vendeuse "
				     "en boulangerie\",\"sector\":\"Boulangerie\"}");
	offers_favorite_read(a, &f);
	cr_assert_str_eq(f.title, "Vendeur / Vendeuse en boulangerie");
	cr_assert_str_eq(f.company, "Au bon pain");
	cr_assert_str_eq(f.place, "Brest");
}

Test(rules, a_service_civique_snapshot_has_its_domain_organisation_and_start)
{
	struct offer o = {.id = "m1", .type = OFFER_SERVICE_CIVIQUE, .title = "Aide aux devoirs",
			  .domain = "Éducation", .company = "Association Lire", .start_date = 42,
			  .place_label = "Quimper"};
	struct offer_favorite f = {.offer_id = o.id, .type = OFFER_SERVICE_CIVIQUE,
				   .snapshot = offers_favorite_snapshot(a, &o)};
	cr_assert_str_eq(f.snapshot, "{\"city\":\"Quimper\",\"domain\":\"Éducation\",\"id\":\"m1\","
				     "\"organisation\":\"Association Lire\",\"start_date\":42,"
				     "\"title\":\"Aide aux devoirs\"}");
	offers_favorite_read(a, &f);
	cr_assert_str_eq(f.detail, "Éducation");
}

Test(rules, a_broken_snapshot_still_shows_the_offer_id)
{
	struct offer_favorite f = {.offer_id = "123ABCD", .type = OFFER_EMPLOI, .snapshot = "pas du json"};
	offers_favorite_read(a, &f);
	cr_assert_str_eq(f.title, "123ABCD");
	cr_assert_null(f.company);
}

Test(rules, the_applied_question_comes_a_day_after_saving_and_never_once_applied)
{
	struct offer_favorite f = {.created_at = at("2026-03-10T10:00:00Z")};
	cr_assert_not(offers_favorite_ask_applied(&f, at("2026-03-11T10:00:00Z")));
	cr_assert(offers_favorite_ask_applied(&f, at("2026-03-11T10:00:01Z")));
	f.applied_at = at("2026-03-10T12:00:00Z");
	cr_assert_not(offers_favorite_ask_applied(&f, at("2026-03-20T10:00:00Z")));
	cr_assert_not(offers_favorite_ask_applied(NULL, at("2026-03-20T10:00:00Z")));
}

Test(rules, favourites_are_kept_six_calendar_months_in_paris)
{
	cr_assert_eq(offers_favorites_cutoff(at("2026-09-15T08:00:00Z")), at("2026-03-15T00:00:00+01:00"));
	cr_assert_eq(offers_favorites_cutoff(at("2026-08-31T12:00:00Z")), at("2026-02-28T00:00:00+01:00"));
}

Test(rules, the_indicators_labels_follow_french_plurals)
{
	cr_assert_str_eq(offers_event_label(0, 0), "Offre consultée");
	cr_assert_str_eq(offers_event_label(0, 1), "Offre consultée");
	cr_assert_str_eq(offers_event_label(0, 3), "Offres consultées");
	cr_assert_str_eq(offers_event_label(1, 1), "Favori ajouté");
	cr_assert_str_eq(offers_event_label(1, 2), "Favoris ajoutés");
	cr_assert_str_eq(offers_event_label(2, 2), "Offres partagées");
	cr_assert_str_eq(offers_event_label(3, 1), "Recherche sauvegardée");
	cr_assert_str_eq(offers_event_label(3, 5), "Recherches sauvegardées");
	cr_assert_str_eq(offers_event_label(4, 5), "");
	cr_assert_eq(offers_event_code_index("RECHERCHE_SAUVEGARDEE"), 3);
	cr_assert_eq(offers_event_code_index("AUTRE"), -1);
}

Test(rules, the_share_text_names_the_type)
{
	cr_assert_str_eq(offers_share_to_counselor_text(OFFER_EMPLOI),
			 "Bonjour, je vous partage une offre d’emploi afin d’avoir votre avis");
	cr_assert_str_eq(offers_share_to_counselor_text(OFFER_ALTERNANCE),
			 "Bonjour, je vous partage une offre d’alternance afin d’avoir votre avis");
	cr_assert_str_eq(offers_share_to_counselor_text(OFFER_IMMERSION),
			 "Bonjour, je vous partage une offre d’immersion afin d’avoir votre avis");
	cr_assert_str_eq(offers_share_to_counselor_text(OFFER_SERVICE_CIVIQUE),
			 "Bonjour, je vous partage une offre de service civique afin d’avoir votre avis");
}

/* ==== Store and use cases ==== */

static struct fixture fx;
static struct offers_text *analyser;
static const char *ben, *other;

static void
setup(void)
{
	char *why = NULL;
	fixture_open(&fx, "offers-app", FIXTURE_DB | FIXTURE_KEYS);
	analyser = offers_text_embedded(&why);
	cr_assert_not_null(analyser, "%s", why);
	struct fixture_two_ml ml;
	fixture_two_ml(&fx, &ml);
	ben = ml.elodie;
	other = ml.paul;
	struct offer o = EMPLOI;
	o.provider = "demo";
	o.provider_id = o.id;
	o.skills = o.soft_skills = o.education = o.languages = o.licences = "[]";
	o.raw = "{}";
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_geq(offers_store_upsert(fx.db, analyser, &o, 1000), 0);
	o.id = o.provider_id = "7654321";
	o.title = "Serveur (H/F)";
	cr_assert_geq(offers_store_upsert(fx.db, analyser, &o, 1000), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
}

static void
teardown(void)
{
	offers_text_free(analyser);
	fixture_close(&fx);
}

TestSuite(store, .init = setup, .fini = teardown);

static int
count(const char *sql, const char *param)
{
	return fixture_count(&fx, sql, param);
}

Test(store, scenario_6_saving_twice_is_a_conflict_and_leaves_one_favourite_and_one_event)
{
	int64_t now = at("2026-03-10T10:00:00Z");
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "123ABCD", now), 0);
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "123ABCD", now + 1), -ERR_CONFLICT);
	cr_assert_eq(count("SELECT COUNT(*) FROM offer_favorite WHERE beneficiary_id = $1", ben), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM offer_event WHERE code = 'FAVORI_AJOUTE' AND beneficiary_id = $1", ben), 1);
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "0000000", now), -ERR_NOTFOUND);
	struct offer_favorite f;
	cr_assert_eq(offers_favorites_store_get(fx.db, fx.a, ben, "123ABCD", &f), 0);
	cr_assert_str_eq(f.title, "Vendeur (H/F)");
	cr_assert_eq(f.created_at, now);
	cr_assert_eq(offers_favorites_store_get(fx.db, fx.a, other, "123ABCD", &f), -ERR_NOTFOUND);
}

Test(store, the_answers_to_the_applied_question)
{
	int64_t now = at("2026-03-10T10:00:00Z");
	/* "Oui" on an offer not saved yet: saved and applied. */
	cr_assert_eq(offers_favorite_answer(fx.db, fx.a, ben, "123ABCD", OFFERS_APPLIED_YES, now), 0);
	struct offer_favorite f;
	cr_assert_eq(offers_favorites_store_get(fx.db, fx.a, ben, "123ABCD", &f), 0);
	cr_assert_eq(f.applied_at, now);
	/* Again later: the first date stays. */
	cr_assert_eq(offers_favorite_answer(fx.db, fx.a, ben, "123ABCD", OFFERS_APPLIED_YES, now + DAY), 0);
	cr_assert_eq(offers_favorites_store_get(fx.db, fx.a, ben, "123ABCD", &f), 0);
	cr_assert_eq(f.applied_at, now);
	/* "Pas encore": saved, not applied. */
	cr_assert_eq(offers_favorite_answer(fx.db, fx.a, ben, "7654321", OFFERS_APPLIED_NOT_YET, now), 0);
	cr_assert_eq(offers_favorites_store_get(fx.db, fx.a, ben, "7654321", &f), 0);
	cr_assert_eq(f.applied_at, 0);
	/* "Non": removed. */
	cr_assert_eq(offers_favorite_answer(fx.db, fx.a, ben, "7654321", OFFERS_APPLIED_NO, now), 0);
	cr_assert_eq(offers_favorites_store_get(fx.db, fx.a, ben, "7654321", &f), -ERR_NOTFOUND);
}

Test(store, scenario_10_a_favourite_outlives_its_offer_and_lists_by_type_newest_first)
{
	int64_t now = at("2026-03-10T10:00:00Z");
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "123ABCD", now), 0);
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "7654321", now + 1), 0);
	cr_assert_eq(db_exec(fx.db, "DELETE FROM offer_term; DELETE FROM offer WHERE id = '123ABCD'"), 0);
	struct offer_favorite *l;
	cr_assert_eq(offers_favorites_store_list(fx.db, fx.a, ben, -1, &l), 2);
	cr_assert_str_eq(l[0].offer_id, "7654321");
	cr_assert_str_eq(l[1].title, "Vendeur (H/F)");
	cr_assert_eq(offers_favorites_store_list(fx.db, fx.a, ben, OFFER_IMMERSION, &l), 0);
	cr_assert_eq(offers_favorites_store_list(fx.db, fx.a, ben, OFFER_EMPLOI, &l), 2);
}

Test(store, the_switch_and_the_referent_of_the_beneficiary)
{
	bool shared = false;
	const char *counselor = NULL;
	cr_assert_eq(offers_favorites_store_owner(fx.db, fx.a, ben, &shared, &counselor), 0);
	cr_assert(shared);
	cr_assert_not_null(counselor);
	cr_assert_eq(db_exec(fx.db, "UPDATE beneficiary SET pref_share_favorites = 0"), 0);
	cr_assert_eq(offers_favorites_store_owner(fx.db, fx.a, ben, &shared, NULL), 0);
	cr_assert_not(shared);
	cr_assert_eq(offers_favorites_store_owner(fx.db, fx.a, "personne", &shared, NULL), -ERR_NOTFOUND);
}

Test(store, the_followed_list_says_which_offers_are_gone)
{
	int64_t now = at("2026-03-10T10:00:00Z");
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "123ABCD", now), 0);
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "7654321", now + 1), 0);
	cr_assert_eq(db_exec(fx.db, "UPDATE offer SET active = 0 WHERE id = '123ABCD'"), 0);
	struct offer_favorite *l;
	cr_assert_eq(offers_favorites_followed(fx.db, fx.a, ben, -1, &l), 2);
	cr_assert_str_eq(l[0].offer_id, "7654321");
	cr_assert_not(l[0].gone);
	cr_assert_str_eq(l[1].offer_id, "123ABCD");
	cr_assert(l[1].gone);
}

Test(store, a_counselor_reads_the_favourites_only_when_they_are_shared)
{
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "123ABCD", at("2026-03-10T10:00:00Z")), 0);
	bool shared = false;
	struct offer_favorite *l;
	cr_assert_eq(offers_favorites_for_counselor(fx.db, fx.a, ben, &shared, &l), 1);
	cr_assert(shared);
	cr_assert_str_eq(l[0].title, "Vendeur (H/F)");
	cr_assert_eq(db_exec(fx.db, "UPDATE beneficiary SET pref_share_favorites = 0"), 0);
	cr_assert_eq(offers_favorites_for_counselor(fx.db, fx.a, ben, &shared, &l), 0);
	cr_assert_not(shared);
	cr_assert_null(l);
	cr_assert_eq(offers_favorites_for_counselor(fx.db, fx.a, "personne", &shared, &l),
		     -ERR_NOTFOUND);
}

Test(store, scenario_11_the_week_counts_each_code_and_a_reload_is_the_same_view)
{
	int64_t tuesday = at("2026-03-10T10:00:00+01:00");
	cr_assert_eq(offers_viewed(fx.db, ben, "123ABCD", tuesday), 0);
	cr_assert_eq(offers_viewed(fx.db, ben, "123ABCD", tuesday + 60 * 1000), 0);      /* reload */
	cr_assert_eq(offers_viewed(fx.db, ben, "7654321", tuesday), 0);
	cr_assert_eq(offers_viewed(fx.db, ben, "123ABCD", tuesday + 3600 * 1000), 0);    /* later */
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "123ABCD", tuesday), 0);
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_event_record(fx.db, ben, OFFER_EVENT_SEARCH_SAVED, NULL, tuesday), 0);
	cr_assert_eq(offers_event_record(fx.db, ben, "INCONNU", NULL, tuesday), -ERR_INVAL);
	cr_assert_eq(offers_event_record(fx.db, other, OFFER_EVENT_VIEWED, "123ABCD", tuesday), 0);
	/* The Sunday before: another week. */
	cr_assert_eq(offers_event_record(fx.db, ben, OFFER_EVENT_VIEWED, "123ABCD",
					 at("2026-03-08T23:00:00+01:00")), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	int n[OFFER_EVENT_CODES];
	cr_assert_eq(offers_events_count(fx.db, ben, at("2026-03-09T00:00:00+01:00"),
					 at("2026-03-16T00:00:00+01:00"), n), 0);
	cr_assert_eq(n[0], 3);
	cr_assert_eq(n[1], 1);
	cr_assert_eq(n[2], 0);
	cr_assert_eq(n[3], 1);
}

Test(store, an_external_event_shared_is_one_message_and_counts_in_the_week_it_was_shared)
{
	const struct job_event e = {.id = "4242", .title = "Forum de l'emploi",
				    .starts_at = at("2026-03-20T09:00:00+01:00")};
	int64_t tuesday = at("2026-03-10T10:00:00+01:00");
	int64_t monday = at("2026-03-09T00:00:00+01:00"), next = at("2026-03-16T00:00:00+01:00");
	struct refusal why = {0};
	cr_assert_eq(offers_job_event_share(fx.db, fx.keys, fx.a, ben, &e, "https://mee.example/4242",
					    tuesday, &why), 0);
	/* Shared twice: two messages, two shares counted. */
	cr_assert_eq(offers_job_event_share(fx.db, fx.keys, fx.a, ben, &e, NULL, tuesday + DAY,
					    &why), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM message m JOIN conversation c ON c.id = "
			   "m.conversation_id WHERE c.beneficiary_id = $1 AND m.kind = "
			   "'JOB_EVENT_SHARE'", ben), 2);
	cr_assert_eq(offers_week_events(fx.db, ben, monday, next), 2);
	/* Counted in the week of the share, not the event's; not another beneficiary's. */
	cr_assert_eq(offers_week_events(fx.db, ben, next, next + 7 * DAY), 0);
	cr_assert_eq(offers_week_events(fx.db, other, monday, next), 0);
	/* None of "Les offres". */
	int n[OFFER_EVENT_CODES];
	cr_assert_eq(offers_events_count(fx.db, ben, monday, next, n), 0);
	for (int i = 0; i < OFFER_EVENT_CODES; i++)
		cr_assert_eq(n[i], 0);
	/* A share that fails records nothing: no message, no event. */
	cr_assert_eq(offers_job_event_share(fx.db, fx.keys, fx.a, "personne", &e, NULL, tuesday,
					    &why), -ERR_NOTFOUND);
	cr_assert_eq(count("SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = $1", "personne"), 0);
	/* The account's purge takes them (offer_event is the offers' table). */
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_app_purge(fx.db, ben), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	cr_assert_eq(offers_week_events(fx.db, ben, monday, next), 0);
}

Test(store, the_daily_purge_forgets_favourites_after_6_months_and_events_after_a_year)
{
	int64_t t0 = at("2026-01-10T10:00:00Z");
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "123ABCD", t0), 0);
	cr_assert_eq(offers_favorite_save(fx.db, fx.a, ben, "7654321", t0 + 60 * DAY), 0);
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_favorites_store_purge_old(fx.db, offers_favorites_cutoff(t0 + 200 * DAY)), 1);
	cr_assert_eq(offers_events_purge_old(fx.db, t0 + 364 * DAY), 0);
	cr_assert_eq(offers_events_purge_old(fx.db, t0 + 365 * DAY + 1), 1);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM offer_favorite WHERE beneficiary_id = $1", ben), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = $1", ben), 1);
}

/* ==== Immersion: "Contacter l'entreprise" ==== */

Test(rules, the_contact_form_names_the_first_field_at_fault)
{
	struct offers_contact c = {"Léa", "Morvan", "lea@exemple.fr", "06 12 34 56 78", "2026-04-01", ""};
	struct refusal why = {0};
	cr_assert_eq(offers_contact_check(&c, &why), 0);
	struct offers_contact bad = c;
	bad.first_name = "  ";
	cr_assert_eq(offers_contact_check(&bad, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "prenom");
	bad = c;
	bad.email = "lea@";
	cr_assert_eq(offers_contact_check(&bad, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "email");
	bad = c;
	bad.phone = "06 12";
	cr_assert_eq(offers_contact_check(&bad, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "telephone");
	bad = c;
	bad.start_date = "2026-02-30";
	cr_assert_eq(offers_contact_check(&bad, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "debut");
	/* 512 characters (not bytes) are allowed, 513 are not. */
	GString *m = g_string_new(NULL);
	for (int i = 0; i < 512; i++)
		g_string_append(m, "é");
	bad = c;
	bad.message = m->str;
	cr_assert_eq(offers_contact_check(&bad, &why), 0);
	g_string_append(m, "é");
	bad.message = m->str;
	cr_assert_eq(offers_contact_check(&bad, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, "Ton message ne doit pas dépasser 512 caractères");
	g_string_free(m, TRUE);
}

Test(rules, a_new_contact_waits_seven_days)
{
	int64_t last = at("2026-03-10T10:00:00Z");
	cr_assert(offers_contact_allowed(0, last));
	cr_assert_not(offers_contact_allowed(last, last + 7 * DAY - 1));
	cr_assert(offers_contact_allowed(last, last + 7 * DAY));
}

Test(store, the_last_contact_is_per_establishment_and_metier)
{
	const struct offers_contact c = {"Léa", "Morvan", "lea@exemple.fr", "0612345678", "2026-04-01", ""};
	int64_t t = at("2026-03-10T10:00:00Z");
	cr_assert_eq(offers_contact_store_last(fx.db, ben, "12345678901234", "11573"), 0);
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_contact_store_add_as(fx.db, ben, "12345678901234", "11573", &c, "MAIL", t,
						 (char[UUID_STRLEN + 1]){0}), 0);
	cr_assert_eq(offers_contact_store_add_as(fx.db, ben, "12345678901234", "11573", &c, "MAIL", t + DAY,
						 (char[UUID_STRLEN + 1]){0}), 0);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	cr_assert_eq(offers_contact_store_last(fx.db, ben, "12345678901234", "11573"), t + DAY);
	cr_assert_eq(offers_contact_store_last(fx.db, ben, "12345678901234", "99999"), 0);
	cr_assert_eq(offers_contact_store_last(fx.db, other, "12345678901234", "11573"), 0);
}
