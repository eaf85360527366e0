/* backup.c — `cej admin sauvegarde FICHIER` and `cej admin restaurer FICHIER`: the operator's
 * side of db/backup.h (docs/sauvegarde.md). Neither migrates nor opens the database through
 * db.h: a backup must not write the database it copies, and a restore must not create one. */
#include "admin/admin.h"

#include "base/config.h"
#include "base/err.h"
#include "db/backup.h"
#include "db/db.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DOC "docs/sauvegarde.md"

/* database_url may name a PostgreSQL server (issue 14): its backups are pg_dump's. */

static int
refuse_postgres(const char *cmd)
{
	fprintf(stderr, "cej admin %s : la base de données est sur PostgreSQL ; cette commande ne "
			"sauvegarde et ne restaure que SQLite. Utilisez pg_dump -Fc pour sauvegarder et "
			"pg_restore pour restaurer (voir %s).\n", cmd, DOC);
	return 2;
}

/* "12,3 Mo" without the locale (main.c: numbers never go through it). Static buffer. */
static const char *
megabytes(int64_t bytes)
{
	static char buf[32];
	int64_t tenths = (bytes * 10 + 524288) / 1048576;
	snprintf(buf, sizeof(buf), "%" PRId64 ",%" PRId64 " Mo", tenths / 10, tenths % 10);
	return buf;
}

/* The instant @ms in local time, ISO 8601 with its offset; g_free. */
static gchar *
instant(int64_t ms)
{
	GDateTime *t = g_date_time_new_from_unix_local(ms / 1000);
	gchar *s = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
	g_date_time_unref(t);
	return s;
}

/* The one positional argument FICHIER after the options (@overwrite: --ecraser). */
static const char *
parse_file(int *argc, char ***argv, const char *name, const char *summary, gboolean *overwrite)
{
	GOptionEntry e[] = {
		{"ecraser", 0, 0, G_OPTION_ARG_NONE, overwrite, "remplace FICHIER s'il existe", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *o = g_option_context_new("FICHIER");
	GError *err = NULL;
	g_option_context_set_summary(o, summary);
	g_option_context_add_main_entries(o, overwrite ? e : e + 1, NULL);
	bool ok = g_option_context_parse(o, argc, argv, &err);
	g_option_context_free(o);
	if (!ok) {
		fprintf(stderr, "cej admin %s : %s\n", name, err->message);
		g_error_free(err);
		return NULL;
	}
	if (*argc != 2) {
		fprintf(stderr, "usage: cej admin %s%s FICHIER\n", name, overwrite ? " [--ecraser]" : "");
		return NULL;
	}
	return (*argv)[1];
}

static void
remind_keys(const struct config *cfg)
{
	gchar *keys = g_canonicalize_filename(cfg->message_key_file, NULL);
	printf("Attention : la clé des messages n'est PAS dans la sauvegarde. Sans elle, les "
	       "messages et les pièces jointes chiffrés de cette sauvegarde sont illisibles. "
	       "Sauvegardez aussi, à part et en lieu sûr, le fichier %s (réglage "
	       "message_key_file), après chaque « cej admin cle-messages nouvelle ».\n", keys);
	g_free(keys);
}

int
admin_backup_main(struct config *cfg, int argc, char **argv)
{
	gboolean overwrite = FALSE;
	GError *err = NULL;
	struct db_backup_report r;
	const char *dest = parse_file(&argc, &argv, "sauvegarde",
				      "Copie cohérente de la base SQLite, serveur en marche (" DOC ").",
				      &overwrite);
	if (!dest)
		return 2;
	const char *db_file = db_url_sqlite_path(cfg->database_url);
	if (!db_file)
		return refuse_postgres("sauvegarde");
	struct db_backup_options opt = {.overwrite = overwrite};
	int rc = db_backup_sqlite(db_file, dest, &opt, &r, &err);
	if (rc) {
		fprintf(stderr, "cej admin sauvegarde : %s\n", err->message);
		g_error_free(err);
		return rc == -ERR_CONFLICT || rc == -ERR_NOTFOUND ? 2 : 1;
	}
	gchar *at = instant(r.snapshot_ms);
	gchar *path = g_canonicalize_filename(dest, NULL);
	int64_t ms = r.duration_ms > 0 ? r.duration_ms : 1;
	printf("Sauvegarde écrite : %s\n", path);
	printf("  %s (%" PRId64 " octets), %d tables, intégrité vérifiée\n", megabytes(r.bytes), r.bytes,
	       r.tables);
	printf("  la base telle qu'elle était le %s\n", at);
	printf("  durée %" PRId64 " ms (%s/s) : copie %" PRId64 " ms (%d pages en %d étape(s), "
	       "%d reprise(s)), vérification %" PRId64 " ms\n", r.duration_ms,
	       megabytes(r.bytes * 1000 / ms), r.copy_ms, r.pages, r.steps, r.restarts, r.check_ms);
	remind_keys(cfg);
	g_free(path);
	g_free(at);
	return 0;
}

/* Renames @from to @to when @from exists (a -wal goes with its database: it may hold
 * committed transactions of a server that crashed). */
static int
move_if_present(const char *from, const char *to)
{
	if (rename(from, to) == 0 || errno == ENOENT)
		return 0;
	fprintf(stderr, "cej admin restaurer : impossible de renommer %s en %s : %s\n", from, to,
		g_strerror(errno));
	return -1;
}

/* Moves the database at @db (with its -wal; its -shm is only an index, removed) to
 * "@db.avant-restauration-<instant>"; returns that name (g_free), or NULL on failure. */
static gchar *
move_aside(const char *db)
{
	GDateTime *t = g_date_time_new_now_local();
	gchar *stamp = g_date_time_format(t, "%Y%m%dT%H%M%S");
	gchar *aside = g_strdup_printf("%s.avant-restauration-%s", db, stamp);
	gchar *wal = g_strconcat(db, "-wal", NULL), *aside_wal = g_strconcat(aside, "-wal", NULL);
	gchar *shm = g_strconcat(db, "-shm", NULL);
	g_date_time_unref(t);
	g_free(stamp);
	if (move_if_present(wal, aside_wal) || move_if_present(db, aside)) {
		g_free(aside);
		aside = NULL;
	} else {
		unlink(shm);
	}
	g_free(wal);
	g_free(aside_wal);
	g_free(shm);
	return aside;
}

/* After a failed restore: the old database (and its -wal) back under its name, as if
 * nothing happened (db_backup_sqlite left nothing there). */
static void
put_back(const char *aside, const char *db)
{
	if (!aside)
		return;
	gchar *wal = g_strconcat(db, "-wal", NULL), *aside_wal = g_strconcat(aside, "-wal", NULL);
	if (move_if_present(aside, db) == 0 && move_if_present(aside_wal, wal) == 0)
		fprintf(stderr, "cej admin restaurer : rien n'a changé, la base %s est remise en place.\n", db);
	else
		fprintf(stderr, "cej admin restaurer : l'ancienne base est restée sous %s.\n", aside);
	g_free(wal);
	g_free(aside_wal);
}

/* Refuses what would make the restore unsafe: a server still using the database, a
 * damaged backup. Returns the exit code, 0 to go on. */
static int
restore_checks(const char *db_file, const char *backup, int *tables)
{
	GError *err = NULL;
	if (db_backup_in_use(db_file)) {
		fprintf(stderr, "cej admin restaurer : la base %s est ouverte par un autre processus "
				"(le serveur tourne encore ?). Arrêtez le serveur, puis recommencez.\n",
			db_file);
		return 1;
	}
	if (db_backup_check(backup, tables, &err)) {
		fprintf(stderr, "cej admin restaurer : sauvegarde refusée : %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	return 0;
}

int
admin_restore_main(struct config *cfg, int argc, char **argv)
{
	GError *err = NULL;
	struct db_backup_report r;
	gchar *aside = NULL;
	int tables = 0, rc;
	const char *backup = parse_file(&argc, &argv, "restaurer",
					"Remet une sauvegarde à la place de la base, serveur arrêté (" DOC ").",
					NULL);
	if (!backup)
		return 2;
	const char *db_file = db_url_sqlite_path(cfg->database_url);
	if (!db_file)
		return refuse_postgres("restaurer");
	if ((rc = restore_checks(db_file, backup, &tables)))
		return rc;
	/* A -wal alone (its database deleted by hand) would be replayed onto the restored file. */
	gchar *wal = g_strconcat(db_file, "-wal", NULL);
	bool old = g_file_test(db_file, G_FILE_TEST_EXISTS) ||
		   g_file_test(wal, G_FILE_TEST_EXISTS);
	g_free(wal);
	if (old && !(aside = move_aside(db_file)))
		return 1;
	if (db_backup_sqlite(backup, db_file, NULL, &r, &err)) {
		fprintf(stderr, "cej admin restaurer : %s\n", err->message);
		g_error_free(err);
		put_back(aside, db_file);
		g_free(aside);
		return 1;
	}
	printf("Base restaurée : %s (%s, %d tables, intégrité vérifiée) depuis %s.\n", db_file,
	       megabytes(r.bytes), r.tables, backup);
	if (aside)
		printf("L'ancienne base est gardée sous %s : supprimez-la quand tout va bien.\n", aside);
	if (!g_file_test(cfg->message_key_file, G_FILE_TEST_EXISTS))
		printf("Attention : la clé des messages %s manque. Remettez-la depuis sa sauvegarde "
		       "AVANT de démarrer : sinon une nouvelle clé est créée et les messages "
		       "restaurés restent illisibles.\n", cfg->message_key_file);
	printf("Démarrez le serveur (cej serve) : il met le schéma à jour si la sauvegarde est "
	       "plus ancienne (comme cej migrate).\n");
	g_free(aside);
	return 0;
}
