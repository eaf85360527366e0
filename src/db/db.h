/* db.h — the only way to SQL (DESIGN §5), on SQLite or PostgreSQL.
 *
 * The engine is chosen by the URL given to db_open() (database_url, docs/configuration.md);
 * a store writes its SQL once, with $1…$n placeholders, for both (docs/architecture.md
 * "Two engines"); the rare statement that differs asks db_engine().
 *
 * One struct db is one connection, used by one thread at a time (the server keeps one per
 * thread). Statements are written once with $1…$n placeholders and cached per connection:
 * db_prepare() returns a reset statement owned by the connection; db_finish() resets it for
 * the next use (never frees). Text read with db_col_text() is valid until the next
 * db_step()/db_finish() on that statement: copy it (db_col_dup) into an arena to keep it.
 * Write transactions start with db_tx_begin(): one writer at a time on either engine
 * (BEGIN IMMEDIATE on SQLite, so two writers never deadlock on lock upgrade; on
 * PostgreSQL BEGIN and one advisory lock shared by every node, see db_tx_begin()). */
#ifndef CEJ_DB_H
#define CEJ_DB_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct db_stmt;

enum { DB_DONE = 0, DB_ROW = 1 };

enum db_engine { DB_SQLITE, DB_POSTGRES };

/* The engine of @url: DB_POSTGRES for "postgres://…" or "postgresql://…", DB_SQLITE for
 * anything else ("sqlite:PATH" or a plain file path). */
enum db_engine db_url_engine(const char *url);
/* The SQLite file @url names (after "sqlite:", or @url itself); NULL for PostgreSQL. For
 * what works on the file itself: backups, restores. */
const char *db_url_sqlite_path(const char *url);

/* Opens a connection to @url (database_url): a file path or "sqlite:PATH" opens (creating
 * if needed) that SQLite database — one it creates is owner-only: its directory 0700 when
 * missing, the file and its -wal and -shm 0600; "postgres://…" or "postgresql://…"
 * connects to PostgreSQL with libpq (the URL's own parameters apply; client encoding
 * UTF-8, lock_timeout 5 s like SQLite's busy_timeout). NULL on failure (logged). */
struct db *db_open(const char *url);
void db_close(struct db *db);
/* This thread's connection to @url, opened on first use and closed when the thread
 * exits (the server's one-connection-per-thread rule). NULL if it cannot be opened. */
struct db *db_thread(const char *url);
/* @url fit for a log or a message: a PostgreSQL URL's password replaced by "***"
 * (g_free). */
char *db_url_redacted(const char *url);
/* The engine behind @db: for the rare statement written differently per engine. */
enum db_engine db_engine(const struct db *db);

/* True when the connection answers a trivial query (health checks). */
bool db_ping(struct db *db);
/* Called when a request or a job is over: ends a read snapshot (db_read_begin), then
 * resets every statement of @db still stepping and rolls back a transaction left open,
 * logging each. A cached statement left on a row
 * keeps its read transaction, and the connection — reused by the next requests of its
 * thread — would read that old snapshot forever (WAL; on PostgreSQL it only holds its
 * result's memory). Returns how many it found. */
int db_release(struct db *db);

/* Appends the database's families to @out, in the Prometheus text format (base/metrics.h):
 * connections open in the process (one per thread, db_thread: there is no pool), write
 * transactions open, how long db_tx_begin() waited for the write lock, and calls that
 * gave up on a lock held too long by another connection. The same families on both
 * engines (a process uses one). Process-wide; lock-free. */
void db_metrics(GString *out);

/* Runs @sql (several statements, no parameters). 0 or -ERR_DB. On PostgreSQL, when the
 * connection was lost it is reset and, outside a transaction, @sql is tried once more. */
int db_exec(struct db *db, const char *sql);
/* Runs the @n statements of @sql in order, each with $1 bound to @param, stopping at the
 * first failure (a purge's deletes, children first). 0, or that statement's error. */
int db_run_each(struct db *db, const char *const *sql, size_t n, const char *param);

/* Cached prepared statement for @sql; NULL on error (logged). On PostgreSQL the
 * statement is prepared on the server at its first db_step(), when the types of the
 * binds are known: int64 → int8, blob → bytea, text and NULL → left for the server to
 * infer from the context. Bound later with other types (a NULL matches any), it is
 * prepared again under a new name: a statement bound one way every time is prepared once
 * per connection. A connection reset (server restart) prepares them all again. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
void db_bind_text(struct db_stmt *st, int idx, const char *s);   /* NULL binds NULL */
void db_bind_int64(struct db_stmt *st, int idx, int64_t v);
void db_bind_null(struct db_stmt *st, int idx);
/* Binds @n bytes at @p as a BLOB (copied; NULL @p binds NULL). */
void db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n);
/* DB_ROW, DB_DONE, or -ERR_DB / -ERR_CONFLICT (unique constraint; SQLSTATE 23505 on
 * PostgreSQL). On PostgreSQL the first step runs the statement and fetches every row
 * (the next steps only move along them); a connection lost is reset and, outside a
 * transaction, the statement runs once more; inside one the error is returned (the use
 * case rolls back). Caution on PostgreSQL: any error inside a transaction aborts it —
 * the statements that follow fail until the rollback (SQLite carries on after a
 * constraint error). */
int db_step(struct db_stmt *st);
const char *db_col_text(struct db_stmt *st, int col);            /* NULL for SQL NULL */
char *db_col_dup(struct db_stmt *st, struct arena *a, int col);  /* arena copy, NULL for NULL */
/* The column as an integer; 0 for NULL. On PostgreSQL a boolean reads 1 or 0. */
int64_t db_col_int64(struct db_stmt *st, int col);
bool db_col_is_null(struct db_stmt *st, int col);
/* Arena copy of BLOB column @col and its size in *@len; NULL (and 0) for SQL NULL. */
unsigned char *db_col_blob_dup(struct db_stmt *st, struct arena *a, int col, size_t *len);
/* Steps @st once and finishes it: 0 (done, or a row that is not wanted), or the step's
 * negative error (-ERR_DB for a NULL @st, a failed prepare). For INSERT/UPDATE/DELETE. */
int db_run(struct db_stmt *st);
/* Column 0 of the first row as an integer (0 when no row), or a negative error; finishes
 * @st. For counts. */
int64_t db_run_int(struct db_stmt *st);
/* Steps @st once and copies the first row's first @n columns, as text, into the @n
 * `const char **` that follow (arena strings; NULL for SQL NULL); finishes @st. 0,
 * -ERR_NOTFOUND when there is no row, or a negative error. For lookups of one row. */
int db_run_texts(struct db_stmt *st, struct arena *a, int n, ...);
/* Rows changed by the last INSERT, UPDATE or DELETE on @db. */
int db_changes(struct db *db);
void db_finish(struct db_stmt *st);  /* NULL is fine */

/* Read snapshot (SQLite; a no-op on PostgreSQL, where every statement outside a
 * transaction reads what is committed when it starts — a snapshot there would cost two
 * round trips per request and would have to tell reads from writes).
 * On SQLite the reads that follow db_read_begin() share one snapshot and take
 * SQLite's locks once (each statement in autocommit takes and drops them: a page's five
 * or six queries paid that, and the two server threads contended on the locks' mutex).
 * It holds until db_read_end(), db_tx_begin() or the first statement that writes: a write
 * ends it first and runs in autocommit or its own write transaction, never upgrading the
 * snapshot (a deferred transaction that turns into a writer can fail on SQLite with
 * SQLITE_BUSY_SNAPSHOT, without waiting). No-op inside a transaction. Hold it for the
 * length of a request, not across waits on the network: a reader keeps WAL checkpoints
 * from reaching the end of the log. 0 or -ERR_DB. */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);     /* safe when none is open */

/* Write transaction: what BEGIN IMMEDIATE gives on SQLite, one writer at a time, so the
 * use cases that read, check and write (limits, "at most one open…", counters) stay
 * correct. On PostgreSQL: BEGIN (READ COMMITTED) then pg_advisory_xact_lock() on one
 * constant key, released by COMMIT or ROLLBACK: write transactions are serialised across
 * every node sharing the database, as SQLite's single writer serialises them in one
 * process; reads never wait for it. Relaxing it per use case (SELECT … FOR UPDATE,
 * unique constraints) is the next step (docs/architecture.md "Two engines"). Waits up to
 * 5 s for the lock (busy_timeout, lock_timeout), then -ERR_DB. */
int db_tx_begin(struct db *db);
/* A write transaction that keeps its guarantee with row locks instead (its statements
 * lock what they change: the job claim's SELECT … FOR UPDATE SKIP LOCKED and re-check),
 * so that on PostgreSQL it neither waits for nor holds up the one-writer lock of
 * db_tx_begin: the nodes' job runners poll often. Plain BEGIN on PostgreSQL; the same
 * BEGIN IMMEDIATE on SQLite (one writer at a time there anyway). */
int db_tx_begin_rows(struct db *db);
int db_tx_commit(struct db *db);
void db_tx_rollback(struct db *db);  /* safe when no transaction is open */
/* Ends the write transaction begun for a step whose outcome is @rc: commits when @rc is
 * 0, else rolls back. Returns @rc, or the commit's error. */
int db_tx_end(struct db *db, int rc);

/* Queues @fn(@ud) to run once the open write transaction of @db commits — hub publishes,
 * wake-ups of a background worker: what must never announce a change that a rollback
 * then undoes, nor happen before the change is visible to other connections. Callbacks
 * run in the order queued, on the committing thread, right after COMMIT succeeds; a
 * rollback (or db_release() finding the transaction open) drops them uncalled. Outside a
 * transaction @fn runs at once (the change, in autocommit, is already stored). @ud must
 * live until then: an arena string of the request or job is fine. */
typedef void (*db_commit_fn)(void *ud);
void db_tx_on_commit(struct db *db, db_commit_fn fn, void *ud);

/* " AND instr(@col, $k) > 0" (SQLite) or " AND strpos(@col, $k) > 0" (PostgreSQL) for @n
 * search tokens, numbered from $@first: the name-search rule (every token contained in
 * the folded name) as SQL text for @db's engine. Arena-owned. */
const char *db_sql_contains(struct db *db, struct arena *a, const char *col, int n, int first);

/* Rewrites $1…$n into SQLite's ?1…?n, leaving string literals, quoted identifiers and
 * comments alone. Returns a newly allocated string (g_free). Exposed for unit tests. */
char *db_rewrite_placeholders(const char *sql);

struct embed_file;
/* Applies those of the @n numbered migrations @files (sorted by name) not yet recorded in
 * schema_migration, each in its own transaction. 0 or -ERR_DB. */
int db_migrate(struct db *db, const struct embed_file *files, size_t n);
/* db_migrate() with the set of @db's engine: @sqlite (@ns files) or @pg (@np). */
int db_migrate_engine(struct db *db, const struct embed_file *sqlite, size_t ns,
		      const struct embed_file *pg, size_t np);

#endif
