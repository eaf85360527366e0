/* beneficiaries_feature.c — the beneficiaries feature declared to the server: adding an
 * account from i-milo, resend, delete, archive, refresh; nightly jobs. */
#include "core/feature.h"

#include "auth/authz.h"
#include "beneficiaries/beneficiaries_jobs.h"
#include "beneficiaries/beneficiaries_web.h"
#include "beneficiaries/lifecycle_web.h"
#include "http/http.h"

#define R ROUTE_REMOTE  /* waits on i-milo: the remote pool, never in the way of logins */
static const struct route routes[] = {
	{"GET", "/portefeuille/ajouter", beneficiaries_add_page, 0, ACCESS_COUNSELOR},
	{"POST", "/portefeuille/ajouter", beneficiaries_add_lookup, R, ACCESS_COUNSELOR},
	{"POST", "/portefeuille/ajouter/creer", beneficiaries_add_create, R, ACCESS_COUNSELOR},
	{"POST", "/beneficiaires/{id}/renvoyer-activation", lifecycle_resend, 0, ACCESS_COUNSELOR},
	{"GET", "/beneficiaires/{id}/supprimer", lifecycle_delete_page, 0, ACCESS_COUNSELOR},
	{"POST", "/beneficiaires/{id}/supprimer", lifecycle_delete, 0, ACCESS_COUNSELOR},
	{"POST", "/beneficiaires/{id}/archiver", lifecycle_archive, 0, ACCESS_COUNSELOR},
	{"POST", "/beneficiaires/{id}/actualiser", lifecycle_refresh, R, ACCESS_COUNSELOR},
};
#undef R

static const struct flash_link fiche_link = {"/beneficiaires/", "Voir le détail du bénéficiaire"};

static const struct flash_def flashes[] = {
	{"beneficiaire-ajoute", "success", "Le bénéficiaire a été ajouté à votre portefeuille", &fiche_link, NULL},
	{"compte-supprime", "success", "Le compte bénéficiaire %s a bien été supprimé.", NULL, NULL},
	{"activation-renvoyee", "success", "L’e-mail d’activation a été envoyé à l’adresse du bénéficiaire.", NULL, NULL},
	{"imilo-actualise", "success", "Les informations du dossier i-milo ont été mises à jour.", NULL, NULL},
	{"imilo-injoignable", "error",
	 "i-milo ne répond pas pour le moment. Les dernières informations connues sont affichées.", NULL, NULL},
};

const struct feature beneficiaries_feature = {
	.name = "beneficiaries",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.job_kinds = beneficiaries_job_kinds,
	.n_job_kinds = BENEFICIARIES_JOB_KINDS,
	.plan_jobs = beneficiaries_jobs_plan,
};
