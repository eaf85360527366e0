/* test_ics.c — the invitations (agenda.md §2.2). Suite "ics": the calendar object as
 * agenda_ics_build() writes it, parsed back with libical's own parser (method, UID,
 * SEQUENCE, UTC times, summary, location, description, organizer and the only attendee,
 * no beneficiary's e-mail), its subject and content type. Suite "invite": the mails the
 * use cases enqueue on a migrated database — to the creator whoever acts, SEQUENCE 0/1/2
 * raised in the use case's transaction, invitation.ics joined — and scenario 4 of §10. */
#include "agenda/agenda.h"
#include "agenda/agenda_ics.h"
#include "agenda/agenda_invite.h"
#include "agenda/agenda_use.h"
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "mail/mail.h"
#include "mail/mail_store.h"   /* the bodies of a waiting mail */

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <libical/ical.h>
#include <string.h>

#define PARIS FIXTURE_PARIS
#define at(iso) fixture_at(iso)
/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")
#define BASE "https://cej.example.org"
#define FROM "Application du CEJ <ne-pas-repondre@cej.example.org>"
#define NOT_SYNCED "Les modifications effectuées dans votre agenda ne sont pas prises en " \
		   "compte dans l’application du CEJ."

static struct arena *a;

static void
pure_setup(void)
{
	a = arena_new();
}

static void
pure_teardown(void)
{
	arena_free(a);
}

TestSuite(ics, .init = pure_setup, .fini = pure_teardown);

static const struct event_participant people[] = {
	{.beneficiary_id = "b1", .first_name = "Élodie", .last_name = "Écrivain"},
	{.beneficiary_id = "b2", .first_name = "Paul", .last_name = "arnaud"},
};

/* An interview on Thursday 18 September 2025 at 10:00 in Paris, 45 minutes. */
static struct event
interview(void)
{
	return (struct event){
		.id = "019a0000-0000-7000-8000-000000000001",
		.type = EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER, .modality = MODALITY_ML,
		.description = "Apporter le CV; et la lettre, signée", .address = "12 rue Duc, Brest",
		.organism = "", .starts_at = at("2025-09-18T08:00:00Z"), .duration_min = 45,
		.presence = true, .creator_id = "c1", .creator_first_name = "Claire",
		.creator_last_name = "Martin", .structure_id = "s1",
	};
}

static struct ics_invitation
invitation(const struct event *e, enum ics_change change, int sequence)
{
	return (struct ics_invitation){
		.change = change, .event = e, .participants = people, .n_participants = 2,
		.sequence = sequence, .now = NOW, .base_url = BASE "/", .organizer = FROM,
		.creator_email = "claire.martin@ml-brest.fr",
	};
}

/* @text parsed by libical, and its only VEVENT in *@ev. Freed with icalcomponent_free. */
static icalcomponent *
parse(const char *text, icalcomponent **ev)
{
	icalcomponent *cal = icalparser_parse_string(text);
	cr_assert_not_null(cal, "%s", text);
	cr_assert_eq(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	cr_assert_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 1);
	*ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	return cal;
}

static const char *
param_cn(icalproperty *p)
{
	icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
	cr_assert_not_null(cn);
	return icalparameter_get_cn(cn);
}

Test(ics, a_request_parses_back_with_every_field_of_the_spec)
{
	struct event e = interview();
	struct ics_invitation in = invitation(&e, ICS_CREATED, 0);
	icalcomponent *ev, *cal = parse(agenda_ics_build(a, &in), &ev);

	cr_assert_eq(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
	cr_assert_str_eq(icalcomponent_get_uid(ev),
			 "rdv-019a0000-0000-7000-8000-000000000001@cej.example.org");
	cr_assert_eq(icalcomponent_get_sequence(ev), 0);
	struct icaltimetype start = icalcomponent_get_dtstart(ev), end = icalcomponent_get_dtend(ev);
	cr_assert(icaltime_is_utc(start) && icaltime_is_utc(end), "UTC times");
	cr_assert_eq((int64_t)icaltime_as_timet(start) * 1000, e.starts_at);
	cr_assert_eq((int64_t)icaltime_as_timet(end) * 1000, e.starts_at + 45 * 60000);
	cr_assert(icaltime_is_utc(icalcomponent_get_dtstamp(ev)));
	cr_assert_str_eq(icalcomponent_get_summary(ev),
			 "[CEJ] Entretien individuel conseiller En présentiel : Mission Locale");
	cr_assert_str_eq(icalcomponent_get_location(ev), "12 rue Duc, Brest");
	cr_assert_eq(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	icalcomponent_free(cal);
}

Test(ics, the_description_names_participants_by_first_name_and_initial_only)
{
	struct event e = interview();
	struct ics_invitation in = invitation(&e, ICS_CREATED, 0);
	icalcomponent *ev, *cal = parse(agenda_ics_build(a, &in), &ev);
	const char *d = icalcomponent_get_description(ev);

	/* libical unescapes what it escaped: the text comes back whole. */
	cr_assert_str_eq(d, "Type : Entretien individuel conseiller\n"
			    "Bénéficiaires : Élodie É., Paul A.\n"
			    "Description : Apporter le CV; et la lettre, signée\n"
			    "Voir l’événement dans l’application du CEJ : "
			    BASE "/agenda/rendez-vous/019a0000-0000-7000-8000-000000000001\n\n"
			    NOT_SYNCED);
	cr_assert_null(strstr(agenda_ics_build(a, &in), "Écrivain"), "no last name");
	icalcomponent_free(cal);
}

Test(ics, the_organizer_is_the_product_and_the_creator_the_only_attendee)
{
	struct event e = interview();
	struct ics_invitation in = invitation(&e, ICS_CREATED, 0);
	icalcomponent *ev, *cal = parse(agenda_ics_build(a, &in), &ev);

	icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	cr_assert_str_eq(icalproperty_get_organizer(org), "mailto:ne-pas-repondre@cej.example.org");
	cr_assert_str_eq(param_cn(org), "Claire Martin");
	cr_assert_eq(icalcomponent_count_properties(ev, ICAL_ATTENDEE_PROPERTY), 1);
	icalproperty *att = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	cr_assert_str_eq(icalproperty_get_attendee(att), "mailto:claire.martin@ml-brest.fr");
	cr_assert_str_eq(param_cn(att), "Claire Martin");
	icalcomponent_free(cal);
}

Test(ics, a_cancel_keeps_the_uid_and_says_cancelled)
{
	struct event e = interview();
	struct ics_invitation req = invitation(&e, ICS_CHANGED, 1), can = invitation(&e, ICS_CANCELLED, 2);
	icalcomponent *ev1, *c1 = parse(agenda_ics_build(a, &req), &ev1);
	icalcomponent *ev2, *c2 = parse(agenda_ics_build(a, &can), &ev2);

	cr_assert_eq(icalcomponent_get_method(c1), ICAL_METHOD_REQUEST);
	cr_assert_eq(icalcomponent_get_sequence(ev1), 1);
	cr_assert_eq(icalcomponent_get_method(c2), ICAL_METHOD_CANCEL);
	cr_assert_eq(icalcomponent_get_status(ev2), ICAL_STATUS_CANCELLED);
	cr_assert_eq(icalcomponent_get_sequence(ev2), 2);
	cr_assert_str_eq(icalcomponent_get_uid(ev1), icalcomponent_get_uid(ev2));
	icalcomponent_free(c1);
	icalcomponent_free(c2);
}

Test(ics, without_an_address_the_location_is_the_modality_and_without_either_none)
{
	struct event e = interview();
	e.address = "";
	e.modality = MODALITY_VISIO;
	e.title = "Point d’étape";
	struct ics_invitation in = invitation(&e, ICS_CREATED, 0);
	icalcomponent *ev, *cal = parse(agenda_ics_build(a, &in), &ev);
	cr_assert_str_eq(icalcomponent_get_location(ev), "Par visio");
	cr_assert_str_eq(icalcomponent_get_summary(ev), "[CEJ] Point d’étape");
	icalcomponent_free(cal);

	e.modality = MODALITY_NONE;
	cal = parse(agenda_ics_build(a, &in), &ev);
	cr_assert_null(icalcomponent_get_first_property(ev, ICAL_LOCATION_PROPERTY));
	icalcomponent_free(cal);
}

Test(ics, the_text_is_crlf_and_folded_at_75_octets)
{
	struct event e = interview();
	e.description = "Une description assez longue pour dépasser soixante-quinze octets sur "
			"une seule ligne de l’invitation, accents compris : éèêàç.";
	struct ics_invitation in = invitation(&e, ICS_CREATED, 0);
	const char *text = agenda_ics_build(a, &in);
	cr_assert(g_str_has_prefix(text, "BEGIN:VCALENDAR\r\n"), "%s", text);
	for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
		cr_assert(p > text && p[-1] == '\r', "bare LF at %td: %s", p - text, text);
	gchar **lines = g_strsplit(text, "\r\n", -1);
	for (gchar **l = lines; *l; l++)
		cr_assert_leq(strlen(*l), 75, "%s", *l);
	g_strfreev(lines);
}

Test(ics, uid_url_subjects_and_content_types)
{
	struct event e = interview();
	cr_assert_str_eq(agenda_ics_uid(a, "x", "http://localhost:8080"), "rdv-x@localhost");
	cr_assert_str_eq(agenda_ics_uid(a, "x", "pas une url"), "rdv-x@localhost");
	cr_assert_str_eq(agenda_ics_url(a, &e, "http://localhost:8080"),
			 "http://localhost:8080/agenda/rendez-vous/019a0000-0000-7000-8000-000000000001");
	e.type = EVENT_ATELIER;
	cr_assert(g_str_has_prefix(agenda_ics_url(a, &e, BASE), BASE "/agenda/animations-collectives/"));
	/* 08:00 UTC is 10h00 in Paris, 12h00 in La Réunion. */
	cr_assert_str_eq(agenda_ics_subject(a, ICS_CREATED, e.starts_at, PARIS),
			 "Nouveau rendez-vous CEJ le 18/09/2025 à 10h00");
	cr_assert_str_eq(agenda_ics_subject(a, ICS_CREATED, e.starts_at, FIXTURE_REUNION),
			 "Nouveau rendez-vous CEJ le 18/09/2025 à 12h00");
	cr_assert_str_eq(agenda_ics_subject(a, ICS_CHANGED, at("2025-09-18T22:30:00Z"), PARIS),
			 "Modification du rendez-vous CEJ du 19/09/2025", "the structure's day");
	cr_assert_str_eq(agenda_ics_subject(a, ICS_CANCELLED, e.starts_at, PARIS),
			 "Annulation du rendez-vous CEJ du 18/09/2025");
	cr_assert_str_eq(agenda_ics_content_type(ICS_CREATED),
			 "text/calendar; method=REQUEST; charset=UTF-8");
	cr_assert_str_eq(agenda_ics_content_type(ICS_CHANGED),
			 "text/calendar; method=REQUEST; charset=UTF-8");
	cr_assert_str_eq(agenda_ics_content_type(ICS_CANCELLED),
			 "text/calendar; method=CANCEL; charset=UTF-8");
}

/* ---- The mails, on a database ---- */

static struct fixture fx;
static struct db *db;
static const char *sid, *cid, *cid2, *cid_mute, *b1, *b2;
static struct user claire, denis, mute;
static struct agenda_mailer mailer;

static struct user
counselor(const char *id, const char *first, const char *last)
{
	return (struct user){.kind = USER_COUNSELOR, .id = id, .first_name = first,
			     .last_name = last, .structure_id = sid, .timezone = PARIS};
}

static void
db_setup(void)
{
	fixture_open(&fx, "ics", FIXTURE_DB | FIXTURE_APP);
	db = fx.db;
	a = fx.a;
	sid = fixture_structure(&fx, "29019S00", "ML Brest", PARIS);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "claire@ml.fr",
		.first_name = "Claire", .last_name = "Martin", .structure_id = sid});
	cid2 = fixture_counselor(&fx, &(struct admin_counselor){.email = "denis@ml.fr",
		.first_name = "Denis", .last_name = "Roux", .structure_id = sid});
	cid_mute = fixture_counselor(&fx, &(struct admin_counselor){.login = "sans-adresse",
		.first_name = "Marc", .last_name = "Sansmail", .structure_id = sid});
	b1 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Élodie", .last_name = "Dupont",
		.email = "elodie.dupont@exemple.fr"});
	b2 = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid_mute, .first_name = "Paul", .last_name = "Arnaud"});
	claire = counselor(cid, "Claire", "Martin");
	denis = counselor(cid2, "Denis", "Roux");
	mute = counselor(cid_mute, "Marc", "Sansmail");
	mailer = (struct agenda_mailer){.base_url = BASE, .from = FROM, .tmpl = fx.app.tmpl};
}

static void
db_teardown(void)
{
	fixture_close(&fx);
}

TestSuite(invite, .init = db_setup, .fini = db_teardown, .timeout = 60);

static struct event
rdv(bool invite)
{
	return (struct event){.type = EVENT_VISITE, .modality = MODALITY_PHONE, .description = "",
			      .address = "", .organism = "", .starts_at = at("2025-09-18T08:00:00Z"),
			      .duration_min = 45, .invitation = invite};
}

/* One mail of the outbox, oldest first, with its calendar parsed. */
struct sent {
	const char *to, *subject, *text, *html, *content_type, *ics;
	int n_files;
};

static int
mails(struct sent *out, int max)
{
	struct mail_row *rows;
	int n = mail_list(db, a, max, &rows);
	cr_assert_geq(n, 0);
	for (int i = 0; i < n; i++) {
		const struct mail_row *r = &rows[n - 1 - i];   /* newest first: reverse */
		struct mail_entry e;
		struct mail_attachment *files;
		cr_assert_eq(mail_store_get(db, a, r->id, &e), 0);
		int k = mail_attachments(db, "file:/nonexistent", a, r->id, &files);
		out[i] = (struct sent){.to = r->recipient, .subject = r->subject, .text = e.body_text,
				       .html = e.body_html, .n_files = k};
		if (k > 0) {
			cr_assert_str_eq(files[0].filename, "invitation.ics");
			out[i].content_type = files[0].content_type;
			out[i].ics = arena_strndup(a, files[0].data, files[0].len);
		}
	}
	return n;
}

static int
sequence_of(const char *event_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT ics_sequence FROM event WHERE id = $1");
	db_bind_text(st, 1, event_id);
	return (int)db_run_int(st);
}

Test(invite, a_creation_with_the_switch_mails_the_creator_sequence_0)
{
	struct event e = rdv(true);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, &mailer), 0);

	struct sent m[4];
	cr_assert_eq(mails(m, 4), 1);
	cr_assert_str_eq(m[0].to, "claire@ml.fr");
	cr_assert_str_eq(m[0].subject, "Nouveau rendez-vous CEJ le 18/09/2025 à 10h00");
	cr_assert_eq(m[0].n_files, 1);
	cr_assert_str_eq(m[0].content_type, "text/calendar; method=REQUEST; charset=UTF-8");
	icalcomponent *ev, *cal = parse(m[0].ics, &ev);
	cr_assert_eq(icalcomponent_get_sequence(ev), 0);
	cr_assert_str_eq(icalcomponent_get_uid(ev), arena_printf(a, "rdv-%s@cej.example.org", e.id));
	cr_assert_str_eq(icalcomponent_get_location(ev), "Par téléphone");
	icalcomponent_free(cal);
	/* A readable mail beside the file. */
	cr_assert(strstr(m[0].text, "Bonjour Claire,"), "%s", m[0].text);
	cr_assert(strstr(m[0].text, "Date : le 18/09/2025 de 10h00 à 10h45"), "%s", m[0].text);
	cr_assert(strstr(m[0].text, "Bénéficiaire : Élodie D.\n"), "%s", m[0].text);
	cr_assert(strstr(m[0].text, arena_printf(a, BASE "/agenda/rendez-vous/%s", e.id)));
	cr_assert(strstr(m[0].html, "invitation.ics"));
	/* The beneficiary's e-mail appears nowhere. */
	cr_assert_null(strstr(m[0].ics, "elodie.dupont@exemple.fr"));
	cr_assert_null(strstr(m[0].text, "elodie.dupont@exemple.fr"));
	cr_assert_null(strstr(m[0].html, "elodie.dupont@exemple.fr"));
	cr_assert_eq(agenda_invite_on(db, e.id), 1);
}

Test(invite, without_the_switch_nothing_is_mailed_ever)
{
	struct event e = rdv(false), got, after = rdv(false);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, &mailer), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	after.invitation = true;   /* asked on an edit: creation only */
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, (const char *[]){b1}, 1,
				 &why, &mailer), 0);
	cr_assert_eq(agenda_delete(db, NOW + 2, &got, &(struct refusal){0}, &mailer), 0);
	struct sent m[2];
	cr_assert_eq(mails(m, 2), 0);
	cr_assert_eq(agenda_invite_on(db, e.id), 0);
}

Test(invite, a_creator_without_an_e_mail_gets_no_invitation_even_forged)
{
	struct event e = rdv(true);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &mute, NOW, &e, (const char *[]){b2}, 1, &why, &mailer), 0);
	struct sent m[2];
	cr_assert_eq(mails(m, 2), 0);
	cr_assert_eq(agenda_invite_on(db, e.id), 0);
}

/* §10 scenario 4: another counselor moves then deletes it; the creator gets 3 mails. */
Test(invite, scenario_4_another_counselor_moves_then_deletes_it)
{
	struct event e = rdv(true), got, after = rdv(false);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, &mailer), 0);
	/* Élodie goes to Denis: he follows a participant and may write. */
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET counselor_id = $1 WHERE id = $2");
	db_bind_text(st, 1, cid2);
	db_bind_text(st, 2, b1);
	cr_assert_eq(db_run(st), 0);
	cr_assert_eq(agenda_open(db, a, &denis, e.id, true, &got, NULL), 0);
	after.starts_at = at("2025-09-19T12:30:00Z");   /* moved to Friday 14:30 */
	cr_assert_eq(agenda_edit(db, a, &denis, NOW + 1000, &got, &after, (const char *[]){b1}, 1,
				 &why, &mailer), 0);
	cr_assert_eq(agenda_open(db, a, &denis, e.id, true, &got, NULL), 0);
	cr_assert_eq(agenda_delete(db, NOW + 2000, &got, &(struct refusal){0}, &mailer), 0);

	struct sent m[4];
	cr_assert_eq(mails(m, 4), 3);
	const char *subjects[] = {"Nouveau rendez-vous CEJ le 18/09/2025 à 10h00",
				  "Modification du rendez-vous CEJ du 19/09/2025",
				  "Annulation du rendez-vous CEJ du 19/09/2025"};
	const icalproperty_method methods[] = {ICAL_METHOD_REQUEST, ICAL_METHOD_REQUEST,
					       ICAL_METHOD_CANCEL};
	const char *uid = arena_printf(a, "rdv-%s@cej.example.org", e.id);
	for (int i = 0; i < 3; i++) {
		cr_assert_str_eq(m[i].to, "claire@ml.fr", "the creator, whoever acts");
		cr_assert_str_eq(m[i].subject, subjects[i]);
		icalcomponent *ev, *cal = parse(m[i].ics, &ev);
		cr_assert_eq(icalcomponent_get_method(cal), methods[i]);
		cr_assert_eq(icalcomponent_get_sequence(ev), i);
		cr_assert_str_eq(icalcomponent_get_uid(ev), uid);
		if (i > 0)
			cr_assert_eq((int64_t)icaltime_as_timet(icalcomponent_get_dtstart(ev)) * 1000,
				     after.starts_at, "the new time");
		icalcomponent_free(cal);
	}
	cr_assert(strstr(m[2].content_type, "method=CANCEL"));
}

Test(invite, a_refused_change_mails_nothing_and_keeps_the_sequence)
{
	struct event e = rdv(true), got, after = rdv(false);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, &mailer), 0);
	cr_assert_eq(agenda_open(db, a, &claire, e.id, true, &got, NULL), 0);
	/* Paul is not in Claire's portfolio: refused, the transaction undone. */
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 1, &got, &after, (const char *[]){b1, b2}, 2,
				 &why, &mailer), -ERR_INVAL);
	cr_assert_eq(sequence_of(e.id), 0);
	struct sent m[3];
	cr_assert_eq(mails(m, 3), 1, "the creation's only");
	cr_assert_eq(agenda_edit(db, a, &claire, NOW + 2, &got, &after, (const char *[]){b1}, 1,
				 &why, &mailer), 0);
	cr_assert_eq(sequence_of(e.id), 1);
	cr_assert_eq(mails(m, 3), 2);
}

Test(invite, without_a_mailer_an_invitation_is_refused_and_nothing_stored)
{
	struct event e = rdv(true);
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, NULL),
		     -ERR_INVAL);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM event");
	cr_assert_eq(db_run_int(st), 0);
	struct sent m[2];
	cr_assert_eq(mails(m, 2), 0);
}

Test(invite, the_text_part_shows_what_was_typed_and_the_html_part_escapes_it)
{
	struct event e = rdv(true);
	e.title = "Point d'étape & <bilan>";
	e.address = "12 rue Duc & fils";
	struct refusal why = {0};
	cr_assert_eq(agenda_create(db, a, &claire, NOW, &e, (const char *[]){b1}, 1, &why, &mailer), 0);
	struct sent m[2];
	cr_assert_eq(mails(m, 2), 1);
	cr_assert(g_str_has_prefix(m[0].text, "Bonjour Claire,\n"), "%s", m[0].text);
	cr_assert(strstr(m[0].text, "« Point d'étape & <bilan> »"), "%s", m[0].text);
	cr_assert(strstr(m[0].text, "Lieu : 12 rue Duc & fils\n"), "%s", m[0].text);
	cr_assert(strstr(m[0].html, "Point d&#39;étape &amp; &lt;bilan&gt;"), "%s", m[0].html);
	cr_assert_null(strstr(m[0].html, "<bilan>"));
	icalcomponent *ev, *cal = parse(m[0].ics, &ev);
	cr_assert_str_eq(icalcomponent_get_summary(ev), "[CEJ] Point d'étape & <bilan>");
	icalcomponent_free(cal);
}
