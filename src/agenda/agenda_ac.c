/* agenda_ac.c — the reads behind the pages of animations collectives. */
#include "agenda/agenda_ac.h"
#include "agenda/agenda_store.h"

#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"

#define SEARCH_TOKENS 5

int
agenda_person(struct db *db, struct arena *a, const char *structure_id, const char *id,
	      struct agenda_person *out)
{
	if (!structure_id || !id_is_uuid(id))
		return -ERR_NOTFOUND;
	return agenda_store_person(db, a, structure_id, id, out);
}

int
agenda_structure_search(struct db *db, struct arena *a, const char *structure_id,
			const char *query, struct agenda_person **out)
{
	const char *tokens[SEARCH_TOKENS];
	int n = text_search_tokens(a, query, tokens, SEARCH_TOKENS);
	if (!structure_id)
		return 0;
	return agenda_store_structure_search(db, a, structure_id, tokens, n, AGENDA_SEARCH_MAX, out);
}

int
agenda_upcoming_ac(struct db *db, struct arena *a, const char *structure_id, int64_t now,
		   const char *beneficiary_id, struct agenda_ac_row **out)
{
	if (!structure_id)
		return 0;
	return agenda_store_upcoming_ac(db, a, structure_id, now, beneficiary_id,
					AGENDA_UPCOMING_MAX, out);
}
