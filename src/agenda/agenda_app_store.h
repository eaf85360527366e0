/* agenda_app_store.h — the SQL of the beneficiary's side of the agenda (agenda.md §7): the
 * events a beneficiary takes part in, the animations collectives his Mission Locale offers,
 * and who follows him. Private to agenda/; reads only, in the caller's snapshot. Strings
 * read are in the given arena. */
#ifndef CEJ_AGENDA_APP_STORE_H
#define CEJ_AGENDA_APP_STORE_H

#include "agenda/agenda.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* The events (RDV and AC) live beneficiary @beneficiary_id takes part in, ending at or
 * after @from and starting before @to, soonest first, at most @limit. Count or a negative
 * err; *@out is an arena array. */
int agenda_app_store_mine(struct db *db, struct arena *a, const char *beneficiary_id,
			  int64_t from, int64_t to, int limit, struct event **out);

/* The open animations collectives of structure @structure_id starting after @from and
 * before @to, soonest first, at most @limit, with in (*@registered)[i] whether
 * @beneficiary_id is registered. Count or a negative err; arena arrays. */
int agenda_app_store_structure(struct db *db, struct arena *a, const char *structure_id,
			       const char *beneficiary_id, int64_t from, int64_t to, int limit,
			       struct event **out, bool **registered);

/* 1 when live beneficiary @beneficiary_id takes part in event @event_id, 0 when not, or a
 * negative err. */
int agenda_app_store_takes_part(struct db *db, const char *event_id, const char *beneficiary_id);

/* The referent counselor of live beneficiary @beneficiary_id (arena). 0, -ERR_NOTFOUND or
 * -ERR_DB. */
int agenda_app_store_referent(struct db *db, struct arena *a, const char *beneficiary_id,
			      const char **counselor_id);

#endif
