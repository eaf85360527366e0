/* record_web.c — the fiche and its "Voir plus d’informations" page: load, decide access
 * (auth/authz), render. A fiche outside the portfolio is read-only and its reading is
 * audited. */
#include "record/record_web.h"

#include "actions/actions_store.h"
#include "actions/actions_web.h"
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
	return j;
}

static json_t *
counter(int n, const char *one, const char *many)
{
	return json_pack("{s:i, s:s}", "n", n, "label", n > 1 ? many : one);
}

/* The week block (beneficiaries.md §6 "Cette semaine", §7 Indicateurs): the week of
 * ?debut= (Monday to Sunday in the beneficiary's zone), the links of the period selector
 * and the action counters. @path is the page the selector links to. */
static json_t *
week_json(struct req *r, const struct record *rec, int64_t now, const char *path)
{
	int64_t monday = record_week_start(req_query(r, "debut"), now, rec->timezone);
	int64_t current = clock_day_monday(clock_day_of(now, rec->timezone));
	struct action_week_counts c;
	if (actions_store_week_counts(ctx_db(r), rec->id, clock_day_at(monday, 0, 0, rec->timezone),
				      clock_day_at(monday + 7, 0, 0, rec->timezone), now, &c))
		return NULL;
	const char *sep = strchr(path, '?') ? "&" : "?";
	return json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i}",
		"from", clock_day_fr(r->a, monday), "to", clock_day_fr(r->a, monday + 6),
		"current", monday == current,
		"prev", arena_printf(r->a, "%s%sdebut=%s", path, sep, clock_day_iso(r->a, monday - 7)),
		"next", arena_printf(r->a, "%s%sdebut=%s", path, sep, clock_day_iso(r->a, monday + 7)),
		"now", path,
		"created", counter(c.created, "Créée", "Créées"),
		"done", counter(c.done, "Terminée", "Terminées"),
		"late", counter(c.late, "En retard", "En retard"),
		"due", counter(c.due, "Échéance cette semaine", "Échéance cette semaine"),
		"total", c.total);
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
	json_object_set_new(data, "hours", json_integer(req_ctx(r)->cfg->activation_link_ttl_hours));
	json_object_set_new(data, "can_resend", json_boolean(record_resend_allowed(&rec, now)));
	json_t *week = week_json(r, &rec, now, arena_printf(r->a, "/beneficiaires/%s", rec.id));
	json_t *tab = week ? actions_tab_json(r, &rec, level == AUTHZ_WRITE, now) : NULL;
	if (!tab) {
		json_decref(week);
		json_decref(data);
		return -ERR_DB;
	}
	json_object_set_new(data, "week", week);
	json_object_set_new(data, "actions", tab);
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
	if (indicators) {
		json_t *week = week_json(r, &rec, now, arena_printf(r->a,
			"/beneficiaires/%s/informations?onglet=indicateurs", rec.id));
		if (!week) {
			json_decref(data);
			return -ERR_DB;
		}
		json_object_set_new(data, "week", week);
		json_object_set_new(data, "full", json_true());
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
