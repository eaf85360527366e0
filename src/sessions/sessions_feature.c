/* sessions_feature.c — the i-milo sessions feature declared to the server (agenda.md §5,
 * §7): the session page /agenda/sessions/{id} (visibility, registrations, closing), its
 * sign-in sheet (reached through /emargement/{id}?type=session), the registration
 * reminders, the daily closing, its rows of the /agenda page and of Pilotage, the young
 * person's pages and list, and its part of a beneficiary's purge and archive. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "sessions/sessions.h"
#include "sessions/sessions_agenda.h"
#include "sessions/sessions_app.h"
#include "sessions/sessions_app_use.h"
#include "sessions/sessions_feature.h"
#include "sessions/sessions_web.h"

#define MINUTE_MS (60 * 1000LL)
#define R ROUTE_REMOTE  /* waits on i-milo: the remote pool */

static const struct route routes[] = {
	{"GET", "/agenda/sessions/{id}", sessions_page, R, ACCESS_COUNSELOR},
	{"POST", "/agenda/sessions/{id}/visibilite", sessions_visibility_post, R, ACCESS_COUNSELOR},
	{"POST", "/agenda/sessions/{id}/inscriptions", sessions_registrations_post, R,
	 ACCESS_COUNSELOR},
	{"GET", "/agenda/sessions/{id}/clore", sessions_close_page, R, ACCESS_COUNSELOR},
	{"POST", "/agenda/sessions/{id}/clore", sessions_close_post, R, ACCESS_COUNSELOR},
	/* The young person (sessions_app.c). */
	{"GET", "/app/evenements/sessions/{id}", sessions_app_page, R, ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/sessions/{id}/demande", sessions_app_request_page, R,
	 ACCESS_BENEFICIARY},
	{"POST", "/app/evenements/sessions/{id}/demande", sessions_app_request_post, R,
	 ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/sessions/{id}/demande/envoyee", sessions_app_requested_page, 0,
	 ACCESS_BENEFICIARY},
	{"POST", "/app/evenements/sessions/{id}/inscription", sessions_app_self_post, R,
	 ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/sessions/{id}/inscription/confirmee", sessions_app_self_done_page,
	 R, ACCESS_BENEFICIARY},
};

static const struct flash_def flashes[] = {
	{"session-visibilite", "success", "La visibilité de la session a bien été enregistrée.",
	 NULL, NULL},
	{"session-inscriptions", "success", "Les inscriptions ont bien été enregistrées dans i-milo.",
	 NULL, NULL},
	{"session-partiel", "error", "Certaines modifications n'ont pas pu être enregistrées dans "
	 "i-milo. Vérifiez la liste des inscrits puis réessayez.", NULL, NULL},
	{"session-close", "success", "La session a bien été close.", NULL, NULL},
};

static const struct job_kind job_kinds[] = {
	/* i-milo is asked SESSIONS_REMINDER_IMILO_TRIES times, 5 min apart at first, then the
	 * last run trusts the local copy (notifications.md §3.2). */
	{SESSIONS_REMINDER_KIND, sessions_run_reminder, SESSIONS_REMINDER_IMILO_TRIES + 1,
	 5 * MINUTE_MS, 2 * MINUTE_MS, NULL},
	{"sessions_auto_close", sessions_run_auto_close, 3, 30 * MINUTE_MS, 60 * MINUTE_MS, NULL},
};

const struct feature sessions_feature = {
	.name = "sessions",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.job_kinds = job_kinds,
	.n_job_kinds = sizeof(job_kinds) / sizeof(job_kinds[0]),
	.plan_jobs = sessions_plan_jobs,
	.purge = sessions_purge_beneficiary,
	.archive = sessions_archive_beneficiary,
	.agenda_rows = sessions_agenda_rows,
	.app_events = sessions_app_events,
};
