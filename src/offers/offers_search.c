/* offers_search.c — the offers' search: the criteria's rules (pure) and the use case
 * (offers_search.h). The SQL is in offers_search_store.c. */
#include "offers/offers_search.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/embed.h"
#include "base/err.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "offers/offers_search_store.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct offers_text *
offers_text_embedded(char **why)
{
	const struct embed_file *f = embed_find(embed_offers_data, embed_offers_data_count,
						"synonymes.txt");
	return offers_text_new(f ? (const char *)f->data : NULL, f ? f->len : 0, why);
}

/* ---- The criteria (pure) ---------------------------------------------------------------- */

bool
offers_number_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0, digits = strspn(s ? s : "", "0123456789");
	if (n == 7 && digits == 3) {
		for (size_t i = 3; i < 7; i++)
			if (s[i] < 'A' || s[i] > 'Z')
				return false;
		return true;
	}
	return (n == 7 || n == 8) && digits == n;
}

static bool
given(const char *s)
{
	return s && *s;
}

/* @s trimmed, in @a; NULL when nothing is left. */
static char *
trimmed(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	char *t = g_strstrip(arena_strdup(a, s));
	return *t ? t : NULL;
}

/* The distance of @f for a commune search of @type into *@km: default 10; 0–100 (Immersion
 * 1–100) written in digits. */
static int
parse_distance(const struct offers_form *f, enum offer_type type, int *km, struct refusal *why)
{
	int min = type == OFFER_IMMERSION ? 1 : 0;
	*km = OFFERS_DISTANCE_DEFAULT;
	if (!given(f->distance))
		return 0;
	size_t n = strlen(f->distance);
	if (n > 3 || strspn(f->distance, "0123456789") != n || atoi(f->distance) < min ||
	    atoi(f->distance) > OFFERS_DISTANCE_MAX)
		return refuse_with(why, 400, "distance", NULL, min
				   ? "La distance doit être comprise entre 1 et 100 km."
				   : "La distance doit être comprise entre 0 et 100 km.");
	*km = atoi(f->distance);
	return 0;
}

static int
parse_place(struct arena *a, const struct offers_form *f, struct offers_criteria *c,
	    struct refusal *why)
{
	char *place = trimmed(a, f->place);
	if (!place)
		return 0;
	if (strlen(place) == 5 && geo_dept_of_insee(a, place))
		c->commune = place;
	else if (geo_dept_valid(place))
		c->departement = place;
	else
		return refuse_with(why, 400, "lieu", NULL, "Le lieu de travail est invalide : "
				   "choisissez une commune ou un département dans la liste.");
	return c->commune ? parse_distance(f, c->type, &c->distance_km, why) : 0;
}

/* The bits of @n values of @v among @names (NULL-terminated, bit i for names[i]). */
static int
parse_bits(const char *const *v, int n, const char *const *names, unsigned *bits)
{
	*bits = 0;
	for (int i = 0; i < n; i++) {
		int k = 0;
		while (names[k] && g_strcmp0(v[i], names[k]))
			k++;
		if (!names[k])
			return -1;
		*bits |= 1u << k;
	}
	return 0;
}

int64_t
offers_day_parse(const char *s)
{
	if (strlen(s) == 10 && s[2] == '/' && s[5] == '/') {
		char iso[11] = {s[6], s[7], s[8], s[9], '-', s[3], s[4], '-', s[0], s[1], 0};
		return clock_day_parse(iso);
	}
	return clock_day_parse(s);
}

/* Service civique's "Domaine" and "Date de début" of @f into @c. */
static int
parse_mission(struct arena *a, const struct offers_form *f, struct offers_criteria *c,
	      struct refusal *why)
{
	char *slug = trimmed(a, f->domain);
	if (slug && !(c->domain = offer_domain_by_slug(slug)))
		return refuse_with(why, 400, "domaine", NULL, "Le domaine est invalide : "
				   "choisissez un domaine dans la liste.");
	bool asap = false, dated = false;
	if (given(f->start_mode)) {
		asap = !strcmp(f->start_mode, "des-que-possible");
		dated = !strcmp(f->start_mode, "a-partir-de");
		if (!asap && !dated)
			return refuse_with(why, 400, "debut", NULL, "La date de début est invalide : "
					   "choisissez « Dès que possible » ou « À partir de ».");
	}
	char *start = asap ? NULL : trimmed(a, f->start);
	if (!start && dated)
		return refuse_with(why, 400, "debut", NULL, "Renseignez la date de début au "
				   "format jj/mm/aaaa.");
	if (!start)
		return 0;
	int64_t day = offers_day_parse(start);
	if (day == CLOCK_NO_DAY)
		return refuse_with(why, 400, "debut", NULL, "La date de début est invalide : "
				   "renseignez une date au format jj/mm/aaaa.");
	c->start_from = clock_day_iso(a, day);
	return 0;
}

int
offers_criteria_parse(struct arena *a, const struct offers_form *f, struct offers_criteria *c,
		      struct refusal *why)
{
	memset(c, 0, sizeof(*c));
	if (!given(f->type) || !offer_type_parse(f->type, true, &c->type))
		return refuse_with(why, 400, "type", NULL, "Le type d'offre est invalide.");
	char *number = trimmed(a, f->number);
	if (number) {
		if (c->type != OFFER_EMPLOI && c->type != OFFER_ALTERNANCE)
			return refuse_with(why, 400, "numero", NULL, "La recherche par numéro d'offre "
					   "ne concerne que les offres d'emploi et d'alternance.");
		for (char *p = number; *p; p++)
			*p = g_ascii_toupper(*p);
		if (!offers_number_valid(number))
			return refuse_with(why, 400, "numero", NULL,
					   "Le numéro d'offre est invalide. Exemple : 123ABCD.");
		c->number = number;
		return 0;
	}
	c->keywords = trimmed(a, f->keywords);
	int rc = parse_place(a, f, c, why);
	if (rc)
		return rc;
	static const char *const contracts[] = {"CDI", "CDD", "AUTRES", NULL};
	static const char *const times[] = {"PLEIN", "PARTIEL", NULL};
	if (parse_bits(f->contracts, f->n_contracts, contracts, &c->contracts))
		return refuse_with(why, 400, "contrat", NULL, "Le type de contrat est invalide.");
	if (parse_bits(f->work_times, f->n_work_times, times, &c->work_times))
		return refuse_with(why, 400, "temps", NULL, "Le temps de travail est invalide.");
	if (c->type != OFFER_EMPLOI)
		c->contracts = 0;   /* "Type de contrat" is an Emploi criterion (§1) */
	if (c->work_times == (OFFERS_TIME_FULL | OFFERS_TIME_PARTIAL))
		c->work_times = 0;
	c->beginner = f->beginner;
	rc = parse_mission(a, f, c, why);
	if (rc)
		return rc;
	if (c->type != OFFER_SERVICE_CIVIQUE) {
		c->domain = NULL;   /* Service civique's criteria (§1) */
		c->start_from = NULL;
	}
	if (c->type == OFFER_IMMERSION && !c->keywords)
		return refuse_with(why, 400, "motsCles", NULL, "Le métier est obligatoire.");
	if (c->type == OFFER_IMMERSION && !c->commune)
		return refuse_with(why, 400, "lieu", NULL, "La localisation est obligatoire : "
				   "choisissez une commune.");
	return 0;
}

/* ---- The search ------------------------------------------------------------------------ */

/* The document frequencies already counted, per term: counting a common term's postings
 * takes milliseconds (37,000 postings of "agent" at 500,000 offers: ~4 ms), and a search
 * of a few words repeats the same few hundred terms. Valid while the collection's
 * statistics are those of @stamp: any (re)indexing changes them (docs or total_len), and
 * the cache starts over. Shared by the threads (a mutex), bounded (cleared when full). */
#define DF_CACHE_MAX 20000
static struct {
	GMutex lock;
	GHashTable *df;              /* term → int64_t* */
	int64_t docs, total_len;     /* the stamp */
} df_cache;

static int64_t
cached_df(struct db *db, const char *term, int64_t docs, int64_t total_len)
{
	g_mutex_lock(&df_cache.lock);
	if (!df_cache.df)
		df_cache.df = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (df_cache.docs != docs || df_cache.total_len != total_len ||
	    g_hash_table_size(df_cache.df) >= DF_CACHE_MAX) {
		g_hash_table_remove_all(df_cache.df);
		df_cache.docs = docs;
		df_cache.total_len = total_len;
	}
	int64_t *hit = g_hash_table_lookup(df_cache.df, term);
	int64_t d = hit ? *hit : -1;
	g_mutex_unlock(&df_cache.lock);
	if (d >= 0)
		return d;
	d = offers_search_store_df(db, term);
	if (d < 0)
		return d;
	g_mutex_lock(&df_cache.lock);
	if (df_cache.docs == docs && df_cache.total_len == total_len)
		g_hash_table_replace(df_cache.df, g_strdup(term), g_memdup2(&d, sizeof(d)));
	g_mutex_unlock(&df_cache.lock);
	return d;
}

/* Resolves the keywords of @c into @q: the distinct text terms, rarest first, with their
 * idf, and the ROME code. *@none is set when no offer can match (a term no offer holds,
 * two different ROME codes). */
static int
resolve_terms(struct db *db, struct arena *a, struct offers_text *t, const char *keywords,
	      struct offers_query *q, bool *none)
{
	*none = false;
	if (!keywords)
		return 0;
	int64_t docs, total;
	int rc = offers_search_store_stats(db, &docs, &total);
	if (rc)
		return rc;
	GPtrArray *terms = offers_terms_new();
	offers_text_terms(t, keywords, terms);
	const char **text = arena_alloc(a, sizeof(char *) * OFFERS_TERMS_MAX);
	int64_t df[OFFERS_TERMS_MAX];
	int n = 0;
	for (guint i = 0; i < terms->len && !rc && !*none; i++) {
		const struct offers_term *x = terms->pdata[i];
		if (x->rome) {
			*none = q->rome_code && strcmp(q->rome_code, x->text);
			q->rome_code = arena_strdup(a, x->text);
			continue;
		}
		bool seen = false;
		for (int k = 0; k < n; k++)
			seen |= !strcmp(text[k], x->text);
		if (seen || n == OFFERS_TERMS_MAX)
			continue;
		if (strlen(x->text) > OFFERS_TERM_MAX) {
			*none = true;   /* never indexed */
			break;
		}
		int64_t d = cached_df(db, x->text, docs, total);
		if (d < 0)
			rc = (int)d;
		else if (d == 0)
			*none = true;
		else {
			/* Insertion in df order: the rarest term drives the query. */
			int k = n++;
			for (; k > 0 && df[k - 1] > d; k--) {
				text[k] = text[k - 1];
				df[k] = df[k - 1];
			}
			text[k] = arena_strdup(a, x->text);
			df[k] = d;
		}
	}
	g_ptr_array_unref(terms);
	if (rc || *none || !n)
		return rc;
	double avgdl = docs > 0 && total > 0 ? (double)total / (double)docs : 1;
	double *idf = arena_alloc(a, sizeof(double) * (size_t)n);
	for (int i = 0; i < n; i++) {
		double N = (double)(docs > df[i] ? docs : df[i]);
		idf[i] = log(1 + (N - (double)df[i] + 0.5) / ((double)df[i] + 0.5));
	}
	q->terms = text;
	q->idf = idf;
	q->n_terms = n;
	q->bm25_a = OFFERS_BM25_K1 * (1 - OFFERS_BM25_B);
	q->bm25_b = OFFERS_BM25_K1 * OFFERS_BM25_B / avgdl;
	return 0;
}

/* The commune of @c into @q: its centre, the distance. */
static int
resolve_commune(struct db *db, struct arena *a, const struct offers_criteria *c,
		struct offers_query *q, struct refusal *why)
{
	struct geo_commune com;
	int rc = geo_commune_get(db, a, c->commune, &com);
	if (rc == -ERR_NOTFOUND)
		return refuse_with(why, 400, "lieu", NULL, "Cette commune est inconnue : choisissez "
				   "une commune dans la liste.");
	if (rc)
		return rc;
	q->commune = com.insee;
	q->has_centre = com.has_centre;
	q->lat = com.lat;
	q->lon = com.lon;
	q->km = c->distance_km;
	q->near = com.has_centre && c->distance_km > 0;
	return 0;
}

/* @c resolved into @q: the terms analysed, the commune's centre read. *@none when no offer
 * can match. 0, -ERR_INVAL (an unknown commune) or -ERR_DB. */
static int
resolve(struct db *db, struct arena *a, struct offers_text *t, const struct offers_criteria *c,
	struct offers_query *q, bool *none, struct refusal *why)
{
	*q = (struct offers_query){.type = c->type, .number = c->number,
				   .departement = c->departement,
				   .contracts = c->type == OFFER_EMPLOI ? c->contracts : 0,
				   .work_times = c->work_times, .beginner = c->beginner,
				   .first_seen_after = c->first_seen_after,
				   .domain = c->domain ? c->domain->label : NULL};
	/* "À partir de" a day: from its midnight in Paris, the zone the counselor's cards
	 * print "Dès le" in. */
	if (c->start_from) {
		q->has_start = true;
		q->start_from = clock_day_at(clock_day_parse(c->start_from), 0, 0, "Europe/Paris");
	}
	*none = false;
	if (c->number)
		return 0;
	int rc = resolve_terms(db, a, t, c->keywords, q, none);
	if (!rc && c->commune)
		rc = resolve_commune(db, a, c, q, why);
	return rc;
}

int
offers_search(struct db *db, struct arena *a, struct offers_text *t,
	      const struct offers_criteria *c, int page, struct offers_result *out,
	      struct refusal *why)
{
	memset(out, 0, sizeof(*out));
	if (page < 1 || (int64_t)page * OFFERS_PAGE_SIZE > OFFERS_COUNT_MAX)
		return refuse_with(why, 400, "page", NULL, "Cette page n'existe pas : seuls les "
				   "1000 premiers résultats peuvent être affichés.");
	struct offers_query q;
	bool none;
	int rc = resolve(db, a, t, c, &q, &none, why);
	if (rc || none)
		return rc;
	int64_t total;
	int n = offers_search_store_page(db, a, &q, (page - 1) * OFFERS_PAGE_SIZE,
					 OFFERS_PAGE_SIZE, out->hits, &total);
	if (n < 0)
		return n;
	out->n = n;
	/* Counted by the ranking's pass, or a first page that is not full holds every match;
	 * else the count query, which reads at most 1,001 matches. */
	int count = total >= 0 ? (int)MIN(total, OFFERS_COUNT_MAX + 1)
		: page == 1 && n < OFFERS_PAGE_SIZE ? n
		: offers_search_store_count(db, a, &q, OFFERS_COUNT_MAX + 1);
	if (count < 0)
		return count;
	out->count = count;
	out->more = count > OFFERS_COUNT_MAX;
	return 0;
}

int
offers_search_any(struct db *db, struct arena *a, struct offers_text *t,
		  const struct offers_criteria *c, bool *any, struct refusal *why)
{
	*any = false;
	struct offers_query q;
	bool none;
	int rc = resolve(db, a, t, c, &q, &none, why);
	if (rc || none)
		return rc;
	int n = offers_search_store_count(db, a, &q, 1);
	if (n < 0)
		return n;
	*any = n > 0;
	return 0;
}

const char *
offers_count_label(struct arena *a, const struct offers_result *r)
{
	if (r->more)
		return arena_printf(a, "plus de %d offres", OFFERS_COUNT_MAX);
	return arena_printf(a, "%d %s", r->count, r->count > 1 ? "offres" : "offre");
}
