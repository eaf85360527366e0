/* agenda_close_store.h — the SQL of closing AC (migration 0024's closed_at and present,
 * 0026's index of the open AC). Private to agenda/. Writes run inside the caller's
 * transaction; strings read are in the given arena. */
#ifndef CEJ_AGENDA_CLOSE_STORE_H
#define CEJ_AGENDA_CLOSE_STORE_H

#include "agenda/agenda_close.h"

#include <stdint.h>

struct arena;
struct db;

/* Sets present to 1 or 0 for registrant @beneficiary_id of @event_id. */
int agenda_close_store_presence(struct db *db, const char *event_id, const char *beneficiary_id,
				bool present);
/* closed_at = updated_at = @now on @event_id if still open. 1 when closed here, 0 when it
 * was already, or a negative err. */
int agenda_close_store_close(struct db *db, const char *event_id, int64_t now);
/* Closes the open AC started at or before @now with no registrant. Count or -ERR_DB. */
int agenda_close_store_close_empty(struct db *db, int64_t now);
int agenda_close_store_count(struct db *db, const char *structure_id, int64_t now);
int agenda_close_store_list(struct db *db, struct arena *a, const char *structure_id,
			    int64_t now, int offset, int limit, struct agenda_to_close **out);

#endif
