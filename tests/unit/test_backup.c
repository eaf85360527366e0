/* test_backup.c — db/backup.h: a copy of a database that another thread keeps writing,
 * what a failed or refused backup leaves behind (nothing), and the checks a restore uses. */
#include "base/embed.h"
#include "base/err.h"
#include "db/backup.h"
#include "db/db.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/stat.h>

static struct fixture fx;

/* Always a SQLite file, whatever engine the store suites run on (CEJ_TEST_DATABASE_URL):
 * backups copy SQLite files. */
static void
setup(void)
{
	fixture_open(&fx, "backup", 0);
	fx.db_path = g_build_filename(fx.dir, "cej.db", NULL);
	fx.db = db_open(fx.db_path);
	cr_assert_not_null(fx.db);
	cr_assert_eq(db_migrate(fx.db, embed_migrations, embed_migrations_count), 0);
}

static void teardown(void) { fixture_close(&fx); }

TestSuite(backup, .init = setup, .fini = teardown);

/* A table of @n rows of 600 bytes: ids 1…@n, so that "every id up to k" is checkable. */
static void
fill(sqlite3 *raw, struct db *db, int n)
{
	char *sql = g_strdup_printf("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
				    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
				    "INSERT INTO filler (id, body) SELECT i, hex(randomblob(300)) FROM n;", n);
	if (db)
		cr_assert_eq(db_exec(db, sql), 0);
	else
		cr_assert_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	g_free(sql);
}

/* Rows of filler in the database at @path, and its largest id. */
static void
count_rows(const char *path, int64_t *count, int64_t *max)
{
	struct db *db = db_open(path);
	cr_assert_not_null(db, "%s opens", path);
	*count = db_run_int(db_prepare(db, "SELECT count(*) FROM filler"));
	*max = db_run_int(db_prepare(db, "SELECT coalesce(max(id), 0) FROM filler"));
	db_close(db);
}

/* The writer thread: one row per transaction, ids in order, as fast as it can. */
struct writer {
	const char *path;
	atomic_int_fast64_t committed;  /* every id up to this one is committed */
	atomic_bool stop;
	int failures;
	/* the backup's after_step hook */
	int64_t seen;
	int hooks, hooks_with_progress;
};

static gpointer
write_rows(gpointer ud)
{
	struct writer *w = ud;
	struct db *db = db_open(w->path);
	cr_assert_not_null(db);
	int64_t id = atomic_load(&w->committed);
	while (!atomic_load(&w->stop)) {
		struct db_stmt *st = db_prepare(db, "INSERT INTO filler (id, body) VALUES ($1, hex(randomblob(300)))");
		db_bind_int64(st, 1, id + 1);
		if (db_run(st) != 0) {
			w->failures++;
			continue;
		}
		atomic_store(&w->committed, ++id);
	}
	db_close(db);
	return NULL;
}

static void
wait_progress(struct writer *w, int64_t beyond)
{
	for (int i = 0; i < 10000 && atomic_load(&w->committed) <= beyond; i++)
		g_usleep(1000);
}

/* After every step of the copy: the writer must get through (at most 10 s: a loaded
 * machine's fsync is slow, a starved writer never gets through), so that writes
 * really land between the steps and a writer starved by the backup shows as a failure. */
static void
hook_wait_writer(void *ud, int remaining, int total)
{
	struct writer *w = ud;
	(void)remaining;
	(void)total;
	w->hooks++;
	wait_progress(w, w->seen);
	int64_t now = atomic_load(&w->committed);
	if (now > w->seen)
		w->hooks_with_progress++;
	w->seen = now;
}

Test(backup, copy_under_continuous_writes_holds_every_row_committed_before_it_began)
{
	fill(NULL, fx.db, 4000);
	struct writer w = {.path = fx.db_path};
	atomic_store(&w.committed, 4000);
	GThread *t = g_thread_new("writer", write_rows, &w);
	wait_progress(&w, 4050);  /* the load is steady before the backup starts */

	int64_t before = atomic_load(&w.committed);
	w.seen = before;
	const char *dest = fixture_path(&fx, "sauvegardes/copie.db");
	struct db_backup_options opt = {.pages_per_step = 16, .sleep_ms = 1,
					.after_step = hook_wait_writer, .after_step_ud = &w};
	struct db_backup_report r = {0};
	GError *err = NULL;
	int rc = db_backup_sqlite(fx.db_path, dest, &opt, &r, &err);
	int64_t after = atomic_load(&w.committed);
	atomic_store(&w.stop, true);
	g_thread_join(t);

	cr_assert_eq(rc, 0, "backup: %s", err ? err->message : "");
	cr_assert_eq(w.failures, 0, "the writer never failed during the backup");
	cr_assert(r.pinned, "a WAL database is copied from one snapshot");
	cr_assert_eq(r.restarts, 0, "writes do not restart a pinned copy");
	cr_assert_gt(r.steps, 20, "the copy took many steps (%d)", r.steps);
	cr_assert_eq(w.hooks_with_progress, w.hooks, "the writer committed between every two steps "
		     "(%d of %d)", w.hooks_with_progress, w.hooks);
	cr_assert_gt(after, before + r.steps - 2, "writes went on during the copy");

	cr_assert_eq(db_backup_check(dest, NULL, NULL), 0, "the copy passes integrity_check");
	int64_t count, max;
	count_rows(dest, &count, &max);
	cr_assert_geq(max, before, "every row committed before the backup is in the copy");
	cr_assert_eq(count, max, "no row missing below the last one (one consistent snapshot)");
	cr_assert_leq(max, after, "nothing the writer had not committed");
	cr_assert_gt(r.tables, 30, "the whole schema: %d tables", r.tables);

	struct stat st;
	cr_assert_eq(stat(dest, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "the copy is owner-only");
	cr_assert_eq(st.st_size, r.bytes);
	cr_assert_eq(stat(fixture_path(&fx, "sauvegardes"), &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "the directory it made is owner-only");
	cr_assert_not(g_file_test(fixture_path(&fx, "sauvegardes/copie.db.tmp"), G_FILE_TEST_EXISTS));
}

Test(backup, an_existing_file_is_kept_unless_overwrite_is_asked)
{
	const char *dest = fixture_path(&fx, "copie.db");
	cr_assert(g_file_set_contents(dest, "précieux", -1, NULL));
	GError *err = NULL;
	cr_assert_eq(db_backup_sqlite(fx.db_path, dest, NULL, NULL, &err), -ERR_CONFLICT);
	cr_assert_not_null(strstr(err->message, "existe déjà"), "%s", err->message);
	g_clear_error(&err);
	gchar *text = NULL;
	cr_assert(g_file_get_contents(dest, &text, NULL, NULL));
	cr_assert_str_eq(text, "précieux");
	g_free(text);
	cr_assert_not(g_file_test(fixture_path(&fx, "copie.db.tmp"), G_FILE_TEST_EXISTS));

	struct db_backup_options opt = {.overwrite = true};
	cr_assert_eq(db_backup_sqlite(fx.db_path, dest, &opt, NULL, &err), 0);
	cr_assert_eq(db_backup_check(dest, NULL, NULL), 0);
}

Test(backup, the_live_database_itself_is_never_a_destination_nor_a_directory)
{
	struct db_backup_options opt = {.overwrite = true};
	GError *err = NULL;
	cr_assert_eq(db_backup_sqlite(fx.db_path, fx.db_path, &opt, NULL, &err), -ERR_CONFLICT);
	g_clear_error(&err);
	cr_assert_eq(db_backup_sqlite(fx.db_path, fx.dir, &opt, NULL, &err), -ERR_CONFLICT);
	cr_assert_not_null(strstr(err->message, "est un dossier"), "%s", err->message);
	g_clear_error(&err);
	cr_assert_eq(db_backup_check(fx.db_path, NULL, NULL), 0, "the database is untouched");
}

Test(backup, a_missing_database_is_not_created)
{
	const char *src = fixture_path(&fx, "absente.db"), *dest = fixture_path(&fx, "copie.db");
	GError *err = NULL;
	cr_assert_eq(db_backup_sqlite(src, dest, NULL, NULL, &err), -ERR_NOTFOUND);
	g_clear_error(&err);
	cr_assert_not(g_file_test(src, G_FILE_TEST_EXISTS));
	cr_assert_not(g_file_test(dest, G_FILE_TEST_EXISTS));
}

/* A database in rollback-journal mode, written by a second raw connection. */
struct rollback {
	sqlite3 *writer;
	int64_t next;
	int writes_left;
};

static void
hook_write_once_more(void *ud, int remaining, int total)
{
	struct rollback *rb = ud;
	(void)remaining;
	(void)total;
	if (rb->writes_left == 0)
		return;
	if (rb->writes_left > 0)
		rb->writes_left--;
	char *sql = g_strdup_printf("INSERT INTO filler VALUES (%" G_GINT64_FORMAT ", 'x')", ++rb->next);
	cr_assert_eq(sqlite3_exec(rb->writer, sql, NULL, NULL, NULL), SQLITE_OK);
	g_free(sql);
}

static struct rollback
rollback_db(const char *path)
{
	struct rollback rb = {.next = 2000};
	cr_assert_eq(sqlite3_open(path, &rb.writer), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(rb.writer, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL), SQLITE_OK);
	fill(rb.writer, NULL, 2000);
	return rb;
}

Test(backup, without_wal_a_write_between_steps_restarts_the_copy_which_then_completes)
{
	const char *src = fixture_path(&fx, "rollback.db"), *dest = fixture_path(&fx, "copie.db");
	struct rollback rb = rollback_db(src);
	rb.writes_left = 1;
	struct db_backup_options opt = {.pages_per_step = 16, .sleep_ms = -1,
					.after_step = hook_write_once_more, .after_step_ud = &rb};
	struct db_backup_report r = {0};
	GError *err = NULL;
	int rc = db_backup_sqlite(src, dest, &opt, &r, &err);
	sqlite3_close(rb.writer);
	cr_assert_eq(rc, 0, "%s", err ? err->message : "");
	cr_assert_not(r.pinned);
	cr_assert_eq(r.restarts, 1);
	int64_t count, max;
	count_rows(dest, &count, &max);
	cr_assert_eq(count, 2001, "the row written during the copy is in it");
}

Test(backup, without_wal_a_copy_restarted_again_and_again_gives_up_and_leaves_nothing)
{
	const char *src = fixture_path(&fx, "rollback.db"), *dest = fixture_path(&fx, "copie.db");
	struct rollback rb = rollback_db(src);
	rb.writes_left = -1;  /* a write after every step */
	struct db_backup_options opt = {.pages_per_step = 16, .sleep_ms = -1,
					.after_step = hook_write_once_more, .after_step_ud = &rb};
	GError *err = NULL;
	int rc = db_backup_sqlite(src, dest, &opt, NULL, &err);
	sqlite3_close(rb.writer);
	cr_assert_eq(rc, -ERR_DB);
	cr_assert_not_null(strstr(err->message, "change trop vite"), "%s", err->message);
	g_clear_error(&err);
	cr_assert_not(g_file_test(dest, G_FILE_TEST_EXISTS));
	cr_assert_not(g_file_test(fixture_path(&fx, "copie.db.tmp"), G_FILE_TEST_EXISTS));
}

Test(backup, a_database_open_elsewhere_is_in_use)
{
	cr_assert(db_backup_in_use(fx.db_path), "the fixture's connection holds it");
	db_close(fx.db);
	fx.db = NULL;
	cr_assert_not(db_backup_in_use(fx.db_path), "nobody holds it any more");
	cr_assert_not(db_backup_in_use(fixture_path(&fx, "absente.db")));
	cr_assert_not(g_file_test(fixture_path(&fx, "absente.db"), G_FILE_TEST_EXISTS));
}

Test(backup, a_damaged_backup_fails_the_check)
{
	const char *dest = fixture_path(&fx, "copie.db");
	cr_assert_eq(db_backup_sqlite(fx.db_path, dest, NULL, NULL, NULL), 0);
	/* Garbage over the pages after the first: the header still says SQLite. */
	FILE *f = fopen(dest, "r+b");
	cr_assert_not_null(f);
	fseek(f, 4096 * 3, SEEK_SET);
	for (int i = 0; i < 4096 * 20; i++)
		fputc(i * 7 & 0xff, f);
	fclose(f);
	GError *err = NULL;
	cr_assert_lt(db_backup_check(dest, NULL, &err), 0);
	cr_assert_not_null(err);
	g_clear_error(&err);
	cr_assert_eq(db_backup_check(fixture_path(&fx, "absente.db"), NULL, NULL), -ERR_NOTFOUND);
}
