/* offers_feature.c — the offers feature declared to the server (offers.md). The catalogue
 * is fed by `cej offers import` / `cej offers demo` and by the providers' sync. Each part
 * declares its routes, flashes and jobs in its own block of the tables below:
 *   - the counselor's pages (offers_web.c; docs/offers.md "Les pages du conseiller");
 *   - the young person's Offres tab, favourites, offer events, the fiche's parts
 *     (offers_app*.c, offers_favorites*.c, offers_events*.c);
 *   - the providers' sync and its support page (offers_sync*.c);
 *   - Événements › Externes (offers_events_app*.c);
 *   - saved searches, the counselor's suggestions and the alerts (offers_alerts*.c,
 *     offers_saved*.c). */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "offers/offers_alerts.h"
#include "offers/offers_alerts_app.h"
#include "offers/offers_alerts_web.h"
#include "offers/offers_app.h"
#include "offers/offers_app_contact.h"
#include "offers/offers_events.h"
#include "offers/offers_events_app.h"
#include "offers/offers_saved.h"
#include "offers/offers_sync_jobs.h"
#include "offers/offers_sync_web.h"
#include "offers/offers_web.h"

#define MINUTE_MS (60 * 1000LL)

static const struct route routes[] = {
	/* The counselor's pages. */
	{"GET", "/offres", offers_web_search, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/lieux", offers_web_places, 0, ACCESS_COUNSELOR},
	/* "Partager les critères" (offers_alerts_web.c), before "/offres/{slug}/{id}". */
	{"GET", "/offres/criteres/partager", offers_share_criteria_page, 0, ACCESS_COUNSELOR},
	{"POST", "/offres/criteres/partager", offers_share_criteria_post, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/{slug}/{id}", offers_web_detail, 0, ACCESS_COUNSELOR},
	{"GET", "/offres/{slug}/{id}/partager", offers_web_share_page, 0, ACCESS_COUNSELOR},
	{"POST", "/offres/{slug}/{id}/partager", offers_web_share_post, 0, ACCESS_COUNSELOR},
	/* The young person's "Offres" tab (youth-app.md §8). */
	{"GET", "/app/offres", offers_app_home, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/offres/recherche", offers_app_search, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/offres/suivi", offers_app_followed, 0, ACCESS_BENEFICIARY},
	/* The suggestions of "Lieu de travail" / "Localisation", as on the counselor's side. */
	{"GET", "/app/offres/lieux", offers_web_places, 0, ACCESS_BENEFICIARY},
	/* Saved searches and suggestions: "nouvelle" and "suggestions" before "{id}" (the
	 * first match wins), and all of them before "/app/offres/{slug}/{id}". */
	{"GET", "/app/offres/alertes", offers_alerts_page, 0, ACCESS_BENEFICIARY},
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
	/* The providers' sync: its support page. */
	{"GET", "/support/offres", offers_sync_support_page, 0, ACCESS_COUNSELOR},
	/* Événements › Externes. */
	{"GET", "/app/evenements/externes", offers_events_app_page, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/externes/{id}", offers_events_app_detail, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/evenements/externes/{id}/partager", offers_events_app_share, 0,
	 ACCESS_BENEFICIARY},
};

static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 17, "offres", "Offres", "/offres", false, NULL, NULL, NULL},
	/* The app's bottom bar: between Messages (30) and Événements (50). */
	{MENU_APP, 40, "offres", "Offres", "/app/offres", false, "fr-icon-briefcase-line", NULL, NULL},
};

static const struct flash_def flashes[] = {
	/* The counselor's pages. */
	{"offre-partagee", "success", "L'offre a bien été partagée", NULL, NULL},
	/* The young person's "Offres" tab. */
	{"offre-enregistree", "success", "Retrouve cette offre dans ton suivi des offres.", NULL,
	 "Offre enregistrée"},
	{"offre-postulee", "success", "Retrouve cette offre dans ton suivi des offres. 👏 Bravo pour "
	 "ton engagement !", NULL, "Offre postulée"},
	{"offre-retiree", "info", "L’offre a été retirée de ton suivi des offres.", NULL, NULL},
	{"offre-supprimee", "success", "L’offre a été supprimée de tes offres suivies.", NULL, NULL},
	{"immersion-contact", "success", "Ta demande a bien été envoyée à l’entreprise.", NULL, NULL},
	{"offre-partagee-conseiller", "success", "L’offre a été partagée à ton conseiller sur la "
	 "messagerie de l’application", NULL, NULL},
	/* Saved searches and suggestions. */
	{"alerte-creee", "success", "Ta recherche a bien été enregistrée. Retrouve-la dans la "
	 "section Mes alertes sur ta page d’accueil.", NULL, NULL},
	{"alerte-supprimee", "success", "Ton alerte a été supprimée avec succès.", NULL, NULL},
	{"suggestion-refusee", "info", "La suggestion de ton conseiller a été refusée.", NULL, NULL},
	{"criteres-partages", "success", "Les critères de recherche ont bien été partagés", NULL,
	 NULL},
	/* Événements › Externes. */
	{OFFERS_EVENTS_FLASH_SHARED, "success", OFFERS_EVENTS_SHARED, NULL, NULL},
};

static const struct record_tab record_tabs[] = {
	/* The fiche: "Favoris (N)" and the "Les offres" indicators (offers_favorites_tab.c). */
	{"favoris", offers_record_favorites},
	{"indicateurs-offres", offers_record_indicators},
};

static const struct home_part home_parts[] = {
	/* The app's Accueil: "Mes alertes" (offers_alerts_app.c). */
	{"alertes", offers_alerts_home},
	/* "Mon suivi des offres" (offers_favorites_home.c). */
	{"suivi", offers_favorites_home},
};

static const struct job_kind job_kinds[] = {
	/* The favourites' and offer events' purge. */
	{OFFERS_APP_PURGE_KIND, offers_app_job_purge, 3, 5 * MINUTE_MS, 10 * MINUTE_MS, NULL},
	/* An Immersion contact request to Immersion Facilitée: retried with backoff on a 5xx or
	 * no answer; a 4xx is recorded as refused and the job done (offers_app_contact.h). */
	{OFFERS_CONTACT_KIND, offers_contact_job_deliver, OFFERS_CONTACT_MAX_ATTEMPTS,
	 OFFERS_CONTACT_BACKOFF_MS, OFFERS_CONTACT_LEASE_MS, offers_contact_job_dead},
	/* The providers' sync: one run at a time, no retry (the next slot tries again). */
	{OFFERS_SYNC_KIND_FRANCE_TRAVAIL, offers_sync_job_france_travail, 1, 0, OFFERS_SYNC_LEASE_MS,
	 NULL},
	{OFFERS_SYNC_KIND_ENGAGEMENT, offers_sync_job_engagement, 1, 0, OFFERS_SYNC_LEASE_MS, NULL},
	{OFFERS_SYNC_KIND_IMMERSION, offers_sync_job_immersion, 1, 0, OFFERS_SYNC_LEASE_MS, NULL},
	{OFFERS_SYNC_KIND_MEE, offers_sync_job_mee, 1, 0, OFFERS_SYNC_LEASE_MS, NULL},
	{OFFERS_SYNC_PLAN_KIND, offers_sync_job_plan, 0, 0, 0, NULL},
	/* The alerts (09:00 and 11:00, Paris) and the 2-year purge of saved searches. */
	{OFFERS_ALERTS_KIND, offers_alerts_job_run, 5, 5 * MINUTE_MS, OFFERS_ALERTS_LEASE_MS, NULL},
	{OFFERS_SAVED_PURGE_KIND, offers_alerts_job_purge, 3, 5 * MINUTE_MS, 10 * MINUTE_MS, NULL},
	{OFFERS_PURGE_INACTIVE_KIND, offers_sync_job_purge, 0, 0, 0, NULL},
};

static int
plan_jobs(struct db *db, int64_t now)
{
	int rc = offers_app_plan_jobs(db, now);
	if (!rc)
		rc = offers_alerts_plan_jobs(db, now);
	return rc ? rc : offers_sync_plan_jobs(db, now);
}

/* A beneficiary's end: his favourites, offer events and Immersion contacts, and his saved
 * searches and suggestions (core/feature.h: inside the account's transaction). */
static int
purge(struct db *db, const char *beneficiary_id)
{
	int rc = offers_app_purge(db, beneficiary_id);
	return rc ? rc : offers_saved_purge_beneficiary(db, beneficiary_id);
}

static int
archive(struct db *db, struct arena *a, const char *beneficiary_id, json_t *out)
{
	int rc = offers_app_archive(db, a, beneficiary_id, out);
	return rc ? rc : offers_saved_archive_beneficiary(db, a, beneficiary_id, out);
}

const struct feature offers_feature = {
	.name = "offers",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.record_tabs = record_tabs,
	.n_record_tabs = sizeof(record_tabs) / sizeof(record_tabs[0]),
	.home_parts = home_parts,
	.n_home_parts = sizeof(home_parts) / sizeof(home_parts[0]),
	.job_kinds = job_kinds,
	.n_job_kinds = sizeof(job_kinds) / sizeof(job_kinds[0]),
	.plan_jobs = plan_jobs,
	/* The events of Mes Événements Emploi shared, in the fiche's "Les événements". */
	.week_events = offers_week_events,
	.purge = purge,
	.archive = archive,
};
