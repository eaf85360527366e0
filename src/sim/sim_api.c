/* sim_api.c — the dossiers family of the i-milo API (spec/imilo.md §3.1): D1 dossier
 * lookup, D2 account declaration, D3 forced re-declaration, D5 SNP situation.
 *
 * Every handler ends with sim_api_done(), which journals the call. The API key and the
 * faults were handled by the prepare hook (sim.c) before we get here. */
#include "sim/sim_internal.h"
#include "sim/sim_store.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "http/http.h"

#include <string.h>

#define MSG_BAD_ID "Le numéro de dossier doit comporter de 1 à 11 chiffres."
#define MSG_UNKNOWN "Dossier introuvable"
#define MSG_NOT_JUSTIFIED \
	"Le dossier n'est pas justifié : le jeune n'a pas d'accompagnement justifié en cours."
#define SNP_COMMENT_MAX 255     /* characters, not bytes */

/* The SNP measures i-milo knows (D5 `mesure`). */
static const char *const snp_mesures[] = {
	"EMPLOI", "FORMATION", "PROJET_PROFESSIONNEL", "CULTURE_SPORT_LOISIRS", "CITOYENNETE",
	"LOGEMENT", "SANTE",
};

static json_t *
address_json(const struct sim_dossier *d)
{
	return json_pack("{s:s?, s:s?, s:s?, s:s, s:s}", "numero", d->adresse_numero,
			 "libelleVoie", d->adresse_voie, "complement", d->adresse_complement,
			 "codePostal", d->code_postal, "commune", d->commune);
}

static json_t *
accompaniment_json(const struct sim_dossier *d)
{
	return json_pack("{s:b, s:s?, s:s?, s:s?, s:s?}", "accompagnementCEJ", d->cej,
			 "dateDebut", d->date_debut, "dateFinPrevue", d->date_fin_prevue,
			 "dateFinReelle", d->date_fin_reelle, "premierAccompagnement",
			 d->premier_accompagnement);
}

static json_t *
situations_json(const struct sim_dossier *d)
{
	json_t *arr = json_array();

	for (int i = 0; i < d->n_situations; i++) {
		const struct sim_situation *s = &d->situations[i];
		json_array_append_new(
			arr, json_pack("{s:s, s:s?, s:s, s:s?, s:s?, s:s?}", "etat", s->etat, "dateFin",
				       s->date_fin, "categorieSituation", s->categorie,
				       "codeRomeMetierPrepare", s->rome_prepare, "codeRomePremierMetier",
				       s->rome_premier, "codeRomeMetierExerce", s->rome_exerce));
	}
	return arr;
}

json_t *
sim_dossier_json(const struct sim_dossier *d)
{
	return json_pack("{s:I, s:s, s:s?, s:o, s:s, s:s?, s:s, s:s, s:s?, s:{s:s, s:s, s:s}, "
			 "s:o, s:o}",
			 "idDossier", (json_int_t)d->id, "idJeune", d->id_jeune, "numeroDE",
			 d->numero_de, "adresse", address_json(d), "nomNaissance", d->nom_naissance,
			 "nomUsage", d->nom_usage, "prenom", d->prenom, "dateNaissance",
			 d->date_naissance, "mail", d->mail, "structureRattachement", "nomUsuel",
			 d->structure_nom_usuel, "nomOfficiel", d->structure_nom_officiel,
			 "codeStructure", d->structure_code, "accompagnementCEJ",
			 accompaniment_json(d), "situations", situations_json(d));
}

/* Reads the dossier named by the path. Returns 0 with @d filled, 1 when the answer is
 * already set (400 malformed id, 404 unknown, 403 not justified), or a negative err. */
static int
load_dossier(struct req *r, struct sim_dossier *d)
{
	const char *id = req_param(r, "id");
	int rc;

	if (!text_is_digits(id, 11)) {
		sim_error(r, 400, NULL, MSG_BAD_ID);
		return 1;
	}
	rc = sim_store_get_dossier(sim_db(r), r->a, g_ascii_strtoll(id, NULL, 10), d);
	if (rc == -ERR_NOTFOUND) {
		sim_error(r, 404, NULL, MSG_UNKNOWN);
		return 1;
	}
	if (rc)
		return rc;
	if (!d->justified) {
		sim_error(r, 403, NULL, MSG_NOT_JUSTIFIED);
		return 1;
	}
	return 0;
}

static void
already_attached(struct req *r, const char *account_id)
{
	resp_json(r, 400, json_pack("{s:s, s:s}", "code", "SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT",
				    "id-keycloak", account_id));
}

/* D1: GET /sue/dossiers/{id}. */
static int
api_get_dossier(struct req *r)
{
	struct sim_dossier d;
	int rc = load_dossier(r, &d);

	if (!rc)
		resp_json(r, 200, sim_dossier_json(&d));
	return sim_api_done(r, rc);
}

/* Attaches a new account to @d, or reports the one a concurrent call attached first. */
static int
attach_new_account(struct req *r, struct sim_dossier *d)
{
	char account[UUID_STRLEN + 1];
	struct db *db = sim_db(r);
	int rc;

	id_uuid7(clock_now_ms(), account);
	rc = sim_store_attach_account(db, d->id, account, clock_now_ms());
	if (rc == -ERR_CONFLICT) {
		rc = sim_store_get_dossier(db, r->a, d->id, d);
		if (!rc)
			already_attached(r, d->account_id ? d->account_id : "");
		return rc;
	}
	if (!rc)
		resp_text(r, 201, account);
	return rc;
}

/* D2: POST /sue/compte-jeune/{id} (empty body) -> 201 text/plain id-keycloak. */
static int
api_declare_account(struct req *r)
{
	struct sim_dossier d;
	int rc = load_dossier(r, &d);

	if (rc)
		goto out;
	if (d.other_ml)
		sim_error(r, 400, "SUE_ACCOUNT_EXISTING_OTHER_ML", NULL);
	else if (d.account_id)
		already_attached(r, d.account_id);
	else
		rc = attach_new_account(r, &d);
out:
	return sim_api_done(r, rc);
}

/* D3: PUT /sue/compte-jeune/surcharge/{id}: re-declares the attached account (201 with
 * its id); an empty 204 when none is attached, on which the client falls back to D2. */
static int
api_redeclare_account(struct req *r)
{
	struct sim_dossier d;
	int rc = load_dossier(r, &d);

	if (rc)
		goto out;
	if (d.other_ml)
		sim_error(r, 400, "SUE_ACCOUNT_EXISTING_OTHER_ML", NULL);
	else if (d.account_id)
		resp_text(r, 201, d.account_id);
	else
		resp_bytes(r, 204, NULL, "", 0);
out:
	return sim_api_done(r, rc);
}

/* The string member @key of @o (borrowed), or NULL when absent or not a string. */
static const char *
str_member(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool
known_mesure(const char *mesure)
{
	for (size_t i = 0; mesure && i < G_N_ELEMENTS(snp_mesures); i++)
		if (!strcmp(mesure, snp_mesures[i]))
			return true;
	return false;
}

static bool
blank(const char *s)
{
	while (s && g_ascii_isspace(*s))
		s++;
	return !s || !*s;
}

/* Reads a D5 body into @s (strings borrowed from @root) and checks what needs no
 * database. NULL, or i-milo's French message for the 400 (shown to counselors as is). */
static const char *
snp_refusal(json_t *root, struct sim_snp *s)
{
	if (!json_is_object(root))
		return "Le corps de la requête doit être un objet JSON.";
	s->date_debut = str_member(root, "dateDebut");
	s->date_fin_reelle = str_member(root, "dateFinReelle");
	s->commentaire = str_member(root, "commentaire");
	s->mesure = str_member(root, "mesure");
	s->login_conseiller = str_member(root, "loginConseiller");
	if (!sim_valid_date(s->date_debut))
		return "La date de début est absente ou invalide (format AAAA-MM-JJ attendu).";
	if (!sim_valid_date(s->date_fin_reelle))
		return "La date de fin réelle est absente ou invalide (format AAAA-MM-JJ attendu).";
	if (strcmp(s->date_debut, s->date_fin_reelle) > 0)
		return "La date de début doit être antérieure ou égale à la date de fin réelle.";
	if (blank(s->commentaire))
		return "Le commentaire est obligatoire.";
	/* jansson only hands out valid UTF-8: counting characters is safe. */
	if (g_utf8_strlen(s->commentaire, -1) > SNP_COMMENT_MAX)
		return "Le commentaire ne doit pas dépasser 255 caractères.";
	if (!known_mesure(s->mesure))
		return "La mesure est absente ou inconnue.";
	if (blank(s->login_conseiller))
		return "L'identifiant du conseiller est obligatoire.";
	return NULL;
}

/* Checks @s and stores it: 0 with the answer set (201 or 400), or a negative err. */
static int
create_snp(struct req *r, json_t *root, struct sim_snp *s)
{
	char id[UUID_STRLEN + 1];
	const char *refusal = snp_refusal(root, s);
	bool known = false;
	int rc = 0;

	if (!refusal) {
		rc = sim_store_counselor_exists(sim_db(r), s->login_conseiller, &known);
		if (!rc && !known)
			refusal = arena_printf(r->a, "Le conseiller « %s » est inconnu d'i-milo.",
					       s->login_conseiller);
	}
	if (rc)
		return rc;
	if (refusal) {
		sim_error(r, 400, "VALIDATION", refusal);
		return 0;
	}
	s->received_at = clock_now_ms();
	id_uuid7(s->received_at, id);
	s->id = id;
	rc = sim_store_snp_add(sim_db(r), s);
	if (!rc)
		resp_json(r, 201, json_pack("{s:s}", "id", id));
	return rc;
}

/* D5: POST /sue/dossiers/{id}/situation {dateDebut, dateFinReelle, commentaire, mesure,
 * loginConseiller} -> 201 {"id"}; 400 VALIDATION with the reason. */
static int
api_create_situation(struct req *r)
{
	struct sim_dossier d;
	struct sim_snp s = {0};
	json_t *root = NULL;
	int rc = load_dossier(r, &d);

	if (rc)
		goto out;
	root = r->body ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;
	s.dossier_id = d.id;
	rc = create_snp(r, root, &s);
out:
	json_decref(root);
	return sim_api_done(r, rc);
}

const struct route sim_api_routes[] = {
	{"GET", "/sue/dossiers/{id}", api_get_dossier, ROUTE_WORKER, SIM_ACCESS_API},
	{"POST", "/sue/compte-jeune/{id}", api_declare_account, ROUTE_WORKER, SIM_ACCESS_API},
	{"PUT", "/sue/compte-jeune/surcharge/{id}", api_redeclare_account, ROUTE_WORKER,
	 SIM_ACCESS_API},
	{"POST", "/sue/dossiers/{id}/situation", api_create_situation, ROUTE_WORKER,
	 SIM_ACCESS_API},
};
const size_t sim_api_routes_count = G_N_ELEMENTS(sim_api_routes);
