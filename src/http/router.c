/* router.c — linear pattern matching: a few dozen routes, compared segment by segment
 * without allocation until a route matches. */
#include "http/router.h"

#include "base/arena.h"

#include <string.h>

/* Length of the segment starting at @s (up to '/' or end). */
static size_t
seglen(const char *s)
{
	const char *slash = strchr(s, '/');
	return slash ? (size_t)(slash - s) : strlen(s);
}

static bool
match(const char *pat, const char *path, struct arena *a, struct kvlist *params, bool bind)
{
	while (*pat == '/' && *path == '/') {
		pat++;
		path++;
		size_t pl = seglen(pat), sl = seglen(path);
		if (pat[0] == '{' && pl >= 2 && pat[pl - 1] == '}') {
			bool rest = pl >= 3 && pat[pl - 2] == '*';
			if (rest) {
				if (!*path)
					return false;
				if (bind)
					kv_add(a, params, arena_strndup(a, pat + 1, pl - 3), path, strlen(path));
				return true;
			}
			if (sl == 0)
				return false;
			if (bind)
				kv_add(a, params, arena_strndup(a, pat + 1, pl - 2),
				       arena_strndup(a, path, sl), sl);
		} else if (pl != sl || strncmp(pat, path, pl) != 0) {
			return false;
		}
		pat += pl;
		path += sl;
	}
	return *pat == '\0' && *path == '\0';
}

const struct route *
router_match(const struct route *routes, size_t n, struct arena *a, const char *method,
	     const char *path, struct kvlist *params)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(routes[i].method, method) != 0)
			continue;
		if (match(routes[i].pattern, path, a, params, false)) {
			match(routes[i].pattern, path, a, params, true);
			return &routes[i];
		}
	}
	return NULL;
}
