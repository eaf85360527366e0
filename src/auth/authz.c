/* authz.c — access decisions, pure functions of the caller and the object. */
#include "auth/authz.h"

#include "auth/session.h"

#include <string.h>

enum authz_verdict
authz_route(const struct user *u, enum access access)
{
	switch (access) {
	case ACCESS_PUBLIC:
		return AUTHZ_ALLOW;
	case ACCESS_COUNSELOR:
		if (!u)
			return AUTHZ_LOGIN;
		return u->kind == USER_COUNSELOR ? AUTHZ_ALLOW : AUTHZ_DENY;
	case ACCESS_BENEFICIARY:
		if (!u)
			return AUTHZ_LOGIN;
		return u->kind == USER_BENEFICIARY ? AUTHZ_ALLOW : AUTHZ_DENY;
	}
	return AUTHZ_DENY;
}

bool
authz_counselor_writes(const struct user *u, const char *counselor_id)
{
	return u && u->kind == USER_COUNSELOR && counselor_id && strcmp(u->id, counselor_id) == 0;
}
