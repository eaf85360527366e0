/* feed_store.h — the SQL of the event feed: the events received (imilo_feed_event,
 * migration 0033) and the beneficiary an event names. Private to feed/. Writes join the
 * caller's transaction. */
#ifndef CEJ_FEED_STORE_H
#define CEJ_FEED_STORE_H

#include "imilo/imilo_sessions.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* Remembers event @e received at @now in @state ("pending", or "done" for a duplicate of
 * its batch), with the live account of its dossier if any. 1 when it is new, 0 when it was received before (whatever became of it),
 * or -ERR_DB. */
int feed_store_receive(struct db *db, int64_t now, const struct imilo_event *e,
		       const char *state);
/* The state of event @id into *@state (static string); -ERR_NOTFOUND when unknown. */
int feed_store_state(struct db *db, const char *id, const char **state);
/* Event @id is finished at @now: @state "done" or "dead". */
int feed_store_finish(struct db *db, const char *id, const char *state, int64_t now);
/* Forgets the events finished before @before. Count or -ERR_DB. */
int feed_store_forget(struct db *db, int64_t before);

/* The live account of i-milo dossier @dossier_id, as the feed needs it. */
struct feed_beneficiary {
	const char *id, *structure_id, *timezone;
	bool activated;           /* logged in at least once (activated_at set) */
};
/* 0, -ERR_NOTFOUND (no live account for that dossier) or -ERR_DB. */
int feed_store_beneficiary(struct db *db, struct arena *a, const char *dossier_id,
			   struct feed_beneficiary *out);
/* Forgets the events of beneficiary @beneficiary_id and of their dossier (their purge). */
int feed_store_forget_beneficiary(struct db *db, const char *beneficiary_id);

#endif
