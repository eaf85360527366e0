/* offers_page.c — the pure rules of the offers' search pages (offers_page.h). */
#include "offers/offers_page.h"

#include "base/arena.h"
#include "base/clock.h"
#include "geo/geo.h"
#include "geo/geo_store.h"

#include <glib.h>
#include <string.h>

const char *
offers_share_default_text(enum offer_type t)
{
	switch (t) {
	case OFFER_ALTERNANCE:
		return "Bonjour, je vous partage une offre d'alternance qui pourrait vous intéresser.";
	case OFFER_SERVICE_CIVIQUE:
		return "Bonjour, je vous partage une offre de service civique qui pourrait vous "
		       "intéresser.";
	case OFFER_IMMERSION:
		return "Bonjour, je vous partage une offre d'immersion qui pourrait vous intéresser.";
	case OFFER_EMPLOI:
		break;
	}
	return "Bonjour, je vous partage une offre d'emploi qui pourrait vous intéresser.";
}

static int
bits(unsigned v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

int
offers_filters_count(const struct offers_criteria *c)
{
	if (c->number)
		return 0;
	/* Both working times read as either (work_times 0) but both boxes are ticked. */
	int n = bits(c->contracts) + bits(c->work_times) + (c->beginner ? 1 : 0) +
		(c->domain ? 1 : 0) + (c->start_from ? 1 : 0);
	if (c->commune && c->distance_km != OFFERS_DISTANCE_DEFAULT)
		n++;
	return n;
}

const char *
offers_filters_label(struct arena *a, int n)
{
	if (n <= 0)
		return NULL;
	return n == 1 ? "1 filtre sélectionné" : arena_printf(a, "%d filtres sélectionnés", n);
}

int
offers_chips(struct arena *a, const struct offers_criteria *c, const char *place_label,
	     const char **out)
{
	int n = 0;
	out[n++] = offer_type_label(c->type);
	if (c->number) {
		out[n++] = arena_printf(a, "Offre n°%s", c->number);
		return n;
	}
	if (c->keywords)
		out[n++] = c->keywords;
	if (place_label)
		out[n++] = place_label;
	if (c->commune)
		out[n++] = arena_printf(a, "%d km", c->distance_km);
	static const char *const contracts[] = {"CDI", "CDD - intérim - saisonnier", "Autres"};
	for (int i = 0; i < 3; i++)
		if (c->contracts & (1u << i))
			out[n++] = contracts[i];
	if (c->work_times & OFFERS_TIME_FULL)
		out[n++] = "Temps plein";
	if (c->work_times & OFFERS_TIME_PARTIAL)
		out[n++] = "Temps partiel";
	if (c->beginner)
		out[n++] = "Débutant accepté";
	if (c->domain)
		out[n++] = c->domain->label;
	if (c->start_from)
		out[n++] = arena_printf(a, "À partir du %s", clock_fr_date(a, c->start_from));
	return n;
}

bool
offers_criteria_shareable(const struct offers_criteria *c)
{
	if (c->number)
		return false;
	switch (c->type) {
	case OFFER_EMPLOI:
	case OFFER_ALTERNANCE:
		return c->keywords && (c->commune || c->departement);
	case OFFER_IMMERSION:
		return c->keywords && c->commune;
	case OFFER_SERVICE_CIVIQUE:
		return c->commune != NULL;
	}
	return false;
}

char *
offers_place_query(struct arena *a, const char *text)
{
	const char *paren = strstr(text, " (");
	char *q = paren ? arena_strndup(a, text, (size_t)(paren - text)) : arena_strdup(a, text);
	return g_strstrip(q);
}

int
offers_place_pick(struct arena *a, const char *text, const struct geo_suggestion *s, int n)
{
	char *t = g_strstrip(arena_strdup(a, text));
	for (int i = 0; i < n; i++)
		if (!g_ascii_strcasecmp(s[i].label, t))
			return i;
	const char *key = geo_key(a, offers_place_query(a, t));
	int found = OFFERS_PLACE_NONE;
	for (int i = 0; i < n; i++) {
		if (strcmp(geo_key(a, s[i].name), key))
			continue;
		if (found != OFFERS_PLACE_NONE)
			return OFFERS_PLACE_AMBIGUOUS;
		found = i;
	}
	if (found != OFFERS_PLACE_NONE)
		return found;
	return n == 1 ? 0 : n == 0 ? OFFERS_PLACE_NONE : OFFERS_PLACE_AMBIGUOUS;
}

int
offers_pages(const struct offers_result *r)
{
	int pages = (r->count + OFFERS_PAGE_SIZE - 1) / OFFERS_PAGE_SIZE;
	return pages < 1 ? 1 : pages > OFFERS_PAGES_MAX ? OFFERS_PAGES_MAX : pages;
}

const char *
offers_place_display(struct arena *a, const char *place_label, const char *postal_code)
{
	const char *name = place_label;
	/* France Travail's "29 - Brest": the département is said by the postal code. */
	const char *dash = name ? strstr(name, " - ") : NULL;
	if (dash && dash - name <= 3)
		name = dash + 3;
	if (name && *name && postal_code && *postal_code && !strstr(name, postal_code))
		return arena_printf(a, "%s (%s)", name, postal_code);
	if (name && *name)
		return name;
	return postal_code && *postal_code ? postal_code : NULL;
}

const char *
offers_distance_label(struct arena *a, double km)
{
	char *s = arena_printf(a, "À %.1f km", km < 0 ? 0.0 : km);
	char *dot = strchr(s, '.');
	if (dot)
		*dot = ',';
	return s;
}
