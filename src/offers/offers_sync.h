/* offers_sync.h — the catalogue fed by the providers' HTTP APIs (offers.md §8.2–§8.3,
 * docs/offers.md "Synchronisation"): one run of one provider, full or incremental.
 *
 * A run reads EVERYTHING first — every page, every window, outside any transaction — and
 * only then writes, through the same envelopes, adapters and store as `cej offers import`
 * (offers_import_records(): one transaction, each offer indexed for the search). So a
 * provider failing at any page (an HTTP error, a timeout, a page that is not its JSON
 * envelope, 429 more than OFFERS_SYNC_429_TRIES times in a row) leaves the catalogue as it
 * was: the run is recorded with its error and the next slot tries again. A run that wrote
 * reconciles in a second transaction (offers_sync_store_reconcile()). */
#ifndef CEJ_OFFERS_SYNC_H
#define CEJ_OFFERS_SYNC_H

#include "offers/offers.h"
#include "offers/offers_sync_store.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct config;
struct db;
struct offers_text;

/* What the sync needs of the configuration (docs/configuration.md); borrowed strings. */
struct offers_sync_settings {
	const char *ft_client_id, *ft_client_secret, *ft_token_url, *ft_api_url;
	const char *engagement_key, *engagement_url, *engagement_publisher;
	const char *immersion_key, *immersion_url, *immersion_sweep;
	const char *mee_url;
	int timeout_ms;
	int rate_per_s;        /* 0: no limit */
	int pause_429_ms;
};

#define OFFERS_SYNC_429_TRIES 5
/* France Travail: at most 150 offers a page, a first index of at most 1000 (docs). */
#define OFFERS_FT_PAGE 150
#define OFFERS_FT_LAST_START 900
/* An incremental run starts this long before the last successful one began. */
#define OFFERS_SYNC_OVERLAP_MS (10 * 60 * 1000LL)
/* An incremental run with no successful run before reads the last day. */
#define OFFERS_SYNC_FIRST_WINDOW_MS (24 * 3600 * 1000LL)
/* A full France Travail run reads the offers created in the last year. */
#define OFFERS_FT_FULL_WINDOW_MS (366 * 24 * 3600 * 1000LL)
/* Inactive offers and events are deleted this long after they became inactive. */
#define OFFERS_INACTIVE_KEEP_MS (30 * 24 * 3600 * 1000LL)

void offers_sync_settings_of(const struct config *cfg, struct offers_sync_settings *s);
/* Whether @p's credentials (and, for Immersion, its sweep) are set. */
bool offers_sync_configured(const struct offers_sync_settings *s, enum offer_provider p);

/* One run of provider @p at @now (its started_at, the last_seen_at of what it stores),
 * @full or incremental (France Travail and API Engagement; the others always read
 * everything and count as full), recorded in offer_sync_run with its counts or its error;
 * *@out (strings in @a) is that record. 0 when the run succeeded, -ERR_UNAVAILABLE when
 * the provider failed (nothing written but the run's record), -ERR_DB. */
int offers_sync_run(struct db *db, struct offers_text *t, const struct offers_sync_settings *s,
		    enum offer_provider p, bool full, int64_t now, struct arena *a,
		    struct offers_sync_run *out);

#endif
