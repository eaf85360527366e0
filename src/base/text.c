/* text.c — folding for accent- and case-insensitive search (DESIGN §5). */
#include "base/text.h"

#include "base/arena.h"

#include <glib.h>
#include <string.h>

/* Appends the folded form of the one character of @len bytes at @p to @out: its canonical
 * decomposition, case-folded, without combining marks ("É" -> "e", "ß" -> "ss", a lone
 * combining accent -> nothing; "Œ" -> "œ", a letter of its own). Folding character by
 * character gives what folding the whole string gives: decomposition and case folding map
 * each character on its own, and the one thing they do across characters, reordering
 * combining marks, only moves marks that are dropped. */
static void
fold_char(const char *p, size_t len, GString *out)
{
	if (len == 1) {
		g_string_append_c(out, g_ascii_tolower(*p));
		return;
	}
	gchar *nfd = g_utf8_normalize(p, (gssize)len, G_NORMALIZE_NFD);
	gchar *folded = g_utf8_casefold(nfd, -1);
	for (const gchar *q = folded; *q; q = g_utf8_next_char(q)) {
		gunichar c = g_utf8_get_char(q);
		GUnicodeType t = g_unichar_type(c);
		if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK ||
		    t == G_UNICODE_ENCLOSING_MARK)
			continue;
		g_string_append_unichar(out, c);
	}
	g_free(folded);
	g_free(nfd);
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
		fold_char(p, (size_t)(g_utf8_next_char(p) - p), out);
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
