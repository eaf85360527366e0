/* text.c — folding for accent- and case-insensitive search (DESIGN §5). */
#include "base/text.h"

#include "base/arena.h"

#include <glib.h>
#include <string.h>

char *
text_fold(struct arena *a, const char *s)
{
	if (!s || !g_utf8_validate(s, -1, NULL))
		return arena_strdup(a, "");
	gchar *nfd = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
	gchar *folded = g_utf8_casefold(nfd, -1);
	GString *out = g_string_sized_new(strlen(folded));
	for (const gchar *p = folded; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		GUnicodeType t = g_unichar_type(c);
		if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK ||
		    t == G_UNICODE_ENCLOSING_MARK)
			continue;
		g_string_append_unichar(out, c);
	}
	char *r = arena_strndup(a, out->str, out->len);
	g_string_free(out, TRUE);
	g_free(folded);
	g_free(nfd);
	return r;
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
