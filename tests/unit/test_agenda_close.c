/* test_agenda_close.c — closing an animation collective (agenda.md §4, §8, scenario 6): the
 * pure rules (immutability, who may be closed, the detail's banners), the use case on a
 * migrated database (attendance, closed_at and history in one transaction; every refusal
 * leaves the AC as it was), the 409 on a closed AC's edit and deletion, the nightly job
 * with the test clock, Pilotage's list, and the detail's closing block as rendered. */
#include "agenda/agenda.h"
#include "agenda/agenda_close.h"
#include "agenda/agenda_use.h"
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "view/tmpl.h"
#include "view/vm.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#define PARIS FIXTURE_PARIS
#define at(iso) fixture_at(iso)
#define HOUR (3600 * 1000LL)

/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

/* ---- Pure rules ---- */

Test(rules, a_closed_event_is_immutable)
{
	struct event e = {.type = EVENT_ATELIER, .starts_at = NOW - HOUR};
	struct refusal why = {0};
	cr_assert_eq(agenda_check_open(&e, &why), 0, "open: may change");
	cr_assert_null(why.message);
	e.closed_at = NOW;
	cr_assert_eq(agenda_check_open(&e, &why), -ERR_CONFLICT);
	cr_assert_eq(why.status, 409);
	cr_assert_str_eq(why.message, "Cet événement est clos et ne peut plus être modifié.");
}

Test(rules, only_an_ac_to_close_may_be_closed)
{
	struct event e = {.type = EVENT_VISITE, .starts_at = NOW - HOUR};
	struct refusal why = {0};
	cr_assert_eq(agenda_close_check(&e, NOW, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, AGENDA_CLOSE_NOT_AC);
	e.type = EVENT_INFORMATION_COLLECTIVE;
	e.starts_at = NOW + 1;
	cr_assert_eq(agenda_close_check(&e, NOW, &why), -ERR_INVAL, "À venir");
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.message, "Seul un événement passé et non clos peut être clos.");
	e.starts_at = NOW;
	cr_assert_eq(agenda_close_check(&e, NOW, &why), 0, "À clore from its start");
	e.closed_at = NOW;
	cr_assert_eq(agenda_close_check(&e, NOW, &why), -ERR_INVAL, "Close");
}

Test(rules, the_detail_s_banner)
{
	struct event e = {.type = EVENT_ATELIER, .starts_at = NOW + 1};
	cr_assert_eq(agenda_close_banner(&e, 3, NOW), AC_BANNER_NONE, "upcoming");
	e.starts_at = NOW - HOUR;
	cr_assert_eq(agenda_close_banner(&e, 3, NOW), AC_BANNER_TO_CLOSE);
	cr_assert_eq(agenda_close_banner(&e, 0, NOW), AC_BANNER_TO_DELETE, "nobody registered");
	e.closed_at = NOW;
	cr_assert_eq(agenda_close_banner(&e, 3, NOW), AC_BANNER_NONE, "closed");
	struct event rdv = {.type = EVENT_VISITE, .starts_at = NOW - HOUR};
	cr_assert_eq(agenda_close_banner(&rdv, 1, NOW), AC_BANNER_NONE, "a RDV is never closed");
}

/* ---- On a database ---- */

static struct fixture fx;
static struct db *db;
static struct arena *a;
static const char *sid, *sid2, *b1, *b2, *b3, *o1;
static struct user claire, denis, sophie;

static void
store_setup(void)
{
	fixture_open(&fx, "agenda-close", FIXTURE_DB | FIXTURE_APP);
	db = fx.db;
	a = fx.a;
	struct fixture_two_ml ml;
	fixture_two_ml(&fx, &ml);
	sid = ml.brest;
	sid2 = ml.paris;
	const char *cid = ml.claire_id, *cid2 = ml.denis_id;
	b1 = ml.elodie;
	b2 = ml.paul;
	b3 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Zoé", .last_name = "Martin"});
	o1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid2, .first_name = "Ana", .last_name = "Autre"});
	claire = ml.claire;
	denis = ml.denis;
	sophie = ml.sophie;
}

static void
store_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = store_setup, .fini = store_teardown, .timeout = 60);

/* An atelier of @u starting at @starts_at with registrants @ids (in @u's portfolio). */
static struct event
ac(const struct user *u, const char *title, int64_t starts_at, const char *const *ids, int n)
{
	struct event e = {.type = EVENT_ATELIER, .title = title, .modality = MODALITY_ML,
			  .description = "", .address = "12 rue de Siam, Brest", .organism = "",
			  .starts_at = starts_at, .duration_min = 90};
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, u, starts_at - 7 * 24 * HOUR, &e, ids, n, &why, NULL), 0);
	return e;
}

#define count(sql, param) fixture_count(&fx, (sql), (param))

static int
presence(const char *event_id, const char *beneficiary_id)
{
	struct event_participant *p;
	struct event e = {.id = event_id};
	int n = agenda_participants(db, a, &e, &p);
	for (int i = 0; i < n; i++)
		if (!strcmp(p[i].beneficiary_id, beneficiary_id))
			return p[i].present;
	cr_assert_fail("%s is not a registrant", beneficiary_id);
	return -2;
}

Test(store, closing_stores_the_attendance_closed_at_and_the_history)
{
	struct event e = ac(&claire, "Atelier CV", NOW - 2 * HOUR, (const char *[]){b1, b2}, 2), got;
	struct refusal why = {0};
	/* Denis, of the same Mission Locale, closes Claire's AC: Élodie came, Paul did not. */
	cr_assert_eq(agenda_close(db, a, &denis, NOW, e.id, (const char *[]){b1, b1}, 2, &why), 0);
	cr_assert_eq(presence(e.id, b1), 1);
	cr_assert_eq(presence(e.id, b2), 0, "unchecked: absent, not unknown");
	cr_assert_eq(agenda_open(db, a, &claire, e.id, false, &got, NULL), 0);
	cr_assert_eq(got.closed_at, NOW);
	cr_assert_eq(agenda_ac_status(&got, NOW), AC_CLOSED);
	struct event_change *c;
	int total;
	cr_assert_eq(agenda_changes(db, a, &got, 2, &c, &total), 1);
	cr_assert_str_eq(c[0].first_name, "Denis");
	cr_assert_eq(c[0].at, NOW);
}

Test(store, every_refusal_leaves_the_ac_as_it_was)
{
	struct event past = ac(&claire, "Passé", NOW - 2 * HOUR, (const char *[]){b1}, 1);
	struct event soon = ac(&claire, "À venir", NOW + HOUR, (const char *[]){b1}, 1);
	struct event visit = {.type = EVENT_VISITE, .modality = MODALITY_NONE, .description = "",
			      .address = "", .organism = "", .starts_at = NOW - HOUR,
			      .duration_min = 30};
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW - 24 * HOUR, &visit, (const char *[]){b1}, 1,
				   &why, NULL), 0);
	/* Another Mission Locale does not see it; a RDV, an upcoming AC cannot be closed. */
	cr_assert_eq(agenda_close(db, a, &sophie, NOW, past.id, NULL, 0, &why), -ERR_NOTFOUND);
	cr_assert_eq(agenda_close(db, a, &claire, NOW, visit.id, NULL, 0, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, AGENDA_CLOSE_NOT_AC);
	cr_assert_eq(agenda_close(db, a, &claire, NOW, soon.id, NULL, 0, &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, AGENDA_CLOSE_NOT_DUE);
	/* A forged box for someone not registered: nothing is written. */
	cr_assert_eq(agenda_close(db, a, &claire, NOW, past.id, (const char *[]){b1, b2}, 2, &why),
		     -ERR_INVAL);
	cr_assert_str_eq(why.message, "Ce bénéficiaire n’est pas inscrit à cet événement.");
	cr_assert_eq(presence(past.id, b1), -1, "rolled back");
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1 AND closed_at IS NULL", past.id), 1);
	cr_assert_eq(count("SELECT count(*) FROM event_history WHERE event_id = $1", past.id), 0);
	/* Closed once, never twice: the first attendance stays. */
	cr_assert_eq(agenda_close(db, a, &claire, NOW, past.id, (const char *[]){b1}, 1, &why), 0);
	cr_assert_eq(agenda_close(db, a, &claire, NOW + 1, past.id, NULL, 0, &why), -ERR_INVAL);
	cr_assert_eq(presence(past.id, b1), 1);
}

Test(store, scenario_6_a_closed_ac_answers_409_to_edit_registration_and_delete)
{
	struct event e = ac(&claire, "Atelier CV", NOW - 2 * HOUR, (const char *[]){b1}, 1), got;
	struct refusal why = {0};
	cr_assert_eq(agenda_close(db, a, &claire, NOW, e.id, (const char *[]){b1}, 1, &why), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	struct event after = got;
	after.title = "Autre titre";
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, (const char *[]){b1}, 1,
				 &why, NULL), -ERR_CONFLICT);
	cr_assert_eq(why.status, 409);
	cr_assert_str_eq(why.message, AGENDA_CLOSED);
	why = (struct refusal){0};
	after = got;
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, (const char *[]){b1, b2}, 2,
				 &why, NULL), -ERR_CONFLICT, "a registration is a change too");
	why = (struct refusal){0};
	cr_assert_eq(agenda_delete(db, NOW, &got, &why, NULL), -ERR_CONFLICT);
	cr_assert_str_eq(why.message, AGENDA_CLOSED);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1 AND title = 'Atelier CV'", e.id), 1);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1", e.id), 1);
	/* A stale copy opened before the close is refused just the same. */
	struct event stale = got;
	stale.closed_at = 0;
	cr_assert_eq(agenda_delete(db, NOW, &stale, &why, NULL), -ERR_CONFLICT);
}

Test(store, the_nightly_job_closes_past_ac_without_registrants_once)
{
	struct event empty1 = ac(&claire, "Vide 1", NOW - 30 * HOUR, NULL, 0);
	struct event empty2 = ac(&denis, "Vide 2", NOW - HOUR, NULL, 0);
	struct event full = ac(&claire, "Plein", NOW - HOUR, (const char *[]){b1}, 1);
	struct event later = ac(&claire, "Plus tard", NOW + HOUR, NULL, 0);
	/* Planned daily at 01:30 Paris, beside the history's purge. */
	cr_assert_eq(agenda_jobs_plan(db, NOW), 0);
	struct job j;
	cr_assert_eq(jobs_find(db, a, AGENDA_CLOSE_JOB_KEY, &j), 0);
	cr_assert_str_eq(j.kind, "agenda_ac_close_empty");
	cr_assert_eq(j.run_at, at("2025-09-16T01:30:00+02:00"));
	const char *error = NULL;
	/* Run at NOW by the test clock: the job reads only the instant it is given. */
	cr_assert_eq(agenda_close_job_run(NULL, db, a, &j, NOW, &error), 0);
	cr_assert_null(error);
	const char *closed = "SELECT count(*) FROM event WHERE id = $1 AND closed_at IS NOT NULL";
	cr_assert_eq(count(closed, empty1.id), 1);
	cr_assert_eq(count(closed, empty2.id), 1);
	cr_assert_eq(count(closed, full.id), 0, "registrants: a counselor closes it");
	cr_assert_eq(count(closed, later.id), 0, "not started");
	cr_assert_eq(agenda_close_empty(db, NOW + 1), 0, "idempotent");
	cr_assert_eq(agenda_close_empty(db, NOW + 2 * HOUR), 1, "the later one once started");
}

Test(store, pilotage_lists_the_ac_to_close_of_the_structure_oldest_first)
{
	struct event newer = ac(&denis, "Récent", NOW - HOUR, NULL, 0);
	struct event older = ac(&claire, "Ancien", NOW - 48 * HOUR, (const char *[]){b1, b3}, 2);
	struct event done = ac(&claire, "Clos", NOW - 3 * HOUR, (const char *[]){b2}, 1);
	ac(&claire, "À venir", NOW + HOUR, NULL, 0);
	struct user other_ml = sophie;
	ac(&other_ml, "Ailleurs", NOW - HOUR, NULL, 0);
	struct refusal why = {0};
	cr_assert_eq(agenda_close(db, a, &claire, NOW, done.id, NULL, 0, &why), 0);
	cr_assert_eq(agenda_to_close_count(db, sid, NOW), 2);
	cr_assert_eq(agenda_to_close_count(db, sid2, NOW), 1);
	cr_assert_eq(agenda_to_close_count(db, NULL, NOW), 0, "no Mission Locale, nothing");
	struct agenda_to_close *rows;
	cr_assert_eq(agenda_to_close_list(db, a, sid, NOW, 0, 10, &rows), 2);
	cr_assert_str_eq(rows[0].id, older.id, "oldest first");
	cr_assert_str_eq(rows[0].title, "Ancien");
	cr_assert_eq(rows[0].registrants, 2);
	cr_assert_eq(rows[0].starts_at, NOW - 48 * HOUR);
	cr_assert_str_eq(rows[1].id, newer.id);
	cr_assert_eq(rows[1].registrants, 0);
	cr_assert_eq(agenda_to_close_list(db, a, sid, NOW, 1, 10, &rows), 1, "paged");
	cr_assert_str_eq(rows[0].id, newer.id);
}

/* The block of templates/agenda/detail.html as agenda_close_detail() fills it. */
static const char *
render_block(bool to_close, bool to_delete)
{
	struct vm *o = vm_obj(a);
	vm_set_str(o, "id", "0190b6a0-0000-7000-8000-000000000001");
	vm_set_bool(o, "to_close", to_close);
	vm_set_bool(o, "to_delete", to_delete);
	GString *out = g_string_new(NULL);
	GError *err = NULL;
	cr_assert_eq(tmpl_render(fx.app.tmpl, "agenda/close_block.html", o, out, &err), 0, "%s",
		     err ? err->message : "");
	const char *html = arena_strdup(a, out->str);
	g_string_free(out, TRUE);
	return html;
}

Test(store, the_detail_s_block_says_what_to_do)
{
	const char *html = render_block(true, false);
	cr_assert(strstr(html, "Cet événement est passé et doit être clos."));
	cr_assert(strstr(html, "href=\"/agenda/animations-collectives/0190b6a0-0000-7000-8000-000000000001/clore\">Clore</a>"));
	cr_assert(!strstr(html, "doit être supprimé"));
	cr_assert(strstr(html, "href=\"/emargement/0190b6a0-0000-7000-8000-000000000001?type=ac\">Exporter la liste des inscrits</a>"));
	html = render_block(false, true);
	cr_assert(strstr(html, "Cet événement est passé et doit être supprimé."));
	cr_assert(!strstr(html, "/clore"), "nobody to mark: no closing");
	html = render_block(false, false);
	cr_assert(!strstr(html, "fr-alert"), "upcoming or closed: no banner");
	cr_assert(strstr(html, "Exporter la liste des inscrits"));
}
