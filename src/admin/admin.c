/* admin.c — `cej admin` (structures, counselors, passwords), `cej seed --demo` and
 * `cej bench-data`. Operator commands run outside the server: argon2id on this thread is
 * fine here. */
#include "admin/admin.h"

#include "admin/admin_store.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "db/db.h"
#include "messaging/crypto.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct db *
open_db(const struct config *cfg)
{
	struct db *db = db_open(cfg->database_url);
	if (db && db_migrate_engine(db, embed_migrations, embed_migrations_count,
				    embed_pg_migrations, embed_pg_migrations_count)) {
		db_close(db);
		db = NULL;
	}
	if (!db) {
		char *shown = db_url_redacted(cfg->database_url);
		fprintf(stderr, "cej: base de données inutilisable : %s\n", shown);
		g_free(shown);
	}
	return db;
}

/* Parses @argv with @entries; prints the help of @summary on error. */
static bool
parse_options(int *argc, char ***argv, const char *name, const char *summary, GOptionEntry *entries)
{
	GOptionContext *o = g_option_context_new(name);
	GError *err = NULL;
	g_option_context_set_summary(o, summary);
	g_option_context_add_main_entries(o, entries, NULL);
	bool ok = g_option_context_parse(o, argc, argv, &err);
	if (!ok) {
		fprintf(stderr, "cej %s : %s\n", name, err->message);
		g_error_free(err);
	}
	g_option_context_free(o);
	return ok;
}

static int
cmd_structure(struct db *db, int argc, char **argv)
{
	gchar *code = NULL, *name = NULL, *tz = NULL;
	GOptionEntry e[] = {
		{"code", 0, 0, G_OPTION_ARG_STRING, &code, "code i-milo (ex. 29019S00)", "CODE"},
		{"nom", 0, 0, G_OPTION_ARG_STRING, &name, "nom de la Mission Locale", "NOM"},
		{"fuseau", 0, 0, G_OPTION_ARG_STRING, &tz, "fuseau IANA (défaut Europe/Paris)", "TZ"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	struct arena *a = arena_new();
	const char *id;
	int rc = 2;
	if (!parse_options(&argc, &argv, "admin structure", "Crée ou met à jour une structure.", e))
		goto out;
	if (!code || !name) {
		fprintf(stderr, "cej admin structure : --code et --nom sont obligatoires\n");
		goto out;
	}
	rc = admin_store_structure(db, a, code, name, tz ? tz : "Europe/Paris", clock_now_ms(), &id) ? 1 : 0;
	if (!rc)
		printf("Structure %s : %s\n", code, id);
out:
	g_free(code);
	g_free(name);
	g_free(tz);
	arena_free(a);
	return rc;
}

/* Reads a password from stdin (one line), checked against the CNIL rule. */
static char *
read_password(const char *email)
{
	char buf[256];
	if (isatty(0))
		fprintf(stderr, "Mot de passe : ");
	if (!fgets(buf, sizeof(buf), stdin))
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!password_rule_ok(buf, email)) {
		fprintf(stderr, "Le mot de passe doit contenir au moins 8 caractères, dont une "
				"majuscule, une minuscule et un chiffre.\n");
		return NULL;
	}
	return g_strdup(buf);
}

static int
cmd_counselor(struct db *db, int argc, char **argv)
{
	gchar *email = NULL, *first = NULL, *last = NULL, *structure = NULL, *login = NULL;
	gboolean supervisor = FALSE, with_password = FALSE;
	GOptionEntry e[] = {
		{"email", 0, 0, G_OPTION_ARG_STRING, &email, "adresse e-mail (identifiant)", "EMAIL"},
		{"prenom", 0, 0, G_OPTION_ARG_STRING, &first, "prénom", "PRENOM"},
		{"nom", 0, 0, G_OPTION_ARG_STRING, &last, "nom", "NOM"},
		{"structure", 0, 0, G_OPTION_ARG_STRING, &structure, "code de la structure", "CODE"},
		{"login", 0, 0, G_OPTION_ARG_STRING, &login, "identifiant i-milo", "LOGIN"},
		{"superviseur", 0, 0, G_OPTION_ARG_NONE, &supervisor, "rôle superviseur", NULL},
		{"mot-de-passe", 0, 0, G_OPTION_ARG_NONE, &with_password, "lit le mot de passe sur l'entrée standard", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	struct arena *a = arena_new();
	struct admin_counselor c = {0};
	char hash[PASSWORD_HASH_MAX];
	char *pw = NULL;
	const char *id;
	int rc = 2;

	if (!parse_options(&argc, &argv, "admin conseiller", "Crée ou met à jour un conseiller.", e))
		goto out;
	if (!email || !first || !last || !structure) {
		fprintf(stderr, "cej admin conseiller : --email, --prenom, --nom et --structure sont obligatoires\n");
		goto out;
	}
	c.email = g_utf8_strdown(email, -1);
	arena_defer(a, g_free, (void *)c.email);
	c.first_name = first;
	c.last_name = last;
	c.login = login;
	c.supervisor = supervisor;
	if (admin_store_structure_id(db, a, structure, &c.structure_id)) {
		fprintf(stderr, "cej admin conseiller : structure inconnue %s\n", structure);
		rc = 1;
		goto out;
	}
	if (with_password) {
		if (!(pw = read_password(c.email)) || password_hash(pw, hash)) {
			rc = 1;
			goto out;
		}
		c.password_hash = hash;
	}
	rc = admin_store_counselor(db, a, &c, clock_now_ms(), &id) ? 1 : 0;
	if (!rc)
		printf("Conseiller %s : %s\n", c.email, id);
out:
	g_free(pw);
	g_free(email);
	g_free(first);
	g_free(last);
	g_free(structure);
	g_free(login);
	arena_free(a);
	return rc;
}

static int
cmd_password(struct db *db, int argc, char **argv)
{
	gchar *email = NULL;
	GOptionEntry e[] = {
		{"email", 0, 0, G_OPTION_ARG_STRING, &email, "adresse e-mail du conseiller", "EMAIL"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	char hash[PASSWORD_HASH_MAX];
	char *pw = NULL, *lower = NULL;
	int rc = 2;

	if (!parse_options(&argc, &argv, "admin mot-de-passe",
			   "Définit le mot de passe d'un conseiller (lu sur l'entrée standard).", e))
		goto out;
	if (!email) {
		fprintf(stderr, "cej admin mot-de-passe : --email est obligatoire\n");
		goto out;
	}
	lower = g_utf8_strdown(email, -1);
	rc = 1;
	if (!(pw = read_password(lower)) || password_hash(pw, hash))
		goto out;
	int st = admin_store_counselor_password(db, lower, hash);
	if (st == -ERR_NOTFOUND)
		fprintf(stderr, "cej admin mot-de-passe : aucun conseiller %s\n", lower);
	else if (st == 0) {
		printf("Mot de passe de %s mis à jour.\n", lower);
		rc = 0;
	}
out:
	g_free(pw);
	g_free(lower);
	g_free(email);
	return rc;
}

/* `cej admin cle-messages nouvelle`: a new current key for messages at rest. Servers
 * read the key file at start: restart them (every node, with the same file). */
static int
cmd_message_keys(const struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "nouvelle") != 0) {
		fprintf(stderr, "usage: cej admin cle-messages nouvelle\n");
		return 2;
	}
	char *id = NULL;
	if (crypto_keyring_add(cfg->message_key_file, &id)) {
		fprintf(stderr, "cej admin cle-messages : impossible d'ajouter une clé à %s\n",
			cfg->message_key_file);
		return 1;
	}
	printf("Nouvelle clé courante %s ajoutée à %s. Redémarrez le serveur (chaque nœud, avec ce "
	       "même fichier) pour chiffrer les nouveaux messages avec elle ; les anciennes clés "
	       "restent nécessaires pour relire les anciens messages.\n", id, cfg->message_key_file);
	g_free(id);
	return 0;
}

static const char admin_usage[] =
	"usage: cej admin <action> [options]\n"
	"\n"
	"  structure     --code CODE --nom NOM [--fuseau TZ]\n"
	"  conseiller    --email EMAIL --prenom P --nom N --structure CODE [--login L]\n"
	"                [--superviseur] [--mot-de-passe  (lu sur l'entrée standard)]\n"
	"  mot-de-passe  --email EMAIL  (lu sur l'entrée standard)\n"
	"  cle-messages nouvelle  ajoute une clé courante de chiffrement des messages\n"
	"  sauvegarde    [--ecraser] FICHIER  copie cohérente de la base SQLite, serveur en\n"
	"                marche (la clé des messages se sauvegarde à part ; docs/sauvegarde.md)\n"
	"  restaurer     FICHIER  remet une sauvegarde à la place de la base, serveur arrêté\n"
	"                (l'ancienne base est gardée à côté ; docs/sauvegarde.md)\n"
	"  copier-vers-postgres FICHIER_SQLITE URL_POSTGRES  copie toute une base SQLite dans une\n"
	"                base PostgreSQL vide, table par table (docs/postgres.md)\n";

int
admin_main(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(admin_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "cle-messages"))
		return cmd_message_keys(cfg, argc - 1, argv + 1);
	/* Before open_db: neither may migrate (nor create) the database. */
	if (!strcmp(argv[1], "sauvegarde"))
		return admin_backup_main(cfg, argc - 1, argv + 1);
	if (!strcmp(argv[1], "restaurer"))
		return admin_restore_main(cfg, argc - 1, argv + 1);
	if (!strcmp(argv[1], "copier-vers-postgres")) {
		if (argc != 4) {
			fprintf(stderr, "usage: cej admin copier-vers-postgres FICHIER_SQLITE URL_POSTGRES\n");
			return 2;
		}
		return admin_copy_to_postgres(argv[2], argv[3]) ? 1 : 0;
	}
	struct db *db = open_db(cfg);
	int rc;
	if (!db)
		return 1;
	if (!strcmp(argv[1], "structure"))
		rc = cmd_structure(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "conseiller"))
		rc = cmd_counselor(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "mot-de-passe"))
		rc = cmd_password(db, argc - 1, argv + 1);
	else {
		fprintf(stderr, "cej admin : action inconnue « %s »\n\n%s", argv[1], admin_usage);
		rc = 2;
	}
	db_close(db);
	return rc;
}
