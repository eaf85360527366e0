/* test_agenda.c — the events of the agenda (agenda.md §2, §2.1, §4): the pure rules and
 * the form's every message (suite rules), who may write an event (authz), and the use
 * cases on a migrated database (suite store): create, edit, delete, history, rights, the
 * portfolio rule, and the beneficiary's purge. */
#include "agenda/agenda.h"
#include "agenda/agenda_ac.h"
#include "agenda/agenda_form.h"
#include "agenda/agenda_store.h"
#include "agenda/agenda_use.h"
#include "admin/admin_store.h"
#include "auth/authz.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "db/db.h"
#include "jobs/jobs.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#define PARIS FIXTURE_PARIS
#define REUNION FIXTURE_REUNION
#define at(iso) fixture_at(iso)

/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

static struct arena *a;

FIXTURE_ARENA_SUITE(rules, a);

/* A valid RDV form, changed by each test. */
static struct event_form
valid(void)
{
	return (struct event_form){.type = "VISITE", .modality = "", .date = "2025-09-18",
				   .start = "10:00", .duration = "00:45", .n_beneficiaries = 1};
}

static struct event_form_errors
check(const struct event_form *f)
{
	struct event_form_errors e;
	agenda_form_check(a, f, NOW, PARIS, &e);
	return e;
}

static char *
repeat(const char *s, int n)
{
	GString *g = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append(g, s);
	char *out = arena_strdup(a, g->str);
	g_string_free(g, TRUE);
	return out;
}

Test(rules, types_and_modalities_with_their_labels)
{
	cr_assert_str_eq(agenda_types[EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER].label,
			 "Entretien individuel conseiller");
	cr_assert_str_eq(agenda_types[EVENT_ENTRETIEN_PARTENAIRE].label, "Entretien par un partenaire");
	cr_assert_str_eq(agenda_types[EVENT_ACTIVITES_EXTERIEURES].label, "Activités extérieures");
	cr_assert_str_eq(agenda_types[EVENT_INFORMATION_COLLECTIVE].label, "Information collective");
	cr_assert_eq(agenda_type_parse("ATELIER"), EVENT_ATELIER);
	/* Synced only (agenda_imilo.h): stored and read, never taken from a form. */
	cr_assert_eq(agenda_type_parse("RENDEZ_VOUS_MILO"), EVENT_RENDEZ_VOUS_MILO);
	cr_assert_eq(agenda_type_parse_form("RENDEZ_VOUS_MILO"), -1, "synced only, never created here");
	cr_assert_eq(agenda_type_parse_form("ATELIER"), EVENT_ATELIER);
	cr_assert_eq(agenda_type_parse(NULL), -1);
	cr_assert(agenda_is_collective(EVENT_ATELIER) && agenda_is_collective(EVENT_INFORMATION_COLLECTIVE));
	for (int t = EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER; t <= EVENT_AUTRE; t++)
		cr_assert(!agenda_is_collective(t), "%s is a RDV", agenda_types[t].code);
	cr_assert_str_eq(agenda_modalities[MODALITY_ML_PERMANENCE].label,
			 "En présentiel : Mission Locale / Permanence");
	cr_assert_eq(agenda_modality_parse(""), MODALITY_NONE);
	cr_assert_eq(agenda_modality_parse("VISIO"), MODALITY_VISIO);
	cr_assert_eq(agenda_modality_parse("PIGEON"), -2);
}

Test(rules, a_valid_form_has_no_error)
{
	struct event_form f = valid();
	cr_assert_eq(agenda_form_check(a, &f, NOW, PARIS, &(struct event_form_errors){0}), 0);
}

Test(rules, every_empty_required_field_has_its_message)
{
	struct event_form f = {.type = "", .modality = ""};
	struct event_form_errors e = check(&f);
	cr_assert_eq(e.count, 4);
	cr_assert_str_eq(e.type, "Le champ “Type” est vide. Renseignez un type.");
	cr_assert_str_eq(e.date, "Le champ “Date” est vide. Renseignez une date.");
	cr_assert_str_eq(e.start, "Le champ “Heure de début” est vide. Renseignez une heure de début.");
	cr_assert_str_eq(e.duration, "Le champ “Durée” est vide. Renseignez une durée.");
}

Test(rules, a_rdv_needs_a_beneficiary_an_ac_does_not)
{
	struct event_form f = valid();
	f.n_beneficiaries = 0;
	cr_assert_str_eq(check(&f).beneficiaries, "Aucun bénéficiaire n’est renseigné. Veuillez "
			 "sélectionner au moins un bénéficiaire.");
	cr_assert_str_eq(AGENDA_NO_BENEFICIARY, check(&f).beneficiaries);
	f.type = "ATELIER";
	f.title = "Atelier CV";
	cr_assert_eq(check(&f).count, 0);
}

Test(rules, autre_needs_a_precision_of_1_to_250)
{
	struct event_form f = valid();
	f.type = "AUTRE";
	cr_assert_str_eq(check(&f).precision, "Le champ “Préciser” est vide. Renseignez une précision.");
	f.precision = repeat("é", 251);
	cr_assert_str_eq(check(&f).precision, "Le champ “Préciser” ne doit pas dépasser 250 caractères.");
	f.precision = repeat("é", 250);
	cr_assert_eq(check(&f).count, 0, "250 characters, not bytes");
	f.type = "VISITE";
	f.precision = NULL;
	cr_assert_null(check(&f).precision, "only AUTRE asks for it");
}

Test(rules, titles_required_for_an_ac_optional_for_a_rdv)
{
	struct event_form f = valid();
	cr_assert_null(check(&f).title);
	f.type = "INFORMATION_COLLECTIVE";
	cr_assert_str_eq(check(&f).title, "Le champ “Titre” est vide. Renseignez un titre.");
	f.title = repeat("a", 251);
	cr_assert_str_eq(check(&f).title, "Le titre ne doit pas dépasser 250 caractères.");
	f.type = "VISITE";
	cr_assert_str_eq(check(&f).title, "Le titre ne doit pas dépasser 250 caractères.");
	f.title = repeat("a", 250);
	cr_assert_eq(check(&f).count, 0);
}

Test(rules, texts_up_to_250_characters)
{
	struct event_form f = valid();
	f.description = f.address = f.organism = repeat("ç", 250);
	cr_assert_eq(check(&f).count, 0);
	f.description = f.address = f.organism = repeat("ç", 251);
	struct event_form_errors e = check(&f);
	cr_assert_eq(e.count, 3);
	cr_assert_str_eq(e.description, "La description ne doit pas dépasser 250 caractères.");
	cr_assert_str_eq(e.address, "L’adresse ne doit pas dépasser 250 caractères.");
	cr_assert_str_eq(e.organism, "L’organisme ne doit pas dépasser 250 caractères.");
}

Test(rules, an_unknown_modality_is_refused)
{
	struct event_form f = valid();
	f.modality = "PIGEON";
	cr_assert_str_eq(check(&f).modality, "Le champ “Modalité” est invalide. Sélectionnez une modalité.");
	f.modality = "ML";
	cr_assert_eq(check(&f).count, 0);
}

/* The window of actions (§2): [today − 1 year − 1 day, today + 2 years], edges included,
 * in either format. */
Test(rules, date_window_edges)
{
	const char *msg = "Le champ “Date” est invalide. La date attendue est comprise entre le "
			  "14/09/2024 et le 15/09/2027.";
	struct event_form f = valid();
	const char *inside[] = {"2024-09-14", "2027-09-15", "14/09/2024", "15/09/2027"};
	const char *outside[] = {"2024-09-13", "2027-09-16", "16/09/2027", "2025-02-30", "demain"};
	for (size_t i = 0; i < G_N_ELEMENTS(inside); i++) {
		f.date = inside[i];
		cr_assert_null(check(&f).date, "%s", inside[i]);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(outside); i++) {
		f.date = outside[i];
		cr_assert_str_eq(check(&f).date, msg, "%s", outside[i]);
	}
}

Test(rules, start_and_duration_are_hh_mm)
{
	struct event_form f = valid();
	const char *bad_start[] = {"24:00", "9:00", "10h00", "10:60", "1000"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad_start); i++) {
		f.start = bad_start[i];
		cr_assert_str_eq(check(&f).start, "Le champ “Heure de début” est invalide. L’heure "
				 "attendue est au format hh:mm.", "%s", bad_start[i]);
	}
	f = valid();
	const char *bad_duration[] = {"00:00", "24:00", "0:45", "45"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad_duration); i++) {
		f.duration = bad_duration[i];
		cr_assert_str_eq(check(&f).duration, "Le champ “Durée” est invalide. La durée attendue "
				 "est comprise entre 00:01 et 23:59.", "%s", bad_duration[i]);
	}
	const char *good[] = {"00:01", "23:59"};
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		f.duration = good[i];
		cr_assert_null(check(&f).duration, "%s", good[i]);
	}
	cr_assert_eq(agenda_parse_hhmm("23:59"), AGENDA_DURATION_MAX);
}

Test(rules, presence_is_forced_for_an_individual_interview)
{
	cr_assert(agenda_presence(EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER, false));
	cr_assert(!agenda_presence(EVENT_VISITE, false));
	cr_assert(agenda_presence(EVENT_VISITE, true));
	struct event_form f = valid();
	f.type = "ENTRETIEN_INDIVIDUEL_CONSEILLER";
	f.presence = false;   /* a forged request */
	struct event e = {0};
	agenda_form_apply(&f, PARIS, &e);
	cr_assert(e.presence);
}

Test(rules, apply_reads_the_structure_s_zone_and_the_end_is_start_plus_duration)
{
	struct event_form f = valid();
	f.date = "18/09/2025";
	f.start = "10:00";
	f.duration = "01:30";
	struct event e = {0};
	agenda_form_apply(&f, PARIS, &e);
	cr_assert_eq(e.starts_at, at("2025-09-18T08:00:00Z"), "10:00 in Paris is 08:00 UTC");
	cr_assert_eq(e.duration_min, 90);
	cr_assert_eq(agenda_ends_at(&e), at("2025-09-18T09:30:00Z"));
	cr_assert_str_eq(clock_fr_time(a, agenda_ends_at(&e), PARIS), "11h30", "Fin à 11h30");
	agenda_form_apply(&f, REUNION, &e);
	cr_assert_eq(e.starts_at, at("2025-09-18T06:00:00Z"), "10:00 at La Réunion is 06:00 UTC");
	cr_assert_str_eq(agenda_hours_fr(a, e.starts_at, e.duration_min, REUNION), "10h00 - 90 min");
	cr_assert_str_eq(agenda_duration_fr(a, 45), "45 min");
	cr_assert_str_eq(agenda_duration_fr(a, 90), "1h30");
	cr_assert_str_eq(agenda_duration_fr(a, 120), "2h");
}

Test(rules, the_form_of_a_stored_event_reads_back)
{
	struct event_form f = valid();
	f.date = "2025-10-26";   /* the day Paris leaves summer time: 25 hours */
	f.start = "14:05";
	f.duration = "23:59";
	f.modality = "TELEPHONE";
	struct event e = {0}, again = {0};
	agenda_form_apply(&f, PARIS, &e);
	struct event_form back;
	agenda_form_of(a, &e, PARIS, &back);
	cr_assert_str_eq(back.date, "2025-10-26");
	cr_assert_str_eq(back.start, "14:05");
	cr_assert_str_eq(back.duration, "23:59");
	cr_assert_str_eq(back.modality, "TELEPHONE");
	back.n_beneficiaries = 1;
	agenda_form_apply(&back, PARIS, &again);
	cr_assert_eq(again.starts_at, e.starts_at);
}

Test(rules, title_fallback_is_the_type_or_precision_then_the_modality)
{
	struct event e = {.type = EVENT_VISITE, .modality = MODALITY_NONE};
	cr_assert_str_eq(agenda_display_title(a, &e), "Visite");
	e.modality = MODALITY_PHONE;
	cr_assert_str_eq(agenda_display_title(a, &e), "Visite Par téléphone");
	e.type = EVENT_AUTRE;
	e.precision = "Bilan";
	cr_assert_str_eq(agenda_display_title(a, &e), "Bilan Par téléphone");
	e.title = "Point CV";
	cr_assert_str_eq(agenda_display_title(a, &e), "Point CV");
}

Test(rules, ac_status)
{
	struct event e = {.type = EVENT_ATELIER, .starts_at = NOW + 1};
	cr_assert_eq(agenda_ac_status(&e, NOW), AC_UPCOMING);
	e.starts_at = NOW;
	cr_assert_eq(agenda_ac_status(&e, NOW), AC_TO_CLOSE);
	e.closed_at = NOW;
	e.starts_at = NOW + 1;
	cr_assert_eq(agenda_ac_status(&e, NOW), AC_CLOSED, "closed wins, even in the future");
	cr_assert_str_eq(agenda_ac_status_label(AC_UPCOMING), "À venir");
	cr_assert_str_eq(agenda_ac_status_label(AC_TO_CLOSE), "À clore");
	cr_assert_str_eq(agenda_ac_status_label(AC_CLOSED), "Close");
}

Test(rules, who_may_write_an_event)
{
	struct user me = {.kind = USER_COUNSELOR, .id = "me", .structure_id = "ml1"};
	struct user young = {.kind = USER_BENEFICIARY, .id = "me", .structure_id = "ml1"};
	/* RDV: the creator, or a counselor following a participant; the structure reads. */
	cr_assert_eq(authz_event(&me, false, "me", "ml1", false), AUTHZ_WRITE);
	cr_assert_eq(authz_event(&me, false, "other", "ml2", true), AUTHZ_WRITE);
	cr_assert_eq(authz_event(&me, false, "other", "ml1", false), AUTHZ_READ);
	cr_assert_eq(authz_event(&me, false, "other", "ml2", false), AUTHZ_NONE);
	/* AC: any counselor of its structure, nobody else, creator or not. */
	cr_assert_eq(authz_event(&me, true, "other", "ml1", false), AUTHZ_WRITE);
	cr_assert_eq(authz_event(&me, true, "me", "ml2", true), AUTHZ_NONE);
	cr_assert_eq(authz_event(&young, false, "me", "ml1", true), AUTHZ_NONE);
	cr_assert_eq(authz_event(NULL, false, "me", "ml1", true), AUTHZ_NONE);
}

/* ---- Use cases on a database ---- */

static struct fixture fx;
static struct db *db;
static const char *sid, *sid2, *cid, *cid2, *cid3, *b1, *b2, *o1;
static struct user claire, denis, sophie;

static void
store_setup(void)
{
	fixture_open(&fx, "agenda", FIXTURE_DB);
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

static struct event
rdv(enum event_type type)
{
	return (struct event){.type = type, .modality = MODALITY_ML, .description = "",
			      .address = "", .organism = "", .starts_at = NOW + 3 * 86400000LL,
			      .duration_min = 45};
}

#define count(sql, param) fixture_count(&fx, (sql), (param))

Test(store, create_then_open_with_each_right)
{
	struct event e = rdv(EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER), got;
	e.presence = false;   /* forced */
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1, b2}, 2, &why, NULL), 0);
	enum authz_level level;
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, &level), 0);
	cr_assert_eq(level, AUTHZ_WRITE);
	cr_assert(got.presence, "scenario 1: stored true");
	cr_assert_eq(got.starts_at, e.starts_at);
	cr_assert_str_eq(got.creator_first_name, "Claire");
	cr_assert_str_eq(got.structure_id, sid);
	cr_assert_eq(got.modality, MODALITY_ML);
	struct event_participant *p;
	cr_assert_eq(agenda_participants(db, a, &got, &p), 2);
	cr_assert_str_eq(p[0].last_name, "Arnaud", "by name");
	/* A colleague reads, another structure sees nothing, a bad id is nothing. */
	cr_assert_eq(agenda_open(db, a, &denis, e.id, false, &got, &level), 0);
	cr_assert_eq(level, AUTHZ_READ);
	cr_assert_eq(agenda_open(db, a, &denis, e.id, true, &got, NULL), -ERR_FORBIDDEN);
	cr_assert_eq(agenda_open(db, a, &sophie, e.id, false, &got, NULL), -ERR_NOTFOUND);
	cr_assert_eq(agenda_open(db, a, &claire, "pas-un-id", false, &got, NULL), -ERR_NOTFOUND);
}

Test(store, a_rdv_takes_only_beneficiaries_of_the_creator_s_portfolio)
{
	struct event e = rdv(EVENT_VISITE);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1, o1}, 2, &why, NULL),
		     -ERR_INVAL);
	cr_assert_str_eq(why.field, "beneficiaires");
	cr_assert_str_eq(why.message, "Ce bénéficiaire n’est pas dans votre portefeuille.");
	e = rdv(EVENT_VISITE);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, NULL, 0, &why, NULL), -ERR_INVAL);
	cr_assert_str_eq(why.message, AGENDA_NO_BENEFICIARY);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE creator_id = $1", cid), 0,
		     "nothing stored");
}

Test(store, edit_keeps_the_type_and_the_others_participants_and_writes_the_history)
{
	struct event e = rdv(EVENT_VISITE), before, after;
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1, b2}, 2, &why, NULL), 0);
	/* Paul goes to Denis: Denis now follows a participant and may write. */
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET counselor_id = $1 WHERE id = $2");
	db_bind_text(st, 1, cid2);
	db_bind_text(st, 2, b2);
	cr_assert_eq(db_run(st), 0);
	cr_assert_eq(agenda_open(db, a, &denis, e.id, true, &before, NULL), 0);
	after = rdv(EVENT_ATELIER);   /* a forged type change */
	after.duration_min = 60;
	after.title = "Point d’étape";
	/* Denis keeps only Paul checked; Élodie, Claire's, is not his to remove. */
	cr_assert_eq(agenda_edit(db, a, &denis, NOW + 1000, &before, &after, (const char *[]){b2}, 1,
				 &why, NULL), 0);
	struct event got;
	cr_assert_eq(agenda_open(db, a, &claire, e.id, false, &got, NULL), 0);
	cr_assert_eq(got.type, EVENT_VISITE, "the type is locked");
	cr_assert_eq(got.duration_min, 60);
	cr_assert_str_eq(got.title, "Point d’étape");
	cr_assert_str_eq(got.creator_first_name, "Claire");
	struct event_participant *p;
	cr_assert_eq(agenda_participants(db, a, &got, &p), 2);
	/* Denis removes Paul: Élodie stays. */
	cr_assert_eq(agenda_edit(db, a, &denis, NOW + 2000, &got, &after, NULL, 0, &why, NULL), 0);
	cr_assert_eq(agenda_participants(db, a, &got, &p), 1);
	cr_assert_str_eq(p[0].beneficiary_id, b1);
	/* Claire's third change; the history shows the 2 latest of 3, newest first. */
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 3000, &got, &after, (const char *[]){b1}, 1,
				 &why, NULL), 0);
	struct event_change *c;
	int total;
	cr_assert_eq(agenda_changes(db, a, &got, 2, &c, &total), 2);
	cr_assert_eq(total, 3);
	cr_assert_eq(c[0].at, NOW + 3000);
	cr_assert_str_eq(c[0].first_name, "Claire");
	cr_assert_str_eq(c[1].first_name, "Denis");
}

Test(store, an_edit_cannot_leave_a_rdv_without_beneficiary)
{
	struct event e = rdv(EVENT_VISITE), got, after = rdv(EVENT_VISITE);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, NULL, 0, &why, NULL), -ERR_INVAL);
	cr_assert_str_eq(why.message, AGENDA_NO_BENEFICIARY);
	cr_assert_eq(count("SELECT count(*) FROM event_history WHERE event_id = $1", e.id), 0,
		     "rolled back");
}

Test(store, delete_takes_participants_and_history)
{
	struct event e = rdv(EVENT_VISITE), got, after = rdv(EVENT_VISITE);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_delete(db, NOW + 2, &got, &why, NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1", e.id), 0);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1", e.id), 0);
	cr_assert_eq(count("SELECT count(*) FROM event_history WHERE event_id = $1", e.id), 0);
}

Test(store, the_fiche_lists_the_coming_rdv_then_the_past_ones)
{
	struct refusal why = {0};
	struct event past = rdv(EVENT_VISITE), soon = rdv(EVENT_PRESTATION), later = rdv(EVENT_AUTRE);
	past.starts_at = NOW - 86400000LL;
	later.precision = "Bilan";
	later.starts_at = NOW + 10 * 86400000LL;
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &later, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &past, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &soon, (const char *[]){b1, b2}, 2, &why, NULL), 0);
	struct event *list;
	int *present;
	/* The coming ones soonest first, then the past ones (beneficiaries.md §6). */
	cr_assert_eq(agenda_of_beneficiary(db, a, b1, NOW, &list, &present), 3);
	cr_assert_str_eq(list[0].id, soon.id, "soonest first");
	cr_assert_str_eq(list[1].precision, "Bilan");
	cr_assert_str_eq(list[2].id, past.id, "then the past");
	cr_assert_eq(present[0], -1);
	cr_assert_eq(agenda_count_of_beneficiary(db, b1), 3);
	cr_assert_eq(agenda_count_of_beneficiary(db, b2), 1);
}

Test(store, purge_forgets_the_beneficiary_and_the_rdv_they_were_alone_in)
{
	struct refusal why = {0};
	struct event alone = rdv(EVENT_VISITE), shared = rdv(EVENT_VISITE);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &alone, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &shared, (const char *[]){b1, b2}, 2, &why, NULL), 0);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(agenda_purge_beneficiary(db, b1), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1", alone.id), 0);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1", shared.id), 1);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE beneficiary_id = $1", b1), 0);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE beneficiary_id = $1", b2), 1);
}

Test(store, the_history_is_kept_one_year)
{
	struct event e = rdv(EVENT_VISITE), got, after = rdv(EVENT_VISITE);
	struct refusal why = {0};
	int64_t year = AGENDA_HISTORY_KEEP_DAYS * 86400000LL;
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_edit(db, a, &claire, NOW, &got, &after, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_forget_old_changes(db, NOW + year), 0, "a year to the day: kept");
	cr_assert_eq(agenda_forget_old_changes(db, NOW + year + 1), 1);
	cr_assert_eq(count("SELECT count(*) FROM event_history WHERE event_id = $1", e.id), 1);
	/* Planned daily at 04:15 Paris. */
	cr_assert_eq(agenda_jobs_plan(db, NOW), 0);
	struct job j;
	cr_assert_eq(jobs_find(db, a, "agenda:history-purge", &j), 0);
	cr_assert_str_eq(j.kind, "agenda_history_purge");
	cr_assert_eq(j.run_at, at("2025-09-16T04:15:00+02:00"));
}

/* ---- Animations collectives (agenda.md §2, §2.1, §4; scenario 5) ---- */

/* A valid AC form with @n registrants. */
static struct event_form
valid_ac(int n)
{
	struct event_form f = valid();
	f.type = "ATELIER";
	f.title = "Atelier CV";
	f.n_beneficiaries = n;
	return f;
}

Test(rules, an_ac_fits_its_maximum)
{
	cr_assert(agenda_ac_fits(0, 500), "no maximum");
	cr_assert(agenda_ac_fits(2, 2));
	cr_assert(!agenda_ac_fits(2, 3), "scenario 5: a third one");
	struct agenda_ac_row row = {.e = {.max_participants = 2}, .registrants = 1};
	cr_assert(!agenda_ac_full(&row));
	row.registrants = 2;
	cr_assert(agenda_ac_full(&row), "Complet");
	row.e.max_participants = 0;
	cr_assert(!agenda_ac_full(&row), "never full without a maximum");
}

Test(rules, the_maximum_is_an_integer_of_at_least_1_and_of_the_registrants)
{
	struct event_form f = valid_ac(2);
	f.limited = true;
	cr_assert_str_eq(check(&f).max, "Le champ “Nombre maximum de participants” est vide. "
			 "Renseignez un nombre maximum de participants.");
	const char *invalid = "Le champ “Nombre maximum de participants” est invalide. Renseignez "
			      "un nombre entier supérieur ou égal à 1.";
	const char *bad[] = {"0", "-1", "1.5", "deux", "12345"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		f.max = bad[i];
		cr_assert_str_eq(check(&f).max, invalid, "%s", bad[i]);
	}
	f.max = "1";
	cr_assert_str_eq(check(&f).max, "Le nombre maximum de participants est dépassé.");
	cr_assert_eq(check(&f).count, 1);
	f.max = "2";
	cr_assert_eq(check(&f).count, 0);
	struct event e = {0};
	agenda_form_apply(&f, PARIS, &e);
	cr_assert_eq(e.max_participants, 2);
	/* The switch off: the number is not read; a RDV never has one. */
	f.limited = false;
	f.max = "0";
	cr_assert_eq(check(&f).count, 0);
	agenda_form_apply(&f, PARIS, &e);
	cr_assert_eq(e.max_participants, 0);
	f = valid();
	f.limited = true;
	f.max = "abc";
	cr_assert_eq(check(&f).count, 0, "a RDV ignores it");
	cr_assert_eq(agenda_form_max(&f), 0);
}

Test(rules, the_form_of_a_stored_ac_reads_its_maximum_back)
{
	struct event e = {.type = EVENT_INFORMATION_COLLECTIVE, .title = "Info", .description = "",
			  .modality = MODALITY_NONE, .starts_at = at("2025-09-18T08:00:00Z"),
			  .duration_min = 60, .address = "", .organism = "", .max_participants = 12};
	struct event_form f;
	agenda_form_of(a, &e, PARIS, &f);
	cr_assert(f.limited);
	cr_assert_str_eq(f.max, "12");
	e.max_participants = 0;
	agenda_form_of(a, &e, PARIS, &f);
	cr_assert(!f.limited);
	cr_assert_null(f.max);
}

Test(rules, a_picker_search_matches_every_word_without_case_nor_accents)
{
	struct agenda_person p = {.first_name = "Élodie", .last_name = "Dupont-Moreau"};
	cr_assert(agenda_person_matches(a, &p, NULL, 0), "no word: everyone");
	cr_assert(agenda_person_matches(a, &p, (const char *[]){"elo", "moreau"}, 2));
	cr_assert(!agenda_person_matches(a, &p, (const char *[]){"elo", "martin"}, 2));
}

static struct event
ac(int max)
{
	struct event e = rdv(EVENT_ATELIER);
	e.title = "Atelier CV";
	e.max_participants = max;
	return e;
}

Test(store, an_ac_takes_registrants_of_its_structure_and_any_counselor_of_it_writes)
{
	struct event e = ac(0), got;
	struct refusal why = {0};
	/* o1 is Denis's: an AC may take them, flagged in the form only (§2). */
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1, o1, b1}, 3, &why, NULL), 0);
	struct event_participant *p;
	cr_assert_eq(agenda_open(db, a, &claire, e.id, false, &got, NULL), 0);
	cr_assert_eq(agenda_participants(db, a, &got, &p), 2, "a repeated id counts once");
	cr_assert_eq(got.max_participants, 0);
	enum authz_level level;
	cr_assert_eq(agenda_open(db, a, &denis, e.id, true, &got, &level), 0);
	cr_assert_eq(level, AUTHZ_WRITE, "every counselor of the structure");
	cr_assert_eq(agenda_open(db, a, &sophie, e.id, false, &got, NULL), -ERR_NOTFOUND);
	/* Denis removes Élodie (not his): an AC's registrants are exactly what he posts. */
	struct event after = ac(0);
	cr_assert_eq(agenda_edit(db, a, &denis, NOW, &got, &after, (const char *[]){o1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_participants(db, a, &got, &p), 1);
	cr_assert_str_eq(p[0].beneficiary_id, o1);
	/* And may leave it with none. */
	cr_assert_eq(agenda_edit(db, a, &denis, NOW, &got, &after, NULL, 0, &why, NULL), 0);
	cr_assert_eq(agenda_participants(db, a, &got, &p), 0);
	/* Sophie's beneficiary is of another Mission Locale. */
	const char *far = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid2,
		.counselor_id = cid3, .first_name = "Léa", .last_name = "Loin"});
	cr_assert_eq(agenda_edit(db, a, &claire, NOW, &got, &after, (const char *[]){b1, far}, 2, &why, NULL),
		     -ERR_INVAL);
	cr_assert_str_eq(why.field, "beneficiaires");
	cr_assert_str_eq(why.message, AGENDA_NOT_IN_STRUCTURE);
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1", e.id), 0,
		     "nothing stored");
	struct event other = ac(0);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &other, (const char *[]){far}, 1, &why, NULL),
		     -ERR_INVAL);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE title = $1", "Atelier CV"), 1);
}

Test(store, scenario_5_a_third_registrant_of_an_ac_of_2_is_refused_and_nothing_stored)
{
	struct event e = ac(2), got, after = ac(2);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1, b2}, 2, &why, NULL), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	cr_assert_eq(got.max_participants, 2);
	after.description = "Apportez votre CV";
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, (const char *[]){b1, b2, o1}, 3,
				 &why, NULL), -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.field, "maximum");
	cr_assert_str_eq(why.message, "Le nombre maximum de participants est dépassé.");
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1", e.id), 2);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE description = '' AND id = $1", e.id), 1);
	cr_assert_eq(count("SELECT count(*) FROM event_history WHERE event_id = $1", e.id), 0);
	/* Created over its maximum: refused too. */
	struct event big = ac(1);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &big, (const char *[]){b1, b2}, 2, &why, NULL),
		     -ERR_INVAL);
	cr_assert_str_eq(why.message, AGENDA_MAX_EXCEEDED);
	/* Raising the maximum lets the third in. */
	after.max_participants = 3;
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 2, &got, &after, (const char *[]){b1, b2, o1}, 3,
				 &why, NULL), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, false, &got, NULL), 0);
	cr_assert_eq(got.max_participants, 3);
}

Test(store, an_ac_needs_a_creator_with_a_structure)
{
	struct user nowhere = fixture_counselor_user(cid, "Claire", "Martin", NULL);
	struct event e = ac(0);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &nowhere, NOW, &e, NULL, 0, &why, NULL), -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_null(why.field);
	cr_assert_str_eq(why.message, "Ajoutez votre Mission Locale à votre profil pour créer une "
			 "animation collective.");
	cr_assert_eq(count("SELECT count(*) FROM event WHERE creator_id = $1", cid), 0);
}

Test(store, the_upcoming_ac_of_a_structure_with_their_registrants)
{
	struct event soon = ac(1), later = ac(0), past = ac(0), rdv_ = rdv(EVENT_VISITE);
	struct event theirs = ac(0);
	struct refusal why = {0};
	past.starts_at = NOW - 3600000LL;
	later.starts_at = NOW + 9 * 86400000LL;
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &later, NULL, 0, &why, NULL), 0);
	cr_assert_eq(agenda_create(db, a, &denis, NOW, &soon, (const char *[]){o1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &past, NULL, 0, &why, NULL), 0);
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &rdv_, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(agenda_create(db, a, &sophie, NOW, &theirs, NULL, 0, &why, NULL), 0);
	struct agenda_ac_row *rows;
	cr_assert_eq(agenda_upcoming_ac(db, a, sid, NOW, b1, &rows), 2, "À venir, this structure");
	cr_assert_str_eq(rows[0].e.id, soon.id, "soonest first");
	cr_assert_eq(rows[0].registrants, 1);
	cr_assert(agenda_ac_full(&rows[0]));
	cr_assert(!rows[0].registered);
	cr_assert_str_eq(rows[1].e.id, later.id);
	cr_assert(!agenda_ac_full(&rows[1]));
	cr_assert_eq(agenda_upcoming_ac(db, a, sid, NOW, o1, &rows), 2);
	cr_assert(rows[0].registered);
	/* The fiche's tab shows the AC a beneficiary is registered to, with their RDV. */
	cr_assert_eq(agenda_count_of_beneficiary(db, o1), 1);
	/* The picker's search looks through the structure only. */
	struct agenda_person *found;
	cr_assert_eq(agenda_structure_search(db, a, sid, "aut", &found), 1);
	cr_assert_str_eq(found[0].id, o1);
	cr_assert_str_eq(found[0].counselor_id, cid2);
	cr_assert_eq(agenda_structure_search(db, a, sid, "", &found), 3, "no word: all, by name");
	cr_assert_str_eq(found[0].last_name, "Arnaud");
	cr_assert_eq(agenda_structure_search(db, a, sid2, "aut", &found), 0);
	struct agenda_person p;
	cr_assert_eq(agenda_person(db, a, sid, o1, &p), 0);
	cr_assert_eq(agenda_person(db, a, sid2, o1, &p), -ERR_NOTFOUND, "another structure");
	cr_assert_eq(agenda_person(db, a, sid, "x", &p), -ERR_NOTFOUND);
}

Test(store, purge_keeps_an_ac_and_forgets_its_registrant)
{
	struct event e = ac(0);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, NULL), 0);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(agenda_purge_beneficiary(db, b1), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(count("SELECT count(*) FROM event WHERE id = $1", e.id), 1,
		     "the structure's AC stays");
	cr_assert_eq(count("SELECT count(*) FROM event_participant WHERE event_id = $1", e.id), 0);
}
