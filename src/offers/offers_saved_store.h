/* offers_saved_store.h — the SQL of saved searches, suggestions and alerts (table
 * offer_saved_search, migration 0038; offers_saved.h, offers_alerts.h). */
#ifndef CEJ_OFFERS_SAVED_STORE_H
#define CEJ_OFFERS_SAVED_STORE_H

#include "offers/offers.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* A row as the store reads it. Strings arena-owned. */
struct saved_row {
	const char *id, *beneficiary_id, *name, *type, *criteria, *source, *status;
	int64_t created_at, last_searched_at, last_alert_run_at;
};

struct saved_insert {
	const char *id, *beneficiary_id, *name, *type, *criteria, *source, *suggested_by,
		*status;
	int64_t created_at;
};

int offers_saved_store_insert(struct db *db, const struct saved_insert *s);
/* Saved searches (status accepted) of @beneficiary_id. Count or -ERR_DB. */
int offers_saved_store_count(struct db *db, const char *beneficiary_id);
/* The rows of @beneficiary_id in @status, newest first, at most @limit (0: all). */
int offers_saved_store_list(struct db *db, struct arena *a, const char *beneficiary_id,
			    const char *status, int limit, struct saved_row **out);
/* Row @id of @beneficiary_id in @status; -ERR_NOTFOUND when none. */
int offers_saved_store_get(struct db *db, struct arena *a, const char *beneficiary_id,
			   const char *id, const char *status, struct saved_row *out);
int offers_saved_store_touch(struct db *db, const char *id, int64_t now);
/* Row @id of @beneficiary_id in @status: deleted / set to @to. 1 when one changed, 0 when
 * none, or -ERR_DB. */
int offers_saved_store_delete(struct db *db, const char *beneficiary_id, const char *id);
int offers_saved_store_set_status(struct db *db, const char *beneficiary_id, const char *id,
				  const char *from, const char *to);
/* Whether @beneficiary_id is a live beneficiary of @counselor_id's portfolio: 1, 0, -ERR_DB. */
int offers_saved_store_in_portfolio(struct db *db, const char *counselor_id,
				    const char *beneficiary_id);

/* The beneficiaries of @counselor_id's portfolio, by name: ids and "NOM Prénom" labels.
 * Count (arena arrays) or -ERR_DB. */
int offers_saved_store_portfolio(struct db *db, struct arena *a, const char *counselor_id,
				 const char ***ids, const char ***names);

int offers_saved_store_purge_unused(struct db *db, int64_t before);
int offers_saved_store_purge_beneficiary(struct db *db, const char *beneficiary_id);

/* ---- Alerts ---------------------------------------------------------------------------- */

/* The saved searches of @type not yet alerted on Paris day @day (last_alert_day), after
 * @after_id (keyset: "" for the first batch), by id, at most @limit. Count or -ERR_DB. */
int offers_saved_store_due(struct db *db, struct arena *a, const char *type, const char *day,
			   const char *after_id, int limit, struct saved_row **out);
/* The latest first_seen_at of the active offers of @type (0 when none), or -ERR_DB. */
int64_t offers_saved_store_newest_offer(struct db *db, const char *type);
/* A run's outcome for search @id: SUCCES sets last_alert_run_at = @run_start and
 * last_alert_day = @day; ECHEC only the state. */
int offers_saved_store_alerted(struct db *db, const char *id, bool ok, int64_t run_start,
			       const char *day);

#endif
