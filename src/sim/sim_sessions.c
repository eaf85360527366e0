/* sim_sessions.c — the sessions and events families of the i-milo API (spec/imilo.md
 * §3.3–§3.5): S1–S4 reads, S5–S7 registrations, E1–E2 the event feed, E3 a rendez-vous,
 * E4 an instance. The JSON shapes are shared with the desk side (sim_desk.c).
 *
 * Who calls: S1 and S5–S7 need a counselor bearer; S2–S4 a bearer or operator auth (the
 * `operateur` header); E1–E4 operator auth. Until the simulator's SSO (§5) issues tokens,
 * the bearer is the counselor's i-milo login ("Bearer camille.martin"): what matters here
 * is who acts and in which structures. */
#include "sim/sim_internal.h"
#include "sim/sim_agenda_store.h"
#include "sim/sim_rules.h"
#include "sim/sim_store.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "db/db.h"
#include "http/http.h"

#include <string.h>

#define PAGE_SIZE_DEFAULT 150
#define PAGE_SIZE_MAX 500
#define FEED_BATCH 100          /* E1: the ≤ 100 oldest unacknowledged events */
#define REFUSAL_COMMENT_MAX 250 /* characters */
#define OPERATOR "APPLICATION_CEJ"

/* ---- JSON shapes ---- */

static json_t *
opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
sim_offre_json(const struct sim_offre *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)o->id, "nom", o->nom,
			 "theme", o->theme, "type", o->type, "description", opt_str(o->description),
			 "nomPartenaire", opt_str(o->nom_partenaire));
}

json_t *
sim_instances_json(const struct sim_instance *items, int n)
{
	json_t *arr = json_array();

	for (int k = 0; k < n; k++)
		json_array_append_new(
			arr, json_pack("{s:I, s:I, s:s, s:s, s:s}", "idDossier",
				       (json_int_t)items[k].dossier_id, "idInstanceSession",
				       (json_int_t)items[k].id, "nom", items[k].nom, "prenom",
				       items[k].prenom, "statut", items[k].statut));
	return arr;
}

/* {session, offre}; @instances (stolen) NULL: "instances": null. */
json_t *
sim_session_json(const struct sim_session *s, json_t *instances)
{
	int64_t left = sim_places_left(s->capacity, s->taken);
	json_t *session = json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)s->id, "nom",
		s->nom, "dateHeureDebut", s->debut, "dateHeureFin", s->fin, "dateMaxInscription",
		opt_str(s->date_max), "animateur", opt_str(s->animateur), "lieu", opt_str(s->lieu),
		"nbPlacesDisponibles", left < 0 ? json_null() : json_integer(left), "commentaire",
		opt_str(s->commentaire), "instances", instances ? instances : json_null());

	return json_pack("{s:o, s:o}", "session", session, "offre", sim_offre_json(&s->offre));
}

json_t *
sim_rdv_json(const struct sim_rdv *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)r->id,
			      "dateHeureDebut", r->debut, "objet", r->objet, "conseiller",
			      r->conseiller, "idDossier", (json_int_t)r->dossier_id, "type", r->type,
			      "statut", r->statut);

	if (r->fin)
		json_object_set_new(o, "dateHeureFin", json_string(r->fin));
	if (r->commentaire)
		json_object_set_new(o, "commentaire", json_string(r->commentaire));
	if (r->lieu)
		json_object_set_new(o, "lieu", json_string(r->lieu));
	return o;
}

/* E4: the instance @i of session @s, statut in French. */
static json_t *
instance_detail_json(const struct sim_instance *i, const struct sim_session *s)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:I, s:s}", "id", (json_int_t)i->id,
			      "idSession", (json_int_t)s->id, "nom", s->nom, "dateHeureDebut",
			      s->debut, "dateHeureFin", s->fin, "lieu", opt_str(s->lieu), "idDossier",
			      (json_int_t)i->dossier_id, "statut", sim_statut_label(i->statut));

	if (i->commentaire)
		json_object_set_new(o, "commentaire", json_string(i->commentaire));
	return o;
}

/* ISO 8601 with the offset of @tz (Europe/Paris when unknown). */
static const char *
event_date(struct arena *a, int64_t ms, const char *tz_name)
{
	GTimeZone *tz = g_time_zone_new_identifier(tz_name ? tz_name : "Europe/Paris");
	GDateTime *utc = g_date_time_new_from_unix_utc(ms / 1000);
	GDateTime *local;

	if (!tz)
		tz = g_time_zone_new_utc();
	local = g_date_time_to_timezone(utc, tz);
	gchar *s = g_date_time_format(local, "%Y-%m-%dT%H:%M:%S%:z");
	const char *out = arena_strdup(a, s);

	g_free(s);
	g_date_time_unref(local);
	g_date_time_unref(utc);
	g_time_zone_unref(tz);
	return out;
}

json_t *
sim_event_json(struct arena *a, const struct sim_event *e)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:o, s:s}", "identifiant", e->identifiant,
			 "idDossier", (json_int_t)e->dossier_id, "type", e->type, "action",
			 e->action, "idType", e->id_type < 0 ? json_null() : json_integer(e->id_type),
			 "date", event_date(a, e->at, e->timezone));
}

/* ---- who calls ---- */

/* The counselor login of the bearer, NULL when none was sent. */
static const char *
bearer(struct req *r)
{
	const char *h = req_header(r, "Authorization");

	if (!h || g_ascii_strncasecmp(h, "Bearer ", 7))
		return NULL;
	return h + 7;
}

/* Checks the bearer names a counselor, and tells whether he is in @structure_code.
 * 0: go on; 1: the 401 is set; negative: error. */
static int
counselor_auth(struct req *r, const char *structure_code, bool *member)
{
	const char *login = bearer(r);
	bool known = false;
	int rc;

	*member = false;
	if (!login || !*login) {
		sim_error(r, 401, "TOKEN_INVALID", "Jeton d'accès absent ou invalide");
		return 1;
	}
	rc = sim_store_counselor_structure(sim_db(r), login, structure_code, &known, member);
	if (!rc && !known) {
		sim_error(r, 401, "TOKEN_INVALID", "Jeton d'accès absent ou invalide");
		return 1;
	}
	return rc;
}

/* Operator calls: the `operateur` header. 0, or 1 with the 400 set. */
static int
operator_auth(struct req *r)
{
	const char *op = req_header(r, "operateur");

	if (op && !strcmp(op, OPERATOR))
		return 0;
	sim_error(r, 400, "OPERATEUR_MANQUANT", "En-tête operateur absent ou invalide");
	return 1;
}

/* Reads S2–S4: a counselor bearer when one is sent, else operator auth. */
static int
read_auth(struct req *r)
{
	bool member;
	return bearer(r) ? counselor_auth(r, NULL, &member) : operator_auth(r);
}

/* ---- path and query parameters ---- */

/* The integer path parameter @name, or -1 when not 1–11 digits. */
static int64_t
param_id(struct req *r, const char *name)
{
	const char *v = req_param(r, name);
	return text_is_digits(v, 11) ? g_ascii_strtoll(v, NULL, 10) : -1;
}

/* Fills the paging and date bounds of @q from the query. 0, or 1 with the 400 set. */
static int
search_query(struct req *r, struct sim_session_query *q)
{
	int size = req_query_int(r, "taillePage", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX);
	int page = req_query_int(r, "page", 1, 1, 1000000);

	q->from = req_query(r, "dateDebutRecherche");
	q->to = req_query(r, "dateFinRecherche");
	if ((q->from && !sim_valid_date(q->from)) || (q->to && !sim_valid_date(q->to)) ||
	    !sim_page_offset(page, size, &q->offset)) {
		sim_error(r, 400, "VALIDATION", "Paramètres de recherche invalides");
		return 1;
	}
	q->limit = size;
	return 0;
}

/* ---- S1–S4 ---- */

static int
instances_of(struct req *r, int64_t session_id, json_t **out)
{
	struct sim_instance *items;
	int n, rc = sim_store_instance_list(sim_db(r), r->a, session_id, &items, &n);

	if (!rc)
		*out = sim_instances_json(items, n);
	return rc;
}

/* The S1/S2 envelope {page, nbSessions, sessions}; @dossier_id > 0 adds sessionInstance. */
static int
search_answer(struct req *r, struct sim_session_query *q, bool with_instances, int64_t dossier_id)
{
	struct db *db = sim_db(r);
	struct sim_session *items;
	int n, rc;
	int64_t total;
	json_t *list = json_array();

	rc = sim_store_session_search(db, r->a, q, &items, &n, &total);
	for (int k = 0; !rc && k < n; k++) {
		json_t *instances = NULL, *item;
		struct sim_instance mine;
		if (with_instances)
			rc = instances_of(r, items[k].id, &instances);
		item = sim_session_json(&items[k], instances);
		if (!rc && dossier_id > 0) {
			rc = sim_store_instance_find(db, r->a, items[k].id, dossier_id, &mine);
			if (!rc)
				json_object_set_new(item, "sessionInstance",
						    json_pack("{s:s}", "statut", mine.statut));
			else if (rc == -ERR_NOTFOUND)
				rc = 0;
		}
		json_array_append_new(list, item);
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	resp_json(r, 200, json_pack("{s:I, s:I, s:o}", "page", (json_int_t)(q->offset / q->limit + 1),
				    "nbSessions", (json_int_t)total, "sessions", list));
	return 0;
}

/* S1: GET /operateurs/structures/{code}/sessions — 403 when not in the structure. */
static int
api_structure_sessions(struct req *r)
{
	struct sim_session_query q = {.structure_code = req_param(r, "code")};
	const char *with = req_query(r, "rechercheInscrits");
	bool member;
	int rc = counselor_auth(r, q.structure_code, &member);

	if (!rc && !member) {
		sim_error(r, 403, "HORS_STRUCTURE", "Vous n'appartenez pas à cette structure.");
		rc = 1;
	}
	if (!rc)
		rc = search_query(r, &q);
	if (!rc)
		rc = search_answer(r, &q, with && !strcmp(with, "true"), 0);
	return sim_api_done(r, rc);
}

/* S2: GET /operateurs/sessions?idDossier= — the sessions of the dossier's structure, with
 * its own registration as sessionInstance. */
static int
api_dossier_sessions(struct req *r)
{
	struct sim_session_query q = {0};
	const char *id = req_query(r, "idDossier");
	struct sim_dossier d;
	int rc = read_auth(r);

	if (!rc && !text_is_digits(id, 11)) {
		sim_error(r, 400, "VALIDATION", "idDossier absent ou invalide");
		rc = 1;
	}
	if (!rc) {
		rc = sim_store_get_dossier(sim_db(r), r->a, g_ascii_strtoll(id, NULL, 10), &d);
		if (rc == -ERR_NOTFOUND) {
			sim_error(r, 404, "DOSSIER_INCONNU", "Dossier introuvable");
			rc = 1;
		}
	}
	if (!rc)
		rc = search_query(r, &q);
	if (!rc) {
		q.structure_code = d.structure_code;
		rc = search_answer(r, &q, false, d.id);
	}
	return sim_api_done(r, rc);
}

/* Loads the session of path parameter {id}: 0, 1 with the 404 set, or an error. */
static int
load_session(struct req *r, struct sim_session *s)
{
	int64_t id = param_id(r, "id");
	int rc = id < 0 ? -ERR_NOTFOUND : sim_store_session_get(sim_db(r), r->a, id, s);

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "SESSION_INCONNUE", "Session introuvable");
		return 1;
	}
	return rc;
}

/* S3: GET /operateurs/sessions/{id} → {session, offre}. */
static int
api_session(struct req *r)
{
	struct sim_session s;
	int rc = read_auth(r);

	if (!rc)
		rc = load_session(r, &s);
	if (!rc)
		resp_json(r, 200, sim_session_json(&s, NULL));
	return sim_api_done(r, rc);
}

/* S4: GET /operateurs/sessions/{id}/inscrits. */
static int
api_session_registrants(struct req *r)
{
	struct sim_session s;
	json_t *list = NULL;
	int rc = read_auth(r);

	if (!rc)
		rc = load_session(r, &s);
	if (!rc)
		rc = instances_of(r, s.id, &list);
	if (!rc)
		resp_json(r, 200, list);
	return sim_api_done(r, rc);
}

/* ---- S5–S7 ---- */

/* The session id of an S5 body: a JSON string of digits ("4242"); a bare number is
 * tolerated. -1 when malformed. */
static int64_t
body_session_id(struct req *r)
{
	json_t *root = r->body ? json_loadb(r->body, r->body_len, JSON_DECODE_ANY, NULL) : NULL;
	const char *s = json_string_value(root);
	int64_t id = -1;

	if (s && text_is_digits(s, 11))
		id = g_ascii_strtoll(s, NULL, 10);
	else if (json_is_integer(root) && json_integer_value(root) > 0)
		id = json_integer_value(root);
	json_decref(root);
	return id;
}

/* Why dossier @d may not register to @s now (the error is set), or 0 to go on. In the
 * write transaction: the place count is the committed one. */
static int
registration_refusal(struct req *r, const struct sim_dossier *d, const struct sim_session *s,
		     bool counselor_member)
{
	struct sim_instance existing;
	int64_t closes;
	int rc;

	if (strcmp(d->structure_code, s->structure_code) || !counselor_member) {
		sim_error(r, 403, "HORS_STRUCTURE",
			  "Le jeune ou le conseiller n'appartient pas à la structure de la session.");
		return 1;
	}
	rc = sim_store_instance_find(sim_db(r), r->a, s->id, d->id, &existing);
	if (!rc) {
		sim_error(r, 409, "DEJA_INSCRIT", "Le jeune est déjà inscrit à cette session.");
		return 1;
	}
	if (rc != -ERR_NOTFOUND)
		return rc;
	if (!sim_registration_closes_ms(s->timezone, s->date_max, s->debut, &closes) ||
	    clock_now_ms() >= closes) {
		sim_error(r, 400, "INSCRIPTIONS_CLOSES", "Les inscriptions à cette session sont closes.");
		return 1;
	}
	if (sim_places_left(s->capacity, s->taken) == 0) {
		sim_error(r, 400, "PLUS_DE_PLACE", "Il n'y a plus de place disponible pour cette session.");
		return 1;
	}
	return 0;
}

/* Loads the dossier of path parameter {idDossier}: 0, 1 with the 404 set, or an error. */
static int
load_dossier(struct req *r, struct sim_dossier *d)
{
	int64_t id = param_id(r, "idDossier");
	int rc = id < 0 ? -ERR_NOTFOUND : sim_store_get_dossier(sim_db(r), r->a, id, d);

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "DOSSIER_INCONNU", "Dossier introuvable");
		return 1;
	}
	return rc;
}

/* The checks and the insert of S5, in the open write transaction. */
static int
register_in_tx(struct req *r, const struct sim_dossier *d, int64_t session_id)
{
	struct sim_session s;
	struct sim_instance i = {.session_id = session_id, .dossier_id = d->id, .statut = "ONGOING"};
	bool member = false;
	int rc = sim_store_session_get(sim_db(r), r->a, session_id, &s);

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "SESSION_INCONNUE", "Session introuvable");
		return 1;
	}
	if (!rc)
		rc = counselor_auth(r, s.structure_code, &member);
	if (!rc)
		rc = registration_refusal(r, d, &s, member);
	if (!rc)
		rc = sim_store_instance_create(sim_db(r), &i, clock_now_ms());
	if (!rc)
		resp_json(r, 201, json_pack("{s:I, s:I, s:I, s:s}", "id", (json_int_t)i.id,
					    "idDossier", (json_int_t)d->id, "idSession",
					    (json_int_t)session_id, "statut", "ONGOING"));
	return rc;
}


struct register_args {
	struct sim_dossier *d;
	int64_t session_id;
};

static int
register_step(struct req *r, void *arg)
{
	struct register_args *a = arg;
	return register_in_tx(r, a->d, a->session_id);
}

/* S5: POST /operateurs/dossiers/{idDossier}/instances-session, body "4242". */
static int
api_register(struct req *r)
{
	struct sim_dossier d;
	struct register_args args = {.d = &d, .session_id = body_session_id(r)};
	bool member;
	int rc = counselor_auth(r, NULL, &member);

	if (!rc)
		rc = load_dossier(r, &d);
	if (!rc && args.session_id < 0) {
		sim_error(r, 400, "VALIDATION", "Le corps doit être l'identifiant de la session.");
		rc = 1;
	}
	if (!rc)
		rc = sim_in_tx(r, register_step, &args);
	return sim_api_done(r, rc);
}

/* Loads the instance {idInstance} of dossier {idDossier}: 0, 1 with the 404 set, or an
 * error. */
static int
load_instance(struct req *r, struct sim_instance *i)
{
	int64_t dossier = param_id(r, "idDossier"), id = param_id(r, "idInstance");
	int rc = id < 0 ? -ERR_NOTFOUND : sim_store_instance_get(sim_db(r), r->a, id, i);

	if (rc == -ERR_NOTFOUND || (!rc && i->dossier_id != dossier)) {
		sim_error(r, 404, "INSTANCE_INCONNUE", "Inscription introuvable");
		return 1;
	}
	return rc;
}

const char *
sim_instance_change_refusal(struct sim_instance *i, json_t *root, const char **statut)
{
	const char *commentaire = NULL, *date = NULL;
	json_error_t e;

	*statut = NULL;
	if (json_unpack_ex(root, &e, 0, "{s:s, s?s, s?s}", "statut", statut, "commentaire",
			   &commentaire, "dateDebutReelle", &date))
		return "Corps invalide : statut attendu.";
	if (!sim_statut_valid(*statut))
		return "Statut inconnu (ONGOING, REFUSAL, REFUSAL_YOUNG ou ACHIEVED).";
	if (commentaire && strcmp(*statut, "REFUSAL_YOUNG"))
		return "Le commentaire n'est accepté qu'avec le statut REFUSAL_YOUNG.";
	if (commentaire && g_utf8_strlen(commentaire, -1) > REFUSAL_COMMENT_MAX)
		return "Le commentaire ne doit pas dépasser 250 caractères.";
	if (!strcmp(*statut, "ACHIEVED") && !sim_valid_date(date))
		return "La date de début réelle est obligatoire avec le statut ACHIEVED.";
	i->commentaire = commentaire;
	i->date_debut_reelle = !strcmp(*statut, "ACHIEVED") ? date : NULL;
	return NULL;
}

/* Whether moving @i to @statut needs a place that @s no longer has. */
static bool
instance_lacks_place(const struct sim_instance *i, const struct sim_session *s,
			 const char *statut)
{
	return sim_statut_holds_place(statut) && !sim_statut_holds_place(i->statut) &&
	       sim_places_left(s->capacity, s->taken) == 0;
}

static int
change_step(struct req *r, void *arg)
{
	json_t *root = arg;
	struct sim_instance i;
	struct sim_session s;
	const char *statut, *refusal;
	int rc = load_instance(r, &i);

	if (rc)
		return rc;
	refusal = sim_instance_change_refusal(&i, root, &statut);
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		return 1;
	}
	rc = sim_store_session_get(sim_db(r), r->a, i.session_id, &s);
	if (!rc && !strcmp(statut, "ONGOING") && instance_lacks_place(&i, &s, statut)) {
		sim_error(r, 400, "PLUS_DE_PLACE", "Il n'y a plus de place disponible pour cette session.");
		return 1;
	}
	i.statut = statut;
	if (!rc)
		rc = sim_store_instance_update(sim_db(r), &i, clock_now_ms());
	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return rc;
}

/* S6: PUT /operateurs/dossiers/{idDossier}/instances-session/{idInstance}. */
static int
api_change_registration(struct req *r)
{
	json_t *root = r->body ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;
	bool member;
	int rc = counselor_auth(r, NULL, &member);

	if (!rc)
		rc = sim_in_tx(r, change_step, root ? root : json_null());
	json_decref(root);
	return sim_api_done(r, rc);
}

static int
unregister_step(struct req *r, void *arg)
{
	struct sim_instance i;
	int rc = load_instance(r, &i);

	(void)arg;
	if (!rc)
		rc = sim_store_instance_delete(sim_db(r), i.id, clock_now_ms());
	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return rc;
}

/* S7: DELETE /operateurs/dossiers/{idDossier}/instances-session/{idInstance}. */
static int
api_unregister(struct req *r)
{
	bool member;
	int rc = counselor_auth(r, NULL, &member);

	if (!rc)
		rc = sim_in_tx(r, unregister_step, NULL);
	return sim_api_done(r, rc);
}

/* ---- E1–E4 ---- */

/* E1: GET /operateurs/events — the ≤ 100 oldest unacknowledged events. */
static int
api_events(struct req *r)
{
	struct sim_event *items;
	int n, rc = operator_auth(r);
	json_t *list;

	if (!rc)
		rc = sim_store_event_list(sim_db(r), r->a, true, FEED_BATCH, &items, &n);
	if (!rc) {
		list = json_array();
		for (int k = 0; k < n; k++)
			json_array_append_new(list, sim_event_json(r->a, &items[k]));
		resp_json(r, 200, list);
	}
	return sim_api_done(r, rc);
}

/* E2: POST /operateurs/events/{identifiant}/ack — 204, idempotent; 404 unknown. */
static int
api_event_ack(struct req *r)
{
	int rc = operator_auth(r);

	if (!rc)
		rc = sim_store_event_ack(sim_db(r), req_param(r, "identifiant"), clock_now_ms());
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "EVENEMENT_INCONNU", "Événement introuvable");
		rc = 1;
	}
	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return sim_api_done(r, rc);
}

/* E3: GET /operateurs/dossiers/{idDossier}/rdv/{idRdv} — 404 once deleted. */
static int
api_rdv(struct req *r)
{
	struct sim_rdv v;
	int64_t id = param_id(r, "idRdv");
	int rc = operator_auth(r);

	if (!rc)
		rc = id < 0 ? -ERR_NOTFOUND : sim_store_rdv_get(sim_db(r), r->a, id, &v);
	if (rc == -ERR_NOTFOUND || (!rc && v.dossier_id != param_id(r, "idDossier"))) {
		sim_error(r, 404, "RDV_INCONNU", "Rendez-vous introuvable");
		rc = 1;
	}
	if (!rc)
		resp_json(r, 200, sim_rdv_json(&v));
	return sim_api_done(r, rc);
}

/* E4: GET /operateurs/dossiers/{idDossier}/sessions/{idInstance}. */
static int
api_instance(struct req *r)
{
	struct sim_instance i;
	struct sim_session s;
	int rc = operator_auth(r);

	if (!rc)
		rc = load_instance(r, &i);
	if (!rc)
		rc = sim_store_session_get(sim_db(r), r->a, i.session_id, &s);
	if (!rc)
		resp_json(r, 200, instance_detail_json(&i, &s));
	return sim_api_done(r, rc);
}

#define API(method, pattern, handler) {method, pattern, handler, ROUTE_WORKER, SIM_ACCESS_API}

const struct route sim_sessions_routes[] = {
	API("GET", "/operateurs/structures/{code}/sessions", api_structure_sessions),
	API("GET", "/operateurs/sessions", api_dossier_sessions),
	API("GET", "/operateurs/sessions/{id}", api_session),
	API("GET", "/operateurs/sessions/{id}/inscrits", api_session_registrants),
	API("POST", "/operateurs/dossiers/{idDossier}/instances-session", api_register),
	API("PUT", "/operateurs/dossiers/{idDossier}/instances-session/{idInstance}",
	    api_change_registration),
	API("DELETE", "/operateurs/dossiers/{idDossier}/instances-session/{idInstance}",
	    api_unregister),
	API("GET", "/operateurs/events", api_events),
	API("POST", "/operateurs/events/{identifiant}/ack", api_event_ack),
	API("GET", "/operateurs/dossiers/{idDossier}/rdv/{idRdv}", api_rdv),
	API("GET", "/operateurs/dossiers/{idDossier}/sessions/{idInstance}", api_instance),
};
const size_t sim_sessions_routes_count = G_N_ELEMENTS(sim_sessions_routes);
