/* sim_desk.c — the admin API's "i-milo desk": what counselors do in i-milo itself, so that
 * tests and the demo can make sessions, registrations and rendez-vous change behind cej's
 * back. Behind X-Admin-Token like the rest of the admin API; never faulted nor journaled.
 * Every change writes its feed event (spec/imilo.md §3.5) in the same transaction.
 *
 * Bodies are read strictly: an unknown member is a 400, so a typo in a test never
 * silently changes nothing. On PATCH, members left out keep their value; null clears an
 * optional one. */
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

#define EVENTS_MAX 10000

/* A string member of a desk body: where it goes and whether null is allowed. */
struct field {
	const char *name;
	const char **dest;
	bool nullable;
};

/* The integer path parameter {id}; false with a 404 set when malformed. */
static bool
path_id(struct req *r, int64_t *id)
{
	const char *s = req_param(r, "id");

	if (!text_is_digits(s, 11)) {
		sim_error(r, 404, NULL, "Ressource inconnue");
		return false;
	}
	*id = g_ascii_strtoll(s, NULL, 10);
	return true;
}

/* Parses the body as a JSON object; on failure sets a 400 and returns NULL. */
static json_t *
body_object(struct req *r)
{
	json_t *root = r->body ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;

	if (!json_is_object(root)) {
		json_decref(root);
		sim_error(r, 400, "VALIDATION", "Objet JSON attendu");
		return NULL;
	}
	return root;
}

/* Copies the members of @root named in @fields (strings, or null when allowed) into their
 * destinations; @others lists the non-string members the caller reads itself. NULL, or
 * the French reason of a 400. */
static const char *
read_fields(struct req *r, json_t *root, const struct field *fields, size_t n,
	    const char *const *others)
{
	const char *key;
	json_t *v;

	json_object_foreach(root, key, v) {
		const struct field *f = NULL;
		bool other = false;
		for (size_t i = 0; i < n && !f; i++)
			if (!strcmp(key, fields[i].name))
				f = &fields[i];
		for (size_t i = 0; others && others[i] && !other; i++)
			other = !strcmp(key, others[i]);
		if (other)
			continue;
		if (!f)
			return arena_printf(r->a, "Membre inconnu : %s", key);
		if (json_is_null(v) && f->nullable)
			*f->dest = NULL;
		else if (json_is_string(v))
			*f->dest = arena_strdup(r->a, json_string_value(v));
		else
			return arena_printf(r->a, "%s doit être une chaîne%s", key,
					    f->nullable ? " ou null" : "");
	}
	return NULL;
}

/* ---- sessions ---- */

static const char *
session_fields(struct req *r, json_t *root, struct sim_session *s)
{
	static const char *const others[] = {"offreId", "nbPlaces", NULL};
	const struct field fields[] = {
		{"structure", &s->structure_code, false},
		{"nom", &s->nom, false},
		{"dateHeureDebut", &s->debut, false},
		{"dateHeureFin", &s->fin, false},
		{"dateMaxInscription", &s->date_max, true},
		{"animateur", &s->animateur, true},
		{"lieu", &s->lieu, true},
		{"commentaire", &s->commentaire, true},
	};
	const char *refusal = read_fields(r, root, fields, G_N_ELEMENTS(fields), others);
	json_t *offre = json_object_get(root, "offreId"), *places = json_object_get(root, "nbPlaces");

	if (refusal)
		return refusal;
	if (offre && !json_is_integer(offre))
		return "offreId doit être un entier";
	if (offre)
		s->offre_id = json_integer_value(offre);
	if (places && !json_is_null(places) &&
	    (!json_is_integer(places) || json_integer_value(places) < 0))
		return "nbPlaces doit être un entier positif ou null";
	if (places)
		s->capacity = json_is_null(places) ? -1 : json_integer_value(places);
	return NULL;
}

/* The rules a desk session obeys once its members are read. */
static int
session_check(struct req *r, const struct sim_session *s)
{
	bool structure = false, offre = false;
	int rc = 0;
	const char *refusal = NULL;

	if (!s->structure_code || !s->nom || !clock_local_valid(s->debut) || !clock_local_valid(s->fin))
		refusal = "structure, nom, dateHeureDebut et dateHeureFin (AAAA-MM-JJ HH:MM:SS) "
			  "sont obligatoires";
	else if (strcmp(s->debut, s->fin) > 0)
		refusal = "dateHeureDebut doit précéder dateHeureFin";
	else if (s->date_max && !sim_valid_date(s->date_max))
		refusal = "dateMaxInscription doit être une date AAAA-MM-JJ ou null";
	if (!refusal) {
		rc = sim_store_structure_exists(sim_db(r), s->structure_code, &structure);
		if (!rc)
			rc = sim_store_offre_exists(sim_db(r), s->offre_id, &offre);
		if (!rc && (!structure || !offre))
			refusal = "Structure ou offre inconnue";
	}
	if (rc)
		return rc;
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		return 1;
	}
	return 0;
}

/* 200 (or @status) {session, offre} with its instances. */
static int
session_answer(struct req *r, int64_t id, int status)
{
	struct sim_session s;
	struct sim_instance *items;
	int n, rc = sim_store_session_get(sim_db(r), r->a, id, &s);

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "SESSION_INCONNUE", "Session introuvable");
		return 0;
	}
	if (!rc)
		rc = sim_store_instance_list(sim_db(r), r->a, id, &items, &n);
	if (!rc)
		resp_json(r, status, sim_session_json(&s, sim_instances_json(items, n)));
	return rc;
}

static int
desk_session_get(struct req *r)
{
	int64_t id;
	return path_id(r, &id) ? session_answer(r, id, 200) : 0;
}

static int
desk_session_create(struct req *r)
{
	struct sim_session s = {.capacity = -1};
	json_t *root = body_object(r);
	const char *refusal;
	int rc = 0;

	if (!root)
		return 0;
	refusal = session_fields(r, root, &s);
	if (refusal)
		sim_error(r, 400, "VALIDATION", refusal);
	else
		rc = session_check(r, &s);
	if (!rc && !refusal)
		rc = sim_store_session_create(sim_db(r), &s);
	if (!rc && !refusal && r->status < 300)
		rc = session_answer(r, s.id, 201);
	json_decref(root);
	return rc;
}

static int
session_patch_step(struct req *r, void *arg)
{
	json_t *root = arg;
	struct sim_session s;
	const char *refusal;
	int64_t id;
	int rc;

	if (!path_id(r, &id))
		return 0;
	rc = sim_store_session_get(sim_db(r), r->a, id, &s);
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "SESSION_INCONNUE", "Session introuvable");
		return 0;
	}
	refusal = rc ? NULL : session_fields(r, root, &s);
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		return 0;
	}
	if (!rc)
		rc = session_check(r, &s);
	if (!rc && r->status < 300)
		rc = sim_store_session_update(sim_db(r), &s, clock_now_ms());
	if (!rc && r->status < 300)
		rc = session_answer(r, id, 200);
	return rc < 0 ? rc : 0;
}

static int
desk_session_patch(struct req *r)
{
	json_t *root = body_object(r);
	int rc = root ? sim_in_tx(r, session_patch_step, root) : 0;

	json_decref(root);
	return rc;
}

static int
session_delete_step(struct req *r, void *arg)
{
	int64_t id;
	int rc;

	(void)arg;
	if (!path_id(r, &id))
		return 0;
	rc = sim_store_session_delete(sim_db(r), id, clock_now_ms());
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "SESSION_INCONNUE", "Session introuvable");
		return 0;
	}
	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return rc;
}

static int
desk_session_delete(struct req *r)
{
	return sim_in_tx(r, session_delete_step, NULL);
}

/* ---- instances ---- */

static json_t *
instance_json(const struct sim_instance *i)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s?, s:s?}", "id", (json_int_t)i->id, "idSession",
			 (json_int_t)i->session_id, "idDossier", (json_int_t)i->dossier_id, "statut",
			 i->statut, "commentaire", i->commentaire, "dateDebutReelle",
			 i->date_debut_reelle);
}

/* Reads {idDossier, statut?, commentaire?, dateDebutReelle?} for a desk registration. */
static const char *
desk_registration_fields(struct req *r, json_t *root, struct sim_instance *i)
{
	json_t *dossier = json_object_get(root, "idDossier");
	json_t *rest = json_deep_copy(root);
	const char *statut = "ONGOING", *refusal = NULL;

	if (!json_is_integer(dossier)) {
		json_decref(rest);
		return "idDossier (entier) est obligatoire";
	}
	i->dossier_id = json_integer_value(dossier);
	json_object_del(rest, "idDossier");
	if (!json_object_get(rest, "statut"))
		json_object_set_new(rest, "statut", json_string("ONGOING"));
	refusal = sim_instance_change_refusal(i, rest, &statut);
	if (!refusal)
		i->statut = arena_strdup(r->a, statut);
	i->commentaire = arena_strdup(r->a, i->commentaire);
	i->date_debut_reelle = arena_strdup(r->a, i->date_debut_reelle);
	json_decref(rest);
	return refusal;
}

static int
instance_create_step(struct req *r, void *arg)
{
	struct sim_instance *i = arg;
	struct sim_session s;
	struct sim_dossier d;
	int rc = sim_store_session_get(sim_db(r), r->a, i->session_id, &s);

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "SESSION_INCONNUE", "Session introuvable");
		return 0;
	}
	if (!rc)
		rc = sim_store_get_dossier(sim_db(r), r->a, i->dossier_id, &d);
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "DOSSIER_INCONNU", "Dossier introuvable");
		return 0;
	}
	if (!rc && strcmp(d.structure_code, s.structure_code)) {
		sim_error(r, 403, "HORS_STRUCTURE", "Le jeune n'appartient pas à la structure de la session.");
		return 0;
	}
	if (!rc)
		rc = sim_store_instance_create(sim_db(r), i, clock_now_ms());
	if (rc == -ERR_CONFLICT) {
		sim_error(r, 409, "DEJA_INSCRIT", "Le jeune est déjà inscrit à cette session.");
		return 0;
	}
	if (!rc)
		resp_json(r, 201, instance_json(i));
	return rc;
}

/* POST /_admin/sessions/{id}/instances: the desk registers a dossier, whatever the places
 * and the deadline (a counselor in i-milo may). */
static int
desk_instance_create(struct req *r)
{
	struct sim_instance i = {0};
	json_t *root = body_object(r);
	const char *refusal;
	int rc = 0;

	if (!root || !path_id(r, &i.session_id))
		goto out;
	refusal = desk_registration_fields(r, root, &i);
	if (refusal)
		sim_error(r, 400, "VALIDATION", refusal);
	else
		rc = sim_in_tx(r, instance_create_step, &i);
out:
	json_decref(root);
	return rc;
}

static int
instance_patch_step(struct req *r, void *arg)
{
	json_t *root = arg;
	struct sim_instance i;
	const char *statut, *refusal;
	int64_t id;
	int rc;

	if (!path_id(r, &id))
		return 0;
	rc = sim_store_instance_get(sim_db(r), r->a, id, &i);
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "INSTANCE_INCONNUE", "Inscription introuvable");
		return 0;
	}
	refusal = rc ? NULL : sim_instance_change_refusal(&i, root, &statut);
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		return 0;
	}
	if (!rc) {
		i.statut = statut;
		rc = sim_store_instance_update(sim_db(r), &i, clock_now_ms());
	}
	if (!rc)
		resp_json(r, 200, instance_json(&i));
	return rc;
}

static int
desk_instance_patch(struct req *r)
{
	json_t *root = body_object(r);
	int rc = root ? sim_in_tx(r, instance_patch_step, root) : 0;

	json_decref(root);
	return rc;
}

static int
instance_delete_step(struct req *r, void *arg)
{
	int64_t id;
	int rc;

	(void)arg;
	if (!path_id(r, &id))
		return 0;
	rc = sim_store_instance_delete(sim_db(r), id, clock_now_ms());
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "INSTANCE_INCONNUE", "Inscription introuvable");
		return 0;
	}
	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return rc;
}

static int
desk_instance_delete(struct req *r)
{
	return sim_in_tx(r, instance_delete_step, NULL);
}

/* ---- rendez-vous ---- */

static const char *const rdv_statuts[] = {"Absent", "Annulé", "Non précisé", "Planifié",
					  "Présent", "Reporté"};

static const char *
rdv_fields(struct req *r, json_t *root, struct sim_rdv *v)
{
	const struct field fields[] = {
		{"dateHeureDebut", &v->debut, false}, {"dateHeureFin", &v->fin, true},
		{"objet", &v->objet, false},          {"conseiller", &v->conseiller, false},
		{"type", &v->type, false},            {"statut", &v->statut, false},
		{"commentaire", &v->commentaire, true}, {"lieu", &v->lieu, true},
	};
	const char *refusal = read_fields(r, root, fields, G_N_ELEMENTS(fields), NULL);
	bool known = false;

	if (refusal)
		return refusal;
	if (!clock_local_valid(v->debut) || (v->fin && !clock_local_valid(v->fin)))
		return "dateHeureDebut (et dateHeureFin) au format AAAA-MM-JJ HH:MM:SS";
	if (!v->objet || !v->conseiller || !v->type)
		return "objet, conseiller et type sont obligatoires";
	for (size_t k = 0; v->statut && k < G_N_ELEMENTS(rdv_statuts); k++)
		known = known || !strcmp(v->statut, rdv_statuts[k]);
	if (!known)
		return "statut : Absent, Annulé, Non précisé, Planifié, Présent ou Reporté";
	return NULL;
}

static int
desk_rdv_list(struct req *r)
{
	struct sim_rdv *items;
	int64_t id;
	int n, rc;
	json_t *list;

	if (!path_id(r, &id))
		return 0;
	rc = sim_store_rdv_list(sim_db(r), r->a, id, &items, &n);
	if (rc)
		return rc;
	list = json_array();
	for (int k = 0; k < n; k++)
		json_array_append_new(list, sim_rdv_json(&items[k]));
	resp_json(r, 200, list);
	return 0;
}

static int
rdv_create_step(struct req *r, void *arg)
{
	struct sim_rdv *v = arg;
	struct sim_dossier d;
	int rc = sim_store_get_dossier(sim_db(r), r->a, v->dossier_id, &d);

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "DOSSIER_INCONNU", "Dossier introuvable");
		return 0;
	}
	if (!rc)
		rc = sim_store_rdv_create(sim_db(r), v, clock_now_ms());
	if (!rc)
		resp_json(r, 201, sim_rdv_json(v));
	return rc;
}

static int
desk_rdv_create(struct req *r)
{
	struct sim_rdv v = {.statut = "Planifié"};
	json_t *root = body_object(r);
	const char *refusal;
	int rc = 0;

	if (!root || !path_id(r, &v.dossier_id))
		goto out;
	refusal = rdv_fields(r, root, &v);
	if (refusal)
		sim_error(r, 400, "VALIDATION", refusal);
	else
		rc = sim_in_tx(r, rdv_create_step, &v);
out:
	json_decref(root);
	return rc;
}

static int
rdv_patch_step(struct req *r, void *arg)
{
	json_t *root = arg;
	struct sim_rdv v;
	const char *refusal;
	int64_t id;
	int rc;

	if (!path_id(r, &id))
		return 0;
	rc = sim_store_rdv_get(sim_db(r), r->a, id, &v);
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "RDV_INCONNU", "Rendez-vous introuvable");
		return 0;
	}
	refusal = rc ? NULL : rdv_fields(r, root, &v);
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		return 0;
	}
	if (!rc)
		rc = sim_store_rdv_update(sim_db(r), &v, clock_now_ms());
	if (!rc)
		resp_json(r, 200, sim_rdv_json(&v));
	return rc;
}

static int
desk_rdv_patch(struct req *r)
{
	json_t *root = body_object(r);
	int rc = root ? sim_in_tx(r, rdv_patch_step, root) : 0;

	json_decref(root);
	return rc;
}

static int
rdv_delete_step(struct req *r, void *arg)
{
	int64_t id;
	int rc;

	(void)arg;
	if (!path_id(r, &id))
		return 0;
	rc = sim_store_rdv_delete(sim_db(r), id, clock_now_ms());
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, "RDV_INCONNU", "Rendez-vous introuvable");
		return 0;
	}
	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return rc;
}

static int
desk_rdv_delete(struct req *r)
{
	return sim_in_tx(r, rdv_delete_step, NULL);
}

/* ---- the feed, as a whole ---- */

/* GET /_admin/events: every event, acknowledged or not, oldest first, with "acquitte". */
static int
desk_events(struct req *r)
{
	struct sim_event *items;
	int n, rc = sim_store_event_list(sim_db(r), r->a, false, EVENTS_MAX, &items, &n);
	json_t *list;

	if (rc)
		return rc;
	list = json_array();
	for (int k = 0; k < n; k++) {
		json_t *e = sim_event_json(r->a, &items[k]);
		json_object_set_new(e, "acquitte", json_boolean(items[k].acked_at > 0));
		json_array_append_new(list, e);
	}
	resp_json(r, 200, list);
	return 0;
}

#define DESK(method, pattern, handler) \
	{method, pattern, handler, ROUTE_WORKER, SIM_ACCESS_ADMIN}

const struct route sim_desk_routes[] = {
	DESK("POST", "/_admin/sessions", desk_session_create),
	DESK("GET", "/_admin/sessions/{id}", desk_session_get),
	DESK("PATCH", "/_admin/sessions/{id}", desk_session_patch),
	DESK("DELETE", "/_admin/sessions/{id}", desk_session_delete),
	DESK("POST", "/_admin/sessions/{id}/instances", desk_instance_create),
	DESK("PATCH", "/_admin/instances/{id}", desk_instance_patch),
	DESK("DELETE", "/_admin/instances/{id}", desk_instance_delete),
	DESK("GET", "/_admin/dossiers/{id}/rdv", desk_rdv_list),
	DESK("POST", "/_admin/dossiers/{id}/rdv", desk_rdv_create),
	DESK("PATCH", "/_admin/rdv/{id}", desk_rdv_patch),
	DESK("DELETE", "/_admin/rdv/{id}", desk_rdv_delete),
	DESK("GET", "/_admin/events", desk_events),
};
const size_t sim_desk_routes_count = G_N_ELEMENTS(sim_desk_routes);
