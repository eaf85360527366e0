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
	return text_search_tokens(a, trimmed, tokens, ESTABLISHMENT_MAX_TOKENS);
}
