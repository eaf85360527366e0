/* login_app.c — the beneficiary app's welcome, login and logout (youth-app.md §2). */
#include "auth/auth_web.h"

#include "auth/login.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

/* A page of the app's public side: only its title. */
static struct vm *
titled(struct req *r, const char *title)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", title);
	return data;
}

int
auth_app_welcome(struct req *r)
{
	if (r->user && r->user->kind == USER_BENEFICIARY) {
		resp_redirect(r, "/app/accueil");
		return 0;
	}
	return view_page(r, 200, "auth/app_welcome.html", titled(r, "Contrat d’Engagement Jeune"));
}

int
auth_app_no_account(struct req *r)
{
	return view_page(r, 200, "auth/app_no_account.html", titled(r, "Pas de compte ?"));
}

/* @errors: {email?, password?, form?} or NULL. */
static int
login_form(struct req *r, int status, const char *email, struct vm *errors)
{
	const char *retour = req_form(r, "retour");
	if (!retour)
		retour = req_query(r, "retour");
	struct vm *data = titled(r, "Je suis suivi par la Mission Locale");
	vm_set_str_opt(data, "email", email);
	vm_set_str_opt(data, "retour", retour);
	vm_set(data, "errors", errors);
	return view_page(r, status, "auth/app_login.html", data);
}

int
auth_app_login_page(struct req *r)
{
	if (r->user && r->user->kind == USER_BENEFICIARY) {
		resp_redirect(r, "/app/accueil");
		return 0;
	}
	/* Right after "Crée ton mot de passe", the address of the account (a prefill only). */
	return login_form(r, 200, view_flash_arg(r, "mot-de-passe-cree"), NULL);
}

int
auth_app_login(struct req *r)
{
	const char *email = text_trim(r->a, req_form(r, "email"));
	const char *pw = req_form(r, "password");
	enum login_outcome outcome;
	const char *id = NULL;
	int rc;

	if (!email || !*email || !pw || !*pw) {
		struct vm *errors = vm_obj(r->a);
		vm_set_str_opt(errors, "email", !email || !*email ? "Renseigne ton adresse e-mail." : NULL);
		vm_set_str_opt(errors, "password", !pw || !*pw ? "Renseigne ton mot de passe." : NULL);
		return login_form(r, 400, email, errors);
	}
	email = g_utf8_strdown(email, -1);
	arena_defer(r->a, g_free, (void *)email);
	rc = login_check(ctx_db(r), r->a, USER_BENEFICIARY, email, pw, r->remote_ip,
			 clock_now_ms(), &outcome, &id);
	if (rc)
		return rc;
	if (outcome != LOGIN_OK) {
		struct vm *errors = vm_obj(r->a);
		vm_set_str(errors, "form", outcome == LOGIN_LOCKED
			? "Trop de tentatives. Réessaie dans 15 minutes."
			: "Adresse e-mail ou mot de passe incorrect.");
		return login_form(r, outcome == LOGIN_LOCKED ? 429 : 401, email, errors);
	}
	if ((rc = session_open(r, USER_BENEFICIARY, id)))
		return rc;
	resp_redirect(r, login_safe_return(req_form(r, "retour"), "/app/accueil"));
	return 0;
}

int
auth_app_logout(struct req *r)
{
	session_close(r);
	return view_redirect_flash(r, "/app", "app-deconnexion", NULL);
}
