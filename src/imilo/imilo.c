/* imilo.c — the i-milo client, dossiers family (spec/imilo.md §3.1 D1, D2, D5; §7), over
 * the exchange of imilo_http.c; parsing with jansson, copied into the caller's arena
 * before the JSON is released. */
#include "imilo/imilo.h"
#include "imilo/imilo_http.h"
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
			.etat = imilo_str_member(a, item, "etat"),
			.categorie = imilo_str_member(a, item, "categorieSituation"),
			.date_fin = imilo_str_member(a, item, "dateFin"),
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

	out->birth_date = imilo_str_member(a, root, "dateNaissance");
	out->postal_code = imilo_str_member(a, json_object_get(root, "adresse"), "codePostal");
	out->email = lower(a, imilo_str_member(a, root, "mail"));
	out->structure_code = imilo_str_member(a, structure, "codeStructure");
	out->structure_name = imilo_str_member(a, structure, "nomOfficiel");
	if (!out->structure_name)
		out->structure_name = imilo_str_member(a, structure, "nomUsuel");
	out->cej_end_date = imilo_str_member(a, cej, "dateFinPrevue");
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
	out->id = imilo_id_member(a, root, "idDossier");
	out->first_name = imilo_str_member(a, root, "prenom");
	out->last_name = imilo_str_member(a, root, "nomUsage");
	if (!out->last_name)
		out->last_name = imilo_str_member(a, root, "nomNaissance");
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
		out->code = imilo_str_member(a, root, "code");
		out->message = imilo_str_member(a, root, "message");
		out->account_id = imilo_str_member(a, root, "id-keycloak");
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
	"ok", "http_4xx", "http_5xx", "timeout", "network", "invalid", "circuit_open",
};

enum imilo_status
imilo_sessions_error_status(int http)
{
	if (http == 404)
		return IMILO_NOT_FOUND;
	return http >= 400 && http < 500 && http != 429 ? IMILO_REFUSED : IMILO_DOWN;
}

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
	res->code = e.code;
	res->account_id = e.account_id;
	if (res->status == IMILO_DOWN)
		imilo_log_down(a, method, url, ans);
}

int
imilo_get_dossier(struct imilo_client *c, struct arena *a, const char *id,
		  struct imilo_dossier *out, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/sue/dossiers/", id, NULL);
	struct answer ans;

	memset(out, 0, sizeof(*out));
	memset(res, 0, sizeof(*res));
	imilo_exchange(c, CALL_D1, NULL, "GET", url, NULL, &ans);
	res->http_status = ans.status;
	if (!imilo_is_2xx(ans.status)) {
		set_failure(a, "GET", url, &ans, res);
	} else if (imilo_parse_dossier(a, ans.body->str, ans.body->len, out) < 0) {
		log_warn("i-milo: GET %s : réponse illisible", url);
		res->status = IMILO_DOWN;
	} else {
		res->status = IMILO_OK;
	}
	imilo_answer_done(c, CALL_D1, &ans, res->status == IMILO_OK);
	return res->status == IMILO_OK ? 0 : -1;
}

int
imilo_declare_account(struct imilo_client *c, struct arena *a, const char *id,
		      struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/sue/compte-jeune/", id, NULL);
	struct answer ans;

	memset(res, 0, sizeof(*res));
	imilo_exchange(c, CALL_D2, NULL, "POST", url, NULL, &ans);
	if (!imilo_is_2xx(ans.status)) {
		set_failure(a, "POST", url, &ans, res);
	} else {
		res->http_status = ans.status;
		res->account_id = imilo_parse_account_id(a, ans.body->str, ans.body->len);
		res->status = res->account_id ? IMILO_OK : IMILO_DOWN;
		if (!res->account_id)
			log_warn("i-milo: POST %s : réponse sans identifiant de compte", url);
	}
	imilo_answer_done(c, CALL_D2, &ans, res->account_id != NULL);
	return res->status == IMILO_OK ? 0 : -1;
}

int
imilo_create_situation(struct imilo_client *c, struct arena *a, const char *dossier_id,
		       const struct imilo_snp *snp, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/sue/dossiers/", dossier_id, "/situation");
	struct answer ans;
	struct imilo_error e;

	memset(res, 0, sizeof(*res));
	imilo_exchange(c, CALL_D5, NULL, "POST", url, imilo_snp_body(a, snp), &ans);
	res->http_status = ans.status;
	if (imilo_is_2xx(ans.status)) {
		res->status = IMILO_OK;
	} else {
		imilo_parse_error(a, ans.body->str, ans.body->len, &e);
		res->status = imilo_snp_error_status(ans.status);
		res->code = e.code;
		if (res->status == IMILO_REFUSED)
			res->message = imilo_snp_refusal(&e);
		else
			imilo_log_down(a, "POST", url, &ans);
	}
	imilo_answer_done(c, CALL_D5, &ans, true);
	return res->status == IMILO_OK ? 0 : -1;
}
