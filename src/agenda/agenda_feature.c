/* agenda_feature.c — the agenda feature declared to the server (agenda.md): rendez-vous and
 * animations collectives (forms, detail, edit, deletion, registration from the fiche,
 * closing, sign-in sheet), the /agenda page and its side-menu entry, the young person's
 * pages and the app's "Événements" entry, the jobs (history, J-7/J-1 reminders, nightly
 * closing), the fiche's tab and week lines, the app's events, the demo week. The i-milo
 * rendez-vous and sessions come with the next issue (docs/architecture.md, "Agenda"). */
#include "core/feature.h"

#include "agenda/agenda_close_web.h"
#include "agenda/agenda_page_use.h"
#include "agenda/agenda_page_web.h"
#include "agenda/agenda_app.h"
#include "agenda/agenda_app_use.h"
#include "agenda/agenda_use.h"
#include "agenda/agenda_web.h"
#include "auth/authz.h"
#include "http/http.h"

static const struct route routes[] = {
	{"GET", "/agenda/rendez-vous/nouveau", agenda_new_page, 0, ACCESS_COUNSELOR},
	{"POST", "/agenda/rendez-vous/nouveau", agenda_create_post, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/rendez-vous/{id}", agenda_detail_page, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/rendez-vous/{id}/modifier", agenda_edit_page, 0, ACCESS_COUNSELOR},
	{"POST", "/agenda/rendez-vous/{id}/modifier", agenda_edit_post, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/rendez-vous/{id}/supprimer", agenda_delete_page, 0, ACCESS_COUNSELOR},
	{"POST", "/agenda/rendez-vous/{id}/supprimer", agenda_delete_post, 0, ACCESS_COUNSELOR},
	/* Animations collectives; "nouveau" and "inscrire" before "{id}": the first match wins. */
	{"GET", "/agenda/animations-collectives/nouveau", agenda_ac_new_page, 0, ACCESS_COUNSELOR},
	{"POST", "/agenda/animations-collectives/nouveau", agenda_ac_create_post, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/animations-collectives/inscrire", agenda_ac_enroll_page, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/animations-collectives/{id}", agenda_ac_detail_page, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/animations-collectives/{id}/modifier", agenda_ac_edit_page, 0, ACCESS_COUNSELOR},
	{"POST", "/agenda/animations-collectives/{id}/modifier", agenda_ac_edit_post, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/animations-collectives/{id}/supprimer", agenda_ac_delete_page, 0, ACCESS_COUNSELOR},
	{"POST", "/agenda/animations-collectives/{id}/supprimer", agenda_ac_delete_post, 0, ACCESS_COUNSELOR},
	{"GET", "/agenda/animations-collectives/{id}/clore", agenda_close_page, 0, ACCESS_COUNSELOR},
	{"POST", "/agenda/animations-collectives/{id}/clore", agenda_close_post, 0, ACCESS_COUNSELOR},
	/* ROUTE_REMOTE: type=session reads i-milo (sessions_signin.h). */
	{"GET", "/emargement/{id}", agenda_signin_sheet, ROUTE_REMOTE, ACCESS_COUNSELOR},
	/* The /agenda page (agenda_page_web.c). */
	{"GET", "/agenda", agenda_page, ROUTE_REMOTE, ACCESS_COUNSELOR},  /* sessions: S1 */
	{"GET", "/app/rendez-vous/{id}", agenda_app_detail_page, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/evenements", agenda_app_events_page, ROUTE_REMOTE, ACCESS_BENEFICIARY},  /* sessions: S2 */
	{"GET", "/app/evenements/animations/{id}", agenda_app_ac_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/evenements/animations/{id}/partager", agenda_app_share_post, 0,
	 ACCESS_BENEFICIARY},
};

static const struct flash_link detail_link = {"/agenda/rendez-vous/",
					      "Voir le détail du rendez-vous"};

static const struct flash_link ac_detail_link = {"/agenda/animations-collectives/",
						 "Voir le détail de l’animation collective"};

static const struct flash_def flashes[] = {
	{"rdv-cree", "success", "Le rendez-vous a bien été créé", &detail_link, NULL},
	{"rdv-modifie", "success", "Le rendez-vous a bien été modifié", NULL, NULL},
	{"rdv-supprime", "success", "Le rendez-vous a bien été supprimé", NULL, NULL},
	{"ac-creee", "success", "L’animation collective a bien été créée", &ac_detail_link, NULL},
	{"ac-modifiee", "success", "L’animation collective a bien été modifiée", &ac_detail_link, NULL},
	{"ac-supprimee", "success", "L’animation collective a bien été supprimée", NULL, NULL},
	{"ac-close", "success", "Cet événement a bien été clos", NULL, NULL},
	{AGENDA_APP_FLASH_SHARED, "success", AGENDA_APP_SHARED, NULL, NULL},
};

/* "Agenda" comes right after "Portefeuille" (the guide's side menu); the app's bottom bar:
 * Accueil 10, Mon suivi 20, Messages 30, Offres 40, Événements 50. */
static const struct menu_entry menu[] = {
	{MENU_COUNSELOR, 15, "agenda", "Agenda", "/agenda", false, NULL, NULL, NULL},
	{MENU_APP, 50, "evenements", "Événements", "/app/evenements", false,
	 "fr-icon-calendar-event-line", NULL, NULL},
};

static const struct record_tab record_tabs[] = {
	{"rendez-vous", agenda_record_tab},
};

const struct feature agenda_feature = {
	.name = "agenda",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.job_kinds = agenda_job_kinds,
	.n_job_kinds = AGENDA_JOB_KINDS,
	.plan_jobs = agenda_jobs_plan,
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
	.seed = agenda_seed_demo,
	.record_tabs = record_tabs,
	.n_record_tabs = sizeof(record_tabs) / sizeof(record_tabs[0]),
	.week_items = agenda_week_items,
	.purge = agenda_purge_beneficiary,
	.archive = agenda_archive_beneficiary,
	.app_events = agenda_app_events,
};
