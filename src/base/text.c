/* text.c — folding for accent- and case-insensitive search (DESIGN §5). */
#include "base/text.h"

#include "base/arena.h"

#include <glib.h>
#include <stdbool.h>
#include <string.h>

static bool
is_mark(GUnicodeType t)
{
	return t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK ||
	       t == G_UNICODE_ENCLOSING_MARK;
}

/* Punctuation and separators: never any case. */
static bool
is_punctuation_or_space(GUnicodeType t)
{
	switch (t) {
	case G_UNICODE_CONNECT_PUNCTUATION:
	case G_UNICODE_DASH_PUNCTUATION:
	case G_UNICODE_CLOSE_PUNCTUATION:
	case G_UNICODE_FINAL_PUNCTUATION:
	case G_UNICODE_INITIAL_PUNCTUATION:
	case G_UNICODE_OTHER_PUNCTUATION:
	case G_UNICODE_OPEN_PUNCTUATION:
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
	case G_UNICODE_SPACE_SEPARATOR:
		return true;
	default:
		return false;
	}
}

/* Appends code point @c case-folded, without combining marks. What French text holds
 * beyond ASCII — accents once decomposed, ’ « » and other punctuation, spaces — has no
 * case: it is dropped or kept as is, without GLib's case folding, which allocates. */
static void
fold_code_point(gunichar c, GString *out)
{
	if (c < 0x80) {
		g_string_append_c(out, g_ascii_tolower((char)c));
		return;
	}
	GUnicodeType t = g_unichar_type(c);
	if (is_punctuation_or_space(t)) {
		g_string_append_unichar(out, c);
		return;
	}
	/* Marks are dropped, but for U+0345 (Greek ypogegrammeni), the one mark that case
	 * folding turns into a letter, "ι" (Unicode's CaseFolding.txt). */
	if (is_mark(t) && c != 0x0345)
		return;
	char one[6];
	gchar *folded = g_utf8_casefold(one, g_unichar_to_utf8(c, one));
	for (const gchar *q = folded; *q; q = g_utf8_next_char(q))
		if (!is_mark(g_unichar_type(g_utf8_get_char(q))))
			g_string_append_unichar(out, g_utf8_get_char(q));
	g_free(folded);
}

/* Appends the folded form of character @c to @out: its canonical decomposition,
 * case-folded, without combining marks ("É" -> "e", "ß" -> "ss", a lone combining accent
 * -> nothing; "Œ" -> "œ", a letter of its own). Folding character by character gives what
 * folding the whole string gives: decomposition and case folding map each character on
 * its own, and the one thing they do across characters, reordering combining marks, only
 * moves marks that are dropped. */
static void
fold_char(gunichar c, GString *out)
{
	gunichar d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	gsize n = g_unichar_fully_decompose(c, FALSE, d, G_N_ELEMENTS(d));
	for (gsize i = 0; i < n; i++)
		fold_code_point(d[i], out);
}

char *
text_fold_map(struct arena *a, const char *s, size_t **from)
{
	bool valid = s && g_utf8_validate(s, -1, NULL);
	size_t n = valid ? strlen(s) : 0;
	GString *out = g_string_sized_new(n);
	GArray *map = from ? g_array_sized_new(FALSE, FALSE, sizeof(size_t), n + 1) : NULL;
	for (const char *p = valid ? s : ""; *p; p = g_utf8_next_char(p)) {
		size_t before = out->len, at = (size_t)(p - s);
		if ((unsigned char)*p < 0x80)
			g_string_append_c(out, g_ascii_tolower(*p));
		else
			fold_char(g_utf8_get_char(p), out);
		for (size_t i = before; map && i < out->len; i++)
			g_array_append_val(map, at);
	}
	if (map) {
		g_array_append_val(map, n);
		*from = arena_alloc(a, map->len * sizeof(size_t));
		memcpy(*from, map->data, map->len * sizeof(size_t));
		g_array_free(map, TRUE);
	}
	char *r = arena_strndup(a, out->str, out->len);
	g_string_free(out, TRUE);
	return r;
}

char *
text_fold(struct arena *a, const char *s)
{
	return text_fold_map(a, s, NULL);
}

char *
text_trim(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (g_ascii_isspace(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && g_ascii_isspace(s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

bool
text_is_digits(const char *s, int max)
{
	int n = 0;
	if (!s || !*s)
		return false;
	for (; *s; s++, n++)
		if (!g_ascii_isdigit(*s) || n >= max)
			return false;
	return true;
}

char *
text_upper(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	/* Names are mostly ASCII: upper-cased in place of a copy, without GLib's Unicode
	 * tables (a portfolio upper-cases one name per row). */
	size_t n = strlen(s);
	bool ascii = true;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii) {
		char *r = arena_strndup(a, s, n);
		for (size_t i = 0; i < n; i++)
			r[i] = g_ascii_toupper(r[i]);
		return r;
	}
	gchar *up = g_utf8_strup(s, -1);
	char *r = arena_strdup(a, up);
	g_free(up);
	return r;
}

int
text_search_tokens(struct arena *a, const char *query, const char **tokens, int max)
{
	gchar **parts = g_strsplit_set(text_fold(a, query ? query : ""), " -\t", -1);
	int n = 0;
	for (gchar **p = parts; *p && n < max; p++)
		if (**p)
			tokens[n++] = arena_strdup(a, *p);
	g_strfreev(parts);
	return n;
}

void
text_append_html(GString *out, const char *s)
{
	for (const char *p = s; p && *p; p++) {
		switch (*p) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		case '\'': g_string_append(out, "&#39;"); break;
		default: g_string_append_c(out, *p);
		}
	}
}
