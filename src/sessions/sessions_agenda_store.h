/* sessions_agenda_store.h — what the /agenda page's and Pilotage's session rows read from
 * cej's database (SQL only here): cej's flags on many sessions at once (migration 0032)
 * and the counselor's beneficiaries among the registrants. Reads, no transaction. The
 * counselor's i-milo login and the structure's code come from sessions_store.h. */
#ifndef CEJ_SESSIONS_AGENDA_STORE_H
#define CEJ_SESSIONS_AGENDA_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* cej's flags on a listed session; a session without a row is neither visible nor closed. */
struct listed_flags {
	const char *id;
	bool visible;
	int64_t closed_at;        /* 0: open */
};
/* The flags of the sessions whose ids are in the JSON array @ids_json. Count (into *@out,
 * in no order) or a negative err. */
int sessions_agenda_store_flags(struct db *db, struct arena *a, const char *ids_json,
				struct listed_flags **out);

/* The live beneficiaries of counselor @counselor_id whose i-milo dossier is in the JSON
 * array @dossiers_json. */
struct my_registrant {
	const char *dossier_id, *first_name, *last_name;
};
int sessions_agenda_store_mine(struct db *db, struct arena *a, const char *counselor_id,
			       const char *dossiers_json, struct my_registrant **out);

#endif
