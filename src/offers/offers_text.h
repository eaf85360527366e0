/* offers_text.h — the French text of the offers' full-text search (offers.md §8.4,
 * docs/offers-text.md): one function turns a title, a description or what is typed in
 * "Mots clés" into index terms, the same way at index time and at query time, so that a
 * query term equals an indexed term exactly when the words should match:
 *
 *   "Vendeuses (H/F) en boulangerie – D1214"  →  vendeur, boulanger, D1214 (ROME)
 *
 * Steps, per word: split on what is neither a letter nor a digit; elisions dropped (l', d',
 * j', qu', n', s', c', m', t', with ' or ’); a ROME code (^[A-Z]\d{4}$ as written) kept as
 * is and flagged; otherwise lower case, accents removed (œ → oe), a feminine "-ée(s)"
 * made "-é(s)"; stop words and single letters dropped (not single digits); Snowball's French stemmer
 * (libstemmer) on the unaccented word; last, the synonyms (data/offers/synonymes.txt:
 * feminine job titles the stemmer does not join to the masculine, compared stem to stem,
 * so plurals follow). Words holding a digit are not stemmed ("123abcd", "35h").
 *
 * Pure: no I/O, no global state. Self-contained (GLib and libstemmer only). */
#ifndef CEJ_OFFERS_TEXT_H
#define CEJ_OFFERS_TEXT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* The analyser: the stemmer and the synonyms. Build one per process and share it:
 * offers_text_terms() may be called from any thread at once. Snowball's stemmer keeps its
 * work in its handle (not thread-safe), so the one handle is used under a mutex, held for
 * the stemming of one word. Measured (docs/offers-text.md): stemming costs ~5,200
 * instructions a word, the mutex 17 more (0.3 %), a handle made per call 3,300 more
 * (+63 %); under contention (2 threads stemming without pause) a handle per thread was
 * faster, but a search stems 1 to 5 words (~2 µs): the lock is not worth a handle per
 * thread and its life cycle. Bulk indexing from several threads would be the time to
 * switch. */
struct offers_text;

/* One index term: the stem ("vendeur"), or a ROME code as written ("D1214", rome true). */
struct offers_term {
	char *text;
	bool rome;
};

/* The analyser with the synonyms of @synonyms (@len bytes, the format of
 * data/offers/synonymes.txt: "féminin masculin" per line, # comments; NULL for none).
 * NULL, with a French message in *@why (g_free), when a line is not two words or
 * Snowball has no French stemmer. */
struct offers_text *offers_text_new(const char *synonyms, size_t len, char **why);
void offers_text_free(struct offers_text *t);  /* NULL is fine */

/* A GPtrArray for offers_text_terms(): it owns its struct offers_term (freed with the
 * array, g_ptr_array_unref). */
GPtrArray *offers_terms_new(void);

/* Appends the index terms of UTF-8 @text to @out, in the order of the words, duplicates
 * kept (a ranking counts them). NULL or invalid UTF-8 appends nothing. Returns how many
 * were appended. No length limit: memory grows with @text. */
int offers_text_terms(struct offers_text *t, const char *text, GPtrArray *out);

/* The one term of a single word (a query's word as the search shows it, a synonym):
 * the stem, or NULL when the word is a stop word or yields no term. g_free. */
char *offers_text_term(struct offers_text *t, const char *word);

#endif
