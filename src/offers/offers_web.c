/* offers_web.c — the counselor's "Offres" pages: parse, call, render. The criteria come and
 * go through the URL (offers_query.h); the rules of the page are offers_page.h, the search
 * offers_search.h, the share offers_share.h. */
#include "offers/offers_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "http/parse.h"
#include "messaging/lists.h"
#include "messaging/messaging.h"
#include "offers/offers_cache.h"
#include "offers/offers_page.h"
#include "offers/offers_place.h"
#include "offers/offers_query.h"
#include "offers/offers_search.h"
#include "offers/offers_share.h"
#include "offers/offers_store.h"
#include "view/form_errors.h"
#include "view/pagination.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define GONE "Cette offre n'existe plus ou est momentanément suspendue"

/* ---- The place ("Lieu de travail": offers_place.h) ---------------------------------------- */

int
offers_web_places(struct req *r)
{
	const char *q = req_query(r, "q");
	if (!q)
		q = req_query(r, "lieu");   /* htmx sends the input's own name */
	struct geo_suggestion s[GEO_SUGGEST_MAX];
	int n = q ? geo_suggest(ctx_db(r), r->a, q, s, GEO_SUGGEST_MAX) : 0;
	if (n < 0)
		return n;
	struct vm *page = vm_obj(r->a);
	struct vm *list = vm_set_list(page, "suggestions");
	for (int i = 0; i < n; i++)
		vm_push_str(list, s[i].label);
	return view_page(r, 200, "offers/places.html", page);
}

/* ---- The search ------------------------------------------------------------------------- */

/* The page's URL for @f with @extra appended ("page=2"; NULL: none). */
static const char *
search_url(struct arena *a, const struct offers_form *f, const char *extra)
{
	const char *qs = offers_query_string(a, f);
	if (!extra)
		return arena_printf(a, "/offres?%s", qs);
	return arena_printf(a, "/offres?%s%s%s", qs, *qs ? "&" : "", extra);
}

struct pager_ctx {
	struct arena *a;
	const struct offers_form *f;
};

static const char *
page_link(void *ud, int page)
{
	struct pager_ctx *p = ud;
	return arena_printf(p->a, "%s#resultats",
			    search_url(p->a, p->f, arena_printf(p->a, "page=%d", page)));
}

/* Does the request carry a search (the button, a page, a criterion), rather than ask for
 * the form of a type ("?type=emploi") or its change ("modifier")? */
static bool
is_search(struct req *r)
{
	if (req_query(r, "modifier"))
		return false;
	for (size_t i = 0; i < r->query.n; i++)
		if (strcmp(r->query.items[i].key, "type"))
			return true;
	return false;
}

static void
add_types(struct vm *page, const char *current)
{
	struct vm *types = vm_set_list(page, "types");
	for (int t = 0; t < OFFER_TYPES; t++) {
		struct vm *o = vm_push_obj(types);
		vm_set_str(o, "slug", offer_type_slug(t));
		vm_set_str(o, "label", offer_type_label(t));
		vm_set_bool(o, "checked", current && !strcmp(current, offer_type_slug(t)));
	}
}

static bool
has_value(const char *const *v, int n, const char *x)
{
	for (int i = 0; i < n; i++)
		if (v[i] && !strcmp(v[i], x))
			return true;
	return false;
}

/* Service civique's "Domaine" and "Date de début" as typed (offers.md §1). */
static void
add_mission_form(struct vm *o, const struct offers_form *f, enum offer_type t)
{
	vm_set_bool(o, "civique", t == OFFER_SERVICE_CIVIQUE);
	vm_set_bool(o, "more_criteria", t != OFFER_IMMERSION);
	struct vm *list = vm_set_list(o, "domains");
	for (int i = 0; i < OFFER_DOMAINS; i++) {
		struct vm *d = vm_push_obj(list);
		vm_set_str(d, "slug", offer_domains[i].slug);
		vm_set_str(d, "label", offer_domains[i].label);
		vm_set_bool(d, "selected", f->domain && !strcmp(f->domain, offer_domains[i].slug));
	}
	/* "À partir de" is ticked by a date (a link) or by the radio; "Dès que possible" else. */
	bool asap = f->start_mode ? strcmp(f->start_mode, "a-partir-de") != 0 : !f->start;
	vm_set_bool(o, "start_asap", asap);
	/* The date input reads "aaaa-mm-jj" only: a typed "jj/mm/aaaa" is shown so. */
	int64_t day = f->start ? offers_day_parse(f->start) : CLOCK_NO_DAY;
	vm_set_str_opt(o, "start", day != CLOCK_NO_DAY ? clock_day_iso(vm_arena(o), day) : f->start);
}

/* The form's fields as typed, for the form shown again. */
static void
add_form(struct vm *page, const struct offers_form *f, enum offer_type t,
	 const struct offers_place *place, const char *place_text)
{
	struct vm *o = vm_set_obj(page, "form");
	vm_set_str(o, "type", offer_type_slug(t));
	vm_set_str(o, "type_label", offer_type_label(t));
	bool job = t == OFFER_EMPLOI || t == OFFER_ALTERNANCE;
	vm_set_bool(o, "job", job);
	vm_set_bool(o, "emploi", t == OFFER_EMPLOI);
	vm_set_bool(o, "immersion", t == OFFER_IMMERSION);
	vm_set_str(o, "keywords_label", t == OFFER_IMMERSION ? "Métier" : "Mots clés (Métier, code ROME)");
	vm_set_bool(o, "keywords_field", t != OFFER_SERVICE_CIVIQUE);
	vm_set_str(o, "place_label", job ? "Lieu de travail" : "Localisation");
	vm_set_str(o, "place_hint", job ? "Une commune ou un département" : "Une commune");
	vm_set_str_opt(o, "number", f->number);
	vm_set_bool(o, "by_number", f->number != NULL);
	vm_set_str_opt(o, "keywords", f->keywords);
	vm_set_str_opt(o, "place", place->label ? place->label : place_text);
	/* Distance: only with a commune, so hidden once the place is a département (§1). */
	vm_set_bool(o, "distance_field", !(place->code && !place->commune));
	vm_set_str(o, "distance", f->distance ? f->distance : "10");
	vm_set_int(o, "distance_min", t == OFFER_IMMERSION ? 1 : 0);
	vm_set_bool(o, "cdi", has_value(f->contracts, f->n_contracts, "CDI"));
	vm_set_bool(o, "cdd", has_value(f->contracts, f->n_contracts, "CDD"));
	vm_set_bool(o, "autres", has_value(f->contracts, f->n_contracts, "AUTRES"));
	vm_set_bool(o, "plein", has_value(f->work_times, f->n_work_times, "PLEIN"));
	vm_set_bool(o, "partiel", has_value(f->work_times, f->n_work_times, "PARTIEL"));
	vm_set_bool(o, "debutant", f->beginner);
	add_mission_form(o, f, t);
}

static void
add_card(struct req *r, struct vm *cards, const struct offers_hit *h)
{
	struct vm *o = vm_push_obj(cards);
	bool job = h->type == OFFER_EMPLOI || h->type == OFFER_ALTERNANCE;
	vm_set_str(o, "type", offer_type_label(h->type));
	vm_set_str_opt(o, "number", job ? h->id : NULL);
	const char *title = h->type == OFFER_IMMERSION && h->appellation_label ? h->appellation_label
									     : h->title;
	vm_set_str(o, "title", title ? title : "Offre");
	vm_set_str_opt(o, "company", h->company);
	vm_set_str_opt(o, "place", offers_place_display(r->a, h->place_label, h->postal_code));
	vm_set_str_opt(o, "contract", job ? h->contract_label : NULL);
	vm_set_str_opt(o, "work_time", job ? h->work_time_label : NULL);
	vm_set_str_opt(o, "domain", h->type == OFFER_SERVICE_CIVIQUE ? h->domain : NULL);
	vm_set_str_opt(o, "start", h->type == OFFER_SERVICE_CIVIQUE && h->start_date
		       ? arena_printf(r->a, "Dès le %s", clock_fr_day(r->a, h->start_date, NULL)) : NULL);
	vm_set_bool(o, "voluntary", h->type == OFFER_IMMERSION && h->voluntary);
	vm_set_str_opt(o, "distance", h->has_distance ? offers_distance_label(r->a, h->distance_km)
						      : NULL);
	const char *href = vm_strcat(r->a, "/offres/", offer_type_slug(h->type), "/", h->id, NULL);
	vm_set_str(o, "href", href);
	vm_set_str(o, "share", vm_strcat(r->a, href, "/partager", NULL));
}

/* The form's field of a refusal's field. */
static const char *
error_anchor(const char *field)
{
	if (!field)
		return "lieu";
	if (!strcmp(field, "motsCles"))
		return "motscles";
	return field;
}

static int
render_search(struct req *r, int status, struct vm *page, const struct refusal *why)
{
	const char *field = why ? error_anchor(why->field) : NULL;
	const struct view_field_error fields[] = {
		{"numero", "numero", field && !strcmp(field, "numero") ? why->message : NULL},
		{"motscles", "motscles", field && !strcmp(field, "motscles") ? why->message : NULL},
		{"lieu", "lieu", field && !strcmp(field, "lieu") ? why->message : NULL},
		{"distance", "distance", field && !strcmp(field, "distance") ? why->message : NULL},
		{"contrat", "plus-de-criteres", field && !strcmp(field, "contrat") ? why->message : NULL},
		{"temps", "plus-de-criteres", field && !strcmp(field, "temps") ? why->message : NULL},
		{"domaine", "domaine", field && !strcmp(field, "domaine") ? why->message : NULL},
		{"debut", "debut", field && !strcmp(field, "debut") ? why->message : NULL},
	};
	vm_set(page, "errors", why ? view_form_errors(r->a, fields, G_N_ELEMENTS(fields)) : NULL);
	return view_page(r, status, "offers/search.html", page);
}

int
offers_web_search(struct req *r)
{
	struct offers_query q;
	offers_query_read(&r->query, &q);
	struct offers_form *f = &q.form;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Offres");
	vm_set_str(page, "nav", "offres");
	enum offer_type t = OFFER_EMPLOI;
	bool typed = f->type && offer_type_parse(f->type, true, &t);
	add_types(page, typed ? f->type : NULL);
	vm_set_bool(page, "step2", typed);
	vm_set_null(page, "form");
	vm_set_null(page, "results");
	vm_set_null(page, "choices");
	if (!typed)
		return render_search(r, 200, page, NULL);

	/* A number search takes nothing else (§1): the place is not even looked at. */
	const char *place_text = f->number ? NULL : f->place;
	struct offers_place place;
	int rc = offers_place_resolve(ctx_db(r), r->a, place_text, &place);
	if (rc)
		return rc;
	if (place.code)
		f->place = place.code;
	bool search = is_search(r);
	/* The criteria as far as they parse: the recap and the form need them either way. */
	struct offers_criteria c;
	struct refusal why = {0};
	int prc = place.unknown || place.choices ? 0 : offers_criteria_parse(r->a, f, &c, &why);
	/* A place typed by name ("Brest (29200)", "brest"): the search's URL gets its code, so
	 * that it is the same URL whoever shares it (offers_query.h) — once the criteria hold:
	 * the URL keeps only criteria, so a refusal ("À partir de" without its date) would be
	 * lost on the way and the search run without it. */
	if (search && prc == 0 && place.code && strcmp(place_text, place.code)) {
		resp_redirect(r, arena_printf(r->a, "%s#resultats", search_url(r->a, f, "recherche=1")));
		return 0;
	}
	add_form(page, f, t, &place, place_text);
	int filters = prc == 0 && !place.unknown && !place.choices ? offers_filters_count(&c) : 0;
	vm_set_str_opt(page, "filters", offers_filters_label(r->a, filters));
	vm_set_bool(page, "more_open", filters > 0 || (why.field && (!strcmp(why.field, "contrat") ||
								     !strcmp(why.field, "temps") ||
								     !strcmp(why.field, "domaine") ||
								     !strcmp(why.field, "debut"))));
	if (!search)
		return render_search(r, 200, page, NULL);
	if (place.unknown) {
		why = (struct refusal){400, "lieu", NULL, "Aucune commune ni aucun département ne "
				       "correspond à ce lieu : choisissez un lieu dans la liste."};
		return render_search(r, 400, page, &why);
	}
	if (place.choices) {
		/* "Précisez le lieu": each choice is this search with that place. */
		struct vm *choices = vm_set_list(page, "choices");
		for (int i = 0; i < place.n_choices; i++) {
			struct offers_form g = *f;
			g.place = place.choices[i].code;
			struct vm *o = vm_push_obj(choices);
			vm_set_str(o, "label", place.choices[i].label);
			vm_set_str(o, "href", search_url(r->a, &g, "recherche=1"));
		}
		return render_search(r, 200, page, NULL);
	}
	if (prc)
		return prc == -ERR_INVAL ? render_search(r, why.status ? why.status : 400, page, &why)
					 : prc;
	const char *pv = req_query(r, "page");
	int pg = 1;
	if (pv && *pv) {
		size_t n = strlen(pv);
		pg = strspn(pv, "0123456789") == n && n <= 6 ? atoi(pv) : 0;
	}
	struct offers_result res;
	rc = offers_search_cached(ctx_db(r), r->a, req_ctx(r)->offers_text, &c, pg, &res, &why);
	if (rc == -ERR_INVAL && why.field && !strcmp(why.field, "page")) {
		/* A page beyond 100 (or 0): the error page, with the way back to the first. */
		why.title = "Page introuvable";
		return view_refusal(r, &why, "offres", search_url(r->a, f, "recherche=1"),
				    "Retour à la première page des résultats");
	}
	if (rc == -ERR_INVAL)
		return render_search(r, why.status ? why.status : 400, page, &why);
	if (rc)
		return rc;
	struct vm *out = vm_set_obj(page, "results");
	const char *chips[OFFERS_CHIPS_MAX];
	int nc = offers_chips(r->a, &c, place.label, chips);
	struct vm *cl = vm_set_list(out, "chips");
	for (int i = 0; i < nc; i++)
		vm_push_str(cl, chips[i]);
	vm_set_str(out, "count", offers_count_label(r->a, &res));
	struct vm *cards = vm_set_list(out, "cards");
	for (int i = 0; i < res.n; i++)
		add_card(r, cards, &res.hits[i]);
	struct pager_ctx pc = {r->a, f};
	int pages = offers_pages(&res);
	vm_set(out, "pagination", pages > 1 && pg <= pages
	       ? view_pagination(r->a, pg, pages, page_link, &pc) : NULL);
	vm_set_str_opt(out, "share_criteria", offers_criteria_shareable(&c)
		       ? vm_strcat(r->a, "/offres/criteres/partager?", offers_query_string(r->a, f), NULL)
		       : NULL);
	return render_search(r, 200, page, NULL);
}

/* ---- The detail pages ------------------------------------------------------------------- */

/* The active offer of the path's slug and id into @o; a refusal page (404: GONE) when
 * there is none — another type's id, an inactive offer, an unknown one. 0 when found, 1
 * when the page is already rendered, or a negative err. */
static int
load_offer(struct req *r, struct offer *o)
{
	enum offer_type t;
	const char *slug = req_param(r, "slug"), *id = req_param(r, "id");
	int rc = slug && offer_type_parse(slug, true, &t) && id && strlen(id) <= 64
		? offers_store_get(ctx_db(r), r->a, id, o) : -ERR_NOTFOUND;
	if (rc == -ERR_NOTFOUND || (!rc && (!o->active || o->type != t))) {
		struct refusal why = {404, NULL, "Offre indisponible", GONE};
		rc = view_refusal(r, &why, "offres", "/offres", "Retour à la recherche d’offres");
		return rc ? rc : 1;
	}
	return rc;
}

/* The offer's fields as the detail and share pages show them (§3), days in Europe/Paris. */
static struct vm *
offer_vm(struct req *r, const struct offer *o)
{
	return offers_detail_vm(r->a, o, vm_strcat(r->a, "/offres/", offer_type_slug(o->type), "/",
						   o->id, NULL), NULL);
}

int
offers_web_detail(struct req *r)
{
	struct offer o;
	int rc = load_offer(r, &o);
	if (rc)
		return rc > 0 ? 0 : rc;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", o.title ? o.title : "Offre");
	vm_set_str(page, "nav", "offres");
	vm_set(page, "offer", offer_vm(r, &o));
	return view_page(r, 200, "offers/detail.html", page);
}

/* ---- "Partager une offre" --------------------------------------------------------------- */

static int
share_form(struct req *r, int status, const struct offer *o, const char *const *chosen, int n,
	   const char *text, const struct refusal *why)
{
	struct list_person *pf;
	int np = lists_portfolio(ctx_db(r), r->a, r->user->id, &pf);
	if (np < 0)
		return np;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Partager une offre");
	vm_set_str(page, "nav", "offres");
	vm_set(page, "offer", offer_vm(r, o));
	struct vm *people = vm_set_list(page, "people");
	for (int i = 0; i < np; i++) {
		struct vm *p = vm_push_obj(people);
		vm_set_str(p, "id", pf[i].id);
		vm_set_str(p, "name", lists_person_name(r->a, pf[i].first_name, pf[i].last_name));
		vm_set_bool(p, "checked", lists_all_within(&pf[i].id, 1, chosen, n));
	}
	vm_set_str(page, "text", text ? text : offers_share_default_text(o->type));
	vm_set_int(page, "text_max", MSG_TEXT_MAX);
	const char *field = why ? why->field : NULL;
	const struct view_field_error fields[] = {
		{"beneficiaires", "beneficiaires", field && !strcmp(field, "beneficiaires") ? why->message : NULL},
		{"message", "message", field && !strcmp(field, "message") ? why->message : NULL},
	};
	vm_set(page, "errors", why ? view_form_errors(r->a, fields, G_N_ELEMENTS(fields)) : NULL);
	return view_page(r, status, "offers/share.html", page);
}

int
offers_web_share_page(struct req *r)
{
	struct offer o;
	int rc = load_offer(r, &o);
	if (rc)
		return rc > 0 ? 0 : rc;
	return share_form(r, 200, &o, NULL, 0, NULL, NULL);
}

int
offers_web_share_post(struct req *r)
{
	struct offer o;
	int rc = load_offer(r, &o);
	if (rc)
		return rc > 0 ? 0 : rc;
	const char **ids = arena_alloc(r->a, sizeof(*ids) * (OFFERS_SHARE_MAX + 1));
	int n = req_form_all(r, "beneficiaires", ids, OFFERS_SHARE_MAX + 1);
	const char *text = req_form(r, "message");
	struct refusal why = {0};
	rc = offers_share(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(), r->user->id, &o, ids, n,
			  text, &why);
	if (rc && why.status == 400)
		return share_form(r, 400, &o, ids, n, text, &why);
	if (rc && why.status)
		return view_refusal(r, &why, "offres", vm_strcat(r->a, "/offres/", offer_type_slug(o.type),
								  "/", o.id, NULL),
				    "Retour à l’offre");
	if (rc)
		return rc;
	return view_redirect_flash(r, vm_strcat(r->a, "/offres/", offer_type_slug(o.type), "/", o.id,
						NULL), "offre-partagee", NULL);
}
