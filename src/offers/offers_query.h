/* offers_query.h — the offers' criteria as a URL carries them (offers.md §1: "criteria live
 * in the URL"), in one place for every page that reads or writes them: the counselor's
 * search, the app's search, saved searches and suggestions. Pure: no I/O.
 *
 * Parameter names (the same everywhere, so that a URL means the same on every page):
 *   type      "emploi" | "alternance" | "service-civique" | "immersion"
 *   numero    "Numéro d'offre" (the only criterion when given)
 *   motscles  "Mots clés (Métier, code ROME)" / "Métier"
 *   lieu      a commune's INSEE code or a département's code
 *   distance  km
 *   contrat   repeated: "CDI", "CDD", "AUTRES"
 *   temps     repeated: "PLEIN", "PARTIEL"
 *   debutant  "1" when "Débutant accepté" is on
 *   domaine   Service civique's "Domaine": a slug of offer_domains ("solidarite-insertion")
 *   quand     Service civique's "Date de début" as the form's radios say it:
 *             "des-que-possible" or "a-partir-de" (the form's only: never written back)
 *   debut     "À partir de": "aaaa-mm-jj" (or "jj/mm/aaaa")
 * and `page` (1-based), which is not a criterion: offers_query_string leaves it out. */
#ifndef CEJ_OFFERS_QUERY_H
#define CEJ_OFFERS_QUERY_H

#include "offers/offers_search.h"

struct arena;
struct kvlist;

/* A form read from a query string, with room for its repeated values. */
struct offers_query {
	struct offers_form form;
	const char *contracts[3];
	const char *work_times[2];
};

/* Reads the parameters above from @q (a request's query or form) into @out; strings point
 * into @q. Unknown or repeated-beyond-room values are ignored (offers_criteria_parse
 * checks what is kept). */
void offers_query_read(const struct kvlist *q, struct offers_query *out);

/* "type=emploi&motscles=vendeur&lieu=29019&distance=10" for @f: the non-empty criteria in
 * the order above, percent-encoded, without `page` and without a leading '?'. "" when
 * nothing is set. `quand` is never written: `debut` is, unless "des-que-possible" drops
 * it. Arena-owned. */
char *offers_query_string(struct arena *a, const struct offers_form *f);

#endif
