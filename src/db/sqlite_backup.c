/* sqlite_backup.c — backups of a live SQLite database with the online backup API, and the
 * checks a restore needs (backup.h). Self-contained: its own sqlite3 handles, from paths. */
#include "db/backup.h"

#include "base/err.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PAGES_PER_STEP 256
#define DEFAULT_SLEEP_MS 2
/* How long the source waits on a lock held by a writer (as the server's connections do). */
#define SOURCE_BUSY_TIMEOUT_MS 5000

/* Sets @err to a French message and returns -@code. */
static int G_GNUC_PRINTF(3, 4)
fail(GError **err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	gchar *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (err && !*err)
		*err = g_error_new_literal(g_quark_from_static_string("cej-backup"), code, msg);
	g_free(msg);
	return -code;
}

static int64_t
now_ms(void)
{
	return g_get_real_time() / 1000;
}

/* A read-only handle on a database file nobody writes (a backup, our finished copy):
 * "immutable" takes no lock and creates no -wal nor -shm beside the file. */
static sqlite3 *
open_immutable(const char *path)
{
	gchar *esc = g_uri_escape_string(path, "/", TRUE);
	gchar *uri = g_strdup_printf("file:%s?immutable=1", esc);
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		h = NULL;
	}
	g_free(uri);
	g_free(esc);
	return h;
}

/* Column 0 of the first row of @sql as text into @buf ("" when no row). SQLite's code. */
static int
query_text(sqlite3 *h, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	buf[0] = '\0';
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(st, 0);
			g_strlcpy(buf, t ? (const char *)t : "", size);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int
db_backup_check(const char *path, int *tables, GError **err)
{
	char buf[512], n[32];
	int rc = 0;
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return fail(err, ERR_NOTFOUND, "%s n'existe pas.", path);
	sqlite3 *h = open_immutable(path);
	if (!h)
		return fail(err, ERR_NOTFOUND, "%s ne s'ouvre pas comme une base SQLite.", path);
	if (query_text(h, "PRAGMA integrity_check", buf, sizeof(buf)) != SQLITE_OK) {
		rc = fail(err, ERR_DB, "%s n'est pas une base SQLite lisible : %s.", path, sqlite3_errmsg(h));
		goto out;
	}
	if (strcmp(buf, "ok") != 0) {
		rc = fail(err, ERR_DB, "%s est endommagée (PRAGMA integrity_check : %s).", path, buf);
		goto out;
	}
	if (tables) {
		query_text(h, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
			      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", n, sizeof(n));
		*tables = atoi(n);
	}
out:
	sqlite3_close(h);
	return rc;
}

bool
db_backup_in_use(const char *path)
{
	sqlite3 *h = NULL;
	char buf[32];
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return false;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return false;
	}
	/* In exclusive locking mode the first read takes an EXCLUSIVE lock on the file (a WAL
	 * database is then read without shared memory), which fails at once while any other
	 * connection holds its shared lock. No wait: busy_timeout stays 0. */
	int rc = query_text(h, "PRAGMA locking_mode=EXCLUSIVE", buf, sizeof(buf));
	if (rc == SQLITE_OK)
		rc = query_text(h, "SELECT count(*) FROM sqlite_schema", buf, sizeof(buf));
	sqlite3_close(h);
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

/* Creates @path empty and owner-only, removing what a crashed run left under that name
 * (and its journals): the copy is ours, never someone else's file. */
static int
create_private(const char *path, GError **err)
{
	static const char *const suffix[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < G_N_ELEMENTS(suffix); i++) {
		gchar *p = g_strconcat(path, suffix[i], NULL);
		if (unlink(p) != 0 && errno != ENOENT) {
			int e = errno;
			g_free(p);
			return fail(err, ERR_IO, "impossible de supprimer %s%s : %s.", path, suffix[i],
				    g_strerror(e));
		}
		g_free(p);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(err, ERR_IO, "impossible de créer %s : %s.", path, g_strerror(errno));
	close(fd);
	return 0;
}

/* fsync of a file or a directory (after a rename, so that the new name survives a crash). */
static int
sync_path(const char *path, GError **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return fail(err, ERR_IO, "impossible d'écrire %s sur le disque : %s.", path, g_strerror(e));
	}
	close(fd);
	return 0;
}

/* Opens the live database at @path for reading by the backup: it must exist (never
 * created), and waits on writers as the server's connections do. */
static int
open_source(const char *path, sqlite3 **out, bool *wal, GError **err)
{
	char mode[32];
	sqlite3 *h = NULL;
	*out = NULL;
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return fail(err, ERR_NOTFOUND, "la base de données %s n'existe pas.", path);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    (sqlite3_busy_timeout(h, SOURCE_BUSY_TIMEOUT_MS),
	     query_text(h, "PRAGMA journal_mode", mode, sizeof(mode)) != SQLITE_OK)) {
		int rc = fail(err, ERR_DB, "la base de données %s ne s'ouvre pas : %s.", path,
			      h ? sqlite3_errmsg(h) : "mémoire");
		sqlite3_close(h);
		return rc;
	}
	*wal = g_ascii_strcasecmp(mode, "wal") == 0;
	*out = h;
	return 0;
}

/* Steps @b to the end, counting restarts (a pass that made no progress on an OK step began
 * again from page 1). A lock the source could not get within its busy_timeout is tried
 * again, DB_BACKUP_MAX_RESTARTS times in a row at most. */
static int
copy_pages(sqlite3_backup *b, const struct db_backup_options *opt, struct db_backup_report *r,
	   GError **err)
{
	int pages = opt->pages_per_step > 0 ? opt->pages_per_step : DEFAULT_PAGES_PER_STEP;
	int pause = opt->sleep_ms == 0 ? DEFAULT_SLEEP_MS : opt->sleep_ms;
	int copied = 0, busy = 0;
	for (;;) {
		int rc = sqlite3_backup_step(b, pages);
		int total = sqlite3_backup_pagecount(b);
		int now_copied = total - sqlite3_backup_remaining(b);
		r->steps++;
		if (rc == SQLITE_DONE) {
			r->pages = total;
			return 0;
		}
		if (rc == SQLITE_OK && now_copied <= copied && ++r->restarts > DB_BACKUP_MAX_RESTARTS)
			return fail(err, ERR_DB, "la base change trop vite pour être copiée (%d reprises) : "
				    "réessayez à un moment plus calme.", DB_BACKUP_MAX_RESTARTS);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			return fail(err, ERR_DB, "copie interrompue : %s.", sqlite3_errstr(rc));
		busy = rc == SQLITE_OK ? 0 : busy + 1;
		if (busy > DB_BACKUP_MAX_RESTARTS)
			return fail(err, ERR_DB, "la base reste verrouillée par un autre processus : %s.",
				    sqlite3_errstr(rc));
		if (rc == SQLITE_OK)
			copied = now_copied;
		if (opt->after_step)
			opt->after_step(opt->after_step_ud, sqlite3_backup_remaining(b), total);
		if (pause > 0)
			g_usleep((gulong)pause * 1000);
	}
}

/* Copies @src_h into the empty file @tmp. On WAL the source pins one read snapshot first
 * (backup.h); r->snapshot_ms is the instant the copy shows. */
static int
copy_into(sqlite3 *src_h, bool wal, const char *tmp, const struct db_backup_options *opt,
	  struct db_backup_report *r, GError **err)
{
	char n[32];
	sqlite3 *dst = NULL;
	sqlite3_backup *b = NULL;
	int rc = 0;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = fail(err, ERR_IO, "impossible d'ouvrir %s : %s.", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	if (wal && (sqlite3_exec(src_h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
		    query_text(src_h, "SELECT count(*) FROM sqlite_schema", n, sizeof(n)) != SQLITE_OK)) {
		rc = fail(err, ERR_DB, "lecture de la base impossible : %s.", sqlite3_errmsg(src_h));
		goto out;
	}
	r->pinned = wal;
	r->snapshot_ms = now_ms();
	if (!(b = sqlite3_backup_init(dst, "main", src_h, "main"))) {
		rc = fail(err, ERR_DB, "copie impossible : %s.", sqlite3_errmsg(dst));
		goto out;
	}
	rc = copy_pages(b, opt, r, err);
	if (!wal)
		r->snapshot_ms = now_ms();
out:
	if (b && sqlite3_backup_finish(b) != SQLITE_OK && rc == 0)
		rc = fail(err, ERR_DB, "copie impossible : %s.", sqlite3_errmsg(dst));
	if (wal)
		sqlite3_exec(src_h, "COMMIT", NULL, NULL, NULL);  /* ends the read snapshot */
	if (dst && sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = fail(err, ERR_IO, "impossible de fermer %s.", tmp);
	return rc;
}

/* Refuses @dest when it is the live database itself (or its WAL): --ecraser on the wrong
 * name must not replace the database it copies. */
static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Gives @tmp the name @dest: atomically, and without replacing an existing @dest unless
 * @overwrite (RENAME_NOREPLACE closes the window between the first check and now). */
static int
publish(const char *tmp, const char *dest, bool overwrite, GError **err)
{
	int rc = overwrite ? rename(tmp, dest) : renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE);
	if (rc != 0 && errno == EEXIST)
		return fail(err, ERR_CONFLICT, "%s existe déjà (--ecraser pour le remplacer).", dest);
	if (rc != 0)
		return fail(err, ERR_IO, "impossible de renommer %s en %s : %s.", tmp, dest, g_strerror(errno));
	gchar *dir = g_path_get_dirname(dest);
	rc = sync_path(dir, err);
	g_free(dir);
	return rc;
}

static int
check_dest(const char *src, const char *dest, bool overwrite, GError **err)
{
	gchar *wal = g_strconcat(src, "-wal", NULL);
	bool self = same_file(src, dest) || same_file(wal, dest);
	g_free(wal);
	if (self)
		return fail(err, ERR_CONFLICT, "%s est la base de données elle-même : choisissez un "
			    "autre fichier.", dest);
	if (g_file_test(dest, G_FILE_TEST_IS_DIR))
		return fail(err, ERR_CONFLICT, "%s est un dossier : donnez le nom du fichier à écrire.", dest);
	if (!overwrite && g_file_test(dest, G_FILE_TEST_EXISTS))
		return fail(err, ERR_CONFLICT, "%s existe déjà (--ecraser pour le remplacer).", dest);
	gchar *dir = g_path_get_dirname(dest);
	int rc = g_mkdir_with_parents(dir, 0700) == 0 ? 0
		: fail(err, ERR_IO, "impossible de créer le dossier %s : %s.", dir, g_strerror(errno));
	g_free(dir);
	return rc;
}

int
db_backup_sqlite(const char *src, const char *dest, const struct db_backup_options *opt,
		 struct db_backup_report *out, GError **err)
{
	static const struct db_backup_options defaults = {0};
	struct db_backup_report r = {0};
	int64_t t0 = g_get_monotonic_time();
	gchar *tmp = g_strconcat(dest, ".tmp", NULL);
	sqlite3 *src_h = NULL;
	bool wal = false, made_tmp = false;
	struct stat st;
	int rc;

	if (!opt)
		opt = &defaults;
	if ((rc = open_source(src, &src_h, &wal, err)) || (rc = check_dest(src, dest, opt->overwrite, err)))
		goto out;
	if ((rc = create_private(tmp, err)))
		goto out;
	made_tmp = true;
	int64_t t1 = g_get_monotonic_time();
	if ((rc = copy_into(src_h, wal, tmp, opt, &r, err)))
		goto out;
	sqlite3_close(src_h);
	src_h = NULL;
	int64_t t2 = g_get_monotonic_time();
	r.copy_ms = (t2 - t1) / 1000;
	if ((rc = db_backup_check(tmp, &r.tables, err)))
		goto out;
	r.check_ms = (g_get_monotonic_time() - t2) / 1000;
	if ((rc = sync_path(tmp, err)))
		goto out;
	if (stat(tmp, &st) == 0)
		r.bytes = st.st_size;
	if ((rc = publish(tmp, dest, opt->overwrite, err)))
		goto out;
	made_tmp = false;
	r.duration_ms = (g_get_monotonic_time() - t0) / 1000;
	if (out)
		*out = r;
out:
	sqlite3_close(src_h);
	if (made_tmp) {
		unlink(tmp);
		gchar *j = g_strconcat(tmp, "-journal", NULL);
		unlink(j);
		g_free(j);
	}
	g_free(tmp);
	return rc;
}
