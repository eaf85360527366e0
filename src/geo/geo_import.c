/* geo_import.c — `cej offers communes import` and the import of data/geo/ (docs/geo.md). */
#include "geo/geo_import.h"

#include "base/arena.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "geo/geo.h"
#include "geo/geo_store.h"

#include <glib.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A commune being read: a file may give it on several rows, one per postal code (the La
 * Poste extract), so rows are grouped by INSEE code before anything is written. */
struct pending {
	struct geo_commune c;
	GPtrArray *postal;   /* arena strings, no duplicates */
};

struct batch {
	struct arena *a;
	GPtrArray *order;    /* struct pending *, in the file's order */
	GHashTable *by_insee;
};

static void
pending_free(void *p)
{
	g_ptr_array_free(((struct pending *)p)->postal, TRUE);
	g_free(p);
}

static void
batch_init(struct batch *b, struct arena *a)
{
	b->a = a;
	b->order = g_ptr_array_new_with_free_func(pending_free);
	b->by_insee = g_hash_table_new(g_str_hash, g_str_equal);
}

static void
batch_clear(struct batch *b)
{
	g_hash_table_destroy(b->by_insee);
	g_ptr_array_free(b->order, TRUE);
}

static bool
is_postal_code(const char *s)
{
	return s && strlen(s) == 5 && strspn(s, "0123456789") == 5;
}

static bool
is_insee(const char *s)
{
	return s && strlen(s) == 5 && strspn(s, "0123456789AB") == 5;
}

/* Adds one (commune, postal code) pair; false when the commune is not usable (a code, a
 * name, a département, a postal code, a population ≥ 0, type COM or ARM with its parent:
 * what 0035's constraints would refuse, refused here row by row). A later row of the same
 * commune adds its postal code only. */
static bool
batch_add(struct batch *b, const struct geo_commune *c, const char *postal)
{
	bool arm = c->type && !strcmp(c->type, "ARM");
	if (!is_insee(c->insee) || !c->name || !*c->name || !geo_dept_valid(c->dept_code) ||
	    !is_postal_code(postal) || c->population < 0 || !c->type ||
	    (!arm && strcmp(c->type, "COM")) || arm != (c->parent_insee != NULL))
		return false;
	struct pending *p = g_hash_table_lookup(b->by_insee, c->insee);
	if (!p) {
		p = g_new0(struct pending, 1);
		p->c = *c;
		p->c.postal_code = postal;
		p->postal = g_ptr_array_new();
		g_ptr_array_add(b->order, p);
		g_hash_table_insert(b->by_insee, (char *)p->c.insee, p);
	}
	for (guint i = 0; i < p->postal->len; i++)
		if (!strcmp(p->postal->pdata[i], postal))
			return true;
	g_ptr_array_add(p->postal, (char *)postal);
	if (strcmp(postal, p->c.postal_code) < 0)
		p->c.postal_code = postal;
	return true;
}

static int
batch_store(struct db *db, struct batch *b, struct geo_import_stats *s)
{
	int64_t before = geo_commune_count(db);
	if (before < 0)
		return (int)before;
	int n = (int)b->order->len;
	struct geo_commune *all = arena_alloc(b->a, sizeof(*all) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		struct pending *p = b->order->pdata[i];
		all[i] = p->c;
		all[i].postal_codes = (const char *const *)p->postal->pdata;
		all[i].n_postal = (int)p->postal->len;
		s->postal_codes += all[i].n_postal;
	}
	int rc = geo_store_communes(db, b->a, all, n);
	int64_t after = rc ? 0 : geo_commune_count(db);
	if (rc || after < 0)
		return rc ? rc : (int)after;
	s->communes_new += (int)(after - before);
	s->communes_updated += n - (int)(after - before);
	return 0;
}

/* The type and parent of a commune: what the file says, else what the code says (an
 * arrondissement's code names its parent, geo_arm_parent). */
static void
settle_type(struct geo_commune *c, const char *type, const char *parent)
{
	const char *arm_parent = geo_arm_parent(c->insee);
	c->type = type && *type ? type : arm_parent ? "ARM" : "COM";
	c->parent_insee = !strcmp(c->type, "ARM") ? (parent && *parent ? parent : arm_parent) : NULL;
}

static bool
parse_coord(const char *s, double min, double max, double *v)
{
	char *end;
	if (!s || !*s)
		return false;
	*v = g_ascii_strtod(s, &end);
	return !*end && *v >= min && *v <= max;
}

/* ---- CSV ---------------------------------------------------------------------------- */

/* Splits one CSV line into its fields (RFC 4180 quoting: "a,b" and "" inside quotes), as
 * arena strings. Returns the count, at most @max. */
static int
csv_fields(struct arena *a, const char *line, const char **out, int max)
{
	int n = 0;
	const char *p = line;
	while (n < max) {
		GString *f = g_string_new(NULL);
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				g_string_append_c(f, *p);
			}
			if (*p == '"')
				p++;
		}
		for (; *p && *p != ','; p++)
			g_string_append_c(f, *p);
		out[n++] = arena_strndup(a, f->str, f->len);
		g_string_free(f, TRUE);
		if (*p != ',')
			break;
		p++;
	}
	return n;
}

/* The index of the first of @names (aliases of one column) in the header, or -1. */
static int
column(const char *const *head, int n, const char *names)
{
	gchar **alias = g_strsplit(names, "|", 0);
	int found = -1;
	for (int i = 0; found < 0 && i < n; i++)
		for (gchar **x = alias; *x; x++)
			if (!strcmp(head[i], *x))
				found = i;
	g_strfreev(alias);
	return found;
}

enum { CSV_MAX_FIELDS = 32 };
/* The columns read, data/geo/'s name first, then the INSEE/La Poste extract's. */
enum { C_INSEE, C_DEPT, C_NAME, C_ARTICLE, C_POSTAL, C_TYPE, C_PARENT, C_LAT, C_LNG, C_POP, C_N };
static const char *const commune_columns[C_N] = {
	"insee|insee_com", "departement|insee_dep", "nom|commune", "nom_article|commune_article",
	"code_postal", "type|commune_type", "insee_parente", "lat", "lng|lon", "population|population_2021",
};
enum { D_CODE, D_NAME, D_LAT, D_LNG, D_N };
static const char *const dept_columns[D_N] = {"code|insee_dep", "nom|departement", "lat", "lng|lon"};

static const char *
field(const char *const *f, int n, int col)
{
	return col >= 0 && col < n && *f[col] ? f[col] : NULL;
}

static void
csv_commune(struct arena *a, struct batch *b, const int *col, const char *const *f, int n,
	    struct geo_import_stats *s)
{
	const char *type = field(f, n, col[C_TYPE]);
	if (type && !strcmp(type, "COMD")) {
		s->skipped++;
		return;
	}
	struct geo_commune c = {.insee = field(f, n, col[C_INSEE])};
	const char *name = field(f, n, col[C_ARTICLE]);
	c.name = name ? name : field(f, n, col[C_NAME]);
	c.dept_code = field(f, n, col[C_DEPT]);
	if (!c.dept_code)
		c.dept_code = geo_dept_of_insee(a, c.insee);
	c.has_centre = parse_coord(field(f, n, col[C_LAT]), -90, 90, &c.lat) &&
		       parse_coord(field(f, n, col[C_LNG]), -180, 180, &c.lon);
	const char *pop = field(f, n, col[C_POP]);
	char *end = NULL;
	c.population = pop ? strtoll(pop, &end, 10) : 0;
	if (pop && *end)
		c.population = -1;
	settle_type(&c, type, field(f, n, col[C_PARENT]));
	if (!batch_add(b, &c, field(f, n, col[C_POSTAL])))
		s->rejected++;
}

static int
csv_departement(struct db *db, struct arena *a, const int *col, const char *const *f, int n,
		struct geo_import_stats *s)
{
	struct geo_departement d = {.code = field(f, n, col[D_CODE]), .name = field(f, n, col[D_NAME])};
	d.has_centre = parse_coord(field(f, n, col[D_LAT]), -90, 90, &d.lat) &&
		       parse_coord(field(f, n, col[D_LNG]), -180, 180, &d.lon);
	if (!geo_dept_valid(d.code) || !d.name) {
		s->rejected++;
		return 0;
	}
	int rc = geo_store_departement(db, a, &d);
	if (rc >= 0)
		rc ? s->departements_new++ : s->departements_updated++;
	return rc < 0 ? rc : 0;
}

/* The line at *@p, NUL-terminated in place; *@p moves to the next one (NULL after the
 * last). */
static char *
next_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	*p = nl ? nl + 1 : NULL;
	return line;
}

static int
import_csv(struct db *db, struct arena *a, char *text, struct geo_import_stats *s, const char **why)
{
	/* Lines cut in place. (Not g_strsplit: its strstr per line is linear, but under ASan
	 * each strstr reads the whole rest of the text — quadratic, 20 s for data/geo/.) */
	char *line = text;
	const char *head[CSV_MAX_FIELDS];
	int nh = csv_fields(a, g_strchomp(next_line(&line)), head, CSV_MAX_FIELDS);
	int col[C_N];
	for (int i = 0; i < C_N; i++)
		col[i] = column(head, nh, commune_columns[i]);
	int dcol[D_N];
	for (int i = 0; i < D_N; i++)
		dcol[i] = column(head, nh, dept_columns[i]);
	bool communes = col[C_INSEE] >= 0 && col[C_POSTAL] >= 0 && col[C_NAME] >= 0;
	bool depts = !communes && dcol[D_CODE] >= 0 && dcol[D_NAME] >= 0;
	int rc = 0;
	struct batch b;
	batch_init(&b, a);
	if (!communes && !depts) {
		*why = "en-tête CSV inconnu : il faut les colonnes insee, nom et code_postal (communes) "
		       "ou code et nom (départements)";
		rc = -ERR_INVAL;
	}
	while (!rc && line) {
		const char *f[CSV_MAX_FIELDS];
		char *l = g_strchomp(next_line(&line));
		if (!*l)
			continue;
		int n = csv_fields(a, l, f, CSV_MAX_FIELDS);
		if (communes)
			csv_commune(a, &b, col, f, n, s);
		else
			rc = csv_departement(db, a, dcol, f, n, s);
	}
	if (!rc)
		rc = batch_store(db, &b, s);
	batch_clear(&b);
	return rc;
}

/* ---- JSON (geo.api.gouv.fr) ------------------------------------------------------------ */

static const char *
jstr(struct arena *a, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? arena_strdup(a, s) : NULL;
}

/* {nom, code, codesPostaux[], centre{type:"Point", coordinates:[lon, lat]},
 * codeDepartement, population}; optionally type ("arrondissement-municipal",
 * "commune-deleguee"…) and codeParent. */
static void
json_commune(struct arena *a, struct batch *b, json_t *o, struct geo_import_stats *s)
{
	/* geo.api.gouv.fr lists communes déléguées and associées when asked (their own codes):
	 * left out, as from the CSV. */
	const char *type = jstr(a, o, "type");
	if (type && (!strcmp(type, "commune-deleguee") || !strcmp(type, "commune-associee"))) {
		s->skipped++;
		return;
	}
	struct geo_commune c = {.insee = jstr(a, o, "code"), .name = jstr(a, o, "nom")};
	c.dept_code = jstr(a, o, "codeDepartement");
	if (!c.dept_code)
		c.dept_code = geo_dept_of_insee(a, c.insee);
	json_t *pop = json_object_get(o, "population");
	c.population = json_is_integer(pop) ? json_integer_value(pop) : pop && !json_is_null(pop) ? -1 : 0;
	json_t *xy = json_object_get(json_object_get(o, "centre"), "coordinates");
	c.has_centre = json_is_array(xy) && json_array_size(xy) == 2 &&
		       json_is_number(json_array_get(xy, 0)) && json_is_number(json_array_get(xy, 1));
	if (c.has_centre) {
		c.lon = json_number_value(json_array_get(xy, 0));
		c.lat = json_number_value(json_array_get(xy, 1));
		c.has_centre = c.lat >= -90 && c.lat <= 90 && c.lon >= -180 && c.lon <= 180;
	}
	settle_type(&c, type && !strcmp(type, "arrondissement-municipal") ? "ARM" : NULL,
		    jstr(a, o, "codeParent"));
	json_t *codes = json_object_get(o, "codesPostaux");
	size_t i;
	json_t *v;
	bool ok = json_array_size(codes) > 0;
	json_array_foreach(codes, i, v)
		ok = ok && batch_add(b, &c, json_string_value(v) ? arena_strdup(a, json_string_value(v)) : NULL);
	if (!ok)
		s->rejected++;
}

static int
import_json(struct db *db, struct arena *a, json_t *root, struct geo_import_stats *s, const char **why)
{
	if (!json_is_array(root)) {
		*why = "JSON inattendu : il faut un tableau de communes ou de départements (format geo.api.gouv.fr)";
		return -ERR_INVAL;
	}
	struct batch b;
	batch_init(&b, a);
	size_t i;
	json_t *o;
	int rc = 0;
	json_array_foreach(root, i, o) {
		if (rc)
			break;
		if (!json_is_object(o)) {
			s->rejected++;
		} else if (json_object_get(o, "codesPostaux") || json_object_get(o, "codeDepartement") ||
			   json_object_get(o, "centre")) {
			json_commune(a, &b, o, s);
		} else {
			struct geo_departement d = {.code = jstr(a, o, "code"), .name = jstr(a, o, "nom")};
			if (geo_dept_valid(d.code) && d.name) {
				rc = geo_store_departement(db, a, &d);
				if (rc == 1)
					s->departements_new++;
				else if (rc == 0)
					s->departements_updated++;
				rc = rc < 0 ? rc : 0;
			} else {
				s->rejected++;
			}
		}
	}
	if (!rc)
		rc = batch_store(db, &b, s);
	batch_clear(&b);
	return rc;
}

int
geo_import_file(struct db *db, struct arena *a, const char *path, struct geo_import_stats *s,
		const char **why)
{
	gchar *text = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents(path, &text, &len, &err)) {
		*why = arena_printf(a, "lecture de %s impossible : %s", path, err->message);
		g_error_free(err);
		return -ERR_INVAL;
	}
	int rc;
	const char *p = text + strspn(text, " \t\r\n");
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		*why = arena_printf(a, "%s n'est pas en UTF-8", path);
		rc = -ERR_INVAL;
	} else if (*p == '[' || *p == '{') {
		json_error_t jerr;
		json_t *root = json_loadb(text, len, 0, &jerr);
		if (!root) {
			*why = arena_printf(a, "%s : JSON invalide (ligne %d) : %s", path, jerr.line, jerr.text);
			rc = -ERR_INVAL;
		} else {
			rc = import_json(db, a, root, s, why);
			json_decref(root);
		}
	} else {
		rc = import_csv(db, a, text, s, why);
	}
	g_free(text);
	return rc;
}

int
geo_import_files(struct db *db, const char *dir, struct geo_import_stats *stats)
{
	struct geo_import_stats local = {0};
	struct arena *a = arena_new();
	const char *why = NULL;
	int rc = db_tx_begin(db);
	for (const char *const *f = (const char *const[]){"departements.csv", "communes.csv", NULL};
	     !rc && *f; f++)
		rc = geo_import_file(db, a, arena_printf(a, "%s/%s", dir, *f), stats ? stats : &local, &why);
	rc = db_tx_end(db, rc);
	if (rc)
		log_error("geo: import de %s impossible : %s", dir, why ? why : "erreur de base de données");
	arena_free(a);
	return rc;
}

const char *
geo_import_summary(struct arena *a, const struct geo_import_stats *s)
{
	return arena_printf(a,
			    "%d communes importées (%d nouvelles, %d mises à jour), %d codes postaux ; "
			    "%d départements (%d nouveaux, %d mis à jour) ; %d communes déléguées ignorées ; "
			    "%d lignes rejetées",
			    s->communes_new + s->communes_updated, s->communes_new, s->communes_updated,
			    s->postal_codes, s->departements_new + s->departements_updated,
			    s->departements_new, s->departements_updated, s->skipped, s->rejected);
}

static const char usage[] =
	"usage: cej offers communes import FICHIER…\n"
	"\n"
	"Importe (ou met à jour) le référentiel des communes et des départements, dans une seule\n"
	"transaction. Chaque FICHIER est un CSV de data/geo/ (communes.csv, departements.csv)\n"
	"ou un JSON au format geo.api.gouv.fr : [{nom, code, codesPostaux, centre,\n"
	"codeDepartement, population}] pour les communes, [{nom, code}] pour les départements.\n"
	"Importer deux fois le même fichier ne change rien (voir docs/geo.md).\n";

int
geo_import_main(const struct config *cfg, int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	struct db *db = db_open(cfg->database_url);
	if (!db || db_migrate_engine(db, embed_migrations, embed_migrations_count, embed_pg_migrations,
				     embed_pg_migrations_count)) {
		fputs("cej offers communes import : base de données inaccessible\n", stderr);
		db_close(db);
		return 1;
	}
	struct arena *a = arena_new();
	struct geo_import_stats s = {0};
	const char *why = NULL;
	int rc = db_tx_begin(db);
	for (int i = 1; !rc && i < argc; i++)
		rc = geo_import_file(db, a, argv[i], &s, &why);
	rc = db_tx_end(db, rc);
	if (rc)
		fprintf(stderr, "cej offers communes import : %s ; rien n'a été importé\n",
			why ? why : "erreur de base de données");
	else
		printf("%s\n", geo_import_summary(a, &s));
	arena_free(a);
	db_close(db);
	return rc ? 1 : 0;
}
