/* search.c — "Rechercher un message": the field, the matching and its highlights. Pure. */
#include "messaging/search.h"

#include "base/arena.h"
#include "base/text.h"
#include "view/tmpl.h"

#include <glib.h>
#include <string.h>

const char *
msg_search_check(struct arena *a, const char *query, const char **folded)
{
	const char *q = text_trim(a, query ? query : "");
	if (g_utf8_strlen(q, -1) > MSG_SEARCH_MAX)
		return MSG_SEARCH_TOO_LONG;
	const char *f = text_fold(a, q);
	if (!*f)
		return MSG_SEARCH_EMPTY;
	*folded = f;
	return NULL;
}

/* A stretch of the original text to wrap in <mark>: bytes [start, end). */
struct span {
	size_t start, end;
};

/* The stretches of @text (valid UTF-8) that hold @q, merged where two touch one
 * character. Count into *@n; g_free the array. */
static struct span *
spans_of(struct arena *a, const char *q, const char *text, int *n)
{
	size_t *from;
	const char *folded = text_fold_map(a, text, &from);
	size_t qlen = strlen(q);
	GArray *spans = g_array_new(FALSE, FALSE, sizeof(struct span));
	for (const char *hit = strstr(folded, q); qlen && hit; hit = strstr(hit + qlen, q)) {
		size_t fs = (size_t)(hit - folded), fe = fs + qlen;
		/* The last folded byte's character, up to where the next folded byte's character
		 * starts: that takes in the combining accents that folded to nothing. */
		size_t last = from[fe - 1];
		size_t end = (size_t)(g_utf8_next_char(text + last) - text);
		struct span s = {from[fs], from[fe] > end ? from[fe] : end};
		struct span *prev = spans->len ? &g_array_index(spans, struct span, spans->len - 1)
					       : NULL;
		if (prev && s.start < prev->end)
			prev->end = s.end > prev->end ? s.end : prev->end;
		else
			g_array_append_val(spans, s);
	}
	*n = (int)spans->len;
	return (struct span *)(void *)g_array_free(spans, FALSE);
}

/* @text (valid UTF-8) as HTML with @spans wrapped in <mark>. */
static char *
html_of(struct arena *a, const char *text, const struct span *spans, int n)
{
	GString *out = g_string_sized_new(strlen(text) + 16 * (size_t)n);
	size_t done = 0;
	for (int i = 0; i < n; i++) {
		tmpl_escape(out, text + done, spans[i].start - done);
		g_string_append(out, "<mark>");
		tmpl_escape(out, text + spans[i].start, spans[i].end - spans[i].start);
		g_string_append(out, "</mark>");
		done = spans[i].end;
	}
	tmpl_escape(out, text + done, strlen(text) - done);
	char *r = arena_strndup(a, out->str, out->len);
	g_string_free(out, TRUE);
	return r;
}

char *
msg_search_mark(struct arena *a, const char *folded_query, const char *text)
{
	gchar *valid = g_utf8_make_valid(text ? text : "", -1);
	int n;
	struct span *spans = spans_of(a, folded_query ? folded_query : "", valid, &n);
	char *r = n ? html_of(a, valid, spans, n) : NULL;
	g_free(spans);
	g_free(valid);
	return r;
}

char *
msg_search_plain(struct arena *a, const char *text)
{
	gchar *valid = g_utf8_make_valid(text ? text : "", -1);
	char *r = html_of(a, valid, NULL, 0);
	g_free(valid);
	return r;
}

char *
msg_search_counter(struct arena *a, int n)
{
	if (n <= 0)
		return arena_strdup(a, "Aucun résultat trouvé");
	if (n == 1)
		return arena_strdup(a, "1 résultat trouvé");
	return arena_printf(a, "%d résultats trouvés", n);
}
