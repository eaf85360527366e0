/* sessions_feature.c — the i-milo sessions (agenda.md §5, §7; spec/imilo.md §3.3–3.4),
 * declared once to the server (core/feature.h). */
#include "sessions/sessions_agenda.h"
#include "sessions/sessions_app.h"
#include "sessions/sessions_app_use.h"

#include "auth/authz.h"
#include "core/feature.h"
#include "http/http.h"

#define R ROUTE_REMOTE  /* waits on i-milo: the remote pool */

static const struct route routes[] = {
	/* The young person (sessions_app.c). */
	{"GET", "/app/evenements/sessions/{id}", sessions_app_page, R, ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/sessions/{id}/demande", sessions_app_request_page, R,
	 ACCESS_BENEFICIARY},
	{"POST", "/app/evenements/sessions/{id}/demande", sessions_app_request_post, R,
	 ACCESS_BENEFICIARY},
	{"GET", "/app/evenements/sessions/{id}/demande/envoyee", sessions_app_requested_page, 0,
	 ACCESS_BENEFICIARY},
};

const struct feature sessions_feature = {
	.name = "sessions",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.agenda_rows = sessions_agenda_rows,
	.app_events = sessions_app_events,
};
