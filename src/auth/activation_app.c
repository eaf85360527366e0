/* activation_app.c — "Crée ton mot de passe" through an activation or reset link, and
 * "Mot de passe oublié" (youth-app.md §3, beneficiaries.md §5). */
#include "auth/auth_web.h"

#include "auth/login.h"
#include "auth/login_store.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/text.h"
#include "db/db.h"
#include "core/ctx.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "view/view.h"
#include "view/vm.h"

static int
invalid_link(struct req *r)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Ce lien n’est plus valide");
	vm_set_int(data, "hours", req_ctx(r)->cfg->activation_link_ttl_hours);
	return view_page(r, 410, "auth/app_link_invalid.html", data);
}

/* @errors: {password?, confirmation?} or NULL. */
static int
password_form(struct req *r, int status, const char *token, struct vm *errors)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Crée ton mot de passe");
	vm_set_str(data, "token", token);
	vm_set(data, "errors", errors);
	return view_page(r, status, "auth/app_password.html", data);
}

int
auth_app_activation_page(struct req *r)
{
	const char *token = req_param(r, "token"), *id, *email;
	int rc = login_link_check(ctx_db(r), r->a, token, clock_now_ms(), &id, &email);
	if (rc == -ERR_NOTFOUND)
		return invalid_link(r);
	if (rc)
		return rc;
	return password_form(r, 200, token, NULL);
}

int
auth_app_activation(struct req *r)
{
	const char *token = req_param(r, "token"), *id, *email;
	const char *pw = req_form(r, "password"), *confirm = req_form(r, "confirmation");
	struct db *db = ctx_db(r);
	char hash[PASSWORD_HASH_MAX];
	int rc = login_link_check(db, r->a, token, clock_now_ms(), &id, &email);

	if (rc == -ERR_NOTFOUND)
		return invalid_link(r);
	if (rc)
		return rc;
	if (!password_rule_ok(pw, email)) {
		struct vm *errors = vm_obj(r->a);
		vm_set_str(errors, "password",
			   "Le mot de passe doit contenir au moins 8 caractères, dont une majuscule, "
			   "une minuscule et un chiffre.");
		return password_form(r, 400, token, errors);
	}
	if (!confirm || g_strcmp0(pw, confirm) != 0) {
		struct vm *errors = vm_obj(r->a);
		vm_set_str(errors, "confirmation", "Les deux mots de passe ne sont pas identiques.");
		return password_form(r, 400, token, errors);
	}
	if (password_hash(pw, hash))
		return -ERR_INVAL;
	rc = login_link_set_password(db, token, hash, clock_now_ms());
	if (rc == -ERR_NOTFOUND)
		return invalid_link(r);
	if (rc)
		return rc;
	/* The login form is filled with the account's address (view_flash_arg): the
	 * beneficiary types only the password just chosen. */
	return view_redirect_flash(r, "/app/connexion", "mot-de-passe-cree", email);
}

static struct vm *
forgot_data(struct req *r)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Mot de passe oublié");
	vm_set_null(data, "errors");
	return data;
}

int
auth_app_forgot_page(struct req *r)
{
	return view_page(r, 200, "auth/app_forgot.html", forgot_data(r));
}

/* Sends a reset link when the address belongs to a live account; the answer is the same
 * either way (no account enumeration), and extra requests beyond 3 an hour are dropped. */
int
auth_app_forgot(struct req *r)
{
	const char *email = text_trim(r->a, req_form(r, "email"));
	struct vm *data = forgot_data(r);

	if (!email || !*email) {
		vm_set_str(vm_set_obj(data, "errors"), "email", "Renseigne ton adresse e-mail.");
		return view_page(r, 400, "auth/app_forgot.html", data);
	}
	email = g_utf8_strdown(email, -1);
	arena_defer(r->a, g_free, (void *)email);
	struct link_mailer mailer = login_mailer(req_ctx(r));
	int rc = login_request_reset(&mailer, ctx_db(r), r->a, email, clock_now_ms());
	if (rc)
		return rc;
	vm_set_bool(data, "sent", true);
	return view_page(r, 200, "auth/app_forgot.html", data);
}
