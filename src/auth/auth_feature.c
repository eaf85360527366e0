/* auth_feature.c — the auth feature declared to the server: logins of both spaces, logout,
 * activation and password reset links. */
#include "core/feature.h"

#include "auth/login.h"
#include "auth/session.h"
#include "view/vm.h"
#include "auth/auth_web.h"
#include "auth/authz.h"
#include "http/http.h"

#define W ROUTE_WORKER
static const struct route routes[] = {
	{"GET", "/connexion", auth_counselor_login_page, 0, ACCESS_PUBLIC},
	{"POST", "/connexion", auth_counselor_login, W, ACCESS_PUBLIC},
	{"POST", "/deconnexion", auth_counselor_logout, 0, ACCESS_COUNSELOR},
	{"GET", "/app", auth_app_welcome, 0, ACCESS_PUBLIC},
	{"GET", "/app/pas-de-compte", auth_app_no_account, 0, ACCESS_PUBLIC},
	{"GET", "/app/connexion", auth_app_login_page, 0, ACCESS_PUBLIC},
	{"POST", "/app/connexion", auth_app_login, W, ACCESS_PUBLIC},
	{"POST", "/app/deconnexion", auth_app_logout, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/activation/{token}", auth_app_activation_page, ROUTE_SECRET_PATH, ACCESS_PUBLIC},
	{"POST", "/app/activation/{token}", auth_app_activation, W | ROUTE_SECRET_PATH, ACCESS_PUBLIC},
	{"GET", "/app/mot-de-passe-oublie", auth_app_forgot_page, 0, ACCESS_PUBLIC},
	{"POST", "/app/mot-de-passe-oublie", auth_app_forgot, 0, ACCESS_PUBLIC},
};
#undef W

static const struct flash_def flashes[] = {
	{"mot-de-passe-cree", "success",
	 "Ton mot de passe a bien été créé. Connecte-toi avec ton adresse e-mail et ce mot de passe.", NULL, NULL},
	{"deconnexion", "info", "Vous êtes déconnecté.", NULL, NULL},
	{"app-deconnexion", "info", "Tu es déconnecté.", NULL, NULL},
};

/* Every form of every page carries the CSRF token (session.h). */
static void
page(struct req *r, struct vm *data, struct vm *user)
{
	(void)user;
	vm_set_str(data, "csrf", csrf_token(r));
}

/* A beneficiary's end: their activation and reset links, the login throttling rows
 * naming them, and their sessions (the next request lands on the welcome screen). */
static int
purge(struct db *db, const char *beneficiary_id)
{
	int rc = login_purge_beneficiary(db, beneficiary_id);
	return rc ? rc : session_purge_beneficiary(db, beneficiary_id);
}

const struct feature auth_feature = {
	.name = "auth",
	.page = page,
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.purge = purge,
};
