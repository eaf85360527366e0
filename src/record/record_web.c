/* record_web.c — the fiche and its "Voir plus d’informations" page: load, decide access
 * (auth/authz), render. A fiche outside the portfolio is read-only and its reading is
 * audited. */
#include "record/record_web.h"

#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "record/record.h"
#include "core/ctx.h"
#include "view/view.h"

#include <string.h>

/* Loads the beneficiary of the path and the caller's access to it; a beneficiary the
 * caller may not see does not exist for them (404). */
static int
load(struct req *r, struct record *rec, enum authz_level *level)
{
	return record_open(ctx_db(r), r->a, r->user, req_param(r, "id"), RECORD_READ,
			   clock_now_ms(), rec, level);
}

/* What every fiche page shows: name, tags, banners, access. */
static json_t *
common(struct req *r, const struct record *rec, enum authz_level level, int64_t now)
{
	bool write = level == AUTHZ_WRITE;
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b}",
		"id", rec->id, "first_name", rec->first_name, "last_name_upper",
		text_upper(r->a, rec->last_name), "dispositif", rec->dispositif, "situation",
		rec->situation ? rec->situation : "Sans situation", "email", rec->email,
		"write", write, "read_only", !write, "activated", rec->activated_at != 0,
		"to_archive", rec->to_archive,
		"other_structure", write && g_strcmp0(rec->structure_id, r->user->structure_id) != 0);
	if (record_imilo_stale(rec))
		json_object_set_new(j, "imilo_failed_at",
				    json_string(clock_fr_relative(r->a, rec->imilo_sync_failed_at, now,
								  rec->timezone)));
	if (rec->cej_end_date)
		json_object_set_new(j, "cej_end_date", json_string(clock_fr_date(r->a, rec->cej_end_date)));
	/* The header's not-activated banner, on every tab: "… n’est valable que {hours}h." */
	json_object_set_new(j, "hours", json_integer(req_ctx(r)->cfg->activation_link_ttl_hours));
	return j;
}

/* The part @key of the fiche, filled by the feature that declares it (core/feature.h). */
static int
part(struct req *r, const char *key, const struct record *rec, enum authz_level level,
     int64_t now, json_t *data)
{
	struct feature_table t = req_ctx(r)->features;
	for (size_t i = 0; i < t.n; i++)
		for (size_t k = 0; k < t.items[i]->n_record_tabs; k++)
			if (!strcmp(t.items[i]->record_tabs[k].key, key))
				return t.items[i]->record_tabs[k].render(r, rec, level == AUTHZ_WRITE,
									  now, data);
	return 0;
}

int
record_page(struct req *r)
{
	struct record rec;
	enum authz_level level;
	int64_t now = clock_now_ms();
	int rc = load(r, &rec, &level);
	if (rc)
		return rc;
	json_t *data = common(r, &rec, level, now);
	json_object_set_new(data, "title", json_string(arena_printf(r->a, "%s %s", rec.first_name,
								    text_upper(r->a, rec.last_name))));
	json_object_set_new(data, "nav", json_string(level == AUTHZ_WRITE ? "portefeuille" : "etablissement"));
	json_object_set_new(data, "can_resend", json_boolean(record_resend_allowed(&rec, now)));
	if ((rc = part(r, "actions", &rec, level, now, data))) {
		json_decref(data);
		return rc;
	}
	return view_page(r, 200, "record/record.html", data);
}

static json_t *
situations_json(struct req *r, const struct record *rec)
{
	json_t *out = json_array();
	json_t *list = json_loads(rec->situations_json ? rec->situations_json : "[]", 0, NULL);
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s) {
		const char *end = json_string_value(json_object_get(s, "dateFin"));
		json_array_append_new(out, json_pack("{s:s?, s:s?, s:s?}",
			"label", json_string_value(json_object_get(s, "categorie")),
			"state", record_situation_state_label(json_string_value(json_object_get(s, "etat"))),
			"end", end ? clock_fr_date(r->a, end) : NULL));
	}
	json_decref(list);
	return out;
}

static json_t *
history_json(struct req *r, const struct record *rec)
{
	struct record_history_row *rows;
	int n = record_history(ctx_db(r), r->a, rec->id, &rows);
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s?, s:s}",
			"from", clock_fr_day(r->a, rows[i].started_at, rec->timezone),
			"to", rows[i].ended_at ? clock_fr_day(r->a, rows[i].ended_at, rec->timezone) : NULL,
			"name", arena_printf(r->a, "%s %s", text_upper(r->a, rows[i].last_name),
					     rows[i].first_name)));
	return n < 0 ? (json_decref(out), NULL) : out;
}

int
record_information_page(struct req *r)
{
	struct record rec;
	enum authz_level level;
	int64_t now = clock_now_ms();
	const char *tab = req_query(r, "onglet");
	bool history = tab && !strcmp(tab, "historique");
	bool indicators = tab && !strcmp(tab, "indicateurs");
	int rc = load(r, &rec, &level);
	if (rc)
		return rc;
	json_t *hist = history ? history_json(r, &rec) : NULL;
	if (history && !hist)
		return -ERR_DB;
	json_t *data = common(r, &rec, level, now);
	json_object_set_new(data, "title", json_string(arena_printf(r->a, "Informations de %s %s",
		rec.first_name, text_upper(r->a, rec.last_name))));
	json_object_set_new(data, "nav", json_string(level == AUTHZ_WRITE ? "portefeuille" : "etablissement"));
	json_object_set_new(data, "tab", json_string(history ? "historique" : indicators ? "indicateurs"
										: "informations"));
	if (indicators && (rc = part(r, "indicateurs", &rec, level, now, data))) {
		json_decref(data);
		return rc;
	}
	json_object_set_new(data, "added_on", json_string(clock_fr_day(r->a, rec.created_at, rec.timezone)));
	json_object_set_new(data, "imilo_link", json_string(arena_printf(r->a, "%s/%s/acces-externe",
		req_ctx(r)->cfg->imilo_web_url, rec.imilo_dossier_id)));
	if (rec.last_activity_at)
		json_object_set_new(data, "last_login", json_string(
			clock_fr_relative(r->a, rec.last_activity_at, now, rec.timezone)));
	json_object_set_new(data, "situations", situations_json(r, &rec));
	if (hist)
		json_object_set_new(data, "history", hist);
	return view_page(r, 200, "record/information.html", data);
}
