/* offers_favorites_home.c — "Mon suivi des offres" on the app's Accueil (youth-app.md §5
 * item 5): the last 3 favourites, the home part "suivi" of the offers' descriptor
 * (core/feature.h home_part), rendered by templates/offers/app_followed_home.html, which
 * the home's template includes: home never includes offers. */
#include "offers/offers_app.h"

#include "offers/offers_favorites.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "http/http.h"
#include "http/parse.h"
#include "view/vm.h"

/* A card of the block: the offer's detail while it is in the catalogue, else its snapshot
 * in "Suivi des offres" (the detail would answer 404). */
static void
add_card(struct req *r, struct vm *list, const struct offer_favorite *f)
{
	const char *id = url_encode(r->a, f->offer_id);
	struct vm *x = vm_push_obj(list);
	vm_set_str(x, "type_label", offer_type_label(f->type));
	vm_set_str(x, "title", f->title);
	vm_set_str_opt(x, "company", f->company);
	vm_set_str_opt(x, "place", f->place);
	vm_set_bool(x, "applied", f->applied_at != 0);
	vm_set_bool(x, "gone", f->gone);
	vm_set_str(x, "href", f->gone ? arena_printf(r->a, "/app/offres/suivi#favori-%s", id)
				      : arena_printf(r->a, "/app/offres/%s/%s",
						     offer_type_slug(f->type), id));
}

int
offers_favorites_home(struct req *r, struct vm *page)
{
	struct offer_favorite *favs;
	int n = offers_favorites_latest(ctx_db(r), r->a, r->user->id, OFFERS_FAVORITES_HOME, &favs);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "followed");
	for (int i = 0; i < n; i++)
		add_card(r, list, &favs[i]);
	return 0;
}
