/* imilo_sessions.c — the i-milo client, sessions and events families (imilo_sessions.h):
 * S1–S7, E1–E4 over the exchange of imilo_http.c. */
#include "imilo/imilo_sessions.h"
#include "imilo/imilo_http.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/log.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 150             /* §3.3: taillePage=150; a full page asks for the next */
#define MAX_PAGES 20              /* 3,000 sessions in a period: more is not a structure */

int64_t
imilo_closes_at(const char *date_max, int64_t starts_at, const char *tz)
{
	int64_t day = clock_day_parse(date_max);

	if (day == CLOCK_NO_DAY)
		return starts_at;
	int64_t end = clock_day_at(day + 1, 0, 0, tz);
	return end < starts_at ? end : starts_at;
}

/* ---- reading the answers ---- */

static int64_t
local_member(json_t *o, const char *key, const char *tz)
{
	int64_t t = 0;
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v) || !clock_local_to_ms(tz, json_string_value(v), &t))
		return 0;
	return t;
}

static void
parse_instance(struct arena *a, json_t *o, struct imilo_instance *out)
{
	out->id = imilo_id_member(a, o, "idInstanceSession");
	out->dossier_id = imilo_id_member(a, o, "idDossier");
	out->last_name = imilo_str_member(a, o, "nom");
	out->first_name = imilo_str_member(a, o, "prenom");
	out->statut = imilo_str_member(a, o, "statut");
	if (!out->statut)
		out->statut = "ONGOING";
}

/* Registrants of array @arr; -1 when @arr is not an array (null: not asked for). */
static int
parse_instances(struct arena *a, json_t *arr, struct imilo_instance **out)
{
	size_t i, n = json_is_array(arr) ? json_array_size(arr) : 0;
	json_t *item;
	int k = 0;

	*out = NULL;
	if (!json_is_array(arr))
		return -1;
	*out = arena_alloc(a, sizeof(**out) * (n ? n : 1));
	json_array_foreach(arr, i, item) {
		parse_instance(a, item, &(*out)[k]);
		if ((*out)[k].id && (*out)[k].dossier_id)
			k++;
	}
	return k;
}

static void
parse_offre(struct arena *a, json_t *o, struct imilo_offre *out)
{
	out->id = imilo_id_member(a, o, "id");
	out->nom = imilo_str_member(a, o, "nom");
	out->theme = imilo_str_member(a, o, "theme");
	out->type = imilo_str_member(a, o, "type");
	out->description = imilo_str_member(a, o, "description");
	out->partenaire = imilo_str_member(a, o, "nomPartenaire");
}

/* {session, offre[, sessionInstance]} into @out; -1 when it is no session. */
static int
parse_item(struct arena *a, json_t *item, const char *tz, struct imilo_session *out)
{
	json_t *s = json_object_get(item, "session"), *places;

	memset(out, 0, sizeof(*out));
	out->id = imilo_id_member(a, s, "id");
	out->nom = imilo_str_member(a, s, "nom");
	out->starts_at = local_member(s, "dateHeureDebut", tz);
	out->ends_at = local_member(s, "dateHeureFin", tz);
	if (!out->id || !out->nom || !out->starts_at)
		return -1;
	if (out->ends_at < out->starts_at)
		out->ends_at = out->starts_at;
	out->date_max = imilo_str_member(a, s, "dateMaxInscription");
	out->closes_at = imilo_closes_at(out->date_max, out->starts_at, tz);
	out->animateur = imilo_str_member(a, s, "animateur");
	out->lieu = imilo_str_member(a, s, "lieu");
	out->commentaire = imilo_str_member(a, s, "commentaire");
	places = json_object_get(s, "nbPlacesDisponibles");
	out->places = json_is_integer(places) ? (int)MAX(json_integer_value(places), 0) : -1;
	out->n_instances = parse_instances(a, json_object_get(s, "instances"), &out->instances);
	out->my_statut = imilo_str_member(a, json_object_get(item, "sessionInstance"), "statut");
	parse_offre(a, json_object_get(item, "offre"), &out->offre);
	return 0;
}

/* Fills @res for an answer that is not a 2xx. */
static void
set_failure(struct arena *a, const char *method, const char *url, const struct answer *ans,
	    struct imilo_result *res)
{
	struct imilo_error e;

	imilo_parse_error(a, ans->body->str, ans->body->len, &e);
	res->http_status = ans->status;
	res->status = ans->status ? imilo_sessions_error_status(ans->status) : IMILO_DOWN;
	res->code = e.code;
	res->message = e.message;
	if (res->status == IMILO_DOWN)
		imilo_log_down(a, method, url, ans);
}

static void
set_unreadable(const char *method, const char *url, const struct answer *ans,
	       struct imilo_result *res)
{
	log_warn("i-milo: %s %s : réponse illisible", method, url);
	res->status = IMILO_DOWN;
	res->http_status = ans->status;
}

/* A GET of call @call whose 2xx body is JSON: the parsed root (to json_decref), or NULL
 * with @res filled. */
static json_t *
get_json(struct imilo_client *c, struct arena *a, enum imilo_call call,
	 const struct imilo_actor *who, const char *url, struct imilo_result *res)
{
	struct answer ans;
	json_t *root = NULL;

	memset(res, 0, sizeof(*res));
	imilo_exchange(c, call, who, "GET", url, NULL, &ans);
	if (!imilo_is_2xx(ans.status)) {
		set_failure(a, "GET", url, &ans, res);
	} else {
		root = json_loadb(ans.body->str, ans.body->len, 0, NULL);
		res->http_status = ans.status;
		if (!root)
			set_unreadable("GET", url, &ans, res);
	}
	imilo_answer_done(c, call, &ans, root != NULL);
	return root;
}

/* ---- S1, S2: a period's sessions, page after page ---- */

/* Appends the sessions of page @root to @list; the number the page held, or -1. */
static int
append_page(struct arena *a, json_t *root, const char *tz, GArray *list)
{
	json_t *items = json_object_get(root, "sessions"), *item;
	size_t i;

	if (!json_is_array(items))
		return -1;
	json_array_foreach(items, i, item) {
		struct imilo_session s;
		if (parse_item(a, item, tz, &s) == 0)
			g_array_append_val(list, s);
	}
	return (int)json_array_size(items);
}

static int
read_pages(struct imilo_client *c, struct arena *a, enum imilo_call call,
	   const struct imilo_actor *who, const char *url, const char *tz,
	   struct imilo_session **out, struct imilo_result *res)
{
	GArray *list = g_array_new(FALSE, FALSE, sizeof(struct imilo_session));
	int n = PAGE_SIZE, rc = 0;

	for (int page = 1; n == PAGE_SIZE && page <= MAX_PAGES && rc == 0; page++) {
		json_t *root = get_json(c, a, call, who,
					page == 1 ? url : arena_printf(a, "%s&page=%d", url, page),
					res);
		if (!root)
			rc = -1;
		else if ((n = append_page(a, root, tz, list)) < 0)
			rc = -1, res->status = IMILO_DOWN;
		json_decref(root);
	}
	*out = arena_memdup(a, list->data, sizeof(**out) * list->len);
	n = (int)list->len;
	g_array_free(list, TRUE);
	if (rc == 0)
		res->status = IMILO_OK;
	return rc == 0 ? n : -1;
}

int
imilo_structure_sessions(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
			 const char *structure, const char *tz, const char *from_day,
			 const char *to_day, struct imilo_session **out, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/structures/", structure,
			      arena_printf(a, "/sessions?taillePage=%d&rechercheInscrits=true"
					   "&dateDebutRecherche=%s&dateFinRecherche=%s",
					   PAGE_SIZE, from_day, to_day));
	return read_pages(c, a, CALL_S1, who, url, tz, out, res);
}

int
imilo_dossier_sessions(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		       const char *dossier, const char *tz, const char *from_day,
		       const char *to_day, struct imilo_session **out, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/sessions?idDossier=", dossier,
			      arena_printf(a, "&taillePage=%d&dateDebutRecherche=%s"
					   "&dateFinRecherche=%s", PAGE_SIZE, from_day, to_day));
	return read_pages(c, a, CALL_S2, who, url, tz, out, res);
}

/* ---- S3, S4 ---- */

int
imilo_get_session(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		  const char *id, const char *tz, struct imilo_session *out,
		  struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/sessions/", id, NULL);
	json_t *root = get_json(c, a, CALL_S3, who, url, res);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (root && parse_item(a, root, tz, out) == 0) {
		out->n_instances = -1;
		out->instances = NULL;
		res->status = IMILO_OK;
		rc = 0;
	} else if (root) {
		res->status = IMILO_DOWN;
		log_warn("i-milo: GET %s : réponse illisible", url);
	}
	json_decref(root);
	return rc;
}

int
imilo_session_registrants(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
			  const char *id, struct imilo_instance **out, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/sessions/", id, "/inscrits");
	json_t *root = get_json(c, a, CALL_S4, who, url, res);
	int n = -1;

	*out = NULL;
	if (root && (n = parse_instances(a, root, out)) >= 0)
		res->status = IMILO_OK;
	else if (root)
		res->status = IMILO_DOWN;
	json_decref(root);
	return n;
}

/* ---- S5–S7: writes, never retried ---- */

/* A write of call @call; 0 with the 2xx body in *@body (arena copy) when asked, else -1. */
static int
write_call(struct imilo_client *c, struct arena *a, enum imilo_call call,
	   const struct imilo_actor *who, const char *method, const char *url, const char *json,
	   const char **body, struct imilo_result *res)
{
	struct answer ans;

	memset(res, 0, sizeof(*res));
	imilo_exchange(c, call, who, method, url, json, &ans);
	if (imilo_is_2xx(ans.status)) {
		res->status = IMILO_OK;
		res->http_status = ans.status;
		if (body)
			*body = arena_strndup(a, ans.body->str, ans.body->len);
	} else {
		set_failure(a, method, url, &ans, res);
	}
	imilo_answer_done(c, call, &ans, true);
	return res->status == IMILO_OK ? 0 : -1;
}

int
imilo_register(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
	       const char *dossier, const char *session, const char **instance_id,
	       struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/dossiers/", dossier, "/instances-session");
	json_t *id = json_string(session), *root;
	char *json = json_dumps(id, JSON_ENCODE_ANY);
	const char *body = NULL;
	int rc = write_call(c, a, CALL_S5, who, "POST", url, json, &body, res);

	free(json);
	json_decref(id);
	*instance_id = NULL;
	if (rc < 0)
		return -1;
	root = json_loads(body, 0, NULL);
	*instance_id = imilo_id_member(a, root, "id");
	json_decref(root);
	if (!*instance_id) {
		/* i-milo registered but cej cannot tell which instance: the page reloads the
		 * registrants (S4) and finds it there. */
		log_warn("i-milo: POST %s : réponse sans identifiant d'inscription", url);
	}
	return 0;
}

int
imilo_set_instance(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		   const char *dossier, const char *instance, const char *statut,
		   const char *comment, const char *date_debut_reelle, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/dossiers/", dossier,
			      arena_printf(a, "/instances-session/%s", instance));
	json_t *o = json_pack("{s:s}", "statut", statut);
	char *json;
	int rc;

	if (comment)
		json_object_set_new(o, "commentaire", json_string(comment));
	if (date_debut_reelle)
		json_object_set_new(o, "dateDebutReelle", json_string(date_debut_reelle));
	json = json_dumps(o, JSON_COMPACT);
	rc = write_call(c, a, CALL_S6, who, "PUT", url, json, NULL, res);
	free(json);
	json_decref(o);
	return rc;
}

int
imilo_unregister(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		 const char *dossier, const char *instance, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/dossiers/", dossier,
			      arena_printf(a, "/instances-session/%s", instance));
	return write_call(c, a, CALL_S7, who, "DELETE", url, NULL, NULL, res);
}

/* ---- E1–E4: the feed, operator auth, a job's timeout ---- */

static const struct imilo_actor operator = {.bearer = NULL, .background = true};

int
imilo_feed(struct imilo_client *c, struct arena *a, struct imilo_event **out,
	   struct imilo_result *res)
{
	char *url = arena_printf(a, "%s/operateurs/events", c->base_url);
	json_t *root = get_json(c, a, CALL_E1, &operator, url, res), *item;
	size_t i, n = json_is_array(root) ? json_array_size(root) : 0;
	int k = 0;

	*out = NULL;
	if (!json_is_array(root)) {
		if (root)
			set_unreadable("GET", url, &(struct answer){.status = 200}, res);
		json_decref(root);
		return -1;
	}
	*out = arena_alloc(a, sizeof(**out) * (n ? n : 1));
	json_array_foreach(root, i, item) {
		struct imilo_event *e = &(*out)[k];
		e->id = imilo_str_member(a, item, "identifiant");
		e->dossier_id = imilo_id_member(a, item, "idDossier");
		e->type = imilo_str_member(a, item, "type");
		e->action = imilo_str_member(a, item, "action");
		e->type_id = imilo_id_member(a, item, "idType");
		e->date = imilo_str_member(a, item, "date");
		if (e->id)  /* without its id an event cannot be acknowledged nor kept */
			k++;
	}
	json_decref(root);
	res->status = IMILO_OK;
	return k;
}

int
imilo_ack(struct imilo_client *c, struct arena *a, const char *id, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/events/", id, "/ack");
	int rc = write_call(c, a, CALL_E2, &operator, "POST", url, NULL, NULL, res);

	if (rc < 0 && res->status == IMILO_NOT_FOUND) {
		res->status = IMILO_OK;  /* unknown: nothing left to acknowledge (§3.5) */
		rc = 0;
	}
	return rc;
}

int
imilo_get_rdv(struct imilo_client *c, struct arena *a, const char *dossier, const char *id,
	      const char *tz, struct imilo_rdv *out, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/dossiers/", dossier,
			      arena_printf(a, "/rdv/%s", id));
	json_t *root = get_json(c, a, CALL_E3, &operator, url, res);

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	out->id = imilo_id_member(a, root, "id");
	out->dossier_id = imilo_id_member(a, root, "idDossier");
	out->starts_at = local_member(root, "dateHeureDebut", tz);
	out->ends_at = local_member(root, "dateHeureFin", tz);
	out->objet = imilo_str_member(a, root, "objet");
	out->conseiller = imilo_str_member(a, root, "conseiller");
	out->type = imilo_str_member(a, root, "type");
	out->commentaire = imilo_str_member(a, root, "commentaire");
	out->lieu = imilo_str_member(a, root, "lieu");
	out->statut = imilo_str_member(a, root, "statut");
	json_decref(root);
	if (!out->id || !out->starts_at || !out->statut) {
		set_unreadable("GET", url, &(struct answer){.status = 200}, res);
		return -1;
	}
	res->status = IMILO_OK;
	return 0;
}

/* E4's French labels back to S6's statuses (§3.4); NULL when unknown. */
static const char *
statut_of_label(const char *label)
{
	static const char *const map[][2] = {
		{"Prescrit", "ONGOING"}, {"Réalisé", "ACHIEVED"},
		{"Refus tiers", "REFUSAL"}, {"Refus jeune", "REFUSAL_YOUNG"},
	};

	for (size_t i = 0; label && i < G_N_ELEMENTS(map); i++)
		if (!strcmp(label, map[i][0]) || !strcmp(label, map[i][1]))
			return map[i][1];
	return NULL;
}

int
imilo_get_instance(struct imilo_client *c, struct arena *a, const char *dossier, const char *id,
		   const char *tz, struct imilo_dossier_instance *out, struct imilo_result *res)
{
	char *url = imilo_url(a, c, "/operateurs/dossiers/", dossier,
			      arena_printf(a, "/sessions/%s", id));
	json_t *root = get_json(c, a, CALL_E4, &operator, url, res);

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	out->id = imilo_id_member(a, root, "id");
	out->session_id = imilo_id_member(a, root, "idSession");
	out->nom = imilo_str_member(a, root, "nom");
	out->dossier_id = imilo_id_member(a, root, "idDossier");
	out->starts_at = local_member(root, "dateHeureDebut", tz);
	out->ends_at = local_member(root, "dateHeureFin", tz);
	out->lieu = imilo_str_member(a, root, "lieu");
	out->commentaire = imilo_str_member(a, root, "commentaire");
	out->statut = statut_of_label(imilo_str_member(a, root, "statut"));
	if (!out->statut) {
		/* agenda.md §5.5: an unknown status reads as Inscrit, with a warning. */
		log_warn("i-milo: GET %s : statut inconnu, lu comme Inscrit", url);
		out->statut = "ONGOING";
	}
	json_decref(root);
	if (!out->id || !out->session_id || !out->nom || !out->starts_at) {
		set_unreadable("GET", url, &(struct answer){.status = 200}, res);
		return -1;
	}
	res->status = IMILO_OK;
	return 0;
}
