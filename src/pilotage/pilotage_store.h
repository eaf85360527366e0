/* pilotage_store.h — the SQL of the Pilotage page that belongs to no other feature: the
 * portfolio's beneficiaries flagged "à archiver" (beneficiaries.md §11, the nightly
 * i-milo re-read). The actions to qualify come from actions_store.h. */
#ifndef CEJ_PILOTAGE_STORE_H
#define CEJ_PILOTAGE_STORE_H

#include <stdint.h>

struct arena;
struct db;

struct pilotage_archive_row {
	const char *id, *first_name, *last_name;
	const char *cej_end_date;       /* YYYY-MM-DD or NULL */
	const char *timezone;           /* of the beneficiary's structure */
	int64_t last_activity_at;       /* 0: never logged in */
};

/* How many live beneficiaries of @counselor_id are flagged to archive. Count or -ERR_DB. */
int pilotage_store_to_archive_count(struct db *db, const char *counselor_id);
/* One page of them, by name (arena array in *@out). Count on the page or -ERR_DB. */
int pilotage_store_to_archive(struct db *db, struct arena *ar, const char *counselor_id,
			      int offset, int limit, struct pilotage_archive_row **out);

#endif
