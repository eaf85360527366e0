/* db_backend.h — private to src/db: what db.c (engine-neutral) shares with its two
 * backends, sqlite.c and pg.c.
 *
 * db.c owns what does not depend on the engine: choosing the engine from the URL, the
 * per-thread connections, the statement cache (lookup before any backend call), the
 * transaction flags and the commit hooks, the db_run* helpers and the metrics. Each
 * public call that reaches the engine is one `if` on the engine and one direct call to
 * sqlite_*() or pg_*() — no function pointer, nothing allocated: the SQLite path is the
 * hot one (bench/instructions.sh).
 *
 * A backend's connection and statement structs begin with struct db and struct db_stmt
 * (their first member), so db.c reads the common part and the backend casts down. */
#ifndef CEJ_DB_BACKEND_H
#define CEJ_DB_BACKEND_H

#include "db/db.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct db {
	enum db_engine engine;
	bool in_tx;         /* db_tx_begin() succeeded and no commit or rollback since */
	bool in_read;       /* a db_read_begin() snapshot is open (SQLite only) */
	GHashTable *cache;  /* sql text -> the backend's statement (db.c looks it up) */
	GArray *on_commit;  /* struct commit_hook, run after the next COMMIT */
};

struct db_stmt {
	struct db *db;
	enum db_engine engine;  /* a copy of db->engine: one load on the hot path */
};

/* A call gave up on a lock held too long by another connection (SQLite's busy_timeout,
 * PostgreSQL's lock_timeout): counted in cej_db_busy_total. */
void db_note_busy(void);
/* The highest $n placeholder of @sql outside string literals, quoted identifiers and
 * comments (0 when none): how many parameters PostgreSQL must be told about. */
int db_placeholder_count(const char *sql);

/* Each backend: open returns a connection whose common part is zeroed but for engine
 * (db.c sets up the cache), or NULL (logged). */
#define DB_BACKEND_DECLARE(p)                                                              \
	struct db *p##_open(const char *target);                                          \
	void p##_close(struct db *db);                                                    \
	void p##_stmt_free(gpointer st);                                                  \
	struct db_stmt *p##_prepare(struct db *db, const char *sql);                      \
	int p##_exec(struct db *db, const char *sql);                                     \
	void p##_bind_text(struct db_stmt *st, int idx, const char *s);                   \
	void p##_bind_int64(struct db_stmt *st, int idx, int64_t v);                      \
	void p##_bind_null(struct db_stmt *st, int idx);                                  \
	void p##_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n);         \
	int p##_step(struct db_stmt *st);                                                 \
	const char *p##_col_text(struct db_stmt *st, int col);                            \
	int64_t p##_col_int64(struct db_stmt *st, int col);                               \
	bool p##_col_is_null(struct db_stmt *st, int col);                                \
	unsigned char *p##_col_blob_dup(struct db_stmt *st, struct arena *a, int col,     \
					size_t *len);                                     \
	void p##_finish(struct db_stmt *st);                                              \
	int p##_changes(struct db *db);                                                   \
	/* Resets the statements left stepping, logging each; returns how many. */       \
	int p##_release_stmts(struct db *db);                                             \
	/* True when the server has a transaction open on @db (ours or a raw BEGIN). */    \
	bool p##_in_transaction(struct db *db);                                           \
	/* Opens the write transaction (@global: db_tx_begin's one-writer guarantee; else \
	 * db_tx_begin_rows'); on failure nothing is left open. */                        \
	int p##_tx_begin(struct db *db, bool global);                                     \
	int p##_tx_commit(struct db *db);                                                 \
	void p##_tx_rollback(struct db *db);  /* only when one is open */                 \
	/* 1 when a snapshot was opened, 0 when there is nothing to do, or -ERR_DB. */     \
	int p##_read_begin(struct db *db);                                                \
	void p##_read_end(struct db *db);                                                 \
	const char *p##_contains_fn(void);  /* instr / strpos */

DB_BACKEND_DECLARE(sqlite)
DB_BACKEND_DECLARE(pg)

#endif
