/* test_bench_data.c — `cej bench-data --national` (admin/bench_data_national.h) at a tiny
 * scale: the shape of the nation (zones, sizes in proportion to the scale, portfolios that
 * hold every beneficiary, the summaries the pages read equal to what they summarize),
 * messages sealed and readable with the keyring, the bench account, and the same data
 * twice for one seed. */
#include "admin/bench_data_national.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/embed.h"
#include "db/db.h"
#include "fixture.h"
#include "messaging/crypto.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static struct fixture fx;
static char hash[PASSWORD_HASH_MAX];
/* 2026-03-02 10:00 UTC: every run of a test ends its year of activity there. */
#define NOW 1772445600000LL

static void
setup(void)
{
	fixture_open(&fx, "bench_data", FIXTURE_DB | FIXTURE_KEYS);
	cr_assert_eq(password_hash("Bench-Passw0rd", hash), 0);
}

static void teardown(void) { fixture_close(&fx); }

TestSuite(bench_data, .init = setup, .fini = teardown, .timeout = 120);

static void
generate(struct db *db, double scale, uint32_t seed, struct bench_national_report *r)
{
	struct bench_national_opts o = {.scale = scale, .seed = seed, .now = NOW,
					.password_hash = hash};
	cr_assert_eq(bench_national_generate(db, fx.keys, &o, fx.a, r), 0);
}

static int64_t
count(const char *sql)
{
	return fixture_count(&fx, sql, NULL);
}

/* @got, less what the generator always adds (@fixed: the bench account's long fiche or
 * conversation), within 35 % of @per_nation × @scale. */
static void
assert_scaled(const char *what, int64_t got, int64_t fixed, double per_nation, double scale)
{
	double want = per_nation * scale, off = (double)(got - fixed) - want;
	cr_assert(off < 0.35 * want && -off < 0.35 * want,
		  "%s : %lld (dont %lld fixes), attendu ≈ %.0f", what, (long long)got,
		  (long long)fixed, want);
}

Test(bench_data, a_nation_in_proportion_to_the_scale_across_time_zones)
{
	struct bench_national_report r;
	const double scale = 0.004;
	generate(fx.db, scale, 7, &r);
	/* What the report says is what is stored. */
	cr_assert_eq(count("SELECT count(*) FROM structure"), r.structures);
	cr_assert_eq(count("SELECT count(*) FROM counselor"), r.counselors);
	cr_assert_eq(count("SELECT count(*) FROM beneficiary"), r.beneficiaries);
	cr_assert_eq(count("SELECT count(*) FROM action"), r.actions);
	cr_assert_eq(count("SELECT count(*) FROM message"), r.messages);
	cr_assert_eq(count("SELECT count(*) FROM conversation"), r.conversations);
	cr_assert_eq(count("SELECT count(*) FROM event"), r.events);
	cr_assert_eq(count("SELECT count(*) FROM event_participant"), r.participants);
	/* At least three Missions Locales, in Paris, La Réunion and Martinique time. */
	cr_assert_eq(r.structures, 3);
	cr_assert_eq(count("SELECT count(DISTINCT timezone) FROM structure"), 3);
	cr_assert_eq(count("SELECT count(*) FROM structure WHERE timezone IN "
			   "('Europe/Paris', 'Indian/Reunion', 'America/Martinique')"), 3);
	cr_assert_eq(r.zones, 3);
	/* Sizes of uneven Missions Locales. */
	cr_assert_eq(r.counselors, 40);
	cr_assert(count("SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM counselor "
			"GROUP BY structure_id) x") > 5, "des Missions Locales de tailles inégales");
	assert_scaled("bénéficiaires", r.beneficiaries, 0, 150000, scale);
	assert_scaled("actions", r.actions, 500, 3000000, scale);
	assert_scaled("messages", r.messages, 5000, 10000000, scale);
	assert_scaled("événements", r.events, 0, 1500000, scale);
	/* Uneven portfolios of mean 15, conseiller-001's the median. */
	cr_assert(r.median_portfolio >= 9 && r.median_portfolio <= 17, "médiane %d",
		  r.median_portfolio);
	cr_assert(r.max_portfolio > 30, "maximum %d", r.max_portfolio);
	cr_assert_str_eq(r.email, "conseiller-001@cej-bench.fr");
	cr_assert_eq(count("SELECT portfolio_size FROM counselor "
			   "WHERE email = 'conseiller-001@cej-bench.fr'"), BENCH_NATIONAL_PORTFOLIO);
	cr_assert(abs(r.median_portfolio - BENCH_NATIONAL_PORTFOLIO) <= 3, "médiane %d",
		  r.median_portfolio);
	/* The pages bench/national.sh measures belong to conseiller-001. */
	cr_assert_eq(r.fiche_actions, 500);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM action a JOIN beneficiary b ON "
				   "b.id = a.beneficiary_id JOIN counselor c ON c.id = b.counselor_id "
				   "WHERE b.id = $1 AND c.email = 'conseiller-001@cej-bench.fr'",
				   r.fiche_id), 500);
	cr_assert_eq(r.conversation_messages, 5000);
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM message m JOIN conversation c ON "
				   "c.id = m.conversation_id WHERE c.beneficiary_id = $1",
				   r.conversation_id), 5000);
	cr_assert_not_null(r.search);
	cr_assert(fixture_count(&fx, "SELECT count(*) FROM beneficiary_gram "
				"WHERE search_folded LIKE '%' || $1 || '%'",
				r.search) > 0, "la recherche « %s » trouve quelqu'un", r.search);
}

Test(bench_data, every_beneficiary_in_a_portfolio_and_every_summary_right)
{
	struct bench_national_report r;
	generate(fx.db, 0.002, 3, &r);
	/* Each beneficiary's counselor exists, in the same Mission Locale. */
	cr_assert_eq(count("SELECT count(*) FROM beneficiary b LEFT JOIN counselor c ON "
			   "c.id = b.counselor_id AND c.structure_id = b.structure_id WHERE c.id IS NULL"), 0);
	cr_assert_eq(count("SELECT sum(portfolio_size) FROM counselor"), r.beneficiaries);
	cr_assert_eq(count("SELECT count(*) FROM counselor c WHERE portfolio_size <> "
			   "(SELECT count(*) FROM beneficiary b WHERE b.counselor_id = c.id)"), 0);
	/* The counters the portfolio, the fiche and Pilotage read. */
	cr_assert_eq(count("SELECT count(*) FROM beneficiary b WHERE action_count <> "
			   "(SELECT count(*) FROM action a WHERE a.beneficiary_id = b.id) OR open_actions <> "
			   "(SELECT count(*) FROM action a WHERE a.beneficiary_id = b.id "
			   " AND a.status IN ('not_started', 'in_progress')) OR to_qualify <> "
			   "(SELECT count(*) FROM action a WHERE a.beneficiary_id = b.id "
			   " AND a.status = 'done' AND a.q_code IS NULL)"), 0);
	cr_assert_eq(count("SELECT count(*) FROM action a JOIN beneficiary b ON b.id = a.beneficiary_id "
			   "WHERE a.counselor_id IS DISTINCT FROM b.counselor_id"), 0);
	/* The search grams of every name. */
	cr_assert_eq(count("SELECT count(*) FROM beneficiary b WHERE NOT EXISTS "
			   "(SELECT 1 FROM beneficiary_gram g WHERE g.beneficiary_id = b.id)"), 0);
	/* The real statuses and qualification states, each present. */
	cr_assert_eq(count("SELECT count(DISTINCT status) FROM action"), 4);
	cr_assert(count("SELECT count(*) FROM action WHERE q_code = 'NON_SNP'") > 0);
	cr_assert(count("SELECT count(*) FROM action WHERE q_code <> 'NON_SNP' AND q_hours > 0 "
			"AND started_on = q_start") > 0);
	cr_assert(count("SELECT sum(to_qualify) FROM beneficiary") > 0,
		  "Pilotage a des actions à qualifier");
	/* Each conversation's last message is its newest, the unread marks agree. */
	cr_assert_eq(count("SELECT count(*) FROM conversation c WHERE last_message_at <> "
			   "(SELECT max(created_at) FROM message m WHERE m.conversation_id = c.id) "
			   "OR last_message_id NOT IN (SELECT id FROM message m WHERE m.conversation_id = c.id)"), 0);
	cr_assert_eq(count("SELECT count(*) FROM beneficiary b "
			   "JOIN conversation c ON c.beneficiary_id = b.id "
			   "WHERE b.msg_unread <> CASE WHEN b.msg_last_incoming_at > c.counselor_last_read_at "
			   "THEN 1 ELSE 0 END"), 0);
	cr_assert(count("SELECT count(*) FROM beneficiary WHERE msg_unread = 1") > 0);
	/* A year of agenda: rendez-vous and AC, past ones closed, with participants. */
	cr_assert(count("SELECT count(*) FROM event WHERE kind = 'ac' AND closed_at IS NOT NULL") > 0);
	cr_assert(count("SELECT count(*) FROM event WHERE kind = 'rdv'") > 0);
	cr_assert_eq(count("SELECT count(*) FROM event e WHERE participant_count <> "
			   "(SELECT count(*) FROM event_participant p WHERE p.event_id = e.id) "
			   "OR participant_count = 0"), 0);
	cr_assert(count("SELECT (max(starts_at) - min(starts_at)) / 86400000 FROM event") > 350);
	/* Activity over the whole year. */
	cr_assert(count("SELECT (max(created_at) - min(created_at)) / 86400000 FROM beneficiary") > 300);
	/* The bench accounts log in with the bench password. */
	struct db_stmt *st = db_prepare(fx.db, "SELECT password_hash FROM counselor "
					       "WHERE email = 'conseiller-002@cej-bench.fr'");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert(password_verify(db_col_text(st, 0), "Bench-Passw0rd"));
	db_finish(st);
}

Test(bench_data, messages_are_sealed_and_open_with_the_keyring)
{
	struct bench_national_report r;
	generate(fx.db, 0.001, 5, &r);
	struct db_stmt *st = db_prepare(fx.db, "SELECT content, key_id FROM message");
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		size_t len;
		unsigned char *blob = db_col_blob_dup(st, fx.a, 0, &len);
		char *plain = NULL;
		cr_assert_eq(crypto_open(fx.keys, fx.a, db_col_text(st, 1), blob, len, &plain, NULL), 0);
		cr_assert(strlen(plain) > 0);
		/* Never in clear: the text is not in the stored bytes. */
		cr_assert_null(memmem(blob, len, plain, strlen(plain)));
		n++;
	}
	db_finish(st);
	cr_assert_eq(rc, DB_DONE);
	cr_assert_eq(n, r.messages);
	/* The previews of the conversations' tiles too. */
	st = db_prepare(fx.db, "SELECT last_message_preview, last_message_key_id FROM conversation");
	int previews = 0;
	while (db_step(st) == DB_ROW) {
		size_t len;
		unsigned char *blob = db_col_blob_dup(st, fx.a, 0, &len);
		char *plain = NULL;
		cr_assert_eq(crypto_open(fx.keys, fx.a, db_col_text(st, 1), blob, len, &plain, NULL), 0);
		previews++;
	}
	db_finish(st);
	cr_assert_eq(previews, r.conversations);
}

/* The first rows of each table, as text: what two runs of one seed must share. */
static char *
first_rows(struct db *db)
{
	static const char *const sql[] = {
		"SELECT id || code || name || timezone FROM structure ORDER BY id LIMIT 3",
		"SELECT id || email || first_name || last_name FROM counselor ORDER BY id LIMIT 5",
		"SELECT id || first_name || last_name || created_at FROM beneficiary ORDER BY id LIMIT 5",
		"SELECT id || status || due_at FROM action ORDER BY id LIMIT 5",
		"SELECT id || created_at FROM message ORDER BY id LIMIT 5",
		"SELECT id || starts_at FROM event ORDER BY id LIMIT 5",
	};
	GString *out = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(sql); i++) {
		struct db_stmt *st = db_prepare(db, sql[i]);
		while (db_step(st) == DB_ROW)
			g_string_append_printf(out, "%s\n", db_col_text(st, 0));
		db_finish(st);
	}
	return g_string_free(out, FALSE);
}

Test(bench_data, one_seed_gives_the_same_nation_twice)
{
	struct bench_national_report r1, r2, r3;
	generate(fx.db, 0.001, 11, &r1);
	struct db *other = db_open(fixture_path(&fx, "autre.db"));
	cr_assert_not_null(other);
	cr_assert_eq(db_migrate(other, embed_migrations, embed_migrations_count), 0);
	generate(other, 0.001, 11, &r2);
	cr_assert_eq(r1.beneficiaries, r2.beneficiaries);
	cr_assert_eq(r1.actions, r2.actions);
	cr_assert_eq(r1.messages, r2.messages);
	cr_assert_eq(r1.events, r2.events);
	cr_assert_eq(r1.participants, r2.participants);
	cr_assert_str_eq(r1.fiche_id, r2.fiche_id);
	cr_assert_str_eq(r1.conversation_id, r2.conversation_id);
	char *a = first_rows(fx.db), *b = first_rows(other);
	cr_assert(strlen(a) > 500);
	cr_assert_str_eq(a, b);
	/* Another seed, another nation. */
	struct db *third = db_open(fixture_path(&fx, "troisieme.db"));
	cr_assert_eq(db_migrate(third, embed_migrations, embed_migrations_count), 0);
	generate(third, 0.001, 12, &r3);
	char *c = first_rows(third);
	cr_assert_str_neq(a, c);
	g_free(a);
	g_free(b);
	g_free(c);
	db_close(other);
	db_close(third);
}

Test(bench_data, refuses_a_nonpositive_scale)
{
	struct bench_national_report r;
	struct bench_national_opts o = {.scale = 0, .seed = 1, .now = NOW, .password_hash = hash};
	cr_assert_neq(bench_national_generate(fx.db, fx.keys, &o, fx.a, &r), 0);
	cr_assert_eq(count("SELECT count(*) FROM structure"), 0);
}
