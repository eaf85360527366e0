/* fuzz_multipart.c — libFuzzer target for parse_multipart (DESIGN §8). The input's first
 * line is the Content-Type header value, the rest is the body. */
#include "http/parse.h"

#include "base/arena.h"
#include "base/err.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* The Content-Type in a block of exactly its size, so ASan sees a read past its NUL (the
 * arena's blocks are larger and would hide it). */
static char *
content_type(const uint8_t *data, size_t n)
{
	if (n && data[n - 1] == '\r')
		n--;
	char *ct = g_malloc(n + 1);
	if (n)
		memcpy(ct, data, n);
	ct[n] = '\0';
	return ct;
}

static void
check_parts(const struct partlist *l, size_t body_len)
{
	size_t total = 0;

	CHECK(l->n <= PARSE_MAX_PARTS);
	for (size_t i = 0; i < l->n; i++) {
		const struct part *p = &l->items[i];
		CHECK(p->name && p->name[0]);
		CHECK(p->data && p->data[p->len] == '\0');
		total += p->len;
	}
	CHECK(total <= body_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ct_len = nl ? (size_t)(nl - data) : size;
	size_t body_at = nl ? ct_len + 1 : size;
	char *ct = content_type(data, ct_len);
	struct arena *a = arena_new();
	struct partlist l = { 0 };

	int rc = parse_multipart(a, ct, (const char *)data + body_at, size - body_at, &l);
	CHECK(rc == 0 || rc == -ERR_INVAL || rc == -ERR_TOOLARGE);
	if (rc == 0)
		check_parts(&l, size - body_at);
	else
		CHECK(l.n == 0 && l.items == NULL);
	arena_free(a);
	g_free(ct);
	return 0;
}
