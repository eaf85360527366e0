/* sim_admin.c — the simulator's admin API (spec/imilo.md §6), behind X-Admin-Token:
 * state and reset, fault rules (and picking the one that applies to an API call), the
 * request journal, desk-side changes to a dossier, and the SNP situations it received.
 *
 * Bodies are read with strict json_unpack formats: an unknown member is a 400, so a typo
 * in a test never silently configures nothing. */
#include "sim/sim_internal.h"
#include "sim/sim_store.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PPM 1000000

static char *
iso_instant(struct arena *a, int64_t ms)
{
	GDateTime *d = g_date_time_new_from_unix_utc(ms / 1000);
	gchar *s = g_date_time_format(d, "%Y-%m-%dT%H:%M:%S");
	char *out = arena_printf(a, "%s.%03dZ", s, (int)(ms % 1000));

	g_free(s);
	g_date_time_unref(d);
	return out;
}

/* Parses the request body as JSON; on failure sets a 400 and returns NULL. */
static json_t *
body_json(struct req *r)
{
	json_error_t e;
	json_t *root = r->body ? json_loadb(r->body, r->body_len, 0, &e) : NULL;

	if (!root)
		sim_error(r, 400, "VALIDATION", "Corps JSON attendu");
	return root;
}

/* ---- state and reset ---- */

static int
state_json(struct req *r, json_t **out)
{
	struct db *db = sim_db(r);
	struct sim_counts c;
	const char *seeded = NULL, *seed = NULL;
	int rc = sim_store_counts(db, &c);

	if (!rc)
		rc = sim_store_get_meta(db, r->a, "seeded_on", &seeded);
	if (!rc)
		rc = sim_store_get_meta(db, r->a, "seed", &seed);
	if (rc)
		return rc;
	*out = json_pack("{s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "seededOn", seeded,
			 "seed", (json_int_t)(seed ? atoi(seed) : 0), "structures",
			 (json_int_t)c.structures, "counselors", (json_int_t)c.counselors,
			 "dossiers", (json_int_t)c.dossiers, "attachedAccounts",
			 (json_int_t)c.attached, "faults", (json_int_t)c.faults, "requests",
			 (json_int_t)c.requests, "lastRequestSeq", (json_int_t)c.last_seq);
	json_object_update_new(*out, json_pack("{s:I, s:I, s:I, s:I, s:I}", "sessions",
					       (json_int_t)c.sessions, "instances",
					       (json_int_t)c.instances, "rendezVous", (json_int_t)c.rdv,
					       "events", (json_int_t)c.events, "eventsUnacked",
					       (json_int_t)c.events_unacked));
	return 0;
}

static int
admin_state(struct req *r)
{
	json_t *state = NULL;
	int rc = state_json(r, &state);

	if (!rc)
		resp_json(r, 200, state);
	return rc;
}

static int
admin_reset(struct req *r)
{
	int rc = sim_reset(r->app, sim_db(r));

	if (!rc)
		rc = admin_state(r);
	return rc;
}

/* ---- faults ---- */

static json_t *
fault_json(const struct sim_fault *f)
{
	json_t *body = json_null();

	if (f->body && f->body_is_json)
		body = json_loads(f->body, JSON_DECODE_ANY, NULL);
	else if (f->body)
		body = json_string(f->body);
	return json_pack("{s:s, s:{s:s?, s:s}, s:i, s:o, s:o, s:b, s:f, s:o, s:I}", "id", f->id,
			 "match", "method", f->method, "path", f->path_glob, "latencyMs",
			 f->latency_ms, "status", f->status ? json_integer(f->status) : json_null(),
			 "body", body ? body : json_null(), "timeout", f->timeout, "probability",
			 (double)f->probability_ppm / PPM, "remaining",
			 f->remaining >= 0 ? json_integer(f->remaining) : json_null(), "hits",
			 (json_int_t)f->hits);
}

/* Checks the numbers of a fault rule; the French reason of a refusal, or NULL. */
static const char *
fault_refusal(const struct sim_fault *f, double probability, json_int_t count)
{
	if (f->path_glob[0] != '/')
		return "match.path doit commencer par /";
	if (f->latency_ms < 0 || f->latency_ms > SIM_TIMEOUT_CAP_MS_MAX)
		return "latencyMs doit être compris entre 0 et 300000";
	if (f->status && (f->status < 100 || f->status > 599))
		return "status doit être un code HTTP (100 à 599)";
	if (probability < 0 || probability > 1)
		return "probability doit être comprise entre 0 et 1";
	if (count != -1 && count < 1)
		return "count doit être au moins 1";
	if (!f->status && !f->timeout && !f->latency_ms)
		return "La règle doit indiquer status, latencyMs ou timeout";
	if (f->body && !f->status)
		return "body demande status";
	return NULL;
}

/* Fills @f from a POST /_admin/faults body. NULL, or the French reason of a refusal. */
static const char *
fault_from_json(struct req *r, json_t *root, struct sim_fault *f)
{
	const char *method = NULL, *path = NULL;
	json_t *body = NULL;
	int timeout = 0, reset = 0;
	double probability = 1;
	json_int_t count = -1;
	json_error_t e;

	if (json_unpack_ex(root, &e, 0, "{s:{s?s, s:s !}, s?i, s?i, s?o, s?b, s?b, s?F, s?I !}",
			   "match", "method", &method, "path", &path, "latencyMs", &f->latency_ms,
			   "status", &f->status, "body", &body, "timeout", &timeout, "reset",
			   &reset, "probability", &probability, "count", &count))
		return arena_printf(r->a, "Règle invalide : %s", e.text);
	if (reset)
		return "reset (fermeture TCP) n'est pas pris en charge par ce simulateur";
	if (method) {
		char *m = arena_strdup(r->a, method);
		for (char *c = m; *c; c++)
			*c = g_ascii_toupper(*c);
		f->method = m;
	}
	f->path_glob = arena_strdup(r->a, path);
	f->timeout = timeout;
	f->probability_ppm = (int)(probability * PPM + 0.5);
	f->remaining = count;
	if (body && !json_is_null(body)) {
		char *text = json_is_string(body) ? NULL : json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
		f->body_is_json = text != NULL;
		f->body = arena_strdup(r->a, text ? text : json_string_value(body));
		free(text);
	}
	return fault_refusal(f, probability, count);
}

static int
admin_fault_add(struct req *r)
{
	char id[UUID_STRLEN + 1];
	struct sim_fault f = {0};
	json_t *root = body_json(r);
	const char *refusal;
	int rc = 0;

	if (!root)
		goto out;
	refusal = fault_from_json(r, root, &f);
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		goto out;
	}
	f.created_at = clock_now_ms();
	id_uuid7(f.created_at, id);
	f.id = id;
	rc = sim_store_fault_add(sim_db(r), &f);
	if (!rc)
		resp_json(r, 201, fault_json(&f));
out:
	json_decref(root);
	return rc;
}

static int
admin_fault_list(struct req *r)
{
	struct sim_fault *faults;
	json_t *arr;
	int n, rc = sim_store_fault_list(sim_db(r), r->a, &faults, &n);

	if (rc)
		return rc;
	arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, fault_json(&faults[i]));
	resp_json(r, 200, arr);
	return 0;
}

static int
admin_fault_delete_all(struct req *r)
{
	int rc = sim_store_fault_delete_all(sim_db(r));

	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return rc;
}

static int
admin_fault_delete(struct req *r)
{
	int rc = sim_store_fault_delete(sim_db(r), req_param(r, "id"));

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, NULL, "Règle de panne inconnue");
		return 0;
	}
	if (!rc)
		resp_bytes(r, 204, NULL, "", 0);
	return rc;
}

static bool
fault_matches(const struct sim_fault *f, struct req *r)
{
	if (f->remaining == 0)
		return false;
	if (f->method && g_ascii_strcasecmp(f->method, r->method) != 0)
		return false;
	if (!g_pattern_match_simple(f->path_glob, r->path))
		return false;
	return f->probability_ppm >= PPM || g_random_int_range(0, PPM) < f->probability_ppm;
}

int
sim_fault_pick(struct req *r, struct sim_fault *out, bool *found)
{
	struct db *db = sim_db(r);
	struct sim_fault *faults;
	int n, rc = sim_store_fault_list(db, r->a, &faults, &n);

	*found = false;
	for (int i = 0; !rc && !*found && i < n; i++) {
		if (!fault_matches(&faults[i], r))
			continue;
		rc = sim_store_fault_take(db, faults[i].id, found);
		if (*found)
			*out = faults[i];
	}
	return rc;
}

/* ---- journal ---- */

static json_t *
journal_entry_json(struct req *r, const struct sim_journal_entry *e)
{
	json_t *headers = json_loads(e->headers_json, 0, NULL);

	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:o, s:s?, s:i, s:s?}", "seq",
			 (json_int_t)e->seq, "at", iso_instant(r->a, e->at), "method", e->method,
			 "path", e->path, "query", e->query, "headers",
			 headers ? headers : json_object(), "body", e->body, "status", e->status,
			 "faultId", e->fault_id);
}

/* since= a sequence number (entries after it) or an ISO 8601 instant (entries at or
 * after it). False when malformed. */
static bool
parse_since(const char *since, int64_t *after_seq, int64_t *since_ms)
{
	GDateTime *d;

	*after_seq = 0;
	*since_ms = 0;
	if (!since || !*since)
		return true;
	if (text_is_digits(since, 18)) {
		*after_seq = g_ascii_strtoll(since, NULL, 10);
		return true;
	}
	d = g_date_time_new_from_iso8601(since, NULL);
	if (!d)
		return false;
	*since_ms = g_date_time_to_unix(d) * 1000 + g_date_time_get_microsecond(d) / 1000;
	g_date_time_unref(d);
	return true;
}

static int
admin_requests(struct req *r)
{
	struct sim_journal_entry *entries;
	int64_t after_seq, since_ms;
	json_t *arr;
	int n, rc;

	if (!parse_since(req_query(r, "since"), &after_seq, &since_ms)) {
		sim_error(r, 400, "VALIDATION",
			  "since : numéro de séquence ou instant ISO 8601 attendu");
		return 0;
	}
	rc = sim_store_journal_list(sim_db(r), r->a, after_seq, since_ms, &entries, &n);
	if (rc)
		return rc;
	arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, journal_entry_json(r, &entries[i]));
	resp_json(r, 200, arr);
	return 0;
}

/* ---- dossiers (desk side) ---- */

/* The SNP situations D5 stored for dossier @id, newest last, in *out (a new reference):
 * [{id, dateDebut, dateFinReelle, commentaire, mesure, loginConseiller, receivedAt}]. */
static int
snp_situations_json(struct req *r, int64_t id, json_t **out)
{
	struct sim_snp *s;
	int n, rc = sim_store_snp_list(sim_db(r), r->a, id, &s, &n);

	*out = NULL;
	if (rc)
		return rc;
	*out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			*out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", s[i].id,
					"dateDebut", s[i].date_debut, "dateFinReelle",
					s[i].date_fin_reelle, "commentaire", s[i].commentaire,
					"mesure", s[i].mesure, "loginConseiller",
					s[i].login_conseiller, "receivedAt",
					iso_instant(r->a, s[i].received_at)));
	return 0;
}

/* The D1 representation plus what only the desk knows: "_sim", and the SNP situations
 * received (situationsSnp). */
static int
admin_dossier_answer(struct req *r, int64_t id)
{
	struct sim_dossier d;
	json_t *o, *snp;
	int rc = sim_store_get_dossier(sim_db(r), r->a, id, &d);

	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, NULL, "Dossier introuvable");
		return 0;
	}
	if (!rc)
		rc = snp_situations_json(r, id, &snp);
	if (rc)
		return rc;
	o = sim_dossier_json(&d);
	json_object_set_new(o, "_sim", json_pack("{s:b, s:b, s:s?}", "justified", d.justified,
						 "otherMl", d.other_ml, "accountId", d.account_id));
	json_object_set_new(o, "situationsSnp", snp);
	resp_json(r, 200, o);
	return 0;
}

static bool
dossier_id(struct req *r, int64_t *id)
{
	const char *s = req_param(r, "id");

	if (!text_is_digits(s, 11)) {
		sim_error(r, 400, NULL, "Le numéro de dossier doit comporter de 1 à 11 chiffres.");
		return false;
	}
	*id = g_ascii_strtoll(s, NULL, 10);
	return true;
}

static int
admin_dossier_get(struct req *r)
{
	int64_t id;

	return dossier_id(r, &id) ? admin_dossier_answer(r, id) : 0;
}

/* GET /_admin/dossiers/{id}/situations: the SNP situations received, newest last. */
static int
admin_dossier_situations(struct req *r)
{
	struct sim_dossier d;
	json_t *snp;
	int64_t id;
	int rc;

	if (!dossier_id(r, &id))
		return 0;
	rc = sim_store_get_dossier(sim_db(r), r->a, id, &d);
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, NULL, "Dossier introuvable");
		return 0;
	}
	if (!rc)
		rc = snp_situations_json(r, id, &snp);
	if (!rc)
		resp_json(r, 200, snp);
	return rc;
}

/* A member that may be absent, null or a string: false for any other type. */
static bool
opt_string(struct arena *a, json_t *v, bool *set, const char **out)
{
	*set = v != NULL;
	*out = v && json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
	return !v || json_is_null(v) || json_is_string(v);
}

static bool
known_etat(const char *etat)
{
	return !strcmp(etat, "EN_COURS") || !strcmp(etat, "PREVU") || !strcmp(etat, "TERMINE");
}

static const char *
situation_from_json(struct arena *a, json_t *v, struct sim_situation *s)
{
	const char *etat = NULL, *cat = NULL;
	json_t *fin = NULL, *prep = NULL, *prem = NULL, *exer = NULL;
	json_error_t e;
	bool set;

	if (json_unpack_ex(v, &e, 0, "{s:s, s:s, s?o, s?o, s?o, s?o !}", "etat", &etat,
			   "categorieSituation", &cat, "dateFin", &fin, "codeRomeMetierPrepare",
			   &prep, "codeRomePremierMetier", &prem, "codeRomeMetierExerce", &exer))
		return arena_printf(a, "Situation invalide : %s", e.text);
	if (!known_etat(etat))
		return "etat doit valoir EN_COURS, PREVU ou TERMINE";
	s->etat = arena_strdup(a, etat);
	s->categorie = arena_strdup(a, cat);
	if (!opt_string(a, fin, &set, &s->date_fin) || (s->date_fin && !sim_valid_date(s->date_fin)))
		return "dateFin doit être une date AAAA-MM-JJ ou null";
	if (!opt_string(a, prep, &set, &s->rome_prepare) ||
	    !opt_string(a, prem, &set, &s->rome_premier) ||
	    !opt_string(a, exer, &set, &s->rome_exerce))
		return "Les codes ROME doivent être des chaînes ou null";
	return NULL;
}

static const char *
situations_from_json(struct arena *a, json_t *v, struct sim_dossier_patch *p)
{
	struct sim_situation *s;
	size_t i;
	json_t *item;

	p->set_situations = v != NULL;
	if (!v)
		return NULL;
	if (!json_is_array(v))
		return "situations doit être une liste";
	s = arena_alloc(a, sizeof(*s) * (json_array_size(v) + 1));
	json_array_foreach(v, i, item) {
		const char *refusal = situation_from_json(a, item, &s[i]);
		if (refusal)
			return refusal;
	}
	p->situations = s;
	p->n_situations = (int)json_array_size(v);
	return NULL;
}

/* Fills @p from a PATCH body. NULL, or the French reason of a refusal. */
static const char *
patch_from_json(struct req *r, json_t *root, struct sim_dossier_patch *p)
{
	json_t *mail = NULL, *nom = NULL, *account = NULL, *fin = NULL, *sits = NULL;
	const char *structure = NULL;
	int justified = -1, other_ml = -1;
	json_error_t e;

	if (json_unpack_ex(root, &e, 0, "{s?o, s?o, s?b, s?b, s?o, s?s, s?o, s?o !}", "mail", &mail,
			   "nomUsage", &nom, "justified", &justified, "otherMl", &other_ml,
			   "accountId", &account, "structureCode", &structure, "dateFinPrevue", &fin,
			   "situations", &sits))
		return arena_printf(r->a, "Modification invalide : %s", e.text);
	if (!opt_string(r->a, mail, &p->set_mail, &p->mail) ||
	    !opt_string(r->a, nom, &p->set_nom_usage, &p->nom_usage) ||
	    !opt_string(r->a, account, &p->set_account_id, &p->account_id))
		return "mail, nomUsage et accountId doivent être des chaînes ou null";
	if (!opt_string(r->a, fin, &p->set_date_fin_prevue, &p->date_fin_prevue) ||
	    (p->date_fin_prevue && !sim_valid_date(p->date_fin_prevue)))
		return "dateFinPrevue doit être une date AAAA-MM-JJ ou null";
	p->set_justified = justified != -1;
	p->justified = justified == 1;
	p->set_other_ml = other_ml != -1;
	p->other_ml = other_ml == 1;
	p->set_structure = structure != NULL;
	p->structure_code = arena_strdup(r->a, structure);
	return situations_from_json(r->a, sits, p);
}

static int
admin_dossier_patch(struct req *r)
{
	struct sim_dossier_patch p = {0};
	json_t *root = NULL;
	const char *refusal;
	int64_t id;
	int rc = 0;

	if (!dossier_id(r, &id) || !(root = body_json(r)))
		goto out;
	refusal = patch_from_json(r, root, &p);
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		goto out;
	}
	rc = sim_store_patch_dossier(sim_db(r), id, &p, clock_now_ms());
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, NULL, "Dossier introuvable");
		rc = 0;
	} else if (rc == -ERR_INVAL) {
		sim_error(r, 400, "VALIDATION", "Structure inconnue");
		rc = 0;
	} else if (!rc) {
		rc = admin_dossier_answer(r, id);
	}
out:
	json_decref(root);
	return rc;
}

#define ADMIN(method, pattern, handler) \
	{method, pattern, handler, ROUTE_WORKER, SIM_ACCESS_ADMIN}

const struct route sim_admin_routes[] = {
	ADMIN("GET", "/_admin/state", admin_state),
	ADMIN("POST", "/_admin/reset", admin_reset),
	ADMIN("POST", "/_admin/faults", admin_fault_add),
	ADMIN("GET", "/_admin/faults", admin_fault_list),
	ADMIN("DELETE", "/_admin/faults", admin_fault_delete_all),
	ADMIN("DELETE", "/_admin/faults/{id}", admin_fault_delete),
	ADMIN("GET", "/_admin/requests", admin_requests),
	ADMIN("GET", "/_admin/dossiers/{id}", admin_dossier_get),
	ADMIN("PATCH", "/_admin/dossiers/{id}", admin_dossier_patch),
	ADMIN("GET", "/_admin/dossiers/{id}/situations", admin_dossier_situations),
};
const size_t sim_admin_routes_count = G_N_ELEMENTS(sim_admin_routes);
