/* offers_app.c — the young person's "Offres" tab (offers_app.h, youth-app.md §8): parse,
 * call, render. Every page works without JavaScript: plain links and forms, redirects with
 * flash messages; "Afficher plus d'offres" is a link to the same results one page longer,
 * whose anchor lands on the first new card. */
#include "offers/offers_app.h"

#include "offers/offers_app_contact.h"
#include "offers/offers_favorites.h"
#include "offers/offers_cache.h"
#include "offers/offers_page.h"
#include "offers/offers_place.h"
#include "offers/offers_query.h"
#include "offers/offers_recent_app.h"
#include "offers/offers_search.h"
#include "offers/offers_store.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "geo/geo_store.h"
#include "http/http.h"
#include "http/parse.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

#define GONE "Cette offre n’existe plus ou est momentanément suspendue"
#define MAX_PAGES 10   /* "Afficher plus d'offres" shows up to 100 cards on one page */

/* The type of the page: ?type= or the path's slug; Emploi by default. */
static enum offer_type
type_of(const char *slug)
{
	enum offer_type t;
	return slug && offer_type_parse(slug, true, &t) ? t : OFFER_EMPLOI;
}

static struct vm *
new_page(struct req *r, const char *title)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", title);
	vm_set_str(page, "nav", "offres");
	return page;
}

/* The tabs "Recherche" | "Suivi des offres". */
static void
set_tabs(struct vm *page, bool followed)
{
	vm_set_bool(page, "tab_search", !followed);
	vm_set_bool(page, "tab_followed", followed);
}

int
offers_app_home(struct req *r)
{
	struct vm *page = new_page(r, "Offres");
	set_tabs(page, false);
	struct vm *types = vm_set_list(page, "types");
	static const char *const labels[OFFER_TYPES] = {"Offres d’emploi", "Alternance",
							"Service civique", "Immersion"};
	static const enum offer_type order[OFFER_TYPES] = {OFFER_EMPLOI, OFFER_ALTERNANCE,
							   OFFER_IMMERSION, OFFER_SERVICE_CIVIQUE};
	for (int i = 0; i < OFFER_TYPES; i++) {
		struct vm *t = vm_push_obj(types);
		vm_set_str(t, "label", labels[order[i]]);
		vm_set_str(t, "slug", offer_type_slug(order[i]));
	}
	offers_recent_show(r, page);
	return view_page(r, 200, "offers/app_home.html", page);
}

/* ---- Search ---- */

/* Is "À partir de" chosen: the radio, or a date without it (a link)? */
static bool
start_given(const struct offers_form *f)
{
	return f->start_mode ? !strcmp(f->start_mode, "a-partir-de") : f->start != NULL;
}

static bool
in_list(const char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (list[i] && !strcmp(list[i], s))
			return true;
	return false;
}

/* Service civique's "Domaine" and "Date de début" (offers/mission_criteria.html). */
static void
set_mission_form(struct vm *page, const struct offers_form *f, enum offer_type t)
{
	vm_set_bool(page, "civique", t == OFFER_SERVICE_CIVIQUE);
	struct vm *list = vm_set_list(page, "domains");
	for (int i = 0; i < OFFER_DOMAINS; i++) {
		struct vm *d = vm_push_obj(list);
		vm_set_str(d, "slug", offer_domains[i].slug);
		vm_set_str(d, "label", offer_domains[i].label);
		vm_set_bool(d, "selected", f->domain && !strcmp(f->domain, offer_domains[i].slug));
	}
	vm_set_bool(page, "start_asap", !start_given(f));
	int64_t day = f->start ? offers_day_parse(f->start) : CLOCK_NO_DAY;
	vm_set_str_opt(page, "start", day != CLOCK_NO_DAY ? clock_day_iso(vm_arena(page), day)
							   : f->start);
}

/* The form's fields, as the template reads them. */
static void
set_form(struct vm *page, const struct offers_query *q, enum offer_type t, const char *place_label,
	 int n_filters)
{
	const struct offers_form *f = &q->form;
	vm_set_str(page, "type", offer_type_slug(t));
	vm_set_str(page, "type_label", offer_type_label(t));
	vm_set_bool(page, "is_emploi", t == OFFER_EMPLOI);
	vm_set_bool(page, "with_number", t == OFFER_EMPLOI || t == OFFER_ALTERNANCE);
	vm_set_bool(page, "with_contract_filters", t == OFFER_EMPLOI || t == OFFER_ALTERNANCE);
	vm_set_bool(page, "is_immersion", t == OFFER_IMMERSION);
	vm_set_str(page, "number", f->number ? f->number : "");
	vm_set_str(page, "keywords", f->keywords ? f->keywords : "");
	vm_set_str(page, "place", place_label ? place_label : "");
	vm_set_str(page, "distance", f->distance && *f->distance ? f->distance : "10");
	vm_set_bool(page, "cdi", in_list(f->contracts, f->n_contracts, "CDI"));
	vm_set_bool(page, "cdd", in_list(f->contracts, f->n_contracts, "CDD"));
	vm_set_bool(page, "autres", in_list(f->contracts, f->n_contracts, "AUTRES"));
	vm_set_bool(page, "plein", in_list(f->work_times, f->n_work_times, "PLEIN"));
	vm_set_bool(page, "partiel", in_list(f->work_times, f->n_work_times, "PARTIEL"));
	vm_set_bool(page, "debutant", f->beginner);
	set_mission_form(page, f, t);
	vm_set_str(page, "filters_label",
		   n_filters ? vm_strf(vm_arena(page), "Filtres (%d)", n_filters) : "Filtres");
}

/* The filters behind "Filtres" that are on (youth-app.md §8: "Filtres ({n})"). */
static int
count_filters(const struct offers_form *f, enum offer_type t)
{
	int n = 0;
	if (t == OFFER_EMPLOI)
		n += f->n_contracts;
	if (t == OFFER_EMPLOI || t == OFFER_ALTERNANCE)
		n += f->n_work_times + (f->beginner ? 1 : 0);
	if (t == OFFER_SERVICE_CIVIQUE)
		n += (f->domain ? 1 : 0) + (start_given(f) ? 1 : 0);
	if (f->distance && *f->distance && strcmp(f->distance, "10"))
		n++;
	return n;
}

/* The ids of the beneficiary's favourites, for the cards' toggles. */
static GHashTable *
saved_ids(struct req *r)
{
	struct offer_favorite *favs;
	GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);
	int n = offers_favorites_list(ctx_db(r), r->a, r->user->id, -1, &favs);
	for (int i = 0; i < n; i++)
		g_hash_table_add(set, (gpointer)favs[i].offer_id);
	return set;
}

static const char *
distance_label(struct arena *a, double km)
{
	return km < 1 ? "À moins d’1 km" : arena_printf(a, "À %.0f km", km);
}

/* A result card (offers.md §2). */
static void
push_card(struct req *r, struct vm *list, const struct offers_hit *h, bool saved, int index,
	  const char *back, bool first)
{
	struct vm *c = vm_push_obj(list);
	vm_set_bool(c, "first", first);
	vm_set_str(c, "anchor", arena_printf(r->a, "offre-%d", index));
	vm_set_str(c, "id", h->id);
	vm_set_str(c, "slug", offer_type_slug(h->type));
	vm_set_str(c, "type_label", offer_type_label(h->type));
	vm_set_bool(c, "numbered", h->type == OFFER_EMPLOI || h->type == OFFER_ALTERNANCE);
	vm_set_str(c, "title", h->type == OFFER_IMMERSION && h->appellation_label ? h->appellation_label
										 : h->title);
	vm_set_str_opt(c, "company", h->company);
	vm_set_str_opt(c, "place", offers_place_label(r->a, h->place_label, h->postal_code));
	vm_set_str_opt(c, "contract", h->contract_label);
	vm_set_str_opt(c, "work_time", h->work_time_label);
	vm_set_str_opt(c, "domain", h->domain);
	vm_set_str_opt(c, "start", h->start_date ? arena_printf(r->a, "Dès le %s",
		clock_fr_day(r->a, h->start_date, r->user->timezone)) : NULL);
	vm_set_bool(c, "voluntary", h->type == OFFER_IMMERSION && h->voluntary);
	vm_set_str_opt(c, "distance", h->has_distance ? distance_label(r->a, h->distance_km) : NULL);
	vm_set_bool(c, "saved", saved);
	vm_set_str(c, "back", back);
}

/* "Précisez le lieu" (a name that fits several places, "Paris"): each choice is this
 * search with that place. */
static int
place_choices(struct req *r, struct vm *page, const struct offers_form *f,
	      const struct offers_place *place)
{
	struct vm *choices = vm_set_list(page, "choices");
	for (int i = 0; i < place->n_choices; i++) {
		struct offers_form g = *f;
		g.place = place->choices[i].code;
		struct vm *o = vm_push_obj(choices);
		vm_set_str(o, "label", place->choices[i].label);
		vm_set_str(o, "href", arena_printf(r->a, "/app/offres/recherche?%s&recherche=1",
						   offers_query_string(r->a, &g)));
	}
	return view_page(r, 200, "offers/app_search.html", page);
}

int
offers_app_search(struct req *r)
{
	struct offers_query q;
	offers_query_read(&r->query, &q);
	enum offer_type t = type_of(q.form.type);
	q.form.type = offer_type_slug(t);
	const char *typed = q.form.place;
	struct refusal why = {0};
	struct offers_place place;
	int rc = offers_place_resolve(ctx_db(r), r->a, typed, &place);
	if (rc)
		return rc;
	if (place.code)
		q.form.place = place.code;
	const char *place_label = place.label;
	struct vm *page = new_page(r, arena_printf(r->a, "Recherche : %s", offer_type_label(t)));
	set_tabs(page, false);
	set_form(page, &q, t, place_label ? place_label : typed, count_filters(&q.form, t));
	vm_set_null(page, "error");
	vm_set_null(page, "error_field");
	vm_set_null(page, "results");
	vm_set_null(page, "choices");
	/* The form alone until it is sent ("recherche" is its submit button's name). */
	if (!req_query(r, "recherche"))
		return view_page(r, 200, "offers/app_search.html", page);
	if (place.choices)
		return place_choices(r, page, &q.form, &place);
	struct offers_criteria c;
	rc = place.unknown ? refuse_with(&why, 400, "lieu", NULL, "Aucune commune ni aucun "
					 "département ne correspond à ce lieu : choisis un lieu "
					 "dans la liste.")
			   : offers_criteria_parse(r->a, &q.form, &c, &why);
	if (rc) {
		if (!why.message)
			return rc;
		vm_set_str(page, "error", why.message);
		vm_set_str_opt(page, "error_field", why.field);
		return view_page(r, why.status ? why.status : 400, "offers/app_search.html", page);
	}
	int pages = req_query_int(r, "page", 1, 1, MAX_PAGES);
	/* htmx's "Afficher plus d'offres": the cards of this page alone, appended. */
	bool suite = req_query(r, "suite") && pages > 1;
	const char *query = offers_query_string(r->a, &q.form);
	const char *back = arena_printf(r->a, "/app/offres/recherche?%s&recherche=1&page=%d", query,
					pages);
	struct vm *res = vm_set_obj(page, "results");
	struct vm *cards = vm_set_list(res, "cards");
	GHashTable *saved = saved_ids(r);
	struct offers_result out = {0};
	int shown = suite ? (pages - 1) * OFFERS_PAGE_SIZE : 0;
	for (int p = suite ? pages : 1; p <= pages; p++) {
		rc = offers_search_cached(ctx_db(r), r->a, req_ctx(r)->offers_text, &c, p, &out, &why);
		if (rc)
			break;
		for (int i = 0; i < out.n; i++, shown++)
			push_card(r, cards, &out.hits[i], g_hash_table_contains(saved, out.hits[i].id),
				  shown + 1, back, suite && p == pages && i == 0);
		if (out.n < OFFERS_PAGE_SIZE)
			break;
	}
	g_hash_table_destroy(saved);
	if (rc) {
		if (!why.message)
			return rc;
		vm_set_str(page, "error", why.message);
		vm_set_str_opt(page, "error_field", why.field);
		vm_set_null(page, "results");
		return view_page(r, why.status ? why.status : 400, "offers/app_search.html", page);
	}
	/* A search that ran is one of "the last 3 searches" of the search home. */
	offers_recent_remember(r, query);
	vm_set_str(res, "count", offers_count_label(r->a, &out));
	vm_set_bool(res, "empty", shown == 0);
	bool more = shown == pages * OFFERS_PAGE_SIZE && pages < MAX_PAGES &&
		    (out.more || out.count > shown);
	vm_set_str_opt(res, "more", more ? arena_printf(r->a, "/app/offres/recherche?%s&recherche=1"
							"&page=%d#offre-%d", query, pages + 1,
							shown + 1) : NULL);
	vm_set_str_opt(res, "more_suite", more ? arena_printf(r->a, "/app/offres/recherche?%s"
							      "&recherche=1&page=%d&suite=1", query,
							      pages + 1) : NULL);
	vm_set_str(res, "alert", arena_printf(r->a, "/app/offres/alertes/nouvelle?%s", query));
	vm_set_bool(res, "oob", suite);
	if (suite)
		return view_page(r, 200, "offers/app_more.html", res);
	return view_page(r, 200, "offers/app_search.html", page);
}

/* ---- Detail ---- */

/* The return address of a form: one of the tab's own pages, else the detail. */
static const char *
back_of(struct req *r, const char *fallback)
{
	const char *b = req_form(r, "retour");
	return b && !strncmp(b, "/app/offres", 11) && !strchr(b, '\r') && !strchr(b, '\n') ? b
													: fallback;
}

static const char *
detail_href(struct req *r, enum offer_type t, const char *id)
{
	return arena_printf(r->a, "/app/offres/%s/%s", offer_type_slug(t), url_encode(r->a, id));
}

/* The offer of the path, active and of the path's type; -ERR_NOTFOUND otherwise. */
static int
path_offer(struct req *r, struct offer *o)
{
	enum offer_type t;
	if (!offer_type_parse(req_param(r, "slug"), true, &t))
		return -ERR_NOTFOUND;
	int rc = offers_store_get(ctx_db(r), r->a, req_param(r, "id"), o);
	if (!rc && (!o->active || o->type != t))
		rc = -ERR_NOTFOUND;
	return rc;
}

/* The offer as its pages show it (offers_page.h), days in the young person's zone. */
static void
set_offer(struct req *r, struct vm *page, const struct offer *o)
{
	vm_set(page, "offer", offers_detail_vm(r->a, o, detail_href(r, o->type, o->id),
					       r->user->timezone));
}

/* The snapshot of a favourite whose offer is gone (offers.md §10 #10). */
static void
set_favorite(struct req *r, struct vm *o, const struct offer_favorite *f)
{
	vm_set_str(o, "id", f->offer_id);
	vm_set_str(o, "slug", offer_type_slug(f->type));
	vm_set_str(o, "href", detail_href(r, f->type, f->offer_id));
	vm_set_str(o, "type_label", offer_type_label(f->type));
	vm_set_bool(o, "numbered", f->type == OFFER_EMPLOI || f->type == OFFER_ALTERNANCE);
	vm_set_str(o, "title", f->title);
	vm_set_str_opt(o, "company", f->company);
	vm_set_str_opt(o, "place", f->place);
	vm_set_str_opt(o, "detail", f->detail);
	vm_set_str_opt(o, "applied", f->applied_at
		? clock_fr_day(r->a, f->applied_at, r->user->timezone) : NULL);
}

static int
gone_page(struct req *r, const struct offer_favorite *f)
{
	struct vm *page = new_page(r, "Offre indisponible");
	vm_set_str(page, "message", GONE);
	if (f) {
		struct vm *o = vm_set_obj(page, "favorite");
		set_favorite(r, o, f);
	} else {
		vm_set_null(page, "favorite");
	}
	return view_page(r, 404, "offers/app_gone.html", page);
}

int
offers_app_detail(struct req *r)
{
	struct offer o;
	struct offer_favorite f;
	const char *id = req_param(r, "id");
	struct db *db = ctx_db(r);
	int64_t now = clock_now_ms();
	int frc = offers_favorite_get(db, r->a, r->user->id, id, &f);
	if (frc && frc != -ERR_NOTFOUND)
		return frc;
	int rc = path_offer(r, &o);
	if (rc == -ERR_NOTFOUND)
		return gone_page(r, frc ? NULL : &f);
	if (rc)
		return rc;
	if ((rc = offers_viewed(db, r->user->id, o.id, now)))
		return rc;
	struct vm *page = new_page(r, o.title ? o.title : "Détail de l’offre");
	set_offer(r, page, &o);
	vm_set_bool(page, "saved", frc == 0);
	vm_set_str_opt(page, "applied", frc == 0 && f.applied_at
		? clock_fr_day(r->a, f.applied_at, r->user->timezone) : NULL);
	vm_set_bool(page, "ask", req_query(r, "postule") ||
			       (frc == 0 && offers_favorite_ask_applied(&f, now)));
	return view_page(r, 200, "offers/app_detail.html", page);
}

int
offers_app_save_post(struct req *r)
{
	const char *id = req_param(r, "id");
	enum offer_type t = type_of(req_param(r, "slug"));
	int rc = offers_favorite_save(ctx_db(r), r->a, r->user->id, id, clock_now_ms());
	/* A second save is idempotent: the toggle stays "Enregistrée" (youth-app.md §8). */
	if (rc == -ERR_NOTFOUND)
		return gone_page(r, NULL);
	if (rc && rc != -ERR_CONFLICT)
		return rc;
	return view_redirect_flash(r, back_of(r, detail_href(r, t, id)), "offre-enregistree", NULL);
}

int
offers_app_applied_post(struct req *r)
{
	const char *id = req_param(r, "id"), *answer = req_form(r, "reponse");
	enum offer_type t = type_of(req_param(r, "slug"));
	enum offers_applied_answer a;
	const char *flash;
	if (answer && !strcmp(answer, "oui")) {
		a = OFFERS_APPLIED_YES;
		flash = "offre-postulee";
	} else if (answer && !strcmp(answer, "plus-tard")) {
		a = OFFERS_APPLIED_NOT_YET;
		flash = "offre-enregistree";
	} else if (answer && !strcmp(answer, "non")) {
		a = OFFERS_APPLIED_NO;
		flash = "offre-retiree";
	} else {
		return -ERR_INVAL;
	}
	int rc = offers_favorite_answer(ctx_db(r), r->a, r->user->id, id, a, clock_now_ms());
	if (rc == -ERR_NOTFOUND)
		return gone_page(r, NULL);
	if (rc)
		return rc;
	return view_redirect_flash(r, detail_href(r, t, id), flash, NULL);
}

/* ---- Share with the counselor ---- */

static int
share_form(struct req *r, int status, const struct offer *o, const char *text, const char *error)
{
	struct vm *page = new_page(r, "Partage de l’offre");
	set_offer(r, page, o);
	vm_set_str(page, "message", text);
	vm_set_str_opt(page, "error", error);
	return view_page(r, status, "offers/app_share.html", page);
}

int
offers_app_share_page(struct req *r)
{
	struct offer o;
	int rc = path_offer(r, &o);
	if (rc == -ERR_NOTFOUND)
		return gone_page(r, NULL);
	return rc ? rc : share_form(r, 200, &o, offers_share_to_counselor_text(o.type), NULL);
}

int
offers_app_share_post(struct req *r)
{
	struct offer o;
	struct refusal why = {0};
	const char *text = req_form(r, "message");
	int rc = path_offer(r, &o);
	if (rc == -ERR_NOTFOUND)
		return gone_page(r, NULL);
	if (!rc)
		rc = offers_share_to_counselor(ctx_db(r), req_ctx(r)->keys, r->a, r->user->id, &o,
					       text ? text : "", clock_now_ms(), &why);
	if (rc && why.field)
		return share_form(r, why.status, &o, text ? text : "", why.message);
	if (rc)
		return rc;
	return view_redirect_flash(r, detail_href(r, o.type, o.id), "offre-partagee-conseiller", NULL);
}

/* ---- Suivi des offres ---- */

int
offers_app_followed(struct req *r)
{
	static const struct {
		const char *slug, *label;
		int type;
	} filters[] = {
		{"", "Tous", -1}, {"emploi", "Emploi", OFFER_EMPLOI},
		{"alternance", "Alternance", OFFER_ALTERNANCE},
		{"service-civique", "Service civique", OFFER_SERVICE_CIVIQUE},
		{"immersion", "Immersion", OFFER_IMMERSION},
	};
	const char *want = req_query(r, "type");
	int type = -1;
	struct vm *page = new_page(r, "Suivi des offres");
	set_tabs(page, true);
	struct vm *fl = vm_set_list(page, "filters");
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		bool on = want ? !strcmp(want, filters[i].slug) : i == 0;
		if (on)
			type = filters[i].type;
		struct vm *x = vm_push_obj(fl);
		vm_set_str(x, "label", filters[i].label);
		vm_set_str(x, "href", *filters[i].slug ? arena_printf(r->a, "/app/offres/suivi?type=%s",
								       filters[i].slug)
						       : "/app/offres/suivi");
		vm_set_bool(x, "current", on);
	}
	struct offer_favorite *favs;
	int n = offers_favorites_followed(ctx_db(r), r->a, r->user->id, type, &favs);
	if (n < 0)
		return n;
	int applied = 0;
	struct vm *list = vm_set_list(page, "favorites");
	for (int i = 0; i < n; i++) {
		struct vm *x = vm_push_obj(list);
		set_favorite(r, x, &favs[i]);
		vm_set_bool(x, "gone", favs[i].gone);
		applied += favs[i].applied_at != 0;
	}
	vm_set_str(page, "n_favorites", arena_printf(r->a, "%d favori%s", n, n > 1 ? "s" : ""));
	vm_set_str(page, "n_applied", arena_printf(r->a, "%d postulée%s", applied,
						   applied > 1 ? "s" : ""));
	vm_set_str(page, "gone_message", GONE);
	return view_page(r, 200, "offers/app_followed.html", page);
}

int
offers_app_followed_remove_post(struct req *r)
{
	int rc = offers_favorite_answer(ctx_db(r), r->a, r->user->id, req_param(r, "id"),
					OFFERS_APPLIED_NO, clock_now_ms());
	if (rc)
		return rc;
	return view_redirect_flash(r, "/app/offres/suivi", "offre-supprimee", NULL);
}

/* ---- Immersion: "Contacter l'entreprise" ---- */

static int
contact_form(struct req *r, int status, const struct offer *o, const struct offers_contact *c,
	     const struct refusal *why)
{
	struct vm *page = new_page(r, "Contacter l’entreprise");
	set_offer(r, page, o);
	vm_set_str(page, "first_name", c->first_name ? c->first_name : r->user->first_name);
	vm_set_str(page, "last_name", c->last_name ? c->last_name : r->user->last_name);
	vm_set_str(page, "email", c->email ? c->email : r->user->email ? r->user->email : "");
	vm_set_str(page, "phone", c->phone ? c->phone : "");
	vm_set_str(page, "start_date", c->start_date ? c->start_date : "");
	vm_set_str(page, "message", c->message ? c->message : "");
	vm_set_str_opt(page, "error", why ? why->message : NULL);
	vm_set_str_opt(page, "error_field", why ? why->field : NULL);
	return view_page(r, status, "offers/app_contact.html", page);
}

/* The Immersion of the path (its slug must be "immersion"). */
static int
path_immersion(struct req *r, struct offer *o)
{
	int rc = path_offer(r, o);
	return !rc && o->type != OFFER_IMMERSION ? -ERR_NOTFOUND : rc;
}

int
offers_app_contact_page(struct req *r)
{
	struct offer o;
	int rc = path_immersion(r, &o);
	if (rc == -ERR_NOTFOUND)
		return gone_page(r, NULL);
	return rc ? rc : contact_form(r, 200, &o, &(struct offers_contact){0}, NULL);
}

int
offers_app_contact_post(struct req *r)
{
	struct offer o;
	struct refusal why = {0};
	struct offers_contact c = {
		.first_name = req_form(r, "prenom"), .last_name = req_form(r, "nom"),
		.email = req_form(r, "email"), .phone = req_form(r, "telephone"),
		.start_date = req_form(r, "debut"), .message = req_form(r, "message"),
	};
	int rc = path_immersion(r, &o);
	if (rc == -ERR_NOTFOUND)
		return gone_page(r, NULL);
	if (!rc)
		rc = offers_contact_send(req_ctx(r), ctx_db(r), r->a, r->user->id, &o, &c,
					 clock_now_ms(), &why);
	if (rc && why.message)
		return contact_form(r, why.status, &o, &c, &why);
	if (rc)
		return rc;
	return view_redirect_flash(r, detail_href(r, o.type, o.id), "immersion-contact", NULL);
}
