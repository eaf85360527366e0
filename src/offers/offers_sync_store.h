/* offers_sync_store.h — the SQL of the providers' sync (migration 0039, docs/offers.md
 * "Synchronisation"): the runs kept for the support page, the reconciliation of a run
 * with the catalogue, and the deletion of offers inactive for 30 days. The same on SQLite
 * and PostgreSQL; every write runs inside the caller's transaction. */
#ifndef CEJ_OFFERS_SYNC_STORE_H
#define CEJ_OFFERS_SYNC_STORE_H

#include "offers/offers.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* One run of a provider's sync (table offer_sync_run). */
struct offers_sync_run {
	const char *id;
	const char *provider;          /* offer_provider_name() */
	bool full;
	int64_t started_at, finished_at;   /* finished_at 0: under way, or its process died */
	int inserted, updated, deactivated, rejected;
	const char *error;             /* NULL: it succeeded */
};

/* Records the start of run @r (id, provider, full, started_at). 0 or -ERR_DB. */
int offers_sync_store_start(struct db *db, const struct offers_sync_run *r);
/* Records the end of run @r: finished_at, its counts and its error. 0 or -ERR_DB. */
int offers_sync_store_finish(struct db *db, const struct offers_sync_run *r);
/* The start of @provider's last successful run into *@at: 0, -ERR_NOTFOUND or -ERR_DB. */
int offers_sync_store_last_success(struct db *db, const char *provider, int64_t *at);
/* @provider's last run into *@last and its last failed run into *@failed (strings in @a):
 * a bit per one found (1: last, 2: failed), or -ERR_DB. */
int offers_sync_store_latest(struct db *db, struct arena *a, const char *provider,
			     struct offers_sync_run *last, struct offers_sync_run *failed);

/* After a run of @provider that stored what it read with last_seen_at = @run_at (the
 * events' table when @events, else the offers'): what it listed is no longer missing
 * (missed_full_runs back to 0); a @full run counts one more miss for every other active
 * row of the provider and makes inactive those missed by 2 consecutive full runs. Every
 * row of the provider that is inactive (missed, or deleted by the provider) without an
 * inactive_since gets @run_at, and a row active again loses it. The number of rows made
 * inactive by this run, or -ERR_DB. */
int offers_sync_store_reconcile(struct db *db, bool events, const char *provider, bool full,
				int64_t run_at);

/* Deletes the offers and events inactive since before @before, the offers' postings
 * (offer_term) and their share of the search statistics (offer_search_stat) with them.
 * The number of rows deleted, or -ERR_DB. */
int offers_sync_store_purge_inactive(struct db *db, int64_t before);

#endif
