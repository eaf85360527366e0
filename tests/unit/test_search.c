/* test_search.c — "Rechercher un message" (spec/messaging.md §6): the field's rules, the
 * case- and accent-insensitive matching mapped back to the original UTF-8 characters,
 * the escaping around the <mark>s, and the counter. The folding with its byte map
 * (base/text.h) is tested here too, as the matcher's ground. */
#include "base/arena.h"
#include "base/text.h"
#include "messaging/search.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

static struct arena *a;

static void
setup(void)
{
	a = arena_new();
}

static void
teardown(void)
{
	arena_free(a);
}

TestSuite(search, .init = setup, .fini = teardown);

/* The HTML of searching @query (as typed) in @text, escaped text when nothing matches;
 * *@n gets the number of <mark>. */
static const char *
marked(const char *query, const char *text, int *n)
{
	const char *folded = NULL;
	cr_assert_null(msg_search_check(a, query, &folded), "%s", query);
	const char *html = msg_search_mark(a, folded, text);
	*n = 0;
	for (const char *p = html; p && (p = strstr(p, "<mark>")); p++)
		(*n)++;
	return html ? html : msg_search_plain(a, text);
}

Test(search, the_field_is_one_to_one_hundred_characters)
{
	const char *f = NULL;
	cr_assert_str_eq(msg_search_check(a, "", &f), MSG_SEARCH_EMPTY);
	cr_assert_str_eq(msg_search_check(a, NULL, &f), MSG_SEARCH_EMPTY);
	cr_assert_str_eq(msg_search_check(a, "  \t ", &f), MSG_SEARCH_EMPTY);
	cr_assert_str_eq(MSG_SEARCH_EMPTY, "Le champ “Recherche” est vide. Renseignez une recherche.");
	/* A lone combining accent folds to nothing: nothing to look for. */
	cr_assert_str_eq(msg_search_check(a, "\xcc\x81", &f), MSG_SEARCH_EMPTY);
	cr_assert_null(f);
	/* 100 characters, not bytes: a hundred "é" are 200 bytes and fine. */
	GString *s = g_string_new("");
	for (int i = 0; i < 100; i++)
		g_string_append(s, "é");
	cr_assert_null(msg_search_check(a, s->str, &f));
	cr_assert_eq(strlen(f), 100);
	g_string_append(s, "é");
	cr_assert_str_eq(msg_search_check(a, s->str, &f), MSG_SEARCH_TOO_LONG);
	cr_assert_str_eq(MSG_SEARCH_TOO_LONG,
			 "Vous avez dépassé le nombre maximal de caractères. Retirez des caractères.");
	g_string_free(s, TRUE);
	/* Trimmed, then folded; inner spaces stay. */
	cr_assert_null(msg_search_check(a, "  Mon CV Élève ", &f));
	cr_assert_str_eq(f, "mon cv eleve");
}

Test(search, case_and_accents_do_not_matter)
{
	int n;
	cr_assert_str_eq(marked("eleve", "Un Élève assidu", &n), "Un <mark>Élève</mark> assidu");
	cr_assert_eq(n, 1);
	cr_assert_str_eq(marked("ÉLÈVE", "une eleve", &n), "une <mark>eleve</mark>");
	cr_assert_str_eq(marked("ca", "Ça m’intéresse", &n), "<mark>Ça</mark> m’intéresse");
	cr_assert_str_eq(marked("a bientot", "Merci, à bientôt !", &n),
			 "Merci, <mark>à bientôt</mark> !");
	cr_assert_str_eq(marked("fete", "La fête, la FÊTE", &n),
			 "La <mark>fête</mark>, la <mark>FÊTE</mark>");
	cr_assert_eq(n, 2);
	/* "Œ" and "œ" are one letter; it does not stand for "oe". */
	cr_assert_str_eq(marked("cœur", "De tout CŒUR", &n), "De tout <mark>CŒUR</mark>");
	cr_assert_str_eq(marked("coeur", "De tout cœur", &n), "De tout cœur");
	cr_assert_eq(n, 0);
}

Test(search, every_occurrence_left_to_right_without_overlap)
{
	int n;
	cr_assert_str_eq(marked("cv", "Mon CV, ton cv et cv_lea.pdf", &n),
			 "Mon <mark>CV</mark>, ton <mark>cv</mark> et <mark>cv</mark>_lea.pdf");
	cr_assert_eq(n, 3);
	cr_assert_str_eq(marked("aa", "aaaaa", &n), "<mark>aa</mark><mark>aa</mark>a");
	cr_assert_eq(n, 2);
	cr_assert_str_eq(marked("cv", "Rien ici", &n), "Rien ici");
	cr_assert_eq(n, 0);
	cr_assert_str_eq(marked("x", "", &n), "");
	cr_assert_eq(n, 0);
	cr_assert_null(msg_search_mark(a, "cv", "Rien ici"), "no match: no HTML");
	cr_assert_str_eq(msg_search_plain(a, "a<b>\xff"), "a&lt;b&gt;\xef\xbf\xbd");
}

Test(search, marks_whole_utf8_characters)
{
	int n;
	/* Multibyte neighbours stay whole. */
	cr_assert_str_eq(marked("cv", "é-cv-é", &n), "é-<mark>cv</mark>-é");
	cr_assert_str_eq(marked("e", "é", &n), "<mark>é</mark>");
	/* Decomposed accents (e + U+0301) stay with their letter, inside the mark. */
	cr_assert_str_eq(marked("eleve", "E\xcc\x81le\xcc\x80ve !", &n),
			 "<mark>E\xcc\x81le\xcc\x80ve</mark> !");
	cr_assert_str_eq(marked("e", "e\xcc\x81t", &n), "<mark>e\xcc\x81</mark>t");
	/* A character folding to two letters: a match on part of it wraps all of it, once. */
	cr_assert_str_eq(marked("ss", "Straße", &n), "Stra<mark>ß</mark>e");
	cr_assert_str_eq(marked("s", "ß", &n), "<mark>ß</mark>");
	cr_assert_eq(n, 1);
	cr_assert_str_eq(marked("ses", "ßes", &n), "<mark>ßes</mark>");
	/* Four-byte characters. */
	cr_assert_str_eq(marked("ok", "👍 OK 👍", &n), "👍 <mark>OK</mark> 👍");
	/* Invalid bytes are replaced, never cut through. */
	cr_assert_str_eq(marked("cv", "a\xff" "cv", &n), "a\xef\xbf\xbd<mark>cv</mark>");
}

Test(search, everything_but_the_marks_is_escaped)
{
	int n;
	cr_assert_str_eq(marked("cv", "<b>cv</b> & \"x\" 'y'\nfin", &n),
			 "&lt;b&gt;<mark>cv</mark>&lt;/b&gt; &amp; &quot;x&quot; &#39;y&#39;\nfin");
	/* What looks like markup in the query is text too. */
	cr_assert_str_eq(marked("<script>", "a <SCRIPT>alert(1)</script>", &n),
			 "a <mark>&lt;SCRIPT&gt;</mark>alert(1)&lt;/script&gt;");
	cr_assert_str_eq(marked("&", "Tom & Léa", &n), "Tom <mark>&amp;</mark> Léa");
	cr_assert_str_eq(marked("mark", "<mark>", &n), "&lt;<mark>mark</mark>&gt;");
	/* The only tags in the output are ours. */
	const char *html = marked("a", "<img src=x onerror=alert(1)>a", &n);
	cr_assert_null(strstr(html, "<img"));
}

Test(search, counter_wording)
{
	cr_assert_str_eq(msg_search_counter(a, 0), "Aucun résultat trouvé");
	cr_assert_str_eq(msg_search_counter(a, 1), "1 résultat trouvé");
	cr_assert_str_eq(msg_search_counter(a, 2), "2 résultats trouvés");
	cr_assert_str_eq(msg_search_counter(a, 1234), "1234 résultats trouvés");
}

/* The folding of DESIGN §5 done on the whole string at once: decomposition, case
 * folding, combining marks dropped. */
static const char *
whole_fold(const char *s)
{
	gchar *nfd = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
	gchar *folded = g_utf8_casefold(nfd, -1);
	GString *out = g_string_new("");
	for (const gchar *p = folded; *p; p = g_utf8_next_char(p)) {
		GUnicodeType t = g_unichar_type(g_utf8_get_char(p));
		if (t != G_UNICODE_NON_SPACING_MARK && t != G_UNICODE_SPACING_MARK &&
		    t != G_UNICODE_ENCLOSING_MARK)
			g_string_append_unichar(out, g_utf8_get_char(p));
	}
	const char *r = arena_strdup(a, out->str);
	g_string_free(out, TRUE);
	g_free(folded);
	g_free(nfd);
	return r;
}

Test(search, fold_map_points_back_to_each_character)
{
	size_t *from;
	const char *s = "Éß e\xcc\x81!";
	const char *f = text_fold_map(a, s, &from);
	cr_assert_str_eq(f, "ess e!");
	cr_assert_str_eq(f, text_fold(a, s));
	size_t want[] = {0, 2, 2, 4, 5, 8, 9};  /* É, ß twice, space, e (its accent: none), !, end */
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
		cr_assert_eq(from[i], want[i], "byte %zu", i);
	/* Folding character by character gives what folding the whole string gives, so the
	 * folded names already stored keep matching. */
	const char *samples[] = {"Éloïse ÇA", "Straße", "ŒUVRE", "Ångström", "İstanbul", "ﬁn",
				 "ǅemal", "e\xcc\x81\xcc\x81", "\xcc\x81x", "日本語", "Ελλάδα", "ᾼ ᾳ \xcd\x85",
				 "l’« été » — 5 € ⓐ Ⅻ", "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ", "Ǆ ǈ ŉ ﬃ ẞ K Å", ""};
	for (size_t i = 0; i < G_N_ELEMENTS(samples); i++) {
		cr_assert_str_eq(text_fold_map(a, samples[i], &from), whole_fold(samples[i]), "%s",
				 samples[i]);
		cr_assert_str_eq(text_fold(a, samples[i]), whole_fold(samples[i]), "%s", samples[i]);
	}
	/* Every character of the first planes, one at a time (the fast paths for accents,
	 * punctuation and spaces skip GLib's case folding: they must not change a thing). */
	for (gunichar c = 1; c < 0x30000; c++) {
		char one[7] = {0};
		if (c >= 0xd800 && c < 0xe000)
			continue;
		g_unichar_to_utf8(c, one);
		cr_assert_str_eq(text_fold(a, one), whole_fold(one), "U+%04X", c);
	}
	cr_assert_str_eq(text_fold_map(a, "a\xff", &from), "");
	cr_assert_eq(from[0], 0);
}
