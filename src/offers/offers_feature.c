/* offers_feature.c — the offers feature declared to the server (offers.md). The catalogue
 * is fed by `cej offers import`; each block below belongs to one part of issue 15, so that
 * the parts merge side by side. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "offers/offers_app.h"

static const struct route routes[] = {
	/* The young person's "Offres" tab (offers_app.c, youth-app.md §8). */
	{"GET", "/app/offres", offers_app_home, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/offres/recherche", offers_app_search, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/offres/suivi", offers_app_followed, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/offres/suivi/{id}/supprimer", offers_app_followed_remove_post, 0,
	 ACCESS_BENEFICIARY},
	{"GET", "/app/offres/{slug}/{id}", offers_app_detail, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/offres/{slug}/{id}/enregistrer", offers_app_save_post, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/offres/{slug}/{id}/postule", offers_app_applied_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/offres/{slug}/{id}/partager", offers_app_share_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/offres/{slug}/{id}/partager", offers_app_share_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/offres/{slug}/{id}/contact", offers_app_contact_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/offres/{slug}/{id}/contact", offers_app_contact_post, 0, ACCESS_BENEFICIARY},
	/* The favourites in the JSON API (offers_favorites_api.c): the beneficiary himself, or
	 * a counselor who may read his fiche; the handler answers 401 to nobody. */
	{"POST", "/api/v1/favoris", offers_api_favorite_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/api/v1/beneficiaires/{id}/favoris", offers_api_favorites_get, 0, ACCESS_PUBLIC},
};

static const struct flash_def flashes[] = {
	/* The young person's "Offres" tab. */
	{"offre-enregistree", "success", "Retrouve cette offre dans ton suivi des offres.", NULL,
	 "Offre enregistrée"},
	{"offre-postulee", "success", "Retrouve cette offre dans ton suivi des offres. 👏 Bravo pour "
	 "ton engagement !", NULL, "Offre postulée"},
	{"offre-retiree", "info", "L’offre a été retirée de ton suivi des offres.", NULL, NULL},
	{"offre-supprimee", "success", "L’offre a été supprimée de tes offres suivies.", NULL, NULL},
	{"immersion-contact", "success", "Ta demande a bien été envoyée à l’entreprise.", NULL, NULL},
	{"offre-partagee", "success", "L’offre a été partagée à ton conseiller sur la messagerie de "
	 "l’application", NULL, NULL},
};

static const struct menu_entry menu[] = {
	/* The app's bottom bar: between Messages (30) and Événements (50). */
	{MENU_APP, 40, "offres", "Offres", "/app/offres", false, "fr-icon-briefcase-line", NULL, NULL},
};

static const struct record_tab record_tabs[] = {
	/* The fiche: "Favoris (N)" and the "Les offres" indicators (offers_favorites_tab.c). */
	{"favoris", offers_record_favorites},
	{"indicateurs-offres", offers_record_indicators},
};

const struct feature offers_feature = {
	.name = "offers",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
	.record_tabs = record_tabs,
	.n_record_tabs = sizeof(record_tabs) / sizeof(record_tabs[0]),
	.job_kinds = offers_app_job_kinds,
	.n_job_kinds = OFFERS_APP_JOB_KINDS,
	.plan_jobs = offers_app_plan_jobs,
	.purge = offers_app_purge,
	.archive = offers_app_archive,
};
