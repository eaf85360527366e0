/* sqlite.c — the SQLite backend of db.h (db_backend.h): WAL, synchronous=FULL, foreign
 * keys, statements prepared once per connection with SQLite's own ?n placeholders. */
#include "db/db_backend.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"

#include <errno.h>
#include <glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

struct sqlite_db {
	struct db base;
	sqlite3 *h;
};

struct sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *s;
};

static sqlite3 *
handle(struct db *db)
{
	return ((struct sqlite_db *)db)->h;
}

static sqlite3_stmt *
stmt(struct db_stmt *st)
{
	return ((struct sqlite_stmt *)st)->s;
}

/* After a failed call on @db: a lock still held by another connection when busy_timeout
 * ran out is what a saturated database looks like (the pool exhaustion of a server). */
static void
note_failure(struct db *db)
{
	if ((sqlite3_errcode(handle(db)) & 0xff) == SQLITE_BUSY)
		db_note_busy();
}

void
sqlite_stmt_free(gpointer p)
{
	struct sqlite_stmt *st = p;
	sqlite3_finalize(st->s);
	g_free(st);
}

/* The database holds personal data: its directory is made owner-only (0700) when missing.
 * False (logged) when it cannot be created. */
static bool
make_private_dir(const char *path)
{
	gchar *dir = g_path_get_dirname(path);
	bool ok = g_mkdir_with_parents(dir, 0700) == 0;

	if (!ok)
		log_error("db: mkdir %s: %s", dir, g_strerror(errno));
	g_free(dir);
	return ok;
}

/* SQLite's allocation statistics, on by default, take one process-wide mutex on every
 * allocation: the server threads queued on it (futex calls on each page). cej reads no
 * statistic. Must precede SQLite's initialisation, hence the first open. */
static void
configure_once(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		g_once_init_leave(&done, 1);
	}
}

struct db *
sqlite_open(const char *path)
{
	struct stat st;
	configure_once();
	if (!make_private_dir(path))
		return NULL;
	bool created = stat(path, &st) != 0 && errno == ENOENT;
	struct sqlite_db *db = g_new0(struct sqlite_db, 1);
	int rc = sqlite3_open_v2(path, &db->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("db: open %s: %s", path, db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	/* SQLite creates the file 0644 (still empty here), and gives the -wal and -shm it
	 * creates at the first write the main file's mode: owner-only from the start. By path:
	 * opening and closing a descriptor of our own would drop every POSIX lock this
	 * process holds on the file, those of SQLite's other connections included. */
	if (created && chmod(path, 0600) != 0) {
		log_error("db: chmod %s: %s", path, g_strerror(errno));
		goto fail;
	}
	sqlite3_busy_timeout(db->h, 5000);
	if (sqlite_exec(&db->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			"PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;") < 0)
		goto fail;
	return &db->base;
fail:
	sqlite3_close(db->h);
	g_free(db);
	return NULL;
}

void
sqlite_close(struct db *db)
{
	sqlite3_close(handle(db));
	g_free(db);
}

int
sqlite_release_stmts(struct db *db)
{
	int n = 0;
	sqlite3_stmt *s = NULL;
	while ((s = sqlite3_next_stmt(handle(db), s))) {
		if (!sqlite3_stmt_busy(s))
			continue;
		log_error("db: requête restée ouverte : %s", sqlite3_sql(s));
		sqlite3_reset(s);
		n++;
	}
	return n;
}

bool
sqlite_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(handle(db));
}

int
sqlite_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(handle(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("db: %s", msg ? msg : sqlite3_errmsg(handle(db)));
		sqlite3_free(msg);
		note_failure(db);
		return -ERR_DB;
	}
	return 0;
}

const char *
sqlite_contains_fn(void)
{
	return "instr";
}

struct db_stmt *
sqlite_prepare(struct db *db, const char *sql)
{
	char *rewritten = db_rewrite_placeholders(sql);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(handle(db), rewritten, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	g_free(rewritten);
	if (rc != SQLITE_OK) {
		log_error("db: prepare: %s — %s", sqlite3_errmsg(handle(db)), sql);
		return NULL;
	}
	struct sqlite_stmt *st = g_new0(struct sqlite_stmt, 1);
	st->s = s;
	return &st->base;
}

void
sqlite_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(stmt(st), idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt(st), idx);
}

void
sqlite_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	if (p)
		sqlite3_bind_blob64(stmt(st), idx, p, n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt(st), idx);
}

void
sqlite_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(stmt(st), idx, v);
}

void
sqlite_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(stmt(st), idx);
}

int
sqlite_step(struct db_stmt *st)
{
	sqlite3_stmt *s = stmt(st);
	sqlite3 *h = handle(st->db);
	/* A write never runs inside a read snapshot: see db_read_begin(). */
	if (st->db->in_read && !sqlite3_stmt_busy(s) && !sqlite3_stmt_readonly(s))
		db_read_end(st->db);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if (sqlite3_extended_errcode(h) == SQLITE_CONSTRAINT_UNIQUE ||
	    sqlite3_extended_errcode(h) == SQLITE_CONSTRAINT_PRIMARYKEY)
		return -ERR_CONFLICT;
	log_error("db: step: %s — %s", sqlite3_errmsg(h), sqlite3_sql(s));
	note_failure(st->db);
	return -ERR_DB;
}

const char *
sqlite_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(stmt(st), col);
}

int64_t
sqlite_col_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt(st), col);
}

bool
sqlite_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(stmt(st), col) == SQLITE_NULL;
}

unsigned char *
sqlite_col_blob_dup(struct db_stmt *st, struct arena *a, int col, size_t *len)
{
	sqlite3_stmt *s = stmt(st);
	const void *p = sqlite3_column_blob(s, col);
	int n = sqlite3_column_bytes(s, col);
	*len = 0;
	if (!p && sqlite3_column_type(s, col) == SQLITE_NULL)
		return NULL;
	unsigned char *out = arena_alloc(a, (size_t)n + 1);
	if (n > 0)
		memcpy(out, p, (size_t)n);
	*len = (size_t)n;
	return out;
}

int
sqlite_changes(struct db *db)
{
	return sqlite3_changes(handle(db));
}

void
sqlite_finish(struct db_stmt *st)
{
	sqlite3_reset(stmt(st));
	sqlite3_clear_bindings(stmt(st));
}

int
sqlite_read_begin(struct db *db)
{
	if (!sqlite3_get_autocommit(handle(db)))
		return 0;
	struct db_stmt *st = db_prepare(db, "BEGIN");
	if (!st)
		return -ERR_DB;
	int rc = db_run(st);
	return rc < 0 ? rc : 1;
}

void
sqlite_read_end(struct db *db)
{
	/* Nothing was written: COMMIT only lets the snapshot go. */
	struct db_stmt *st = db_prepare(db, "COMMIT");
	if (!st || db_run(st) < 0)
		sqlite3_exec(handle(db), "ROLLBACK", NULL, NULL, NULL);
}

int
sqlite_tx_begin(struct db *db, bool global)
{
	(void)global;   /* one writer at a time is SQLite's own rule */
	return sqlite_exec(db, "BEGIN IMMEDIATE");
}

int
sqlite_tx_commit(struct db *db)
{
	return sqlite_exec(db, "COMMIT");
}

void
sqlite_tx_rollback(struct db *db)
{
	sqlite3_exec(handle(db), "ROLLBACK", NULL, NULL, NULL);
}
