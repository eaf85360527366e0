/* imilo.c — the i-milo client, dossiers family (spec/imilo.md §3.1 D1, D2, D5; §7): one
 * libcurl easy handle per call, so calls from several workers never share state; parsing
 * with jansson, copied into the caller's arena before the JSON is released.
 *
 * curl_global_init() is done once by main before any thread starts. */
#include "imilo/imilo.h"
#include "imilo/imilo_parse.h"

#include "base/arena.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/text.h"

#include <curl/curl.h>
#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define CONNECT_TIMEOUT_MS 2000
#define DEFAULT_TIMEOUT_MS 10000
#define MIN_RETRY_BUDGET_MS 500   /* less left than this: a retry could not succeed */
#define MAX_RETRY_AFTER_S 2       /* §7: wait Retry-After only when ≤ 2 s */
#define MAX_BODY (1024 * 1024)    /* a dossier is a few KB: more is not i-milo */

/* The calls the client makes, by family (spec/imilo.md §2) and id (§3), for /metrics. */
enum imilo_call { CALL_D1, CALL_D2, CALL_D5, N_CALLS };
static const struct {
	const char *family, *id;
} calls[N_CALLS] = {{"dossiers", "D1"}, {"dossiers", "D2"}, {"dossiers", "D5"}};

struct imilo_client {
	char *base_url;           /* without trailing slash */
	char *key;
	int timeout_ms;
	/* Counted by every call, from any thread (atomics): what /metrics shows. */
	_Atomic uint64_t outcomes[N_CALLS][IMILO_N_OUTCOMES];
	struct metrics_histogram latency[N_CALLS];  /* a read's retry included */
};

/* ---- pure part (imilo_parse.h) ---- */

static int
etat_rank(const char *etat)
{
	static const char *const order[] = {"EN_COURS", "PREVU", "TERMINE"};

	for (size_t i = 0; etat && i < G_N_ELEMENTS(order); i++)
		if (!strcmp(etat, order[i]))
			return (int)i;
	return (int)G_N_ELEMENTS(order);
}

static int
categorie_rank(const char *cat)
{
	static const char *const order[] = {
		"Emploi", "Contrat en Alternance", "Formation", "Immersion en entreprise", "Pmsmp",
		"Contrat de volontariat - bénévolat", "Scolarité", "Demandeur d'emploi",
	};

	for (size_t i = 0; cat && i < G_N_ELEMENTS(order); i++)
		if (!strcmp(cat, order[i]))
			return (int)i;
	return (int)G_N_ELEMENTS(order);  /* unknown categories last */
}

static int
situation_cmp(const struct imilo_situation *x, const struct imilo_situation *y)
{
	int d = etat_rank(x->etat) - etat_rank(y->etat);
	return d ? d : categorie_rank(x->categorie) - categorie_rank(y->categorie);
}

const char *
imilo_sort_situations(struct imilo_situation *s, int n)
{
	/* Insertion sort: stable (equal situations keep i-milo's order) and n is small. */
	for (int i = 1; i < n; i++) {
		struct imilo_situation v = s[i];
		int j = i - 1;
		for (; j >= 0 && situation_cmp(&s[j], &v) > 0; j--)
			s[j + 1] = s[j];
		s[j + 1] = v;
	}
	return n > 0 && etat_rank(s[0].etat) == 0 ? s[0].categorie : NULL;
}

/* The string member @key of @o, trimmed, or NULL when absent, not a string or blank. */
static const char *
str_member(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char *s;

	if (!json_is_string(v))
		return NULL;
	s = text_trim(a, json_string_value(v));
	return *s ? s : NULL;
}

static const char *
id_member(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return str_member(a, o, key);
}

static const char *
lower(struct arena *a, const char *s)
{
	gchar *l;
	char *out;

	if (!s)
		return NULL;
	l = g_utf8_strdown(s, -1);
	out = arena_strdup(a, l);
	g_free(l);
	return out;
}

static void
parse_situations(struct arena *a, json_t *arr, struct imilo_dossier *out)
{
	size_t i, n = json_is_array(arr) ? json_array_size(arr) : 0;
	json_t *item;

	out->situations = arena_alloc(a, sizeof(*out->situations) * (n ? n : 1));
	out->n_situations = 0;
	json_array_foreach(arr, i, item) {
		struct imilo_situation s = {
			.etat = str_member(a, item, "etat"),
			.categorie = str_member(a, item, "categorieSituation"),
			.date_fin = str_member(a, item, "dateFin"),
		};
		if (s.etat && s.categorie)  /* an entry without them says nothing usable */
			out->situations[out->n_situations++] = s;
	}
	imilo_sort_situations(out->situations, out->n_situations);
}

static const char *
situations_json(struct arena *a, const struct imilo_situation *s, int n)
{
	json_t *arr = json_array();
	char *text, *out;

	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s?}", "etat", s[i].etat,
						     "categorie", s[i].categorie, "dateFin",
						     s[i].date_fin));
	text = json_dumps(arr, JSON_COMPACT);
	out = arena_strdup(a, text);
	free(text);
	json_decref(arr);
	return out;
}

static void
parse_body_fields(struct arena *a, json_t *root, struct imilo_dossier *out)
{
	json_t *structure = json_object_get(root, "structureRattachement");
	json_t *cej = json_object_get(root, "accompagnementCEJ");

	out->birth_date = str_member(a, root, "dateNaissance");
	out->postal_code = str_member(a, json_object_get(root, "adresse"), "codePostal");
	out->email = lower(a, str_member(a, root, "mail"));
	out->structure_code = str_member(a, structure, "codeStructure");
	out->structure_name = str_member(a, structure, "nomOfficiel");
	if (!out->structure_name)
		out->structure_name = str_member(a, structure, "nomUsuel");
	out->cej_end_date = str_member(a, cej, "dateFinPrevue");
	parse_situations(a, json_object_get(root, "situations"), out);
	out->situations_json = situations_json(a, out->situations, out->n_situations);
}

int
imilo_parse_dossier(struct arena *a, const char *body, size_t len, struct imilo_dossier *out)
{
	json_t *root = body ? json_loadb(body, len, 0, NULL) : NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(root))
		goto out;
	out->id = id_member(a, root, "idDossier");
	out->first_name = str_member(a, root, "prenom");
	out->last_name = str_member(a, root, "nomUsage");
	if (!out->last_name)
		out->last_name = str_member(a, root, "nomNaissance");
	if (!out->id || !out->first_name || !out->last_name)
		goto out;
	parse_body_fields(a, root, out);
	rc = 0;
out:
	json_decref(root);
	return rc;
}

void
imilo_parse_error(struct arena *a, const char *body, size_t len, struct imilo_error *out)
{
	json_t *root = body && len ? json_loadb(body, len, 0, NULL) : NULL;

	memset(out, 0, sizeof(*out));
	if (json_is_object(root)) {
		out->code = str_member(a, root, "code");
		out->message = str_member(a, root, "message");
		out->account_id = str_member(a, root, "id-keycloak");
	}
	json_decref(root);
}

const char *
imilo_parse_account_id(struct arena *a, const char *body, size_t len)
{
	char *s = body ? text_trim(a, arena_strndup(a, body, len)) : NULL;
	size_t n = s ? strlen(s) : 0;

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s = text_trim(a, arena_strndup(a, s + 1, n - 2));
	return s && *s ? s : NULL;
}

enum imilo_status
imilo_error_status(int http, const struct imilo_error *e)
{
	const char *code = e ? e->code : NULL;

	if (http == 400 && code && !strcmp(code, "SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT"))
		return IMILO_ALREADY_ATTACHED;
	if (http == 400 && code && !strcmp(code, "SUE_ACCOUNT_EXISTING_OTHER_ML"))
		return IMILO_OTHER_ML;
	if (http == 400)
		return IMILO_BAD_REQUEST;
	if (http >= 401 && http <= 404)
		return IMILO_REJECTED;
	return IMILO_DOWN;
}

enum imilo_status
imilo_snp_error_status(int http)
{
	return http >= 400 && http < 500 && http != 429 ? IMILO_REFUSED : IMILO_DOWN;
}

const char *
imilo_snp_refusal(const struct imilo_error *e)
{
	return e->message ? e->message : e->code;
}

const char *
imilo_snp_body(struct arena *a, const struct imilo_snp *snp)
{
	json_t *o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "dateDebut", snp->date_debut,
			      "dateFinReelle", snp->date_fin_reelle, "commentaire",
			      snp->commentaire, "mesure", snp->mesure, "loginConseiller",
			      snp->login_conseiller);
	char *text = json_dumps(o, JSON_COMPACT);
	const char *out = arena_strdup(a, text);

	free(text);
	json_decref(o);
	return out;
}

const char *const imilo_outcome_names[IMILO_N_OUTCOMES] = {
	"ok", "http_4xx", "http_5xx", "timeout", "network", "invalid",
};

enum imilo_outcome
imilo_outcome_of(int http, bool timed_out, bool usable)
{
	if (http == 0)
		return timed_out ? IMILO_OUTCOME_TIMEOUT : IMILO_OUTCOME_NETWORK;
	if (http >= 200 && http < 300)
		return usable ? IMILO_OUTCOME_OK : IMILO_OUTCOME_INVALID;
	if (http >= 400 && http < 500)
		return IMILO_OUTCOME_HTTP_4XX;
	if (http >= 500 && http < 600)
		return IMILO_OUTCOME_HTTP_5XX;
	return IMILO_OUTCOME_INVALID;
}

bool
imilo_retryable(int http)
{
	return http == 0 || http == 502 || http == 503 || http == 504;
}

/* ---- HTTP ---- */

struct imilo_client *
imilo_client_new(const struct imilo_settings *s)
{
	struct imilo_client *c = g_new0(struct imilo_client, 1);
	size_t n = strlen(s->base_url);

	while (n > 0 && s->base_url[n - 1] == '/')
		n--;
	c->base_url = g_strndup(s->base_url, n);
	c->key = g_strdup(s->key_dossiers ? s->key_dossiers : "");
	c->timeout_ms = s->timeout_ms > 0 ? s->timeout_ms : DEFAULT_TIMEOUT_MS;
	return c;
}

void
imilo_client_free(struct imilo_client *c)
{
	if (!c)
		return;
	g_free(c->base_url);
	g_free(c->key);
	g_free(c);
}

struct answer {
	int status;               /* 0: no HTTP answer (network error, timeout) */
	bool timed_out;           /* no answer because the time limit ran out */
	GString *body;
	long retry_after_s;       /* Retry-After in seconds, -1 when absent */
	char error[CURL_ERROR_SIZE];
};

static size_t
on_body(char *data, size_t size, size_t n, void *user)
{
	GString *body = user;

	if (body->len + size * n > MAX_BODY)
		return 0;  /* aborts the transfer: reported as a network error */
	g_string_append_len(body, data, (gssize)(size * n));
	return size * n;
}

static struct curl_slist *
headers(const struct imilo_client *c, const char *method, const char *json)
{
	gchar *key = g_strconcat("X-Gravitee-Api-Key: ", c->key, NULL);
	struct curl_slist *h = curl_slist_append(NULL, key);

	h = curl_slist_append(h, "Accept: application/json, text/plain");
	if (json)
		h = curl_slist_append(h, "Content-Type: application/json");
	else if (strcmp(method, "GET") != 0)  /* an empty body: no form Content-Type */
		h = curl_slist_append(h, "Content-Type:");
	g_free(key);
	return h;
}

/* @json is the request body, or NULL for none (GET, or a write with an empty body). */
static void
set_method(CURL *h, const char *method, const char *json)
{
	if (!strcmp(method, "GET"))
		return;
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json ? json : "");
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, json ? (long)strlen(json) : 0L);
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
}

/* One HTTP exchange within @timeout_ms, sending @json (NULL: no body). @ans->body must
 * be an empty GString. */
static void
perform(const struct imilo_client *c, const char *method, const char *url, const char *json,
	long timeout_ms, struct answer *ans)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = headers(c, method, json);
	curl_off_t retry_after = -1;
	long status = 0;

	ans->status = 0;
	ans->timed_out = false;
	ans->retry_after_s = -1;
	ans->error[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, MIN(CONNECT_TIMEOUT_MS, timeout_ms));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cej");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, ans->body);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ans->error);
	set_method(h, method, json);
	CURLcode rc = curl_easy_perform(h);
	ans->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
		ans->status = (int)status;
		ans->retry_after_s = retry_after > 0 ? (long)retry_after : (retry_after == 0 ? 0 : -1);
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
}

/* Whether the first attempt's answer earns the retry, after any wait it asks for. */
static bool
retry_after_wait(const struct answer *ans, gint64 deadline_us)
{
	gint64 wait_us = 0;

	if (ans->status == 429) {
		if (ans->retry_after_s < 0 || ans->retry_after_s > MAX_RETRY_AFTER_S)
			return false;
		wait_us = ans->retry_after_s * G_USEC_PER_SEC;
	} else if (!imilo_retryable(ans->status)) {
		return false;
	}
	if (deadline_us - g_get_monotonic_time() - wait_us < MIN_RETRY_BUDGET_MS * 1000)
		return false;
	g_usleep((gulong)wait_us);
	return true;
}

/* A read with its one retry (§7), both attempts within the client's timeout. */
static void
read_with_retry(const struct imilo_client *c, const char *url, struct answer *ans)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)c->timeout_ms * 1000;

	perform(c, "GET", url, NULL, c->timeout_ms, ans);
	if (!retry_after_wait(ans, deadline))
		return;
	if (ans->status)
		log_warn("i-milo: GET %s : HTTP %d, nouvel essai", url, ans->status);
	else
		log_warn("i-milo: GET %s : %s, nouvel essai", url, ans->error);
	g_string_truncate(ans->body, 0);
	perform(c, "GET", url, NULL, (long)((deadline - g_get_monotonic_time()) / 1000), ans);
}

static char *
dossier_url(struct arena *a, const struct imilo_client *c, const char *prefix, const char *id)
{
	gchar *escaped = g_uri_escape_string(id ? id : "", NULL, FALSE);
	char *url = arena_printf(a, "%s%s%s", c->base_url, prefix, escaped);

	g_free(escaped);
	return url;
}

static void
log_down(struct arena *a, const char *method, const char *url, const struct answer *ans)
{
	log_warn("i-milo: %s %s : %s", method, url,
		 ans->status ? arena_printf(a, "HTTP %d", ans->status) : ans->error);
}

/* Fills @res for a non-2xx answer (or none) and logs what the user will not see. */
static void
set_failure(struct arena *a, const char *method, const char *url, const struct answer *ans,
	    struct imilo_result *res)
{
	struct imilo_error e;

	imilo_parse_error(a, ans->body->str, ans->body->len, &e);
	res->http_status = ans->status;
	res->status = ans->status ? imilo_error_status(ans->status, &e) : IMILO_DOWN;
	res->message = e.message;
	res->account_id = e.account_id;
	if (res->status == IMILO_DOWN)
		log_down(a, method, url, ans);
}

static bool
is_2xx(int status)
{
	return status >= 200 && status < 300;
}

/* Counts call @call, begun at @t0_us (monotonic), that ended with @ans; @usable: its 2xx
 * body held what the call expects. */
static void
count_call(struct imilo_client *c, enum imilo_call call, gint64 t0_us, const struct answer *ans,
	   bool usable)
{
	enum imilo_outcome o = imilo_outcome_of(ans->status, ans->timed_out, usable);
	atomic_fetch_add_explicit(&c->outcomes[call][o], 1, memory_order_relaxed);
	metrics_observe(&c->latency[call], g_get_monotonic_time() - t0_us);
}

int
imilo_get_dossier(struct imilo_client *c, struct arena *a, const char *id,
		  struct imilo_dossier *out, struct imilo_result *res)
{
	char *url = dossier_url(a, c, "/sue/dossiers/", id);
	struct answer ans = {.body = g_string_new(NULL)};
	gint64 t0 = g_get_monotonic_time();

	memset(out, 0, sizeof(*out));
	memset(res, 0, sizeof(*res));
	read_with_retry(c, url, &ans);
	if (!is_2xx(ans.status)) {
		set_failure(a, "GET", url, &ans, res);
	} else if (imilo_parse_dossier(a, ans.body->str, ans.body->len, out) < 0) {
		log_warn("i-milo: GET %s : réponse illisible", url);
		res->status = IMILO_DOWN;
		res->http_status = ans.status;
	} else {
		res->status = IMILO_OK;
		res->http_status = ans.status;
	}
	count_call(c, CALL_D1, t0, &ans, res->status == IMILO_OK);
	g_string_free(ans.body, TRUE);
	return res->status == IMILO_OK ? 0 : -1;
}

int
imilo_declare_account(struct imilo_client *c, struct arena *a, const char *id,
		      struct imilo_result *res)
{
	char *url = dossier_url(a, c, "/sue/compte-jeune/", id);
	struct answer ans = {.body = g_string_new(NULL)};
	gint64 t0 = g_get_monotonic_time();

	memset(res, 0, sizeof(*res));
	perform(c, "POST", url, NULL, c->timeout_ms, &ans);
	if (!is_2xx(ans.status)) {
		set_failure(a, "POST", url, &ans, res);
	} else {
		res->http_status = ans.status;
		res->account_id = imilo_parse_account_id(a, ans.body->str, ans.body->len);
		res->status = res->account_id ? IMILO_OK : IMILO_DOWN;
		if (!res->account_id)
			log_warn("i-milo: POST %s : réponse sans identifiant de compte", url);
	}
	count_call(c, CALL_D2, t0, &ans, res->account_id != NULL);
	g_string_free(ans.body, TRUE);
	return res->status == IMILO_OK ? 0 : -1;
}

int
imilo_create_situation(struct imilo_client *c, struct arena *a, const char *dossier_id,
		       const struct imilo_snp *snp, struct imilo_result *res)
{
	char *url = arena_printf(a, "%s/situation", dossier_url(a, c, "/sue/dossiers/", dossier_id));
	struct answer ans = {.body = g_string_new(NULL)};
	struct imilo_error e;
	gint64 t0 = g_get_monotonic_time();

	memset(res, 0, sizeof(*res));
	perform(c, "POST", url, imilo_snp_body(a, snp), c->timeout_ms, &ans);
	res->http_status = ans.status;
	if (is_2xx(ans.status)) {
		res->status = IMILO_OK;
	} else {
		imilo_parse_error(a, ans.body->str, ans.body->len, &e);
		res->status = imilo_snp_error_status(ans.status);
		if (res->status == IMILO_REFUSED)
			res->message = imilo_snp_refusal(&e);
		else
			log_down(a, "POST", url, &ans);
	}
	count_call(c, CALL_D5, t0, &ans, true);
	g_string_free(ans.body, TRUE);
	return res->status == IMILO_OK ? 0 : -1;
}

void
imilo_metrics(const struct imilo_client *c, GString *out)
{
	metrics_family(out, "cej_imilo_calls_total", "counter",
		       "Appels à i-milo par famille, appel (spec/imilo.md) et issue ; une lecture "
		       "et son nouvel essai comptent pour un appel.");
	for (int k = 0; k < N_CALLS; k++)
		for (int o = 0; o < IMILO_N_OUTCOMES; o++) {
			struct metrics_label l[] = {{"family", calls[k].family}, {"call", calls[k].id},
						    {"outcome", imilo_outcome_names[o]}};
			metrics_sample(out, "cej_imilo_calls_total", l, G_N_ELEMENTS(l),
				       (int64_t)atomic_load_explicit(&c->outcomes[k][o],
								     memory_order_relaxed));
		}
	metrics_family(out, "cej_imilo_call_duration_seconds", "histogram",
		       "Durée des appels à i-milo, nouvel essai compris.");
	for (int k = 0; k < N_CALLS; k++) {
		struct metrics_label l[] = {{"family", calls[k].family}, {"call", calls[k].id}};
		metrics_histogram(out, "cej_imilo_call_duration_seconds", l, G_N_ELEMENTS(l),
				  &c->latency[k]);
	}
}
