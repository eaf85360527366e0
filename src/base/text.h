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
/* True when @s is 1 to @max ASCII digits. */
bool text_is_digits(const char *s, int max);

#endif
