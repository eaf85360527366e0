/* login_web.c — counselor login and logout (e-mail + password; i-milo single sign-on
 * comes later). Parse, call login_check, render. */
#include "auth/auth_web.h"

#include "auth/login.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "core/ctx.h"
#include "view/view.h"

#include <string.h>

static int
login_form(struct req *r, int status, const char *email, json_t *errors)
{
	const char *retour = req_form(r, "retour");
	if (!retour)
		retour = req_query(r, "retour");
	return view_page(r, status, "auth/counselor_login.html",
			 json_pack("{s:s, s:s?, s:s?, s:o?}", "title", "Connexion", "email", email,
				   "retour", retour, "errors", errors));
}

int
auth_counselor_login_page(struct req *r)
{
	if (r->user && r->user->kind == USER_COUNSELOR) {
		resp_redirect(r, "/portefeuille");
		return 0;
	}
	return login_form(r, 200, NULL, NULL);
}

int
auth_counselor_login(struct req *r)
{
	const char *email = text_trim(r->a, req_form(r, "email"));
	const char *pw = req_form(r, "password");
	json_t *errors = json_object();
	enum login_outcome outcome;
	const char *id = NULL;

	if (!email || !*email)
		json_object_set_new(errors, "email", json_string("Renseignez votre adresse e-mail."));
	if (!pw || !*pw)
		json_object_set_new(errors, "password", json_string("Renseignez votre mot de passe."));
	if (json_object_size(errors))
		return login_form(r, 400, email, errors);
	email = g_utf8_strdown(email, -1);
	arena_defer(r->a, g_free, (void *)email);
	int rc = login_check(ctx_db(r), r->a, USER_COUNSELOR, email, pw, r->remote_ip,
			     clock_now_ms(), &outcome, &id);
	if (rc) {
		json_decref(errors);
		return rc;
	}
	if (outcome == LOGIN_LOCKED) {
		json_object_set_new(errors, "form", json_string("Trop de tentatives. Réessayez dans 15 minutes."));
		return login_form(r, 429, email, errors);
	}
	if (outcome == LOGIN_BAD) {
		json_object_set_new(errors, "form", json_string("Adresse e-mail ou mot de passe incorrect."));
		return login_form(r, 401, email, errors);
	}
	json_decref(errors);
	if ((rc = session_open(r, USER_COUNSELOR, id)))
		return rc;
	resp_redirect(r, login_safe_return(req_form(r, "retour"), "/portefeuille"));
	return 0;
}

int
auth_counselor_logout(struct req *r)
{
	session_close(r);
	return view_redirect_flash(r, "/connexion", "deconnexion", NULL);
}
