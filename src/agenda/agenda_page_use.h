/* agenda_page_use.h — the two listings of the /agenda page (agenda.md §3), merged from
 * their sources. Today one source, cej's events (agenda_page_store); i-milo rendez-vous
 * (§2.3) and sessions (§5) come with the next issue as further sources read here and
 * merged by agenda_items_sort — the page and its template do not change. Reads only: no
 * transaction (a GET reads one snapshot, docs/architecture.md). */
#ifndef CEJ_AGENDA_PAGE_USE_H
#define CEJ_AGENDA_PAGE_USE_H

#include "agenda/agenda_page.h"

#include <stdint.h>

struct arena;
struct db;
struct user;

/* "Mon agenda" of counselor @u over @p: sorted rows in @a. Count or a negative err. */
int agenda_page_mine(struct db *db, struct arena *a, const struct user *u,
		     const struct agenda_period *p, struct agenda_item **out);

/* "Agenda Mission Locale" of @u's structure over @p (none without a structure: 0 rows).
 * Count or a negative err. */
int agenda_page_structure(struct db *db, struct arena *a, const struct user *u,
			  const struct agenda_period *p, struct agenda_item **out);

/* The demo week (`cej seed --demo`, core/feature.h .seed), inside the seed's transaction:
 * for each counselor who created no event yet, rendez-vous this week with beneficiaries
 * of their portfolio; for each structure, animations collectives with registrants (one
 * full, one past and still to close). 0 or a negative err. */
int agenda_seed_demo(struct db *db, int64_t now);

#endif
