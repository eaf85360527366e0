/* migrate.c — numbered migrations embedded in the binary, applied in order, each in its
 * own transaction with its row in schema_migration. */
#include "db/db.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/embed.h"

#include <glib.h>
#include <string.h>

static bool
applied(struct db *db, const char *name)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM schema_migration WHERE name = $1");
	if (!st)
		return false;
	db_bind_text(st, 1, name);
	bool found = db_step(st) == DB_ROW;
	db_finish(st);
	return found;
}

static int
apply(struct db *db, const struct embed_file *f)
{
	gchar *sql = g_strndup((const char *)f->data, f->len);
	int rc = db_tx_begin(db);
	if (rc)
		goto out;
	rc = db_exec(db, sql);
	if (rc)
		goto out;
	struct db_stmt *st = db_prepare(db, "INSERT INTO schema_migration(name, applied_at) VALUES ($1, $2)");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, f->name);
	db_bind_int64(st, 2, clock_now_ms());
	rc = db_step(st) < 0 ? -ERR_DB : 0;
	db_finish(st);
	if (!rc)
		rc = db_tx_commit(db);
	if (!rc)
		log_info("migration %s applied", f->name);
out:
	if (rc)
		db_tx_rollback(db);
	g_free(sql);
	return rc;
}

int
db_migrate(struct db *db, const struct embed_file *files, size_t n)
{
	/* SQL both engines accept: applied_at is in milliseconds (64 bits). Databases made
	 * before PostgreSQL have it as a STRICT table with an INTEGER (64-bit on SQLite). */
	int rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migration ("
			     "name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
	/* The embed tool sorts files by name: 0001_…, 0002_… run in order. */
	for (size_t i = 0; !rc && i < n; i++)
		if (!applied(db, files[i].name))
			rc = apply(db, &files[i]);
	return rc;
}

int
db_migrate_engine(struct db *db, const struct embed_file *sqlite, size_t ns,
		  const struct embed_file *pg, size_t np)
{
	return db_engine(db) == DB_POSTGRES ? db_migrate(db, pg, np) : db_migrate(db, sqlite, ns);
}
