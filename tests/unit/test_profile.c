/* test_profile.c — the counselor's "Mon profil" (admin-and-misc.md §4) and the young
 * person's settings (youth-app.md §10–§11): the pure rules
 * first, then the settings on a migrated temporary database, read back the way every page
 * reads them (the session's user). */
#include "admin/admin_store.h"
#include "auth/session_store.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "offers/offers_favorites.h"
#include "profile/profile.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>

/* ======================================================================================
 * Rules, pure
 * ==================================================================================== */

Test(rules, the_email_is_missing_when_null_or_empty)
{
	cr_assert(profile_email_missing(NULL));
	cr_assert(profile_email_missing(""));
	cr_assert_not(profile_email_missing("camille.martin@cej-demo.fr"));
}

Test(rules, roles_are_counselor_then_supervisor)
{
	const char *r[2] = {NULL, NULL};
	cr_assert_eq(profile_roles(false, r), 1);
	cr_assert_str_eq(r[0], "Conseiller");
	cr_assert_eq(profile_roles(true, r), 2);
	cr_assert_str_eq(r[0], "Conseiller");
	cr_assert_str_eq(r[1], "Superviseur");
}

Test(rules, the_sound_switch_is_on_with_1_off_when_absent_refused_otherwise)
{
	bool on = false;
	cr_assert_eq(profile_sound_parse("1", &on), 0);
	cr_assert(on);
	cr_assert_eq(profile_sound_parse(NULL, &on), 0);
	cr_assert_not(on);
	on = true;
	const char *bad[] = {"", "0", "on", "true", "11", " 1"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		cr_assert_eq(profile_sound_parse(bad[i], &on), -ERR_INVAL, "%s", bad[i]);
		cr_assert(on, "a refused value changes nothing: %s", bad[i]);
	}
}

Test(rules, the_email_warning_is_the_specs_text)
{
	cr_assert_str_eq(PROFILE_EMAIL_MISSING,
		"Votre adresse e-mail n’est pas renseignée. Renseignez-la dans l’encart « Contacts "
		"personnels » de votre profil i-milo, puis reconnectez-vous.");
}

/* ======================================================================================
 * Settings, on a database
 * ==================================================================================== */

static struct fixture fx;
static struct db *db;
static struct arena *a;
static const char *cid, *xid, *bid, *oid;

static void
setup(void)
{
	fixture_open(&fx, "profile", FIXTURE_DB);
	fx.seed_at = 1;
	db = fx.db;
	a = fx.a;
	const char *sid = fixture_structure(&fx, "29019S00", "Mission Locale du Pays de Brest",
					    FIXTURE_PARIS);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "yann.le-goff@cej-demo.fr",
		.first_name = "Yann", .last_name = "Le Goff", .login = "yann.le-goff",
		.structure_id = sid, .supervisor = true});
	xid = fixture_counselor(&fx, &(struct admin_counselor){.first_name = "Léa",
		.last_name = "Dubois", .structure_id = sid});
	bid = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Kévin", .last_name = "Le Bihan"});
	oid = fixture_beneficiary(&fx, (struct admin_beneficiary){.structure_id = sid,
		.counselor_id = cid, .first_name = "Manon", .last_name = "Kerbrat"});
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);

/* The counselor as a page sees them: through a session. */
static struct user
session_user(const char *id)
{
	struct user u = {0};
	int64_t created, seen;
	const char *hash = arena_printf(a, "hash-%s", id);
	cr_assert_eq(session_store_insert(db, hash, USER_COUNSELOR, id, "csrf", 10), 0);
	cr_assert_eq(session_store_find(db, a, hash, &u, &created, &seen), 0);
	cr_assert_eq(session_store_delete(db, hash), 0);
	return u;
}

Test(store, the_profile_is_what_the_counselor_row_holds)
{
	struct counselor_profile p;
	cr_assert_eq(profile_load(db, a, cid, &p), 0);
	cr_assert_str_eq(p.first_name, "Yann");
	cr_assert_str_eq(p.last_name, "Le Goff");
	cr_assert_str_eq(p.email, "yann.le-goff@cej-demo.fr");
	cr_assert_str_eq(p.imilo_login, "yann.le-goff");
	cr_assert_str_eq(p.structure_name, "Mission Locale du Pays de Brest");
	cr_assert(p.supervisor);
	cr_assert_not(p.sound_notifications, "off by default");

	cr_assert_eq(profile_load(db, a, xid, &p), 0);
	cr_assert_null(p.email);
	cr_assert_null(p.imilo_login);
	cr_assert_not(p.supervisor);
	cr_assert_eq(profile_load(db, a, "inconnu", &p), -ERR_NOTFOUND);
}

Test(store, the_sound_switch_is_saved_per_counselor)
{
	cr_assert_not(session_user(cid).sound_notifications);
	cr_assert_eq(profile_set_sound(db, cid, true), 0);
	struct counselor_profile p;
	cr_assert_eq(profile_load(db, a, cid, &p), 0);
	cr_assert(p.sound_notifications);
	cr_assert(session_user(cid).sound_notifications);
	cr_assert_not(session_user(xid).sound_notifications, "the other counselor's is untouched");
	cr_assert_eq(profile_set_sound(db, cid, false), 0);
	cr_assert_not(session_user(cid).sound_notifications);
}

Test(store, the_mobile_welcome_is_dismissed_once_and_for_good)
{
	cr_assert_not(session_user(cid).mobile_welcome_seen);
	cr_assert_eq(profile_mobile_welcome_done(db, cid, 1000), 0);
	cr_assert(session_user(cid).mobile_welcome_seen);
	cr_assert_not(session_user(xid).mobile_welcome_seen);
	/* A second dismissal (another tab) keeps the first date. */
	cr_assert_eq(profile_mobile_welcome_done(db, cid, 2000), 0);
	struct db_stmt *st = db_prepare(db, "SELECT mobile_welcome_seen_at FROM counselor WHERE id = $1");
	cr_assert_not_null(st);
	db_bind_text(st, 1, cid);
	cr_assert_eq(db_run_int(st), 1000);
}

/* The young person's settings: all on by default (youth-app.md §10). */
static void
assert_all(const struct app_prefs *p, bool on)
{
	cr_assert_eq(p->messages, on);
	cr_assert_eq(p->alertes_offres, on);
	cr_assert_eq(p->creation_action_conseiller, on);
	cr_assert_eq(p->rendez_vous_sessions, on);
	cr_assert_eq(p->rappel_actions, on);
}

Test(store, the_app_settings_are_all_on_by_default)
{
	struct app_prefs p;
	cr_assert_eq(profile_app_prefs_load(db, bid, &p), 0);
	assert_all(&p, true);
	cr_assert(p.share_favorites);
	cr_assert_eq(profile_app_prefs_load(db, "inconnu", &p), -ERR_NOTFOUND);
}

Test(store, sharing_the_followed_offers_is_saved_and_read_by_the_favorites_tab)
{
	struct app_prefs p;
	bool shared = true;
	cr_assert_eq(profile_app_set_share(db, bid, false), 0);
	cr_assert_eq(profile_app_prefs_load(db, bid, &p), 0);
	cr_assert_not(p.share_favorites);
	assert_all(&p, true);  /* the notifications are untouched */
	cr_assert_eq(offers_favorites_store_owner(db, a, bid, &shared, NULL), 0);
	cr_assert_not(shared, "the counselor's Favoris tab reads the same column");
	cr_assert_eq(offers_favorites_store_owner(db, a, oid, &shared, NULL), 0);
	cr_assert(shared, "the other beneficiary's is untouched");

	cr_assert_eq(profile_app_set_share(db, bid, true), 0);
	cr_assert_eq(offers_favorites_store_owner(db, a, bid, &shared, NULL), 0);
	cr_assert(shared);
	cr_assert_eq(profile_app_set_share(db, "inconnu", false), -ERR_NOTFOUND);
}

Test(store, the_five_notification_switches_are_saved_each_on_its_own)
{
	struct app_prefs p, in = {.alertes_offres = true, .rendez_vous_sessions = true,
				  .share_favorites = false};
	cr_assert_eq(profile_app_set_notifications(db, bid, &in), 0);
	cr_assert_eq(profile_app_prefs_load(db, bid, &p), 0);
	cr_assert_not(p.messages);
	cr_assert(p.alertes_offres);
	cr_assert_not(p.creation_action_conseiller);
	cr_assert(p.rendez_vous_sessions);
	cr_assert_not(p.rappel_actions);
	cr_assert(p.share_favorites, "the share switch is its own form");

	in = (struct app_prefs){.messages = true, .creation_action_conseiller = true,
				.rappel_actions = true};
	cr_assert_eq(profile_app_set_notifications(db, bid, &in), 0);
	cr_assert_eq(profile_app_prefs_load(db, bid, &p), 0);
	cr_assert(p.messages);
	cr_assert_not(p.alertes_offres);
	cr_assert(p.creation_action_conseiller);
	cr_assert_not(p.rendez_vous_sessions);
	cr_assert(p.rappel_actions);

	in = (struct app_prefs){0};
	cr_assert_eq(profile_app_set_notifications(db, bid, &in), 0);
	cr_assert_eq(profile_app_prefs_load(db, bid, &p), 0);
	assert_all(&p, false);
	cr_assert_eq(profile_app_prefs_load(db, oid, &p), 0);
	assert_all(&p, true);  /* the other beneficiary's are untouched */
	cr_assert_eq(profile_app_set_notifications(db, "inconnu", &in), -ERR_NOTFOUND);
}
