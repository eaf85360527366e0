/* establishment.h — the page "Bénéficiaires" (beneficiaries.md §10): search every
 * beneficiary of the counselor's Mission Locale, whoever follows them; their fiche opens
 * read-only outside one's portfolio. */
#ifndef CEJ_ESTABLISHMENT_H
#define CEJ_ESTABLISHMENT_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

#define ESTABLISHMENT_PAGE_SIZE 10
#define ESTABLISHMENT_MAX_TOKENS 5
#define ESTABLISHMENT_MIN_CHARS 2

struct establishment_row {
	const char *id, *first_name, *last_name, *situation;
	const char *counselor_first_name, *counselor_last_name;
	int64_t activated_at, last_activity_at;
};

struct establishment_page {
	struct establishment_row *rows;
	int n, total, page, pages;
};

/* Splits folded @query into at most ESTABLISHMENT_MAX_TOKENS tokens (spaces and hyphens)
 * into @tokens (arena). Returns the count; 0 when the trimmed query is shorter than
 * ESTABLISHMENT_MIN_CHARS characters, which the page refuses. Pure. */
int establishment_tokens(struct arena *a, const char *query, const char **tokens);

/* One page of the structure's beneficiaries matching every token. 0 or -ERR_DB. */
int establishment_search(struct db *db, struct arena *a, const char *structure_id,
			 const char **tokens, int n_tokens, int page, struct establishment_page *out);

#endif
