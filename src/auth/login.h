/* login.h — credential checks with throttling (DESIGN §8, youth-app.md §2), and the
 * account links (activation, reset) of beneficiaries (beneficiaries.md §5).
 *
 * One message covers an unknown account and a wrong password; an unknown account costs
 * the same argon2id time as a known one. Call from worker threads only. */
#ifndef CEJ_LOGIN_H
#define CEJ_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/session.h"

struct arena;
struct ctx;
struct db;

enum login_outcome {
	LOGIN_OK,
	LOGIN_BAD,       /* wrong e-mail or password, or no password yet */
	LOGIN_LOCKED,    /* too many failures for this account or this address */
};

/* Throttling: 5 failures within 15 minutes lock an account for 15 minutes from the 5th;
 * 20 failures from one address lock that address the same way. */
#define LOGIN_WINDOW_MS (15 * 60 * 1000LL)
#define LOGIN_MAX_PER_ACCOUNT 5
#define LOGIN_MAX_PER_ADDRESS 20

/* Checks @email/@pw for an account of @kind. On LOGIN_OK, *user_id is the account id
 * (arena-owned) and, for a beneficiary, the first login sets activated_at. Returns 0 with
 * *outcome set, or -ERR_DB. */
int login_check(struct db *db, struct arena *a, enum user_kind kind, const char *email,
		const char *pw, const char *ip, int64_t now, enum login_outcome *outcome,
		const char **user_id);

/* What sending a link needs, and nothing more: the templates of its e-mail, the public
 * address it points to, its lifetime, and the job runner to wake once the mail is stored
 * (NULL: none, in tests). */
struct tmpl_set;
struct jobs_runner;
struct link_mailer {
	const struct tmpl_set *tmpl;
	const char *base_url;
	int ttl_hours;
	struct jobs_runner *jobs;
};
/* The server's: from its configuration and templates. */
struct link_mailer login_mailer(const struct ctx *c);

/* Issues a link of @kind ("activation" or "reset") for beneficiary @id, invalidating the
 * earlier ones, and puts its e-mail in the outbox; the runner is woken when the caller's
 * transaction commits. Call inside a write transaction.
 * 0, -ERR_RATE (reset only: 3 per hour already sent), or -ERR_DB. */
int login_send_link(const struct link_mailer *m, struct db *db, struct arena *a,
		    const char *beneficiary_id, const char *kind, int64_t now);
/* "Mot de passe oublié": a reset link to the live beneficiary account of @email, in its
 * own transaction. 0 whether or not such an account exists and whether or not the
 * hourly limit dropped it (the page says the same: no account enumeration); -ERR_DB. */
int login_request_reset(const struct link_mailer *m, struct db *db, struct arena *a,
			const char *email, int64_t now);

/* The beneficiary a valid link @token belongs to (arena-owned id and e-mail), or
 * -ERR_NOTFOUND when the link is unknown, used or expired. */
int login_link_check(struct db *db, struct arena *a, const char *token, int64_t now,
		     const char **beneficiary_id, const char **email);

/* Sets the password through link @token: consumes it, invalidates the others, revokes
 * every session. 0, -ERR_NOTFOUND (link no longer valid), or -ERR_DB. */
int login_link_set_password(struct db *db, const char *token, const char *hash, int64_t now);

/* The credentials' part of an account's deletion and archive (beneficiaries.md §9): the
 * activation and reset links of @beneficiary_id and the login throttling rows of its
 * e-mail ("account:beneficiary:{email}"; the per-address rows name no account). In the
 * caller's transaction, while the beneficiary row still exists. 0 or -ERR_DB. */
int login_purge_beneficiary(struct db *db, const char *beneficiary_id);

/* @retour when it is a path of this application, else @def: it starts with a single "/",
 * holds no control character (tab, CR, LF…) and no backslash, and the same holds once it
 * is percent-decoded ("/%09/evil", "/%2F/evil" refused; a malformed "%" too). Browsers
 * drop tabs and line breaks and read "\\" as "/", so any of them could make "//host",
 * another site. Returns @retour or @def itself (nothing to free). Pure. */
const char *login_safe_return(const char *retour, const char *def);

#endif
