/* login.c — credential checks with throttling, and account links. No SQL, no HTML. */
#include "auth/login.h"

#include "audit/audit.h"
#include "auth/login_store.h"
#include "auth/password.h"
#include "auth/session_store.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

#define HOUR_MS (3600 * 1000LL)
#define RESETS_PER_HOUR 3

/* Locked while the @max-th latest failure is part of a burst of @max within the window
 * and the burst ended less than a window ago: the lock lasts 15 minutes from the failure
 * that triggered it. Attempts during a lock are not recorded, so they do not extend it. */
static int
burst_locked(struct db *db, const char *scope, int max, int64_t now, bool *locked)
{
	int64_t at[LOGIN_MAX_PER_ADDRESS];
	int n = login_store_latest_failures(db, scope, max, at);
	if (n < 0)
		return n;
	*locked = n == max && at[0] - at[max - 1] <= LOGIN_WINDOW_MS && now - at[0] < LOGIN_WINDOW_MS;
	return 0;
}

static int
is_locked(struct db *db, const char *acct_scope, const char *ip_scope, int64_t now, bool *locked)
{
	int rc = burst_locked(db, acct_scope, LOGIN_MAX_PER_ACCOUNT, now, locked);
	if (rc || *locked)
		return rc;
	return burst_locked(db, ip_scope, LOGIN_MAX_PER_ADDRESS, now, locked);
}

/* The audit row of a failed login (DESIGN §8): the account it aimed at when the e-mail
 * names one (target), the kind of login and the client address. Never the password, and
 * never the typed e-mail when it names no account: it may be someone else's address, or a
 * password typed in the wrong field. Attempts refused during a lock are not written: they
 * cost no password check and could fill the log at will; the failures that caused the
 * lock are there. */
static int
audit_failure(struct db *db, struct arena *a, const char *who, const char *account_id,
	      const char *ip, int64_t now)
{
	return audit_record(db, now, "anonymous", NULL, "login.failed", account_id,
			    arena_printf(a, "%s ip=%s%s", who, ip, account_id ? "" : " compte inconnu"));
}

int
login_check(struct db *db, struct arena *a, enum user_kind kind, const char *email,
	    const char *pw, const char *ip, int64_t now, enum login_outcome *outcome,
	    const char **user_id)
{
	const char *who = kind == USER_COUNSELOR ? "counselor" : "beneficiary";
	const char *acct_scope = arena_printf(a, "account:%s:%s", who, email);
	const char *ip_scope = arena_printf(a, "ip:%s", ip);
	const char *id = NULL, *hash = NULL;
	bool locked;
	int rc = is_locked(db, acct_scope, ip_scope, now, &locked);

	if (rc)
		return rc;
	if (locked) {
		*outcome = LOGIN_LOCKED;
		return 0;
	}
	rc = login_store_account(db, a, kind, email, &id, &hash);
	if (rc && rc != -ERR_NOTFOUND)
		return rc;
	if (!hash)
		password_verify_dummy(pw);
	if (!hash || !password_verify(hash, pw)) {
		*outcome = LOGIN_BAD;
		if ((rc = login_store_add_failure(db, acct_scope, now, 2 * LOGIN_WINDOW_MS)) ||
		    (rc = login_store_add_failure(db, ip_scope, now, 2 * LOGIN_WINDOW_MS)) ||
		    (rc = audit_failure(db, a, who, id, ip, now)))
			return rc;
		return 0;
	}
	login_store_clear_failures(db, acct_scope);
	if (password_needs_rehash(hash)) {
		char fresh[PASSWORD_HASH_MAX];
		if (password_hash(pw, fresh) == 0)
			login_store_set_hash(db, kind, id, fresh);
	}
	if (kind == USER_BENEFICIARY && (rc = login_store_beneficiary_logged_in(db, id, now)))
		return rc;
	*outcome = LOGIN_OK;
	*user_id = id;
	return 0;
}

int
login_send_link(const struct link_mailer *m, struct db *db, struct arena *a,
		const char *beneficiary_id, const char *kind, int64_t now)
{
	const char *first_name, *email, *subject;
	char token[TOKEN_STRLEN + 1], hash[TOKEN_HASHLEN + 1];
	bool reset = strcmp(kind, "reset") == 0;
	int64_t ttl_ms = m->ttl_hours * HOUR_MS;
	GString *text = g_string_new(NULL), *html = g_string_new(NULL);
	struct vm *data = NULL;
	int rc = login_store_beneficiary_contact(db, a, beneficiary_id, &first_name, &email);

	if (rc)
		goto out;
	if (reset) {
		int n = login_store_links_since(db, beneficiary_id, "reset", now - HOUR_MS);
		if (n < 0 || n >= RESETS_PER_HOUR) {
			rc = n < 0 ? n : -ERR_RATE;
			goto out;
		}
	}
	token_new(token);
	token_hash(token, hash);
	if ((rc = login_store_insert_link(db, hash, beneficiary_id, kind, now, now + ttl_ms)))
		goto out;
	subject = reset ? "Crée un nouveau mot de passe pour l’application du CEJ"
		      : "Active ton compte de l’application du CEJ";
	data = vm_obj(a);
	vm_set_str(data, "subject", subject);
	vm_set_str(data, "first_name", first_name);
	vm_set_strf(data, "link", "%s/app/activation/%s", m->base_url, token);
	vm_set_int(data, "hours", m->ttl_hours);
	if ((rc = view_mail(m->tmpl, reset ? "reset" : "activation", data, text, html)))
		goto out;
	rc = mail_enqueue(db, now, email, subject, text->str, html->str);
	if (!rc)
		jobs_wake_on_commit(db, m->jobs);
out:
	g_string_free(text, TRUE);
	g_string_free(html, TRUE);
	return rc;
}

struct link_mailer
login_mailer(const struct ctx *c)
{
	return (struct link_mailer){c->tmpl, c->cfg->base_url, c->cfg->activation_link_ttl_hours,
				    c->jobs};
}

int
login_request_reset(const struct link_mailer *m, struct db *db, struct arena *a,
		    const char *email, int64_t now)
{
	const char *id, *hash;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = login_store_account(db, a, USER_BENEFICIARY, email, &id, &hash);
	if (rc == 0)
		rc = login_send_link(m, db, a, id, "reset", now);
	if (rc == 0)
		return db_tx_commit(db);
	db_tx_rollback(db);
	return rc == -ERR_NOTFOUND || rc == -ERR_RATE ? 0 : rc;
}

int
login_link_check(struct db *db, struct arena *a, const char *token, int64_t now,
		 const char **beneficiary_id, const char **email)
{
	char hash[TOKEN_HASHLEN + 1];
	if (!token || strlen(token) != TOKEN_STRLEN)
		return -ERR_NOTFOUND;
	token_hash(token, hash);
	return login_store_link(db, a, hash, now, beneficiary_id, email);
}

int
login_link_set_password(struct db *db, const char *token, const char *pw_hash, int64_t now)
{
	struct arena *a = arena_new();
	const char *id, *email;
	int rc = db_tx_begin(db);

	if (rc)
		goto out;
	/* Checked again inside the transaction: two tabs cannot both use one link. */
	if ((rc = login_link_check(db, a, token, now, &id, &email)) ||
	    (rc = login_store_set_hash(db, USER_BENEFICIARY, id, pw_hash)) ||
	    (rc = login_store_use_links(db, id, now)) ||
	    (rc = session_store_delete_user(db, USER_BENEFICIARY, id)))
		goto out;
	rc = db_tx_commit(db);
out:
	if (rc)
		db_tx_rollback(db);
	arena_free(a);
	return rc;
}

/* A path a browser resolves on this site: "/" then anything but "/" — browsers drop tabs
 * and line breaks anywhere in a URL and read "\\" as "/", so "/<TAB>/evil" or "/\\evil"
 * is "//evil", another host — hence no control character and no backslash at all. */
static bool
is_local_path(const char *p)
{
	if (p[0] != '/' || p[1] == '/')
		return false;
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			return false;
	return true;
}

const char *
login_safe_return(const char *retour, const char *def)
{
	if (!retour || !is_local_path(retour))
		return def;
	/* Decoded once more, as a step between may decode it ("/%09/evil", "/%2F/evil").
	 * NULL: a "%" that is not followed by two hex digits, or "%00". */
	char *decoded = g_uri_unescape_string(retour, NULL);
	bool ok = decoded && is_local_path(decoded);
	g_free(decoded);
	return ok ? retour : def;
}
