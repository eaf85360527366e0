/* test_offers.c — the offer catalogue (offers.md §8.1–§8.2, docs/offers.md): each provider
 * adapter on the recorded responses of tests/data/offers/ (suite adapters: what each
 * mapped field holds, the malformed records refused with their reason), then the catalogue
 * on a migrated database (suite catalogue: the import's counts, a re-import that updates
 * and keeps first_seen_at, an offer read back whole, an id another provider holds), and
 * `cej offers import` itself (suite command: its French summary and exit statuses). */
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "offers/offers.h"
#include "offers/offers_adapters.h"
#include "offers/offers_import.h"
#include "offers/offers_search.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA CEJ_SOURCE_ROOT "/tests/data/offers/"
#define at(iso) fixture_at(iso)

static struct arena *a;

/* The records of recorded response @file for provider @p (the document is kept alive by
 * the arena). */
static const json_t *
records(enum offer_provider p, const char *file)
{
	json_error_t e;
	json_t *doc = json_load_file(arena_printf(a, DATA "%s", file), 0, &e);
	cr_assert_not_null(doc, "%s: %s", file, e.text);
	arena_defer(a, (void (*)(void *))json_decref, doc);
	const json_t *r = offers_envelope(p, doc);
	cr_assert_not_null(r, "%s is %s's envelope", file, offer_provider_name(p));
	return r;
}

/* The France Travail or Engagement offer whose record has id @id in @recs. */
static struct offer
mapped(enum offer_provider p, const json_t *recs, const char *id)
{
	size_t i;
	const json_t *rec;
	json_array_foreach(recs, i, rec) {
		const char *rid = json_string_value(json_object_get(rec, "id"));
		if (!rid || strcmp(rid, id))
			continue;
		struct offer o;
		const char *why = NULL;
		int rc = p == PROVIDER_FRANCE_TRAVAIL ? offers_map_france_travail(rec, a, &o, &why)
						      : offers_map_engagement(rec, a, &o, &why);
		cr_assert_eq(rc, 0, "%s mapped (%s)", id, why ? why : "");
		return o;
	}
	cr_assert_fail("no record %s", id);
	return (struct offer){0};
}

static void
assert_str(const char *got, const char *want, const char *what)
{
	if (!want)
		cr_assert_null(got, "%s is absent, got \"%s\"", what, got);
	else
		cr_assert(got && !strcmp(got, want), "%s: \"%s\", want \"%s\"", what,
			  got ? got : "(null)", want);
}

/* ======================================================================================
 * The adapters, on the recorded responses
 * ==================================================================================== */

FIXTURE_ARENA_SUITE(adapters, a);

Test(adapters, a_france_travail_offer_maps_every_field_of_the_model)
{
	struct offer o = mapped(PROVIDER_FRANCE_TRAVAIL,
				records(PROVIDER_FRANCE_TRAVAIL, "france-travail.json"), "184QJVN");
	assert_str(o.id, "184QJVN", "public id");
	assert_str(o.provider, "france-travail", "provider");
	assert_str(o.provider_id, "184QJVN", "provider id");
	cr_assert_eq(o.type, OFFER_EMPLOI);
	assert_str(o.title, "Vendeur / Vendeuse en prêt-à-porter (H/F)", "title");
	cr_assert_not_null(strstr(o.description, "renforcer notre équipe"));
	assert_str(o.company, "MAISON KERJEAN", "company");
	assert_str(o.company_description,
		   "Boutique indépendante de prêt-à-porter du centre-ville de Brest.", "company text");
	assert_str(o.company_url, "https://www.maison-kerjean.fr", "company url");
	cr_assert_not(o.adapted_company);
	cr_assert_not(o.disability_friendly);
	assert_str(o.rome_code, "D1214", "ROME");
	assert_str(o.rome_label, "Vente en habillement et accessoires de la personne", "ROME label");
	assert_str(o.appellation_label, "Vendeur / Vendeuse en prêt-à-porter", "appellation");
	assert_str(o.contract_code, "CDI", "contract");
	assert_str(o.contract_label, "Contrat à durée indéterminée", "contract label");
	assert_str(o.nature_code, "E1", "nature: \"Contrat travail\"");
	assert_str(o.work_time, "FULL", "work time");
	assert_str(o.work_time_label, "35H Travail le samedi", "work time label");
	assert_str(o.experience_code, "D", "experience");
	assert_str(o.experience_label, "Débutant accepté", "experience label");
	assert_str(o.salary_label, "Mensuel de 1801,80 Euros sur 12 mois", "salary");
	assert_str(o.skills, "[{\"label\":\"Accueillir un client\",\"required\":true},"
		   "{\"label\":\"Encaisser un paiement\",\"required\":false}]", "skills");
	assert_str(o.soft_skills, "[{\"label\":\"Sens de la communication\",\"required\":false},"
		   "{\"label\":\"Travail en équipe\",\"required\":false}]", "soft skills");
	assert_str(o.education, "[{\"label\":\"CAP, BEP et équivalents Commerce\",\"required\":false}]",
		   "education");
	assert_str(o.languages, "[{\"label\":\"Anglais\",\"required\":false}]", "languages");
	assert_str(o.licences, "[{\"label\":\"B - Véhicule léger\",\"required\":false}]", "licences");
	assert_str(o.place_label, "29 - Brest", "place");
	assert_str(o.commune_insee, "29019", "commune");
	assert_str(o.postal_code, "29200", "postal code");
	assert_str(o.dept_code, "29", "département");
	cr_assert(o.has_position);
	cr_assert_float_eq(o.lat, 48.390394, 1e-9);
	cr_assert_float_eq(o.lon, -4.486076, 1e-9);
	assert_str(o.apply_url, "https://www.maison-kerjean.fr/recrutement",
		   "apply url: contact.urlPostulation first");
	assert_str(o.origin_name, "France Travail", "origin (origine \"1\", no partner)");
	assert_str(o.origin_logo, NULL, "origin logo");
	cr_assert_eq(o.provider_created_at, at("2025-09-10T08:12:45Z"));
	cr_assert_eq(o.provider_updated_at, at("2025-09-12T14:03:10Z"));
	cr_assert(o.active);
	json_t *raw = json_loads(o.raw, 0, NULL);
	cr_assert_str_eq(json_string_value(json_object_get(raw, "qualificationLibelle")),
			 "Employé qualifié", "raw keeps the whole record");
	json_decref(raw);
}

Test(adapters, an_apprenticeship_or_a_professionalisation_contract_is_an_alternance_offer)
{
	const json_t *r = records(PROVIDER_FRANCE_TRAVAIL, "france-travail.json");
	struct offer apprenti = mapped(PROVIDER_FRANCE_TRAVAIL, r, "185BRTM");
	cr_assert_eq(apprenti.type, OFFER_ALTERNANCE, "alternance true, \"Contrat apprentissage\"");
	assert_str(apprenti.nature_code, "E2", "nature");
	assert_str(apprenti.education, "[{\"label\":\"CAP, BEP et équivalents Boulangerie\","
		   "\"required\":true}]", "a required formation is \"Obligatoire\"");
	struct offer pro = mapped(PROVIDER_FRANCE_TRAVAIL, r, "186HKLP");
	cr_assert_eq(pro.type, OFFER_ALTERNANCE, "alternance false but professionnalisation");
	assert_str(pro.nature_code, "FS", "nature");
	assert_str(pro.apply_url, NULL, "no urlPostulation nor urlOrigine");
	assert_str(pro.salary_label, NULL, "an empty salaire");
	cr_assert_eq(mapped(PROVIDER_FRANCE_TRAVAIL, r, "188MNBV").type, OFFER_EMPLOI,
		     "an interim mission stays an offre d'emploi");
}

Test(adapters, a_partner_offer_is_applied_to_and_credited_at_the_partner)
{
	struct offer o = mapped(PROVIDER_FRANCE_TRAVAIL,
				records(PROVIDER_FRANCE_TRAVAIL, "france-travail.json"), "188MNBV");
	assert_str(o.apply_url, "https://www.interim-ouest.fr/offres/cariste-landerneau-4521",
		   "origineOffre.urlOrigine when no urlPostulation");
	assert_str(o.origin_name, "INTERIM OUEST", "partenaires[0].nom");
	assert_str(o.origin_logo, "https://www.interim-ouest.fr/logo.png", "partenaires[0].logo");
	assert_str(o.experience_code, "E", "experience");
	assert_str(o.licences, "[{\"label\":\"CACES R489 cat. 3\",\"required\":true}]", "permis");
}

Test(adapters, part_time_adapted_companies_corsica_overseas_and_offers_without_a_place)
{
	const json_t *r = records(PROVIDER_FRANCE_TRAVAIL, "france-travail.json");
	struct offer o = mapped(PROVIDER_FRANCE_TRAVAIL, r, "187ZXCV");
	assert_str(o.work_time, "PARTIAL", "Temps partiel");
	cr_assert(o.adapted_company, "entrepriseAdaptee");
	cr_assert(o.disability_friendly, "accessibleTH");
	assert_str(mapped(PROVIDER_FRANCE_TRAVAIL, r, "189QWER").dept_code, "2A", "Ajaccio");
	assert_str(mapped(PROVIDER_FRANCE_TRAVAIL, r, "190TYUI").dept_code, "974", "La Réunion");
	struct offer france = mapped(PROVIDER_FRANCE_TRAVAIL, r, "191OPAS");
	assert_str(france.place_label, "France", "a label without a place");
	assert_str(france.dept_code, NULL, "no département");
	cr_assert_not(france.has_position);
	struct offer none = mapped(PROVIDER_FRANCE_TRAVAIL, r, "192DFGH");
	assert_str(none.place_label, NULL, "lieuTravail null: kept, without a place");
	assert_str(none.commune_insee, NULL, "commune");
	cr_assert_not(none.has_position);
}

/* Maps every record of @recs with provider @p's adapter: how many were refused, and the
 * reasons, joined by " | ". */
static int
refusals(enum offer_provider p, const json_t *recs, const char **reasons)
{
	GString *s = g_string_new(NULL);
	int n = 0;
	size_t i;
	const json_t *rec;
	json_array_foreach(recs, i, rec) {
		struct offer o;
		struct job_event e;
		const char *why = NULL;
		int rc = p == PROVIDER_FRANCE_TRAVAIL ? offers_map_france_travail(rec, a, &o, &why)
			: p == PROVIDER_ENGAGEMENT ? offers_map_engagement(rec, a, &o, &why)
			: offers_map_mee(rec, a, &e, &why);
		if (rc == 0)
			continue;
		cr_assert_eq(rc, -ERR_INVAL);
		cr_assert_not_null(why);
		g_string_append_printf(s, "%s%s", n++ ? " | " : "", why);
	}
	*reasons = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return n;
}

Test(adapters, malformed_france_travail_records_are_refused_with_their_reason)
{
	const char *why;
	cr_assert_eq(refusals(PROVIDER_FRANCE_TRAVAIL,
			      records(PROVIDER_FRANCE_TRAVAIL, "france-travail.json"), &why), 4);
	cr_assert_str_eq(why, "« id » manquant ou invalide | « id » manquant ou invalide | "
			 "l'enregistrement n'est pas un objet JSON | « intitule » manquant ou invalide",
			 "missing id, numeric id, a string, null intitule: %s", why);
}

Test(adapters, a_domain_is_stored_as_one_of_the_twelve_labels_whatever_the_provider_writes)
{
	cr_assert_str_eq(offer_domain_of("solidarite-insertion"), "Solidarité - insertion");
	cr_assert_str_eq(offer_domain_of("Solidarité - insertion"), "Solidarité - insertion");
	cr_assert_str_eq(offer_domain_of(" SANTE "), "Santé");
	cr_assert_str_eq(offer_domain_of("éducation"), "Éducation");
	cr_assert_str_eq(offer_domain_of("Vivre ensemble"), "Vivre-ensemble");
	cr_assert_str_eq(offer_domain_of("culture_loisirs"), "Culture - loisirs");
	cr_assert_str_eq(offer_domain_of("memoire-et-citoyennete"), "Autre", "a domain added later");
	cr_assert_null(offer_domain_of(NULL));
	cr_assert_null(offer_domain_of(" - "));
	for (int i = 0; i < OFFER_DOMAINS; i++) {
		cr_assert_str_eq(offer_domain_of(offer_domains[i].slug), offer_domains[i].label);
		cr_assert_eq(offer_domain_by_slug(offer_domains[i].slug), &offer_domains[i]);
	}
	cr_assert_null(offer_domain_by_slug("Santé"), "the URL takes the slug only");
}

Test(adapters, a_service_civique_mission_maps_and_a_deleted_one_is_inactive)
{
	const json_t *r = records(PROVIDER_ENGAGEMENT, "engagement.json");
	struct offer o = mapped(PROVIDER_ENGAGEMENT, r, "64f1a2b3c4d5e6f708192a3b");
	cr_assert_eq(o.type, OFFER_SERVICE_CIVIQUE);
	assert_str(o.provider, "engagement", "provider");
	assert_str(o.title, "Accompagner les seniors isolés dans leurs démarches numériques", "title");
	assert_str(o.domain, "Solidarité - insertion", "API Engagement's code, stored as its label");
	assert_str(o.company, "Association Brest Solidarités", "organisation");
	assert_str(o.address, "12 rue de Siam, 29200 Brest", "organizationFullAddress");
	assert_str(o.place_label, "Brest", "city");
	assert_str(o.postal_code, "29200", "postal code");
	assert_str(o.dept_code, "29", "departmentCode");
	cr_assert(o.has_position);
	cr_assert_float_eq(o.lat, 48.38952, 1e-9);
	cr_assert_float_eq(o.lon, -4.48615, 1e-9);
	cr_assert_eq(o.start_date, at("2025-10-01T00:00:00Z"));
	cr_assert_eq(o.end_date, at("2026-05-31T00:00:00Z"));
	assert_str(o.apply_url,
		   "https://www.service-civique.gouv.fr/trouver-ma-mission/64f1a2b3c4d5e6f708192a3b",
		   "applicationUrl");
	assert_str(o.origin_name, "Service Civique", "publisherName");
	assert_str(o.origin_logo, "https://api-engagement.beta.gouv.fr/logos/service-civique.png",
		   "publisherLogo");
	cr_assert_eq(o.provider_created_at, at("2025-09-01T09:00:00Z"));
	cr_assert_eq(o.provider_updated_at, at("2025-09-05T10:30:00Z"));
	assert_str(o.skills, "[]", "no lists");
	cr_assert(o.active);
	cr_assert_not(mapped(PROVIDER_ENGAGEMENT, r, "64f1a2b3c4d5e6f708192a40").active,
		      "deleted: true");
	cr_assert_not(mapped(PROVIDER_ENGAGEMENT, r, "64f1a2b3c4d5e6f708192a42").has_position,
		      "location null");
	assert_str(mapped(PROVIDER_ENGAGEMENT, r, "64f1a2b3c4d5e6f708192a43").dept_code, "2B",
		   "Bastia without departmentCode: from the postal code 20200");
	const char *why;
	cr_assert_eq(refusals(PROVIDER_ENGAGEMENT, r, &why), 2);
	cr_assert_str_eq(why, "« id » manquant ou invalide | « title » manquant ou invalide");
}

Test(adapters, an_immersion_establishment_gives_one_offer_per_appellation)
{
	const json_t *r = records(PROVIDER_IMMERSION, "immersion.json");
	struct offer *o;
	int rejected = -1;
	const char *why = NULL;
	cr_assert_eq(offers_map_immersion(json_array_get(r, 0), a, &o, &rejected, &why), 2);
	cr_assert_eq(rejected, 0);
	assert_str(o[0].id, "44306184100047-11573", "id {siret}-{appellationCode}");
	assert_str(o[0].provider_id, "44306184100047-11573", "provider id");
	assert_str(o[0].title, "Boulanger / Boulangère", "title: the appellation");
	assert_str(o[1].id, "44306184100047-11574", "second appellation");
	assert_str(o[1].appellation_label, "Boulanger-pâtissier / Boulangère-pâtissière", "label");
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(o[i].type, OFFER_IMMERSION);
		assert_str(o[i].provider, "immersion", "provider");
		assert_str(o[i].siret, "44306184100047", "siret");
		assert_str(o[i].company, "BOULANGERIE LE FOURNIL BRESTOIS", "establishment");
		assert_str(o[i].rome_code, "D1102", "rome");
		assert_str(o[i].rome_label, "Boulangerie - viennoiserie", "rome label");
		assert_str(o[i].naf_label, "Boulangerie et boulangerie-pâtisserie", "sector");
		assert_str(o[i].address, "15 rue de Siam, 29200 Brest", "address");
		assert_str(o[i].place_label, "Brest", "city");
		assert_str(o[i].dept_code, "29", "département");
		assert_str(o[i].contact_mode, "EMAIL", "contact mode");
		assert_str(o[i].company_url, "https://fournil-brestois.fr", "website");
		assert_str(o[i].company_description,
			   "Nous accueillons volontiers des personnes en reconversion.",
			   "additionalInformation");
		cr_assert(o[i].voluntary);
		cr_assert(o[i].disability_friendly, "fitForDisabledWorkers");
		cr_assert(o[i].has_position);
		cr_assert_float_eq(o[i].lat, 48.3911, 1e-9);
		cr_assert(o[i].active);
	}
	cr_assert_eq(offers_map_immersion(json_array_get(r, 2), a, &o, &rejected, &why), 1);
	cr_assert_not(o[0].voluntary, "voluntaryToImmersion false");
	assert_str(o[0].contact_mode, "IN_PERSON", "contact mode");
}

Test(adapters, a_bad_appellation_is_skipped_and_a_bad_establishment_refused)
{
	const json_t *r = records(PROVIDER_IMMERSION, "immersion.json");
	struct offer *o;
	int rejected;
	const char *why = NULL;
	cr_assert_eq(offers_map_immersion(json_array_get(r, 4), a, &o, &rejected, &why), 1,
		     "Menuiserie Kerbrat: its appellation without a code is skipped");
	cr_assert_eq(rejected, 1);
	assert_str(o[0].id, "79123456700024-12150", "the valid one");
	cr_assert_str_eq(why, "appellation sans « appellationCode » ou « appellationLabel »");
	cr_assert_eq(offers_map_immersion(json_array_get(r, 6), a, &o, &rejected, &why), 1);
	assert_str(o[0].contact_mode, NULL, "contactMode UNKNOWN");
	struct {
		size_t index;
		const char *why;
	} refused[] = {
		{5, "« siret » manquant ou invalide"},
		{7, "« siret » manquant ou invalide"},  /* 13 digits */
		{8, "« position » manquante ou invalide"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		cr_assert_eq(offers_map_immersion(json_array_get(r, refused[i].index), a, &o,
						  &rejected, &why), 0);
		cr_assert_eq(rejected, 1);
		cr_assert_str_eq(why, refused[i].why);
	}
	json_t *x = json_string("x");
	cr_assert_eq(offers_map_immersion(x, a, &o, &rejected, &why), 0, "not an object");
	json_decref(x);
}

Test(adapters, a_mes_evenements_emploi_event_maps_with_its_hours_in_its_zone)
{
	const json_t *r = records(PROVIDER_MEE, "mee.json");
	struct job_event e;
	const char *why = NULL;
	cr_assert_eq(offers_map_mee(json_array_get(r, 0), a, &e, &why), 0);
	assert_str(e.id, "101234", "a numeric id as text");
	assert_str(e.provider, "mee", "provider");
	assert_str(e.title, "Job dating de la grande distribution", "titre");
	assert_str(e.event_date, "2025-10-02", "date");
	assert_str(e.start_time, "09:30:00", "heureDebut");
	assert_str(e.end_time, "12:30:00", "heureFin");
	assert_str(e.timezone, "Europe/Paris", "timezone");
	cr_assert_eq(e.starts_at, at("2025-10-02T09:30:00+02:00"));
	cr_assert_eq(e.ends_at, at("2025-10-02T12:30:00+02:00"));
	assert_str(e.city, "Brest", "ville");
	assert_str(e.postal_code, "29200", "codePostal");
	assert_str(e.commune_insee, "29019", "codeInsee");
	cr_assert(e.has_position);
	assert_str(e.type, "Job dating", "type");
	assert_str(e.modalities, "[\"en physique\"]", "modalites");
	cr_assert_eq(e.seats_onsite, 50);
	cr_assert_eq(e.seats_remote, 0);
	cr_assert_eq(e.registered_onsite, 12);
	cr_assert_eq(e.registered_remote, 0);
	assert_str(e.url, "https://mesevenementsemploi.francetravail.fr/mes-evenements-emploi/"
		   "evenement/101234", "urlDetailEvenement");
	assert_str(e.organiser, "France Travail Brest Europe", "organiser");
	assert_str(e.rome_codes, "[\"D1507\",\"D1106\"]", "codesRome");

	cr_assert_eq(offers_map_mee(json_array_get(r, 7), a, &e, &why), 0);
	assert_str(e.timezone, "Indian/Reunion", "La Réunion");
	cr_assert_eq(e.starts_at, at("2025-10-22T10:00:00+04:00"));
	cr_assert_eq(offers_map_mee(json_array_get(r, 3), a, &e, &why), 0);
	cr_assert_not(e.has_position, "an online fair has no place");
	assert_str(e.city, NULL, "ville null");
	cr_assert_eq(offers_map_mee(json_array_get(r, 10), a, &e, &why), 0);
	assert_str(e.id, "101243", "a string id");
	assert_str(e.timezone, "Europe/Paris", "an unknown zone falls back to Paris");
	assert_str(e.start_time, NULL, "no hours");
	cr_assert_eq(e.starts_at, at("2025-11-06T00:00:00+01:00"), "the day's start");
	cr_assert_eq(e.ends_at, 0);
	cr_assert_eq(refusals(PROVIDER_MEE, r, &why), 2);
	cr_assert_str_eq(why, "« dateEvenement » manquante ou invalide | « titre » manquant ou "
			 "invalide");
}

Test(adapters, the_departement_comes_from_the_commune_the_postal_code_or_the_label)
{
	assert_str(offers_dept_code(a, "29019", "29200", "29 - Brest"), "29", "commune");
	assert_str(offers_dept_code(a, "2B033", NULL, NULL), "2B", "Corsica's INSEE code");
	assert_str(offers_dept_code(a, "97411", NULL, NULL), "974", "overseas");
	assert_str(offers_dept_code(a, NULL, "97600", NULL), "976", "Mayotte by postal code");
	assert_str(offers_dept_code(a, NULL, "20090", NULL), "2A", "Ajaccio's postal code");
	assert_str(offers_dept_code(a, NULL, "20600", NULL), "2B", "Bastia's postal code");
	assert_str(offers_dept_code(a, NULL, NULL, "75 - Paris 11e Arrondissement"), "75", "label");
	assert_str(offers_dept_code(a, NULL, NULL, "2A - Ajaccio"), "2A", "label in Corsica");
	assert_str(offers_dept_code(a, NULL, NULL, "France"), NULL, "no département");
	assert_str(offers_dept_code(a, "ABCDE", "2920", "Brest"), NULL, "nothing usable");
}

Test(adapters, types_and_providers_have_their_codes_labels_and_slugs)
{
	enum offer_type t;
	cr_assert_str_eq(offer_type_label(OFFER_EMPLOI), "Offre d'emploi");
	cr_assert_str_eq(offer_type_slug(OFFER_SERVICE_CIVIQUE), "service-civique");
	cr_assert(offer_type_parse("service-civique", true, &t) && t == OFFER_SERVICE_CIVIQUE);
	cr_assert(offer_type_parse("ALTERNANCE", false, &t) && t == OFFER_ALTERNANCE);
	cr_assert_not(offer_type_parse("ALTERNANCE", true, &t), "a code is not a slug");
	cr_assert_not(offer_type_parse(NULL, false, &t));
	enum offer_provider p;
	cr_assert(offer_provider_parse("mee", &p) && p == PROVIDER_MEE);
	cr_assert_not(offer_provider_parse("pole-emploi", &p));
	cr_assert_eq(offers_iso_ms("2025-09-15T10:00:00+02:00"), at("2025-09-15T08:00:00Z"));
	cr_assert_eq(offers_iso_ms("2025-09-15T08:00:00"), at("2025-09-15T08:00:00Z"), "UTC");
	cr_assert_eq(offers_iso_ms("2025-09-15"), at("2025-09-15T00:00:00Z"));
	cr_assert_eq(offers_iso_ms("hier"), 0);
}

/* ======================================================================================
 * The catalogue, on a migrated database (both engines)
 * ==================================================================================== */

static struct fixture fx;
static struct offers_text *analyser;   /* the process's one (offers_text_embedded) */

static void
db_setup(void)
{
	fixture_open(&fx, "offers", FIXTURE_DB);
	a = fx.a;
	char *why = NULL;
	analyser = offers_text_embedded(&why);
	cr_assert_not_null(analyser, "%s", why);
	arena_defer(a, (void (*)(void *))offers_text_free, analyser);
}

static void
db_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(catalogue, .init = db_setup, .fini = db_teardown);

static struct offers_import_stats
import(enum offer_provider p, const char *file, int64_t now)
{
	struct offers_import_stats st;
	cr_assert_eq(offers_import_records(fx.db, analyser, p, records(p, file), now, &st, NULL), 0);
	return st;
}

static void
assert_stats(struct offers_import_stats st, int inserted, int updated, int rejected)
{
	cr_assert(st.inserted == inserted && st.updated == updated && st.rejected == rejected,
		  "%d new, %d updated, %d rejected; want %d, %d, %d", st.inserted, st.updated,
		  st.rejected, inserted, updated, rejected);
}

Test(catalogue, each_file_imports_its_offers_and_counts_the_malformed_records)
{
	assert_stats(import(PROVIDER_FRANCE_TRAVAIL, "france-travail.json", 1000), 10, 0, 4);
	assert_stats(import(PROVIDER_ENGAGEMENT, "engagement.json", 1000), 10, 0, 2);
	assert_stats(import(PROVIDER_IMMERSION, "immersion.json", 1000), 9, 0, 4);
	assert_stats(import(PROVIDER_MEE, "mee.json", 1000), 10, 0, 2);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer WHERE type = $1", "ALTERNANCE"), 2);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer WHERE provider = $1", "immersion"), 9);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer WHERE active = 0 AND type = $1",
				   "SERVICE_CIVIQUE"), 1, "the deleted mission");
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM job_event", NULL), 10);
}

Test(catalogue, an_offer_reads_back_as_it_was_mapped)
{
	import(PROVIDER_FRANCE_TRAVAIL, "france-travail.json", 5000);
	struct offer want = mapped(PROVIDER_FRANCE_TRAVAIL,
				   records(PROVIDER_FRANCE_TRAVAIL, "france-travail.json"), "184QJVN");
	struct offer o;
	cr_assert_eq(offers_store_get(fx.db, a, "184QJVN", &o), 0);
	assert_str(o.id, want.id, "id");
	assert_str(o.provider, want.provider, "provider");
	assert_str(o.title, want.title, "title");
	assert_str(o.description, want.description, "description");
	assert_str(o.company_url, want.company_url, "company url");
	assert_str(o.nature_code, "E1", "nature");
	assert_str(o.work_time, "FULL", "work time");
	assert_str(o.skills, want.skills, "skills");
	assert_str(o.licences, want.licences, "licences");
	assert_str(o.place_label, "29 - Brest", "place");
	assert_str(o.dept_code, "29", "département");
	assert_str(o.apply_url, want.apply_url, "apply url");
	assert_str(o.origin_name, "France Travail", "origin");
	cr_assert_eq(o.type, OFFER_EMPLOI);
	cr_assert(o.has_position);
	cr_assert(o.lat == want.lat && o.lon == want.lon, "coordinates come back exactly: %.17g %.17g",
		  o.lat, o.lon);
	cr_assert_eq(o.provider_created_at, want.provider_created_at);
	cr_assert_eq(o.provider_updated_at, want.provider_updated_at);
	cr_assert_eq(o.first_seen_at, 5000);
	cr_assert_eq(o.last_seen_at, 5000);
	cr_assert(o.active);
	json_t *raw = json_loads(o.raw, 0, NULL);
	cr_assert_str_eq(json_string_value(json_object_get(raw, "id")), "184QJVN");
	json_decref(raw);

	struct offer none;
	cr_assert_eq(offers_store_get(fx.db, a, "192DFGH", &none), 0);
	cr_assert_not(none.has_position, "no coordinates stay none");
	assert_str(none.dept_code, NULL, "département");
	cr_assert_eq(offers_store_get(fx.db, a, "999ZZZZ", &none), -ERR_NOTFOUND);

	import(PROVIDER_IMMERSION, "immersion.json", 5000);
	cr_assert_eq(offers_store_get(fx.db, a, "44306184100047-11574", &o), 0);
	assert_str(o.siret, "44306184100047", "siret");
	assert_str(o.contact_mode, "EMAIL", "contact mode");
	cr_assert(o.voluntary && o.disability_friendly);
	import(PROVIDER_ENGAGEMENT, "engagement.json", 5000);
	cr_assert_eq(offers_store_get(fx.db, a, "64f1a2b3c4d5e6f708192a3b", &o), 0);
	cr_assert_eq(o.start_date, at("2025-10-01T00:00:00Z"));
	assert_str(o.domain, "Solidarité - insertion", "domain");
	cr_assert_eq(offers_store_get(fx.db, a, "64f1a2b3c4d5e6f708192a40", &o), 0);
	cr_assert_not(o.active, "a deleted mission is kept, inactive");
}

Test(catalogue, a_reimport_updates_without_duplicating_and_keeps_first_seen_at)
{
	import(PROVIDER_FRANCE_TRAVAIL, "france-travail.json", 1000);
	assert_stats(import(PROVIDER_FRANCE_TRAVAIL, "france-travail.json", 9000), 0, 10, 4);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer", NULL), 10);
	struct offer o;
	cr_assert_eq(offers_store_get(fx.db, a, "184QJVN", &o), 0);
	cr_assert_eq(o.first_seen_at, 1000, "first_seen_at is the first import's");
	cr_assert_eq(o.last_seen_at, 9000, "last_seen_at the latest");

	/* The provider changes an offer's title and closes it in the meantime. */
	json_t *doc = json_load_file(DATA "france-travail.json", 0, NULL);
	json_t *rec = json_array_get(json_object_get(doc, "resultats"), 0);
	json_object_set_new(rec, "intitule", json_string("Vendeur / Vendeuse en prêt-à-porter - temps plein (H/F)"));
	struct offers_import_stats st;
	cr_assert_eq(offers_import_records(fx.db, analyser, PROVIDER_FRANCE_TRAVAIL,
					   json_object_get(doc, "resultats"), 12000, &st, NULL), 0);
	assert_stats(st, 0, 10, 4);
	cr_assert_eq(offers_store_get(fx.db, a, "184QJVN", &o), 0);
	assert_str(o.title, "Vendeur / Vendeuse en prêt-à-porter - temps plein (H/F)", "new title");
	cr_assert_eq(o.first_seen_at, 1000);
	json_decref(doc);
}

Test(catalogue, a_deleted_mission_comes_back_active_when_the_provider_lists_it_again)
{
	import(PROVIDER_ENGAGEMENT, "engagement.json", 1000);
	json_t *doc = json_load_file(DATA "engagement.json", 0, NULL);
	json_t *hits = json_object_get(doc, "hits");
	json_t *back = json_array();
	size_t i;
	json_t *rec;
	json_array_foreach(hits, i, rec)
		if (json_is_true(json_object_get(rec, "deleted"))) {
			json_object_set_new(rec, "deleted", json_false());
			json_array_append(back, rec);
		}
	cr_assert_eq(json_array_size(back), 1);
	struct offers_import_stats st;
	cr_assert_eq(offers_import_records(fx.db, analyser, PROVIDER_ENGAGEMENT, back, 2000, &st, NULL), 0);
	assert_stats(st, 0, 1, 0);
	struct offer o;
	cr_assert_eq(offers_store_get(fx.db, a, "64f1a2b3c4d5e6f708192a40", &o), 0);
	cr_assert(o.active, "active back to 1");
	cr_assert_eq(o.first_seen_at, 1000);
	json_decref(back);
	json_decref(doc);
}

Test(catalogue, an_id_another_provider_holds_is_rejected_and_leaves_its_offer_alone)
{
	import(PROVIDER_FRANCE_TRAVAIL, "france-travail.json", 1000);
	json_t *hits = json_pack("[{s:s, s:s}, {s:s, s:s}]", "id", "184QJVN", "title",
				 "Mission au nom d'une offre France Travail", "id", "64f1a2b3c4d5e6f7",
				 "title", "Mission ordinaire");
	struct offers_import_stats st;
	char *log = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&log, &len);
	cr_assert_eq(offers_import_records(fx.db, analyser, PROVIDER_ENGAGEMENT, hits, 2000, &st, f), 0);
	fclose(f);
	assert_stats(st, 1, 0, 1);
	cr_assert_str_eq(log, "enregistrement n°1 rejeté : l'identifiant 184QJVN est celui d'une "
			 "offre d'un autre fournisseur\n");
	free(log);
	struct offer o;
	cr_assert_eq(offers_store_get(fx.db, a, "184QJVN", &o), 0);
	assert_str(o.provider, "france-travail", "untouched");
	assert_str(o.title, "Vendeur / Vendeuse en prêt-à-porter (H/F)", "untouched");
	json_decref(hits);
}

Test(catalogue, events_are_upserted_and_read_back)
{
	assert_stats(import(PROVIDER_MEE, "mee.json", 1000), 10, 0, 2);
	assert_stats(import(PROVIDER_MEE, "mee.json", 3000), 0, 10, 2);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM job_event", NULL), 10);
	struct job_event e;
	cr_assert_eq(offers_store_get_event(fx.db, a, "101239", &e), 0);
	assert_str(e.title, "Atelier CV et lettre de motivation", "title");
	assert_str(e.modalities, "[\"en physique\",\"à distance\"]", "modalities");
	assert_str(e.start_time, "09:30", "as given");
	cr_assert_eq(e.starts_at, at("2025-10-20T09:30:00+02:00"));
	cr_assert_eq(e.seats_remote, 10);
	cr_assert_eq(e.registered_remote, 3);
	cr_assert(e.has_position);
	cr_assert_float_eq(e.lat, 48.3904, 1e-9);
	cr_assert_eq(e.first_seen_at, 1000);
	cr_assert_eq(e.last_seen_at, 3000);
	cr_assert_eq(offers_store_get_event(fx.db, a, "101243", &e), 0);
	cr_assert_eq(e.ends_at, 0, "no end hour");
	cr_assert_eq(e.seats_onsite, 50);
	cr_assert_eq(offers_store_get_event(fx.db, a, "101237", &e), 0);
	cr_assert_not(e.has_position, "an online fair");
	cr_assert_eq(offers_store_get_event(fx.db, a, "1", &e), -ERR_NOTFOUND);
}

/* ======================================================================================
 * `cej offers import`
 * ==================================================================================== */

TestSuite(command, .init = db_setup, .fini = db_teardown);

static int opened;

static struct db *
open_fixture_db(void *ud)
{
	(void)ud;
	opened++;
	return fx.db;
}

struct run {
	int status;
	char *out, *err;
};

/* Runs `cej offers import` with the arguments @args (NULL-terminated) at @now. */
static struct run
run_import(int64_t now, const char *const *args)
{
	char *argv[8] = {"import"};
	int argc = 1;
	while (args[argc - 1])
		argv[argc] = (char *)args[argc - 1], argc++;
	struct run r = {0};
	size_t n1, n2;
	FILE *out = open_memstream(&r.out, &n1), *err = open_memstream(&r.err, &n2);
	struct offers_cli cli = {.open = open_fixture_db, .now = now, .out = out, .err = err};
	r.status = offers_import_command(&cli, argc, argv);
	fclose(out);
	fclose(err);
	arena_defer(a, free, r.out);
	arena_defer(a, free, r.err);
	return r;
}

Test(command, the_import_prints_its_french_summary_and_exits_0_despite_rejections)
{
	struct run r = run_import(1000, (const char *[]){"--provider", "france-travail",
							 DATA "france-travail.json", NULL});
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "10 offres importées (10 nouvelles, 0 mise à jour), 4 rejetées\n");
	cr_assert_not_null(strstr(r.err, "enregistrement n°5 rejeté : « id » manquant ou invalide\n"),
			   "%s", r.err);
	r = run_import(2000, (const char *[]){"--provider", "france-travail",
					      DATA "france-travail.json", NULL});
	cr_assert_str_eq(r.out, "10 offres importées (0 nouvelle, 10 mises à jour), 4 rejetées\n");
	r = run_import(2000, (const char *[]){"--provider=mee", DATA "mee.json", NULL});
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "10 événements importés (10 nouveaux, 0 mis à jour), 2 rejetés\n");
	r = run_import(2000, (const char *[]){"--provider", "immersion", DATA "immersion.json", NULL});
	cr_assert_str_eq(r.out, "9 offres importées (9 nouvelles, 0 mise à jour), 4 rejetées\n");
}

Test(command, a_file_in_another_providers_envelope_is_refused_and_nothing_imported)
{
	struct run r = run_import(1000, (const char *[]){"--provider", "france-travail",
							 DATA "engagement.json", NULL});
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_not_null(strstr(r.err, "n'a pas la forme d'une réponse france-travail "
				  "(attendu : {\"resultats\": […]})"), "%s", r.err);
	r = run_import(1000, (const char *[]){"--provider", "immersion", DATA "mee.json", NULL});
	cr_assert_eq(r.status, 1, "an object where Immersion answers an array");
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer", NULL), 0);
}

Test(command, an_unreadable_file_exits_1_and_a_usage_error_2_before_opening_the_database)
{
	struct run r = run_import(1000, (const char *[]){"--provider", "mee",
							 DATA "absent.json", NULL});
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, "fichier illisible"), "%s", r.err);
	char *bad = fixture_path(&fx, "tronque.json");
	cr_assert(g_file_set_contents(bad, "{\"resultats\": [{\"id\": \"1\"", -1, NULL));
	r = run_import(1000, (const char *[]){"--provider", "france-travail", bad, NULL});
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, "fichier illisible"), "%s", r.err);
	opened = 0;
	r = run_import(1000, (const char *[]){"--provider", "pole-emploi", DATA "mee.json", NULL});
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "cej offers import : --provider doit valoir france-travail, "
			 "engagement, immersion ou mee\n");
	r = run_import(1000, (const char *[]){"--provider", "mee", NULL});
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "cej offers import : un fichier JSON à importer est attendu\n");
	cr_assert_eq(opened, 0, "the database is opened only for a command understood");
}

Test(command, a_storage_failure_midway_rolls_the_whole_file_back_and_exits_1)
{
	/* The seventh offer of the file cannot be written: the six before it must go too. */
	const char *sql = db_engine(fx.db) == DB_POSTGRES
		? "CREATE FUNCTION offer_fail() RETURNS trigger LANGUAGE plpgsql AS "
		  "$$ BEGIN RAISE EXCEPTION 'panne'; END $$; "
		  "CREATE TRIGGER offer_fail BEFORE INSERT ON offer FOR EACH ROW "
		  "WHEN (NEW.id = '190TYUI') EXECUTE FUNCTION offer_fail();"
		: "CREATE TRIGGER offer_fail BEFORE INSERT ON offer WHEN NEW.id = '190TYUI' "
		  "BEGIN SELECT RAISE(ABORT, 'panne'); END;";
	cr_assert_eq(db_exec(fx.db, sql), 0);
	struct run r = run_import(1000, (const char *[]){"--provider", "france-travail",
							 DATA "france-travail.json", NULL});
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_not_null(strstr(r.err, "cej offers import : échec de l'écriture en base, rien "
				  "n'a été importé\n"), "%s", r.err);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM offer", NULL), 0);
}
