/* actions_feature.c — the actions feature declared to the server: actions of both spaces,
 * comments, qualification; reminders and nightly jobs. */
#include "core/feature.h"

#include "actions/actions_app.h"
#include "actions/actions_use.h"
#include "actions/actions_web.h"
#include "actions/qualify_web.h"
#include "auth/authz.h"
#include "http/http.h"

#define R ROUTE_REMOTE  /* waits on i-milo: the remote pool, never in the way of logins */
static const struct route routes[] = {
	{"GET", "/beneficiaires/{id}/actions/nouvelle", actions_new_page, 0, ACCESS_COUNSELOR},
	{"POST", "/beneficiaires/{id}/actions/nouvelle", actions_create_post, 0, ACCESS_COUNSELOR},
	{"GET", "/actions/{id}", actions_detail_page, 0, ACCESS_COUNSELOR},
	{"GET", "/actions/{id}/enregistree", actions_saved_page, 0, ACCESS_COUNSELOR},
	{"GET", "/actions/{id}/modifier", actions_edit_page, 0, ACCESS_COUNSELOR},
	{"POST", "/actions/{id}/modifier", actions_edit_post, 0, ACCESS_COUNSELOR},
	{"POST", "/actions/{id}/statut", actions_status_post, 0, ACCESS_COUNSELOR},
	{"GET", "/actions/{id}/supprimer", actions_delete_page, 0, ACCESS_COUNSELOR},
	{"POST", "/actions/{id}/supprimer", actions_delete_post, 0, ACCESS_COUNSELOR},
	{"POST", "/actions/{id}/commentaires", actions_comment_post, 0, ACCESS_COUNSELOR},
	{"GET", "/actions/{id}/qualifier", qualify_page, 0, ACCESS_COUNSELOR},
	{"POST", "/actions/{id}/qualifier", qualify_post, R, ACCESS_COUNSELOR},
	{"POST", "/actions/qualification", qualify_batch_post, R, ACCESS_COUNSELOR},
	{"GET", "/app/suivi", actions_app_suivi, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/actions/nouvelle", actions_app_new_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/actions/nouvelle", actions_app_new_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/actions/{id}", actions_app_detail_page, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/actions/{id}/creee", actions_app_created_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/actions/{id}/terminer", actions_app_finish_post, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/actions/{id}/reprendre", actions_app_reopen_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/actions/{id}/modifier", actions_app_edit_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/actions/{id}/modifier", actions_app_edit_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/actions/{id}/supprimer", actions_app_delete_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/actions/{id}/supprimer", actions_app_delete_post, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/actions/{id}/commentaires", actions_app_comment_post, 0, ACCESS_BENEFICIARY},
};
#undef R

static const struct flash_def flashes[] = {
	{"action-statut", "success", "Le statut de l’action a été mis à jour.", NULL, NULL},
	{"action-modifiee", "success", "L’action a été modifiée.", NULL, NULL},
	{"action-supprimee", "success", "L’action a été supprimée.", NULL, NULL},
	{"action-commentee", "success", "Votre message a bien été envoyé, retrouvez-le dans votre conversation avec le bénéficiaire.", NULL, NULL},
	{"actions-qualifiees-snp", "success", "Vous pouvez encore modifier ces actions, uniquement dans i-milo. Délai d’actualisation entre l’app CEJ et i-milo : environ 24h.", NULL, "Actions qualifiées en SNP !"},
	{"actions-qualifiees-non-snp", "success", "C’est enregistré ! Vous pouvez poursuivre votre travail.", NULL, "Actions enregistrées en non-SNP"},
	{"actions-non-qualifiees", "error", "Certaines actions n’ont pas pu être qualifiées.", NULL, NULL},
	{"actions-non-qualifiees-motif", "error", "Certaines actions n’ont pas pu être qualifiées. %s", NULL, NULL},
	{"app-action-mise-a-jour", "success", "La mise à jour de ton action a bien été prise en compte", NULL, NULL},
	{"app-action-modifiee", "success", "Tes modifications ont été enregistrées.", NULL, NULL},
	{"app-action-supprimee", "success", "L’action a bien été supprimée", NULL, NULL},
};

static const struct record_tab record_tabs[] = {
	{"actions", actions_record_actions},
	{"indicateurs", actions_record_indicators},
};

static const struct menu_entry menu[] = {
	{MENU_APP, 20, "suivi", "Mon suivi", "/app/suivi", false, "fr-icon-calendar-line", NULL, NULL},
};

const struct feature actions_feature = {
	.name = "actions",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.job_kinds = actions_job_kinds,
	.n_job_kinds = ACTIONS_JOB_KINDS,
	.plan_jobs = actions_jobs_plan,
	.purge = actions_purge_beneficiary,
	.archive = actions_archive_beneficiary,
	.record_tabs = record_tabs,
	.n_record_tabs = sizeof(record_tabs) / sizeof(record_tabs[0]),
	.week_items = actions_week_items,
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
};
