/* text.h — text helpers GLib lacks: search folding and trimming. */
#ifndef CEJ_TEXT_H
#define CEJ_TEXT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Case-folded, accent-free form of @s for search ("Éloïse" -> "eloise"); invalid UTF-8
 * yields "". Arena-owned, never NULL. */
char *text_fold(struct arena *a, const char *s);
/* text_fold(@s), and where each of its bytes comes from: (*@from)[i] is the byte offset in
 * @s of the character that folded byte i belongs to, and (*@from)[strlen(result)] is
 * strlen(@s) — so a match found in the folded text maps back to characters of @s. A
 * character may fold to several characters ("ß" -> "ss") or to none (a combining
 * accent). @from may be NULL; its array is arena-owned too. */
char *text_fold_map(struct arena *a, const char *s, size_t **from);
/* @s without leading and trailing ASCII white space. Arena-owned; NULL -> NULL. */
char *text_trim(struct arena *a, const char *s);
/* Upper-case form of UTF-8 @s ("Dupré" -> "DUPRÉ"). Arena-owned; NULL -> NULL. */
char *text_upper(struct arena *a, const char *s);
/* Splits @query into search tokens: folded (text_fold), cut on spaces and hyphens,
 * empty ones dropped, at most @max (arena strings in @tokens). Returns the count. The rule
 * of every name search (beneficiaries.md §3, §10): a row matches when each token is
 * contained in its folded "last first". */
int text_search_tokens(struct arena *a, const char *query, const char **tokens, int max);
/* Appends @s to @out escaped for HTML text and attribute values (& < > " '); NULL appends
 * nothing. For pages built without the template engine (the simulator's desk page). */
void text_append_html(GString *out, const char *s);
/* True when @s is 1 to @max ASCII digits. */
bool text_is_digits(const char *s, int max);

#endif
