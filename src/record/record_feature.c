/* record_feature.c — the record feature declared to the server: the fiche bénéficiaire. */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "record/record_web.h"

static const struct route routes[] = {
	{"GET", "/beneficiaires/{id}", record_page, 0, ACCESS_COUNSELOR},
	{"GET", "/beneficiaires/{id}/informations", record_information_page, 0, ACCESS_COUNSELOR},
};

const struct feature record_feature = {
	.name = "record",
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
};
