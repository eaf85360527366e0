/* offers_favorites_api.c — the favourites in the JSON API for native clients (/api/v1,
 * docs/offers.md "API"): the session cookie, and X-CSRF-Token on writes as htmx sends it.
 *   POST /api/v1/favoris {"offerId": "…"}            201 {offerId, type, createdAt};
 *        409 when already saved (one favourite stays: offers.md §10 #6); 404 unknown offer.
 *   GET  /api/v1/beneficiaires/{id}/favoris           200 [{offerId, type, title, company,
 *        place, createdAt, appliedAt}] for the beneficiary himself, or a counselor who may
 *        read his fiche — 403 when the switch "Partager mes offres suivies" is off (§10 #7).
 * Errors are {"error": "French message"}. */
#include "offers/offers_app.h"

#include "offers/offers_favorites.h"

#include "auth/authz.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "http/http.h"
#include "record/record.h"

#include <jansson.h>

static int
api_error(struct req *r, int status, const char *message)
{
	resp_json(r, status, json_pack("{s:s}", "error", message));
	return 0;
}

int
offers_api_favorite_post(struct req *r)
{
	json_error_t e;
	const char *offer_id = NULL;
	json_t *body = r->body ? json_loadb(r->body, r->body_len, 0, &e) : NULL;
	if (!body || json_unpack_ex(body, &e, JSON_STRICT, "{s:s}", "offerId", &offer_id)) {
		json_decref(body);
		return api_error(r, 400, "Le corps doit être {\"offerId\": \"…\"}.");
	}
	const char *id = arena_strdup(r->a, offer_id);
	json_decref(body);
	int64_t now = clock_now_ms();
	int rc = offers_favorite_save(ctx_db(r), r->a, r->user->id, id, now);
	if (rc == -ERR_CONFLICT)
		return api_error(r, 409, "Cette offre est déjà dans tes offres suivies.");
	if (rc == -ERR_NOTFOUND)
		return api_error(r, 404, "Cette offre n’existe plus ou est momentanément suspendue");
	if (rc)
		return rc;
	struct offer_favorite f;
	if ((rc = offers_favorite_get(ctx_db(r), r->a, r->user->id, id, &f)))
		return rc;
	resp_json(r, 201, json_pack("{s:s, s:s, s:I}", "offerId", f.offer_id, "type",
				    offer_type_code(f.type), "createdAt", (json_int_t)f.created_at));
	return 0;
}

static json_t *
opt(const char *s)
{
	return s ? json_string(s) : json_null();
}

int
offers_api_favorites_get(struct req *r)
{
	const char *id = req_param(r, "id");
	struct db *db = ctx_db(r);
	if (!r->user)
		return api_error(r, 401, "Connecte-toi pour accéder à cette ressource.");
	struct offer_favorite *favs;
	int n;
	if (r->user->kind == USER_BENEFICIARY) {
		if (!authz_own_record(r->user, id))
			return api_error(r, 404, "Bénéficiaire introuvable.");
		n = offers_favorites_list(db, r->a, id, -1, &favs);
	} else {
		struct record rec;
		int rc = record_open(db, r->a, r->user, id, RECORD_READ, clock_now_ms(), &rec, NULL);
		if (rc == -ERR_NOTFOUND)
			return api_error(r, 404, "Bénéficiaire introuvable.");
		if (rc)
			return rc;
		bool shared;
		n = offers_favorites_for_counselor(db, r->a, id, &shared, &favs);
		if (n >= 0 && !shared)
			return api_error(r, 403, arena_printf(r->a, "%s ne partage pas ses favoris.",
							      rec.first_name));
	}
	if (n < 0)
		return n;
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:o}",
			"offerId", favs[i].offer_id, "type", offer_type_code(favs[i].type),
			"title", opt(favs[i].title), "company", opt(favs[i].company),
			"place", opt(favs[i].place), "createdAt", (json_int_t)favs[i].created_at,
			"appliedAt", favs[i].applied_at ? json_integer(favs[i].applied_at)
							 : json_null()));
	resp_json(r, 200, out);
	return 0;
}
