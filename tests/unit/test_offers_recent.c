/* test_offers_recent.c — "the last 3 searches, kept on the device" (youth-app.md §8;
 * offers_recent.h): the cookie's value written, read back and merged, and what a tampered
 * value gives — the pure rules, no database. */
#include "base/arena.h"
#include "offers/offers_recent.h"
#include "offers/offers_search.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <string.h>

static struct arena *a;

FIXTURE_ARENA_SUITE(recent, a);

#define VENDEUR "type=emploi&motscles=vendeur&lieu=29019&distance=10"
#define CIVIQUE "type=service-civique&lieu=29019&distance=10"
#define NUMERO "type=emploi&numero=123ABCD"
#define ALTERNANCE "type=alternance&lieu=29"

/* Decodes @value and checks it gives the @n entries that follow, in order. */
static void
assert_decoded(const char *value, int n, ...)
{
	const char *got[OFFERS_RECENT_MAX];
	int k = offers_recent_decode(a, value, got);
	cr_assert_eq(k, n, "%s: %d entries, %d expected", value ? value : "(null)", k, n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		cr_assert_str_eq(got[i], va_arg(ap, const char *));
	va_end(ap);
}

Test(recent, a_search_is_kept_as_the_criteria_query_string_and_read_back)
{
	const char *list[OFFERS_RECENT_MAX];
	int n = offers_recent_add(VENDEUR, list, 0);
	char *v = offers_recent_encode(a, list, n);
	cr_assert_str_eq(v, VENDEUR);
	assert_decoded(v, 1, VENDEUR);
	struct offers_criteria c;
	cr_assert(offers_recent_valid(a, VENDEUR, &c));
	cr_assert_eq(c.type, OFFER_EMPLOI);
	cr_assert_str_eq(c.keywords, "vendeur");
	cr_assert_str_eq(c.commune, "29019");
	cr_assert_eq(c.distance_km, 10);
}

Test(recent, the_most_recent_comes_first_and_only_three_are_kept)
{
	const char *list[OFFERS_RECENT_MAX];
	int n = 0;
	n = offers_recent_add(VENDEUR, list, n);
	n = offers_recent_add(CIVIQUE, list, n);
	n = offers_recent_add(NUMERO, list, n);
	n = offers_recent_add(ALTERNANCE, list, n);
	cr_assert_eq(n, 3);
	char *v = offers_recent_encode(a, list, n);
	cr_assert_str_eq(v, ALTERNANCE "|" NUMERO "|" CIVIQUE);
	assert_decoded(v, 3, ALTERNANCE, NUMERO, CIVIQUE);
}

Test(recent, a_repeated_search_moves_to_the_top_without_duplicate)
{
	const char *list[OFFERS_RECENT_MAX];
	int n = 0;
	n = offers_recent_add(VENDEUR, list, n);
	n = offers_recent_add(CIVIQUE, list, n);
	n = offers_recent_add(NUMERO, list, n);
	n = offers_recent_add(VENDEUR, list, n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(offers_recent_encode(a, list, n), VENDEUR "|" NUMERO "|" CIVIQUE);
	/* The top one again: nothing moves. */
	n = offers_recent_add(VENDEUR, list, n);
	cr_assert_str_eq(offers_recent_encode(a, list, n), VENDEUR "|" NUMERO "|" CIVIQUE);
}

Test(recent, keywords_with_spaces_and_accents_travel_percent_encoded)
{
	const char *q = "type=immersion&motscles=boulang%C3%A8re%20p%C3%A2tissi%C3%A8re"
			"&lieu=29019&distance=5";
	cr_assert(offers_recent_valid(a, q, NULL));
	assert_decoded(q, 1, q);
	struct offers_criteria c;
	cr_assert(offers_recent_valid(a, q, &c));
	cr_assert_str_eq(c.keywords, "boulangère pâtissière");
	/* No character a cookie value may not hold (RFC 6265: no blank, '"', ',', ';', '\'). */
	cr_assert_null(strpbrk(q, " \",;\\"));
}

Test(recent, no_cookie_or_an_empty_one_lists_nothing)
{
	assert_decoded(NULL, 0);
	assert_decoded("", 0);
	assert_decoded("|||", 0);
	cr_assert_str_eq(offers_recent_encode(a, NULL, 0), "");
}

Test(recent, a_tampered_entry_is_dropped_and_the_others_kept)
{
	/* Markup, another parameter, another order, '+' for a space, a bad escape, an unknown
	 * type, criteria the search refuses (Immersion without a commune), a NUL byte: each
	 * is not what offers_query_string writes or not a search. */
	static const char *const bad[] = {
		"type=emploi&motscles=<script>alert(1)</script>",
		"type=emploi&motscles=%3Cb%3E&x=1",
		"motscles=vendeur&type=emploi",
		"type=emploi&motscles=vendeur+brest",
		"type=emploi&motscles=%G1",
		"type=pirate&motscles=vendeur",
		"type=immersion&motscles=vendeur",
		"type=emploi&numero=12AB",
		"type=emploi&motscles=a%00b",
		"javascript:alert(1)",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_not(offers_recent_valid(a, bad[i], NULL), "%s", bad[i]);
		char *v = arena_printf(a, "%s|%s", bad[i], VENDEUR);
		assert_decoded(v, 1, VENDEUR);
	}
	/* Markup escaped our way is a search like another: the page escapes it when shown. */
	cr_assert(offers_recent_valid(a, "type=emploi&motscles=%3Cb%3E", NULL));
}

Test(recent, a_forged_cookie_gives_at_most_three_entries_each_once)
{
	assert_decoded(VENDEUR "|" VENDEUR "|" CIVIQUE "|" VENDEUR, 2, VENDEUR, CIVIQUE);
	assert_decoded(VENDEUR "|" CIVIQUE "|" NUMERO "|" ALTERNANCE, 3, VENDEUR, CIVIQUE, NUMERO);
	/* Too long for three of ours: nothing read. */
	char *big = arena_alloc(a, 4 * (OFFERS_RECENT_ENTRY_MAX + 1) + 1);
	memset(big, 'a', 4 * (OFFERS_RECENT_ENTRY_MAX + 1));
	big[4 * (OFFERS_RECENT_ENTRY_MAX + 1)] = '\0';
	memcpy(big, VENDEUR "|", strlen(VENDEUR) + 1);
	assert_decoded(big, 0);
}

Test(recent, a_search_longer_than_the_cap_is_not_kept)
{
	char words[OFFERS_RECENT_ENTRY_MAX + 1];
	memset(words, 'a', sizeof(words) - 1);
	words[sizeof(words) - 1] = '\0';
	char *q = arena_printf(a, "type=emploi&motscles=%s", words);
	cr_assert_gt(strlen(q), OFFERS_RECENT_ENTRY_MAX);
	cr_assert_not(offers_recent_valid(a, q, NULL));
	cr_assert(offers_recent_valid(a, arena_printf(a, "type=emploi&motscles=%.*s", 200, words),
				      NULL));
}
