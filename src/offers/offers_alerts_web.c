/* offers_alerts_web.c — "Partager les critères" (offers_alerts_web.h). */
#include "offers/offers_alerts_web.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "offers/offers_alerts_view.h"
#include "offers/offers_query.h"
#include "offers/offers_saved.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

#define MAX_CHOSEN 500

/* The criteria of the query, checked and shareable; a refusal page otherwise (1). */
static int
read_criteria(struct req *r, struct offers_query *q, struct offers_criteria *c,
	      const char **query)
{
	struct refusal why = {0};
	offers_query_read(&r->query, q);
	*query = offers_query_string(r->a, &q->form);
	int rc = offers_criteria_parse(r->a, &q->form, c, &why);
	if (!rc && !offers_saved_shareable(c))
		rc = refuse_with(&why, 400, NULL, "Critères non partageables",
				 OFFERS_SAVED_NOT_SHAREABLE);
	if (!rc)
		return 0;
	view_refusal(r, &why, "offres", arena_printf(r->a, OFFERS_WEB_RESULTS "?%s", *query),
		     "Retour aux résultats");
	return 1;
}

static int
share_form(struct req *r, int status, const struct offers_criteria *c, const char *query,
	   const char *const *chosen, int n_chosen, const char *error)
{
	struct db *db = ctx_db(r);
	const char **ids, **names;
	int n = offers_saved_portfolio(db, r->a, r->user->id, &ids, &names);
	if (n < 0)
		return n;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Partager les critères de recherche");
	vm_set_str(data, "nav", "offres");
	vm_set_str(data, "query", query);
	vm_set_strf(data, "results", OFFERS_WEB_RESULTS "?%s", query);
	vm_set_str_opt(data, "error", error);
	offers_alerts_recap(c, offers_saved_place_label(db, r->a, c->commune ? c->commune
								      : c->departement),
			    vm_set_list(data, "criteria"));
	struct vm *people = vm_set_list(data, "people");
	for (int i = 0; i < n; i++) {
		struct vm *o = vm_push_obj(people);
		vm_set_str(o, "id", ids[i]);
		vm_set_str(o, "name", names[i]);
		bool on = false;
		for (int k = 0; k < n_chosen && !on; k++)
			on = !strcmp(chosen[k], ids[i]);
		vm_set_bool(o, "checked", on);
	}
	vm_set_bool(data, "empty", n == 0);
	return view_page(r, status, "offers/alerts_share.html", data);
}

int
offers_share_criteria_page(struct req *r)
{
	struct offers_query q;
	struct offers_criteria c;
	const char *query;
	if (read_criteria(r, &q, &c, &query))
		return 0;
	return share_form(r, 200, &c, query, NULL, 0, NULL);
}

int
offers_share_criteria_post(struct req *r)
{
	struct offers_query q;
	struct offers_criteria c;
	const char *query;
	if (read_criteria(r, &q, &c, &query))
		return 0;
	const char *chosen[MAX_CHOSEN];
	int n = req_form_all(r, "beneficiaires", chosen, MAX_CHOSEN);
	struct refusal why = {0};
	int rc = offers_saved_suggest(ctx_db(r), r->a, clock_now_ms(), r->user->id, &q.form,
				      chosen, n, &why);
	if (rc && why.status == 400 && why.field)
		return share_form(r, 400, &c, query, chosen, n, why.message);
	if (rc && why.message)
		return view_refusal(r, &why, "offres", arena_printf(r->a, OFFERS_WEB_RESULTS "?%s",
								    query), "Retour aux résultats");
	if (rc)
		return rc;
	return view_redirect_flash(r, arena_printf(r->a, OFFERS_WEB_RESULTS "?%s", query),
				   "criteres-partages", NULL);
}
