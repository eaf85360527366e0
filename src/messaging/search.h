/* search.h — the pure rules of "Rechercher un message" (messaging.md §6): the field's
 * limits and messages, the case- and accent-insensitive matching with its highlights, and
 * the counter's wording. The decryption of the conversation is messaging_search
 * (messaging_use.h); the page is conversations_web.c.
 *
 * Matching uses the folding of every search of the product (text_fold: canonical
 * decomposition, case folding, combining marks dropped), so "eleve" finds "Élève" and
 * "CV" finds "cv". Strings returned are arena-owned. */
#ifndef CEJ_MESSAGING_SEARCH_H
#define CEJ_MESSAGING_SEARCH_H

struct arena;

#define MSG_SEARCH_MAX 100       /* characters of the field, after trimming */
#define MSG_SEARCH_SHOWN 50      /* results listed, the newest; the counter counts them all */
#define MSG_SEARCH_EMPTY "Le champ “Recherche” est vide. Renseignez une recherche."
#define MSG_SEARCH_TOO_LONG \
	"Vous avez dépassé le nombre maximal de caractères. Retirez des caractères."

/* Checks what was typed in "Rechercher dans la conversation": trimmed of ASCII white
 * space, at most 100 characters, and something left once folded (a lone combining accent,
 * like invalid UTF-8, is empty).
 * NULL with *@folded set to the folded query, or the French message to show. */
const char *msg_search_check(struct arena *a, const char *query, const char **folded);

/* @text as HTML for a result: every occurrence of @folded_query (as msg_search_check gives
 * it) wrapped in <mark>…</mark>, everything else escaped (& < > " '), newlines kept.
 * Occurrences are found left to right without overlapping in the folded text, then mapped
 * back to the characters of @text they come from: the original characters are wrapped,
 * with the combining accents that follow them, and a match that covers part of one
 * character ("s" in "ß") wraps the whole character. Invalid UTF-8 is replaced first.
 * NULL when @text holds no occurrence: most messages of a search, which then cost no
 * HTML. */
char *msg_search_mark(struct arena *a, const char *folded_query, const char *text);
/* @text as HTML without any <mark> (a message found by its file's name): escaped as
 * msg_search_mark escapes. */
char *msg_search_plain(struct arena *a, const char *text);

/* "Aucun résultat trouvé", "1 résultat trouvé" or "{n} résultats trouvés". */
char *msg_search_counter(struct arena *a, int n);

#endif
