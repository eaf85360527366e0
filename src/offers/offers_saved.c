/* offers_saved.c — saved searches and the counselor's suggestions: the pure rules, then
 * the use cases (offers_saved.h). The SQL is in offers_saved_store.c. */
#include "offers/offers_saved.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "db/db.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "notifications/notifications.h"
#include "offers/offers_events.h"
#include "offers/offers_query.h"
#include "offers/offers_saved_store.h"
#include "offers/offers_search.h"

#include <glib.h>
#include <string.h>

#define DAY_MS (24 * 3600 * 1000LL)

/* ---- Pure rules ------------------------------------------------------------------------ */

/* @s cut to @max characters, never inside a UTF-8 character. */
static char *
cut(struct arena *a, const char *s, long max)
{
	if (g_utf8_strlen(s, -1) <= max)
		return arena_strdup(a, s);
	const char *end = g_utf8_offset_to_pointer(s, max);
	return arena_strndup(a, s, (size_t)(end - s));
}

char *
offers_saved_default_name(struct arena *a, const struct offers_criteria *c,
			  const char *place_label)
{
	const char *name;
	if (c->number)
		name = arena_printf(a, "Offre n°%s", c->number);
	else if (c->keywords && place_label)
		name = arena_printf(a, "%s - %s", c->keywords, place_label);
	else if (c->keywords)
		name = c->keywords;
	else if (place_label)
		name = place_label;
	else
		name = offer_type_label(c->type);
	return cut(a, name, OFFERS_SAVED_NAME_MAX);
}

int
offers_saved_name_check(struct arena *a, const char *name, const char **out,
			struct refusal *why)
{
	const char *t = name ? text_trim(a, name) : NULL;
	*out = NULL;
	if (!t || !*t)
		return refuse_with(why, 400, "nom", NULL, OFFERS_SAVED_NAME_EMPTY);
	if (!g_utf8_validate(t, -1, NULL) || g_utf8_strlen(t, -1) > OFFERS_SAVED_NAME_MAX)
		return refuse_with(why, 400, "nom", NULL, OFFERS_SAVED_NAME_LONG);
	*out = t;
	return 0;
}

bool
offers_saved_shareable(const struct offers_criteria *c)
{
	if (c->number)
		return false;
	switch (c->type) {
	case OFFER_EMPLOI:
	case OFFER_ALTERNANCE:
		return c->keywords && (c->commune || c->departement);
	case OFFER_IMMERSION:
		return c->keywords && c->commune;
	case OFFER_SERVICE_CIVIQUE:
		return c->commune != NULL;
	default:
		return false;
	}
}

static void
set_text(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

json_t *
offers_saved_criteria_json(const struct offers_form *f, const struct offers_criteria *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(offer_type_code(c->type)));
	set_text(o, "numero", c->number);
	if (!c->number) {
		set_text(o, "motscles", c->keywords);
		set_text(o, "lieu", c->commune ? c->commune : c->departement);
		if (c->commune)
			json_object_set_new(o, "distance", json_sprintf("%d", c->distance_km));
		if (f->n_contracts && c->contracts) {
			json_t *l = json_array();
			for (int i = 0; i < f->n_contracts; i++)
				json_array_append_new(l, json_string(f->contracts[i]));
			json_object_set_new(o, "contrat", l);
		}
		if (f->n_work_times && c->work_times) {
			json_t *l = json_array();
			for (int i = 0; i < f->n_work_times; i++)
				json_array_append_new(l, json_string(f->work_times[i]));
			json_object_set_new(o, "temps", l);
		}
		if (c->beginner)
			json_object_set_new(o, "debutant", json_true());
		if (c->domain)
			set_text(o, "domaine", c->domain->slug);
		set_text(o, "debut", c->start_from);   /* "yyyy-mm-dd"; none: "Dès que possible" */
	}
	return o;
}

/* The strings of list @key of @o into @out (at most @max), arena copies. */
static int
strings(struct arena *a, json_t *o, const char *key, const char **out, int max)
{
	json_t *l = json_object_get(o, key);
	int n = 0;
	for (size_t i = 0; json_is_array(l) && i < json_array_size(l) && n < max; i++)
		if (json_is_string(json_array_get(l, i)))
			out[n++] = arena_strdup(a, json_string_value(json_array_get(l, i)));
	return n;
}

static const char *
text_of(struct arena *a, json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? arena_strdup(a, v) : NULL;
}

/* The form of criteria @json into @q (strings in @a); -ERR_INVAL when it is not one. */
static int
form_of(struct arena *a, const char *json, struct offers_query *q)
{
	memset(q, 0, sizeof(*q));
	json_t *o = json ? json_loads(json, 0, NULL) : NULL;
	enum offer_type type;
	if (!json_is_object(o) || !offer_type_parse(json_string_value(json_object_get(o, "type")),
						    false, &type)) {
		json_decref(o);
		return -ERR_INVAL;
	}
	struct offers_form *f = &q->form;
	f->type = offer_type_slug(type);
	f->number = text_of(a, o, "numero");
	f->keywords = text_of(a, o, "motscles");
	f->place = text_of(a, o, "lieu");
	f->distance = text_of(a, o, "distance");
	f->n_contracts = strings(a, o, "contrat", q->contracts, G_N_ELEMENTS(q->contracts));
	f->contracts = q->contracts;
	f->n_work_times = strings(a, o, "temps", q->work_times, G_N_ELEMENTS(q->work_times));
	f->work_times = q->work_times;
	f->beginner = json_is_true(json_object_get(o, "debutant"));
	f->domain = text_of(a, o, "domaine");
	f->start = text_of(a, o, "debut");
	json_decref(o);
	return 0;
}

char *
offers_saved_query(struct arena *a, const char *json)
{
	struct offers_query q;
	return form_of(a, json, &q) ? NULL : offers_query_string(a, &q.form);
}

int
offers_saved_criteria(struct arena *a, const char *json, struct offers_criteria *c,
		      struct refusal *why)
{
	struct offers_query q;
	if (form_of(a, json, &q))
		return refuse_with(why, 400, NULL, NULL, "Les critères enregistrés sont illisibles.");
	return offers_criteria_parse(a, &q.form, c, why);
}

/* ---- Use cases ------------------------------------------------------------------------- */

const char *
offers_saved_place_label(struct db *db, struct arena *a, const char *place)
{
	if (!place || !*place)
		return NULL;
	if (strlen(place) == 5) {
		struct geo_commune c;
		if (geo_commune_get(db, a, place, &c) == 0)
			return c.postal_code ? arena_printf(a, "%s (%s)", c.name, c.postal_code)
					     : c.name;
		return NULL;
	}
	struct geo_departement d;
	if (geo_dept_valid(place) && geo_departement_get(db, a, place, &d) == 0)
		return arena_printf(a, "%s (%s)", d.name, d.code);
	return NULL;
}

/* The row's public view. */
static void
to_saved(struct arena *a, const struct saved_row *r, struct offers_saved *s)
{
	memset(s, 0, sizeof(*s));
	s->id = r->id;
	s->name = r->name;
	offer_type_parse(r->type, false, &s->type);
	s->criteria = r->criteria;
	s->query = offers_saved_query(a, r->criteria);
	if (!s->query)
		s->query = "";
	s->suggestion = !strcmp(r->status, "pending");
	s->from_counselor = !strcmp(r->source, "CONSEILLER");
	s->created_at = r->created_at;
	s->last_searched_at = r->last_searched_at;
}

/* The checked criteria of @f and their JSON text. */
static int
criteria_of(struct arena *a, const struct offers_form *f, struct offers_criteria *c,
	    const char **json, struct refusal *why)
{
	int rc = offers_criteria_parse(a, f, c, why);
	if (rc)
		return rc;
	json_t *o = offers_saved_criteria_json(f, c);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	*json = arena_strdup(a, s);
	free(s);
	return 0;
}

static int
too_many(struct db *db, const char *beneficiary_id, struct refusal *why)
{
	int n = offers_saved_store_count(db, beneficiary_id);
	if (n < 0)
		return n;
	return n >= OFFERS_SAVED_MAX ? refuse_with(why, 409, "nom", NULL, OFFERS_SAVED_TOO_MANY) : 0;
}

int
offers_saved_create(struct db *db, struct arena *a, int64_t now, const char *beneficiary_id,
		    const char *name, const struct offers_form *f, const char **id,
		    struct refusal *why)
{
	struct offers_criteria c;
	const char *json, *n;
	int rc = criteria_of(a, f, &c, &json, why);
	if (!rc)
		rc = offers_saved_name_check(a, name, &n, why);
	if (rc)
		return rc;
	char *uuid = arena_alloc(a, UUID_STRLEN + 1);
	id_uuid7(now, uuid);
	struct saved_insert s = {.id = uuid, .beneficiary_id = beneficiary_id, .name = n,
				 .type = offer_type_code(c.type), .criteria = json,
				 .source = "BENEFICIAIRE", .status = "accepted", .created_at = now};
	if ((rc = db_tx_begin(db)))
		return rc;
	rc = too_many(db, beneficiary_id, why);
	if (!rc)
		rc = offers_saved_store_insert(db, &s);
	/* The indicator "Recherches sauvegardées" (offers.md §7). */
	if (!rc)
		rc = offers_event_record(db, beneficiary_id, OFFER_EVENT_SEARCH_SAVED, NULL, now);
	rc = db_tx_end(db, rc);
	if (!rc)
		*id = uuid;
	return rc;
}

int
offers_saved_list(struct db *db, struct arena *a, const char *beneficiary_id, bool suggestions,
		  int limit, struct offers_saved **out)
{
	struct saved_row *rows;
	int n = offers_saved_store_list(db, a, beneficiary_id, suggestions ? "pending" : "accepted",
					limit, &rows);
	if (n < 0)
		return n;
	*out = arena_alloc(a, sizeof(struct offers_saved) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		to_saved(a, &rows[i], &(*out)[i]);
	return n;
}

int
offers_saved_get(struct db *db, struct arena *a, const char *beneficiary_id, const char *id,
		 struct offers_saved *out)
{
	struct saved_row r;
	int rc = offers_saved_store_get(db, a, beneficiary_id, id, "accepted", &r);
	if (!rc)
		to_saved(a, &r, out);
	return rc;
}

int
offers_saved_open(struct db *db, struct arena *a, int64_t now, const char *beneficiary_id,
		  const char *id, struct offers_saved *out)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = offers_saved_get(db, a, beneficiary_id, id, out);
	if (!rc)
		rc = offers_saved_store_touch(db, id, now);
	return db_tx_end(db, rc);
}

int
offers_saved_delete(struct db *db, const char *beneficiary_id, const char *id)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = offers_saved_store_delete(db, beneficiary_id, id);
	if (rc == 0)
		rc = -ERR_NOTFOUND;
	return db_tx_end(db, rc < 0 ? rc : 0);
}

int
offers_saved_suggest(struct db *db, struct arena *a, int64_t now, const char *counselor_id,
		     const struct offers_form *f, const char *const *ids, int n,
		     struct refusal *why)
{
	struct offers_criteria c;
	const char *json;
	int rc = criteria_of(a, f, &c, &json, why);
	if (rc)
		return rc;
	if (!offers_saved_shareable(&c))
		return refuse_with(why, 400, NULL, NULL, OFFERS_SAVED_NOT_SHAREABLE);
	if (n < 1)
		return refuse_with(why, 400, "beneficiaires", NULL,
				   "Sélectionnez au moins un bénéficiaire.");
	const char *name = offers_saved_default_name(
		a, &c, offers_saved_place_label(db, a, c.commune ? c.commune : c.departement));
	if ((rc = db_tx_begin(db)))
		return rc;
	for (int i = 0; i < n && !rc; i++) {
		int mine = offers_saved_store_in_portfolio(db, counselor_id, ids[i]);
		if (mine < 0) {
			rc = mine;
			break;
		}
		if (!mine) {
			rc = refuse_with(why, 403, "beneficiaires", NULL,
					 "Ce bénéficiaire ne fait pas partie de votre portefeuille.");
			break;
		}
		char *uuid = arena_alloc(a, UUID_STRLEN + 1);
		id_uuid7(now, uuid);
		struct saved_insert s = {.id = uuid, .beneficiary_id = ids[i], .name = name,
					 .type = offer_type_code(c.type), .criteria = json,
					 .source = "CONSEILLER", .suggested_by = counselor_id,
					 .status = "pending", .created_at = now};
		rc = offers_saved_store_insert(db, &s);
		if (!rc)
			rc = notifications_add(db, now, ids[i], NOTIF_SEARCH_SUGGESTION,
					       arena_printf(a, "SEARCH_SUGGESTION:%s", uuid),
					       "/app/offres/alertes");
	}
	return db_tx_end(db, rc);
}

int
offers_saved_answer(struct db *db, int64_t now, const char *beneficiary_id, const char *id,
		    bool accept, struct refusal *why)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	if (accept)
		rc = too_many(db, beneficiary_id, why);
	if (!rc) {
		rc = offers_saved_store_set_status(db, beneficiary_id, id, "pending",
						   accept ? "accepted" : "refused");
		rc = rc == 0 ? -ERR_NOTFOUND : rc < 0 ? rc : 0;
	}
	/* Accepting is a use: the 2-year purge counts from here; and a search saved (§7). */
	if (!rc && accept)
		rc = offers_saved_store_touch(db, id, now);
	if (!rc && accept)
		rc = offers_event_record(db, beneficiary_id, OFFER_EVENT_SEARCH_SAVED, NULL, now);
	return db_tx_end(db, rc);
}

int
offers_saved_portfolio(struct db *db, struct arena *a, const char *counselor_id,
		       const char ***ids, const char ***names)
{
	return offers_saved_store_portfolio(db, a, counselor_id, ids, names);
}

int
offers_saved_purge_unused(struct db *db, int64_t now)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	int n = offers_saved_store_purge_unused(db, now - OFFERS_SAVED_UNUSED_DAYS * DAY_MS);
	rc = db_tx_end(db, n < 0 ? n : 0);
	return rc ? rc : n;
}

int
offers_saved_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	return offers_saved_store_purge_beneficiary(db, beneficiary_id);
}

int
offers_saved_archive_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
				 json_t *archive)
{
	struct saved_row *rows;
	int n = offers_saved_store_list(db, a, beneficiary_id, "accepted", 0, &rows);
	if (n < 0)
		return n;
	json_t *out = json_array();
	for (int i = 0; i < n; i++) {
		json_t *criteria = json_loads(rows[i].criteria, 0, NULL);
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:I}", "nom", rows[i].name,
			"type", rows[i].type, "criteres", criteria ? criteria : json_null(),
			"cree_le", (json_int_t)rows[i].created_at));
	}
	json_object_set_new(archive, "recherches_sauvegardees", out);
	return 0;
}
