/* agenda_page_store.h — the SQL of the /agenda page (agenda.md §3): cej's events of one
 * period, read through the indexes of migration 0024 (a period is a range on starts_at).
 * Private to agenda/. Rows are struct agenda_item of AGENDA_SOURCE_CEJ, in @a, sorted by
 * start; strings in @a. */
#ifndef CEJ_AGENDA_PAGE_STORE_H
#define CEJ_AGENDA_PAGE_STORE_H

#include "agenda/agenda_page.h"

#include <stdint.h>

struct arena;
struct db;

/* "Mon agenda": the events starting in [@from, @to) that @counselor_id created or in which
 * a live beneficiary of their portfolio takes part. Count or a negative err. */
int agenda_page_store_mine(struct db *db, struct arena *a, const char *counselor_id,
			   int64_t from, int64_t to, struct agenda_item **out);

/* "Agenda Mission Locale": the AC of @structure_id starting in [@from, @to); `mine` is
 * whether @counselor_id created each. Count or a negative err. */
int agenda_page_store_structure(struct db *db, struct arena *a, const char *structure_id,
				const char *counselor_id, int64_t from, int64_t to,
				struct agenda_item **out);

/* ---- The demo week (agenda_seed.c) ---- */

struct agenda_demo_counselor {
	const char *id, *first_name, *last_name, *structure_id, *timezone;
};
/* Every counselor with their structure's zone, by e-mail. Count or a negative err. */
int agenda_page_store_counselors(struct db *db, struct arena *a, struct agenda_demo_counselor **out);
/* How many events @counselor_id created. Count or a negative err. */
int agenda_page_store_created(struct db *db, const char *counselor_id);

#endif
