/* offers_favorites.c — the followed offers' rules and use cases (offers_favorites.h), and
 * the young person's share of an offer with their counselor. No SQL, no HTML. */
#include "offers/offers_favorites.h"

#include "offers/offers_events.h"
#include "offers/offers_store.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "db/db.h"
#include "messaging/messaging_live.h"
#include "messaging/messaging_use.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define FAVORITES_TZ "Europe/Paris"

static void
put(json_t *o, const char *key, const char *value)
{
	if (value && *value)
		json_object_set_new(o, key, json_string(value));
}

const char *
offers_place_label(struct arena *a, const char *label, const char *postal_code)
{
	const char *dash = label ? strstr(label, " - ") : NULL;
	const char *city = dash ? dash + 3 : label;
	return city && postal_code ? arena_printf(a, "%s (%s)", city, postal_code) : city;
}

/* The city of an Immersion or a mission: the place label without its "29 - " prefix. */
static const char *
city_of(const struct offer *o)
{
	const char *p = o->place_label;
	const char *dash = p ? strstr(p, " - ") : NULL;
	return dash ? dash + 3 : p;
}

char *
offers_favorite_snapshot(struct arena *a, const struct offer *o)
{
	json_t *s = json_object();
	put(s, "id", o->id);
	switch (o->type) {
	case OFFER_EMPLOI:
	case OFFER_ALTERNANCE:
		put(s, "title", o->title);
		put(s, "contract", o->contract_label);
		put(s, "company", o->company);
		put(s, "place", offers_place_label(a, o->place_label, o->postal_code));
		json_object_set_new(s, "alternance", json_boolean(o->type == OFFER_ALTERNANCE));
		put(s, "origin", o->origin_name);
		break;
	case OFFER_IMMERSION:
		put(s, "metier", o->appellation_label ? o->appellation_label : o->title);
		put(s, "establishment", o->company);
		put(s, "sector", o->naf_label);
		put(s, "city", city_of(o));
		break;
	case OFFER_SERVICE_CIVIQUE:
		put(s, "title", o->title);
		put(s, "domain", o->domain);
		put(s, "organisation", o->company);
		if (o->start_date)
			json_object_set_new(s, "start_date", json_integer(o->start_date));
		put(s, "city", city_of(o));
		break;
	}
	char *text = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(s);
	char *out = arena_strdup(a, text);
	free(text);
	return out;
}

static const char *
field(struct arena *a, json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v && *v ? arena_strdup(a, v) : NULL;
}

/* Which snapshot keys (offers_favorite_snapshot) a card's fields read, by type. */
static const struct {
	const char *title, *company, *place, *detail;
} snapshot_keys[OFFER_TYPES] = {
	[OFFER_EMPLOI] = {"title", "company", "place", "contract"},
	[OFFER_ALTERNANCE] = {"title", "company", "place", "contract"},
	[OFFER_IMMERSION] = {"metier", "establishment", "city", "sector"},
	[OFFER_SERVICE_CIVIQUE] = {"title", "organisation", "city", "domain"},
};

void
offers_favorite_read(struct arena *a, struct offer_favorite *f)
{
	json_t *s = f->snapshot ? json_loads(f->snapshot, 0, NULL) : NULL;
	if ((unsigned)f->type < OFFER_TYPES) {
		f->title = field(a, s, snapshot_keys[f->type].title);
		f->company = field(a, s, snapshot_keys[f->type].company);
		f->place = field(a, s, snapshot_keys[f->type].place);
		f->detail = field(a, s, snapshot_keys[f->type].detail);
	}
	if (!f->title)
		f->title = f->offer_id;
	json_decref(s);
}

bool
offers_favorite_ask_applied(const struct offer_favorite *f, int64_t now)
{
	return f && !f->applied_at && now - f->created_at > OFFERS_FAVORITE_ASK_MS;
}

int64_t
offers_favorites_cutoff(int64_t now)
{
	int64_t day = clock_day_add_months(clock_day_of(now, FAVORITES_TZ),
					   -OFFERS_FAVORITE_KEEP_MONTHS);
	return clock_day_at(day, 0, 0, FAVORITES_TZ);
}

/* The active offer @offer_id, or -ERR_NOTFOUND. */
static int
active_offer(struct db *db, struct arena *a, const char *offer_id, struct offer *o)
{
	int rc = offer_id && *offer_id ? offers_store_get(db, a, offer_id, o) : -ERR_NOTFOUND;
	return rc ? rc : o->active ? 0 : -ERR_NOTFOUND;
}

int
offers_favorite_save(struct db *db, struct arena *a, const char *beneficiary_id,
		     const char *offer_id, int64_t now)
{
	struct offer o;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = active_offer(db, a, offer_id, &o);
	if (!rc)
		rc = offers_favorites_store_add(db, beneficiary_id, o.id, o.type,
						offers_favorite_snapshot(a, &o), now);
	if (!rc)
		rc = offers_event_record(db, beneficiary_id, OFFER_EVENT_FAVORITE, o.id, now);
	return db_tx_end(db, rc);
}

int
offers_favorite_answer(struct db *db, struct arena *a, const char *beneficiary_id,
		       const char *offer_id, enum offers_applied_answer answer, int64_t now)
{
	struct offer_favorite f;
	struct offer o;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	if (answer == OFFERS_APPLIED_NO) {
		rc = offers_favorites_store_remove(db, beneficiary_id, offer_id);
		return db_tx_end(db, rc);
	}
	rc = offers_favorites_store_get(db, a, beneficiary_id, offer_id, &f);
	if (rc == -ERR_NOTFOUND) {
		rc = active_offer(db, a, offer_id, &o);
		if (!rc)
			rc = offers_favorites_store_add(db, beneficiary_id, o.id, o.type,
							offers_favorite_snapshot(a, &o), now);
		if (!rc)
			rc = offers_event_record(db, beneficiary_id, OFFER_EVENT_FAVORITE, o.id, now);
	}
	if (!rc && answer == OFFERS_APPLIED_YES)
		rc = offers_favorites_store_apply(db, beneficiary_id, offer_id, now);
	return db_tx_end(db, rc);
}

int
offers_favorite_get(struct db *db, struct arena *a, const char *beneficiary_id,
		    const char *offer_id, struct offer_favorite *out)
{
	return offers_favorites_store_get(db, a, beneficiary_id, offer_id, out);
}

int
offers_favorites_list(struct db *db, struct arena *a, const char *beneficiary_id, int type,
		      struct offer_favorite **out)
{
	return offers_favorites_store_list(db, a, beneficiary_id, type, out);
}

/* Sets ->gone of the @n first of @favs: their offer left the catalogue. 0 or -ERR_DB. */
static int
set_gone(struct db *db, struct arena *a, struct offer_favorite *favs, int n)
{
	for (int i = 0; i < n; i++) {
		struct offer o;
		int rc = offers_store_get(db, a, favs[i].offer_id, &o);
		if (rc && rc != -ERR_NOTFOUND)
			return rc;
		favs[i].gone = rc || !o.active;
	}
	return 0;
}

int
offers_favorites_followed(struct db *db, struct arena *a, const char *beneficiary_id, int type,
			  struct offer_favorite **out)
{
	int n = offers_favorites_store_list(db, a, beneficiary_id, type, out);
	int rc = n > 0 ? set_gone(db, a, *out, n) : 0;
	return rc ? rc : n;
}

int
offers_favorites_latest(struct db *db, struct arena *a, const char *beneficiary_id, int limit,
			struct offer_favorite **out)
{
	int n = offers_favorites_store_list(db, a, beneficiary_id, -1, out);
	if (n > limit)
		n = limit;
	int rc = n > 0 ? set_gone(db, a, *out, n) : 0;
	return rc ? rc : n;
}

int
offers_favorites_for_counselor(struct db *db, struct arena *a, const char *beneficiary_id,
			       bool *shared, struct offer_favorite **out)
{
	*out = NULL;
	int rc = offers_favorites_store_owner(db, a, beneficiary_id, shared, NULL);
	if (rc)
		return rc;
	return *shared ? offers_favorites_store_list(db, a, beneficiary_id, -1, out) : 0;
}

int
offers_viewed(struct db *db, const char *beneficiary_id, const char *offer_id, int64_t now)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = offers_event_since(db, beneficiary_id, OFFER_EVENT_VIEWED, offer_id,
				now - OFFER_EVENT_VIEW_SAME_MS);
	if (rc == 0)
		rc = offers_event_record(db, beneficiary_id, OFFER_EVENT_VIEWED, offer_id, now);
	return db_tx_end(db, rc < 0 ? rc : 0);
}

const char *
offers_share_to_counselor_text(enum offer_type t)
{
	switch (t) {
	case OFFER_ALTERNANCE:
		return "Bonjour, je vous partage une offre d’alternance afin d’avoir votre avis";
	case OFFER_IMMERSION:
		return "Bonjour, je vous partage une offre d’immersion afin d’avoir votre avis";
	case OFFER_SERVICE_CIVIQUE:
		return "Bonjour, je vous partage une offre de service civique afin d’avoir votre avis";
	case OFFER_EMPLOI:
		break;
	}
	return "Bonjour, je vous partage une offre d’emploi afin d’avoir votre avis";
}

int
offers_share_to_counselor(struct db *db, const struct msg_keyring *keys, struct arena *a,
			  const char *beneficiary_id, const struct offer *o, const char *text,
			  int64_t now, struct refusal *why)
{
	json_t *card = json_pack("{s:s, s:s, s:s}", "type", offer_type_code(o->type), "id", o->id,
				 "title", o->title ? o->title : o->id);
	if (o->company)
		json_object_set_new(card, "company", json_string(o->company));
	char *payload = json_dumps(card, JSON_COMPACT);
	json_decref(card);
	struct msg_send in = {.sender = MSG_FROM_BENEFICIARY, .kind = MSG_OFFER_SHARE,
			      .text = text, .payload = arena_strdup(a, payload)};
	free(payload);
	const char *error = NULL, *counselor_id = NULL;
	bool shared;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = offers_favorites_store_owner(db, a, beneficiary_id, &shared, &counselor_id);
	if (!rc)
		rc = messaging_send(db, keys, a, now, beneficiary_id, &in, NULL, &error);
	if (rc == -ERR_INVAL && error)
		rc = refuse_with(why, 400, "message", NULL, error);
	if (!rc)
		rc = offers_event_record(db, beneficiary_id, OFFER_EVENT_SHARED, o->id, now);
	if (!rc)
		messaging_live_changed_on_commit(db, a, beneficiary_id, counselor_id);
	return db_tx_end(db, rc);
}
