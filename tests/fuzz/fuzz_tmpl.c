/* fuzz_tmpl.c — libFuzzer target: the input is one template; when it loads, it is rendered
 * with a small fixed object that reaches every value type, nested scopes and arrays.
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc src/view/tmpl.c
 *        tests/fuzz/fuzz_tmpl.c $(pkg-config --cflags --libs glib-2.0 jansson) */
#include "view/tmpl.h"

#include "base/embed.h"

#include <stdint.h>
#include <string.h>

static json_t *data;

/* Knows one asset, so that both the found and the unknown paths are reached. */
static const char *
fuzz_asset(void *ud, const char *path)
{
	(void)ud;
	return strcmp(path, "dsfr/dsfr.min.css") == 0 ? "/static/dsfr.min.css?v=1&x=<'\">" : NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Built once and kept: the data is only read by the renderer. */
	data = json_loads("{\"title\": \"<T & 'q'>\", \"n\": 42, \"zero\": 0, \"r\": 1.5,"
			  " \"t\": true, \"f\": false, \"z\": null, \"empty\": \"\", \"none\": [],"
			  " \"items\": [{\"name\": \"a\", \"ok\": true},"
			  " {\"name\": \"<b>\", \"n\": -1},"
			  " \"s\", 3, [1, [2]], null],"
			  " \"user\": {\"first\": \"Ada\", \"role\": \"admin\","
			  " \"a\": {\"b\": {\"c\": 7}}}}",
			  0, NULL);
	return data ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	/* embed_file promises a NUL after the data; libFuzzer's buffer has none. */
	unsigned char *copy = g_malloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';

	struct embed_file f = { .name = "fuzz.html", .data = copy, .len = len, .hash = "0" };
	GError *err = NULL;
	struct tmpl_set *set = tmpl_set_new(&f, 1, fuzz_asset, NULL, &err);

	if (set) {
		GString *out = g_string_new(NULL);
		if (tmpl_render(set, "fuzz.html", data, out) != 0)
			__builtin_trap();
		g_string_free(out, TRUE);
		tmpl_set_free(set);
	} else if (!err || strncmp(err->message, "fuzz.html:", 10) != 0) {
		__builtin_trap();   /* a failed load must say where */
	}
	g_clear_error(&err);
	g_free(copy);
	return 0;
}
