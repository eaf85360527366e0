/* db.c — the engine-neutral half of db.h: choosing the engine from the URL, one
 * connection per thread, the statement cache, transactions and their commit hooks, the
 * db_run* helpers and the metrics. Everything that reaches the engine is one branch and a
 * direct call into sqlite.c or pg.c (db_backend.h). */
#include "db/db_backend.h"

#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/metrics.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

/* One call into the backend of @db's engine. SQLite first: the hot path. */
#define BACKEND(engine, fn, ...) \
	(G_LIKELY((engine) == DB_SQLITE) ? sqlite_##fn(__VA_ARGS__) : pg_##fn(__VA_ARGS__))

struct commit_hook {
	db_commit_fn fn;
	void *ud;
};

/* What /metrics shows of the database (db_metrics). Process-wide, as the per-thread
 * connections it describes are: there is no pool to hang them on. */
static struct {
	_Atomic int64_t connections;     /* open: one per thread that used the database */
	_Atomic int64_t transactions;    /* write transactions open now */
	_Atomic uint64_t busy;           /* gave up waiting for a lock (busy/lock_timeout) */
	struct metrics_histogram lock_wait;  /* time db_tx_begin() waited for the write lock */
} stats;

void
db_note_busy(void)
{
	atomic_fetch_add_explicit(&stats.busy, 1, memory_order_relaxed);
}

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

enum db_engine
db_url_engine(const char *url)
{
	return config_db_is_postgres(url) ? DB_POSTGRES : DB_SQLITE;
}

char *
db_url_redacted(const char *url)
{
	const char *auth = strstr(url, "://");
	if (db_url_engine(url) != DB_POSTGRES || !auth)
		return g_strdup(url);
	auth += 3;
	size_t host_at = strcspn(auth, "/?");
	const char *at = g_strstr_len(auth, (gssize)host_at, "@");
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon)
		return g_strdup(url);
	return g_strdup_printf("%.*s:***%s", (int)(colon - url), url, at);
}

const char *
db_url_sqlite_path(const char *url)
{
	if (db_url_engine(url) != DB_SQLITE)
		return NULL;
	return g_str_has_prefix(url, "sqlite:") ? url + strlen("sqlite:") : url;
}

struct db *
db_open(const char *url)
{
	enum db_engine e = db_url_engine(url);
	struct db *db = e == DB_SQLITE ? sqlite_open(db_url_sqlite_path(url)) : pg_open(url);
	if (!db)
		return NULL;
	db->engine = e;
	db->cache = g_hash_table_new_full(sql_hash, g_str_equal, g_free,
					  e == DB_SQLITE ? sqlite_stmt_free : pg_stmt_free);
	atomic_fetch_add_explicit(&stats.connections, 1, memory_order_relaxed);
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
	/* Statements first: they belong to the connection the backend then closes. */
	g_hash_table_destroy(db->cache);
	BACKEND(db->engine, close, db);
}

enum db_engine
db_engine(const struct db *db)
{
	return db->engine;
}

static void
close_thread_conns(gpointer p)
{
	g_hash_table_destroy(p);
}

static GPrivate thread_conns = G_PRIVATE_INIT(close_thread_conns);

struct db *
db_thread(const char *url)
{
	GHashTable *t = g_private_get(&thread_conns);
	if (!t) {
		t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)db_close);
		g_private_set(&thread_conns, t);
	}
	struct db *db = g_hash_table_lookup(t, url);
	if (!db && (db = db_open(url)))
		g_hash_table_insert(t, g_strdup(url), db);
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
	if (!db)
		return 0;
	db_read_end(db);
	int n = BACKEND(db->engine, release_stmts, db);
	if (BACKEND(db->engine, in_transaction, db)) {
		log_error("db: transaction restée ouverte");
		db_tx_rollback(db);
		n++;
	}
	return n;
}

int
db_exec(struct db *db, const char *sql)
{
	return BACKEND(db->engine, exec, db, sql);
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

static const char *
contains_all(struct arena *a, const char *fn, const char *col, int n, int first)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; i < n; i++)
		s = arena_printf(a, "%s AND %s(%s, $%d) > 0", s, fn, col, first + i);
	return s;
}

const char *
db_sql_contains(struct db *db, struct arena *a, const char *col, int n, int first)
{
	return contains_all(a, BACKEND(db->engine, contains_fn), col, n, first);
}

/* Walks @sql, copying it into @out (when not NULL) with each $n outside quotes and
 * comments written ?n, and returns the highest n seen. */
static int
scan_placeholders(const char *sql, GString *out)
{
	const char *p = sql;
	int max = 0;

	while (*p) {
		char c = *p;
		const char *end = p + 1;
		if (c == '\'' || c == '"' || c == '`') {
			/* Quoted: through the closing quote; doubled quotes stay inside. */
			while (*end && !(*end == c && end[1] != c))
				end += (*end == c) ? 2 : 1;
			if (*end)
				end++;
		} else if (c == '-' && p[1] == '-') {
			end = strchr(p, '\n');
			end = end ? end : p + strlen(p);
		} else if (c == '/' && p[1] == '*') {
			end = strstr(p + 2, "*/");
			end = end ? end + 2 : p + strlen(p);
		} else if (c == '$' && g_ascii_isdigit(p[1])) {
			int n = (int)g_ascii_strtoll(p + 1, NULL, 10);
			max = n > max ? n : max;
			if (out)
				g_string_append_c(out, '?');
			p++;
			continue;
		}
		if (out)
			g_string_append_len(out, p, end - p);
		p = end;
	}
	return max;
}

char *
db_rewrite_placeholders(const char *sql)
{
	GString *out = g_string_sized_new(strlen(sql));
	scan_placeholders(sql, out);
	return g_string_free(out, FALSE);
}

int
db_placeholder_count(const char *sql)
{
	return scan_placeholders(sql, NULL);
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt *st = g_hash_table_lookup(db->cache, sql);
	if (st)
		return st;
	st = BACKEND(db->engine, prepare, db, sql);
	if (!st)
		return NULL;
	st->db = db;
	st->engine = db->engine;
	g_hash_table_insert(db->cache, g_strdup(sql), st);
	return st;
}

void
db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	BACKEND(st->engine, bind_text, st, idx, s);
}

void
db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	BACKEND(st->engine, bind_blob, st, idx, p, n);
}

void
db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	BACKEND(st->engine, bind_int64, st, idx, v);
}

void
db_bind_null(struct db_stmt *st, int idx)
{
	BACKEND(st->engine, bind_null, st, idx);
}

int
db_step(struct db_stmt *st)
{
	return BACKEND(st->engine, step, st);
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return BACKEND(st->engine, col_text, st, col);
}

char *
db_col_dup(struct db_stmt *st, struct arena *a, int col)
{
	return arena_strdup(a, db_col_text(st, col));
}

int64_t
db_col_int64(struct db_stmt *st, int col)
{
	return BACKEND(st->engine, col_int64, st, col);
}

bool
db_col_is_null(struct db_stmt *st, int col)
{
	return BACKEND(st->engine, col_is_null, st, col);
}

unsigned char *
db_col_blob_dup(struct db_stmt *st, struct arena *a, int col, size_t *len)
{
	return BACKEND(st->engine, col_blob_dup, st, a, col, len);
}

int
db_changes(struct db *db)
{
	return BACKEND(db->engine, changes, db);
}

void
db_finish(struct db_stmt *st)
{
	if (st)
		BACKEND(st->engine, finish, st);
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

int
db_read_begin(struct db *db)
{
	if (db->in_tx || db->in_read)
		return 0;
	int rc = BACKEND(db->engine, read_begin, db);
	db->in_read = rc == 1;
	return rc < 0 ? rc : 0;
}

void
db_read_end(struct db *db)
{
	if (!db->in_read)
		return;
	db->in_read = false;
	BACKEND(db->engine, read_end, db);
}

static int
tx_begin(struct db *db, bool global)
{
	db_read_end(db);
	int64_t t0 = g_get_monotonic_time();
	int rc = BACKEND(db->engine, tx_begin, db, global);
	metrics_observe(&stats.lock_wait, g_get_monotonic_time() - t0);
	db->in_tx = rc == 0;
	if (db->in_tx)
		atomic_fetch_add_explicit(&stats.transactions, 1, memory_order_relaxed);
	return rc;
}

int
db_tx_begin(struct db *db)
{
	return tx_begin(db, true);
}

int
db_tx_begin_rows(struct db *db)
{
	return tx_begin(db, false);
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
	int rc = BACKEND(db->engine, tx_commit, db);
	if (rc < 0 && BACKEND(db->engine, in_transaction, db))
		BACKEND(db->engine, tx_rollback, db);
	tx_ended(db);
	commit_hooks_end(db, rc == 0);
	return rc;
}

void
db_tx_rollback(struct db *db)
{
	if (BACKEND(db->engine, in_transaction, db))
		BACKEND(db->engine, tx_rollback, db);
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
		       "Connexions à la base ouvertes : une par fil d'exécution qui a utilisé la "
		       "base (pas de pool).");
	metrics_sample(out, "cej_db_connections", NULL, 0,
		       atomic_load_explicit(&stats.connections, memory_order_relaxed));
	metrics_family(out, "cej_db_write_transactions", "gauge",
		       "Transactions d'écriture ouvertes (une seule progresse à la fois : SQLite, "
		       "ou le verrou consultatif de PostgreSQL).");
	metrics_sample(out, "cej_db_write_transactions", NULL, 0,
		       atomic_load_explicit(&stats.transactions, memory_order_relaxed));
	metrics_family(out, "cej_db_write_lock_wait_seconds", "histogram",
		       "Attente du verrou d'écriture au début d'une transaction (BEGIN IMMEDIATE, "
		       "pg_advisory_xact_lock).");
	metrics_histogram(out, "cej_db_write_lock_wait_seconds", NULL, 0, &stats.lock_wait);
	metrics_family(out, "cej_db_busy_total", "counter",
		       "Requêtes abandonnées faute d'obtenir un verrou en 5 s (SQLITE_BUSY, "
		       "lock_timeout de PostgreSQL).");
	metrics_sample(out, "cej_db_busy_total", NULL, 0,
		       (int64_t)atomic_load_explicit(&stats.busy, memory_order_relaxed));
}
