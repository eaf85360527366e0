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

/* ---- the desk page ---- */

/* Equal strings, compared without stopping at the first difference. */
static bool
same_secret(const char *a, const char *b)
{
	size_t n;
	unsigned char diff = 0;

	if (!a || !b || !*a || (n = strlen(a)) != strlen(b))
		return false;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

int
sim_desk_page_access(const char *token, const char *header, const char *cookie,
		     const char *field, bool post)
{
	bool cookie_ok = same_secret(token, cookie);

	if (!post)
		return cookie_ok || same_secret(token, header) ? 0 : 401;
	if (!cookie_ok)
		return 401;
	return same_secret(cookie, field) ? 0 : 403;
}

bool
sim_desk_local_time(const char *in, char out[20])
{
	size_t n = in ? strlen(in) : 0;

	if (n != 16 && n != 19)
		return false;
	memcpy(out, in, n);
	if (n == 16)
		memcpy(out + 16, ":00", 3);
	out[19] = '\0';
	if (out[10] == 'T')
		out[10] = ' ';
	return clock_local_valid(out);
}

static void
date_text(GDate *d, int shift, char out[11])
{
	GDate c = *d;

	if (shift > 0)
		g_date_add_days(&c, (guint)shift);
	else if (shift < 0)
		g_date_subtract_days(&c, (guint)-shift);
	g_date_strftime(out, 11, "%Y-%m-%d", &c);
}

bool
sim_desk_period(const char *du, int days, char to[11], char prev[11], char next[11])
{
	GDate d;

	if (!du || strlen(du) != 10 || du[4] != '-' || du[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(du[i]))
			return false;
	if (!g_date_valid_dmy((GDateDay)atoi(du + 8), (GDateMonth)atoi(du + 5), (GDateYear)atoi(du)))
		return false;
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, (GDateDay)atoi(du + 8), (GDateMonth)atoi(du + 5), (GDateYear)atoi(du));
	date_text(&d, days, to);
	date_text(&d, -days - 1, prev);
	date_text(&d, days + 1, next);
	return true;
}
