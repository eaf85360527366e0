/* sim_rules.c — the pure rules of the simulator's sessions (see sim_rules.h). */
#include "sim/sim_rules.h"

#include "base/clock.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *statut, *label;
	bool holds_place;
} statuts[] = {
	{"ONGOING", "Prescrit", true},
	{"ACHIEVED", "Réalisé", true},
	{"REFUSAL", "Refus tiers", false},
	{"REFUSAL_YOUNG", "Refus jeune", false},
};

bool
sim_registration_closes_ms(const char *tz, const char *date_max, const char *debut, int64_t *out)
{
	int64_t start, day_end;
	char next[20];
	GDate d;

	if (!clock_local_to_ms(tz, debut, &start))
		return false;
	*out = start;
	if (!date_max)
		return true;
	if (strlen(date_max) != 10)
		return false;
	/* Closes at the next day's midnight: 23:59:59 of date_max is still open. */
	g_date_clear(&d, 1);
	if (!g_date_valid_dmy((GDateDay)atoi(date_max + 8), (GDateMonth)atoi(date_max + 5),
			      (GDateYear)atoi(date_max)))
		return false;
	g_date_set_dmy(&d, (GDateDay)atoi(date_max + 8), (GDateMonth)atoi(date_max + 5),
		       (GDateYear)atoi(date_max));
	g_date_add_days(&d, 1);
	g_snprintf(next, sizeof(next), "%04d-%02d-%02d 00:00:00", g_date_get_year(&d),
		   g_date_get_month(&d), g_date_get_day(&d));
	if (!clock_local_to_ms(tz, next, &day_end))
		return false;
	if (day_end < start)
		*out = day_end;
	return true;
}

bool
sim_statut_valid(const char *statut)
{
	return sim_statut_label(statut) != NULL;
}

bool
sim_statut_holds_place(const char *statut)
{
	for (size_t i = 0; statut && i < G_N_ELEMENTS(statuts); i++)
		if (!strcmp(statut, statuts[i].statut))
			return statuts[i].holds_place;
	return false;
}

const char *
sim_statut_label(const char *statut)
{
	for (size_t i = 0; statut && i < G_N_ELEMENTS(statuts); i++)
		if (!strcmp(statut, statuts[i].statut))
			return statuts[i].label;
	return NULL;
}

int64_t
sim_places_left(int64_t capacity, int64_t taken)
{
	if (capacity < 0)
		return -1;
	return capacity > taken ? capacity - taken : 0;
}

bool
sim_page_offset(int page, int size, int64_t *offset)
{
	if (page < 1 || size < 1)
		return false;
	*offset = (int64_t)(page - 1) * size;
	return true;
}
