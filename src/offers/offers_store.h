/* offers_store.h — the SQL of the offer catalogue (tables offer and job_event, migration
 * 0034), the same on SQLite and PostgreSQL. */
#ifndef CEJ_OFFERS_STORE_H
#define CEJ_OFFERS_STORE_H

#include "offers/offers.h"

#include <stdint.h>

struct arena;
struct db;
struct offers_text;

/* Stores @o by (provider, provider_id): a new one with first_seen_at = last_seen_at =
 * @now; a known one gets every content column of @o, last_seen_at = @now and @o->active
 * (1 again after an absence, 0 when the provider says deleted), its first_seen_at kept.
 * In the same transaction the offer is indexed for the search (docs/offers.md
 * "Recherche"): its terms — @t's analysis of title ×4, appellation and ROME label ×3,
 * company and description ×1 — replace those it had in offer_term, with the offer's
 * position (or its commune's centre: import the communes first), its weighted length
 * goes to offer.term_len and the collection's statistics (offer_search_stat) follow.
 * Inactive offers stay indexed (the search filters on active). @t is the process's one
 * analyser (offers_text_embedded(), made by the entry point: `cej offers`, the server;
 * never by a store). 1 when inserted, 0 when updated, -ERR_CONFLICT when the public id is
 * another provider's offer (nothing written), or -ERR_DB. Run inside the caller's write
 * transaction. */
int offers_store_upsert(struct db *db, struct offers_text *t, const struct offer *o, int64_t now);
/* Terms longer than this (bytes) are not indexed: no French word is, and PostgreSQL
 * refuses index keys of a few kilobytes. A query term that long matches nothing. */
#define OFFERS_TERM_MAX 64
/* The offer of public id @id, active or not, into @out (arena strings). 0,
 * -ERR_NOTFOUND or -ERR_DB. */
int offers_store_get(struct db *db, struct arena *a, const char *id, struct offer *out);

/* The same two for an event of Mes Événements Emploi. */
int offers_store_upsert_event(struct db *db, const struct job_event *e, int64_t now);
int offers_store_get_event(struct db *db, struct arena *a, const char *id, struct job_event *out);

#endif
