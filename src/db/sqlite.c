/* sqlite.c — the SQLite backend of db.h: WAL, synchronous=FULL, foreign keys, cached
 * statements. */
#include "db/db.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/metrics.h"

#include <errno.h>
#include <glib.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

struct db {
	sqlite3 *h;
	GHashTable *cache;  /* sql text -> struct db_stmt* */
	bool in_tx;
	bool in_read;       /* a db_read_begin() snapshot is open */
	GArray *on_commit;  /* struct commit_hook, run after the next COMMIT */
};

struct commit_hook {
	db_commit_fn fn;
	void *ud;
};

struct db_stmt {
	struct db *db;
	sqlite3_stmt *s;
};

/* The statement cache's hash: the length and the last 32 bytes (where statements built
 * from one template differ: ORDER BY, search terms). g_str_hash read every byte of every
 * statement on every prepare, a few hundred per page; equal keys still get a full compare. */
static guint
sql_hash(gconstpointer key)
{
	const char *s = key;
	size_t n = strlen(s);
	guint h = (guint)n * 2654435761u;
	for (size_t i = n > 32 ? n - 32 : 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* What /metrics shows of the database (db_metrics). Process-wide, as the per-thread
 * connections it describes are: there is no pool to hang them on. */
static struct {
	_Atomic int64_t connections;     /* open: one per thread that used the database */
	_Atomic int64_t transactions;    /* write transactions open now */
	_Atomic uint64_t busy;           /* gave up waiting for a lock (busy_timeout) */
	struct metrics_histogram lock_wait;  /* time BEGIN IMMEDIATE waited for the write lock */
} stats;

/* After a failed call on @db: a lock still held by another connection when busy_timeout
 * ran out is what a saturated database looks like (the pool exhaustion of a server). */
static void
note_failure(struct db *db)
{
	if ((sqlite3_errcode(db->h) & 0xff) == SQLITE_BUSY)
		atomic_fetch_add_explicit(&stats.busy, 1, memory_order_relaxed);
}

static void
stmt_free(gpointer p)
{
	struct db_stmt *st = p;
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
db_open(const char *path)
{
	struct stat st;
	configure_once();
	if (!make_private_dir(path))
		return NULL;
	bool created = stat(path, &st) != 0 && errno == ENOENT;
	struct db *db = g_new0(struct db, 1);
	int rc = sqlite3_open_v2(path, &db->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("db: open %s: %s", path, db->h ? sqlite3_errmsg(db->h) : "out of memory");
		sqlite3_close(db->h);
		g_free(db);
		return NULL;
	}
	/* SQLite creates the file 0644 (still empty here), and gives the -wal and -shm it
	 * creates at the first write the main file's mode: owner-only from the start. By path:
	 * opening and closing a descriptor of our own would drop every POSIX lock this
	 * process holds on the file, those of SQLite's other connections included. */
	if (created && chmod(path, 0600) != 0) {
		log_error("db: chmod %s: %s", path, g_strerror(errno));
		sqlite3_close(db->h);
		g_free(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->h, 5000);
	db->cache = g_hash_table_new_full(sql_hash, g_str_equal, g_free, stmt_free);
	atomic_fetch_add_explicit(&stats.connections, 1, memory_order_relaxed);
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			"PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;") < 0) {
		db_close(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	atomic_fetch_sub_explicit(&stats.connections, 1, memory_order_relaxed);
	if (db->in_tx)
		atomic_fetch_sub_explicit(&stats.transactions, 1, memory_order_relaxed);
	if (db->on_commit)
		g_array_free(db->on_commit, TRUE);
	g_hash_table_destroy(db->cache);
	sqlite3_close(db->h);
	g_free(db);
}

static void
close_thread_conns(gpointer p)
{
	g_hash_table_destroy(p);
}

static GPrivate thread_conns = G_PRIVATE_INIT(close_thread_conns);

struct db *
db_thread(const char *path)
{
	GHashTable *t = g_private_get(&thread_conns);
	if (!t) {
		t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)db_close);
		g_private_set(&thread_conns, t);
	}
	struct db *db = g_hash_table_lookup(t, path);
	if (!db && (db = db_open(path)))
		g_hash_table_insert(t, g_strdup(path), db);
	return db;
}

bool
db_ping(struct db *db)
{
	struct db_stmt *st = db ? db_prepare(db, "SELECT 1") : NULL;
	bool ok = st && db_step(st) == DB_ROW;
	db_finish(st);
	return ok;
}

int
db_release(struct db *db)
{
	int n = 0;
	sqlite3_stmt *s = NULL;
	if (!db)
		return 0;
	db_read_end(db);
	while ((s = sqlite3_next_stmt(db->h, s))) {
		if (!sqlite3_stmt_busy(s))
			continue;
		log_error("db: requête restée ouverte : %s", sqlite3_sql(s));
		sqlite3_reset(s);
		n++;
	}
	if (!sqlite3_get_autocommit(db->h)) {
		log_error("db: transaction restée ouverte");
		db_tx_rollback(db);
		n++;
	}
	return n;
}

int
db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("db: %s", msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		note_failure(db);
		return -ERR_DB;
	}
	return 0;
}

int
db_run_each(struct db *db, const char *const *sql, size_t n, const char *param)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		struct db_stmt *st = db_prepare(db, sql[i]);
		if (!st)
			return -ERR_DB;
		db_bind_text(st, 1, param);
		rc = db_run(st);
	}
	return rc;
}

const char *
db_sql_contains_all(struct arena *a, const char *col, int n, int first)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; i < n; i++)
		s = arena_printf(a, "%s AND instr(%s, $%d) > 0", s, col, first + i);
	return s;
}

char *
db_rewrite_placeholders(const char *sql)
{
	GString *out = g_string_sized_new(strlen(sql));
	const char *p = sql;

	while (*p) {
		char c = *p;
		if (c == '\'' || c == '"' || c == '`') {
			/* Quoted: copy through the closing quote; doubled quotes stay inside. */
			const char *end = p + 1;
			while (*end && !(*end == c && end[1] != c))
				end += (*end == c) ? 2 : 1;
			if (*end)
				end++;
			g_string_append_len(out, p, end - p);
			p = end;
		} else if (c == '-' && p[1] == '-') {
			const char *end = strchr(p, '\n');
			end = end ? end : p + strlen(p);
			g_string_append_len(out, p, end - p);
			p = end;
		} else if (c == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			end = end ? end + 2 : p + strlen(p);
			g_string_append_len(out, p, end - p);
			p = end;
		} else if (c == '$' && g_ascii_isdigit(p[1])) {
			g_string_append_c(out, '?');
			p++;
		} else {
			g_string_append_c(out, c);
			p++;
		}
	}
	return g_string_free(out, FALSE);
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt *st = g_hash_table_lookup(db->cache, sql);
	if (st)
		return st;
	char *rewritten = db_rewrite_placeholders(sql);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(db->h, rewritten, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	g_free(rewritten);
	if (rc != SQLITE_OK) {
		log_error("db: prepare: %s — %s", sqlite3_errmsg(db->h), sql);
		return NULL;
	}
	st = g_new0(struct db_stmt, 1);
	st->db = db;
	st->s = s;
	g_hash_table_insert(db->cache, g_strdup(sql), st);
	return st;
}

void
db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st->s, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->s, idx);
}

void
db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	if (p)
		sqlite3_bind_blob64(st->s, idx, p, n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->s, idx);
}

void
db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->s, idx, v);
}

void
db_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(st->s, idx);
}

int
db_step(struct db_stmt *st)
{
	/* A write never runs inside a read snapshot: see db_read_begin(). */
	if (st->db->in_read && !sqlite3_stmt_busy(st->s) && !sqlite3_stmt_readonly(st->s))
		db_read_end(st->db);
	int rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if (sqlite3_extended_errcode(st->db->h) == SQLITE_CONSTRAINT_UNIQUE ||
	    sqlite3_extended_errcode(st->db->h) == SQLITE_CONSTRAINT_PRIMARYKEY)
		return -ERR_CONFLICT;
	log_error("db: step: %s — %s", sqlite3_errmsg(st->db->h), sqlite3_sql(st->s));
	note_failure(st->db);
	return -ERR_DB;
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->s, col);
}

char *
db_col_dup(struct db_stmt *st, struct arena *a, int col)
{
	return arena_strdup(a, db_col_text(st, col));
}

int64_t
db_col_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->s, col);
}

bool
db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

unsigned char *
db_col_blob_dup(struct db_stmt *st, struct arena *a, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->s, col);
	int n = sqlite3_column_bytes(st->s, col);
	*len = 0;
	if (!p && sqlite3_column_type(st->s, col) == SQLITE_NULL)
		return NULL;
	unsigned char *out = arena_alloc(a, (size_t)n + 1);
	if (n > 0)
		memcpy(out, p, (size_t)n);
	*len = (size_t)n;
	return out;
}

int
db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

int
db_run(struct db_stmt *st)
{
	if (!st)
		return -ERR_DB;
	int rc = db_step(st);
	db_finish(st);
	return rc < 0 ? rc : 0;
}

int64_t
db_run_int(struct db_stmt *st)
{
	if (!st)
		return -ERR_DB;
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_int64(st, 0) : (rc < 0 ? rc : 0);
	db_finish(st);
	return v;
}

int
db_run_texts(struct db_stmt *st, struct arena *a, int n, ...)
{
	if (!st)
		return -ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		va_list ap;
		va_start(ap, n);
		for (int i = 0; i < n; i++)
			*va_arg(ap, const char **) = db_col_dup(st, a, i);
		va_end(ap);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

void
db_finish(struct db_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
}

int
db_read_begin(struct db *db)
{
	if (db->in_tx || db->in_read || !sqlite3_get_autocommit(db->h))
		return 0;
	struct db_stmt *st = db_prepare(db, "BEGIN");
	if (!st)
		return -ERR_DB;
	int rc = db_run(st);
	db->in_read = rc == 0;
	return rc;
}

void
db_read_end(struct db *db)
{
	if (!db->in_read)
		return;
	db->in_read = false;
	/* Nothing was written: COMMIT only lets the snapshot go. */
	struct db_stmt *st = db_prepare(db, "COMMIT");
	if (!st || db_run(st) < 0)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int
db_tx_begin(struct db *db)
{
	db_read_end(db);
	int64_t t0 = g_get_monotonic_time();
	int rc = db_exec(db, "BEGIN IMMEDIATE");
	metrics_observe(&stats.lock_wait, g_get_monotonic_time() - t0);
	db->in_tx = rc == 0;
	if (db->in_tx)
		atomic_fetch_add_explicit(&stats.transactions, 1, memory_order_relaxed);
	return rc;
}

/* The write transaction of @db is over (committed or rolled back), if one was open. */
static void
tx_ended(struct db *db)
{
	if (db->in_tx)
		atomic_fetch_sub_explicit(&stats.transactions, 1, memory_order_relaxed);
	db->in_tx = false;
}

void
db_tx_on_commit(struct db *db, db_commit_fn fn, void *ud)
{
	if (!db->in_tx) {
		fn(ud);
		return;
	}
	if (!db->on_commit)
		db->on_commit = g_array_new(FALSE, FALSE, sizeof(struct commit_hook));
	g_array_append_val(db->on_commit, ((struct commit_hook){fn, ud}));
}

/* Runs (or drops) the queued callbacks; a callback may itself open a transaction and
 * queue more: those belong to that new transaction. */
static void
commit_hooks_end(struct db *db, bool run)
{
	if (!db->on_commit || db->on_commit->len == 0)
		return;
	GArray *hooks = db->on_commit;
	db->on_commit = NULL;
	for (guint i = 0; run && i < hooks->len; i++) {
		struct commit_hook *h = &g_array_index(hooks, struct commit_hook, i);
		h->fn(h->ud);
	}
	g_array_free(hooks, TRUE);
}

int
db_tx_commit(struct db *db)
{
	int rc = db_exec(db, "COMMIT");
	if (rc < 0)
		db_tx_rollback(db);
	tx_ended(db);
	commit_hooks_end(db, rc == 0);
	return rc;
}

void
db_tx_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	tx_ended(db);
	db->in_read = false;
	commit_hooks_end(db, false);
}

int
db_tx_end(struct db *db, int rc)
{
	if (!rc)
		rc = db_tx_commit(db);
	if (rc)
		db_tx_rollback(db);
	return rc;
}

void
db_metrics(GString *out)
{
	metrics_family(out, "cej_db_connections", "gauge",
		       "Connexions SQLite ouvertes : une par fil d'exécution qui a utilisé la base "
		       "(pas de pool).");
	metrics_sample(out, "cej_db_connections", NULL, 0,
		       atomic_load_explicit(&stats.connections, memory_order_relaxed));
	metrics_family(out, "cej_db_write_transactions", "gauge",
		       "Transactions d'écriture ouvertes (SQLite n'en laisse progresser qu'une).");
	metrics_sample(out, "cej_db_write_transactions", NULL, 0,
		       atomic_load_explicit(&stats.transactions, memory_order_relaxed));
	metrics_family(out, "cej_db_write_lock_wait_seconds", "histogram",
		       "Attente du verrou d'écriture au début d'une transaction (BEGIN IMMEDIATE).");
	metrics_histogram(out, "cej_db_write_lock_wait_seconds", NULL, 0, &stats.lock_wait);
	metrics_family(out, "cej_db_busy_total", "counter",
		       "Requêtes abandonnées faute d'obtenir un verrou en 5 s (SQLITE_BUSY).");
	metrics_sample(out, "cej_db_busy_total", NULL, 0,
		       (int64_t)atomic_load_explicit(&stats.busy, memory_order_relaxed));
}
