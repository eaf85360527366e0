/* agenda_ac.h — what the pages of animations collectives (AC) read beside the event's use
 * cases (agenda_use.h): the beneficiaries of the counselor's structure the form's picker
 * may offer, and the upcoming AC of the structure that "Inscrire à une animation
 * collective" lists (agenda.md §1, §2, §4). Reads only: the writes are agenda_create and
 * agenda_edit, whose rules (structure, maximum) every path goes through. */
#ifndef CEJ_AGENDA_AC_H
#define CEJ_AGENDA_AC_H

#include "agenda/agenda.h"

#include <stdint.h>

struct arena;
struct db;

#define AGENDA_SEARCH_MAX 50        /* a picker's search shows this many at most */
#define AGENDA_UPCOMING_MAX 200     /* the enrolment list: the structure's next AC */

/* Live beneficiary @id of @structure_id (the caller's) into @out. 0, -ERR_NOTFOUND for any
 * other (unknown, gone, of another structure, malformed), or -ERR_DB. */
int agenda_person(struct db *db, struct arena *a, const char *structure_id, const char *id,
		  struct agenda_person *out);

/* The first AGENDA_SEARCH_MAX live beneficiaries of @structure_id matching every token of
 * @query (text_search_tokens: the name-search rule), by name. Count or a negative err. */
int agenda_structure_search(struct db *db, struct arena *a, const char *structure_id,
			    const char *query, struct agenda_person **out);

/* The open AC of @structure_id still to come at @now (§4 "À venir"), soonest first, with
 * their registrants and whether @beneficiary_id is one of them. Count or a negative err. */
int agenda_upcoming_ac(struct db *db, struct arena *a, const char *structure_id, int64_t now,
		       const char *beneficiary_id, struct agenda_ac_row **out);

#endif
