/* offers_recent_app.c — the app's last 3 searches (offers_recent.h) on the young person's
 * pages: remembered in the cookie when a search runs, listed on the search home. The
 * cookie's path is /app: the counselor's pages and the API never receive it. */
#include "offers/offers_recent_app.h"

#include "offers/offers.h"
#include "offers/offers_alerts_view.h"
#include "offers/offers_recent.h"
#include "offers/offers_saved.h"
#include "offers/offers_search.h"

#include "base/arena.h"
#include "base/config.h"
#include "core/ctx.h"
#include "auth/session.h"
#include "http/http.h"
#include "view/vm.h"

#include <glib.h>

/* The cookie of the young person logged in: "cej_recherches_" and 12 hex digits of the
 * SHA-256 of their id. On a shared device (a Mission Locale's computer, a family phone)
 * the next young person reads their own cookie, never the searches of the one before. */
static const char *
cookie_name(struct req *r)
{
	gchar *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, r->user->id, -1);
	const char *name = arena_printf(r->a, "%s_%.12s", OFFERS_RECENT_COOKIE, h);
	g_free(h);
	return name;
}

void
offers_recent_remember(struct req *r, const char *query)
{
	if (!offers_recent_valid(r->a, query, NULL))
		return;
	const char *list[OFFERS_RECENT_MAX];
	const char *name = cookie_name(r);
	int n = offers_recent_decode(r->a, req_cookie(r, name), list);
	n = offers_recent_add(query, list, n);
	resp_cookie_at(r, name, offers_recent_encode(r->a, list, n), "/app",
		       OFFERS_RECENT_MAX_AGE, req_ctx(r)->cfg->secure_cookies);
}

void
offers_recent_show(struct req *r, struct vm *page)
{
	const char *list[OFFERS_RECENT_MAX];
	int n = offers_recent_decode(r->a, req_cookie(r, cookie_name(r)), list);
	struct vm *out = vm_set_list(page, "recent");
	for (int i = 0; i < n; i++) {
		struct offers_criteria c;
		if (!offers_recent_valid(r->a, list[i], &c))
			continue;
		struct vm *o = vm_push_obj(out);
		/* "Offre d'emploi · vendeur · Brest (29200) · 10 km": the words of Mes alertes. */
		const char *line = offers_alerts_recap_line(&c, offers_saved_place_label(
			ctx_db(r), r->a, c.commune ? c.commune : c.departement), o);
		vm_set_str(o, "label", *line ? arena_printf(r->a, "%s · %s", offer_type_label(c.type),
							    line)
					     : offer_type_label(c.type));
		vm_set_str(o, "href", arena_printf(r->a, "/app/offres/recherche?%s&recherche=1",
						   list[i]));
	}
}
