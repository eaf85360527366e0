/* test_imilo.c — the i-milo client. The pure half (imilo/imilo_parse.h): how answers of
 * spec/imilo.md §3.1 become what the product stores and shows; bodies are copied to heap
 * blocks of exactly their length, without a final NUL, so the sanitizer build catches any
 * read past @len. Then D5 over HTTP against the simulator itself (`cej imilo-sim`, the
 * binary built beside this test), read back through its admin API. */
#include "imilo/imilo.h"
#include "imilo/imilo_parse.h"
#include "imilo/imilo_sessions.h"

#include "base/clock.h"

#include "base/arena.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

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

TestSuite(imilo_snp, .init = setup, .fini = teardown);

static const struct imilo_snp snp_cv = {
	.date_debut = "2025-03-10",
	.date_fin_reelle = "2025-03-12",
	.commentaire = "Atelier « CV » - Rédaction du CV, avec \"modèle\"",
	.mesure = "EMPLOI",
	.login_conseiller = "camille.martin",
};

static const char snp_cv_body[] =
	"{\"dateDebut\":\"2025-03-10\",\"dateFinReelle\":\"2025-03-12\","
	"\"commentaire\":\"Atelier « CV » - Rédaction du CV, avec \\\"modèle\\\"\","
	"\"mesure\":\"EMPLOI\",\"loginConseiller\":\"camille.martin\"}";

Test(imilo_snp, body_carries_the_five_fields_in_order_as_utf8)
{
	cr_assert_str_eq(imilo_snp_body(a, &snp_cv), snp_cv_body);
}

Test(imilo_snp, any_4xx_but_429_is_a_refusal_the_rest_is_down)
{
	for (int s = 400; s <= 499; s++)
		cr_assert_eq(imilo_snp_error_status(s), s == 429 ? IMILO_DOWN : IMILO_REFUSED,
			     "HTTP %d", s);
	cr_assert_eq(imilo_snp_error_status(0), IMILO_DOWN, "no answer");
	cr_assert_eq(imilo_snp_error_status(500), IMILO_DOWN);
	cr_assert_eq(imilo_snp_error_status(503), IMILO_DOWN);
	cr_assert_eq(imilo_snp_error_status(301), IMILO_DOWN);
}

Test(imilo_snp, refusal_shows_the_message_else_the_code)
{
	struct imilo_error both = {.code = "VALIDATION", .message = "Commentaire trop long"};
	struct imilo_error code = {.code = "VALIDATION"}, none = {0};

	cr_assert_str_eq(imilo_snp_refusal(&both), "Commentaire trop long");
	cr_assert_str_eq(imilo_snp_refusal(&code), "VALIDATION");
	cr_assert_null(imilo_snp_refusal(&none));
}

/* The value of sample @series (name and labels as written) in @c's metrics, or -1. */
static int64_t
metric(const struct imilo_client *c, const char *series)
{
	GString *out = g_string_new("\n");
	g_autofree char *line = g_strconcat("\n", series, " ", NULL);
	imilo_metrics(c, out);
	const char *p = strstr(out->str, line);
	int64_t v = p ? g_ascii_strtoll(p + strlen(line), NULL, 10) : -1;
	g_string_free(out, TRUE);
	return v;
}

#define D5_CALLS(outcome) \
	"cej_imilo_calls_total{family=\"dossiers\",call=\"D5\",outcome=\"" outcome "\"}"

Test(imilo_snp, connection_refused_is_down)
{
	struct imilo_client *c = imilo_client_new(&(struct imilo_settings){.base_url = "http://127.0.0.1:1", .key_dossiers = "cle", .timeout_ms = 2000});
	struct imilo_result res;

	cr_assert_eq(metric(c, D5_CALLS("network")), 0, "every series from the start");
	cr_assert_eq(imilo_create_situation(c, a, "100001", &snp_cv, &res), -1);
	cr_assert_eq(res.status, IMILO_DOWN);
	cr_assert_eq(res.http_status, 0);
	cr_assert_eq(metric(c, D5_CALLS("network")), 1);
	cr_assert_eq(metric(c, D5_CALLS("ok")), 0);
	cr_assert_eq(metric(c, "cej_imilo_call_duration_seconds_count{family=\"dossiers\",call=\"D5\"}"), 1);
	cr_assert_eq(metric(c, "cej_imilo_call_duration_seconds_count{family=\"dossiers\",call=\"D1\"}"), 0);
	imilo_client_free(c);
}

TestSuite(imilo_outcome);

Test(imilo_outcome, says_how_a_call_ended_for_the_metrics)
{
	cr_assert_eq(imilo_outcome_of(201, false, true), IMILO_OUTCOME_OK);
	cr_assert_eq(imilo_outcome_of(200, false, false), IMILO_OUTCOME_INVALID, "unreadable 2xx");
	cr_assert_eq(imilo_outcome_of(404, false, false), IMILO_OUTCOME_HTTP_4XX);
	cr_assert_eq(imilo_outcome_of(429, false, false), IMILO_OUTCOME_HTTP_4XX);
	cr_assert_eq(imilo_outcome_of(503, false, false), IMILO_OUTCOME_HTTP_5XX);
	cr_assert_eq(imilo_outcome_of(302, false, false), IMILO_OUTCOME_INVALID);
	cr_assert_eq(imilo_outcome_of(0, true, false), IMILO_OUTCOME_TIMEOUT);
	cr_assert_eq(imilo_outcome_of(0, false, false), IMILO_OUTCOME_NETWORK);
	cr_assert_str_eq(imilo_outcome_names[IMILO_OUTCOME_HTTP_5XX], "http_5xx");
}

/* ---- D5 against the simulator ---- */

#define SIM_KEY "cle-dossiers-test"
#define SIM_ADMIN "jeton-admin-test"
#define SIM_READY "imilo-sim: écoute sur "
#define CLIENT_TIMEOUT_MS 1500

static struct {
	GPid pid;
	FILE *out;                /* its stdout, kept open until it exits */
	struct fixture fx;        /* its directory (database, log); no database of ours */
	char *log;                /* its stderr, shown when it fails */
	char *url;
} sim;
static struct imilo_client *client;

/* The cej binary built beside this test (build/ or build-asan/), else $CEJ_BIN. */
static char *
cej_binary(void)
{
	gchar *self = g_file_read_link("/proc/self/exe", NULL);
	gchar *dir = self ? g_path_get_dirname(self) : g_strdup(".");
	gchar *bin = g_build_filename(dir, "cej", NULL);

	g_free(self);
	g_free(dir);
	if (!g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE) && g_getenv("CEJ_BIN")) {
		g_free(bin);
		bin = g_strdup(g_getenv("CEJ_BIN"));
	}
	return bin;
}

static void
print_sim_log(void)
{
	gchar *text = NULL;

	if (g_file_get_contents(sim.log, &text, NULL, NULL))
		fprintf(stderr, "--- imilo-sim ---\n%s---\n", text);
	g_free(text);
}

/* Starts `cej imilo-sim` on a free port with a fresh database; returns once it listens. */
static void
sim_start(void)
{
	char *bin = cej_binary(), *db, line[256] = "";
	gchar **env = g_get_environ();
	GError *err = NULL;
	int out_fd, log_fd;
	bool ready;

	setup();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	fixture_open(&sim.fx, "test-imilo", 0);
	db = g_build_filename(sim.fx.dir, "sim.db", NULL);
	sim.log = g_build_filename(sim.fx.dir, "sim.log", NULL);
	log_fd = g_open(sim.log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char *argv[] = {bin, "imilo-sim", "--port", "0", "--db", db, "--admin-token", SIM_ADMIN,
			"--timeout-cap", "5", NULL};
	env = g_environ_setenv(env, "CEJ_IMILO_KEY_DOSSIERS", SIM_KEY, TRUE);
	env = g_environ_setenv(env, "CEJ_QUIET", "true", TRUE);
	env = g_environ_unsetenv(env, "CEJ_CONFIG");
	cr_assert(g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)argv,
						   (const char *const *)env,
						   G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, -1, -1,
						   log_fd, NULL, NULL, 0, &sim.pid, NULL, &out_fd,
						   NULL, &err),
		  "%s: %s", bin, err ? err->message : "?");
	close(log_fd);
	sim.out = fdopen(out_fd, "r");
	while (fgets(line, sizeof(line), sim.out) && !g_str_has_prefix(line, SIM_READY))
		;
	ready = g_str_has_prefix(line, SIM_READY);
	if (!ready)
		print_sim_log();
	cr_assert(ready, "the simulator did not start (%s)", bin);
	sim.url = g_strstrip(g_strdup(line + strlen(SIM_READY)));
	client = imilo_client_new(&(struct imilo_settings){
		.base_url = sim.url, .key_dossiers = SIM_KEY, .key_sessions = "cle-sessions-demo",
		.key_events = "cle-evenements-demo", .timeout_ms = CLIENT_TIMEOUT_MS});
	g_strfreev(env);
	g_free(db);
	g_free(bin);
}

/* SIGTERM: the simulator must stop cleanly (exit 0). Then its files go. */
static void
sim_stop(void)
{
	int status = -1;

	imilo_client_free(client);
	kill(sim.pid, SIGTERM);
	waitpid(sim.pid, &status, 0);
	g_spawn_close_pid(sim.pid);
	fclose(sim.out);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		print_sim_log();  /* before its files go: a crash or a sanitizer report */
	fixture_close(&sim.fx);
	g_free(sim.log);
	g_free(sim.url);
	curl_global_cleanup();
	teardown();
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "simulator exit status %d", status);
}

static size_t
collect(char *data, size_t size, size_t n, void *user)
{
	g_string_append_len(user, data, (gssize)(size * n));
	return size * n;
}

/* One admin call; the JSON answer (a new reference; NULL when empty), its status in
 * *status when given. */
static json_t *
admin(const char *method, const char *path, const char *body, long *status)
{
	CURL *h = curl_easy_init();
	gchar *url = g_strconcat(sim.url, path, NULL);
	GString *out = g_string_new(NULL);
	struct curl_slist *hdrs = curl_slist_append(NULL, "X-Admin-Token: " SIM_ADMIN);
	json_t *json;
	long code = 0;

	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	cr_assert_eq(curl_easy_perform(h), CURLE_OK, "%s %s", method, path);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	json = out->len ? json_loadb(out->str, out->len, 0, NULL) : NULL;
	if (status)
		*status = code;
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	g_string_free(out, TRUE);
	g_free(url);
	return json;
}

static void
add_fault(const char *rule)
{
	long status;
	json_t *f = admin("POST", "/_admin/faults", rule, &status);

	cr_assert_eq(status, 201, "fault %s", rule);
	json_decref(f);
}

/* The API calls the simulator received for D5, oldest first (a new reference). */
static json_t *
situation_calls(void)
{
	json_t *all = admin("GET", "/_admin/requests", NULL, NULL), *calls = json_array(), *e;
	size_t i;

	json_array_foreach(all, i, e)
		if (g_str_has_suffix(json_string_value(json_object_get(e, "path")), "/situation"))
			json_array_append(calls, e);
	json_decref(all);
	return calls;
}

static size_t
stored_count(const char *dossier)
{
	gchar *path = g_strdup_printf("/_admin/dossiers/%s/situations", dossier);
	json_t *list = admin("GET", path, NULL, NULL);
	size_t n = json_array_size(list);

	cr_assert(json_is_array(list), "%s", path);
	json_decref(list);
	g_free(path);
	return n;
}

static const char *
str_at(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

TestSuite(imilo_snp_sim, .init = sim_start, .fini = sim_stop, .timeout = 60);

Test(imilo_snp_sim, creates_the_situation_with_the_exact_body)
{
	struct imilo_result res;
	json_t *calls, *call, *stored, *s;

	cr_assert_eq(imilo_create_situation(client, a, "100001", &snp_cv, &res), 0);
	cr_assert_eq(res.status, IMILO_OK);
	cr_assert_eq(res.http_status, 201);
	cr_assert_null(res.message);

	calls = situation_calls();
	cr_assert_eq(json_array_size(calls), 1);
	call = json_array_get(calls, 0);
	cr_assert_str_eq(str_at(call, "method"), "POST");
	cr_assert_str_eq(str_at(call, "path"), "/sue/dossiers/100001/situation");
	cr_assert_str_eq(str_at(call, "body"), snp_cv_body);
	cr_assert_str_eq(str_at(json_object_get(call, "headers"), "X-Gravitee-Api-Key"), "***");
	cr_assert_str_eq(str_at(json_object_get(call, "headers"), "Content-Type"),
			 "application/json");

	stored = admin("GET", "/_admin/dossiers/100001/situations", NULL, NULL);
	cr_assert_eq(json_array_size(stored), 1);
	s = json_array_get(stored, 0);
	cr_assert_str_eq(str_at(s, "dateDebut"), "2025-03-10");
	cr_assert_str_eq(str_at(s, "dateFinReelle"), "2025-03-12");
	cr_assert_str_eq(str_at(s, "commentaire"), snp_cv.commentaire);
	cr_assert_str_eq(str_at(s, "mesure"), "EMPLOI");
	cr_assert_str_eq(str_at(s, "loginConseiller"), "camille.martin");
	json_decref(stored);
	json_decref(calls);
}

Test(imilo_snp_sim, validation_refusal_carries_imilos_message_and_stores_nothing)
{
	struct imilo_snp late = snp_cv, stranger = snp_cv;
	struct imilo_result res;

	late.date_debut = "2025-03-13";
	cr_assert_eq(imilo_create_situation(client, a, "100001", &late, &res), -1);
	cr_assert_eq(res.status, IMILO_REFUSED);
	cr_assert_eq(res.http_status, 400);
	cr_assert_str_eq(res.message,
			 "La date de début doit être antérieure ou égale à la date de fin réelle.");

	stranger.login_conseiller = "inconnu.total";
	cr_assert_eq(imilo_create_situation(client, a, "100001", &stranger, &res), -1);
	cr_assert_eq(res.status, IMILO_REFUSED);
	cr_assert_str_eq(res.message, "Le conseiller « inconnu.total » est inconnu d'i-milo.");

	cr_assert_eq(imilo_create_situation(client, a, "999", &snp_cv, &res), -1);
	cr_assert_eq(res.status, IMILO_REFUSED);
	cr_assert_eq(res.http_status, 404);
	cr_assert_str_eq(res.message, "Dossier introuvable");

	cr_assert_eq(stored_count("100001"), 0);
}

Test(imilo_snp_sim, refusal_without_message_shows_the_code)
{
	struct imilo_result res;

	add_fault("{\"match\":{\"path\":\"/sue/dossiers/*/situation\"},\"status\":409,"
		  "\"body\":{\"code\":\"SITUATION_EXISTANTE\"}}");
	cr_assert_eq(imilo_create_situation(client, a, "100001", &snp_cv, &res), -1);
	cr_assert_eq(res.status, IMILO_REFUSED);
	cr_assert_eq(res.http_status, 409);
	cr_assert_str_eq(res.message, "SITUATION_EXISTANTE");
}

Test(imilo_snp_sim, unavailable_is_down_and_never_retried)
{
	struct imilo_result res;
	json_t *calls;

	add_fault("{\"match\":{\"path\":\"/sue/dossiers/*/situation\"},\"status\":503,\"count\":1}");
	cr_assert_eq(imilo_create_situation(client, a, "100001", &snp_cv, &res), -1);
	cr_assert_eq(res.status, IMILO_DOWN);
	cr_assert_eq(res.http_status, 503);
	cr_assert_null(res.message);
	calls = situation_calls();
	cr_assert_eq(json_array_size(calls), 1, "a write is never retried");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(calls, 0), "status")), 503);
	json_decref(calls);
	cr_assert_eq(stored_count("100001"), 0, "the fault answered in i-milo's place");
	cr_assert_eq(metric(client, D5_CALLS("http_5xx")), 1);

	add_fault("{\"match\":{\"path\":\"/sue/dossiers/*/situation\"},\"status\":429,"
		  "\"body\":{\"code\":\"RATE_LIMIT\",\"message\":\"Trop de requêtes\"},\"count\":1}");
	cr_assert_eq(imilo_create_situation(client, a, "100001", &snp_cv, &res), -1);
	cr_assert_eq(res.status, IMILO_DOWN, "429: i-milo busy, not a refusal");
	calls = situation_calls();
	cr_assert_eq(json_array_size(calls), 2, "not retried after a 429 either");
	json_decref(calls);
	cr_assert_eq(metric(client, D5_CALLS("http_4xx")), 1);
	cr_assert_eq(metric(client, D5_CALLS("http_5xx")), 1);
}

Test(imilo_snp_sim, timeout_is_down_within_the_client_timeout)
{
	struct imilo_result res;
	gint64 t0;

	add_fault("{\"match\":{\"path\":\"/sue/dossiers/*/situation\"},\"timeout\":true}");
	t0 = g_get_monotonic_time();
	cr_assert_eq(imilo_create_situation(client, a, "100001", &snp_cv, &res), -1);
	cr_assert_eq(res.status, IMILO_DOWN);
	cr_assert_eq(res.http_status, 0);
	cr_assert_lt(g_get_monotonic_time() - t0, (CLIENT_TIMEOUT_MS + 1000) * 1000);
	cr_assert_eq(metric(client, D5_CALLS("timeout")), 1);
	cr_assert_eq(metric(client, D5_CALLS("network")), 0);
}

/* ---- sessions and events families (imilo_sessions.h) against the simulator ---- */

static const struct imilo_actor camille = {.bearer = "camille.martin"};   /* Brest */
static const struct imilo_actor sophie = {.bearer = "sophie.durand"};     /* Paris */
static const struct imilo_actor operator = {.bearer = NULL};  /* cej itself */

/* The API calls the simulator received whose path starts with @prefix. */
static size_t
calls_to(const char *prefix)
{
	json_t *all = admin("GET", "/_admin/requests", NULL, NULL), *e;
	size_t i, n = 0;

	json_array_foreach(all, i, e)
		n += g_str_has_prefix(str_at(e, "path"), prefix);
	json_decref(all);
	return n;
}

static char *
day_from_now(int days)
{
	return clock_day_iso(a, clock_day_of(clock_now_ms(), "Europe/Paris") + days);
}

TestSuite(imilo_sessions_sim, .init = sim_start, .fini = sim_stop, .timeout = 60);

Test(imilo_sessions_sim, s1_reads_the_second_page_when_the_first_is_full)
{
	struct imilo_session *s;
	struct imilo_result res;
	/* The seed puts 160 sessions of Paris in the week from +49 days. */
	int n = imilo_structure_sessions(client, a, &sophie, "75056S00", "Europe/Paris",
					 day_from_now(49), day_from_now(55), &s, &res);

	cr_assert_eq(n, 160, "%d (%d)", n, res.status);
	cr_assert_eq(res.status, IMILO_OK);
	cr_assert_eq(calls_to("/operateurs/structures/75056S00/sessions"), 2);
	for (int i = 0; i < n; i++) {
		cr_assert_geq(s[i].n_instances, 0, "rechercheInscrits=true lists registrants");
		cr_assert(s[i].starts_at > clock_now_ms() && s[i].ends_at >= s[i].starts_at);
		cr_assert_not_null(s[i].offre.nom);
	}
}

Test(imilo_sessions_sim, s1_outside_the_structure_is_a_refusal_with_its_code)
{
	struct imilo_session *s;
	struct imilo_result res;

	cr_assert_eq(imilo_structure_sessions(client, a, &camille, "75056S00", "Europe/Paris",
					      day_from_now(0), day_from_now(7), &s, &res), -1);
	cr_assert_eq(res.status, IMILO_REFUSED);
	cr_assert_eq(res.http_status, 403);
	cr_assert_str_eq(res.code, "HORS_STRUCTURE");
}

Test(imilo_sessions_sim, s3_reads_places_deadline_and_offer_and_404_is_not_found)
{
	struct imilo_session s;
	struct imilo_result res;

	/* 1004: full, in 2 days at 10:00, deadline the day before. */
	cr_assert_eq(imilo_get_session(client, a, &camille, "1004", "Europe/Paris", &s, &res), 0);
	cr_assert_eq(s.places, 0);
	cr_assert_eq(s.n_instances, -1);
	cr_assert_str_eq(clock_local_format(a, s.starts_at, "Europe/Paris"),
			 arena_printf(a, "%s 10:00:00", day_from_now(2)));
	cr_assert_str_eq(s.date_max, day_from_now(1));
	cr_assert_eq(s.closes_at, clock_day_at(clock_day_parse(day_from_now(2)), 0, 0,
					       "Europe/Paris"), "the end of the deadline's day");
	cr_assert_not_null(s.offre.type);
	/* 1006: unlimited, no deadline: closes at its start. */
	cr_assert_eq(imilo_get_session(client, a, &operator, "1006", "Europe/Paris", &s, &res), 0);
	cr_assert_eq(s.places, -1);
	cr_assert_null(s.date_max);
	cr_assert_eq(s.closes_at, s.starts_at);

	cr_assert_eq(imilo_get_session(client, a, &camille, "999999", "Europe/Paris", &s, &res), -1);
	cr_assert_eq(res.status, IMILO_NOT_FOUND);
}

Test(imilo_sessions_sim, registration_cycle_and_its_feed_events)
{
	struct imilo_result res;
	struct imilo_instance *in;
	struct imilo_event *ev;
	struct imilo_dossier_instance di;
	const char *id;
	int n;

	/* 1007: open, +7 days, nobody registered; 100004 is a dossier of Brest. */
	cr_assert_eq(imilo_register(client, a, &camille, "100004", "1007", &id, &res), 0);
	cr_assert_not_null(id);
	cr_assert_eq(imilo_register(client, a, &camille, "100004", "1007", &id, &res), -1);
	cr_assert_eq(res.status, IMILO_REFUSED);
	cr_assert_str_eq(res.code, "DEJA_INSCRIT");
	cr_assert_eq(calls_to("/operateurs/dossiers/100004/instances-session"), 2,
		     "a refused write is not retried");
	cr_assert_eq(imilo_register(client, a, &camille, "100004", "1004", &id, &res), -1);
	cr_assert(!strcmp(res.code, "PLUS_DE_PLACE") || !strcmp(res.code, "INSCRIPTIONS_CLOSES"));

	n = imilo_session_registrants(client, a, &camille, "1007", &in, &res);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(in[0].dossier_id, "100004");
	cr_assert_str_eq(in[0].statut, "ONGOING");
	cr_assert_eq(imilo_set_instance(client, a, &camille, "100004", in[0].id, "REFUSAL_YOUNG",
					"Absence", NULL, &res), 0);
	cr_assert_eq(imilo_get_instance(client, a, "100004", in[0].id, "Europe/Paris", &di, &res), 0);
	cr_assert_str_eq(di.statut, "REFUSAL_YOUNG", "E4's Refus jeune read back");
	cr_assert_str_eq(di.session_id, "1007");

	/* The feed: CREATE then UPDATE of this instance, with its id; acked, they go. */
	n = imilo_feed(client, a, &ev, &res);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(ev[0].type, "SESSION");
	cr_assert_str_eq(ev[0].action, "CREATE");
	cr_assert_str_eq(ev[0].type_id, in[0].id);
	cr_assert_str_eq(ev[1].action, "UPDATE");
	for (int i = 0; i < n; i++)
		cr_assert_eq(imilo_ack(client, a, ev[i].id, &res), 0);
	cr_assert_eq(imilo_ack(client, a, "inconnu", &res), 0, "an unknown event is acked");
	cr_assert_eq(imilo_feed(client, a, &ev, &res), 0);

	cr_assert_eq(imilo_unregister(client, a, &camille, "100004", in[0].id, &res), 0);
	cr_assert_eq(imilo_unregister(client, a, &camille, "100004", in[0].id, &res), -1);
	cr_assert_eq(res.status, IMILO_NOT_FOUND);
	cr_assert_eq(imilo_get_instance(client, a, "100004", in[0].id, "Europe/Paris", &di, &res), -1);
	cr_assert_eq(res.status, IMILO_NOT_FOUND);
}

Test(imilo_sessions_sim, e3_reads_a_rendez_vous_in_the_dossiers_zone)
{
	struct imilo_rdv r;
	struct imilo_result res;
	json_t *list = admin("GET", "/_admin/dossiers/100001/rdv", NULL, NULL);
	json_t *first = json_array_get(list, 0);
	char *id = arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(first, "id")));
	int64_t start;

	cr_assert(clock_local_to_ms("Europe/Paris", str_at(first, "dateHeureDebut"), &start));
	cr_assert_eq(imilo_get_rdv(client, a, "100001", id, "Europe/Paris", &r, &res), 0);
	cr_assert_eq(r.starts_at, start);
	cr_assert_str_eq(r.statut, str_at(first, "statut"));
	cr_assert_not_null(r.objet);
	json_decref(list);
	cr_assert_eq(imilo_get_rdv(client, a, "100002", id, "Europe/Paris", &r, &res), -1,
		     "a rendez-vous of another dossier");
	cr_assert_eq(res.status, IMILO_NOT_FOUND);
}

Test(imilo_sessions_sim, five_failures_open_the_circuit_and_calls_fail_at_once)
{
	struct imilo_session s;
	struct imilo_result res;
	size_t before;

	cr_assert_str_eq(imilo_health(client), "up");
	add_fault("{\"match\":{\"path\":\"/operateurs/sessions/*\"},\"status\":500}");
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(imilo_get_session(client, a, &operator, "1004", "Europe/Paris", &s, &res), -1);
		cr_assert_eq(res.status, IMILO_DOWN);
	}
	cr_assert_str_eq(imilo_health(client), "down");
	before = calls_to("/operateurs/sessions/");
	cr_assert_eq(imilo_get_session(client, a, &operator, "1004", "Europe/Paris", &s, &res), -1);
	cr_assert_eq(res.status, IMILO_DOWN);
	cr_assert_eq(calls_to("/operateurs/sessions/"), before, "nothing sent while open");
	cr_assert_eq(metric(client, "cej_imilo_calls_total{family=\"sessions\",call=\"S3\","
				    "outcome=\"circuit_open\"}"), 1);
	/* Another family is not affected. */
	struct imilo_dossier d;
	cr_assert_eq(imilo_get_dossier(client, a, "100001", &d, &res), 0);
}

TestSuite(imilo_sessions);

Test(imilo_sessions, registrations_close_at_the_end_of_the_deadline_day_or_at_the_start)
{
	int64_t start;

	cr_assert(clock_local_to_ms("Europe/Paris", "2026-03-20 10:00:00", &start));
	int64_t end_19 = clock_day_at(clock_day_parse("2026-03-20"), 0, 0, "Europe/Paris");
	cr_assert_eq(imilo_closes_at("2026-03-19", start, "Europe/Paris"), end_19);
	cr_assert_eq(imilo_closes_at("2026-03-20", start, "Europe/Paris"), start,
		     "the start comes first");
	cr_assert_eq(imilo_closes_at(NULL, start, "Europe/Paris"), start);
	/* Scenario 2 of imilo.md §8: an ambiguous autumn time takes its first occurrence. */
	cr_assert(clock_local_to_ms("Europe/Paris", "2025-10-26 02:30:00", &start));
	cr_assert_eq(start, 1761438600000LL);
}

Test(imilo_sessions_sim, background_calls_wait_longer_than_pages)
{
	struct imilo_event *ev;
	struct imilo_session s;
	struct imilo_result res;

	/* i-milo answers in 2 s: beyond a page's 1.5 s here, within a job's 30 s (§7). */
	add_fault("{\"match\":{\"path\":\"/operateurs/*\"},\"latencyMs\":2000}");
	cr_assert_eq(imilo_feed(client, a, &ev, &res), 0, "the feed is background work");
	cr_assert_eq(imilo_get_session(client, a, &camille, "1004", "Europe/Paris", &s, &res), -1);
	cr_assert_eq(res.status, IMILO_DOWN, "a page does not wait that long");
	cr_assert_eq(imilo_get_session(client, a, &(struct imilo_actor){.background = true}, "1004",
					"Europe/Paris", &s, &res), 0, "a job does");
}
