/* session.c — session cookie, expiry, rotation and CSRF checks. */
#include "auth/session.h"

#include "auth/session_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "core/ctx.h"

#include <glib.h>
#include <sodium.h>
#include <string.h>

#define MINUTE_MS (60 * 1000LL)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

/* Idle and absolute lifetimes (DESIGN §8; youth-app.md §1: 42 days sliding). */
static int64_t
idle_ms(enum user_kind k)
{
	return k == USER_COUNSELOR ? 4 * HOUR_MS : 42 * DAY_MS;
}

static int64_t
absolute_ms(enum user_kind k)
{
	return k == USER_COUNSELOR ? 12 * HOUR_MS : 365 * DAY_MS;
}

/* Activity is written at most every 5 minutes (beneficiaries.md §1). */
#define TOUCH_EVERY_MS (5 * MINUTE_MS)

/* Counselors get a browser-session cookie; the app keeps its 42 days across restarts. */
static int
cookie_max_age(enum user_kind k)
{
	return k == USER_BENEFICIARY ? (int)(idle_ms(k) / 1000) : -1;
}

static bool
secure(struct req *r)
{
	return req_ctx(r)->cfg->secure_cookies;
}

int
session_load(struct req *r)
{
	const char *token = req_cookie(r, SESSION_COOKIE);
	char hash[TOKEN_HASHLEN + 1];
	struct user *u;
	int64_t created, seen, now = clock_now_ms();
	struct db *db;
	int rc;

	r->user = NULL;
	if (!token || strlen(token) != TOKEN_STRLEN)
		return 0;
	if (!(db = ctx_db(r)))
		return -ERR_DB;
	token_hash(token, hash);
	u = arena_alloc(r->a, sizeof(*u));
	rc = session_store_find(db, r->a, hash, u, &created, &seen);
	if (rc == -ERR_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (now - seen > idle_ms(u->kind) || now - created > absolute_ms(u->kind)) {
		session_store_delete(db, hash);
		return 0;
	}
	u->session_hash = arena_strdup(r->a, hash);
	if (now - seen > TOUCH_EVERY_MS) {
		session_store_touch(db, hash, now);
		if (u->kind == USER_BENEFICIARY) {
			session_store_beneficiary_activity(db, u->id, now);
			/* The app's cookie slides with the session (youth-app.md §1). */
			resp_cookie(r, SESSION_COOKIE, token, cookie_max_age(u->kind), secure(r));
		}
	}
	r->user = u;
	return 0;
}

int
session_open(struct req *r, enum user_kind kind, const char *user_id)
{
	char token[TOKEN_STRLEN + 1], hash[TOKEN_HASHLEN + 1], csrf[TOKEN_STRLEN + 1];
	struct db *db = ctx_db(r);
	int rc;

	if (!db)
		return -ERR_DB;
	/* Rotation: the pre-login session never survives the login. */
	if (r->user && r->user->session_hash)
		session_store_delete(db, r->user->session_hash);
	r->user = NULL;
	token_new(token);
	token_hash(token, hash);
	token_new(csrf);
	rc = session_store_insert(db, hash, kind, user_id, csrf, clock_now_ms());
	if (rc)
		return rc;
	resp_cookie(r, SESSION_COOKIE, token, cookie_max_age(kind), secure(r));
	return 0;
}

void
session_close(struct req *r)
{
	struct user *u = r->user;
	struct db *db = ctx_db(r);
	if (u && u->session_hash && db)
		session_store_delete(db, u->session_hash);
	if (u || req_cookie(r, SESSION_COOKIE))
		resp_cookie(r, SESSION_COOKIE, "", 0, secure(r));
	r->user = NULL;
}

const char *
csrf_token(struct req *r)
{
	struct user *u = r->user;
	if (u)
		return u->csrf;
	const char *c = req_cookie(r, CSRF_COOKIE);
	if (c && strlen(c) == TOKEN_STRLEN)
		return c;
	char fresh[TOKEN_STRLEN + 1];
	token_new(fresh);
	c = arena_strdup(r->a, fresh);
	/* Remember it for the rest of this request, so every form of the page agrees. */
	kv_add(r->a, &r->cookies, CSRF_COOKIE, c, strlen(c));
	resp_cookie(r, CSRF_COOKIE, c, -1, secure(r));
	return c;
}

/* "http://host:port" of a URL, or NULL. */
static const char *
origin_host(const char *origin)
{
	const char *p = strstr(origin, "://");
	return p ? p + 3 : NULL;
}

static bool
same_site(struct req *r)
{
	const char *site = req_header(r, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return false;
	const char *origin = req_header(r, "Origin");
	const char *host = req_header(r, "Host");
	if (origin && strcmp(origin, "null") != 0) {
		const char *oh = origin_host(origin);
		if (!oh || !host || strcmp(oh, host) != 0)
			return false;
	}
	return true;
}

bool
csrf_ok(struct req *r)
{
	const char *sent = req_form(r, CSRF_FIELD);
	const char *expected;

	if (!sent)
		sent = req_header(r, "X-CSRF-Token");
	if (r->user)
		expected = r->user->csrf;
	else
		expected = req_cookie(r, CSRF_COOKIE);
	if (!sent || !expected || strlen(sent) != strlen(expected))
		return false;
	if (sodium_memcmp(sent, expected, strlen(expected)) != 0)
		return false;
	if (!same_site(r)) {
		log_warn("csrf: requête d'une autre origine refusée (req=%" G_GUINT64_FORMAT ")", r->id);
		return false;
	}
	return true;
}

bool
csrf_headers_ok(struct req *r)
{
	if (req_header(r, "X-CSRF-Token") && !req_form(r, CSRF_FIELD))
		return csrf_ok(r);
	const char *expected = r->user ? r->user->csrf : req_cookie(r, CSRF_COOKIE);
	if (!expected || !*expected)
		return false;
	if (!same_site(r)) {
		log_warn("csrf: requête d'une autre origine refusée (req=%" G_GUINT64_FORMAT ")", r->id);
		return false;
	}
	return true;
}
