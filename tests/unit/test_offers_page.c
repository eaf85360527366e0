/* test_offers_page.c — the counselor's offers pages: their pure rules (offers_page.h: the
 * share's default texts, the filters' badge, the recap chips, when criteria may be
 * suggested, the resolution of a typed place, the pager's pages, the places and distances
 * of cards) and the share use case (offers_share.h) on both engines: one OFFER_SHARE
 * message per beneficiary with the card msg_card_of reads, or nothing at all. */
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo_store.h"
#include "messaging/messaging.h"
#include "messaging/messaging_use.h"
#include "offers/offers_page.h"
#include "offers/offers_share.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

static struct arena *a;

FIXTURE_ARENA_SUITE(rules, a);

Test(rules, share_default_text_by_type)
{
	cr_assert_str_eq(offers_share_default_text(OFFER_EMPLOI),
			 "Bonjour, je vous partage une offre d'emploi qui pourrait vous intéresser.");
	cr_assert_str_eq(offers_share_default_text(OFFER_ALTERNANCE),
			 "Bonjour, je vous partage une offre d'alternance qui pourrait vous intéresser.");
	cr_assert_str_eq(offers_share_default_text(OFFER_SERVICE_CIVIQUE),
			 "Bonjour, je vous partage une offre de service civique qui pourrait vous "
			 "intéresser.");
	cr_assert_str_eq(offers_share_default_text(OFFER_IMMERSION),
			 "Bonjour, je vous partage une offre d'immersion qui pourrait vous intéresser.");
}

Test(rules, filters_badge_counts_the_more_criteria)
{
	struct offers_criteria c = {.type = OFFER_EMPLOI, .keywords = "vendeur", .commune = "29019",
				    .distance_km = 10};
	cr_assert_eq(offers_filters_count(&c), 0);
	cr_assert_null(offers_filters_label(a, 0));
	c.contracts = OFFERS_CONTRACT_CDI | OFFERS_CONTRACT_OTHER;
	c.beginner = true;
	cr_assert_eq(offers_filters_count(&c), 3);
	c.distance_km = 20;
	cr_assert_eq(offers_filters_count(&c), 4);
	cr_assert_str_eq(offers_filters_label(a, 4), "4 filtres sélectionnés");
	cr_assert_str_eq(offers_filters_label(a, 1), "1 filtre sélectionné");
	/* A département has no distance; a number search no filter. */
	c = (struct offers_criteria){.type = OFFER_EMPLOI, .departement = "29", .distance_km = 50};
	cr_assert_eq(offers_filters_count(&c), 0);
	c = (struct offers_criteria){.type = OFFER_EMPLOI, .number = "123ABCD", .beginner = true};
	cr_assert_eq(offers_filters_count(&c), 0);
}

Test(rules, chips_recap_the_criteria_in_order)
{
	const char *out[OFFERS_CHIPS_MAX];
	struct offers_criteria c = {.type = OFFER_EMPLOI, .keywords = "vendeur", .commune = "29019",
				    .distance_km = 10, .contracts = OFFERS_CONTRACT_CDD,
				    .work_times = OFFERS_TIME_PARTIAL, .beginner = true};
	int n = offers_chips(a, &c, "Brest (29200)", out);
	const char *want[] = {"Offre d'emploi", "vendeur", "Brest (29200)", "10 km",
			      "CDD - intérim - saisonnier", "Temps partiel", "Débutant accepté"};
	cr_assert_eq(n, 7);
	for (int i = 0; i < n; i++)
		cr_assert_str_eq(out[i], want[i]);
	c = (struct offers_criteria){.type = OFFER_ALTERNANCE, .departement = "29"};
	n = offers_chips(a, &c, "Finistère (29)", out);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(out[1], "Finistère (29)");
	c = (struct offers_criteria){.type = OFFER_EMPLOI, .number = "123ABCD", .keywords = "x"};
	n = offers_chips(a, &c, NULL, out);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(out[1], "Offre n°123ABCD");
}

Test(rules, a_mission_s_domain_and_start_date_count_in_the_badge_and_show_as_chips)
{
	const char *out[OFFERS_CHIPS_MAX];
	struct offers_criteria c = {.type = OFFER_SERVICE_CIVIQUE, .commune = "29019",
				    .distance_km = 10};
	cr_assert_eq(offers_filters_count(&c), 0, "every domain, \"Dès que possible\": none");
	c.domain = offer_domain_by_slug("sante");
	cr_assert_eq(offers_filters_count(&c), 1);
	c.start_from = "2025-03-01";
	cr_assert_eq(offers_filters_count(&c), 2);
	int n = offers_chips(a, &c, "Brest (29200)", out);
	const char *want[] = {"Service civique", "Brest (29200)", "10 km", "Santé",
			      "À partir du 01/03/2025"};
	cr_assert_eq(n, 5);
	for (int i = 0; i < n; i++)
		cr_assert_str_eq(out[i], want[i]);
}

Test(rules, criteria_shareable_as_section_4_says)
{
	struct offers_criteria c = {.type = OFFER_EMPLOI, .keywords = "vendeur", .departement = "29"};
	cr_assert(offers_criteria_shareable(&c));
	c.departement = NULL;
	cr_assert_not(offers_criteria_shareable(&c), "Emploi needs a place");
	c = (struct offers_criteria){.type = OFFER_ALTERNANCE, .commune = "29019"};
	cr_assert_not(offers_criteria_shareable(&c), "Alternance needs keywords");
	c = (struct offers_criteria){.type = OFFER_EMPLOI, .number = "123ABCD"};
	cr_assert_not(offers_criteria_shareable(&c));
	c = (struct offers_criteria){.type = OFFER_IMMERSION, .keywords = "vendeur", .commune = "29019"};
	cr_assert(offers_criteria_shareable(&c));
	c = (struct offers_criteria){.type = OFFER_SERVICE_CIVIQUE, .commune = "29019"};
	cr_assert(offers_criteria_shareable(&c));
	c = (struct offers_criteria){.type = OFFER_SERVICE_CIVIQUE, .departement = "29"};
	cr_assert_not(offers_criteria_shareable(&c));
}

Test(rules, a_typed_place_is_the_label_the_name_or_the_only_suggestion)
{
	struct geo_suggestion s[] = {
		{GEO_DEPARTEMENT, "75", "Paris (75)", "Paris", NULL, "75"},
		{GEO_COMMUNE, "75056", "Paris (75001)", "Paris", "75001", "75"},
		{GEO_COMMUNE, "75115", "Paris 15e Arrondissement (75015)", "Paris 15e Arrondissement",
		 "75015", "75"},
	};
	cr_assert_eq(offers_place_pick(a, "paris (75001)", s, 3), 1);
	cr_assert_eq(offers_place_pick(a, " Paris (75) ", s, 3), 0);
	cr_assert_eq(offers_place_pick(a, "Paris", s, 3), OFFERS_PLACE_AMBIGUOUS);
	cr_assert_eq(offers_place_pick(a, "paris 15e arrondissement", s, 3), 2);
	cr_assert_eq(offers_place_pick(a, "Par", s, 3), OFFERS_PLACE_AMBIGUOUS);
	struct geo_suggestion brest[] = {
		{GEO_COMMUNE, "29019", "Brest (29200)", "Brest", "29200", "29"},
	};
	cr_assert_eq(offers_place_pick(a, "bres", brest, 1), 0);
	cr_assert_eq(offers_place_pick(a, "Brest (29200)", brest, 1), 0);
	cr_assert_eq(offers_place_pick(a, "Nulle part", brest, 0), OFFERS_PLACE_NONE);
	cr_assert_str_eq(offers_place_query(a, " Brest (29200)"), "Brest");
	cr_assert_str_eq(offers_place_query(a, "Saint-Malo "), "Saint-Malo");
}

Test(rules, pages_of_the_results_stop_at_100)
{
	struct offers_result r = {.count = 0};
	cr_assert_eq(offers_pages(&r), 1);
	r.count = 10;
	cr_assert_eq(offers_pages(&r), 1);
	r.count = 11;
	cr_assert_eq(offers_pages(&r), 2);
	r.count = OFFERS_COUNT_MAX + 1;
	r.more = true;
	cr_assert_eq(offers_pages(&r), 100);
}

Test(rules, card_place_and_distance)
{
	cr_assert_str_eq(offers_place_display(a, "29 - Brest", "29200"), "Brest (29200)");
	cr_assert_str_eq(offers_place_display(a, "Brest", NULL), "Brest");
	cr_assert_str_eq(offers_place_display(a, "Brest (29200)", "29200"), "Brest (29200)");
	cr_assert_str_eq(offers_place_display(a, NULL, "29200"), "29200");
	cr_assert_null(offers_place_display(a, NULL, NULL));
	cr_assert_str_eq(offers_distance_label(a, 9.46), "À 9,5 km");
	cr_assert_str_eq(offers_distance_label(a, 0), "À 0,0 km");
}

/* ---- The share (both engines) ---------------------------------------------------------- */

static struct fixture fx;
static const char *cid, *mine1, *mine2, *other;

static void
setup(void)
{
	fixture_open(&fx, "offers_page", FIXTURE_DB | FIXTURE_KEYS);
	const char *sid = fixture_structure(&fx, "29019S00", "ML Brest", FIXTURE_PARIS);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "Claire", .last_name = "Martin", .structure_id = sid});
	const char *cid2 = fixture_counselor(&fx, &(struct admin_counselor){.email = "d@x.fr",
		.first_name = "Denis", .last_name = "Roux", .structure_id = sid});
	mine1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Élodie", .last_name = "Dupont", .activated_at = 1000});
	mine2 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Paul", .last_name = "Arnaud", .activated_at = 1000});
	other = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid2, .first_name = "Ana", .last_name = "Autre", .activated_at = 1000});
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(share, .init = setup, .fini = teardown, .timeout = 60);

static const struct offer alternance = {
	.id = "125ABCD", .type = OFFER_ALTERNANCE, .title = "Vendeur en alternance (H/F)",
	.company = "Boutique Océane",
};

static int
shares(void)
{
	return fixture_count(&fx, "SELECT count(*) FROM message WHERE kind = 'OFFER_SHARE'", NULL);
}

Test(share, empty_message_sends_the_default_text_and_the_card_to_each)
{
	const char *ids[] = {mine1, mine2, mine1};
	struct refusal why = {0};
	cr_assert_eq(offers_share(fx.db, fx.keys, fx.a, 5000, cid, &alternance, ids, 3, "  ", &why), 0);
	cr_assert_eq(shares(), 2, "one message each, duplicates once");
	for (int i = 0; i < 2; i++) {
		struct msg_conversation conv = fixture_conversation(&fx, ids[i]);
		struct msg_page p;
		cr_assert_eq(messaging_page(fx.db, fx.keys, fx.a, &conv, NULL, MSG_PAGE_SIZE, &p), 0);
		cr_assert_eq(p.n, 1);
		cr_assert_eq(p.items[0].kind, MSG_OFFER_SHARE);
		cr_assert_str_eq(p.items[0].text, "Bonjour, je vous partage une offre d'alternance qui "
				 "pourrait vous intéresser.");
		struct msg_card card = msg_card_of(fx.a, &p.items[0]);
		cr_assert_str_eq(card.offer_slug, "alternance");
		cr_assert_str_eq(card.offer_type_label, "Alternance");
		cr_assert_str_eq(card.offer_id, "125ABCD");
		cr_assert_str_eq(card.title, "Vendeur en alternance (H/F)");
		cr_assert_str_eq(card.company, "Boutique Océane");
	}
}

Test(share, a_typed_message_is_sent_as_typed)
{
	const char *ids[] = {mine2};
	cr_assert_eq(offers_share(fx.db, fx.keys, fx.a, 5000, cid, &alternance, ids, 1,
				  "Regardez celle-ci", NULL), 0);
	struct msg_conversation conv = fixture_conversation(&fx, mine2);
	struct msg_page p;
	cr_assert_eq(messaging_page(fx.db, fx.keys, fx.a, &conv, NULL, MSG_PAGE_SIZE, &p), 0);
	cr_assert_str_eq(p.items[0].text, "Regardez celle-ci");
}

Test(share, none_chosen_is_refused)
{
	struct refusal why = {0};
	cr_assert_eq(offers_share(fx.db, fx.keys, fx.a, 5000, cid, &alternance, NULL, 0, NULL, &why),
		     -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.field, "beneficiaires");
	cr_assert_str_eq(why.message, "Sélectionnez au moins un bénéficiaire.");
}

Test(share, one_outside_the_portfolio_refuses_the_whole_share)
{
	const char *ids[] = {mine1, other};
	struct refusal why = {0};
	cr_assert_eq(offers_share(fx.db, fx.keys, fx.a, 5000, cid, &alternance, ids, 2, NULL, &why),
		     -ERR_FORBIDDEN);
	cr_assert_eq(why.status, 403);
	cr_assert_eq(shares(), 0, "nothing sent");
}

Test(share, a_card_with_a_bad_id_or_type_has_no_link)
{
	struct message m = {.kind = MSG_OFFER_SHARE,
			    .payload = "{\"type\":\"EMPLOI\",\"id\":\"12\\\"><script>\",\"title\":\"T\"}"};
	cr_assert_null(msg_card_of(fx.a, &m).offer_id);
	m.payload = "{\"type\":\"STAGE\",\"id\":\"123ABCD\",\"title\":\"T\"}";
	cr_assert_null(msg_card_of(fx.a, &m).offer_slug);
	cr_assert_str_eq(msg_card_of(fx.a, &m).title, "T");
}
