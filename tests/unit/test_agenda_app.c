/* test_agenda_app.c — the young person's side of the agenda (agenda.md §7, youth-app.md
 * §5–§7): the pure rules of what his app shows (suite rules), who may read an event
 * (authz_event_beneficiary), the merge of every feature's app events, the event card of
 * an EVENT_SHARE; then on a migrated database (suite store): his events, the animations
 * collectives of his Mission Locale, opening them with his rights, and the share. */
#include "agenda/agenda.h"
#include "agenda/agenda_app_use.h"
#include "agenda/agenda_store.h"
#include "auth/authz.h"
#include "base/arena.h"
#include "base/err.h"
#include "core/feature.h"
#include "db/db.h"
#include "messaging/messaging.h"
#include "messaging/messaging_use.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#define PARIS FIXTURE_PARIS
#define at(iso) fixture_at(iso)
#define DAY_MS 86400000LL

/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

static struct arena *a;

FIXTURE_ARENA_SUITE(rules, a);

Test(rules, the_modality_makes_a_sentence)
{
	cr_assert_str_eq(agenda_app_modality_sentence(a, MODALITY_PHONE),
			 "Le rendez-vous se fera par téléphone");
	cr_assert_str_eq(agenda_app_modality_sentence(a, MODALITY_ML_PERMANENCE),
			 "Le rendez-vous se fera en présentiel : Mission Locale / Permanence");
	cr_assert_null(agenda_app_modality_sentence(a, MODALITY_NONE));
}

Test(rules, the_itinerary_is_a_map_search_of_the_address)
{
	cr_assert_str_eq(agenda_app_map_url(a, "12 rue Duc, Brest"),
			 "https://www.openstreetmap.org/search?query=12%20rue%20Duc%2C%20Brest");
	cr_assert_str_eq(agenda_app_map_url(a, "Hôtel de ville & co"),
			 "https://www.openstreetmap.org/search?query=H%C3%B4tel%20de%20ville%20%26%20co");
	cr_assert_null(agenda_app_map_url(a, ""));
	cr_assert_null(agenda_app_map_url(a, "   "));
	cr_assert_null(agenda_app_map_url(a, NULL));
}

Test(rules, previous_counselor_and_presence)
{
	struct event e = {.creator_id = "c1", .presence = true};
	cr_assert(!agenda_app_by_previous(&e, "c1"));
	cr_assert(agenda_app_by_previous(&e, "c2"));
	cr_assert_str_eq(agenda_app_presence_text(&e), "Ton conseiller sera présent");
	e.presence = false;
	cr_assert_str_eq(agenda_app_presence_text(&e), "Ton conseiller ne sera pas présent");
}

Test(rules, ma_mission_locale_covers_three_months)
{
	/* To the end of 15 December, Paris time (winter: UTC+1). */
	cr_assert_eq(app_events_structure_end(NOW, PARIS), at("2025-12-15T23:00:00Z"));
	/* 30 November + 3 months is clamped to 28 February. */
	cr_assert_eq(app_events_structure_end(at("2025-11-30T10:00:00Z"), PARIS),
		     at("2026-02-28T23:00:00Z"));
}

Test(rules, only_an_open_ac_to_come_is_offered)
{
	struct event ac = {.type = EVENT_ATELIER, .starts_at = NOW + DAY_MS};
	cr_assert(agenda_app_offered(&ac, NOW));
	ac.starts_at = NOW;
	cr_assert(!agenda_app_offered(&ac, NOW), "started: À clore");
	ac.starts_at = NOW + DAY_MS;
	ac.closed_at = NOW - 1;
	cr_assert(!agenda_app_offered(&ac, NOW), "closed");
	struct event rdv = {.type = EVENT_VISITE, .starts_at = NOW + DAY_MS};
	cr_assert(!agenda_app_offered(&rdv, NOW), "a RDV is nobody else's");
}

Test(rules, who_may_read_an_event_in_the_app)
{
	struct user young = {.kind = USER_BENEFICIARY, .id = "b1", .structure_id = "ml1"};
	struct user counselor = {.kind = USER_COUNSELOR, .id = "c1", .structure_id = "ml1"};
	cr_assert(authz_event_beneficiary(&young, "ml2", true, false), "he takes part");
	cr_assert(authz_event_beneficiary(&young, "ml1", false, true), "offered by his ML");
	cr_assert(!authz_event_beneficiary(&young, "ml2", false, true), "another ML's");
	cr_assert(!authz_event_beneficiary(&young, "ml1", false, false), "not offered");
	cr_assert(!authz_event_beneficiary(&counselor, "ml1", true, true));
	cr_assert(!authz_event_beneficiary(NULL, "ml1", true, true));
}

Test(rules, an_app_item_says_what_the_cards_show)
{
	struct event e = {.id = "e1", .type = EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER,
			  .modality = MODALITY_PHONE, .starts_at = NOW, .duration_min = 45,
			  .creator_first_name = "Camille", .creator_last_name = "Martin"};
	struct app_event item;
	agenda_app_item(a, &e, "/app/rendez-vous/e1", false, &item);
	cr_assert_str_eq(item.title, "Entretien individuel conseiller Par téléphone");
	cr_assert_str_eq(item.type, "Entretien individuel conseiller");
	cr_assert_str_eq(item.modality, "Par téléphone");
	cr_assert_str_eq(item.with, "Camille Martin");
	cr_assert_eq(item.duration_min, 45);
	struct event ac = {.id = "e2", .type = EVENT_ATELIER, .title = "Atelier CV",
			   .modality = MODALITY_NONE, .starts_at = NOW, .duration_min = 90};
	agenda_app_item(a, &ac, "/app/rendez-vous/e2", true, &item);
	cr_assert_str_eq(item.title, "Atelier CV");
	cr_assert_null(item.modality);
	cr_assert_null(item.with, "an AC is nobody's meeting");
	cr_assert(item.registered);
}

/* Two features' hooks, to see them merged. */
static int
hook_one(struct db *db, struct arena *ar, const struct app_event_query *q, struct app_event **out)
{
	(void)db, (void)q;
	*out = arena_alloc(ar, 2 * sizeof(**out));
	(*out)[0] = (struct app_event){.href = "/a", .starts_at = 30};
	(*out)[1] = (struct app_event){.href = "/b", .starts_at = 10};
	return 2;
}

static int
hook_two(struct db *db, struct arena *ar, const struct app_event_query *q, struct app_event **out)
{
	(void)db, (void)q;
	*out = arena_alloc(ar, sizeof(**out));
	(*out)[0] = (struct app_event){.href = "/c", .starts_at = 20};
	return 1;
}

Test(rules, every_feature_events_merged_soonest_first_and_cut)
{
	const struct feature one = {.name = "one", .app_events = hook_one};
	const struct feature two = {.name = "two", .app_events = hook_two};
	const struct feature none = {.name = "none"};
	const struct feature *items[] = {&one, &none, &two};
	const struct feature_table t = {items, 3};
	struct app_event *ev;
	struct app_event_query q = {.scope = APP_EVENTS_MINE};
	cr_assert_eq(app_events_list(&t, NULL, a, &q, &ev, NULL), 3);
	cr_assert_str_eq(ev[0].href, "/b");
	cr_assert_str_eq(ev[1].href, "/c");
	cr_assert_str_eq(ev[2].href, "/a");
	q.limit = 1;
	cr_assert_eq(app_events_list(&t, NULL, a, &q, &ev, NULL), 1);
	cr_assert_str_eq(ev[0].href, "/b");
	const struct feature *nothing[] = {&none};
	cr_assert_eq(app_events_list(&(struct feature_table){nothing, 1}, NULL, a, &q, &ev, NULL), 0);
}

Test(rules, an_event_share_carries_its_card)
{
	struct message m = {.kind = MSG_EVENT_SHARE, .payload =
		"{\"event_id\":\"0190b6a0-0000-7000-8000-000000000001\",\"title\":\"Atelier CV\","
		"\"starts_at\":1758268800000}"};
	struct msg_card c = msg_card_of(a, &m);
	cr_assert_str_eq(c.title, "Atelier CV");
	cr_assert_str_eq(c.event_id, "0190b6a0-0000-7000-8000-000000000001");
	cr_assert_eq(c.starts_at, 1758268800000LL);
	cr_assert_null(c.action_id);
	/* Friday 19 September 2025, 08:00 UTC. */
	cr_assert_str_eq(msg_card_when(a, c.starts_at, PARIS), "vendredi 19 septembre 2025 à 10h00");
	cr_assert_null(msg_card_when(a, 0, PARIS));
	m.payload = "{\"event_id\":\"../x\",\"title\":\"T\"}";
	cr_assert_null(msg_card_of(a, &m).event_id, "an id that is no UUID links nowhere");
	m.kind = MSG_SESSION_SHARE;
	m.payload = "{\"event_id\":\"0190b6a0-0000-7000-8000-000000000001\",\"title\":\"T\"}";
	cr_assert_null(msg_card_of(a, &m).event_id, "only an EVENT_SHARE links to an AC");
	cr_assert_str_eq(MSG_EVENT_SHARE_DEFAULT_TEXT,
			 "Bonjour, je vous partage un événement afin d’avoir votre avis");
}

Test(rules, a_session_share_carries_the_i_milo_session)
{
	struct message m = {.kind = MSG_SESSION_SHARE, .payload =
		"{\"session_id\":\"1007\",\"title\":\"Budget\",\"starts_at\":1758268800000}"};
	struct msg_card c = msg_card_of(a, &m);
	cr_assert_str_eq(c.session_id, "1007");
	cr_assert_str_eq(c.title, "Budget");
	cr_assert_eq(c.starts_at, 1758268800000LL);
	cr_assert_null(c.event_id);
	m.payload = "{\"session_id\":\"1007/../x\",\"title\":\"T\"}";
	cr_assert_null(msg_card_of(a, &m).session_id, "i-milo ids are digits: anything else links nowhere");
	m.kind = MSG_EVENT_SHARE;
	m.payload = "{\"session_id\":\"1007\",\"title\":\"T\"}";
	cr_assert_null(msg_card_of(a, &m).session_id, "only a SESSION_SHARE links to a session");
	cr_assert_str_eq(MSG_SESSION_SHARE_DEFAULT_TEXT, "Bonjour, pouvez-vous m’inscrire à cet événement ?");
}

/* ---- On a database ---- */

static struct fixture fx;
static struct db *db;
static const char *sid, *sid2, *cid, *cid2, *cid3, *b1, *b2, *p1;
static struct user young, other, parisian;

static struct user
beneficiary(const char *id, const char *structure)
{
	return (struct user){.kind = USER_BENEFICIARY, .id = id, .structure_id = structure,
			     .timezone = PARIS};
}

static void
store_setup(void)
{
	fixture_open(&fx, "agenda_app", FIXTURE_DB | FIXTURE_KEYS);
	db = fx.db;
	a = fx.a;
	struct fixture_two_ml ml;
	fixture_two_ml(&fx, &ml);
	sid = ml.brest;
	sid2 = ml.paris;
	cid = ml.claire_id;
	cid2 = ml.denis_id;
	cid3 = ml.sophie_id;
	b1 = ml.elodie;
	b2 = ml.paul;
	p1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid2,
		.counselor_id = cid3, .first_name = "Inès", .last_name = "Petit"});
	young = beneficiary(b1, sid);
	other = beneficiary(b2, sid);
	parisian = beneficiary(p1, sid2);
}

static void
store_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = store_setup, .fini = store_teardown, .timeout = 60);

/* Stores an event of @creator (in @structure) of @type at @starts_at with @ids. */
static const char *
event(const char *creator, const char *structure, enum event_type type, const char *title,
      int64_t starts_at, const char *const *ids, int n)
{
	static int seq;   /* ids in creation order, the same at every run */
	return fixture_event(&fx, &(struct event){
		.id = arena_printf(a, "0190b6a0-0000-7000-8000-%012d", ++seq), .type = type,
		.title = title, .modality = MODALITY_NONE, .starts_at = starts_at, .presence = true,
		.creator_id = creator, .creator_first_name = "Claire", .creator_last_name = "Martin",
		.structure_id = structure, .created_at = NOW}, ids, n);
}

static int
events(enum app_event_scope scope, const struct user *u, int64_t from, int64_t to, int limit,
       struct app_event **out)
{
	const struct app_event_query q = {.scope = scope, .beneficiary_id = u->id,
					  .structure_id = u->structure_id, .from = from, .to = to,
					  .limit = limit};
	return agenda_app_events(db, a, &q, out);
}

Test(store, his_events_are_the_rdv_and_ac_he_takes_part_in)
{
	const char *rdv = event(cid, sid, EVENT_VISITE, NULL, NOW + 2 * DAY_MS, &b1, 1);
	const char *ac = event(cid2, sid, EVENT_ATELIER, "Atelier CV", NOW + DAY_MS,
			       (const char *[]){b1, b2}, 2);
	event(cid, sid, EVENT_VISITE, "Pas le sien", NOW + DAY_MS, &b2, 1);
	event(cid, sid, EVENT_VISITE, "Passé", NOW - 3 * DAY_MS, &b1, 1);
	struct app_event *ev;
	int n = events(APP_EVENTS_MINE, &young, NOW, NOW + 30 * DAY_MS, 0, &ev);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(ev[0].href, arena_printf(a, "/app/rendez-vous/%s", ac));
	cr_assert_str_eq(ev[0].title, "Atelier CV");
	cr_assert(ev[0].registered, "an AC he takes part in: Inscrit");
	cr_assert_str_eq(ev[1].href, arena_printf(a, "/app/rendez-vous/%s", rdv));
	cr_assert_str_eq(ev[1].title, "Visite");
	cr_assert_str_eq(ev[1].with, "Claire Martin");
	cr_assert(!ev[1].registered);
	/* "Ton prochain rendez-vous": the first only. */
	cr_assert_eq(events(APP_EVENTS_MINE, &young, NOW, NOW + 30 * DAY_MS, 1, &ev), 1);
	cr_assert_str_eq(ev[0].title, "Atelier CV");
	/* Mon suivi's past weeks hold the past one. */
	cr_assert_eq(events(APP_EVENTS_MINE, &young, NOW - 7 * DAY_MS, NOW, 0, &ev), 1);
	cr_assert_str_eq(ev[0].title, "Passé");
	cr_assert_eq(events(APP_EVENTS_MINE, &parisian, NOW, NOW + 30 * DAY_MS, 0, &ev), 0);
}

Test(store, ma_mission_locale_lists_its_open_ac_to_come)
{
	int64_t end = app_events_structure_end(NOW, PARIS);
	const char *mine = event(cid2, sid, EVENT_ATELIER, "Atelier CV", NOW + 5 * DAY_MS, &b1, 1);
	const char *open = event(cid, sid, EVENT_INFORMATION_COLLECTIVE, "Info service civique",
				 NOW + 2 * DAY_MS, NULL, 0);
	event(cid, sid, EVENT_ATELIER, "Déjà commencé", NOW - 1, &b1, 1);
	event(cid, sid, EVENT_ATELIER, "Dans quatre mois", NOW + 120 * DAY_MS, NULL, 0);
	event(cid, sid, EVENT_VISITE, "Un rendez-vous", NOW + DAY_MS, &b2, 1);
	event(cid3, sid2, EVENT_ATELIER, "À Paris", NOW + DAY_MS, NULL, 0);
	const char *closed = event(cid, sid, EVENT_ATELIER, "Clos", NOW + 3 * DAY_MS, NULL, 0);
	struct db_stmt *st = db_prepare(db, "UPDATE event SET closed_at = 1 WHERE id = $1");
	db_bind_text(st, 1, closed);
	cr_assert_eq(db_run(st), 0);

	struct app_event *ev;
	int n = events(APP_EVENTS_STRUCTURE, &young, NOW, end, 0, &ev);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(ev[0].href, arena_printf(a, "/app/evenements/animations/%s", open));
	cr_assert_str_eq(ev[0].type, "Information collective");
	cr_assert(!ev[0].registered);
	cr_assert_str_eq(ev[1].href, arena_printf(a, "/app/evenements/animations/%s", mine));
	cr_assert(ev[1].registered, "Inscrit");
	/* His neighbour sees the same, registered to none. */
	cr_assert_eq(events(APP_EVENTS_STRUCTURE, &other, NOW, end, 0, &ev), 2);
	cr_assert(!ev[0].registered && !ev[1].registered);
	/* Another Mission Locale sees its own only. */
	cr_assert_eq(events(APP_EVENTS_STRUCTURE, &parisian, NOW, end, 0, &ev), 1);
	cr_assert_str_eq(ev[0].title, "À Paris");
}

Test(store, he_opens_only_the_events_he_takes_part_in)
{
	const char *rdv = event(cid2, sid, EVENT_VISITE, NULL, NOW + DAY_MS, &b1, 1);
	struct event e;
	struct refusal why = {0};
	const char *referent = NULL;
	cr_assert_eq(agenda_app_open_mine(db, a, &young, rdv, &e, &referent, &why), 0);
	cr_assert_str_eq(e.id, rdv);
	cr_assert_str_eq(referent, cid);
	cr_assert(agenda_app_by_previous(&e, referent), "created by Denis, followed by Claire");
	cr_assert_eq(agenda_app_open_mine(db, a, &other, rdv, &e, &referent, &why), -ERR_NOTFOUND);
	cr_assert_eq(why.status, 404);
	cr_assert_str_eq(why.message, AGENDA_APP_GONE);
	why = (struct refusal){0};
	cr_assert_eq(agenda_app_open_mine(db, a, &parisian, rdv, &e, &referent, &why), -ERR_NOTFOUND);
	why = (struct refusal){0};
	cr_assert_eq(agenda_app_open_mine(db, a, &young, "pas-un-id", &e, &referent, &why),
		     -ERR_NOTFOUND);
	cr_assert_eq(why.status, 404);
}

Test(store, an_ac_is_open_to_his_mission_locale_while_to_come)
{
	const char *ac = event(cid, sid, EVENT_ATELIER, "Atelier CV", NOW + DAY_MS, NULL, 0);
	const char *past = event(cid, sid, EVENT_ATELIER, "Passé", NOW - DAY_MS, &b1, 1);
	const char *rdv = event(cid, sid, EVENT_VISITE, NULL, NOW + DAY_MS, &b1, 1);
	struct event e;
	bool registered = true;
	struct refusal why = {0};
	cr_assert_eq(agenda_app_open_offered(db, a, &young, NOW, ac, &e, &registered, &why), 0);
	cr_assert(!registered);
	cr_assert_eq(agenda_app_open_offered(db, a, &young, NOW, past, &e, &registered, &why), 0,
		     "past, but he is registered");
	cr_assert(registered);
	cr_assert_eq(agenda_app_open_offered(db, a, &other, NOW, past, &e, &registered, &why),
		     -ERR_NOTFOUND, "past, offered no more");
	why = (struct refusal){0};
	cr_assert_eq(agenda_app_open_offered(db, a, &parisian, NOW, ac, &e, &registered, &why),
		     -ERR_NOTFOUND, "another Mission Locale's");
	cr_assert_str_eq(why.message, AGENDA_APP_GONE);
	why = (struct refusal){0};
	cr_assert_eq(agenda_app_open_offered(db, a, &young, NOW, rdv, &e, &registered, &why),
		     -ERR_NOTFOUND, "a RDV is no event of the Mission Locale");
}

Test(store, sharing_posts_an_event_share_to_his_counselor)
{
	const char *ac = event(cid, sid, EVENT_ATELIER, "Atelier CV", NOW + 4 * DAY_MS, NULL, 0);
	struct refusal why = {0};
	cr_assert_eq(agenda_app_share(db, fx.keys, a, &young, NOW, ac, &why), 0);
	struct msg_conversation conv = fixture_conversation(&fx, b1);
	struct msg_page page;
	cr_assert_eq(messaging_page(db, fx.keys, a, &conv, NULL, 10, &page), 0);
	cr_assert_eq(page.n, 1);
	const struct message *m = &page.items[0];
	cr_assert_eq(m->kind, MSG_EVENT_SHARE);
	cr_assert_eq(m->sender, MSG_FROM_BENEFICIARY);
	cr_assert_str_eq(m->text, MSG_EVENT_SHARE_DEFAULT_TEXT);
	struct msg_card c = msg_card_of(a, m);
	cr_assert_str_eq(c.event_id, ac);
	cr_assert_str_eq(c.title, "Atelier CV");
	cr_assert_eq(c.starts_at, NOW + 4 * DAY_MS);
	/* Another Mission Locale's beneficiary cannot share it: nothing is posted. */
	cr_assert_eq(agenda_app_share(db, fx.keys, a, &parisian, NOW, ac, &why), -ERR_NOTFOUND);
	conv = fixture_conversation(&fx, p1);
	cr_assert_eq(messaging_page(db, fx.keys, a, &conv, NULL, 10, &page), 0);
	cr_assert_eq(page.n, 0);
}
