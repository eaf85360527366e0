/* offers_recent.c — the last searches kept in a cookie (offers_recent.h). Pure. */
#include "offers/offers_recent.h"

#include "base/arena.h"
#include "base/err.h"
#include "http/parse.h"
#include "offers/offers_query.h"
#include "offers/offers_search.h"

#include <glib.h>
#include <string.h>

#define SEPARATOR '|'

bool
offers_recent_valid(struct arena *a, const char *query, struct offers_criteria *c)
{
	size_t len = query ? strlen(query) : 0;
	if (len == 0 || len > OFFERS_RECENT_ENTRY_MAX)
		return false;
	struct kvlist kv = {0};
	if (parse_urlencoded(a, query, len, &kv))
		return false;
	struct offers_query q;
	offers_query_read(&kv, &q);
	/* Only our own writing: no other parameter, order or escaping gets through, so what a
	 * link carries is what offers_query_string would have written. */
	if (strcmp(offers_query_string(a, &q.form), query) != 0)
		return false;
	struct offers_criteria own;
	struct refusal why = {0};
	return offers_criteria_parse(a, &q.form, c ? c : &own, &why) == 0;
}

/* Whether @s is one of the @n first of @list. */
static bool
listed(const char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

int
offers_recent_decode(struct arena *a, const char *value, const char *out[OFFERS_RECENT_MAX])
{
	/* More than three entries and their separators: not ours, nothing kept. */
	if (!value || strlen(value) > OFFERS_RECENT_MAX * (OFFERS_RECENT_ENTRY_MAX + 1))
		return 0;
	int n = 0;
	for (const char *p = value; *p && n < OFFERS_RECENT_MAX; ) {
		const char *end = strchr(p, SEPARATOR);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *entry = arena_strndup(a, p, len);
		if (offers_recent_valid(a, entry, NULL) && !listed(out, n, entry))
			out[n++] = entry;
		if (!end)
			break;
		p = end + 1;
	}
	return n;
}

int
offers_recent_add(const char *query, const char *list[OFFERS_RECENT_MAX], int n)
{
	const char *old[OFFERS_RECENT_MAX];
	int m = 0;
	for (int i = 0; i < n && i < OFFERS_RECENT_MAX; i++)
		old[m++] = list[i];
	int k = 0;
	list[k++] = query;
	for (int i = 0; i < m && k < OFFERS_RECENT_MAX; i++)
		if (strcmp(old[i], query) != 0)
			list[k++] = old[i];
	return k;
}

char *
offers_recent_encode(struct arena *a, const char *const *list, int n)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < n; i++) {
		if (i)
			g_string_append_c(s, SEPARATOR);
		g_string_append(s, list[i]);
	}
	char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return out;
}
