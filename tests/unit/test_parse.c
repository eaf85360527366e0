/* test_parse.c — the request parsers (http/parse.h): what a browser sends, and what an
 * attacker sends instead. Every input is copied to a heap block of exactly its length,
 * without a final NUL, so that the sanitizer build catches any read past @len. */
#include "http/parse.h"

#include "base/arena.h"
#include "base/err.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <stdio.h>
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

/* @n bytes of @s in a block of their own, freed with the arena. */
static const char *
bytes(const char *s, size_t n)
{
	char *p = g_memdup2(s, n ? n : 1);
	arena_defer(a, g_free, p);
	return p;
}

static int
form(const char *s, struct kvlist *out)
{
	return parse_urlencoded(a, bytes(s, strlen(s)), strlen(s), out);
}

static int
cookies(const char *s, struct kvlist *out)
{
	return parse_cookies(a, bytes(s, strlen(s)), strlen(s), out);
}

static int
multipart(const char *content_type, const char *body, size_t len, struct partlist *out)
{
	return parse_multipart(a, content_type, bytes(body, len), len, out);
}

/* ---- kv lists ----------------------------------------------------------------------- */

TestSuite(kvlist, .init = setup, .fini = teardown);

Test(kvlist, grows_in_the_arena_and_keeps_every_pair)
{
	struct kvlist l = { 0 };
	for (int i = 0; i < 1000; i++) {
		char *k = arena_printf(a, "k%d", i);
		kv_add(a, &l, k, arena_printf(a, "v%d", i), strlen(k));
	}
	cr_assert_eq(l.n, 1000);
	cr_assert_geq(l.cap, l.n);
	cr_assert_str_eq(kv_get(&l, "k0"), "v0");
	cr_assert_str_eq(kv_get(&l, "k999"), "v999");
	cr_assert_null(kv_get(&l, "k1000"));
}

Test(kvlist, get_returns_the_first_value_of_a_repeated_key)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("tri=nom&tri=date", &l), 0);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(kv_get(&l, "tri"), "nom");
}

Test(kvlist, get_on_an_empty_list_finds_nothing)
{
	struct kvlist l = { 0 };
	cr_assert_null(kv_get(&l, "a"));
}

/* ---- urlencoded --------------------------------------------------------------------- */

TestSuite(urlencoded, .init = setup, .fini = teardown);

Test(urlencoded, plus_is_a_space)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("q=jean+dupont&nom+complet=x", &l), 0);
	cr_assert_str_eq(kv_get(&l, "q"), "jean dupont");
	cr_assert_str_eq(kv_get(&l, "nom complet"), "x");
}

Test(urlencoded, percent_escapes_are_decoded_in_keys_and_values)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("a%3Db=1%2B1%3D2%26c&%7e=%2f%2F", &l), 0);
	cr_assert_str_eq(kv_get(&l, "a=b"), "1+1=2&c");
	cr_assert_str_eq(kv_get(&l, "~"), "//");
}

Test(urlencoded, utf8_e_acute_is_decoded)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("prenom=Ren%C3%A9e&ville=Saint-%C3%89tienne", &l), 0);
	cr_assert_str_eq(kv_get(&l, "prenom"), "Renée");
	cr_assert_str_eq(kv_get(&l, "ville"), "Saint-Étienne");
	cr_assert_eq(l.items[0].val_len, strlen("Renée"));
}

Test(urlencoded, raw_utf8_bytes_pass_through)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("prenom=Renée", &l), 0);
	cr_assert_str_eq(kv_get(&l, "prenom"), "Renée");
}

Test(urlencoded, value_keeps_its_own_equals_signs)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("jeton=abc==", &l), 0);
	cr_assert_str_eq(kv_get(&l, "jeton"), "abc==");
}

Test(urlencoded, invalid_escapes_are_rejected)
{
	const char *bad[] = { "a=%G1", "a=%1G", "a=%4", "a=%", "a%=1", "a=1&b=%%41" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct kvlist l = { 0 };
		cr_assert_eq(form(bad[i], &l), -ERR_INVAL, "%s", bad[i]);
		cr_assert_eq(l.n, 0, "%s", bad[i]);
	}
}

Test(urlencoded, invalid_utf8_is_rejected)
{
	const char *bad[] = { "a=%C3", "a=%FF", "a=%C3%28", "%E9t%E9=1", "a=\xe9" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct kvlist l = { 0 };
		cr_assert_eq(form(bad[i], &l), -ERR_INVAL, "%s", bad[i]);
	}
}

Test(urlencoded, nul_byte_escape_is_rejected_because_values_are_c_strings)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("a=x%00y", &l), -ERR_INVAL);
	cr_assert_eq(form("a%00b=1", &l), -ERR_INVAL);
}

Test(urlencoded, empty_pairs_are_skipped)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("&a=1&&b=2&", &l), 0);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.items[0].key, "a");
	cr_assert_str_eq(l.items[1].key, "b");
}

Test(urlencoded, empty_input_gives_no_pair)
{
	struct kvlist l = { 0 };
	cr_assert_eq(parse_urlencoded(a, NULL, 0, &l), 0);
	cr_assert_eq(form("&&&", &l), 0);
	cr_assert_eq(l.n, 0);
}

Test(urlencoded, key_without_equals_has_an_empty_value)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("archive&a=", &l), 0);
	cr_assert_str_eq(kv_get(&l, "archive"), "");
	cr_assert_eq(l.items[0].val_len, 0);
	cr_assert_str_eq(kv_get(&l, "a"), "");
}

Test(urlencoded, parsing_stops_at_len_even_without_a_nul)
{
	struct kvlist l = { 0 };
	const char *s = bytes("a=1&b=2", 7);
	cr_assert_eq(parse_urlencoded(a, s, 3, &l), 0);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(kv_get(&l, "a"), "1");
}

Test(urlencoded, appends_to_a_list_that_already_has_pairs)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("a=1", &l), 0);
	cr_assert_eq(form("b=2", &l), 0);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(kv_get(&l, "b"), "2");
}

Test(urlencoded, a_rejected_input_leaves_the_list_unchanged)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form("a=1", &l), 0);
	cr_assert_eq(form("b=2&c=%ZZ", &l), -ERR_INVAL);
	cr_assert_eq(l.n, 1);
	cr_assert_null(kv_get(&l, "b"));
}

static char *
n_fields(int n)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append_printf(s, "%sf%d=%d", i ? "&" : "", i, i);
	char *r = arena_strndup(a, s->str, s->len);
	g_string_free(s, TRUE);
	return r;
}

Test(urlencoded, field_cap_is_accepted)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form(n_fields(PARSE_MAX_FIELDS), &l), 0);
	cr_assert_eq(l.n, PARSE_MAX_FIELDS);
}

Test(urlencoded, one_field_over_the_cap_is_too_large)
{
	struct kvlist l = { 0 };
	cr_assert_eq(form(n_fields(PARSE_MAX_FIELDS + 1), &l), -ERR_TOOLARGE);
	cr_assert_eq(l.n, 0);
}

/* ---- cookies ------------------------------------------------------------------------ */

TestSuite(cookies, .init = setup, .fini = teardown);

Test(cookies, pairs_are_split_on_semicolons_and_trimmed)
{
	struct kvlist l = { 0 };
	cr_assert_eq(cookies("session=abc; csrf=def;theme = sombre ;  \tlang=fr  ", &l), 0);
	cr_assert_eq(l.n, 4);
	cr_assert_str_eq(kv_get(&l, "session"), "abc");
	cr_assert_str_eq(kv_get(&l, "csrf"), "def");
	cr_assert_str_eq(kv_get(&l, "theme"), "sombre");
	cr_assert_str_eq(kv_get(&l, "lang"), "fr");
}

Test(cookies, surrounding_quotes_are_removed)
{
	struct kvlist l = { 0 };
	cr_assert_eq(cookies("a=\"x y\"; b=\"\"; c=\"; d=\"e", &l), 0);
	cr_assert_str_eq(kv_get(&l, "a"), "x y");
	cr_assert_eq(l.items[0].val_len, 3);
	cr_assert_str_eq(kv_get(&l, "b"), "");
	cr_assert_str_eq(kv_get(&l, "c"), "\"", "a lone quote is a value, not quoting");
	cr_assert_str_eq(kv_get(&l, "d"), "\"e");
}

Test(cookies, pairs_without_equals_or_name_are_ignored)
{
	struct kvlist l = { 0 };
	cr_assert_eq(cookies("flag; =orphan; ;; a=1; b", &l), 0);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(kv_get(&l, "a"), "1");
}

Test(cookies, values_keep_their_bytes)
{
	struct kvlist l = { 0 };
	cr_assert_eq(cookies("a=%41+b; t=x=y==", &l), 0);
	cr_assert_str_eq(kv_get(&l, "a"), "%41+b");
	cr_assert_str_eq(kv_get(&l, "t"), "x=y==");
}

Test(cookies, empty_header_gives_no_pair)
{
	struct kvlist l = { 0 };
	cr_assert_eq(cookies("", &l), 0);
	cr_assert_eq(cookies("   ", &l), 0);
	cr_assert_eq(l.n, 0);
}

Test(cookies, more_than_the_cap_is_too_large)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i <= PARSE_MAX_FIELDS; i++)
		g_string_append_printf(s, "c%d=%d; ", i, i);
	struct kvlist l = { 0 };
	cr_assert_eq(parse_cookies(a, bytes(s->str, s->len), s->len, &l), -ERR_TOOLARGE);
	cr_assert_eq(l.n, 0);
	g_string_free(s, TRUE);
}

/* ---- multipart ---------------------------------------------------------------------- */

TestSuite(multipart, .init = setup, .fini = teardown);

#define CT "multipart/form-data; boundary=----cejB0undary"
#define B "------cejB0undary"

/* A file whose bytes look like the syntax around them: NULs, CRLFs, an empty line, a
 * dash-dash line, a cut boundary after CRLF and a whole one without its CRLF. */
static const char file_bytes[] = "\x89PNG\r\n\x1a\n\0\0\0\r\n\r\n--\r\n------cejB0und\r\n"
				 "x" B "--\r\n-\xff\0";

static GString *
sample_body(void)
{
	GString *s = g_string_new("preamble that clients may send\r\n");
	g_string_append(s, B "\r\n"
			   "Content-Disposition: form-data; name=\"titre\"\r\n"
			   "\r\n"
			   "Rendez-vous été\r\n"
			   B "\r\n"
			   "content-disposition: form-data; name=\"commentaire\"\r\n"
			   "\r\n"
			   "ligne 1\r\nligne 2\r\n"
			   B "\r\n"
			   "Content-Disposition: form-data; name=\"piece\"; filename=\"cv; 2024.png\"\r\n"
			   "Content-Type: image/png\r\n"
			   "\r\n");
	g_string_append_len(s, file_bytes, sizeof(file_bytes) - 1);
	g_string_append(s, "\r\n" B "--\r\nepilogue, ignored");
	return s;
}

Test(multipart, two_fields_and_a_binary_file)
{
	GString *s = sample_body();
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, s->str, s->len, &l), 0);
	cr_assert_eq(l.n, 3);

	cr_assert_str_eq(l.items[0].name, "titre");
	cr_assert_null(l.items[0].filename);
	cr_assert_null(l.items[0].content_type);
	cr_assert_str_eq(l.items[0].data, "Rendez-vous été");
	cr_assert_eq(l.items[0].len, strlen("Rendez-vous été"));

	cr_assert_str_eq(l.items[1].name, "commentaire");
	cr_assert_str_eq(l.items[1].data, "ligne 1\r\nligne 2");

	struct part *f = &l.items[2];
	cr_assert_str_eq(f->name, "piece");
	cr_assert_str_eq(f->filename, "cv; 2024.png");
	cr_assert_str_eq(f->content_type, "image/png");
	cr_assert_eq(f->len, sizeof(file_bytes) - 1);
	cr_assert_eq(memcmp(f->data, file_bytes, f->len), 0);
	cr_assert_eq(f->data[f->len], '\0', "data is NUL-terminated after its len");
	g_string_free(s, TRUE);
}

Test(multipart, quoted_boundary_and_parameter_names_ignore_case)
{
	const char *ct = "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b;c\"";
	const char body[] = "--a b;c\r\n"
			    "Content-Disposition: form-data; name=x\r\n\r\n1\r\n"
			    "--a b;c--";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(ct, body, sizeof(body) - 1, &l), 0);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.items[0].name, "x");
	cr_assert_str_eq(l.items[0].data, "1");
}

Test(multipart, boundary_inside_another_quoted_parameter_is_not_the_boundary)
{
	const char *ct = "multipart/form-data; x=\"; boundary=faux\"; boundary=vrai";
	const char body[] = "--vrai\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--vrai--";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(ct, body, sizeof(body) - 1, &l), 0);
	cr_assert_eq(l.n, 1);
}

Test(multipart, escaped_quotes_in_a_filename_are_unescaped)
{
	const char body[] = B "\r\n"
			    "Content-Disposition: form-data; name=\"f\"; filename=\"le \\\"cv\\\"; v2.pdf\"\r\n"
			    "\r\n%PDF\r\n" B "--";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), 0);
	cr_assert_str_eq(l.items[0].filename, "le \"cv\"; v2.pdf");
	cr_assert_str_eq(l.items[0].data, "%PDF");
}

/* Browsers do not backslash-escape a quote in a file name: they write %22, and %0D, %0A
 * for CR and LF (HTML's multipart/form-data encoding). Other "%" belong to the name. */
Test(multipart, what_browsers_escape_in_a_filename_is_decoded)
{
	const char body[] = B "\r\n"
			    "Content-Disposition: form-data; name=\"f\"; filename=\"le %22cv%22 %0D%0Av2.pdf\"\r\n"
			    "\r\n%PDF\r\n" B "\r\n"
			    "Content-Disposition: form-data; name=\"g\"; filename=\"100% %41 %2 %0d%0a%22.pdf\"\r\n"
			    "\r\n%PDF\r\n" B "--";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), 0);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.items[0].filename, "le \"cv\" \r\nv2.pdf");
	cr_assert_str_eq(l.items[0].name, "f");
	cr_assert_str_eq(l.items[1].filename, "100% %41 %2 \r\n\".pdf");
}

Test(multipart, empty_file_and_empty_field_are_kept)
{
	const char body[] = B "\r\n"
			    "Content-Disposition: form-data; name=\"piece\"; filename=\"\"\r\n"
			    "Content-Type: application/octet-stream\r\n\r\n"
			    "\r\n" B "\r\n"
			    "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
			    "\r\n" B "--\r\n";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), 0);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.items[0].filename, "");
	cr_assert_eq(l.items[0].len, 0);
	cr_assert_eq(l.items[1].len, 0);
}

Test(multipart, missing_closing_delimiter_is_invalid)
{
	const char body[] = B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), -ERR_INVAL);
	cr_assert_eq(l.n, 0);
}

Test(multipart, body_cut_inside_the_closing_delimiter_is_invalid)
{
	const char body[] = B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" B "-";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), -ERR_INVAL);
}

Test(multipart, body_without_any_delimiter_is_invalid)
{
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, "bonjour", 7, &l), -ERR_INVAL);
	cr_assert_eq(parse_multipart(a, CT, NULL, 0, &l), -ERR_INVAL);
}

Test(multipart, missing_or_bad_boundary_is_invalid)
{
	const char body[] = "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--";
	char *longest = arena_printf(a, "multipart/form-data; boundary=%070d", 0);
	char *too_long = arena_printf(a, "multipart/form-data; boundary=%071d", 0);
	struct partlist l = { 0 };
	cr_assert_eq(multipart("multipart/form-data", body, sizeof(body) - 1, &l), -ERR_INVAL);
	cr_assert_eq(multipart("multipart/form-data; boundary=", body, sizeof(body) - 1, &l),
		     -ERR_INVAL);
	cr_assert_eq(multipart("multipart/form-data; boundary=\"\"", body, sizeof(body) - 1, &l),
		     -ERR_INVAL);
	cr_assert_eq(multipart("multipart/form-data; boundary=\"x", body, sizeof(body) - 1, &l),
		     -ERR_INVAL, "unterminated quote");
	cr_assert_eq(multipart("multipart/form-data; boundaryx=x", body, sizeof(body) - 1, &l),
		     -ERR_INVAL);
	cr_assert_eq(multipart(NULL, body, sizeof(body) - 1, &l), -ERR_INVAL);
	cr_assert_eq(multipart(too_long, body, sizeof(body) - 1, &l), -ERR_INVAL);
	/* 70 characters is the limit, not an error; here it just matches nothing. */
	cr_assert_eq(multipart(longest, body, sizeof(body) - 1, &l), -ERR_INVAL);
	cr_assert_eq(multipart("multipart/form-data; boundary=x", body, sizeof(body) - 1, &l), 0);
	cr_assert_eq(l.n, 1);
}

Test(multipart, seventy_character_boundary_is_accepted)
{
	char *b = arena_printf(a, "%070d", 7);
	char *ct = arena_printf(a, "multipart/form-data; boundary=%s", b);
	char *body = arena_printf(a, "--%s\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
				  "--%s--", b, b);
	struct partlist l = { 0 };
	cr_assert_eq(multipart(ct, body, strlen(body), &l), 0);
	cr_assert_eq(l.n, 1);
}

Test(multipart, part_without_name_is_invalid)
{
	const char *bodies[] = {
		B "\r\nContent-Disposition: form-data\r\n\r\n1\r\n" B "--",
		B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n" B "--",
		B "\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\n1\r\n" B "--",
		B "\r\nContent-Type: text/plain\r\n\r\n1\r\n" B "--",
		B "\r\n\r\n1\r\n" B "--",
		B "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n" B "--",
		B "\r\nContent-Disposition: form-data; name=\"a\"\r\n1\r\n" B "--",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++) {
		struct partlist l = { 0 };
		cr_assert_eq(multipart(CT, bodies[i], strlen(bodies[i]), &l), -ERR_INVAL, "%zu", i);
	}
}

Test(multipart, two_content_dispositions_are_invalid)
{
	const char body[] = B "\r\n"
			    "Content-Disposition: form-data; name=\"a\"\r\n"
			    "Content-Disposition: form-data; name=\"b\"\r\n\r\n1\r\n" B "--";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), -ERR_INVAL);
}

Test(multipart, junk_after_a_delimiter_is_invalid)
{
	const char body[] = B "X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" B "--";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), -ERR_INVAL);
}

Test(multipart, blanks_after_a_delimiter_are_transport_padding)
{
	const char body[] = B " \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" B "--";
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, body, sizeof(body) - 1, &l), 0);
	cr_assert_str_eq(l.items[0].data, "1");
}

static GString *
n_parts(int n)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append_printf(s, B "\r\nContent-Disposition: form-data; name=\"p%d\"\r\n"
				       "\r\n%d\r\n", i, i);
	g_string_append(s, B "--\r\n");
	return s;
}

Test(multipart, part_cap_is_accepted)
{
	GString *s = n_parts(PARSE_MAX_PARTS);
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, s->str, s->len, &l), 0);
	cr_assert_eq(l.n, PARSE_MAX_PARTS);
	char last[16];
	snprintf(last, sizeof(last), "%d", PARSE_MAX_PARTS - 1);
	cr_assert_str_eq(l.items[PARSE_MAX_PARTS - 1].data, last);
	g_string_free(s, TRUE);
}

Test(multipart, one_part_over_the_cap_is_too_large)
{
	GString *s = n_parts(PARSE_MAX_PARTS + 1);
	struct partlist l = { 0 };
	cr_assert_eq(multipart(CT, s->str, s->len, &l), -ERR_TOOLARGE);
	cr_assert_eq(l.n, 0);
	g_string_free(s, TRUE);
}

/* ---- url_encode --------------------------------------------------------------------- */

TestSuite(url_encode, .init = setup, .fini = teardown);

Test(url_encode, keeps_unreserved_and_escapes_the_rest_in_uppercase)
{
	cr_assert_str_eq(url_encode(a, "AZaz09-._~"), "AZaz09-._~");
	cr_assert_str_eq(url_encode(a, "a b+c&d=e/f?g#h%"), "a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25");
	cr_assert_str_eq(url_encode(a, "é"), "%C3%A9");
	cr_assert_str_eq(url_encode(a, "\x7f\x01"), "%7F%01");
	cr_assert_str_eq(url_encode(a, ""), "");
	cr_assert_null(url_encode(a, NULL));
}

Test(url_encode, round_trips_through_parse_urlencoded)
{
	const char *vals[] = { "Renée Dupont", "a+b=c&d", "100 %", "~/.x_y-z", "\"quoted\";",
			       "ligne 1\r\nligne 2", "日本語", "" };
	GString *q = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(vals); i++)
		g_string_append_printf(q, "%s%s=%s", i ? "&" : "",
				       url_encode(a, arena_printf(a, "clé %zu", i)),
				       url_encode(a, vals[i]));

	struct kvlist l = { 0 };
	cr_assert_eq(parse_urlencoded(a, bytes(q->str, q->len), q->len, &l), 0);
	cr_assert_eq(l.n, G_N_ELEMENTS(vals));
	for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
		cr_assert_str_eq(kv_get(&l, arena_printf(a, "clé %zu", i)), vals[i]);
		cr_assert_eq(l.items[i].val_len, strlen(vals[i]));
	}
	g_string_free(q, TRUE);
}
