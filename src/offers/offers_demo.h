/* offers_demo.h — `cej offers demo` (offers.md §8.6): a demo catalogue drawn from a seed,
 * so that a newcomer searching "vendeur" at Brest after `make run` finds offers, and the
 * alert jobs have offers "of today" to announce.
 *
 * Deterministic: the same options (seed, sizes, départements, instant) give the same
 * rows, identifiers included — one GRand seeded once, drawn in a fixed order, places from
 * the communes referential in INSEE order. The communes must be imported first (`cej
 * offers communes import`, which `make run` does).
 *
 * What is drawn (docs/offers.md "Démonstration"):
 *   - per type family, --per-type offers: France Travail style (85 % Emploi — contracts
 *     CDI 40 %, CDD 35 %, MIS 15 %, others 10 % —, 15 % Alternance, E2 or FS), Service
 *     civique (12 domains, starting within 90 days), Immersion (establishments with a
 *     SIRET whose Luhn key holds, every contact mode); 60 métiers (ROME code, label,
 *     appellation); half "Débutant accepté";
 *   - places: communes weighted by population (in --departements when given), the
 *     coordinates the commune's centre moved by up to 2 km;
 *   - dates over the last --days, plus --today offers created today;
 *   - 100 events of Mes Événements Emploi over the next 60 days.
 * Rows carry provider "demo"; a second run with the same seed updates them in place. */
#ifndef CEJ_OFFERS_DEMO_H
#define CEJ_OFFERS_DEMO_H

#include "offers/offers_import.h"

#include <stdint.h>

struct arena;
struct db;
struct offers_text;

#define OFFERS_DEMO_PROVIDER "demo"
#define OFFERS_DEMO_EVENTS 100

struct offers_demo_options {
	uint32_t seed;
	int per_type;             /* offers of each family (France Travail, SC, Immersion) */
	int days;                 /* creation dates over the last @days days */
	int today;                /* extra France Travail offers created today */
	const char *const *depts; /* département codes, @n_depts of them; every one when 0 */
	int n_depts;
	int64_t now;
	struct offers_text *text; /* the process's analyser (offers_text_embedded): indexing */
};

struct offers_demo_stats {
	int offers[OFFER_TYPES];  /* rows written per type */
	int events;
};

/* Draws and stores the catalogue of @o in one write transaction. 0; -ERR_NOTFOUND when
 * the referential holds no commune (of the départements asked); -ERR_DB. */
int offers_demo_generate(struct db *db, struct arena *a, const struct offers_demo_options *o,
			 struct offers_demo_stats *st);

/* `cej offers demo [--seed N] [--per-type N] [--days N] [--today N] [--departements
 * 29,75,974]` (@argv[0] is "demo"): the summary on @cli->out. 0, 1 when nothing could
 * be stored (no communes: the message says which command imports them), 2 for a usage
 * error. */
int offers_demo_command(const struct offers_cli *cli, int argc, char **argv);

#endif
