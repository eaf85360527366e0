/* geo.h — the French geographic referential (offers.md §8.5): communes with their centre,
 * postal codes and population, départements, and the pure rules a place search stands on
 * (great-circle distance, the bounding box that lets a search prefilter with an index,
 * département codes, search keys). The SQL is in geo_store.h; docs/geo.md says where the
 * data come from and how they are imported.
 *
 * Coordinates are WGS 84 degrees (lat north, lon east). Every function here but the
 * command geo_import_main() is pure and thread-safe. */
#ifndef CEJ_GEO_H
#define CEJ_GEO_H

#include <stdbool.h>

struct arena;
struct config;

/* The mean Earth radius (IUGG), in km: the sphere the distances are computed on. */
#define GEO_EARTH_RADIUS_KM 6371.0088

/* Great-circle distance in km between two points (haversine formula, exact on the sphere;
 * within 0.5 % of the ellipsoidal distance everywhere). */
double geo_distance_km(double lat1, double lon1, double lat2, double lon2);

/* The smallest latitude/longitude rectangle holding every point within @km of the centre:
 * a search keeps rows with lat in [lat_min, lat_max] and lon in [lon_min, lon_max] (an
 * index can serve it), then checks geo_distance_km() ≤ @km on the few left. Never too
 * small: a point within @km is always inside. Near a pole (or for a radius that reaches
 * it) the box spans every longitude. Antimeridian crossings do not occur in France
 * (longitudes −62 to 56) and are not handled: lon_min may then be < −180. */
struct geo_box {
	double lat_min, lat_max, lon_min, lon_max;
};
struct geo_box geo_bbox(double lat, double lon, double km);

/* True for a département code: "01"–"95" except "20", "2A", "2B", and the overseas
 * départements "971"–"974", "976" (975, Saint-Pierre-et-Miquelon, is a collectivité). */
bool geo_dept_valid(const char *code);
/* The département of INSEE commune code @insee: 3 characters for overseas ("97411" →
 * "974"), else 2 ("29019" → "29", "2A004" → "2A"). Arena-owned; NULL when @insee is not
 * a 5-character commune code of a valid département. */
const char *geo_dept_of_insee(struct arena *a, const char *insee);
/* The parent commune of a municipal arrondissement: "75101"–"75120" → "75056" (Paris),
 * "13201"–"13216" → "13055" (Marseille), "69381"–"69389" → "69123" (Lyon); NULL for any
 * other code. A static string. */
const char *geo_arm_parent(const char *insee);

/* The search key of a place name: folded (base/text.h: lower case, no accents), every run
 * of characters that are not letters or digits turned into one space, trimmed —
 * "Saint-Étienne" and "SAINT ETIENNE" → "saint etienne", "L'Haÿ-les-Roses" → "l hay les
 * roses". Stored with each name and applied to what is typed, so a prefix of one is a
 * prefix of the other. Arena-owned, never NULL. */
char *geo_key(struct arena *a, const char *name);
/* geo_key() of @name without its leading article ("le ", "la ", "les ", "l "): "la
 * garenne colombes" → "garenne colombes"; the key itself when there is none. */
char *geo_key_bare(struct arena *a, const char *name);
/* The smallest string greater than every string that starts with @prefix, for a range
 * `key >= prefix AND key < end` an index serves (byte order: SQLite's BINARY collation,
 * PostgreSQL's C collation, docs/postgres.md). @prefix is ASCII (a geo_key); NULL when
 * it is empty. Arena-owned. */
char *geo_prefix_end(struct arena *a, const char *prefix);

/* `cej offers communes import FICHIER…` (argv[0] is "import"): imports each file —
 * communes or départements, CSV (data/geo/, or the columns of the INSEE/La Poste extract)
 * or the geo.api.gouv.fr JSON shape (docs/geo.md) — in one transaction, upserting, and
 * prints a French summary. 0, 1 on a failure (nothing is kept), 2 on a usage error. */
int geo_import_main(const struct config *cfg, int argc, char **argv);

#endif
