/* offers_place.c — a typed place made a code (offers_place.h). */
#include "offers/offers_place.h"

#include "base/arena.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "offers/offers_page.h"

#include <string.h>

/* @text as a stored code: a commune's INSEE code or a département's code. */
static bool
place_by_code(struct db *db, struct arena *a, const char *text, struct offers_place *p)
{
	struct geo_commune c;
	struct geo_departement d;
	if (strlen(text) == 5 && geo_commune_get(db, a, text, &c) == 0) {
		*p = (struct offers_place){.code = c.insee, .commune = true,
					   .label = arena_printf(a, "%s (%s)", c.name,
								 c.postal_code ? c.postal_code : c.dept_code)};
		return true;
	}
	if (strlen(text) <= 3 && geo_dept_valid(text) && geo_departement_get(db, a, text, &d) == 0) {
		*p = (struct offers_place){.code = d.code,
					   .label = arena_printf(a, "%s (%s)", d.name, d.code)};
		return true;
	}
	return false;
}

int
offers_place_resolve(struct db *db, struct arena *a, const char *text, struct offers_place *p)
{
	*p = (struct offers_place){0};
	if (!text || !*text || place_by_code(db, a, text, p))
		return 0;
	struct geo_suggestion *s = arena_alloc(a, sizeof(*s) * GEO_SUGGEST_MAX);
	int n = geo_suggest(db, a, offers_place_query(a, text), s, GEO_SUGGEST_MAX);
	if (n < 0)
		return n;
	int i = offers_place_pick(a, text, s, n);
	if (i >= 0)
		*p = (struct offers_place){.code = s[i].code, .label = s[i].label,
					   .commune = s[i].kind == GEO_COMMUNE};
	else if (i == OFFERS_PLACE_AMBIGUOUS)
		*p = (struct offers_place){.choices = s, .n_choices = n};
	else
		p->unknown = true;
	return 0;
}
