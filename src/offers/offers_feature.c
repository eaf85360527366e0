/* offers_feature.c — the offers feature declared to the server (offers.md). The catalogue
 * is fed by `cej offers import`; each block below is one part of issue 15, kept apart so
 * that the parts merge line by line. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "offers/offers_alerts.h"
#include "offers/offers_alerts_app.h"
#include "offers/offers_alerts_web.h"
#include "offers/offers_saved.h"

/* ---- Saved searches, suggestions, alerts (offers_alerts*.c, offers_saved*.c) ---------- */
static const struct route alerts_routes[] = {
	{"GET", "/app/offres/alertes", offers_alerts_page, 0, ACCESS_BENEFICIARY},
	/* "nouvelle" and "suggestions" before "{id}": the first match wins. */
	{"GET", "/app/offres/alertes/nouvelle", offers_alerts_new_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/offres/alertes/nouvelle", offers_alerts_new_post, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/offres/alertes/suggestions/{id}/accepter", offers_alerts_accept_post, 0,
	 ACCESS_BENEFICIARY},
	{"POST", "/app/offres/alertes/suggestions/{id}/refuser", offers_alerts_refuse_post, 0,
	 ACCESS_BENEFICIARY},
	{"GET", "/app/offres/alertes/{id}", offers_alerts_open, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/offres/alertes/{id}/supprimer", offers_alerts_delete_page, 0,
	 ACCESS_BENEFICIARY},
	{"POST", "/app/offres/alertes/{id}/supprimer", offers_alerts_delete_post, 0,
	 ACCESS_BENEFICIARY},
	{"GET", "/offres/criteres/partager", offers_share_criteria_page, 0, ACCESS_COUNSELOR},
	{"POST", "/offres/criteres/partager", offers_share_criteria_post, 0, ACCESS_COUNSELOR},
};

static const struct flash_def alerts_flashes[] = {
	{"alerte-creee", "success", "Ta recherche a bien été enregistrée. Retrouve-la dans la "
	 "section Mes alertes sur ta page d’accueil.", NULL, NULL},
	{"alerte-supprimee", "success", "Ton alerte a été supprimée avec succès.", NULL, NULL},
	{"suggestion-refusee", "info", "La suggestion de ton conseiller a été refusée.", NULL, NULL},
	{"criteres-partages", "success", "Les critères de recherche ont bien été partagés", NULL,
	 NULL},
};
/* ---- end of saved searches ---------------------------------------------------------- */

const struct feature offers_feature = {
	.name = "offers",
	.routes = alerts_routes,
	.n_routes = sizeof(alerts_routes) / sizeof(alerts_routes[0]),
	.flashes = alerts_flashes,
	.n_flashes = sizeof(alerts_flashes) / sizeof(alerts_flashes[0]),
	.job_kinds = offers_alerts_job_kinds,
	.n_job_kinds = OFFERS_ALERTS_JOB_KINDS,
	.plan_jobs = offers_alerts_plan_jobs,
	/* Saved searches are the only beneficiary rows of offers so far: when favourites come,
	 * one function of offers calls both parts. */
	.purge = offers_saved_purge_beneficiary,
	.archive = offers_saved_archive_beneficiary,
};
