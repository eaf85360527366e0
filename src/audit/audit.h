/* audit.h — the audit log of sensitive actions (DESIGN §8): account creation, deletion,
 * reassignment, qualification, reading outside one's portfolio. Rows are written in the
 * caller's transaction, so an action and its trace commit together. */
#ifndef CEJ_AUDIT_H
#define CEJ_AUDIT_H

#include <stdint.h>

struct db;

/* 0 or -ERR_DB. @detail may be NULL. */
int audit_record(struct db *db, int64_t now, const char *actor_kind, const char *actor_id,
		 const char *action, const char *target_id, const char *detail);

#endif
