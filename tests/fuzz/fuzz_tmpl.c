/* fuzz_tmpl.c — libFuzzer target: the input is one template; when it loads, it is rendered
 * with a small fixed view model that reaches every value type (a missing required value
 * too), nested scopes and lists, once strict and once lenient.
 * Build: meson setup -Dfuzz=true (clang), or by hand: clang -g -O1
 *        -fsanitize=fuzzer,address,undefined -Isrc src/view/tmpl.c src/view/vm.c
 *        src/base/arena.c src/base/err.c src/base/embed.c src/base/log.c
 *        tests/fuzz/fuzz_tmpl.c $(pkg-config --cflags --libs glib-2.0) */
#include "view/tmpl.h"

#include "base/arena.h"
#include "base/embed.h"
#include "base/err.h"
#include "view/vm.h"

#include <stdint.h>
#include <string.h>

static struct arena *arena;
static struct vm *data;

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
	/* Built once and kept: the data is only read by the renderer. The same values as
	 * {"title": "<T & 'q'>", "n": 42, "zero": 0, "r": 1.5, "t": true, "f": false,
	 *  "z": null, "empty": "", "none": [], "items": [{"name": "a", "ok": true},
	 *  {"name": "<b>", "n": -1}, "s", 3, [1, [2]], null], "user": {"first": "Ada",
	 *  "role": "admin", "a": {"b": {"c": 7}}}}, plus "gone", a missing required value. */
	arena = arena_new();
	data = vm_obj(arena);
	vm_set_str(data, "title", "<T & 'q'>");
	vm_set_int(data, "n", 42);
	vm_set_int(data, "zero", 0);
	vm_set_real(data, "r", 1.5);
	vm_set_bool(data, "t", true);
	vm_set_bool(data, "f", false);
	vm_set_null(data, "z");
	vm_set_str(data, "empty", "");
	vm_set_list(data, "none");
	vm_set_str(data, "gone", NULL);
	struct vm *items = vm_set_list(data, "items");
	struct vm *it = vm_push_obj(items);
	vm_set_str(it, "name", "a");
	vm_set_bool(it, "ok", true);
	it = vm_push_obj(items);
	vm_set_str(it, "name", "<b>");
	vm_set_int(it, "n", -1);
	vm_push_str(items, "s");
	vm_push_int(items, 3);
	struct vm *nested = vm_push_list(items);
	vm_push_int(nested, 1);
	vm_push_int(vm_push_list(nested), 2);
	vm_push(items, NULL);
	struct vm *user = vm_set_obj(data, "user");
	vm_set_str(user, "first", "Ada");
	vm_set_str(user, "role", "admin");
	vm_set_int(vm_set_obj(vm_set_obj(user, "a"), "b"), "c", 7);
	return 0;
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
		GString *out = g_string_new("x");
		for (int strict = 0; strict < 2; strict++) {
			tmpl_set_strict(set, strict);
			int rc = tmpl_render(set, "fuzz.html", data, out, &err);
			/* Only a strict set may fail, only on a missing value, saying where, and
			 * then it appends nothing. (A lenient render warns once per tag on
			 * stderr, which make fuzz drops.) */
			if (rc != 0 && (!strict || rc != -ERR_INVAL || !err ||
					strncmp(err->message, "fuzz.html:", 10) != 0 ||
					strcmp(out->str, "x") != 0))
				__builtin_trap();
			g_clear_error(&err);
			g_string_truncate(out, 1);
		}
		g_string_free(out, TRUE);
		tmpl_set_free(set);
	} else if (!err || strncmp(err->message, "fuzz.html:", 10) != 0) {
		__builtin_trap();   /* a failed load must say where */
	}
	g_clear_error(&err);
	g_free(copy);
	return 0;
}
