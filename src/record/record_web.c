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
#include "core/feature.h"
#include "view/view.h"
#include "view/vm.h"

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
static struct vm *
common(struct req *r, const struct record *rec, enum authz_level level, int64_t now)
{
	bool write = level == AUTHZ_WRITE;
	struct vm *d = vm_obj(r->a);
	vm_set_str(d, "id", rec->id);
	vm_set_str(d, "first_name", rec->first_name);
	vm_set_str(d, "last_name_upper", text_upper(r->a, rec->last_name));
	vm_set_str(d, "dispositif", rec->dispositif);
	vm_set_str(d, "situation", rec->situation ? rec->situation : "Sans situation");
	vm_set_str(d, "email", rec->email);
	vm_set_bool(d, "write", write);
	vm_set_bool(d, "read_only", !write);
	vm_set_bool(d, "activated", rec->activated_at != 0);
	vm_set_bool(d, "to_archive", rec->to_archive);
	vm_set_bool(d, "other_structure",
		    write && g_strcmp0(rec->structure_id, r->user->structure_id) != 0);
	vm_set_str_opt(d, "imilo_failed_at",
		       record_imilo_stale(rec) ? clock_fr_relative(r->a, rec->imilo_sync_failed_at,
								   now, rec->timezone) : NULL);
	vm_set_str_opt(d, "cej_end_date",
		       rec->cej_end_date ? clock_fr_date(r->a, rec->cej_end_date) : NULL);
	/* The not-activated banner of both pages: "valable {{hours}} h". */
	vm_set_int(d, "hours", req_ctx(r)->cfg->activation_link_ttl_hours);
	vm_set_bool(d, "can_resend", record_resend_allowed(rec, now));
	vm_set_str(d, "nav", write ? "portefeuille" : "etablissement");
	return d;
}

/* The part @key of the fiche, filled by the feature that declares it (core/feature.h). */
static int
part(struct req *r, const char *key, const struct record *rec, enum authz_level level,
     int64_t now, struct vm *data)
{
	struct feature_table t = req_ctx(r)->features;
	for (size_t i = 0; i < t.n; i++)
		for (size_t k = 0; k < t.items[i]->n_record_tabs; k++)
			if (!strcmp(t.items[i]->record_tabs[k].key, key))
				return t.items[i]->record_tabs[k].render(r, rec, level == AUTHZ_WRITE,
									  now, data);
	return 0;
}

/* Every feature's lines of the fiche's Agenda tab (core/feature.h week_items) for the week
 * of @monday in the beneficiary's zone, sorted; only the events with @events_only (the
 * count the other tabs show). Count (arena array) or a negative err. */
static int
week_items(struct req *r, const struct record *rec, int64_t monday, bool events_only,
	   struct week_item **out)
{
	int64_t from = clock_day_at(monday, 0, 0, rec->timezone);
	int64_t to = clock_day_at(monday + 7, 0, 0, rec->timezone);
	struct feature_table t = req_ctx(r)->features;
	struct week_item *all = NULL;
	int n = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (!t.items[i]->week_items)
			continue;
		struct week_item *part;
		int k = t.items[i]->week_items(ctx_db(r), r->a, rec, from, to, events_only, &part);
		if (k < 0)
			return k;
		if (!k)
			continue;
		struct week_item *grown = arena_alloc(r->a, sizeof(*grown) * (size_t)(n + k));
		if (n)
			memcpy(grown, all, sizeof(*all) * (size_t)n);
		memcpy(grown + n, part, sizeof(*part) * (size_t)k);
		all = grown;
		n += k;
	}
	record_week_sort(all, n);
	*out = all;
	return n;
}

/* The week's events, beside the actions' counters (beneficiaries.md §6, §7, §10): those
 * of the Agenda tab's lines (@items) and those the features count without a line
 * (core/feature.h week_events). 0 or a negative err. */
static int
add_events_count(struct req *r, const struct record *rec, int64_t monday,
		 const struct week_item *items, int n_items, struct vm *data)
{
	int64_t from = clock_day_at(monday, 0, 0, rec->timezone);
	int64_t to = clock_day_at(monday + 7, 0, 0, rec->timezone);
	struct feature_table t = req_ctx(r)->features;
	int n = record_week_events(items, n_items);
	for (size_t i = 0; i < t.n; i++) {
		if (!t.items[i]->week_events)
			continue;
		int k = t.items[i]->week_events(ctx_db(r), rec->id, from, to);
		if (k < 0)
			return k;
		n += k;
	}
	struct vm *c = vm_set_obj(data, "week_events");
	vm_set_int(c, "n", n);
	vm_set_str(c, "label", "Cette semaine");
	return 0;
}

/* The Agenda tab (beneficiaries.md §6): the week's lines by day, days without any left out. */
static void
add_agenda(struct req *r, const struct record *rec, int64_t monday, int64_t now,
	   const struct week_item *items, int n, struct vm *data)
{
	const char *tz = rec->timezone;
	struct vm *tab = vm_set_obj(data, "agenda");
	vm_set_bool(tab, "current", monday == clock_day_monday(clock_day_of(now, tz)));
	vm_set_str(tab, "from", clock_day_fr(r->a, monday));
	vm_set_str(tab, "to", clock_day_fr(r->a, monday + 6));
	vm_set_bool(tab, "empty", n == 0);
	struct vm *days = vm_set_list(tab, "days");
	struct vm *lines = NULL;
	int64_t shown = CLOCK_NO_DAY;
	for (int i = 0; i < n; i++) {
		int64_t day = clock_day_of(items[i].at, tz);
		if (day != shown) {
			struct vm *d = vm_push_obj(days);
			vm_set_str(d, "title", clock_day_title_fr(r->a, day));
			lines = vm_set_list(d, "lines");
			shown = day;
		}
		struct vm *o = vm_push_obj(lines);
		vm_set_str_opt(o, "time", items[i].timed ? clock_fr_time(r->a, items[i].at, tz)
							 : NULL);
		vm_set_str(o, "kind", items[i].kind);
		vm_set_str(o, "label", items[i].label);
		vm_set_str(o, "href", items[i].href);
		vm_set_bool(o, "read_only", items[i].read_only);
	}
}

/* The tab the fiche opens on: ?onglet=, the Actions tab by default. */
static const char *
record_tab(struct req *r)
{
	const char *tab = req_query(r, "onglet");
	if (tab && (!strcmp(tab, "agenda") || !strcmp(tab, "rendez-vous") || !strcmp(tab, "favoris")))
		return tab;
	return "actions";
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
	struct vm *data = common(r, &rec, level, now);
	vm_set_strf(data, "title", "%s %s", rec.first_name, text_upper(r->a, rec.last_name));
	const char *tab = record_tab(r);
	vm_set_str(data, "tab", tab);
	/* The period selector also refreshes the Agenda tab when it is the one open. */
	vm_set_str(data, "swap", !strcmp(tab, "agenda") ? "semaine agenda" : "semaine");
	/* Each tab's count shows on the tab bar, so every part is filled whichever tab is open.
	 * "rdv" stays null when the agenda is off: no tab, no "Créer un rendez-vous". */
	vm_set_null(data, "rdv");
	vm_set_null(data, "favoris");
	if ((rc = part(r, "actions", &rec, level, now, data)) ||
	    (rc = part(r, "rendez-vous", &rec, level, now, data)) ||
	    (rc = part(r, "favoris", &rec, level, now, data)))
		return rc;
	int64_t monday = record_week_start(req_query(r, "debut"), now, rec.timezone);
	struct week_item *items;
	int n = week_items(r, &rec, monday, strcmp(tab, "agenda") != 0, &items);
	if (n < 0)
		return n;
	if ((rc = add_events_count(r, &rec, monday, items, n, data)))
		return rc;
	if (!strcmp(tab, "agenda"))
		add_agenda(r, &rec, monday, now, items, n, data);
	else
		vm_set_null(data, "agenda");
	return view_page(r, 200, "record/record.html", data);
}

/* The dossier's situations as i-milo gives them (imilo.h: a sorted JSON array). */
static void
add_situations(struct req *r, const struct record *rec, struct vm *data)
{
	struct vm *out = vm_set_list(data, "situations");
	json_t *list = json_loads(rec->situations_json ? rec->situations_json : "[]", 0, NULL);
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s) {
		const char *end = json_string_value(json_object_get(s, "dateFin"));
		const char *label = json_string_value(json_object_get(s, "categorie"));
		struct vm *row = vm_push_obj(out);
		vm_set_str_opt(row, "label", label ? arena_strdup(r->a, label) : NULL);
		vm_set_str_opt(row, "state",
			       record_situation_state_label(json_string_value(json_object_get(s, "etat"))));
		vm_set_str_opt(row, "end", end ? clock_fr_date(r->a, end) : NULL);
	}
	json_decref(list);
}

static int
add_history(struct req *r, const struct record *rec, struct vm *data)
{
	struct record_history_row *rows;
	int n = record_history(ctx_db(r), r->a, rec->id, &rows);
	if (n < 0)
		return n;
	struct vm *out = vm_set_list(data, "history");
	for (int i = 0; i < n; i++) {
		struct vm *row = vm_push_obj(out);
		vm_set_str(row, "from", clock_fr_day(r->a, rows[i].started_at, rec->timezone));
		vm_set_str_opt(row, "to", rows[i].ended_at ? clock_fr_day(r->a, rows[i].ended_at,
									    rec->timezone) : NULL);
		vm_set_strf(row, "name", "%s %s", text_upper(r->a, rows[i].last_name),
			    rows[i].first_name);
	}
	return 0;
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
	struct vm *data = common(r, &rec, level, now);
	vm_set_strf(data, "title", "Informations de %s %s", rec.first_name,
		    text_upper(r->a, rec.last_name));
	vm_set_str(data, "tab", history ? "historique" : indicators ? "indicateurs" : "informations");
	if ((history && (rc = add_history(r, &rec, data))) ||
	    (indicators && (rc = part(r, "indicateurs", &rec, level, now, data))) ||
	    (indicators && (rc = part(r, "indicateurs-offres", &rec, level, now, data))))
		return rc;
	if (indicators) {
		struct week_item *items;
		int64_t monday = record_week_start(req_query(r, "debut"), now, rec.timezone);
		int n = week_items(r, &rec, monday, true, &items);
		if (n < 0)
			return n;
		if ((rc = add_events_count(r, &rec, monday, items, n, data)))
			return rc;
	}
	vm_set_str(data, "swap", "semaine");
	vm_set_str(data, "added_on", clock_fr_day(r->a, rec.created_at, rec.timezone));
	vm_set_strf(data, "imilo_link", "%s/%s/acces-externe", req_ctx(r)->cfg->imilo_web_url,
		    rec.imilo_dossier_id);
	vm_set_str_opt(data, "last_login", rec.last_activity_at
		? clock_fr_relative(r->a, rec.last_activity_at, now, rec.timezone) : NULL);
	add_situations(r, &rec, data);
	return view_page(r, 200, "record/information.html", data);
}
