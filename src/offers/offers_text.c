/* offers_text.c — French normalisation and stemming of the offers' search (offers_text.h). */
#include "offers/offers_text.h"

#include <libstemmer.h>
#include <string.h>

struct offers_text {
	struct sb_stemmer *stemmer;   /* not thread-safe: only under @lock */
	GMutex lock;
	GHashTable *synonyms;         /* stem → stem, owned strings */
};

/* Folded, after the elisions: the short list of words too common to tell offers apart
 * (articles, prepositions, pronouns, conjunctions). Single letters go anyway (the "H/F"
 * of every title); single digits stay ("SSIAP 1"). */
static const char *const stop_words[] = {
	"au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle",
	"elles", "en", "et", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "mes", "mon",
	"ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa",
	"sans", "se", "ses", "son", "sur", "ta", "te", "tes", "ton", "tu", "un", "une", "vos",
	"votre", "vous",
};

/* The words an apostrophe cuts from the next one: l'électricien, qu'il, d’entretien. */
static const char *const elisions[] = {"l", "d", "j", "qu", "n", "s", "c", "m", "t"};

static bool
in(const char *const *list, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_strcasecmp(list[i], w))
			return true;
	return false;
}

static bool
is_apostrophe(gunichar c)
{
	return c == '\'' || c == 0x2019 || c == 0x02BC;   /* ' ’ ʼ */
}

/* ^[A-Z][0-9]{4}$, as written. */
static bool
is_rome(const char *w)
{
	return strlen(w) == 5 && g_ascii_isupper(w[0]) && strspn(w + 1, "0123456789") == 4;
}

/* Lower case without accents: canonical decomposition, marks dropped, then the letters
 * that do not decompose ("œ", "æ", "ß"). g_free. */
static char *
fold(const char *w)
{
	char *nfd = g_utf8_normalize(w, -1, G_NORMALIZE_NFD);
	GString *out = g_string_sized_new(strlen(w));
	for (const char *p = nfd; p && *p; p = g_utf8_next_char(p)) {
		gunichar c = g_unichar_tolower(g_utf8_get_char(p));
		if (g_unichar_ismark(c))
			continue;
		if (c == 0x0153)
			g_string_append(out, "oe");
		else if (c == 0x00E6)
			g_string_append(out, "ae");
		else if (c == 0x00DF)
			g_string_append(out, "ss");
		else
			g_string_append_unichar(out, c);
	}
	g_free(nfd);
	return g_string_free(out, FALSE);
}

static char *
stem(struct offers_text *t, const char *w)
{
	g_mutex_lock(&t->lock);
	const sb_symbol *s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)w, (int)strlen(w));
	char *r = s ? g_strndup((const char *)s, (gsize)sb_stemmer_length(t->stemmer)) : g_strdup(w);
	g_mutex_unlock(&t->lock);
	return r;
}

/* The term of one word (elisions already cut), or NULL. g_free. */
static char *
term_of(struct offers_text *t, const char *word, bool *rome)
{
	*rome = is_rome(word);
	if (*rome)
		return g_strdup(word);
	char *w = fold(word);
	bool letter = g_utf8_strlen(w, -1) == 1 && !g_unichar_isdigit(g_utf8_get_char(w));
	if (!*w || letter || in(stop_words, G_N_ELEMENTS(stop_words), w)) {
		g_free(w);
		return NULL;
	}
	if (strpbrk(w, "0123456789"))
		return w;
	/* Unaccented, a feminine participle ends in "ee": "employee" would stem "employe"
	 * where "employe" stems "employ". Without the accent the stemmer cannot tell; one "e"
	 * less joins them (applied at index and query time alike). */
	size_t n = strlen(w);
	if (n > 3 && !strcmp(w + n - 2, "ee"))
		w[n - 1] = '\0';
	else if (n > 4 && !strcmp(w + n - 3, "ees"))
		memmove(w + n - 2, w + n - 1, 2);
	char *s = stem(t, w);
	g_free(w);
	const char *syn = t->synonyms ? g_hash_table_lookup(t->synonyms, s) : NULL;
	if (syn) {
		g_free(s);
		s = g_strdup(syn);
	}
	return s;
}

static void
term_free(void *p)
{
	struct offers_term *term = p;
	g_free(term->text);
	g_free(term);
}

GPtrArray *
offers_terms_new(void)
{
	return g_ptr_array_new_with_free_func(term_free);
}

int
offers_text_terms(struct offers_text *t, const char *text, GPtrArray *out)
{
	if (!text || !g_utf8_validate(text, -1, NULL))
		return 0;
	int added = 0;
	const char *p = text;
	while (*p) {
		/* The next word: a run of letters and digits (marks stay with their letter). */
		while (*p && !g_unichar_isalnum(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		const char *start = p;
		while (*p && (g_unichar_isalnum(g_utf8_get_char(p)) || g_unichar_ismark(g_utf8_get_char(p))))
			p = g_utf8_next_char(p);
		if (p == start)
			break;
		char *word = g_strndup(start, (gsize)(p - start));
		bool elided = *p && is_apostrophe(g_utf8_get_char(p)) &&
			      in(elisions, G_N_ELEMENTS(elisions), word);
		bool rome = false;
		char *term = elided ? NULL : term_of(t, word, &rome);
		g_free(word);
		if (term) {
			struct offers_term *x = g_new(struct offers_term, 1);
			*x = (struct offers_term){.text = term, .rome = rome};
			g_ptr_array_add(out, x);
			added++;
		}
	}
	return added;
}

char *
offers_text_term(struct offers_text *t, const char *word)
{
	GPtrArray *terms = offers_terms_new();
	offers_text_terms(t, word, terms);
	char *r = NULL;
	if (terms->len) {
		struct offers_term *x = terms->pdata[0];
		r = x->text;
		x->text = NULL;
	}
	g_ptr_array_unref(terms);
	return r;
}

/* Loads "féminin masculin" lines into @table as stem → stem, stemming with @t (which has
 * no synonyms yet: a line never depends on another). */
static bool
load_synonyms(struct offers_text *t, GHashTable *table, const char *text, size_t len, char **why)
{
	char *copy = g_strndup(text, len);
	gchar **lines = g_strsplit(copy, "\n", -1);
	g_free(copy);
	bool ok = true;
	for (int i = 0; ok && lines[i]; i++) {
		char *hash = strchr(lines[i], '#');
		if (hash)
			*hash = '\0';
		gchar **w = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
		GPtrArray *words = g_ptr_array_new();
		for (gchar **x = w; *x; x++)
			if (**x)
				g_ptr_array_add(words, *x);
		char *from = NULL, *to = NULL;
		if (words->len == 2) {
			from = offers_text_term(t, words->pdata[0]);
			to = offers_text_term(t, words->pdata[1]);
		}
		if (words->len && (!from || !to)) {
			*why = g_strdup_printf("synonymes, ligne %d : il faut deux mots, « féminin masculin »",
					       i + 1);
			ok = false;
		}
		if (ok && from && to && strcmp(from, to)) {
			g_hash_table_replace(table, from, to);
		} else {
			g_free(from);
			g_free(to);
		}
		g_ptr_array_free(words, TRUE);
		g_strfreev(w);
	}
	g_strfreev(lines);
	return ok;
}

struct offers_text *
offers_text_new(const char *synonyms, size_t len, char **why)
{
	struct offers_text *t = g_new0(struct offers_text, 1);
	g_mutex_init(&t->lock);
	t->stemmer = sb_stemmer_new("french", "UTF_8");
	if (!t->stemmer) {
		*why = g_strdup("libstemmer : pas de racinisation française");
		offers_text_free(t);
		return NULL;
	}
	if (synonyms) {
		GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		if (!load_synonyms(t, table, synonyms, len, why)) {
			g_hash_table_destroy(table);
			offers_text_free(t);
			return NULL;
		}
		t->synonyms = table;
	}
	return t;
}

void
offers_text_free(struct offers_text *t)
{
	if (!t)
		return;
	if (t->stemmer)
		sb_stemmer_delete(t->stemmer);
	if (t->synonyms)
		g_hash_table_destroy(t->synonyms);
	g_mutex_clear(&t->lock);
	g_free(t);
}
