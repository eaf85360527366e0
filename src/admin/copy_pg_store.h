/* copy_pg_store.h — the SQL of `cej admin copier-vers-postgres` (copy_pg.c): the catalogues
 * of both engines and the copy of one table's rows from a SQLite database into a
 * PostgreSQL one of the same schema version.
 *
 * Every function reads or writes through db.h; the two catalogues are the only
 * engine-specific SQL (sqlite_master and its pragmas on one side, information_schema and
 * pg_trigger on the other). */
#ifndef CEJ_COPY_PG_STORE_H
#define CEJ_COPY_PG_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* The tables of the SQLite database @src (not its own sqlite_* tables, not
 * schema_migration), parents before children (foreign keys followed; a table that refers
 * to itself is fine). *@n of them, arena-owned. 0 or a negative error. */
int copy_store_tables(struct db *src, struct arena *a, const char ***names, int *n);

/* The applied migrations of @db, sorted, as one arena string "0001_init.sql 0002_…". */
int copy_store_migrations(struct db *db, struct arena *a, const char **names);

/* True when the PostgreSQL database @dst holds no table, or only cej's schema
 * (schema_migration is there): a fresh database, or one a failed copy left migrated. The
 * copy then checks that each table it fills has no row. */
int copy_store_pg_fresh(struct db *dst, bool *fresh);

/* A column to copy: its name and whether its values travel as integers, text or bytes. */
enum copy_kind { COPY_INT, COPY_TEXT, COPY_BLOB };
struct copy_column {
	const char *name;
	enum copy_kind kind;
};
/* The columns of table @table on PostgreSQL that take values (identity and generated
 * columns — the compatibility "rowid" — are left to PostgreSQL), with their kinds.
 * 0, -ERR_NOTFOUND when the table is missing, or a negative error. */
int copy_store_pg_columns(struct db *dst, struct arena *a, const char *table,
			  struct copy_column **cols, int *n);
/* True when the SQLite table @table has column @col. */
int copy_store_sqlite_has(struct db *src, const char *table, const char *col, bool *has);

/* Turns the user triggers of @table off (or back on) for the copy: the rows arrive with
 * the values the triggers kept on SQLite (counters, summaries, search grams), and
 * firing the triggers again would count them twice. Inside the copy's transaction. */
int copy_store_triggers(struct db *dst, const char *table, bool enable);

/* Copies every row of @table from @src to @dst (@cols, @ncols), in SQLite's rowid order
 * when the table has one (so PostgreSQL's identity "rowid" follows it), by batches of
 * multi-row INSERTs. *@rows gets how many were copied. */
int copy_store_rows(struct db *src, struct db *dst, const char *table,
		    const struct copy_column *cols, int ncols, int64_t *rows);

/* ANALYZE on @dst after the copy: a database filled in one transaction has no planner
 * statistics yet, and until autovacuum gathers them PostgreSQL guesses every plan. */
int copy_store_analyze(struct db *dst);

/* count(*) of @table on @db. */
int64_t copy_store_count(struct db *db, const char *table);

#endif
