/* backup.h — a consistent copy of a live SQLite database, and putting one back in place
 * (`cej admin sauvegarde`, `cej admin restaurer`; docs/sauvegarde.md).
 *
 * Both work on file paths and open their own sqlite3 handles: they run in an operator
 * command beside a server that keeps its own connections, never through db.h's.
 *
 * The copy uses SQLite's online backup API a few hundred pages at a time, with a short
 * sleep between steps. On a WAL database (every cej database: db_open sets it) the source
 * connection holds one read transaction for the whole copy: the copy is the database as it
 * was when that snapshot began, writers keep committing meanwhile (WAL readers never block
 * them), and a write cannot restart the copy, so it ends under any write load. On a
 * database in another journal mode the steps read without a pinned snapshot, as the API
 * does by default: a write between two steps restarts the copy, and after
 * DB_BACKUP_MAX_RESTARTS restarts it gives up rather than loop forever.
 *
 * Errors come back as a negative err with @err set to a French message for the operator
 * (names the file, says what to do). */
#ifndef CEJ_DB_BACKUP_H
#define CEJ_DB_BACKUP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Without a pinned snapshot (not WAL), restarts tolerated before the copy gives up; also
 * steps in a row that found the source locked (each after its 5 s busy_timeout). */
#define DB_BACKUP_MAX_RESTARTS 50

struct db_backup_options {
	bool overwrite;      /* replace an existing @dest (otherwise -ERR_CONFLICT) */
	int pages_per_step;  /* pages copied per sqlite3_backup_step(); 0: 256 */
	int sleep_ms;        /* pause between steps; 0: 2 ms; negative: none */
	/* Tests only: called after each step (before the pause) with @ud; may be NULL. */
	void (*after_step)(void *ud, int remaining, int total);
	void *after_step_ud;
};

/* What a finished copy holds and what it cost. */
struct db_backup_report {
	int64_t bytes;        /* size of the copy */
	int tables;           /* tables of the schema (sqlite_ ones apart) */
	int64_t snapshot_ms;  /* the instant (Unix ms) the copy shows the database at */
	int64_t duration_ms;  /* from open to rename */
	int64_t copy_ms;      /* of which the pages' copy (sleeps included) */
	int64_t check_ms;     /* of which PRAGMA integrity_check on the copy */
	int pages;            /* pages copied in the last (complete) pass */
	int steps;            /* sqlite3_backup_step() calls, restarts included */
	int restarts;         /* passes begun again because the source changed */
	bool pinned;          /* one read snapshot held for the whole copy (WAL) */
};

/* Copies the SQLite database at @src (which must exist: it is never created, and its
 * content never changes) to @dest, as described above: written to "@dest.tmp" (removed
 * first if a crashed run left one; mode 0600; @dest's directory created 0700 when
 * missing), checked with PRAGMA integrity_check, synced, then renamed over @dest and the
 * directory synced — a crash leaves either no @dest or a whole, checked one. @dest may not
 * be @src itself (-ERR_CONFLICT). Fills @out (may be NULL).
 * Returns 0; -ERR_NOTFOUND (@src missing); -ERR_CONFLICT (@dest exists, no overwrite);
 * -ERR_IO (file system); -ERR_DB (SQLite, a failed integrity check, too many restarts).
 * On failure nothing is left under @dest nor "@dest.tmp". */
int db_backup_sqlite(const char *src, const char *dest, const struct db_backup_options *opt,
		     struct db_backup_report *out, GError **err);

/* Runs PRAGMA integrity_check on the SQLite database at @path (opened read-only): 0 when
 * it answers "ok", else -ERR_DB with @err holding its first complaint; -ERR_NOTFOUND when
 * @path is missing or not a database. Counts its tables into *@tables (may be NULL). */
int db_backup_check(const char *path, int *tables, GError **err);

/* True when another process has the SQLite database at @path open (a running server:
 * in WAL mode every connection holds a shared lock on the file for as long as it is
 * open). False when nobody does or @path does not exist. */
bool db_backup_in_use(const char *path);

#endif
