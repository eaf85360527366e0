/* offers_search.h — the offers' search (offers.md §1, §2, §8.4, §8.5; docs/offers.md
 * "Recherche"): the criteria of the form checked by pure rules, then the query on the
 * local catalogue — French full-text on the index of stems (every term required, BM25-like
 * ranking on the weighted fields), ROME codes, offer numbers, the commune (haversine
 * distance from its centre) or département filter, contract / working time / beginner
 * filters — with the exact count up to 1,000 and 10 results per page. The same on SQLite
 * and PostgreSQL (offers_search_store.c). */
#ifndef CEJ_OFFERS_SEARCH_H
#define CEJ_OFFERS_SEARCH_H

#include "offers/offers.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct offers_text;
struct refusal;

#define OFFERS_PAGE_SIZE 10
#define OFFERS_COUNT_MAX 1000       /* counted exactly up to this; beyond: "plus de 1000" */
#define OFFERS_DISTANCE_DEFAULT 10  /* km, with a commune */
#define OFFERS_DISTANCE_MAX 100
#define OFFERS_TERMS_MAX 10         /* words of "Mots clés" that count (the first ones) */

/* BM25's parameters (the usual ones). */
#define OFFERS_BM25_K1 1.2
#define OFFERS_BM25_B 0.75

/* The analyser of the search with the synonyms embedded in the binary
 * (data/offers/synonymes.txt). Made ONCE PER PROCESS by the entry point — `cej offers …`
 * (offers_import_command), the server at its start (with the search pages), a test suite,
 * the benchmark — and handed down to the store and the search: the lower layers never make
 * one. NULL with a French message in *@why (g_free) when it cannot be made. Free with
 * offers_text_free(). */
struct offers_text *offers_text_embedded(char **why);

/* Contract groups (offers.md §1, Emploi only): CDI = {CDI, DIN}; "CDD - intérim -
 * saisonnier" = {CDD, MIS, SAI, DDI}; Autres = {CCE, FRA, LIB, REP, TTI}. A bit set; 0 = all. */
enum { OFFERS_CONTRACT_CDI = 1, OFFERS_CONTRACT_CDD = 2, OFFERS_CONTRACT_OTHER = 4 };
/* "Temps de travail": a bit set; 0 (or both) = either. */
enum { OFFERS_TIME_FULL = 1, OFFERS_TIME_PARTIAL = 2 };

/* The form as the URL carries it: every string NULL or "" when not given. */
struct offers_form {
	const char *type;          /* slug: "emploi", "alternance", "service-civique", "immersion" */
	const char *number;        /* "Numéro d'offre": when given, the only criterion */
	const char *keywords;      /* "Mots clés (Métier, code ROME)" / "Métier" */
	const char *place;         /* "Lieu de travail": a commune's INSEE code or a département's code */
	const char *distance;      /* km */
	const char *const *contracts;   /* "CDI", "CDD", "AUTRES" (@n_contracts) */
	int n_contracts;
	const char *const *work_times;  /* "PLEIN", "PARTIEL" (@n_work_times) */
	int n_work_times;
	bool beginner;             /* "Débutant accepté" */
	const char *domain;        /* "Domaine" (Service civique): a slug of offer_domains */
	const char *start_mode;    /* "Date de début" (Service civique): "des-que-possible" or
				    * "a-partir-de"; NULL: as @start says */
	const char *start;         /* "À partir de": "aaaa-mm-jj" (the date input) or "jj/mm/aaaa" */
};

/* The criteria, checked. Strings are arena-owned or the form's. */
struct offers_criteria {
	enum offer_type type;
	const char *number;        /* the offer number (upper case); NULL: a criteria search */
	const char *keywords;      /* NULL: none */
	const char *commune;       /* INSEE code, or NULL */
	const char *departement;   /* code, or NULL (never both with commune) */
	int distance_km;           /* with a commune: 0–100 (Immersion 1–100), default 10 */
	unsigned contracts;        /* OFFERS_CONTRACT_* (Emploi only; 0 otherwise) */
	unsigned work_times;       /* OFFERS_TIME_*: 0 when neither or both */
	bool beginner;
	/* Service civique only (NULL for the other types): the domain, NULL for every one; the
	 * first day of "À partir de" ("yyyy-mm-dd", the mission's start_date on or after it,
	 * read in Europe/Paris), NULL for "Dès que possible" — no filter: a mission already
	 * started still takes volunteers (docs/offers.md "Domaine et date de début"). */
	const struct offer_domain *domain;
	const char *start_from;
	/* The alerts (offers_alerts.h): only the offers that entered the catalogue after this
	 * instant (first_seen_at > it). 0, as offers_criteria_parse leaves it: every offer. */
	int64_t first_seen_after;
};

/* True for an offer number: three digits and four capital letters ("123ABCD") or 7–8
 * digits. */
bool offers_number_valid(const char *s);

/* The civil day (clock.h) of "aaaa-mm-jj" (a date input) or "jj/mm/aaaa" (typed), or
 * CLOCK_NO_DAY. */
int64_t offers_day_parse(const char *s);

/* Checks @f into @c (pure). The number is trimmed and upper-cased first ("123abcd" is
 * 123ABCD); when given, the other criteria are left out (Emploi and Alternance only). A
 * place of 5 characters is a commune's INSEE code, a valid département code a département
 * ("29", "2A", "974"); the distance counts only with a commune (ignored otherwise: the
 * form hides it); contract groups only for Emploi; the domain and the start date only for
 * Service civique (an unknown domain, a start mode other than "des-que-possible" /
 * "a-partir-de", "a-partir-de" without a date or a date that is not one are refused on
 * "domaine" / "debut"; "des-que-possible" drops the date). Immersion needs a métier and a commune.
 * 0, or -ERR_INVAL with @why filled (400, the field, the French message: "Le numéro d'offre
 * est invalide. Exemple : 123ABCD."…). */
int offers_criteria_parse(struct arena *a, const struct offers_form *f, struct offers_criteria *c,
			  struct refusal *why);

/* One result: what a card shows (offers.md §2), its distance when a commune was given,
 * its relevance when keywords were. Strings are arena-owned. A string field added here must
 * also be copied by offers_cache.c (copy_hit): a cached page outlives the request's arena. */
struct offers_hit {
	const char *id, *title, *company, *place_label, *postal_code, *commune_insee,
		*dept_code, *rome_code, *appellation_label, *contract_code, *contract_label,
		*work_time, *work_time_label, *experience_code, *domain;
	enum offer_type type;
	bool voluntary;
	int64_t start_date, provider_created_at, provider_updated_at;
	bool has_distance;         /* a commune was given and the offer has a position */
	double distance_km;        /* from the commune's centre (geo_distance_km) */
	double score;              /* BM25 relevance; 0 without keywords */
};

struct offers_result {
	int count;                 /* exact when ≤ OFFERS_COUNT_MAX; OFFERS_COUNT_MAX + 1 = more */
	bool more;                 /* count > OFFERS_COUNT_MAX: "plus de 1000" */
	int n;                     /* hits on this page */
	struct offers_hit hits[OFFERS_PAGE_SIZE];
};

/* Page @page (1-based, 10 per page) of the active offers matching @c, in the order of
 * offers.md §2: with keywords, relevance (BM25 over title ×4, appellation and ROME label
 * ×3, company and description ×1; k1 1.2, b 0.75) then update date; without, update date
 * (Emploi, Alternance), creation date (Service civique); Immersion always by distance (its
 * "Métier", required, is a filter more than a query); the id breaks ties. Every keyword's term is required; a ROME code ("D1214") filters rome_code;
 * the commune filter keeps the offers within c->distance_km of the commune's centre (an
 * offer without coordinates is placed at its commune's centre), and always the commune's
 * own offers and those of its arrondissements (Paris, Lyon, Marseille); distance 0 = the
 * commune (and its arrondissements) only. The count is exact up to 1,000, then
 * OFFERS_COUNT_MAX + 1: without keywords a count query reads at most 1,001 matches; with
 * keywords the ranking reads every match anyway and counts them in the same pass. -ERR_INVAL with @why for a page outside 1…100 (page × 10 > 1000: 400)
 * or an unknown commune; -ERR_DB. @t: the process's analyser (offers_text_embedded). */
int offers_search(struct db *db, struct arena *a, struct offers_text *t,
		  const struct offers_criteria *c, int page, struct offers_result *out,
		  struct refusal *why);

/* Whether at least one active offer matches @c (the same matching as offers_search, no
 * ranking, no count: the first match found ends the query) into *@any: the alert runs
 * (offers_alerts.h), with c->first_seen_after set. 0, -ERR_INVAL with @why for an unknown
 * commune, or -ERR_DB. */
int offers_search_any(struct db *db, struct arena *a, struct offers_text *t,
		      const struct offers_criteria *c, bool *any, struct refusal *why);

/* "1 offre", "345 offres", "plus de 1000 offres": the count of the results' heading
 * ("Liste des résultats (…)"). Arena-owned. */
const char *offers_count_label(struct arena *a, const struct offers_result *r);

#endif
