/* test_offers_text.c — the French text of the offers' search (offers.md §8.4,
 * offers/offers_text.h): what matches what, as a query's word and an offer's word each
 * become terms and a match is two equal terms. Pure: no database. */
#include "base/embed.h"
#include "offers/offers_text.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

static struct offers_text *t;

static void
setup(void)
{
	const struct embed_file *f = embed_find(embed_offers_data, embed_offers_data_count, "synonymes.txt");
	cr_assert_not_null(f, "data/offers/synonymes.txt is embedded");
	char *why = NULL;
	t = offers_text_new((const char *)f->data, f->len, &why);
	cr_assert_not_null(t, "%s", why);
}

static void
teardown(void)
{
	offers_text_free(t);
}

TestSuite(offers_text, .init = setup, .fini = teardown);

/* The terms of @text joined by spaces, ROME codes marked "[D1214]". g_free. */
static char *
terms(const char *text)
{
	GPtrArray *out = offers_terms_new();
	int n = offers_text_terms(t, text, out);
	cr_assert_eq(n, (int)out->len);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < out->len; i++) {
		struct offers_term *x = out->pdata[i];
		g_string_append_printf(s, i ? " %s%s%s" : "%s%s%s", x->rome ? "[" : "", x->text,
				       x->rome ? "]" : "");
	}
	g_ptr_array_unref(out);
	return g_string_free(s, FALSE);
}

/* Both texts give the same terms (and at least one). */
static void
same(const char *a, const char *b)
{
	char *ta = terms(a), *tb = terms(b);
	cr_assert(*ta, "%s gives no term", a);
	cr_assert_str_eq(ta, tb, "%s → %s, %s → %s", a, ta, b, tb);
	g_free(ta);
	g_free(tb);
}

static void
differ(const char *a, const char *b)
{
	char *ta = terms(a), *tb = terms(b);
	cr_assert_str_neq(ta, tb, "%s and %s both → %s", a, b, ta);
	g_free(ta);
	g_free(tb);
}

static void
gives(const char *text, const char *expected)
{
	char *got = terms(text);
	cr_assert_str_eq(got, expected, "%s", text);
	g_free(got);
}

Test(offers_text, the_spec_cases)
{
	same("vendeurs", "vendeur");
	same("développement", "développer");
	same("electricien", "Électricien");
	same("ÉLECTRICIEN", "électriciens");
	same("boulangère", "boulanger");
	same("boulangères", "Boulangers");
	gives("vendeur", "vendeur");
	gives("électricien", "electricien");
}

Test(offers_text, feminine_job_titles)
{
	/* Through the synonyms (the stemmer keeps them apart)… */
	same("vendeuse", "vendeur");
	same("vendeuses", "vendeurs");
	same("coiffeuse", "coiffeur");
	same("serveuse", "serveur");
	same("infirmière", "infirmier");
	same("caissière", "caissier");
	same("conseillère", "conseiller");
	same("directrice", "directeur");
	same("hôtesse", "hôte");
	/* …or by the stemmer itself, and the unaccented "-ée". */
	same("technicienne", "technicien");
	same("assistante", "assistant");
	same("employée", "employé");
	same("employee", "employe");
	same("chargées", "chargé");
	/* Not everything becomes one word. */
	differ("vendeur", "serveur");
	differ("boucher", "boulanger");
}

Test(offers_text, elisions_and_apostrophes)
{
	char *e = terms("électricien");
	gives("l'électricien", e);
	gives("L’Électricien", e);
	gives("d'électricien", e);
	gives("qu'électricien", e);
	g_free(e);
	/* The curly apostrophe of word processors, and the straight one. */
	same("Agent d’entretien", "agent d'entretien");
	gives("Agent d’entretien", "agent entretien");
	gives("aujourd'hui", "aujourd hui");   /* "aujourd" is no elision: kept */
	gives("j'aime m'occuper", "aim occup");
}

Test(offers_text, stop_words_and_punctuation)
{
	gives("Vendeur (H/F) en boulangerie, à Brest !", "vendeur boulang brest");
	gives("le la les un une des du de et ou pour", "");
	gives("Agent de sécurité / SSIAP-1", "agent securit ssiap 1");
	/* Words holding digits are not stemmed: offer numbers, hours. */
	gives("offre 123ABCD, 35h", "offre 123abcd 35h");
	gives("main-d’œuvre", "main oeuvr");
}

Test(offers_text, rome_codes)
{
	gives("D1214", "[D1214]");
	gives("Vendeur D1214 ou D1211", "vendeur [D1214] [D1211]");
	/* Only as written: lower case or wrong length is an ordinary word. */
	gives("d1214", "d1214");
	gives("D12145", "d12145");
	gives("DD1214", "dd1214");
	GPtrArray *out = offers_terms_new();
	cr_assert_eq(offers_text_terms(t, "Code D1214", out), 2);
	cr_assert(!((struct offers_term *)out->pdata[0])->rome);
	cr_assert(((struct offers_term *)out->pdata[1])->rome);
	g_ptr_array_unref(out);
}

Test(offers_text, empty_and_odd_input)
{
	gives("", "");
	gives("   ,;!  ", "");
	gives("a à y l' d’", "");
	GPtrArray *out = offers_terms_new();
	cr_assert_eq(offers_text_terms(t, NULL, out), 0);
	cr_assert_eq(offers_text_terms(t, "caf\xc3", out), 0, "invalid UTF-8");
	cr_assert_eq(out->len, 0);
	g_ptr_array_unref(out);
	char *one = offers_text_term(t, "Vendeuses");
	cr_assert_str_eq(one, "vendeur");
	g_free(one);
	cr_assert_null(offers_text_term(t, "les"));
}

Test(offers_text, long_input)
{
	/* 200,000 words, one of 100,000 letters: no fixed buffer anywhere (ASan checks). */
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 50000; i++)
		g_string_append(s, "L’électricienne de l'équipe ");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(s, 'e');
	GPtrArray *out = offers_terms_new();
	cr_assert_eq(offers_text_terms(t, s->str, out), 100001);
	cr_assert_str_eq(((struct offers_term *)out->pdata[0])->text, "electricien");
	cr_assert_str_eq(((struct offers_term *)out->pdata[1])->text, "equip");
	cr_assert_gt(strlen(((struct offers_term *)out->pdata[100000])->text), 90000);
	g_ptr_array_unref(out);
	g_string_free(s, TRUE);
}

Test(offers_text, synonym_file_errors)
{
	char *why = NULL;
	cr_assert_null(offers_text_new("vendeuse\n", 9, &why));
	cr_assert_not_null(why);
	cr_assert(strstr(why, "ligne 1"), "%s", why);
	g_free(why);
	why = NULL;
	struct offers_text *bare = offers_text_new(NULL, 0, &why);
	cr_assert_not_null(bare);
	char *v = offers_text_term(bare, "vendeuse");
	cr_assert_str_eq(v, "vendeux", "without the synonyms the stemmer keeps it apart");
	g_free(v);
	offers_text_free(bare);
}

/* The analyser is shared by the server's threads (the mutex around the stemmer). */
static void *
worker(void *data)
{
	(void)data;
	for (int i = 0; i < 2000; i++) {
		char *v = offers_text_term(t, i % 2 ? "vendeuses" : "électriciens");
		if (strcmp(v, i % 2 ? "vendeur" : "electricien"))
			return v;
		g_free(v);
	}
	return NULL;
}

Test(offers_text, threads_share_one_analyser)
{
	GThread *th[4];
	for (int i = 0; i < 4; i++)
		th[i] = g_thread_new("terms", worker, NULL);
	for (int i = 0; i < 4; i++) {
		char *bad = g_thread_join(th[i]);
		cr_assert_null(bad, "got %s", bad);
	}
}
