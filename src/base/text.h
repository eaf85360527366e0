/* text.h — text helpers GLib lacks: search folding and trimming. */
#ifndef CEJ_TEXT_H
#define CEJ_TEXT_H

#include <stdbool.h>

struct arena;

/* Case-folded, accent-free form of @s for search ("Éloïse" -> "eloise"); invalid UTF-8
 * yields "". Arena-owned, never NULL. */
char *text_fold(struct arena *a, const char *s);
/* @s without leading and trailing ASCII white space. Arena-owned; NULL -> NULL. */
char *text_trim(struct arena *a, const char *s);
/* Upper-case form of UTF-8 @s ("Dupré" -> "DUPRÉ"). Arena-owned; NULL -> NULL. */
char *text_upper(struct arena *a, const char *s);
/* Splits @query into search tokens: folded (text_fold), cut on spaces and hyphens,
 * empty ones dropped, at most @max (arena strings in @tokens). Returns the count. The rule
 * of every name search (beneficiaries.md §3, §10): a row matches when each token is
 * contained in its folded "last first". */
int text_search_tokens(struct arena *a, const char *query, const char **tokens, int max);
/* True when @s is 1 to @max ASCII digits. */
bool text_is_digits(const char *s, int max);

#endif
