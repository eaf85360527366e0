/* test_db.c — db.h on SQLite: placeholder rewriting, migrations, transactions, the
 * unique-constraint error, per-thread connections. */
#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "base/embed.h"
#include "base/err.h"
#include "db/db.h"

Test(db, rewrites_dollar_placeholders_to_sqlite_numbered_ones)
{
	char *s = db_rewrite_placeholders("SELECT a FROM t WHERE b = $1 AND c = $12");
	cr_assert_str_eq(s, "SELECT a FROM t WHERE b = ?1 AND c = ?12");
	g_free(s);
}

Test(db, leaves_placeholders_inside_strings_identifiers_and_comments)
{
	char *s = db_rewrite_placeholders(
		"SELECT '$1', 'it''s $2', \"$3\" -- $4\nFROM t /* $5 */ WHERE x = $6");
	cr_assert_str_eq(s, "SELECT '$1', 'it''s $2', \"$3\" -- $4\nFROM t /* $5 */ WHERE x = ?6");
	g_free(s);
}

Test(db, leaves_a_lone_dollar_alone)
{
	char *s = db_rewrite_placeholders("SELECT '$' || $a, $");
	cr_assert_str_eq(s, "SELECT '$' || $a, $");
	g_free(s);
}

/* A migrated database in a fresh temporary directory (fixture.h), for one test. */
static struct fixture fx;

static struct db *
fresh_db(void)
{
	fixture_open(&fx, "db", FIXTURE_DB);
	return fx.db;
}

/* After every test of the suite, failed ones too (a no-op when fresh_db() was not called). */
static void
drop(void)
{
	fixture_close(&fx);
}

TestSuite(db, .fini = drop);

Test(db, migrations_apply_once_and_are_recorded)
{
	struct db *db = fresh_db();
	cr_assert_eq(db_migrate(db, embed_migrations, embed_migrations_count), 0);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM schema_migration");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), (int64_t)embed_migrations_count);
	db_finish(st);
}

Test(db, rollback_discards_and_commit_keeps)
{
	struct db *db = fresh_db();
	const char *ins = "INSERT INTO structure(id, code, name, created_at) VALUES ($1, $2, 'ML', 0)";

	cr_assert_eq(db_tx_begin(db), 0);
	struct db_stmt *st = db_prepare(db, ins);
	db_bind_text(st, 1, "a");
	db_bind_text(st, 2, "A");
	cr_assert_eq(db_step(st), DB_DONE);
	db_finish(st);
	db_tx_rollback(db);

	cr_assert_eq(db_tx_begin(db), 0);
	st = db_prepare(db, ins);
	db_bind_text(st, 1, "b");
	db_bind_text(st, 2, "B");
	cr_assert_eq(db_step(st), DB_DONE);
	db_finish(st);
	cr_assert_eq(db_tx_commit(db), 0);

	st = db_prepare(db, "SELECT group_concat(code) FROM structure");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "B");
	db_finish(st);
}

Test(db, a_unique_violation_is_a_conflict)
{
	struct db *db = fresh_db();
	const char *ins = "INSERT INTO structure(id, code, name, created_at) VALUES ($1, 'X', 'ML', 0)";
	struct db_stmt *st = db_prepare(db, ins);
	db_bind_text(st, 1, "1");
	cr_assert_eq(db_step(st), DB_DONE);
	db_finish(st);
	st = db_prepare(db, ins);
	db_bind_text(st, 1, "2");
	cr_assert_eq(db_step(st), -ERR_CONFLICT);
	db_finish(st);
}

Test(db, statements_are_cached_per_connection)
{
	struct db *db = fresh_db();
	struct db_stmt *a = db_prepare(db, "SELECT 1");
	struct db_stmt *b = db_prepare(db, "SELECT 1");
	cr_assert_eq(a, b);
}

Test(db, pragmas_give_wal_full_sync_and_foreign_keys)
{
	struct db *db = fresh_db();
	struct db_stmt *st = db_prepare(db, "PRAGMA journal_mode");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "wal");
	db_finish(st);
	st = db_prepare(db, "PRAGMA synchronous");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), 2);  /* FULL */
	db_finish(st);
	st = db_prepare(db, "PRAGMA foreign_keys");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), 1);
	db_finish(st);
}

/* A statement left on a row pins its connection's snapshot (WAL): another connection's
 * write stays invisible until db_release() resets it. */
Test(db, release_resets_a_statement_left_stepping)
{
	struct db *db = fresh_db();
	cr_assert_eq(db_exec(db, "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2)"), 0);
	struct db *other = db_open(fx.db_path);

	struct db_stmt *left = db_prepare(db, "SELECT v FROM t ORDER BY v");
	cr_assert_eq(db_step(left), DB_ROW);          /* never finished: a forgotten db_finish */
	cr_assert_eq(db_exec(other, "UPDATE t SET v = v + 10"), 0);
	struct db_stmt *read = db_prepare(db, "SELECT sum(v) FROM t");
	cr_assert_eq(db_step(read), DB_ROW);
	cr_assert_eq(db_col_int64(read, 0), 3, "the old snapshot, while the statement runs");
	db_finish(read);

	cr_assert_eq(db_release(db), 1);
	cr_assert_eq(db_step(read), DB_ROW);
	cr_assert_eq(db_col_int64(read, 0), 23);
	db_finish(read);
	cr_assert_eq(db_release(db), 0);

	cr_assert_eq(db_tx_begin(db), 0);              /* a transaction left open: rolled back */
	cr_assert_eq(db_release(db), 1);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	db_close(other);
}

/* db_tx_on_commit: what a change announces happens only once the change is stored. */
static void
note(void *ud)
{
	GString *log = ud;
	g_string_append_c(log, log->len ? ',' : '[');
	g_string_append(log, "ok");
}

static void
note_a(void *ud)
{
	g_string_append((GString *)ud, "a");
}

static void
note_b(void *ud)
{
	g_string_append((GString *)ud, "b");
}

Test(db, commit_hooks_run_after_commit_in_order_and_rollback_drops_them)
{
	struct db *db = fresh_db();
	GString *log = g_string_new(NULL);

	cr_assert_eq(db_tx_begin(db), 0);
	db_tx_on_commit(db, note_a, log);
	db_tx_on_commit(db, note_b, log);
	cr_assert_str_eq(log->str, "", "nothing runs before the commit");
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_str_eq(log->str, "ab");

	g_string_truncate(log, 0);
	cr_assert_eq(db_tx_begin(db), 0);
	db_tx_on_commit(db, note_a, log);
	db_tx_rollback(db);
	cr_assert_str_eq(log->str, "", "a rollback drops them");
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_str_eq(log->str, "", "and they do not come back with the next commit");

	cr_assert_eq(db_tx_begin(db), 0);
	db_tx_on_commit(db, note_a, log);
	cr_assert_eq(db_tx_end(db, -ERR_INVAL), -ERR_INVAL);
	cr_assert_str_eq(log->str, "", "db_tx_end on a failure rolls back and drops them");

	db_tx_on_commit(db, note, log);
	cr_assert_str_eq(log->str, "[ok", "outside a transaction: at once");

	g_string_truncate(log, 0);
	cr_assert_eq(db_tx_begin(db), 0);
	db_tx_on_commit(db, note_b, log);
	cr_assert_eq(db_release(db), 1, "a transaction left open is found");
	cr_assert_str_eq(log->str, "", "and its hooks are dropped");

	g_string_free(log, TRUE);
}

static int64_t
count_structures(struct db *db)
{
	return db_run_int(db_prepare(db, "SELECT count(*) FROM structure"));
}

static int
insert_structure(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO structure(id, code, name, created_at) VALUES ($1, $1, 'ML', 0)");
	db_bind_text(st, 1, id);
	return db_run(st);
}

Test(db, a_read_snapshot_keeps_its_view_until_it_ends)
{
	struct db *db = fresh_db();
	struct db *other = db_open(fx.db_path);

	cr_assert_eq(db_read_begin(db), 0);
	cr_assert_eq(count_structures(db), 0);
	cr_assert_eq(insert_structure(other, "a"), 0);
	cr_assert_eq(count_structures(db), 0, "the snapshot does not see a later commit");
	db_read_end(db);
	cr_assert_eq(count_structures(db), 1);
	db_close(other);
}

Test(db, a_write_ends_the_read_snapshot_and_is_stored_at_once)
{
	struct db *db = fresh_db();
	struct db *other = db_open(fx.db_path);

	cr_assert_eq(db_read_begin(db), 0);
	cr_assert_eq(count_structures(db), 0);
	cr_assert_eq(insert_structure(other, "a"), 0);
	/* Upgrading the snapshot would fail (SQLITE_BUSY_SNAPSHOT): the write runs on its own. */
	cr_assert_eq(insert_structure(db, "b"), 0);
	cr_assert_eq(count_structures(db), 2, "reads after the write are fresh");
	cr_assert_eq(count_structures(other), 2, "the write is committed");
	cr_assert_eq(db_release(db), 0, "nothing left open");
	db_close(other);
}

Test(db, a_write_transaction_inside_a_read_snapshot_ends_it)
{
	struct db *db = fresh_db();

	cr_assert_eq(db_read_begin(db), 0);
	cr_assert_eq(count_structures(db), 0);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(insert_structure(db, "a"), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(count_structures(db), 1);
	/* Released quietly: a snapshot is no leftover. */
	cr_assert_eq(db_read_begin(db), 0);
	cr_assert_eq(db_release(db), 0);
	cr_assert_eq(insert_structure(db, "b"), 0);
}

/* ---- Both engines ----------------------------------------------------------------
 * Each case below runs on SQLite (suite db, a file in a fresh directory) and on
 * PostgreSQL (suite db_pg, a fresh database of the test cluster: fixture_pg_url(), skipped
 * without CEJ_TEST_DATABASE_URL). The case gets the URL; fx.db is its first connection
 * (closed by the suite's .fini), others it opens it closes. Its tables are its own. */
TestSuite(db_pg, .fini = drop);

static const char *
engine_url(enum db_engine e)
{
	fixture_open(&fx, e == DB_SQLITE ? "db" : "dbpg", 0);
	const char *url = e == DB_SQLITE ? fixture_path(&fx, "cej.db") : fixture_pg_url(&fx);
	fx.db = db_open(url);
	cr_assert_not_null(fx.db, "%s", url);
	cr_assert_eq(db_engine(fx.db), e);
	return url;
}

#define BOTH_ENGINES(name)                                                                 \
	static void name(struct db *db, const char *url);                                  \
	Test(db, name) { const char *u = engine_url(DB_SQLITE); name(fx.db, u); }          \
	Test(db_pg, name) { const char *u = engine_url(DB_POSTGRES); name(fx.db, u); }     \
	static void name(struct db *db, const char *url)

/* The one type name that differs in the tables of these cases. */
static const char *
blob_type(struct db *db)
{
	return db_engine(db) == DB_POSTGRES ? "BYTEA" : "BLOB";
}

static int
exec_printf(struct db *db, const char *fmt, const char *arg)
{
	char *sql = g_strdup_printf(fmt, arg);
	int rc = db_exec(db, sql);
	g_free(sql);
	return rc;
}

BOTH_ENGINES(binds_and_reads_every_type)
{
	(void)url;
	cr_assert_eq(exec_printf(db, "CREATE TABLE t (k BIGINT PRIMARY KEY, s TEXT, i BIGINT, "
				 "b %s)", blob_type(db)), 0);
	const char *ins = "INSERT INTO t (k, s, i, b) VALUES ($1, $2, $3, $4)";
	const unsigned char bytes[] = {'a', 0, 'b', 0, 0xff};
	struct db_stmt *st = db_prepare(db, ins);
	db_bind_int64(st, 1, 1);
	db_bind_text(st, 2, "Élodie Ünïcode — « ok » 😀");
	db_bind_int64(st, 3, INT64_MIN);
	db_bind_blob(st, 4, bytes, sizeof bytes);
	cr_assert_eq(db_run(st), 0);
	st = db_prepare(db, ins);
	db_bind_int64(st, 1, 2);
	db_bind_null(st, 2);
	db_bind_int64(st, 3, INT64_MAX);
	db_bind_blob(st, 4, "", 0);
	cr_assert_eq(db_run(st), 0);
	st = db_prepare(db, ins);
	db_bind_int64(st, 1, 3);
	db_bind_text(st, 2, NULL);
	db_bind_null(st, 3);
	db_bind_blob(st, 4, NULL, 0);
	cr_assert_eq(db_run(st), 0);

	struct arena *a = fx.a;
	size_t len = 99;
	st = db_prepare(db, "SELECT s, i, b FROM t ORDER BY k");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "Élodie Ünïcode — « ok » 😀");
	cr_assert_eq(db_col_int64(st, 1), INT64_MIN);
	unsigned char *b = db_col_blob_dup(st, a, 2, &len);
	cr_assert_eq(len, sizeof bytes);
	cr_assert_arr_eq(b, bytes, sizeof bytes, "a blob keeps its zero bytes");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_null(db_col_text(st, 0));
	cr_assert(db_col_is_null(st, 0));
	cr_assert_eq(db_col_int64(st, 1), INT64_MAX);
	b = db_col_blob_dup(st, a, 2, &len);
	cr_assert_not_null(b, "an empty blob is not NULL");
	cr_assert_eq(len, 0);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert(db_col_is_null(st, 1));
	cr_assert_eq(db_col_int64(st, 1), 0, "NULL reads 0");
	cr_assert_null(db_col_blob_dup(st, a, 2, &len));
	cr_assert_eq(len, 0);
	cr_assert_null(db_col_dup(st, a, 0));
	cr_assert_eq(db_step(st), DB_DONE);
	db_finish(st);

	/* A comparison reads 1 or 0 (a boolean on PostgreSQL). */
	st = db_prepare(db, "SELECT 1 = 1, 1 = 0, count(*) FROM t");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), 1);
	cr_assert_eq(db_col_int64(st, 1), 0);
	cr_assert_eq(db_col_int64(st, 2), 3);
	db_finish(st);
}

BOTH_ENGINES(one_statement_bound_with_other_types_still_runs)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE t (i BIGINT, s TEXT); "
			     "INSERT INTO t VALUES (5, 'cinq'), (6, 'six')"), 0);
	const char *q = "SELECT count(*) FROM t WHERE i = $1 OR s = $2";
	struct db_stmt *st = db_prepare(db, q);
	db_bind_int64(st, 1, 5);
	db_bind_text(st, 2, "six");
	cr_assert_eq(db_run_int(st), 2);
	st = db_prepare(db, q);
	db_bind_text(st, 1, "5");          /* text where an integer was bound: the server casts */
	db_bind_null(st, 2);
	cr_assert_eq(db_run_int(st), 1);
	st = db_prepare(db, q);
	db_bind_int64(st, 1, 6);
	cr_assert_eq(db_run_int(st), 1, "a parameter left unbound is NULL");
}

BOTH_ENGINES(a_unique_violation_is_a_conflict_and_other_errors_are_db_errors)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE u (k TEXT PRIMARY KEY, e TEXT UNIQUE, "
			     "n BIGINT NOT NULL)"), 0);
	const char *ins = "INSERT INTO u (k, e, n) VALUES ($1, $2, $3)";
	struct db_stmt *st = db_prepare(db, ins);
	db_bind_text(st, 1, "a");
	db_bind_text(st, 2, "a@x.fr");
	db_bind_int64(st, 3, 1);
	cr_assert_eq(db_run(st), 0);
	st = db_prepare(db, ins);
	db_bind_text(st, 1, "a");
	db_bind_text(st, 2, "b@x.fr");
	db_bind_int64(st, 3, 1);
	cr_assert_eq(db_run(st), -ERR_CONFLICT, "primary key");
	st = db_prepare(db, ins);
	db_bind_text(st, 1, "b");
	db_bind_text(st, 2, "a@x.fr");
	db_bind_int64(st, 3, 1);
	cr_assert_eq(db_run(st), -ERR_CONFLICT, "unique column");
	st = db_prepare(db, ins);
	db_bind_text(st, 1, "c");
	db_bind_text(st, 2, "c@x.fr");
	db_bind_null(st, 3);
	cr_assert_eq(db_run(st), -ERR_DB, "NOT NULL is no conflict");
	cr_assert_eq(db_run(db_prepare(db, "SELEC 1")), -ERR_DB, "a syntax error");
	cr_assert_eq(db_exec(db, "SELECT 1; SELEC 2"), -ERR_DB);
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT count(*) FROM u")), 1);
}

BOTH_ENGINES(changes_count_the_rows_of_the_last_write)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE t (i BIGINT); "
			     "INSERT INTO t VALUES (1), (2), (3)"), 0);
	struct db_stmt *st = db_prepare(db, "UPDATE t SET i = i + 10 WHERE i >= $1");
	db_bind_int64(st, 1, 2);
	cr_assert_eq(db_run(st), 0);
	cr_assert_eq(db_changes(db), 2);
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT count(*) FROM t")), 3);
	cr_assert_eq(db_changes(db), 2, "a read changes nothing");
	cr_assert_eq(db_run(db_prepare(db, "DELETE FROM t")), 0);
	cr_assert_eq(db_changes(db), 3);
	cr_assert_eq(db_run(db_prepare(db, "DELETE FROM t")), 0);
	cr_assert_eq(db_changes(db), 0);
}

BOTH_ENGINES(several_statements_run_in_order_and_a_thousand_rows_are_read)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE t (i BIGINT); "
			     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
			     "WHERE i < 1000) INSERT INTO t SELECT i FROM n"), 0);
	struct db_stmt *st = db_prepare(db, "SELECT i, 'ligne ' || i FROM t ORDER BY i");
	int64_t rows = 0, sum = 0;
	char want[32];
	while (db_step(st) == DB_ROW) {
		rows++;
		sum += db_col_int64(st, 0);
		g_snprintf(want, sizeof want, "ligne %" G_GINT64_FORMAT, rows);
		cr_assert_str_eq(db_col_text(st, 1), want);
	}
	db_finish(st);
	cr_assert_eq(rows, 1000);
	cr_assert_eq(sum, 500500);
}

BOTH_ENGINES(transactions_commit_roll_back_and_run_their_hooks)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE t (i BIGINT)"), 0);
	GString *log = g_string_new(NULL);
	const char *ins = "INSERT INTO t VALUES ($1)";

	cr_assert_eq(db_tx_begin(db), 0);
	struct db_stmt *st = db_prepare(db, ins);
	db_bind_int64(st, 1, 1);
	cr_assert_eq(db_run(st), 0);
	db_tx_on_commit(db, note_a, log);
	db_tx_rollback(db);
	cr_assert_str_eq(log->str, "");

	cr_assert_eq(db_tx_begin(db), 0);
	st = db_prepare(db, ins);
	db_bind_int64(st, 1, 2);
	cr_assert_eq(db_run(st), 0);
	db_tx_on_commit(db, note_a, log);
	db_tx_on_commit(db, note_b, log);
	cr_assert_str_eq(log->str, "");
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_str_eq(log->str, "ab");
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT sum(i) FROM t")), 2);

	g_string_truncate(log, 0);
	cr_assert_eq(db_tx_begin(db), 0);
	db_tx_on_commit(db, note_a, log);
	cr_assert_eq(db_tx_end(db, -ERR_INVAL), -ERR_INVAL);
	cr_assert_str_eq(log->str, "");
	g_string_free(log, TRUE);
}

/* A unique violation inside a transaction: the transaction fails as a whole on
 * PostgreSQL (the commit reports it), SQLite carries on. Either way nothing of a failed
 * use case is kept when it rolls back, as db_tx_end does. */
BOTH_ENGINES(a_conflict_inside_a_transaction_rolls_it_back_with_db_tx_end)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE u (k TEXT PRIMARY KEY); INSERT INTO u VALUES ('a')"), 0);
	cr_assert_eq(db_tx_begin(db), 0);
	struct db_stmt *st = db_prepare(db, "INSERT INTO u VALUES ($1)");
	db_bind_text(st, 1, "b");
	cr_assert_eq(db_run(st), 0);
	st = db_prepare(db, "INSERT INTO u VALUES ($1)");
	db_bind_text(st, 1, "a");
	int rc = db_run(st);
	cr_assert_eq(rc, -ERR_CONFLICT);
	cr_assert_eq(db_tx_end(db, rc), -ERR_CONFLICT);
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT count(*) FROM u")), 1);
	cr_assert_eq(db_release(db), 0, "nothing left open");
}

BOTH_ENGINES(release_rolls_back_an_open_transaction_and_resets_a_statement_left_stepping)
{
	cr_assert_eq(db_exec(db, "CREATE TABLE t (i BIGINT); INSERT INTO t VALUES (1), (2)"), 0);
	struct db *other = db_open(url);
	cr_assert_not_null(other);

	struct db_stmt *left = db_prepare(db, "SELECT i FROM t ORDER BY i");
	cr_assert_eq(db_step(left), DB_ROW);       /* never finished */
	cr_assert_eq(db_release(db), 1);
	cr_assert_eq(db_step(left), DB_ROW, "reset: it starts over");
	cr_assert_eq(db_col_int64(left, 0), 1);
	db_finish(left);

	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(db_run(db_prepare(db, "DELETE FROM t")), 0);
	cr_assert_eq(db_release(db), 1, "the open transaction");
	cr_assert_eq(db_run_int(db_prepare(other, "SELECT count(*) FROM t")), 2, "rolled back");
	cr_assert_eq(db_tx_begin(other), 0, "the write lock is free again");
	cr_assert_eq(db_tx_commit(other), 0);
	cr_assert_eq(db_release(db), 0);
	db_close(other);
}

BOTH_ENGINES(a_write_inside_a_read_snapshot_is_stored)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE t (i BIGINT)"), 0);
	cr_assert_eq(db_read_begin(db), 0);    /* a GET that touches its session */
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT count(*) FROM t")), 0);
	struct db_stmt *st = db_prepare(db, "INSERT INTO t VALUES ($1)");
	db_bind_int64(st, 1, 7);
	cr_assert_eq(db_run(st), 0);
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT sum(i) FROM t")), 7);
	cr_assert_eq(db_release(db), 0);
	struct db *other = db_open(url);
	cr_assert_eq(db_run_int(db_prepare(other, "SELECT sum(i) FROM t")), 7, "committed");
	db_close(other);
}

BOTH_ENGINES(the_name_search_rule_reads_the_same_on_both_engines)
{
	(void)url;
	cr_assert_eq(db_exec(db, "CREATE TABLE p (id BIGINT, search_folded TEXT); INSERT INTO p "
			     "VALUES (1, 'dupont elodie'), (2, 'durand paul'), (3, 'arnaud paul')"), 0);
	char *sql = g_strdup_printf("SELECT count(*) FROM p WHERE id > $1%s",
				    db_sql_contains(db, fx.a, "search_folded", 2, 2));
	struct db_stmt *st = db_prepare(db, sql);
	g_free(sql);
	db_bind_int64(st, 1, 0);
	db_bind_text(st, 2, "paul");
	db_bind_text(st, 3, "du");
	cr_assert_eq(db_run_int(st), 1);
}

Test(db, a_postgresql_url_is_shown_without_its_password)
{
	char *s = db_url_redacted("postgres://cej:s3cret@db.example:5432/cej?sslmode=require");
	cr_assert_str_eq(s, "postgres://cej:***@db.example:5432/cej?sslmode=require");
	g_free(s);
	s = db_url_redacted("postgresql://cej@db/cej");
	cr_assert_str_eq(s, "postgresql://cej@db/cej");
	g_free(s);
	s = db_url_redacted("var/a:b@c.db");
	cr_assert_str_eq(s, "var/a:b@c.db", "a file path is left alone");
	g_free(s);
	cr_assert_eq(db_url_engine("postgres://h/d"), DB_POSTGRES);
	cr_assert_eq(db_url_engine("sqlite:var/cej.db"), DB_SQLITE);
	cr_assert_eq(db_url_engine("var/cej.db"), DB_SQLITE);
}

/* The migrations of the engine, and a schema_migration both accept. */
static const unsigned char m_sqlite[] = "CREATE TABLE only_sqlite (i BIGINT);";
static const unsigned char m_pg[] = "CREATE TABLE only_pg (i BIGINT);";
static const struct embed_file sqlite_set[] = {{"0001_a.sql", m_sqlite, sizeof m_sqlite - 1, ""}};
static const struct embed_file pg_set[] = {{"0001_a.sql", m_pg, sizeof m_pg - 1, ""}};

BOTH_ENGINES(migrations_are_those_of_the_engine_and_apply_once)
{
	(void)url;
	for (int i = 0; i < 2; i++)
		cr_assert_eq(db_migrate_engine(db, sqlite_set, 1, pg_set, 1), 0);
	bool pg = db_engine(db) == DB_POSTGRES;
	cr_assert_eq(db_run(db_prepare(db, pg ? "SELECT * FROM only_pg" : "SELECT * FROM only_sqlite")), 0);
	struct db_stmt *st = db_prepare(db, "SELECT name, applied_at FROM schema_migration");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "0001_a.sql");
	cr_assert_gt(db_col_int64(st, 1), INT64_C(1) << 40, "milliseconds need 64 bits");
	cr_assert_eq(db_step(st), DB_DONE, "once");
	db_finish(st);
}

/* Two connections, two threads: the second db_tx_begin() waits for the first writer's
 * commit, then reads what it wrote — the read-check-write of a use case stays right. */
struct writer {
	const char *url;
	int64_t begun_at;  /* when its db_tx_begin() returned */
	int64_t seen;      /* the counter it read inside its transaction */
	int rc;
};

static gpointer
second_writer(gpointer p)
{
	struct writer *w = p;
	struct db *db = db_open(w->url);
	w->rc = db_tx_begin(db);
	w->begun_at = g_get_monotonic_time();
	w->seen = db_run_int(db_prepare(db, "SELECT n FROM counter"));
	w->rc = w->rc ? w->rc : db_run(db_prepare(db, "UPDATE counter SET n = n + 1"));
	w->rc = db_tx_end(db, w->rc);
	db_close(db);
	return NULL;
}

BOTH_ENGINES(write_transactions_run_one_at_a_time)
{
	cr_assert_eq(db_exec(db, "CREATE TABLE counter (n BIGINT); INSERT INTO counter VALUES (0)"), 0);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT n FROM counter")), 0);
	struct writer w = {.url = url};
	GThread *t = g_thread_new("second-writer", second_writer, &w);
	g_usleep(300 * 1000);      /* the second writer is waiting for the lock by now */
	cr_assert_eq(db_run(db_prepare(db, "UPDATE counter SET n = n + 1")), 0);
	int64_t committed_at = g_get_monotonic_time();
	cr_assert_eq(db_tx_commit(db), 0);
	g_thread_join(t);
	cr_assert_eq(w.rc, 0);
	cr_assert_geq(w.begun_at, committed_at, "the second began after the first committed");
	cr_assert_eq(w.seen, 1, "and read its write");
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT n FROM counter")), 2);
}

/* PostgreSQL restarted under a connection: the next statement reconnects and runs; a
 * statement of a transaction cut by the restart fails, and the connection is usable again
 * once the use case rolled back. A cluster of its own (tools/pg-cluster.sh): restarting
 * the shared one would cut the other suites' connections. */
static void
cluster(const char *cmd, const char *dir, const char *port, char **out)
{
	const char *argv[] = {CEJ_SOURCE_ROOT "/tools/pg-cluster.sh", cmd, dir, port, NULL};
	gint status = 0;
	GError *err = NULL;
	gboolean ok = g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
				   NULL, &status, &err);
	cr_assert(ok && g_spawn_check_wait_status(status, NULL), "pg-cluster.sh %s %s : %s", cmd,
		  dir, err ? err->message : "échec");
}

static char *restart_dir;

static void
restart_fini(void)
{
	if (restart_dir) {
		const char *argv[] = {CEJ_SOURCE_ROOT "/tools/pg-cluster.sh", "stop", restart_dir, NULL};
		g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
			     NULL, NULL, NULL);
	}
	drop();
}

Test(db_pg, a_connection_survives_a_server_restart, .fini = restart_fini, .timeout = 90)
{
	if (!g_getenv("CEJ_TEST_DATABASE_URL"))
		cr_skip_test("CEJ_TEST_DATABASE_URL absent : cas PostgreSQL sauté");
	fixture_open(&fx, "dbrestart", 0);
	/* As root the server runs as postgres (pg-cluster.sh): it must reach its folder. */
	cr_assert_eq(g_chmod(fx.dir, 0711), 0);
	restart_dir = fixture_path(&fx, "pg");
	char *url = NULL;
	cluster("start", restart_dir, NULL, &url);
	g_strstrip(url);
	gchar *port = NULL;
	g_file_get_contents(fixture_path(&fx, "pg/port"), &port, NULL, NULL);
	g_strstrip(port);

	struct db *db = db_open(url);
	cr_assert_not_null(db);
	cr_assert_eq(db_exec(db, "CREATE TABLE t (i BIGINT); INSERT INTO t VALUES (41)"), 0);
	const char *q = "SELECT i + $1 FROM t";
	struct db_stmt *st = db_prepare(db, q);
	db_bind_int64(st, 1, 1);
	cr_assert_eq(db_run_int(st), 42);

	cluster("stop", restart_dir, NULL, NULL);
	cluster("start", restart_dir, port, NULL);
	st = db_prepare(db, q);
	db_bind_int64(st, 1, 1);
	cr_assert_eq(db_run_int(st), 42, "reconnected, prepared again, run");
	cr_assert(db_ping(db));

	cr_assert_eq(db_tx_begin(db), 0);
	cluster("stop", restart_dir, NULL, NULL);
	cluster("start", restart_dir, port, NULL);
	cr_assert_eq(db_run(db_prepare(db, "UPDATE t SET i = 0")), -ERR_DB,
		     "inside a transaction: the error is the use case's");
	db_tx_rollback(db);
	cr_assert_eq(db_run_int(db_prepare(db, "SELECT i FROM t")), 41);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	db_close(db);
	g_free(url);
	g_free(port);
}

/* The metrics read the same on both engines: a write transaction open is counted, its
 * wait for the lock observed; a writer that waits more than 5 s for the lock gives up
 * (-ERR_DB: SQLite's busy_timeout, PostgreSQL's lock_timeout) and is counted busy. */
static int64_t
sample(const char *series)
{
	GString *out = g_string_new(NULL);
	db_metrics(out);
	int64_t v = fixture_sample(out->str, series);
	g_string_free(out, TRUE);
	return v;
}

BOTH_ENGINES(a_writer_kept_waiting_5_s_gives_up_and_is_counted)
{
	struct db *other = db_open(url);
	int64_t waits = sample("cej_db_write_lock_wait_seconds_count");
	int64_t busy = sample("cej_db_busy_total");
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(sample("cej_db_write_transactions"), 1);
	int64_t t0 = g_get_monotonic_time();
	cr_assert_eq(db_tx_begin(other), -ERR_DB);
	int64_t waited = g_get_monotonic_time() - t0;
	cr_assert_geq(waited, 4900 * 1000, "waited %" G_GINT64_FORMAT " µs", waited);
	cr_assert_lt(waited, 15 * 1000 * 1000);
	cr_assert_eq(sample("cej_db_busy_total"), busy + 1);
	cr_assert_eq(sample("cej_db_write_lock_wait_seconds_count"), waits + 2);
	cr_assert_eq(sample("cej_db_write_transactions"), 1, "the one that gave up is not open");
	cr_assert_eq(db_release(other), 0, "and left nothing open");
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(db_tx_begin(other), 0, "the lock is free again");
	cr_assert_eq(db_tx_commit(other), 0);
	cr_assert_eq(sample("cej_db_write_transactions"), 0);
	db_close(other);
}
