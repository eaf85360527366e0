/* authz.h — who may do what: the one place where access is decided (DESIGN §8).
 *
 * Each route declares an access level; authz_route() decides whether the caller may reach
 * it at all. Rules that depend on the object (this beneficiary, this portfolio) are
 * functions of the caller and the object, next to them, so that a test can walk every
 * route with every role. */
#ifndef CEJ_AUTHZ_H
#define CEJ_AUTHZ_H

#include <stdbool.h>

struct user;

enum access {
	ACCESS_PUBLIC = 0,       /* anyone, logged in or not */
	ACCESS_COUNSELOR,        /* a logged-in counselor */
	ACCESS_BENEFICIARY,      /* a logged-in beneficiary */
};

enum authz_verdict {
	AUTHZ_ALLOW,
	AUTHZ_LOGIN,             /* anonymous: send to the matching login page */
	AUTHZ_DENY,              /* logged in with another role: 403 */
};

/* May @u (NULL = anonymous) reach a route of level @access? Pure. */
enum authz_verdict authz_route(const struct user *u, enum access access);

/* May counselor @u write on a beneficiary whose referent is @counselor_id? Only the
 * referent writes (beneficiaries.md §2). Pure. */
bool authz_counselor_writes(const struct user *u, const char *counselor_id);

#endif
