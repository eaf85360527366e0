/* offers_events_app.c — the "Externes" tab of the young person's Événements
 * (offers_events_app.h): parse the criteria, read the events, render. */
#include "offers/offers_events_app.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "http/http.h"
#include "messaging/messaging.h"
#include "messaging/messaging_use.h"
#include "offers/offers_events.h"
#include "offers/offers_events_app_store.h"
#include "offers/offers_store.h"
#include "view/app_event.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <jansson.h>
#include <string.h>

const char *const offers_event_types[OFFERS_EVENT_TYPES] = {
	"Réunion d'information", "Forum", "Conférence", "Atelier", "Salon en ligne",
	"Job dating", "Visite d'entreprise", "Portes ouvertes",
};

int64_t
offers_event_places_left(int64_t seats_onsite, int64_t seats_remote, int64_t registered_onsite,
			 int64_t registered_remote)
{
	if (seats_onsite < 0 && seats_remote < 0)
		return -1;
	int64_t left = (seats_onsite > 0 ? seats_onsite : 0) + (seats_remote > 0 ? seats_remote : 0)
		       - (registered_onsite > 0 ? registered_onsite : 0)
		       - (registered_remote > 0 ? registered_remote : 0);
	return left > 0 ? left : 0;
}

/* Whether one of the words of @modalities holds @part (ASCII, lower case), case aside. */
static bool
modality_has(const char *modalities, const char *part)
{
	json_t *l = modalities ? json_loads(modalities, 0, NULL) : NULL;
	bool found = false;
	size_t i;
	json_t *v;
	json_array_foreach(l, i, v) {
		const char *s = json_string_value(v);
		if (!s)
			continue;
		char *low = g_ascii_strdown(s, -1);
		found = found || strstr(low, part) != NULL;
		g_free(low);
	}
	json_decref(l);
	return found;
}

bool
offers_event_remote(const char *modalities)
{
	return modality_has(modalities, "distance");
}

bool
offers_event_onsite(const char *modalities)
{
	return modality_has(modalities, "physique") || modality_has(modalities, "sentiel");
}

/* "Brest (29200)", "Brest (29200) et à distance", "À distance". */
static const char *
place_of(struct arena *a, const struct job_event *e)
{
	bool remote = offers_event_remote(e->modalities);
	const char *city = e->city ? (e->postal_code ? arena_printf(a, "%s (%s)", e->city,
								      e->postal_code)
						     : e->city)
				   : NULL;
	if (!city || (remote && !offers_event_onsite(e->modalities)))
		return "À distance";
	return remote ? arena_printf(a, "%s et à distance", city) : city;
}

/* "De 09h00 à 11h00", "À partir de 09h00"; NULL when the provider gives no hour. */
static const char *
hours_of(struct arena *a, const struct job_event *e)
{
	if (!e->start_time)
		return NULL;
	const char *start = clock_fr_time(a, e->starts_at, e->timezone);
	if (!e->ends_at)
		return arena_printf(a, "À partir de %s", start);
	return arena_printf(a, "De %s à %s", start, clock_fr_time(a, e->ends_at, e->timezone));
}

static const char *
day_of(struct arena *a, const struct job_event *e)
{
	int64_t day = clock_day_parse(e->event_date);
	return day == CLOCK_NO_DAY ? clock_fr_day(a, e->starts_at, e->timezone)
				   : view_day_title(a, day);
}

/* The commune @text names: "Brest", "brest", "Brest (29200)", as the autocomplete of the
 * other searches labels them; the largest commune of that name when several are. 0,
 * -ERR_NOTFOUND or -ERR_DB. */
static int
resolve_commune(struct db *db, struct arena *a, const char *text, struct geo_commune *c)
{
	char *name = g_strstrip(arena_strdup(a, text));
	const char *paren = strrchr(name, '(');
	struct geo_suggestion s[GEO_SUGGEST_MAX];
	int n = geo_suggest(db, a, name, s, GEO_SUGGEST_MAX);
	if (n < 0)
		return n;
	int pick = -1;
	for (int i = 0; i < n && pick < 0; i++)
		if (s[i].kind == GEO_COMMUNE && !strcmp(s[i].label, name))
			pick = i;
	if (pick < 0 && paren && paren > name) {
		char *bare = g_strstrip(arena_strdup(a, name));
		bare[paren - name] = '\0';
		g_strstrip(bare);
		if ((n = geo_suggest(db, a, bare, s, GEO_SUGGEST_MAX)) < 0)
			return n;
		name = bare;
	}
	const char *key = geo_key(a, name);
	for (int i = 0; i < n && pick < 0; i++)
		if (s[i].kind == GEO_COMMUNE && !strcmp(geo_key(a, s[i].name), key))
			pick = i;
	if (pick < 0)
		return -ERR_NOTFOUND;
	int rc = geo_commune_get(db, a, s[pick].code, c);
	if (!rc)
		c->postal_code = s[pick].postal_code;
	return rc;
}

/* The criteria as the form shows them back. */
struct criteria {
	const char *commune, *type, *modality, *from, *to;
	int page;
};

static void
set_form(struct req *r, struct vm *page, const struct criteria *c)
{
	vm_set_str(page, "commune", c->commune ? c->commune : "");
	vm_set_str(page, "from", c->from);
	vm_set_str(page, "to", c->to);
	struct vm *types = vm_set_list(page, "types");
	for (int i = 0; i < OFFERS_EVENT_TYPES; i++) {
		struct vm *o = vm_push_obj(types);
		vm_set_str(o, "value", offers_event_types[i]);
		vm_set_bool(o, "selected", c->type && !strcmp(c->type, offers_event_types[i]));
	}
	vm_set_bool(page, "onsite", c->modality && !strcmp(c->modality, "presentiel"));
	vm_set_bool(page, "remote", c->modality && !strcmp(c->modality, "distance"));
	(void)r;
}

/* "commune=Brest&type=Forum&…&page=2". */
static const char *
page_href(struct req *r, const struct criteria *c, int page)
{
	GString *s = g_string_new("/app/evenements/externes?commune=");
	g_string_append_uri_escaped(s, c->commune, NULL, FALSE);
	if (c->type) {
		g_string_append(s, "&type=");
		g_string_append_uri_escaped(s, c->type, NULL, FALSE);
	}
	if (c->modality)
		g_string_append_printf(s, "&modalite=%s", c->modality);
	g_string_append_printf(s, "&du=%s&au=%s&page=%d", c->from, c->to, page);
	const char *out = arena_strdup(r->a, s->str);
	g_string_free(s, TRUE);
	return out;
}

static int
render(struct req *r, int status, struct vm *page)
{
	vm_set_str(page, "title", "Événements externes");
	vm_set_str(page, "nav", "evenements");
	return view_page(r, status, "offers/app_events.html", page);
}

static int
refuse(struct req *r, struct vm *page, const char *field, const char *message)
{
	vm_set_bool(page, arena_printf(r->a, "err_%s", field), true);
	vm_set_str(page, "error", message);
	vm_set_bool(page, "searched", false);
	return render(r, 400, page);
}

int
offers_events_app_page(struct req *r)
{
	const char *tz = r->user->timezone;
	int64_t now = clock_now_ms();
	int64_t today = clock_day_of(now, tz);
	struct criteria c = {
		.commune = req_query(r, "commune"), .type = req_query(r, "type"),
		.modality = req_query(r, "modalite"), .from = req_query(r, "du"),
		.to = req_query(r, "au"), .page = req_query_int(r, "page", 1, 1, 1000),
	};
	if (c.type && !*c.type)
		c.type = NULL;
	if (c.modality && strcmp(c.modality, "presentiel") && strcmp(c.modality, "distance"))
		c.modality = NULL;
	int64_t from = c.from && *c.from ? clock_day_parse(c.from) : today;
	int64_t to = c.to && *c.to ? clock_day_parse(c.to) : today + OFFERS_EVENTS_DEFAULT_DAYS;
	c.from = from == CLOCK_NO_DAY ? c.from : clock_day_iso(r->a, from);
	c.to = to == CLOCK_NO_DAY ? c.to : clock_day_iso(r->a, to);
	bool known_type = !c.type;
	for (int i = 0; c.type && i < OFFERS_EVENT_TYPES; i++)
		known_type = known_type || !strcmp(c.type, offers_event_types[i]);

	struct vm *page = vm_obj(r->a);
	set_form(r, page, &c);
	vm_set_null(page, "error");
	static const char *const fields[] = {"err_commune", "err_type", "err_du", "err_au"};
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
		vm_set_bool(page, fields[i], false);
	if (!c.commune) {        /* before any search */
		vm_set_bool(page, "searched", false);
		return render(r, 200, page);
	}
	if (!*g_strstrip(arena_strdup(r->a, c.commune)))
		return refuse(r, page, "commune", "Indique une commune pour chercher des événements.");
	if (!known_type)
		return refuse(r, page, "type", "Choisis un type d’événement de la liste.");
	if (from == CLOCK_NO_DAY || to == CLOCK_NO_DAY)
		return refuse(r, page, from == CLOCK_NO_DAY ? "du" : "au",
			      "La date doit être au format jj/mm/aaaa.");
	if (to < from)
		return refuse(r, page, "au", "La date de fin doit être après la date de début.");
	struct geo_commune commune;
	int rc = resolve_commune(ctx_db(r), r->a, c.commune, &commune);
	if (rc == -ERR_NOTFOUND)
		return refuse(r, page, "commune",
			      "Commune introuvable : vérifie son nom (par exemple « Brest »).");
	if (rc)
		return rc;
	struct geo_box box = geo_bbox(commune.lat, commune.lon, OFFERS_EVENTS_RADIUS_KM);
	struct job_event_search q = {
		.commune_insee = commune.insee,
		.lat_min = box.lat_min, .lat_max = box.lat_max,
		.lon_min = box.lon_min, .lon_max = box.lon_max,
		.type = c.type,
		.modality = !c.modality ? JOB_EVENT_ANY
			    : !strcmp(c.modality, "distance") ? JOB_EVENT_REMOTE : JOB_EVENT_ONSITE,
		.from = clock_day_at(from, 0, 0, tz), .to = clock_day_at(to + 1, 0, 0, tz),
		.offset = (c.page - 1) * OFFERS_EVENTS_PAGE, .limit = OFFERS_EVENTS_PAGE,
	};
	struct job_event *ev;
	int total = 0;
	int n = offers_events_store_search(ctx_db(r), r->a, &q, &ev, &total);
	if (n < 0)
		return n;
	vm_set_bool(page, "searched", true);
	vm_set_str(page, "place", commune.postal_code
		   ? arena_printf(r->a, "%s (%s)", commune.name, commune.postal_code) : commune.name);
	vm_set_int(page, "total", total);
	vm_set_str(page, "count", total > 1 ? arena_printf(r->a, "%d événements", total)
				  : arena_printf(r->a, "%d événement", total));
	struct vm *list = vm_set_list(page, "events");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "href", arena_printf(r->a, "/app/evenements/externes/%s", ev[i].id));
		vm_set_str(o, "title", ev[i].title);
		vm_set_str_opt(o, "type", ev[i].type);
		vm_set_str(o, "day", day_of(r->a, &ev[i]));
		vm_set_str_opt(o, "hours", hours_of(r->a, &ev[i]));
		vm_set_str(o, "place", place_of(r->a, &ev[i]));
	}
	int pages = (total + OFFERS_EVENTS_PAGE - 1) / OFFERS_EVENTS_PAGE;
	vm_set_str_opt(page, "previous", c.page > 1 ? page_href(r, &c, c.page - 1) : NULL);
	vm_set_str_opt(page, "next", c.page < pages ? page_href(r, &c, c.page + 1) : NULL);
	vm_set_int(page, "page", c.page);
	vm_set_int(page, "pages", pages);
	return render(r, 200, page);
}

/* The active event of the path's id, or the refusal's page. */
static int
open_event(struct req *r, struct job_event *e, struct refusal *why)
{
	int rc = offers_store_get_event(ctx_db(r), r->a, req_param(r, "id"), e);
	if (rc == -ERR_NOTFOUND || (!rc && !e->active))
		return refuse_with(why, 404, NULL, "Événement introuvable",
				   "Cet événement n’existe plus ou a été annulé.");
	return rc;
}

/* An http(s) link, or NULL: the provider's text never becomes another scheme's link. */
static const char *
web_link(const char *url)
{
	return url && (g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"))
		? url : NULL;
}

int
offers_events_app_detail(struct req *r)
{
	struct job_event e;
	struct refusal why = {0};
	int rc = open_event(r, &e, &why);
	if (rc)
		return why.message ? view_refusal(r, &why, "evenements", "/app/evenements/externes",
						  "Retour aux événements externes") : rc;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Détail de l’événement");
	vm_set_str(page, "nav", "evenements");
	vm_set_str(page, "event_id", e.id);
	vm_set_str(page, "event_title", e.title);
	vm_set_str_opt(page, "type", e.type);
	vm_set_str(page, "day", day_of(r->a, &e));
	vm_set_str_opt(page, "hours", hours_of(r->a, &e));
	vm_set_str(page, "place", place_of(r->a, &e));
	vm_set_str_opt(page, "organiser", e.organiser);
	vm_set_str_opt(page, "description", e.description);
	int64_t left = offers_event_places_left(e.seats_onsite, e.seats_remote, e.registered_onsite,
						e.registered_remote);
	vm_set_str_opt(page, "places", left < 0 ? NULL
				       : left == 0 ? "Complet"
				       : left == 1 ? "1 place restante"
				       : arena_printf(r->a, "%lld places restantes", (long long)left));
	vm_set_str_opt(page, "url", web_link(e.url));
	return view_page(r, 200, "offers/app_events_detail.html", page);
}

int
offers_events_app_share(struct req *r)
{
	struct job_event e;
	struct refusal why = {0};
	int rc = open_event(r, &e, &why);
	if (!rc)
		rc = offers_job_event_share(ctx_db(r), req_ctx(r)->keys, r->a, r->user->id, &e,
					    web_link(e.url), clock_now_ms(), &why);
	if (rc)
		return why.message ? view_refusal(r, &why, "evenements", "/app/evenements/externes",
						  "Retour aux événements externes") : rc;
	return view_redirect_flash(r, arena_printf(r->a, "/app/evenements/externes/%s", e.id),
				   OFFERS_EVENTS_FLASH_SHARED, NULL);
}
