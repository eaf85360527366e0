/* geo_import.h — loading the referential from files (docs/geo.md): the CSV of data/geo/
 * (or the columns of the INSEE/La Poste extract it was cut from) and the geo.api.gouv.fr
 * JSON shape. Upserts: importing a file twice changes nothing the second time. */
#ifndef CEJ_GEO_IMPORT_H
#define CEJ_GEO_IMPORT_H

struct arena;
struct db;

/* What an import did; counts add up over the files of one run. */
struct geo_import_stats {
	int communes_new, communes_updated;
	int departements_new, departements_updated;
	int postal_codes;    /* (commune, postal code) pairs stored */
	int skipped;         /* communes déléguées: they share their commune's INSEE code */
	int rejected;        /* rows without a usable code, name, postal code or département */
};

/* Imports the file at @path — communes or départements, CSV or JSON, told apart by its
 * content — inside the caller's write transaction, adding to @stats. 0, or -ERR_INVAL with
 * a French message in *@why (arena) for a file that cannot be read or whose shape is not
 * one of those; -ERR_DB. Rows that cannot be used are counted, never fatal. */
int geo_import_file(struct db *db, struct arena *a, const char *path, struct geo_import_stats *stats,
		    const char **why);

/* Imports @dir/departements.csv then @dir/communes.csv (the repository's data/geo/) in
 * one write transaction of its own: all or nothing. For `make run`'s set-up and the test
 * fixture. 0 or a negative error (logged). @stats may be NULL. */
int geo_import_files(struct db *db, const char *dir, struct geo_import_stats *stats);

/* The French summary of @s: "34979 communes importées (34979 nouvelles, 0 mises à jour),
 * 35418 codes postaux ; 101 départements (101 nouveaux, 0 mis à jour) ; 793 communes
 * déléguées ignorées ; 0 lignes rejetées". Arena-owned. */
const char *geo_import_summary(struct arena *a, const struct geo_import_stats *s);

#endif
