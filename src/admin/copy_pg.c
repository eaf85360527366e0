/* copy_pg.c — `cej admin copier-vers-postgres SQLITE_FILE POSTGRES_URL` (issue 14 point 5):
 * a Mission Locale whose region joins a PostgreSQL instance moves its whole SQLite
 * database into an empty PostgreSQL one.
 *
 * The order of things, and why:
 *   1. the SQLite file must exist and be at the binary's schema version (every embedded
 *      migration applied): the copy is column for column between two schemas of the same
 *      version — `cej migrate` first, on the file, otherwise;
 *   2. the PostgreSQL database must be empty: no table, or only cej's schema with no row
 *      (a copy that failed leaves that, and can be run again) — nothing merged, nothing
 *      overwritten; it is then migrated by the PostgreSQL twins of the same migrations;
 *   3. one PostgreSQL transaction copies every table, parents first, with the user
 *      triggers off (the counters, summaries and search grams arrive as SQLite kept them);
 *      rows in rowid order so PostgreSQL's identity "rowid" keeps SQLite's order;
 *   4. before COMMIT, every table's row count is compared: one difference and nothing is
 *      kept. The source is only read (the server may run; a consistent copy needs it
 *      stopped, or a backup — docs/postgres.md);
 *   5. after COMMIT, ANALYZE: the planner has no statistics on a base filled in one go
 *      (at national size, Pilotage and the search wait for autovacuum otherwise).
 * The message key file is not in the database: the PostgreSQL nodes need the same file. */
#include "admin/admin.h"
#include "admin/copy_pg_store.h"

#include "base/arena.h"
#include "base/embed.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define CMD "cej admin copier-vers-postgres"

/* The names of the @n embedded migrations, as copy_store_migrations() writes them. */
static char *
expected_migrations(const struct embed_file *files, size_t n)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(s, "%s%s", i ? " " : "", files[i].name);
	return g_string_free(s, false);
}

/* Step 1: the source, read-only in spirit (db.h opens it read-write; nothing writes). */
static struct db *
open_source(const char *path, struct arena *a)
{
	if (db_url_engine(path) != DB_SQLITE || !g_file_test(db_url_sqlite_path(path), G_FILE_TEST_IS_REGULAR)) {
		fprintf(stderr, CMD " : %s n'est pas un fichier SQLite existant.\n", path);
		return NULL;
	}
	struct db *src = db_open(path);
	const char *have = NULL;
	char *want = expected_migrations(embed_migrations, embed_migrations_count);
	if (src && copy_store_migrations(src, a, &have) == 0 && strcmp(have, want) == 0) {
		g_free(want);
		return src;
	}
	fprintf(stderr, CMD " : la base SQLite %s n'est pas à la version de ce cej. Mettez-la à "
			"jour d'abord : CEJ_DATABASE_URL=%s cej migrate\n", path, path);
	g_free(want);
	db_close(src);
	return NULL;
}

/* Step 2: the target, empty, then migrated. */
static struct db *
open_target(const char *url)
{
	char *shown = db_url_redacted(url);
	struct db *dst = db_url_engine(url) == DB_POSTGRES ? db_open(url) : NULL;
	bool fresh = false;
	if (!dst)
		fprintf(stderr, CMD " : base PostgreSQL injoignable : %s\n", shown);
	else if (copy_store_pg_fresh(dst, &fresh) || !fresh)
		fprintf(stderr, CMD " : la base PostgreSQL %s n'est pas vide : la copie se fait dans "
				"une base neuve (createdb), jamais par-dessus des données.\n", shown);
	else if (db_migrate_engine(dst, embed_migrations, embed_migrations_count, embed_pg_migrations,
				   embed_pg_migrations_count))
		fprintf(stderr, CMD " : migrations PostgreSQL impossibles sur %s\n", shown);
	else {
		g_free(shown);
		return dst;
	}
	g_free(shown);
	db_close(dst);
	return NULL;
}

/* The columns of @table on PostgreSQL, each present on SQLite too. */
static int
columns(struct db *src, struct db *dst, struct arena *a, const char *table,
	struct copy_column **cols, int *n)
{
	int rc = copy_store_pg_columns(dst, a, table, cols, n);
	if (rc) {
		fprintf(stderr, CMD " : la table %s manque dans le schéma PostgreSQL.\n", table);
		return rc;
	}
	for (int c = 0; c < *n; c++) {
		bool has = false;
		if ((rc = copy_store_sqlite_has(src, table, (*cols)[c].name, &has)))
			return rc;
		if (!has) {
			fprintf(stderr, CMD " : la colonne %s.%s manque dans la base SQLite.\n", table,
				(*cols)[c].name);
			return -ERR_INVAL;
		}
	}
	return 0;
}

/* Step 3 for one table: its rows, triggers off. */
static int
copy_table(struct db *src, struct db *dst, struct arena *a, const char *table, int64_t *rows)
{
	struct copy_column *cols;
	int n, rc = columns(src, dst, a, table, &cols, &n);
	if (!rc && copy_store_count(dst, table) != 0) {
		fprintf(stderr, CMD " : la table %s a déjà des lignes dans PostgreSQL : la copie se "
				"fait dans une base neuve.\n", table);
		rc = -ERR_CONFLICT;
	}
	if (!rc)
		rc = copy_store_triggers(dst, table, false);
	if (!rc)
		rc = copy_store_rows(src, dst, table, cols, n, rows);
	if (!rc)
		rc = copy_store_triggers(dst, table, true);
	return rc;
}

/* Step 4: each table's count, printed; false on the first difference. */
static bool
counts_match(struct db *src, struct db *dst, const char *const *tables, int n)
{
	bool ok = true;
	for (int i = 0; i < n; i++) {
		int64_t s = copy_store_count(src, tables[i]), d = copy_store_count(dst, tables[i]);
		printf("  %-32s %10" PRId64 " lignes  %s\n", tables[i], s,
		       s == d && s >= 0 ? "identique" : "DIFFÉRENT");
		if (s != d || s < 0) {
			fprintf(stderr, CMD " : %s : %" PRId64 " lignes dans SQLite, %" PRId64
					" dans PostgreSQL.\n", tables[i], s, d);
			ok = false;
		}
	}
	return ok;
}

int
admin_copy_to_postgres(const char *sqlite_path, const char *postgres_url)
{
	struct arena *a = arena_new();
	struct db *src = open_source(sqlite_path, a), *dst = src ? open_target(postgres_url) : NULL;
	const char **tables = NULL;
	int n = 0, rc = !src || !dst ? -ERR_INVAL : copy_store_tables(src, a, &tables, &n);
	gint64 t0 = g_get_monotonic_time();
	int64_t total = 0;

	if (!rc)
		rc = db_tx_begin(dst);
	for (int i = 0; !rc && i < n; i++) {
		int64_t rows = 0;
		rc = copy_table(src, dst, a, tables[i], &rows);
		total += rows;
		if (rc)
			fprintf(stderr, CMD " : échec de la copie de la table %s.\n", tables[i]);
	}
	if (!rc && !counts_match(src, dst, tables, n))
		rc = -ERR_DB;
	if (dst) {
		if (!rc)
			rc = db_tx_commit(dst);
		else
			db_tx_rollback(dst);
	}
	if (!rc && copy_store_analyze(dst))   /* the rows are kept: only a warning */
		fprintf(stderr, CMD " : ANALYZE a échoué ; lancez-le avant de servir (psql : ANALYZE).\n");
	if (!rc)
		printf("Copie terminée : %d tables, %" PRId64 " lignes en %.1f s. La clé des messages "
		       "n'est pas dans la base : donnez le même fichier (message_key_file) aux nœuds "
		       "PostgreSQL.\n", n, total, (double)(g_get_monotonic_time() - t0) / 1e6);
	else if (dst)
		fprintf(stderr, CMD " : aucune ligne n'a été gardée dans PostgreSQL (transaction "
				"annulée) ; la commande peut être relancée.\n");
	db_close(dst);
	db_close(src);
	arena_free(a);
	return rc;
}
