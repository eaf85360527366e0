/* fuzz_cookies.c — libFuzzer target for parse_cookies (DESIGN §8): the Cookie header is
 * read before any authentication, from anyone. It must never fail except on the cap, and
 * never hand back a pair without a name. */
#include "http/parse.h"

#include "base/arena.h"
#include "base/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct kvlist l = { 0 };

	int rc = parse_cookies(a, (const char *)data, size, &l);
	CHECK(rc == 0 || rc == -ERR_TOOLARGE);
	CHECK(rc == 0 || l.n == 0);
	CHECK(l.n <= PARSE_MAX_FIELDS);
	for (size_t i = 0; i < l.n; i++) {
		/* A header may carry NUL bytes: the name is cut there, the value keeps its len. */
		CHECK(l.items[i].key[0] != '\0' || memchr(data, '\0', size));
		CHECK(l.items[i].val[l.items[i].val_len] == '\0');
		CHECK(l.items[i].val_len <= size);
	}
	arena_free(a);
	return 0;
}
