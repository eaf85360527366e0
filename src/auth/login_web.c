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
#include "view/vm.h"

#include <string.h>

/* @errors: {email?, password?, form?} or NULL. */
static int
login_form(struct req *r, int status, const char *email, struct vm *errors)
{
	const char *retour = req_form(r, "retour");
	if (!retour)
		retour = req_query(r, "retour");
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Connexion");
	vm_set_str_opt(data, "email", email);
	vm_set_str_opt(data, "retour", retour);
	vm_set(data, "errors", errors);
	return view_page(r, status, "auth/counselor_login.html", data);
}

/* The form again with one message @text on @field. */
static int
login_refused(struct req *r, int status, const char *email, const char *field, const char *text)
{
	struct vm *errors = vm_obj(r->a);
	vm_set_str(errors, field, text);
	return login_form(r, status, email, errors);
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
	enum login_outcome outcome;
	const char *id = NULL;

	if (!email || !*email || !pw || !*pw) {
		struct vm *errors = vm_obj(r->a);
		vm_set_str_opt(errors, "email", !email || !*email ? "Renseignez votre adresse e-mail." : NULL);
		vm_set_str_opt(errors, "password", !pw || !*pw ? "Renseignez votre mot de passe." : NULL);
		return login_form(r, 400, email, errors);
	}
	email = g_utf8_strdown(email, -1);
	arena_defer(r->a, g_free, (void *)email);
	int rc = login_check(ctx_db(r), r->a, USER_COUNSELOR, email, pw, r->remote_ip,
			     clock_now_ms(), &outcome, &id);
	if (rc)
		return rc;
	if (outcome == LOGIN_LOCKED)
		return login_refused(r, 429, email, "form", "Trop de tentatives. Réessayez dans 15 minutes.");
	if (outcome == LOGIN_BAD)
		return login_refused(r, 401, email, "form", "Adresse e-mail ou mot de passe incorrect.");
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
