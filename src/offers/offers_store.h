/* offers_store.h — the SQL of the offer catalogue (tables offer and job_event, migration
 * 0034), the same on SQLite and PostgreSQL. */
#ifndef CEJ_OFFERS_STORE_H
#define CEJ_OFFERS_STORE_H

#include "offers/offers.h"

#include <stdint.h>

struct arena;
struct db;

/* Stores @o by (provider, provider_id): a new one with first_seen_at = last_seen_at =
 * @now; a known one gets every content column of @o, last_seen_at = @now and @o->active
 * (1 again after an absence, 0 when the provider says deleted), its first_seen_at kept.
 * 1 when inserted, 0 when updated, -ERR_CONFLICT when the public id is another provider's
 * offer (nothing written), or -ERR_DB. Run inside the caller's write transaction. */
int offers_store_upsert(struct db *db, const struct offer *o, int64_t now);
/* The offer of public id @id, active or not, into @out (arena strings). 0,
 * -ERR_NOTFOUND or -ERR_DB. */
int offers_store_get(struct db *db, struct arena *a, const char *id, struct offer *out);

/* The same two for an event of Mes Événements Emploi. */
int offers_store_upsert_event(struct db *db, const struct job_event *e, int64_t now);
int offers_store_get_event(struct db *db, struct arena *a, const char *id, struct job_event *out);

#endif
