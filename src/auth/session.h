/* session.h — who is calling: web sessions (DESIGN §8) and CSRF tokens.
 *
 * The cookie "cej_session" holds 32 random bytes; the database keeps only their SHA-256.
 * Sessions are rotated at login, expire when idle and at an absolute age (counselors 4 h
 * idle / 12 h; beneficiaries 42 days sliding, youth-app.md §1). Each session has its own
 * CSRF token; anonymous visitors get one in the "cej_csrf" cookie (double submit), so the
 * login and activation forms are protected too. */
#ifndef CEJ_SESSION_H
#define CEJ_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

struct db;
struct req;

#define SESSION_COOKIE "cej_session"
#define CSRF_COOKIE "cej_csrf"
#define CSRF_FIELD "_csrf"

/* Loads r->user from the session cookie (NULL when absent, unknown, expired, or the
 * account is no longer live) and refreshes its idle time. 0 or -ERR_DB. */
int session_load(struct req *r);
/* Opens a new session for (@kind, @user_id), replacing the caller's current one, and sets
 * the cookie. 0 or -ERR_DB. */
int session_open(struct req *r, enum user_kind kind, const char *user_id);
/* Ends the caller's session and clears the cookie. */
void session_close(struct req *r);

/* The sessions' part of an account's deletion and archive: every session of beneficiary
 * @beneficiary_id is revoked (youth-app.md §2: the next request lands on the welcome
 * screen). In the caller's transaction. 0 or -ERR_DB. */
int session_purge_beneficiary(struct db *db, const char *beneficiary_id);

/* The CSRF token to embed in forms: the session's, or the anonymous cookie's (set on the
 * response when missing). Arena-owned. */
const char *csrf_token(struct req *r);
/* True when the request carries the right token (form field _csrf or X-CSRF-Token
 * header) and does not come from another site (Sec-Fetch-Site / Origin). */
bool csrf_ok(struct req *r);
/* What the headers alone tell, before the body is read (http_hooks.admit): a token sent in
 * X-CSRF-Token is checked in full, as csrf_ok does; a token left for the body (a form
 * post) is checked by csrf_ok once the body is in, and here only the Sec-Fetch-Site /
 * Origin checks and the presence of an expected token (session, or cej_csrf cookie) are
 * made. False means csrf_ok would fail whatever the body holds. */
bool csrf_headers_ok(struct req *r);

#endif
