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

static int
invalid_link(struct req *r)
{
	return view_page(r, 410, "auth/app_link_invalid.html",
			 json_pack("{s:s, s:i}", "title", "Ce lien n’est plus valide", "hours",
				   req_ctx(r)->cfg->activation_link_ttl_hours));
}

static int
password_form(struct req *r, int status, const char *token, json_t *errors)
{
	return view_page(r, status, "auth/app_password.html",
			 json_pack("{s:s, s:s, s:o?}", "title", "Crée ton mot de passe", "token", token,
				   "errors", errors));
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
	json_t *errors;
	int rc = login_link_check(db, r->a, token, clock_now_ms(), &id, &email);

	if (rc == -ERR_NOTFOUND)
		return invalid_link(r);
	if (rc)
		return rc;
	errors = json_object();
	if (!password_rule_ok(pw, email))
		json_object_set_new(errors, "password", json_string(
			"Le mot de passe doit contenir au moins 8 caractères, dont une majuscule, "
			"une minuscule et un chiffre."));
	else if (!confirm || g_strcmp0(pw, confirm) != 0)
		json_object_set_new(errors, "confirmation",
				    json_string("Les deux mots de passe ne sont pas identiques."));
	if (json_object_size(errors))
		return password_form(r, 400, token, errors);
	json_decref(errors);
	if (password_hash(pw, hash))
		return -ERR_INVAL;
	rc = login_link_set_password(db, token, hash, clock_now_ms());
	if (rc == -ERR_NOTFOUND)
		return invalid_link(r);
	if (rc)
		return rc;
	return view_redirect_flash(r, "/app/connexion", "mot-de-passe-cree", NULL);
}

int
auth_app_forgot_page(struct req *r)
{
	return view_page(r, 200, "auth/app_forgot.html",
			 json_pack("{s:s}", "title", "Mot de passe oublié"));
}

/* Sends a reset link when the address belongs to a live account; the answer is the same
 * either way (no account enumeration), and extra requests beyond 3 an hour are dropped. */
int
auth_app_forgot(struct req *r)
{
	const char *email = text_trim(r->a, req_form(r, "email"));
	struct db *db = ctx_db(r);
	const char *id, *hash;
	int rc;

	if (!email || !*email)
		return view_page(r, 400, "auth/app_forgot.html",
				 json_pack("{s:s, s:{s:s}}", "title", "Mot de passe oublié", "errors",
					   "email", "Renseigne ton adresse e-mail."));
	email = g_utf8_strdown(email, -1);
	arena_defer(r->a, g_free, (void *)email);
	if ((rc = db_tx_begin(db)))
		return rc;
	rc = login_store_account(db, r->a, USER_BENEFICIARY, email, &id, &hash);
	if (rc == 0)
		rc = login_send_link(req_ctx(r), db, r->a, id, "reset", clock_now_ms());
	if (rc == 0) {
		if (!(rc = db_tx_commit(db)))
			jobs_runner_wake(req_ctx(r)->jobs);
	} else {
		db_tx_rollback(db);
		if (rc == -ERR_NOTFOUND || rc == -ERR_RATE)
			rc = 0;
	}
	if (rc)
		return rc;
	return view_page(r, 200, "auth/app_forgot.html",
			 json_pack("{s:s, s:b}", "title", "Mot de passe oublié", "sent", 1));
}
