/* sim_rules.c — the pure rules of the simulator's sessions (see sim_rules.h). */
#include "sim/sim_rules.h"

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

static bool
digits_at(const char *s, const int *pos, int n)
{
	for (int i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[pos[i]]))
			return false;
	return true;
}

bool
sim_valid_local(const char *s)
{
	static const int digits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

	if (!s || strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':' || !digits_at(s, digits, G_N_ELEMENTS(digits)))
		return false;
	return g_date_valid_dmy((GDateDay)atoi(s + 8), (GDateMonth)atoi(s + 5),
				(GDateYear)atoi(s)) &&
	       atoi(s + 11) < 24 && atoi(s + 14) < 60 && atoi(s + 17) < 60;
}

/* The UTC offset (seconds) of @tz at Unix instant @t. */
static int64_t
offset_at(GTimeZone *tz, int64_t t)
{
	return g_time_zone_get_offset(tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, t));
}

/* Resolves wall-clock seconds @wall (the local time read as if UTC) to an instant. The
 * offsets half a day before and after cover any transition: a candidate is real when the
 * zone has its offset at that instant. Two real ones (autumn overlap): the first. None
 * (spring gap): the offset before the gap, which moves the time forward by the gap. */
static int64_t
resolve_wall(GTimeZone *tz, int64_t wall)
{
	int64_t before = offset_at(tz, wall - 43200), after = offset_at(tz, wall + 43200);
	int64_t t_before = wall - before, t_after = wall - after;
	bool ok_before = offset_at(tz, t_before) == before, ok_after = offset_at(tz, t_after) == after;

	if (ok_before && ok_after)
		return t_before < t_after ? t_before : t_after;
	if (ok_after)
		return t_after;
	return t_before;
}

bool
sim_local_to_ms(const char *tz_name, const char *local, int64_t *out)
{
	GTimeZone *tz;
	GDateTime *wall;

	if (!sim_valid_local(local) || !tz_name)
		return false;
	tz = g_time_zone_new_identifier(tz_name);
	if (!tz)
		return false;
	wall = g_date_time_new_utc(atoi(local), atoi(local + 5), atoi(local + 8), atoi(local + 11),
				   atoi(local + 14), atoi(local + 17));
	*out = resolve_wall(tz, g_date_time_to_unix(wall)) * 1000;
	g_date_time_unref(wall);
	g_time_zone_unref(tz);
	return true;
}

bool
sim_registration_closes_ms(const char *tz, const char *date_max, const char *debut, int64_t *out)
{
	int64_t start, day_end;
	char next[20];
	GDate d;

	if (!sim_local_to_ms(tz, debut, &start))
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
	if (!sim_local_to_ms(tz, next, &day_end))
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
