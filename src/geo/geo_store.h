/* geo_store.h — the SQL of the referential (migration 0035), the same on SQLite and
 * PostgreSQL. Reads run anywhere; the writes (imports) run inside the caller's write
 * transaction (db_tx_begin), so that an import is all or nothing. */
#ifndef CEJ_GEO_STORE_H
#define CEJ_GEO_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* A commune as stored. Strings are arena-owned. */
struct geo_commune {
	const char *insee, *name, *type, *parent_insee, *dept_code, *postal_code;
	bool has_centre;       /* false for the few communes the data give no centre */
	double lat, lon;
	int64_t population;
	/* Writing only (geo_store_communes): every postal code of the commune, postal_code
	 * (the one shown) the smallest of them. */
	const char *const *postal_codes;
	int n_postal;
};

struct geo_departement {
	const char *code, *name;
	bool has_centre;
	double lat, lon;
};

/* One line of the "Lieu de travail" autocomplete (offers.md §1). */
enum geo_kind { GEO_DEPARTEMENT, GEO_COMMUNE };
struct geo_suggestion {
	enum geo_kind kind;
	const char *code;         /* the département's code, or the commune's INSEE code */
	const char *label;        /* "Finistère (29)", "Brest (29200)" */
	const char *name;         /* "Finistère", "Brest" */
	const char *postal_code;  /* communes: the one shown (the one typed, when a code was) */
	const char *dept_code;
};

#define GEO_SUGGEST_MAX 10

/* The autocomplete: @text (as typed) of at least 2 characters once folded (geo_key), as
 * a prefix of a name — accents, case, hyphens and apostrophes ignored; with or without
 * its article — or, when it is made of digits, of a postal code or département code.
 * Départements first (by code), then communes by population (largest first); communes
 * déléguées are left out, municipal arrondissements are communes of their own ("Paris
 * 15e Arrondissement (75015)"). At most min(@max, GEO_SUGGEST_MAX) into @out. Returns the
 * count (0 for a text too short), or -ERR_DB. */
int geo_suggest(struct db *db, struct arena *a, const char *text, struct geo_suggestion *out,
		int max);

/* The commune of INSEE code @insee: 0, -ERR_NOTFOUND or -ERR_DB. */
int geo_commune_get(struct db *db, struct arena *a, const char *insee, struct geo_commune *c);
/* The communes (type COM, with a centre and a population) of département @dept, or of
 * every département when @dept is NULL, in INSEE order — a stable order, so that draws
 * weighted by population from a seeded generator give the same places every time
 * (`cej offers demo`). *@out in @a, *@n of them. 0 or -ERR_DB. */
int geo_communes_populated(struct db *db, struct arena *a, const char *dept,
			   struct geo_commune **out, int *n);
/* The département of @code: 0, -ERR_NOTFOUND or -ERR_DB. */
int geo_departement_get(struct db *db, struct arena *a, const char *code,
			struct geo_departement *d);
/* How many communes are stored (0 before any import), or -ERR_DB. */
int64_t geo_commune_count(struct db *db);

/* Upserts, inside the caller's transaction. geo_store_departement: 1 when the row is new,
 * 0 when it was updated, or a negative error. geo_store_communes: the @n communes of @c
 * (distinct codes), each with its postal codes replaced by c->postal_codes; 0 or a
 * negative error. It writes GEO_STORE_BATCH communes per statement: one statement per
 * commune made PostgreSQL's import of the referential ~105,000 round trips. An import
 * counts the new communes with geo_commune_count() before and after. */
#define GEO_STORE_BATCH 100
int geo_store_departement(struct db *db, struct arena *a, const struct geo_departement *d);
int geo_store_communes(struct db *db, struct arena *a, const struct geo_commune *c, int n);

#endif
