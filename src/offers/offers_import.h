/* offers_import.h — `cej offers …` (docs/offers.md): the catalogue fed from a provider's
 * response saved as a file (offers.md §8.2), through the same adapters as the sync. */
#ifndef CEJ_OFFERS_IMPORT_H
#define CEJ_OFFERS_IMPORT_H

#include "offers/offers.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct config;
struct db;
struct offers_text;

struct offers_import_stats {
	int inserted;   /* new rows */
	int updated;    /* rows already there (same provider and id) */
	int rejected;   /* records (Immersion: appellations) the adapter or the store refused */
};

/* The records of @doc, provider @p's envelope: France Travail {resultats:[…]}, API
 * Engagement {total, hits:[…]}, Immersion Facilitée […], Mes Événements Emploi
 * {totalElements, content:[…]}. NULL when @doc is not that shape (borrowed otherwise). */
const json_t *offers_envelope(enum offer_provider p, const json_t *doc);

/* Stores every record of @records (offers_envelope()) at @now in one write transaction,
 * each offer indexed for the search with analyser @t (offers_store_upsert()):
 * a record the adapter refuses, or whose public id another provider holds, is skipped,
 * counted in @st->rejected and told on @log ("enregistrement n°3 rejeté : …"; @log may be
 * NULL), never stopping the batch. 0, or the storage error (nothing kept then). */
int offers_import_records(struct db *db, struct offers_text *t, enum offer_provider p,
			  const json_t *records, int64_t now, struct offers_import_stats *st,
			  FILE *log);

/* "342 offres importées (300 nouvelles, 42 mises à jour), 3 rejetées" (events for MEE:
 * "12 événements importés (…)"). Newly allocated (g_free). */
char *offers_import_summary(enum offer_provider p, const struct offers_import_stats *st);

/* What a sub-command of `cej offers` runs with: the database, opened (and migrated) only
 * once the arguments are understood, NULL when it cannot be (the opener says why); the
 * instant of the run; where to print the result and the errors. */
struct offers_cli {
	struct db *(*open)(void *ud);
	void *ud;
	int64_t now;
	FILE *out, *err;
};

/* `cej offers import --provider P FICHIER.json` (@argv[0] is "import"): the summary on
 * @cli->out, the rejections and errors on @cli->err, in French. The exit status: 0 (even
 * with rejections), 1 for an unreadable file, a wrong envelope, a database that cannot be
 * opened or a storage failure (nothing imported), 2 for a usage error. */
int offers_import_command(const struct offers_cli *cli, int argc, char **argv);

/* `cej offers <sous-commande> …`: the dispatcher main.c calls. */
int offers_main(struct config *cfg, int argc, char **argv);

#endif
