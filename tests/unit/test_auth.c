/* test_auth.c — account links (activation, reset) and login throttling against a real
 * SQLite database, with time passed in. */
#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "admin/admin_store.h"
#include "auth/login.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "db/db.h"
#include "core/ctx.h"
#include "view/tmpl.h"

#define H (3600 * 1000LL)
#define T0 1767225600000LL  /* 2026-01-01T00:00:00Z */

static struct fixture fx;
static struct db *db;
static struct ctx c;
static struct arena *a;
static const char *bid;

static void
setup(void)
{
	fixture_open(&fx, "auth", FIXTURE_DB | FIXTURE_APP);
	fx.seed_at = T0;
	db = fx.db;
	a = fx.a;
	c = (struct ctx){.cfg = fx.cfg, .tmpl = fx.app.tmpl};
	const char *sid = fixture_structure(&fx, "29019S00", "ML Brest", FIXTURE_PARIS);
	const char *cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "C", .last_name = "X", .structure_id = sid});
	bid = fixture_beneficiary(&fx, (struct admin_beneficiary){
		.id = "0190b6a0-0000-7000-8000-000000000001", .structure_id = sid,
		.counselor_id = cid, .first_name = "Léa", .last_name = "Martin",
		.folded = "martin lea", .email = "lea@exemple.fr", .dossier_id = "100001"});
}

static void
teardown(void)
{
	fixture_close(&fx);
}

/* The token of the newest mail in the outbox. */
static const char *
last_token(void)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT body_text FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT 1");
	cr_assert_eq(db_step(st), DB_ROW);
	const char *body = db_col_text(st, 0);
	const char *p = strstr(body, "/app/activation/");
	cr_assert_not_null(p);
	p += strlen("/app/activation/");
	const char *tok = arena_strndup(a, p, strcspn(p, "\r\n "));
	db_finish(st);
	return tok;
}

static int
send(const char *kind, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	struct link_mailer m = login_mailer(&c);
	int rc = login_send_link(&m, db, a, bid, kind, now);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

TestSuite(links, .init = setup, .fini = teardown);

Test(links, activation_mail_is_written_with_a_link_valid_twelve_hours)
{
	cr_assert_eq(send("activation", T0), 0);
	const char *tok = last_token(), *id, *email;
	struct db_stmt *st = db_prepare(db, "SELECT recipient, subject FROM mail_outbox");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "lea@exemple.fr");
	cr_assert_str_eq(db_col_text(st, 1), "Active ton compte de l’application du CEJ");
	db_finish(st);
	cr_assert_eq(login_link_check(db, a, tok, T0 + 12 * H - 1, &id, &email), 0);
	cr_assert_str_eq(id, bid);
	cr_assert_eq(login_link_check(db, a, tok, T0 + 12 * H, &id, &email), -ERR_NOTFOUND);
}

Test(links, a_link_works_once)
{
	cr_assert_eq(send("activation", T0), 0);
	const char *tok = last_token(), *id, *email;
	cr_assert_eq(login_link_set_password(db, tok, "$argon2id$fake", T0 + H), 0);
	cr_assert_eq(login_link_check(db, a, tok, T0 + H, &id, &email), -ERR_NOTFOUND);
	cr_assert_eq(login_link_set_password(db, tok, "$argon2id$other", T0 + H), -ERR_NOTFOUND);
}

Test(links, a_new_link_invalidates_the_earlier_ones)
{
	cr_assert_eq(send("activation", T0), 0);
	const char *first = last_token(), *id, *email;
	cr_assert_eq(send("reset", T0 + H), 0);
	const char *second = last_token();
	cr_assert_eq(login_link_check(db, a, first, T0 + H, &id, &email), -ERR_NOTFOUND);
	cr_assert_eq(login_link_check(db, a, second, T0 + H, &id, &email), 0);
}

Test(links, at_most_three_reset_mails_an_hour)
{
	for (int i = 0; i < 3; i++)
		cr_assert_eq(send("reset", T0 + i), 0);
	cr_assert_eq(send("reset", T0 + 10), -ERR_RATE);
	cr_assert_eq(send("reset", T0 + H + 10), 0);
}

Test(links, malformed_tokens_are_unknown)
{
	const char *id, *email;
	cr_assert_eq(login_link_check(db, a, "court", T0, &id, &email), -ERR_NOTFOUND);
	cr_assert_eq(login_link_check(db, a, NULL, T0, &id, &email), -ERR_NOTFOUND);
}

TestSuite(login, .init = setup, .fini = teardown);

Test(login, first_success_activates_and_failures_lock_after_five)
{
	enum login_outcome o;
	const char *id = NULL;
	cr_assert_eq(send("activation", T0), 0);
	char hash[PASSWORD_HASH_MAX];
	cr_assert_eq(password_hash("Secret123", hash), 0);
	cr_assert_eq(login_link_set_password(db, last_token(), hash, T0), 0);

	cr_assert_eq(login_check(db, a, USER_BENEFICIARY, "inconnu@x.fr", "Secret123", "1.2.3.4",
				 T0, &o, &id), 0);
	cr_assert_eq(o, LOGIN_BAD);
	cr_assert_eq(login_check(db, a, USER_BENEFICIARY, "lea@exemple.fr", "Secret123", "1.2.3.4",
				 T0, &o, &id), 0);
	cr_assert_eq(o, LOGIN_OK);
	cr_assert_str_eq(id, bid);
	struct db_stmt *st = db_prepare(db, "SELECT activated_at FROM beneficiary");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), T0);
	db_finish(st);

	for (int i = 0; i < LOGIN_MAX_PER_ACCOUNT; i++) {
		cr_assert_eq(login_check(db, a, USER_BENEFICIARY, "lea@exemple.fr", "Faux1234",
					 "1.2.3.4", T0 + i, &o, &id), 0);
		cr_assert_eq(o, LOGIN_BAD);
	}
	cr_assert_eq(login_check(db, a, USER_BENEFICIARY, "lea@exemple.fr", "Secret123", "1.2.3.4",
				 T0 + 10, &o, &id), 0);
	cr_assert_eq(o, LOGIN_LOCKED);
	cr_assert_eq(login_check(db, a, USER_BENEFICIARY, "lea@exemple.fr", "Secret123", "1.2.3.4",
				 T0 + LOGIN_WINDOW_MS + 10, &o, &id), 0);
	cr_assert_eq(o, LOGIN_OK);
}

Test(login, the_lock_lasts_fifteen_minutes_from_the_fifth_failure)
{
	enum login_outcome o;
	const char *id = NULL;
	int64_t min = 60 * 1000LL;
	/* One failure, then four more 14 minutes later: the burst is within the window. */
	int64_t at[] = {T0, T0 + 14 * min, T0 + 14 * min + 1, T0 + 14 * min + 2, T0 + 14 * min + 3};
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(login_check(db, a, USER_COUNSELOR, "c@x.fr", "Faux1234", "5.6.7.8",
					 at[i], &o, &id), 0);
	/* 15 min 1 s after the first failure, 1 min after the fifth: still locked. */
	cr_assert_eq(login_check(db, a, USER_COUNSELOR, "c@x.fr", "Faux1234", "5.6.7.8",
				 T0 + 15 * min + 1000, &o, &id), 0);
	cr_assert_eq(o, LOGIN_LOCKED);
	cr_assert_eq(login_check(db, a, USER_COUNSELOR, "c@x.fr", "Faux1234", "5.6.7.8",
				 T0 + 29 * min, &o, &id), 0);
	cr_assert_eq(o, LOGIN_LOCKED);
	cr_assert_eq(login_check(db, a, USER_COUNSELOR, "c@x.fr", "Faux1234", "5.6.7.8",
				 T0 + 29 * min + 4, &o, &id), 0);
	cr_assert_eq(o, LOGIN_BAD);
}
