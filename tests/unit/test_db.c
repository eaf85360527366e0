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
