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

enum authz_level
authz_beneficiary(const struct user *u, const char *referent_id, const char *structure_id)
{
	if (!u || u->kind != USER_COUNSELOR)
		return AUTHZ_NONE;
	if (referent_id && strcmp(u->id, referent_id) == 0)
		return AUTHZ_WRITE;
	if (structure_id && u->structure_id && strcmp(u->structure_id, structure_id) == 0)
		return AUTHZ_READ;
	return AUTHZ_NONE;
}

bool
authz_own_record(const struct user *u, const char *beneficiary_id)
{
	return u && u->kind == USER_BENEFICIARY && beneficiary_id &&
	       strcmp(u->id, beneficiary_id) == 0;
}

enum authz_level
authz_event(const struct user *u, bool collective, const char *creator_id,
	    const char *structure_id, bool follows_participant)
{
	if (!u || u->kind != USER_COUNSELOR)
		return AUTHZ_NONE;
	bool colleague = structure_id && u->structure_id && !strcmp(u->structure_id, structure_id);
	if (collective)
		return colleague ? AUTHZ_WRITE : AUTHZ_NONE;
	if ((creator_id && !strcmp(u->id, creator_id)) || follows_participant)
		return AUTHZ_WRITE;
	return colleague ? AUTHZ_READ : AUTHZ_NONE;
}

enum authz_level
authz_event_imilo(const struct user *u, const char *structure_id, bool follows_participant)
{
	enum authz_level l = authz_event(u, false, NULL, structure_id, follows_participant);
	return l == AUTHZ_NONE ? AUTHZ_NONE : AUTHZ_READ;
}

bool
authz_support(const struct user *u)
{
	return u && u->kind == USER_COUNSELOR && u->is_supervisor;
}

bool
authz_event_beneficiary(const struct user *u, const char *structure_id, bool takes_part,
			bool offered)
{
	if (!u || u->kind != USER_BENEFICIARY)
		return false;
	if (takes_part)
		return true;
	return offered && structure_id && u->structure_id && !strcmp(u->structure_id, structure_id);
}
