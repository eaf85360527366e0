/* profile_feature.c — the profile feature declared to the server: the counselor's and the
 * beneficiary's profile. */
#include "core/feature.h"

#include "core/ctx.h"
#include "profile/profile.h"
#include "view/vm.h"
#include "auth/authz.h"
#include "http/http.h"
#include "profile/profile_app.h"
#include "profile/profile_web.h"

static const struct route routes[] = {
	{"GET", "/profil", profile_page, 0, ACCESS_COUNSELOR},
	{"POST", "/profil/notifications-sonores", profile_sound_post, 0, ACCESS_COUNSELOR},
	{"POST", "/profil/bienvenue-mobile", profile_mobile_welcome_post, 0, ACCESS_COUNSELOR},
	{"GET", "/app/profil", profile_app_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/profil/partage", profile_app_share_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/profil/notifications", profile_app_notifications_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/profil/notifications", profile_app_notifications_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/suppression-compte", profile_app_delete_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/suppression-compte", profile_app_delete, 0, ACCESS_BENEFICIARY},
};

static const struct flash_def flashes[] = {
	{"compte-app-supprime", "success", "Ton compte a bien été supprimé de l’application CEJ", NULL, NULL},
	{"partage-favoris-active", "success", "Le partage de tes offres suivies est activé.", NULL, NULL},
	{"partage-favoris-desactive", "success", "Le partage de tes offres suivies est désactivé.", NULL, NULL},
	{"notifications-app-enregistrees", "success", "Tes préférences de notifications sont enregistrées.", NULL, NULL},
	{"notifications-sonores-activees", "success", "Les notifications sonores sont activées.", NULL, NULL},
	{"notifications-sonores-desactivees", "success", "Les notifications sonores sont désactivées.", NULL, NULL},
};

/* The counselor's layout: the badge of a missing e-mail, "Notifications sonores", the
 * welcome modal of the mobile space until dismissed (admin-and-misc.md §4, messaging.md
 * §12). Read from the session's user: no query. */
static void
page(struct req *r, struct vm *data, struct vm *user)
{
	(void)data;
	struct user *u = r->user;
	if (!u || u->kind != USER_COUNSELOR)
		return;
	vm_set_bool(user, "email_missing", profile_email_missing(u->email));
	vm_set_bool(user, "sound", u->sound_notifications);
	vm_set_bool(user, "mobile_welcome", !u->mobile_welcome_seen);
}

const struct feature profile_feature = {
	.name = "profile",
	.page = page,
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
};
