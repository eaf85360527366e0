/* offers_import.c — `cej offers import` (offers_import.h). */
#include "offers/offers_import.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "offers/offers_adapters.h"
#include "offers/offers_search.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"

#include <glib.h>
#include <string.h>

const json_t *
offers_envelope(enum offer_provider p, const json_t *doc)
{
	const json_t *r;
	switch (p) {
	case PROVIDER_FRANCE_TRAVAIL:
		r = json_object_get(doc, "resultats");
		break;
	case PROVIDER_ENGAGEMENT:
		r = json_object_get(doc, "hits");
		break;
	case PROVIDER_IMMERSION:
		r = doc;
		break;
	default:
		r = json_object_get(doc, "content");
		break;
	}
	return json_is_array(r) ? r : NULL;
}

static const char *const envelope_shape[] = {
	[PROVIDER_FRANCE_TRAVAIL] = "{\"resultats\": […]}",
	[PROVIDER_ENGAGEMENT] = "{\"total\": N, \"hits\": […]}",
	[PROVIDER_IMMERSION] = "[…]",
	[PROVIDER_MEE] = "{\"totalElements\": N, \"content\": […]}",
};

static void
count(struct offers_import_stats *st, int rc)
{
	if (rc == 1)
		st->inserted++;
	else
		st->updated++;
}

static void
tell_rejected(FILE *log, size_t i, const char *why)
{
	if (log)
		fprintf(log, "enregistrement n°%zu rejeté : %s\n", i + 1, why);
}

/* Stores the offers of record @rec; a negative return is a storage failure. */
static int
import_offers(struct db *db, struct offers_text *t, struct arena *a, enum offer_provider p,
	      const json_t *rec, size_t i, int64_t now, struct offers_import_stats *st, FILE *log)
{
	struct offer one, *o = &one;
	const char *why = NULL;
	int n = 1, refused = 0;
	if (p == PROVIDER_IMMERSION)
		n = offers_map_immersion(rec, a, &o, &refused, &why);
	else if ((p == PROVIDER_FRANCE_TRAVAIL ? offers_map_france_travail(rec, a, o, &why)
					       : offers_map_engagement(rec, a, o, &why)) < 0)
		n = 0, refused = 1;
	st->rejected += refused;
	if (refused)
		tell_rejected(log, i, why);
	for (int k = 0; k < n; k++) {
		int rc = offers_store_upsert(db, t, &o[k], now);
		if (rc == -ERR_CONFLICT) {
			st->rejected++;
			tell_rejected(log, i, arena_printf(a, "l'identifiant %s est celui d'une offre "
							   "d'un autre fournisseur", o[k].id));
			continue;
		}
		if (rc < 0)
			return rc;
		count(st, rc);
	}
	return 0;
}

static int
import_event(struct db *db, struct arena *a, const json_t *rec, size_t i, int64_t now,
	     struct offers_import_stats *st, FILE *log)
{
	struct job_event e;
	const char *why = NULL;
	if (offers_map_mee(rec, a, &e, &why) < 0) {
		st->rejected++;
		tell_rejected(log, i, why);
		return 0;
	}
	int rc = offers_store_upsert_event(db, &e, now);
	if (rc == -ERR_CONFLICT) {
		st->rejected++;
		tell_rejected(log, i, "identifiant déjà pris");
		return 0;
	}
	if (rc >= 0)
		count(st, rc);
	return rc < 0 ? rc : 0;
}

int
offers_import_records(struct db *db, struct offers_text *t, enum offer_provider p,
		      const json_t *records, int64_t now, struct offers_import_stats *st, FILE *log)
{
	memset(st, 0, sizeof(*st));
	int rc = db_tx_begin(db);
	size_t i;
	const json_t *rec;
	json_array_foreach(records, i, rec) {
		if (rc)
			break;
		/* One arena per record: a large file never holds every mapped record at once. */
		struct arena *a = arena_new();
		rc = p == PROVIDER_MEE ? import_event(db, a, rec, i, now, st, log)
				       : import_offers(db, t, a, p, rec, i, now, st, log);
		arena_free(a);
	}
	rc = db_tx_end(db, rc);
	if (rc)
		memset(st, 0, sizeof(*st));
	return rc;
}

static const char *
plural(int n, const char *one, const char *many)
{
	return n > 1 ? many : one;
}

char *
offers_import_summary(enum offer_provider p, const struct offers_import_stats *st)
{
	int total = st->inserted + st->updated;
	if (p == PROVIDER_MEE)
		return g_strdup_printf("%d %s (%d %s, %d mis à jour), %d %s", total,
				       plural(total, "événement importé", "événements importés"),
				       st->inserted, plural(st->inserted, "nouveau", "nouveaux"),
				       st->updated, st->rejected,
				       plural(st->rejected, "rejeté", "rejetés"));
	return g_strdup_printf("%d %s (%d %s, %d %s à jour), %d %s", total,
			       plural(total, "offre importée", "offres importées"), st->inserted,
			       plural(st->inserted, "nouvelle", "nouvelles"), st->updated,
			       plural(st->updated, "mise", "mises"), st->rejected,
			       plural(st->rejected, "rejetée", "rejetées"));
}

/* Reads, checks and stores @path: the exit status of offers_import_command(). */
static int
import_file(struct db *db, enum offer_provider p, const char *path, int64_t now, FILE *out,
	    FILE *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc) {
		fprintf(err, "cej offers import : fichier illisible « %s » : %s (ligne %d)\n", path,
			jerr.text, jerr.line);
		return 1;
	}
	const json_t *records = offers_envelope(p, doc);
	int status = 0;
	struct offers_import_stats st;
	char *why = NULL;
	/* The process's one analyser (offers_text.h): this command is the process. */
	struct offers_text *t = offers_text_embedded(&why);
	if (!t) {
		fprintf(err, "cej offers import : %s\n", why);
		g_free(why);
		status = 1;
	} else if (!records) {
		fprintf(err, "cej offers import : « %s » n'a pas la forme d'une réponse %s "
			"(attendu : %s)\n", path, offer_provider_name(p), envelope_shape[p]);
		status = 1;
	} else if (offers_import_records(db, t, p, records, now, &st, err)) {
		fprintf(err, "cej offers import : échec de l'écriture en base, rien n'a été "
			"importé\n");
		status = 1;
	} else {
		char *s = offers_import_summary(p, &st);
		fprintf(out, "%s\n", s);
		g_free(s);
	}
	json_decref(doc);
	offers_text_free(t);
	return status;
}

int
offers_import_command(const struct offers_cli *cli, int argc, char **argv)
{
	FILE *err = cli->err;
	struct db *db;
	gchar *provider = NULL;
	GOptionEntry e[] = {
		{"provider", 0, 0, G_OPTION_ARG_STRING, &provider,
		 "fournisseur : france-travail, engagement, immersion ou mee", "NOM"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *o = g_option_context_new("FICHIER.json");
	g_option_context_set_summary(o, "Importe dans le catalogue une réponse enregistrée d'un "
				     "fournisseur d'offres.");
	g_option_context_add_main_entries(o, e, NULL);
	GError *gerr = NULL;
	/* GOption rearranges argv: work on a copy, @argv is the caller's. */
	char **args = g_new0(char *, (size_t)argc + 1);
	memcpy(args, argv, sizeof(char *) * (size_t)argc);
	char **parsed = args;
	int n = argc, status = 2;
	enum offer_provider p;
	if (!g_option_context_parse(o, &n, &parsed, &gerr)) {
		fprintf(err, "cej offers import : %s\n", gerr->message);
		g_error_free(gerr);
	} else if (!offer_provider_parse(provider, &p)) {
		fprintf(err, "cej offers import : --provider doit valoir france-travail, "
			"engagement, immersion ou mee\n");
	} else if (n != 2) {
		fprintf(err, "cej offers import : un fichier JSON à importer est attendu\n");
	} else if (!(db = cli->open(cli->ud))) {
		status = 1;
	} else {
		status = import_file(db, p, parsed[1], cli->now, cli->out, err);
	}
	g_free(args);
	g_free(provider);
	g_option_context_free(o);
	return status;
}
