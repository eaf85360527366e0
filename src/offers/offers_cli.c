/* offers_cli.c — `cej offers <sous-commande>`: opens and migrates the database, then hands
 * over to the sub-command. One line of the table per sub-command. */
#include "offers/offers_demo.h"
#include "offers/offers_import.h"

#include "geo/geo.h"

#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

typedef int (*offers_command)(const struct offers_cli *cli, int argc, char **argv);

static const struct {
	const char *name;
	offers_command run;
} commands[] = {
	{"import", offers_import_command},
	{"demo", offers_demo_command},
};

static const char usage[] =
	"usage : cej offers <sous-commande> [options]\n"
	"\n"
	"Sous-commandes :\n"
	"  import --provider {france-travail|engagement|immersion|mee} FICHIER.json\n"
	"                        importe une réponse enregistrée d'un fournisseur d'offres\n"
	"  demo [--seed N] [--per-type N] [--days N] [--today N] [--departements 29,75,974]\n"
	"                        crée un catalogue de démonstration (le même pour une graine)\n"
	"  communes import FICHIER…\n"
	"                        importe le référentiel des communes et des départements\n"
	"                        (CSV de data/geo/ ou JSON de geo.api.gouv.fr)\n";

struct opener {
	const struct config *cfg;
	struct db *db;
};

static struct db *
open_db(void *ud)
{
	struct opener *op = ud;
	const struct config *cfg = op->cfg;
	struct db *db = db_open(cfg->database_url);
	if (db && db_migrate_engine(db, embed_migrations, embed_migrations_count,
				    embed_pg_migrations, embed_pg_migrations_count)) {
		db_close(db);
		db = NULL;
	}
	if (!db) {
		char *shown = db_url_redacted(cfg->database_url);
		fprintf(stderr, "cej offers : base de données inutilisable : %s\n", shown);
		g_free(shown);
	}
	return op->db = db;
}

int
offers_main(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	/* The communes referential is its own module (src/geo/), with its own command. */
	if (!strcmp(argv[1], "communes")) {
		if (argc >= 3 && !strcmp(argv[2], "import"))
			return geo_import_main(cfg, argc - 2, argv + 2);
		fprintf(stderr, "cej offers communes : seule la sous-commande « import » existe\n\n%s", usage);
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		struct opener op = {.cfg = cfg};
		struct offers_cli cli = {.open = open_db, .ud = &op, .now = clock_now_ms(),
					 .out = stdout, .err = stderr};
		int rc = commands[i].run(&cli, argc - 1, argv + 1);
		db_close(op.db);
		return rc;
	}
	fprintf(stderr, "cej offers : sous-commande inconnue « %s »\n\n%s", argv[1], usage);
	return 2;
}
