/* offers_alerts_app.c — the young person's pages of saved searches (offers_alerts_app.h).
 * A beneficiary only ever reaches their own rows: every query is keyed by r->user->id. */
#include "offers/offers_alerts_app.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "offers/offers_alerts.h"
#include "offers/offers_alerts_view.h"
#include "offers/offers_query.h"
#include "offers/offers_saved.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

#define LIST "/app/offres/alertes"

/* ---- "Créer une alerte pour la recherche" ---------------------------------------------- */

static int
new_form(struct req *r, int status, const struct offers_criteria *c, const char *query,
	 const char *name, const char *error)
{
	struct db *db = ctx_db(r);
	const char *place = offers_saved_place_label(db, r->a, c->commune ? c->commune
								  : c->departement);
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Créer une alerte pour la recherche");
	vm_set_str(data, "nav", "offres");
	vm_set_str(data, "query", query);
	vm_set_strf(data, "results", OFFERS_APP_RESULTS "?%s&recherche=1", query);
	vm_set_str(data, "name", name ? name : offers_saved_default_name(r->a, c, place));
	vm_set_str_opt(data, "error", error);
	offers_alerts_recap(c, place, vm_set_list(data, "criteria"));
	return view_page(r, status, "offers/app_alerts_new.html", data);
}

/* The criteria of the request's query, checked; a refusal page when they are not valid. */
static int
read_criteria(struct req *r, struct offers_query *q, struct offers_criteria *c,
	      const char **query)
{
	struct refusal why = {0};
	offers_query_read(&r->query, q);
	int rc = offers_criteria_parse(r->a, &q->form, c, &why);
	if (rc) {
		view_refusal(r, &why, "offres", "/app/offres", "Retour à la recherche");
		return 1;
	}
	*query = offers_query_string(r->a, &q->form);
	return 0;
}

int
offers_alerts_new_page(struct req *r)
{
	struct offers_query q;
	struct offers_criteria c;
	const char *query;
	int rc = read_criteria(r, &q, &c, &query);
	return rc == 1 ? 0 : new_form(r, 200, &c, query, NULL, NULL);
}

int
offers_alerts_new_post(struct req *r)
{
	struct offers_query q;
	struct offers_criteria c;
	const char *query, *id;
	if (read_criteria(r, &q, &c, &query) == 1)
		return 0;
	struct refusal why = {0};
	const char *name = req_form(r, "nom");
	int rc = offers_saved_create(ctx_db(r), r->a, clock_now_ms(), r->user->id, name, &q.form,
				     &id, &why);
	if (rc && why.field && !strcmp(why.field, "nom"))
		return new_form(r, why.status, &c, query, name ? name : "", why.message);
	if (rc && why.message)
		return view_refusal(r, &why, "offres", LIST, "Retour à mes alertes");
	if (rc)
		return rc;
	return view_redirect_flash(r, LIST, "alerte-creee", NULL);
}

/* ---- "Mes alertes" ----------------------------------------------------------------------- */

/* One saved search or suggestion of the list. */
static void
add_item(struct req *r, struct vm *list, const struct offers_saved *s)
{
	struct vm *o = vm_push_obj(list);
	struct offers_criteria c;
	struct refusal why = {0};
	vm_set_str(o, "id", s->id);
	vm_set_str(o, "name", s->name);
	vm_set_str(o, "type", offer_type_label(s->type));
	const char *line = NULL;
	if (!offers_saved_criteria(r->a, s->criteria, &c, &why))
		line = offers_alerts_recap_line(&c, offers_saved_place_label(
			ctx_db(r), r->a, c.commune ? c.commune : c.departement), o);
	vm_set_str_opt(o, "recap", line && *line ? line : NULL);
}

int
offers_alerts_home(struct req *r, struct vm *page)
{
	struct offers_saved *s;
	int n = offers_saved_list(ctx_db(r), r->a, r->user->id, false, OFFERS_ALERTS_HOME, &s);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(page, "alerts");
	for (int i = 0; i < n; i++)
		add_item(r, list, &s[i]);
	return 0;
}

int
offers_alerts_page(struct req *r)
{
	struct db *db = ctx_db(r);
	enum offer_type type;
	const char *filter = req_query(r, "type");
	bool filtered = filter && offer_type_parse(filter, true, &type);
	struct offers_saved *saved, *sugg;
	int n = offers_saved_list(db, r->a, r->user->id, false, 0, &saved);
	int m = n < 0 ? n : offers_saved_list(db, r->a, r->user->id, true, 0, &sugg);
	if (m < 0)
		return m;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Mes alertes");
	vm_set_str(data, "nav", "offres");
	vm_set_bool(data, "any", n > 0);
	struct vm *list = vm_set_list(data, "alerts");
	for (int i = 0; i < n; i++)
		if (!filtered || saved[i].type == type)
			add_item(r, list, &saved[i]);
	struct vm *sl = vm_set_list(data, "suggestions");
	for (int i = 0; i < m; i++)
		add_item(r, sl, &sugg[i]);
	struct vm *types = vm_set_list(data, "types");
	for (int t = 0; t < OFFER_TYPES; t++) {
		struct vm *o = vm_push_obj(types);
		vm_set_str(o, "slug", offer_type_slug(t));
		vm_set_str(o, "label", offer_type_label(t));
		vm_set_bool(o, "selected", filtered && type == (enum offer_type)t);
	}
	return view_page(r, 200, "offers/app_alerts.html", data);
}

int
offers_alerts_open(struct req *r)
{
	struct offers_saved s;
	int rc = offers_saved_open(ctx_db(r), r->a, clock_now_ms(), r->user->id,
				   req_param(r, "id"), &s);
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(r->a, OFFERS_APP_RESULTS "?%s&recherche=1", s.query));
	return 0;
}

/* ---- Deletion ---------------------------------------------------------------------------- */

int
offers_alerts_delete_page(struct req *r)
{
	struct offers_saved s;
	int rc = offers_saved_get(ctx_db(r), r->a, r->user->id, req_param(r, "id"), &s);
	if (rc)
		return rc;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Supprimer l’alerte");
	vm_set_str(data, "nav", "offres");
	vm_set_str(data, "id", s.id);
	vm_set_str(data, "name", s.name);
	return view_page(r, 200, "offers/app_alerts_delete.html", data);
}

int
offers_alerts_delete_post(struct req *r)
{
	int rc = offers_saved_delete(ctx_db(r), r->user->id, req_param(r, "id"));
	return rc ? rc : view_redirect_flash(r, LIST, "alerte-supprimee", NULL);
}

/* ---- The counselor's suggestions --------------------------------------------------------- */

static int
answer(struct req *r, bool accept)
{
	struct refusal why = {0};
	int rc = offers_saved_answer(ctx_db(r), clock_now_ms(), r->user->id, req_param(r, "id"),
				     accept, &why);
	if (rc && why.message)
		return view_refusal(r, &why, "offres", LIST, "Retour à mes alertes");
	if (rc)
		return rc;
	return view_redirect_flash(r, LIST, accept ? "alerte-creee" : "suggestion-refusee", NULL);
}

int
offers_alerts_accept_post(struct req *r)
{
	return answer(r, true);
}

int
offers_alerts_refuse_post(struct req *r)
{
	return answer(r, false);
}
