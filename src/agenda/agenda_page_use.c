/* agenda_page_use.c — the /agenda page's listings, one source at a time. */
#include "agenda/agenda_page_use.h"

#include "agenda/agenda_page_store.h"
#include "core/ctx.h"

int
agenda_page_mine(struct db *db, struct arena *a, const struct user *u,
		 const struct agenda_period *p, struct agenda_item **out)
{
	int n = agenda_page_store_mine(db, a, u->id, p->from, p->to, out);
	/* The i-milo sources append here, then the whole list is sorted again. */
	if (n > 0)
		agenda_items_sort(*out, n);
	return n;
}

int
agenda_page_structure(struct db *db, struct arena *a, const struct user *u,
		      const struct agenda_period *p, struct agenda_item **out)
{
	*out = NULL;
	if (!u->structure_id)
		return 0;
	int n = agenda_page_store_structure(db, a, u->structure_id, u->id, p->from, p->to, out);
	if (n > 0)
		agenda_items_sort(*out, n);
	return n;
}
