/* offers_page.c — the pure rules of the offers' search pages (offers_page.h). */
#include "offers/offers_page.h"

#include "base/arena.h"
#include "base/clock.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "http/parse.h"
#include "view/vm.h"

#include <glib.h>
#include <jansson.h>
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

const char *
offers_contact_mode_label(const char *mode)
{
	if (!mode)
		return NULL;
	if (!strcmp(mode, "EMAIL"))
		return "Mise en relation par mail";
	if (!strcmp(mode, "PHONE"))
		return "Mise en relation par téléphone";
	if (!strcmp(mode, "IN_PERSON"))
		return "Rendez-vous sur place";
	return NULL;
}

/* The items of a JSON list [{"label", "required"}…] of the model (offers.h) into @key. */
static void
add_requirements(struct arena *a, struct vm *o, const char *key, const char *json)
{
	struct vm *list = vm_set_list(o, key);
	json_t *l = json ? json_loads(json, 0, NULL) : NULL;
	size_t i;
	json_t *it;
	json_array_foreach(l, i, it) {
		const char *label = json_string_value(json_object_get(it, "label"));
		if (!label || !*label)
			continue;
		struct vm *x = vm_push_obj(list);
		vm_set_str(x, "label", arena_strdup(a, label));
		vm_set_bool(x, "required", json_is_true(json_object_get(it, "required")));
	}
	json_decref(l);
}

/* A provider's text made a link: web addresses only. */
static const char *
web_address(const char *url)
{
	return url && (g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"))
		? url : NULL;
}

/* "Localiser l'entreprise": OpenStreetMap at its position, else a search of its address. */
static const char *
map_link(struct arena *a, const struct offer *o)
{
	if (o->has_position)
		return arena_printf(a, "https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f",
				    o->lat, o->lon, o->lat, o->lon);
	if (o->address)
		return arena_printf(a, "https://www.openstreetmap.org/search?query=%s",
				    url_encode(a, o->address));
	return NULL;
}

static const char *
day_or_null(struct arena *a, int64_t t, const char *tz)
{
	return t ? clock_fr_day(a, t, tz) : NULL;
}

/* Emploi and Alternance: the facts and "Profil souhaité" (offers.md §3). */
static void
add_job(struct arena *a, struct vm *v, const struct offer *o)
{
	vm_set_str_opt(v, "contract", o->contract_label);
	vm_set_str_opt(v, "work_time", o->work_time_label);
	vm_set_str_opt(v, "salary", o->salary_label);
	vm_set_str_opt(v, "experience", o->experience_label);
	vm_set_bool(v, "experience_required", o->experience_code && !strcmp(o->experience_code, "E"));
	add_requirements(a, v, "skills", o->skills);
	add_requirements(a, v, "soft_skills", o->soft_skills);
	add_requirements(a, v, "education", o->education);
	add_requirements(a, v, "languages", o->languages);
	add_requirements(a, v, "licences", o->licences);
	vm_set_str_opt(v, "company_description", o->company_description);
	vm_set_str_opt(v, "company_url", web_address(o->company_url));
	vm_set_bool(v, "adapted", o->adapted_company);
	vm_set_bool(v, "disability_friendly", o->disability_friendly);
	vm_set_str_opt(v, "origin", o->origin_name);
	vm_set_str_opt(v, "apply_url", web_address(o->apply_url));
}

struct vm *
offers_detail_vm(struct arena *a, const struct offer *o, const char *href, const char *tz)
{
	struct vm *v = vm_obj(a);
	vm_set_str(v, "type", offer_type_label(o->type));
	vm_set_str(v, "slug", offer_type_slug(o->type));
	vm_set_str(v, "id", o->id);
	vm_set_str(v, "href", href);
	vm_set_str(v, "share", vm_strcat(a, href, "/partager", NULL));
	vm_set_bool(v, "job", o->type == OFFER_EMPLOI || o->type == OFFER_ALTERNANCE);
	vm_set_bool(v, "civic", o->type == OFFER_SERVICE_CIVIQUE);
	vm_set_bool(v, "immersion", o->type == OFFER_IMMERSION);
	const char *title = o->type == OFFER_IMMERSION && o->appellation_label ? o->appellation_label
									     : o->title;
	vm_set_str(v, "title", title ? title : "Offre");
	vm_set_str_opt(v, "company", o->company);
	vm_set_str_opt(v, "place", offers_place_display(a, o->place_label, o->postal_code));
	vm_set_str_opt(v, "updated", day_or_null(a, o->provider_updated_at ? o->provider_updated_at
									   : o->provider_created_at, tz));
	vm_set_str_opt(v, "description", o->description);
	add_job(a, v, o);
	vm_set_str_opt(v, "address", o->address);
	vm_set_str_opt(v, "domain", o->domain);
	vm_set_str_opt(v, "start", day_or_null(a, o->start_date, tz));
	vm_set_str_opt(v, "end", day_or_null(a, o->end_date, tz));
	vm_set_str_opt(v, "sector", o->naf_label);
	vm_set_bool(v, "voluntary", o->voluntary);
	vm_set_str_opt(v, "contact", offers_contact_mode_label(o->contact_mode));
	vm_set_str_opt(v, "map", o->type == OFFER_IMMERSION ? map_link(a, o) : NULL);
	return v;
}
