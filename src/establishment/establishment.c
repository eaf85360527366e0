/* establishment.c — search rules of the "Bénéficiaires" page. */
#include "establishment/establishment.h"

#include "base/arena.h"
#include "base/text.h"

#include <glib.h>

int
establishment_tokens(struct arena *a, const char *query, const char **tokens)
{
	const char *trimmed = text_trim(a, query ? query : "");
	if (g_utf8_strlen(trimmed, -1) < ESTABLISHMENT_MIN_CHARS)
		return 0;
	gchar **parts = g_strsplit_set(text_fold(a, trimmed), " -\t", -1);
	int n = 0;
	for (gchar **p = parts; *p && n < ESTABLISHMENT_MAX_TOKENS; p++)
		if (**p)
			tokens[n++] = arena_strdup(a, *p);
	g_strfreev(parts);
	return n;
}
