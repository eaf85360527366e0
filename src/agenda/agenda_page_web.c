/* agenda_page_web.c — GET /agenda?onglet=mission-locale|conseiller&debut=AAAA-MM-JJ
 * (agenda.md §3): parse the tab, the period, the search and the status filter; list;
 * group by day and half-day; render. Every control is a link or a GET form: the page
 * works without JavaScript. */
#include "agenda/agenda_page_web.h"

#include "agenda/agenda_page.h"
#include "agenda/agenda_page_use.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/text.h"
#include "core/ctx.h"
#include "http/http.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <string.h>

#define SEARCH_TOKENS_MAX 16
#define STATUS_VALUES_MAX 8

struct query {
	bool mine;                 /* "Mon agenda"; else "Agenda Mission Locale" */
	struct agenda_period period;
	const char *search;        /* trimmed; NULL when empty */
	unsigned statuses;         /* AGENDA_STATUS_BIT set; 0: all */
};

static struct query
query_parse(struct req *r)
{
	struct query q = {0};
	const char *tab = req_query(r, "onglet");
	q.mine = tab && !strcmp(tab, "conseiller");
	agenda_period_of(clock_now_ms(), r->user->timezone, req_query(r, "debut"), &q.period);
	q.search = text_trim(r->a, req_query(r, "q"));
	if (q.search && !*q.search)
		q.search = NULL;
	const char *codes[STATUS_VALUES_MAX];
	int n = req_query_all(r, "statut", codes, STATUS_VALUES_MAX);
	for (int i = 0; i < n; i++) {
		int s = agenda_status_parse(codes[i]);
		if (s >= 0)
			q.statuses |= AGENDA_STATUS_BIT(s);
	}
	return q;
}

/* The page's URL for tab @mine starting on @first_day (the current period: no "debut"),
 * keeping the search and the filter on the Mission Locale tab. */
static const char *
page_url(struct req *r, const struct query *q, bool mine, int64_t first_day)
{
	GString *s = g_string_new(mine ? "/agenda?onglet=conseiller" : "/agenda?onglet=mission-locale");
	if (first_day != q->period.today)
		g_string_append_printf(s, "&debut=%s", clock_day_iso(r->a, first_day));
	if (!mine && q->search) {
		char *e = g_uri_escape_string(q->search, NULL, FALSE);
		g_string_append_printf(s, "&q=%s", e);
		g_free(e);
	}
	for (int i = AC_UPCOMING; !mine && i <= AC_CLOSED; i++)
		if (q->statuses & AGENDA_STATUS_BIT(i))
			g_string_append_printf(s, "&statut=%s", agenda_status_code(i));
	char *url = arena_strndup(r->a, s->str, s->len);
	g_string_free(s, TRUE);
	return url;
}

static void
add_navigation(struct req *r, struct vm *page, const struct query *q)
{
	const struct agenda_period *p = &q->period;
	vm_set_bool(page, "tab_mine", q->mine);
	vm_set_str(page, "url_ml", page_url(r, q, false, p->first_day));
	vm_set_str(page, "url_mine", page_url(r, q, true, p->first_day));
	vm_set_str(page, "period_from", clock_day_fr(r->a, p->first_day));
	vm_set_str(page, "period_to", clock_day_fr(r->a, p->last_day));
	vm_set_bool(page, "current", p->current);
	vm_set_str(page, "url_previous", page_url(r, q, q->mine, p->first_day - AGENDA_PERIOD_DAYS));
	vm_set_str(page, "url_next", page_url(r, q, q->mine, p->first_day + AGENDA_PERIOD_DAYS));
	vm_set_str(page, "url_current", page_url(r, q, q->mine, p->today));
	/* "Réinitialiser": the same period, without the search and the filter. */
	struct query bare = {.period = *p};
	vm_set_str(page, "url_reset", page_url(r, &bare, false, p->first_day));
	vm_set_str(page, "debut", clock_day_iso(r->a, p->first_day));
}

/* The search form of the Mission Locale tab: its text and the "Statuts" checkboxes. */
static void
add_search(struct vm *page, const struct query *q)
{
	vm_set_str_opt(page, "q", q->search);
	vm_set_bool(page, "filtered", q->search || q->statuses);
	struct vm *list = vm_set_list(page, "statuses");
	for (int i = AC_UPCOMING; i <= AC_CLOSED; i++) {
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "code", agenda_status_code(i));
		vm_set_str(o, "label", agenda_ac_status_label(i));
		vm_set_bool(o, "checked", q->statuses & AGENDA_STATUS_BIT(i));
	}
}

/* One row of "Mon agenda". */
static void
add_mine_row(struct req *r, struct vm *o, const struct agenda_item *it)
{
	vm_set_str_opt(o, "beneficiary", agenda_item_beneficiary(r->a, it));
	vm_set_str_opt(o, "modality", it->modality);
	vm_set_bool(o, "mine", it->mine);
}

/* One row of "Agenda Mission Locale". */
static void
add_ml_row(struct req *r, struct vm *o, const struct agenda_item *it, int64_t now)
{
	vm_set_str(o, "visible", it->visible ? "Oui" : "Non");
	vm_set_bool(o, "visible_yes", it->visible);
	vm_set_str(o, "registrants", agenda_registrants_fr(r->a, it->participants,
							   it->max_participants));
	vm_set_bool(o, "full", it->full || agenda_full(it->participants, it->max_participants));
	vm_set_str_opt(o, "visibility_action", it->visibility_action);
	vm_set_str(o, "row_id", it->id);
	vm_set_str(o, "status", agenda_ac_status_label(agenda_item_status(it, now)));
}

/* The rows grouped by day, then by half-day ("Matin", "Après-midi"), in the structure's
 * zone. The items are sorted by start, so each group is a run. */
static int
add_days(struct req *r, struct vm *page, const struct query *q, const struct agenda_item *items,
	 int n, int64_t now)
{
	const char *tz = r->user->timezone;
	struct vm *days = vm_set_list(page, "days"), *halves = NULL, *rows = NULL;
	struct agenda_slot last = {CLOCK_NO_DAY, false};
	struct agenda_slots slots;
	agenda_slots_of(&q->period, tz, &slots);
	int shown = 0;
	for (int i = 0; i < n; i++) {
		const struct agenda_item *it = &items[i];
		struct agenda_slot s = agenda_slots_find(&slots, it->starts_at);
		if (s.day != last.day) {
			struct vm *d = vm_push_obj(days);
			vm_set_str(d, "label", agenda_day_label(r->a, s.day, q->period.today));
			halves = vm_set_list(d, "halves");
		}
		if (s.day != last.day || s.afternoon != last.afternoon) {
			struct vm *h = vm_push_obj(halves);
			vm_set_str(h, "label", agenda_half_label(s.afternoon));
			rows = vm_set_list(h, "rows");
		}
		last = s;
		struct vm *o = vm_push_obj(rows);
		vm_set_str(o, "hours", agenda_hours_fr(r->a, it->starts_at, it->duration_min, tz));
		vm_set_str(o, "event_title", it->title);
		vm_set_str(o, "type_label", it->type_label);
		vm_set_str(o, "href", agenda_item_href(r->a, it));
		vm_set_bool(o, "collective", it->collective);
		if (q->mine)
			add_mine_row(r, o, it);
		else
			add_ml_row(r, o, it, now);
		shown++;
	}
	return shown;
}

/* Keeps the items that pass the search and the filter; returns how many. */
static int
filter(struct req *r, const struct query *q, struct agenda_item *items, int n, int64_t now)
{
	const char *tokens[SEARCH_TOKENS_MAX];
	int nt = q->search ? text_search_tokens(r->a, q->search, tokens, SEARCH_TOKENS_MAX) : 0;
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (agenda_item_matches(r->a, &items[i], tokens, nt, q->statuses, now))
			items[kept++] = items[i];
	return kept;
}

/* The message in place of the table, or NULL when there are rows (§3's texts). */
static const char *
empty_text(const struct query *q, bool no_structure, int listed, int shown)
{
	if (q->mine)
		return shown ? NULL : "Vous n’avez aucun événement dans votre agenda sur cette période.";
	if (no_structure)
		return "Pour accéder à l’agenda de votre Mission Locale, renseignez votre Mission "
		       "Locale dans votre profil.";
	if (!listed)
		return "Il n’y a pas d’animation collective sur cette période dans votre Mission Locale.";
	return shown ? NULL : "Aucun événement ne correspond à votre recherche sur la période "
			      "sélectionnée.";
}

int
agenda_page(struct req *r)
{
	struct query q = query_parse(r);
	int64_t now = clock_now_ms();
	struct agenda_item *items;
	bool partial;
	int n = q.mine ? agenda_page_mine(req_ctx(r), ctx_db(r), r->a, r->user, &q.period, now,
					  &items, &partial)
		       : agenda_page_structure(req_ctx(r), ctx_db(r), r->a, r->user, &q.period,
					       now, &items, &partial);
	if (n < 0)
		return n;
	int listed = n;
	if (!q.mine)
		n = filter(r, &q, items, n, now);
	bool no_structure = !r->user->structure_id;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", q.mine ? "Mon agenda" : "Agenda Mission Locale");
	vm_set_str(page, "nav", "agenda");
	add_navigation(r, page, &q);
	add_search(page, &q);
	/* The search shows once there is something to search in. */
	vm_set_bool(page, "searchable", !q.mine && listed > 0);
	int shown = add_days(r, page, &q, items, n, now);
	vm_set_str_opt(page, "empty", empty_text(&q, no_structure, listed, shown));
	/* §3: i-milo failing keeps cej's rows, says so, and offers to try again. */
	vm_set_bool(page, "sessions_failed", partial);
	vm_set_str(page, "url_retry", page_url(r, &q, q.mine, q.period.first_day));
	return view_page(r, 200, "agenda/page.html", page);
}
