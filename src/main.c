/* main.c — subcommand dispatch only. */
#include "admin/admin.h"
#include "base/config.h"
#include "base/log.h"
#include "offers/offers_import.h"
#include "serve/serve.h"
#include "sim/sim.h"

#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: cej [--config FICHIER] <commande> [options]\n"
	"\n"
	"Commandes :\n"
	"  serve                 démarre le serveur HTTP et les tâches de fond\n"
	"  migrate               applique les migrations de la base de données\n"
	"  seed --demo           crée les données de démonstration (idempotent ;\n"
	"                        --sans-exemples : structures et conseillers seulement)\n"
	"  routes                affiche la table des routes (méthode, chemin, accès, options)\n"
	"  imilo-sim [options]   démarre le simulateur i-milo (cej imilo-sim --help)\n"
	"  admin <action> …      administration (cej admin --help)\n"
	"  bench-data [options]  génère un jeu de données de banc d'essai\n"
	"  offers <action> …     catalogue des offres (cej offers --help)\n"
	"\n"
	"La configuration vient du fichier donné par --config (ou CEJ_CONFIG), puis des\n"
	"variables d'environnement CEJ_* (ex. CEJ_PORT=8080) ; voir docs/configuration.md.\n";

int
main(int argc, char **argv)
{
	const char *config_path = g_getenv("CEJ_CONFIG");
	GError *err = NULL;
	int i = 1;

	/* French messages with accents in option help; numbers in output never go through the
	 * locale (templates format them themselves). */
	setlocale(LC_ALL, "");

	if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
		config_path = argv[i + 1];
		i += 2;
	}
	if (i >= argc || !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
		fputs(usage, i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	if (sodium_init() < 0) {
		log_error("libsodium: initialisation impossible");
		return 1;
	}
	struct config *cfg = config_load(config_path, &err);
	if (!cfg) {
		log_error("configuration: %s", err->message);
		g_error_free(err);
		return 1;
	}
	const char *cmd = argv[i];
	int sub_argc = argc - i;
	char **sub_argv = argv + i;
	int rc;
	if (!strcmp(cmd, "serve"))
		rc = serve_main(cfg, sub_argc, sub_argv);
	else if (!strcmp(cmd, "migrate"))
		rc = migrate_main(cfg, sub_argc, sub_argv);
	else if (!strcmp(cmd, "routes"))
		rc = routes_main(cfg, sub_argc, sub_argv);
	else if (!strcmp(cmd, "seed"))
		rc = seed_main(cfg, sub_argc, sub_argv);
	else if (!strcmp(cmd, "imilo-sim"))
		rc = sim_main(cfg, sub_argc, sub_argv);
	else if (!strcmp(cmd, "admin"))
		rc = admin_main(cfg, sub_argc, sub_argv);
	else if (!strcmp(cmd, "bench-data"))
		rc = bench_data_main(cfg, sub_argc, sub_argv);
	else if (!strcmp(cmd, "offers"))
		rc = offers_main(cfg, sub_argc, sub_argv);
	else {
		fprintf(stderr, "cej: commande inconnue « %s »\n\n%s", cmd, usage);
		rc = 2;
	}
	config_free(cfg);
	return rc;
}
