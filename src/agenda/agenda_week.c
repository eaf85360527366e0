/* agenda_week.c — the agenda's lines of the fiche's "Agenda" tab (beneficiaries.md §6):
 * the rendez-vous and animations collectives of a beneficiary in a week. */
#include "agenda/agenda_use.h"
#include "agenda/agenda_store.h"

#include "base/arena.h"
#include "core/feature.h"
#include "record/record.h"

int
agenda_week_items(struct db *db, struct arena *a, const struct record *rec, int64_t from,
		  int64_t to, bool events_only, struct week_item **out)
{
	(void)events_only;   /* every line of the agenda is an event */
	struct event *list;
	int n = agenda_store_week_of_beneficiary(db, a, rec->id, from, to, &list);
	if (n < 0)
		return n;
	struct week_item *items = arena_alloc(a, sizeof(*items) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		bool ac = agenda_is_collective(list[i].type);
		items[i] = (struct week_item){
			.at = list[i].starts_at,
			.timed = true,
			.kind = ac ? "Animation collective" : "Rendez-vous",
			.label = agenda_display_title(a, &list[i]),
			.href = arena_printf(a, "%s%s", ac ? AGENDA_AC_PATH : AGENDA_RDV_PATH,
					     list[i].id),
			.read_only = agenda_is_imilo(&list[i]),
			.event = true,
		};
	}
	*out = items;
	return n;
}
