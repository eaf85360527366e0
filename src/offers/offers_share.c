/* offers_share.c — a counselor shares an offer (offers_share.h): the rules of the form, then
 * messaging's building blocks inside one write transaction. */
#include "offers/offers_share.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "messaging/lists.h"
#include "messaging/messaging_live.h"
#include "messaging/messaging_use.h"
#include "offers/offers_page.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>

#define NONE_CHOSEN "Sélectionnez au moins un bénéficiaire."

char *
offers_share_payload(struct arena *ar, const struct offer *o)
{
	json_t *p = json_pack("{s:s, s:s, s:s?, s:s?}", "type", offer_type_code(o->type), "id", o->id,
			      "title", o->title, "company", o->company);
	char *s = json_dumps(p, JSON_COMPACT);
	char *out = arena_strdup(ar, s);
	free(s);
	json_decref(p);
	return out;
}

int
offers_share(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
	     const char *counselor_id, const struct offer *o, const char *const *beneficiary_ids,
	     int n, const char *text, struct refusal *why)
{
	if (n <= 0)
		return refuse_with(why, 400, "beneficiaires", NULL, NONE_CHOSEN);
	if (n > OFFERS_SHARE_MAX)
		return refuse_with(why, 400, "beneficiaires", NULL, "Trop de bénéficiaires choisis.");
	const char **ids;
	n = lists_unique(ar, beneficiary_ids, n, &ids);
	struct list_person *pf;
	int np = lists_portfolio(db, ar, counselor_id, &pf);
	if (np < 0)
		return np;
	const char **mine = arena_alloc(ar, sizeof(*mine) * (size_t)(np + 1));
	for (int i = 0; i < np; i++)
		mine[i] = pf[i].id;
	if (!lists_all_within(ids, n, mine, np))
		return refuse_with(why, 403, "beneficiaires", NULL,
				   "Vous ne pouvez partager une offre qu’avec les bénéficiaires de "
				   "votre portefeuille.");
	char *t = text ? g_strstrip(arena_strdup(ar, text)) : NULL;
	struct msg_send in = {
		.sender = MSG_FROM_COUNSELOR, .counselor_id = counselor_id, .kind = MSG_OFFER_SHARE,
		.text = t && *t ? t : offers_share_default_text(o->type),
		.payload = offers_share_payload(ar, o),
	};
	const char *error = NULL;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	for (int i = 0; i < n && !rc; i++) {
		rc = messaging_send(db, keys, ar, now, ids[i], &in, NULL, &error);
		if (rc == -ERR_INVAL && error)
			rc = refuse_with(why, 400, "message", NULL, error);
		else if (!rc)
			messaging_live_changed_on_commit(db, ar, ids[i], counselor_id);
	}
	return db_tx_end(db, rc);
}
