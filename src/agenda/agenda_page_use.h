/* agenda_page_use.h — the two listings of the /agenda page (agenda.md §3), merged from
 * their sources: cej's events (agenda_page_store: RDV, AC, and the i-milo rendez-vous the
 * feed copied), then the rows other features give through their agenda_rows hook (the
 * i-milo sessions, read live), merged by agenda_items_sort. Reads only: no transaction.
 *
 * A failing feature source (i-milo down) does not fail the page: its rows are missing,
 * *@partial is set, and the page says so ("Les sessions i-milo n'ont pas pu être
 * récupérées…"). */
#ifndef CEJ_AGENDA_PAGE_USE_H
#define CEJ_AGENDA_PAGE_USE_H

#include "agenda/agenda_page.h"

#include <stdint.h>

struct arena;
struct ctx;
struct db;
struct user;

/* "Mon agenda" of counselor @u over @p at @now: sorted rows in @a. Count or a negative err. */
int agenda_page_mine(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		     const struct agenda_period *p, int64_t now, struct agenda_item **out,
		     bool *partial);

/* "Agenda Mission Locale" of @u's structure over @p (none without a structure: 0 rows).
 * Count or a negative err. */
int agenda_page_structure(const struct ctx *app, struct db *db, struct arena *a,
			  const struct user *u, const struct agenda_period *p, int64_t now,
			  struct agenda_item **out, bool *partial);

/* The demo week (`cej seed --demo`, core/feature.h .seed), inside the seed's transaction:
 * for each counselor who created no event yet, rendez-vous this week with beneficiaries
 * of their portfolio; for each structure, animations collectives with registrants (one
 * full, one past and still to close). 0 or a negative err. */
int agenda_seed_demo(struct db *db, int64_t now);

#endif
