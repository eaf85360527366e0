/* agenda_page.c — the pure rules of the /agenda page (agenda.md §3). */
#include "agenda/agenda_page.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/text.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

static void
period_from(int64_t first_day, int64_t today, const char *tz, struct agenda_period *p)
{
	p->first_day = first_day;
	p->last_day = first_day + AGENDA_PERIOD_DAYS - 1;
	p->today = today;
	/* Midnight to midnight in the zone, not 7 × 24 h: a DST change moves the end. */
	p->from = clock_day_at(first_day, 0, 0, tz);
	p->to = clock_day_at(first_day + AGENDA_PERIOD_DAYS, 0, 0, tz);
	p->current = first_day == today;
}

bool
agenda_period_of(int64_t now, const char *tz, const char *debut, struct agenda_period *p)
{
	int64_t today = clock_day_of(now, tz);
	int64_t day = debut ? clock_day_parse(debut) : CLOCK_NO_DAY;
	bool used = day != CLOCK_NO_DAY && llabs(day - today) <= AGENDA_PERIOD_REACH_DAYS;
	period_from(used ? day : today, today, tz, p);
	return used;
}

const char *
agenda_day_label(struct arena *a, int64_t day, int64_t today)
{
	if (day == today)
		return "Aujourd’hui";
	if (day == today + 1)
		return "Demain";
	/* The weekday names are ASCII: upper-casing the first byte is enough. */
	char *s = arena_printf(a, "%s %s", clock_day_weekday_fr(day), clock_day_month_fr(a, day));
	s[0] = (char)g_ascii_toupper(s[0]);
	return s;
}

struct agenda_slot
agenda_slot_of(int64_t t, const char *tz)
{
	int64_t day = clock_day_of(t, tz);
	return (struct agenda_slot){day, t >= clock_day_at(day, 12, 0, tz)};
}

void
agenda_slots_of(const struct agenda_period *p, const char *tz, struct agenda_slots *out)
{
	out->tz = tz;
	out->first_day = p->first_day;
	for (int i = 0; i <= AGENDA_PERIOD_DAYS; i++)
		out->midnight[i] = clock_day_at(p->first_day + i, 0, 0, tz);
	for (int i = 0; i < AGENDA_PERIOD_DAYS; i++)
		out->noon[i] = clock_day_at(p->first_day + i, 12, 0, tz);
}

struct agenda_slot
agenda_slots_find(const struct agenda_slots *s, int64_t t)
{
	if (t < s->midnight[0] || t >= s->midnight[AGENDA_PERIOD_DAYS])
		return agenda_slot_of(t, s->tz);
	int i = 0;
	while (t >= s->midnight[i + 1])
		i++;
	return (struct agenda_slot){s->first_day + i, t >= s->noon[i]};
}

const char *
agenda_half_label(bool afternoon)
{
	return afternoon ? "Après-midi" : "Matin";
}

static int
item_cmp(const void *x, const void *y)
{
	const struct agenda_item *a = x, *b = y;
	if (a->starts_at != b->starts_at)
		return a->starts_at < b->starts_at ? -1 : 1;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	return strcmp(a->id, b->id);
}

void
agenda_items_sort(struct agenda_item *items, int n)
{
	if (n > 1)
		qsort(items, (size_t)n, sizeof(*items), item_cmp);
}

void
agenda_item_of_row(const struct agenda_row *row, struct agenda_item *out)
{
	*out = (struct agenda_item){
		.source = AGENDA_SOURCE_FEATURE, .id = row->id, .collective = true,
		.title = row->title, .type_label = row->type_label, .starts_at = row->starts_at,
		.duration_min = row->duration_min, .participants = row->participants,
		.max_participants = row->capacity, .visible = row->visible, .href = row->href,
		.beneficiary = row->beneficiary, .visibility_action = row->visibility_action,
		.status = (enum ac_status)row->status, .full = row->full,
	};
}

const char *
agenda_item_href(struct arena *a, const struct agenda_item *it)
{
	if (it->href)
		return it->href;
	/* Two copies, not printf's two passes: a hundred links on the Mission Locale tab. */
	const char *base = it->collective ? "/agenda/animations-collectives/" : "/agenda/rendez-vous/";
	size_t nb = strlen(base), ni = strlen(it->id);
	char *s = arena_alloc(a, nb + ni + 1);
	memcpy(s, base, nb);
	memcpy(s + nb, it->id, ni + 1);
	return s;
}

const char *
agenda_item_beneficiary(struct arena *a, const struct agenda_item *it)
{
	if (it->source == AGENDA_SOURCE_FEATURE)
		return it->beneficiary;
	if (it->participants > 1)
		return "Bénéficiaires multiples";
	if (it->participants == 1 && it->last_name && it->first_name)
		return arena_printf(a, "%s %s", text_upper(a, it->last_name), it->first_name);
	return NULL;
}

enum ac_status
agenda_item_status(const struct agenda_item *it, int64_t now)
{
	if (it->source == AGENDA_SOURCE_FEATURE)
		return it->status;
	struct event e = {.starts_at = it->starts_at, .closed_at = it->closed_at};
	return agenda_ac_status(&e, now);
}

const char *
agenda_registrants_fr(struct arena *a, int registrants, int max)
{
	const char *word = registrants > 1 ? "inscrits" : "inscrit";
	if (max > 0)
		return arena_printf(a, "%d %s / %d", registrants, word, max);
	return arena_printf(a, "%d %s", registrants, word);
}

bool
agenda_full(int registrants, int max)
{
	return max > 0 && registrants >= max;
}

static const char *const status_codes[] = {
	[AC_UPCOMING] = "a-venir", [AC_TO_CLOSE] = "a-clore", [AC_CLOSED] = "close",
};

const char *
agenda_status_code(enum ac_status s)
{
	return status_codes[s];
}

int
agenda_status_parse(const char *code)
{
	for (int i = 0; code && i < (int)G_N_ELEMENTS(status_codes); i++)
		if (!strcmp(code, status_codes[i]))
			return i;
	return -1;
}

bool
agenda_item_matches(struct arena *a, const struct agenda_item *it, const char *const *tokens,
		    int n, unsigned statuses, int64_t now)
{
	if (statuses && !(statuses & AGENDA_STATUS_BIT(agenda_item_status(it, now))))
		return false;
	if (n == 0)
		return true;
	const char *hay = text_fold(a, arena_printf(a, "%s %s", it->title, it->type_label));
	for (int i = 0; i < n; i++)
		if (!strstr(hay, tokens[i]))
			return false;
	return true;
}
