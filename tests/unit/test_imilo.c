/* test_imilo.c — the pure half of the i-milo client (imilo/imilo_parse.h): how answers of
 * spec/imilo.md §3.1 become what the product stores and shows. Bodies are copied to heap
 * blocks of exactly their length, without a final NUL, so the sanitizer build catches any
 * read past @len. */
#include "imilo/imilo.h"
#include "imilo/imilo_parse.h"

#include "base/arena.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

static struct arena *a;

static void
setup(void)
{
	a = arena_new();
}

static void
teardown(void)
{
	arena_free(a);
}

static const char *
bytes(const char *s)
{
	size_t n = strlen(s);
	char *p = g_memdup2(s, n ? n : 1);
	arena_defer(a, g_free, p);
	return p;
}

static int
parse(const char *json, struct imilo_dossier *d)
{
	return imilo_parse_dossier(a, bytes(json), strlen(json), d);
}

static void
parse_error(const char *body, struct imilo_error *e)
{
	imilo_parse_error(a, bytes(body), strlen(body), e);
}

/* A D1 answer as the simulator serves it (spec/imilo.md §3.1). */
static const char dossier_100001[] =
	"{\"idDossier\":100001,\"idJeune\":\"2300000\",\"numeroDE\":null,"
	"\"adresse\":{\"numero\":\"12\",\"libelleVoie\":\"rue de Siam\",\"complement\":null,"
	"\"codePostal\":\"29200\",\"commune\":\"Brest\"},"
	"\"nomNaissance\":\"Le Gall\",\"nomUsage\":\"Quéré\",\"prenom\":\"Éloïse\","
	"\"dateNaissance\":\"2004-05-17\",\"mail\":\" Eloise.Quere@Exemple.FR \","
	"\"structureRattachement\":{\"nomUsuel\":\"ML Pays de Brest\","
	"\"nomOfficiel\":\"Mission Locale du Pays de Brest\",\"codeStructure\":\"29019S00\"},"
	"\"accompagnementCEJ\":{\"accompagnementCEJ\":true,\"dateDebut\":\"2025-01-06\","
	"\"dateFinPrevue\":\"2026-01-05\",\"dateFinReelle\":null,"
	"\"premierAccompagnement\":\"2025-01-06\"},"
	"\"situations\":["
	"{\"etat\":\"TERMINE\",\"dateFin\":\"2024-12-01\",\"categorieSituation\":\"Emploi\"},"
	"{\"etat\":\"EN_COURS\",\"dateFin\":null,\"categorieSituation\":\"Formation\"},"
	"{\"etat\":\"PREVU\",\"dateFin\":\"2025-09-30\",\"categorieSituation\":\"Emploi\"},"
	"{\"etat\":\"EN_COURS\",\"dateFin\":\"2025-06-30\",\"categorieSituation\":\"Emploi\"}]}";

TestSuite(imilo_sort, .init = setup, .fini = teardown);

Test(imilo_sort, orders_by_etat_then_category_and_returns_the_first_current)
{
	struct imilo_situation s[] = {
		{"TERMINE", "Emploi", NULL},
		{"PREVU", "Formation", NULL},
		{"EN_COURS", "Demandeur d'emploi", NULL},
		{"EN_COURS", "Contrat en Alternance", NULL},
		{"PREVU", "Contrat de volontariat - bénévolat", NULL},
		{"EN_COURS", "Scolarité", NULL},
		{"TERMINE", "Pmsmp", NULL},
		{"EN_COURS", "Immersion en entreprise", NULL},
	};
	const char *expected[][2] = {
		{"EN_COURS", "Contrat en Alternance"}, {"EN_COURS", "Immersion en entreprise"},
		{"EN_COURS", "Scolarité"},             {"EN_COURS", "Demandeur d'emploi"},
		{"PREVU", "Formation"},                {"PREVU", "Contrat de volontariat - bénévolat"},
		{"TERMINE", "Emploi"},                 {"TERMINE", "Pmsmp"},
	};

	const char *current = imilo_sort_situations(s, G_N_ELEMENTS(s));

	cr_assert_str_eq(current, "Contrat en Alternance");
	for (size_t i = 0; i < G_N_ELEMENTS(s); i++) {
		cr_assert_str_eq(s[i].etat, expected[i][0], "position %zu", i);
		cr_assert_str_eq(s[i].categorie, expected[i][1], "position %zu", i);
	}
}

Test(imilo_sort, without_current_situation_returns_null)
{
	struct imilo_situation s[] = {{"TERMINE", "Emploi", NULL}, {"PREVU", "Emploi", NULL}};

	cr_assert_null(imilo_sort_situations(s, 2));
	cr_assert_str_eq(s[0].etat, "PREVU");
	cr_assert_null(imilo_sort_situations(NULL, 0), "no situation: \"Sans situation\"");
}

Test(imilo_sort, keeps_imilo_order_for_equal_keys_and_puts_unknown_values_last)
{
	struct imilo_situation s[] = {
		{"EN_COURS", "Nouvelle catégorie", "a"},
		{"ANNULE", "Emploi", "b"},
		{"EN_COURS", "Emploi", "c"},
		{"EN_COURS", "Emploi", "d"},
	};

	cr_assert_str_eq(imilo_sort_situations(s, 4), "Emploi");
	cr_assert_str_eq(s[0].date_fin, "c");
	cr_assert_str_eq(s[1].date_fin, "d");
	cr_assert_str_eq(s[2].date_fin, "a");
	cr_assert_str_eq(s[3].date_fin, "b");
}

TestSuite(imilo_dossier, .init = setup, .fini = teardown);

Test(imilo_dossier, reads_what_the_product_shows_and_stores)
{
	struct imilo_dossier d;

	cr_assert_eq(parse(dossier_100001, &d), 0);
	cr_assert_str_eq(d.id, "100001");
	cr_assert_str_eq(d.first_name, "Éloïse");
	cr_assert_str_eq(d.last_name, "Quéré", "nomUsage wins over nomNaissance");
	cr_assert_str_eq(d.birth_date, "2004-05-17");
	cr_assert_str_eq(d.postal_code, "29200");
	cr_assert_str_eq(d.email, "eloise.quere@exemple.fr", "trimmed and lower-cased");
	cr_assert_str_eq(d.structure_code, "29019S00");
	cr_assert_str_eq(d.structure_name, "Mission Locale du Pays de Brest");
	cr_assert_str_eq(d.cej_end_date, "2026-01-05");
}

Test(imilo_dossier, sorts_situations_and_serialises_them)
{
	struct imilo_dossier d;

	cr_assert_eq(parse(dossier_100001, &d), 0);
	cr_assert_eq(d.n_situations, 4);
	cr_assert_str_eq(d.situations[0].categorie, "Emploi");
	cr_assert_str_eq(d.situations[0].etat, "EN_COURS");
	cr_assert_str_eq(d.situations[1].categorie, "Formation");
	cr_assert_null(d.situations[1].date_fin);
	cr_assert_str_eq(d.situations[3].etat, "TERMINE");
	cr_assert_str_eq(d.situations_json,
			 "[{\"etat\":\"EN_COURS\",\"categorie\":\"Emploi\",\"dateFin\":\"2025-06-30\"},"
			 "{\"etat\":\"EN_COURS\",\"categorie\":\"Formation\",\"dateFin\":null},"
			 "{\"etat\":\"PREVU\",\"categorie\":\"Emploi\",\"dateFin\":\"2025-09-30\"},"
			 "{\"etat\":\"TERMINE\",\"categorie\":\"Emploi\",\"dateFin\":\"2024-12-01\"}]");
}

Test(imilo_dossier, falls_back_to_birth_name_when_usage_name_is_null_empty_or_absent)
{
	const char *bodies[] = {
		"{\"idDossier\":7,\"prenom\":\"Noé\",\"nomNaissance\":\"Payet\",\"nomUsage\":null}",
		"{\"idDossier\":7,\"prenom\":\"Noé\",\"nomNaissance\":\"Payet\",\"nomUsage\":\"  \"}",
		"{\"idDossier\":7,\"prenom\":\"Noé\",\"nomNaissance\":\"Payet\"}",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++) {
		struct imilo_dossier d;
		cr_assert_eq(parse(bodies[i], &d), 0, "body %zu", i);
		cr_assert_str_eq(d.last_name, "Payet", "body %zu", i);
	}
}

Test(imilo_dossier, null_or_empty_mail_means_no_email)
{
	struct imilo_dossier d;

	cr_assert_eq(parse("{\"idDossier\":100038,\"prenom\":\"Lou\",\"nomNaissance\":\"Clain\","
			   "\"mail\":null,\"situations\":[]}", &d), 0);
	cr_assert_null(d.email);
	cr_assert_eq(d.n_situations, 0);
	cr_assert_str_eq(d.situations_json, "[]");
	cr_assert_eq(parse("{\"idDossier\":1,\"prenom\":\"Lou\",\"nomNaissance\":\"Clain\","
			   "\"mail\":\"\"}", &d), 0);
	cr_assert_null(d.email);
	cr_assert_null(d.cej_end_date, "PACEA or no accompagnementCEJ");
}

Test(imilo_dossier, tolerates_string_ids_and_skips_unusable_situations)
{
	struct imilo_dossier d;

	cr_assert_eq(parse("{\"idDossier\":\"42\",\"prenom\":\"Adam\",\"nomNaissance\":\"Robert\","
			   "\"situations\":[{\"etat\":\"EN_COURS\"},42,"
			   "{\"etat\":\"PREVU\",\"categorieSituation\":\"Pmsmp\"}]}", &d), 0);
	cr_assert_str_eq(d.id, "42");
	cr_assert_eq(d.n_situations, 1);
	cr_assert_str_eq(d.situations[0].categorie, "Pmsmp");
}

Test(imilo_dossier, refuses_what_is_not_a_dossier)
{
	struct imilo_dossier d;
	const char *bodies[] = {
		"", "<html><body>502 Bad Gateway</body></html>", "[]", "null",
		"{\"prenom\":\"Adam\",\"nomNaissance\":\"Robert\"}",      /* no id */
		"{\"idDossier\":1,\"nomNaissance\":\"Robert\"}",           /* no first name */
		"{\"idDossier\":1,\"prenom\":\"Adam\",\"nomUsage\":null}", /* no last name */
		"{\"idDossier\":1,\"prenom\":\"Adam\",\"nomNaissance\":\"Robert\"",  /* cut */
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++)
		cr_assert_eq(parse(bodies[i], &d), -1, "body %zu", i);
}

TestSuite(imilo_errors, .init = setup, .fini = teardown);

Test(imilo_errors, reads_code_message_and_keycloak_id)
{
	struct imilo_error e;

	parse_error("{\"code\":\"SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT\","
		    "\"id-keycloak\":\"5f0c3a1e-8d2b-4e7a-9c61-7b3e2d4f1a37\"}", &e);
	cr_assert_str_eq(e.code, "SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT");
	cr_assert_str_eq(e.account_id, "5f0c3a1e-8d2b-4e7a-9c61-7b3e2d4f1a37");
	cr_assert_null(e.message);
	cr_assert_eq(imilo_error_status(400, &e), IMILO_ALREADY_ATTACHED);

	parse_error("{\"message\":\"Dossier introuvable\"}", &e);
	cr_assert_str_eq(e.message, "Dossier introuvable");
	cr_assert_eq(imilo_error_status(404, &e), IMILO_REJECTED);
}

Test(imilo_errors, tolerates_empty_and_non_json_bodies)
{
	struct imilo_error e;
	const char *bodies[] = {"", "Service Unavailable", "<h1>504</h1>", "[1,2]", "\"x\""};

	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++) {
		parse_error(bodies[i], &e);
		cr_assert(!e.code && !e.message && !e.account_id, "body %zu", i);
	}
	imilo_parse_error(a, NULL, 0, &e);
	cr_assert_null(e.message);
}

Test(imilo_errors, maps_statuses_as_spec_3_1)
{
	struct imilo_error other_ml = {.code = "SUE_ACCOUNT_EXISTING_OTHER_ML"}, none = {0};

	cr_assert_eq(imilo_error_status(400, &other_ml), IMILO_OTHER_ML);
	cr_assert_eq(imilo_error_status(400, &none), IMILO_BAD_REQUEST);
	cr_assert_eq(imilo_error_status(400, NULL), IMILO_BAD_REQUEST);
	for (int s = 401; s <= 404; s++)
		cr_assert_eq(imilo_error_status(s, &none), IMILO_REJECTED, "HTTP %d", s);
	cr_assert_eq(imilo_error_status(409, &none), IMILO_DOWN);
	cr_assert_eq(imilo_error_status(429, &none), IMILO_DOWN);
	cr_assert_eq(imilo_error_status(500, &none), IMILO_DOWN);
	cr_assert_eq(imilo_error_status(503, &other_ml), IMILO_DOWN);
}

Test(imilo_errors, retries_reads_only_on_network_errors_and_gateway_statuses)
{
	cr_assert(imilo_retryable(0));
	cr_assert(imilo_retryable(502));
	cr_assert(imilo_retryable(503));
	cr_assert(imilo_retryable(504));
	cr_assert(!imilo_retryable(500));
	cr_assert(!imilo_retryable(404));
	cr_assert(!imilo_retryable(429), "429 waits for Retry-After instead");
}

TestSuite(imilo_account, .init = setup, .fini = teardown);

Test(imilo_account, reads_the_text_plain_id)
{
	const char *id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

	cr_assert_str_eq(imilo_parse_account_id(a, bytes(id), strlen(id)), id);
	cr_assert_str_eq(imilo_parse_account_id(a, bytes(" abc\r\n"), 6), "abc");
	cr_assert_str_eq(imilo_parse_account_id(a, bytes("\"abc\""), 5), "abc");
	cr_assert_null(imilo_parse_account_id(a, bytes(""), 0));
	cr_assert_null(imilo_parse_account_id(a, bytes("  \n"), 3));
	cr_assert_null(imilo_parse_account_id(a, NULL, 0));
}
