/* fuzz_urlencoded.c — libFuzzer target for parse_urlencoded (DESIGN §8). Besides crashes it
 * checks what handlers rely on: a failure adds nothing, accepted keys and values are UTF-8
 * C strings, and url_encode of every pair parses back to the same pairs. */
#include "http/parse.h"

#include "base/arena.h"
#include "base/err.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static void
check_pairs(const struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *kv = &l->items[i];
		CHECK(g_utf8_validate(kv->key, -1, NULL));
		CHECK(strlen(kv->val) == kv->val_len);
		CHECK(g_utf8_validate_len(kv->val, kv->val_len, NULL));
	}
}

static void
check_round_trip(struct arena *a, const struct kvlist *l)
{
	GString *s = g_string_new(NULL);
	struct kvlist again = { 0 };

	for (size_t i = 0; i < l->n; i++)
		g_string_append_printf(s, "%s%s=%s", i ? "&" : "", url_encode(a, l->items[i].key),
				       url_encode(a, l->items[i].val));
	CHECK(parse_urlencoded(a, s->str, s->len, &again) == 0);
	/* An empty key with an empty value encodes as "=", which is not an empty pair. */
	CHECK(again.n == l->n);
	for (size_t i = 0; i < l->n; i++) {
		CHECK(strcmp(again.items[i].key, l->items[i].key) == 0);
		CHECK(strcmp(again.items[i].val, l->items[i].val) == 0);
	}
	g_string_free(s, TRUE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct kvlist l = { 0 };

	int rc = parse_urlencoded(a, (const char *)data, size, &l);
	CHECK(rc == 0 || rc == -ERR_INVAL || rc == -ERR_TOOLARGE);
	if (rc == 0) {
		CHECK(l.n <= PARSE_MAX_FIELDS);
		check_pairs(&l);
		check_round_trip(a, &l);
	} else {
		CHECK(l.n == 0 && l.items == NULL);
	}
	arena_free(a);
	return 0;
}
