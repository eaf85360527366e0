/* test_tmpl.c — the template engine: what pages print, and which mistakes fail at load. */
#include "view/tmpl.h"

#include "base/arena.h"
#include "base/embed.h"
#include "base/err.h"
#include "view/form_errors.h"
#include "view/pagination.h"
#include "view/table.h"
#include "view/view.h"
#include "view/vm.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct src {
	const char *name;
	const char *text;
};

/* Loads @srcs (sorted by name) as embedded files; the array is freed at once, since the
 * set must not depend on it. */
static struct tmpl_set *
load(const struct src *srcs, size_t n, tmpl_asset_fn fn, void *ud, GError **err)
{
	struct embed_file *files = g_new0(struct embed_file, n);
	struct tmpl_set *set;

	for (size_t i = 0; i < n; i++) {
		files[i].name = srcs[i].name;
		files[i].data = (const unsigned char *)srcs[i].text;
		files[i].len = strlen(srcs[i].text);
		files[i].hash = "0000000000000000";
	}
	set = tmpl_set_new(files, n, fn, ud, err);
	g_free(files);
	return set;
}

static json_t *
parse_json(const char *json)
{
	json_error_t jerr;
	json_t *data = json_loads(json, JSON_DECODE_ANY, &jerr);

	cr_assert(data, "bad test JSON: %s", jerr.text);
	return data;
}

static struct vm *build(struct arena *a, json_t *j);

/* Sets @key of @o to @j with the builder API, so that every case also exercises it. */
static void
build_set(struct arena *a, struct vm *o, const char *key, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_STRING:
		vm_set_strn(o, key, arena_strndup(a, json_string_value(j), json_string_length(j)),
			    json_string_length(j));
		break;
	case JSON_INTEGER:
		vm_set_int(o, key, json_integer_value(j));
		break;
	case JSON_REAL:
		vm_set_real(o, key, json_real_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		vm_set_bool(o, key, json_is_true(j));
		break;
	case JSON_NULL:
		vm_set_null(o, key);
		break;
	default:
		vm_set(o, key, build(a, j));
		break;
	}
}

static void
build_push(struct arena *a, struct vm *l, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_STRING:
		vm_push_str(l, arena_strdup(a, json_string_value(j)));
		break;
	case JSON_INTEGER:
		vm_push_int(l, json_integer_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		vm_push_bool(l, json_is_true(j));
		break;
	case JSON_NULL:
		vm_push(l, NULL);
		break;
	case JSON_REAL:
		cr_assert_fail("no real in a list: the builder has no vm_push_real");
		break;
	default:
		vm_push(l, build(a, j));
		break;
	}
}

/* The view model of the test JSON @j, in @a, built with the setters as a handler does. */
static struct vm *
build(struct arena *a, json_t *j)
{
	if (json_is_object(j)) {
		struct vm *o = vm_obj(a);
		const char *key;
		json_t *val;
		json_object_foreach(j, key, val)
			build_set(a, o, arena_strdup(a, key), val);
		return o;
	}
	if (json_is_array(j)) {
		struct vm *l = vm_list(a);
		size_t i;
		json_t *val;
		json_array_foreach(j, i, val)
			build_push(a, l, val);
		return l;
	}
	cr_assert(json_is_string(j), "top-level data is an object, a list or a string");
	return vm_str(a, arena_strdup(a, json_string_value(j)));
}

/* Renders @name of @srcs with @json, strict or not; the page is the caller's to g_free.
 * A strict miss returns NULL with *@msg (when given) set to the error. */
static char *
render_mode(const struct src *srcs, size_t n, const char *name, const char *json, bool strict,
	    char **msg)
{
	GError *err = NULL;
	struct tmpl_set *set = load(srcs, n, NULL, NULL, &err);
	struct arena *a = arena_new();
	json_t *j = parse_json(json);
	struct vm *data = build(a, j);
	GString *out = g_string_new(NULL);
	char *page = NULL;

	cr_assert(set, "load failed: %s", err ? err->message : "?");
	tmpl_set_strict(set, strict);
	int rc = tmpl_render(set, name, data, out, &err);
	if (rc == 0) {
		page = g_strdup(out->str);
	} else {
		cr_assert_eq(rc, -ERR_INVAL);
		cr_assert_eq(out->len, 0, "a failed render appends nothing");
		if (msg)
			*msg = g_strdup(err->message);
	}
	g_clear_error(&err);
	json_decref(j);
	arena_free(a);
	g_string_free(out, TRUE);
	tmpl_set_free(set);
	return page;
}

static char *
render_in(const struct src *srcs, size_t n, const char *name, const char *json)
{
	char *msg = NULL;
	char *page = render_mode(srcs, n, name, json, true, &msg);
	cr_assert(page, "strict render failed: %s", msg);
	return page;
}

/* Renders @text as the one template "t.html" with @json, strict (as tests run). */
static char *
render(const char *text, const char *json)
{
	const struct src srcs[] = { { "t.html", text } };
	return render_in(srcs, 1, "t.html", json);
}

#define assert_renders(text, json, want)                         \
	do {                                                     \
		char *page_ = render((text), (json));            \
		cr_assert_str_eq(page_, (want), "template: %s", (text)); \
		g_free(page_);                                   \
	} while (0)

/* A page with a missing value: lenient, it prints @want; strict, it fails with @error. */
#define assert_misses(text, json, want, error)                                          \
	do {                                                                            \
		const struct src srcs_[] = { { "t.html", (text) } };                     \
		char *page_ = render_mode(srcs_, 1, "t.html", (json), false, NULL);      \
		cr_assert_str_eq(page_, (want), "template: %s", (text));                 \
		g_free(page_);                                                          \
		char *msg_ = NULL;                                                      \
		cr_assert_null(render_mode(srcs_, 1, "t.html", (json), true, &msg_));    \
		cr_assert_str_eq(msg_, (error), "template: %s", (text));                 \
		g_free(msg_);                                                           \
	} while (0)

/* The load error of @srcs, which must fail; the caller g_frees it. */
static char *
load_error_with(const struct src *srcs, size_t n, tmpl_asset_fn fn, void *ud)
{
	GError *err = NULL;
	struct tmpl_set *set = load(srcs, n, fn, ud, &err);
	char *msg;

	cr_assert_null(set, "load should have failed");
	cr_assert_not_null(err);
	msg = g_strdup(err->message);
	g_error_free(err);
	return msg;
}

#define assert_load_error(srcs, want)                                                  \
	do {                                                                           \
		char *msg_ = load_error_with((srcs), G_N_ELEMENTS(srcs), NULL, NULL); \
		cr_assert_str_eq(msg_, (want));                                        \
		g_free(msg_);                                                          \
	} while (0)

/* ---- values and escaping ---- */

Test(tmpl, escape_replaces_all_five_characters)
{
	GString *out = g_string_new("x");

	tmpl_escape(out, "a&b<c>d\"e'f", 11);
	cr_assert_str_eq(out->str, "xa&amp;b&lt;c&gt;d&quot;e&#39;f");
	g_string_free(out, TRUE);
}

Test(tmpl, escape_stops_at_len_not_at_nul)
{
	GString *out = g_string_new(NULL);

	tmpl_escape(out, "<\0<", 3);
	cr_assert_eq(out->len, 9);
	cr_assert(memcmp(out->str, "&lt;\0&lt;", 9) == 0);
	g_string_free(out, TRUE);
}

/* What a byte-by-byte escape writes. */
static GString *
escaped_slowly(const char *s, size_t len)
{
	GString *want = g_string_new(NULL);
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': g_string_append(want, "&amp;"); break;
		case '<': g_string_append(want, "&lt;"); break;
		case '>': g_string_append(want, "&gt;"); break;
		case '"': g_string_append(want, "&quot;"); break;
		case '\'': g_string_append(want, "&#39;"); break;
		default: g_string_append_c(want, s[i]);
		}
	}
	return want;
}

static void
assert_escapes_like_slowly(const char *s, size_t len, const char *what, int b)
{
	GString *out = g_string_new(NULL), *want = escaped_slowly(s, len);
	tmpl_escape(out, s, len);
	cr_assert(out->len == want->len && memcmp(out->str, want->str, want->len) == 0,
		  "%s: byte %d, length %zu", what, b, len);
	g_string_free(out, TRUE);
	g_string_free(want, TRUE);
}

/* The scan tests 16 bytes at a time and a value's tail as its last 16 bytes: every byte
 * value, at every position of values of 1 to 40 bytes, and pairs of specials across the
 * blocks, give what a byte-by-byte escape gives. */
Test(tmpl, escape_finds_every_byte_at_every_position)
{
	char in[40];
	for (int b = 0; b < 256; b++) {
		for (size_t len = 1; len <= sizeof in; len++) {
			for (size_t pos = 0; pos < len; pos++) {
				memset(in, 'a', sizeof in);
				in[pos] = (char)b;
				assert_escapes_like_slowly(in, len, "one", b);
			}
		}
	}
	for (size_t p = 0; p < sizeof in; p++) {
		for (size_t q = p; q < sizeof in; q++) {
			memset(in, 'x', sizeof in);
			in[p] = '<';
			in[q] = '\'';
			for (size_t len = q + 1; len <= sizeof in; len++)
				assert_escapes_like_slowly(in, len, "two", (int)(p * 100 + q));
		}
	}
}

Test(tmpl, variable_is_escaped)
{
	assert_renders("<p>{{ s }}</p>", "{\"s\": \"<a href='x'>&\\\"</a>\"}",
		       "<p>&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;</p>");
}

Test(tmpl, raw_writes_unescaped)
{
	assert_renders("{{ raw s }}|{{raw s}}", "{\"s\": \"<b>&'\"}", "<b>&'|<b>&'");
}

Test(tmpl, inner_spaces_are_optional)
{
	assert_renders("{{a}}{{ a }}{{\ta\n}}", "{\"a\": 1}", "111");
}

Test(tmpl, values_print_by_type)
{
	assert_renders("[{{i}}][{{neg}}][{{r}}][{{e}}][{{t}}][{{f}}][{{z}}][{{arr}}][{{obj}}]",
		       "{\"i\": 42, \"neg\": -9007199254740993, \"r\": 1.5, \"e\": 1e20,"
		       " \"t\": true, \"f\": false, \"z\": null, \"arr\": [1],"
		       " \"obj\": {\"a\": 1}}",
		       "[42][-9007199254740993][1.5][1e+20][true][][][][]");
	assert_misses("[{{missing}}]", "{}", "[]", "t.html:1: missing value \"missing\"");
}

Test(tmpl, integers_print_as_json_integer_format_does)
{
	static const json_int_t ints[] = { 0, 7, -7, 10, 1000000007, INT64_MAX, INT64_MIN };

	for (size_t i = 0; i < G_N_ELEMENTS(ints); i++) {
		json_t *data = json_pack("{sI}", "n", ints[i]);
		char *json = json_dumps(data, 0);
		char want[32];
		snprintf(want, sizeof want, "%" JSON_INTEGER_FORMAT, ints[i]);
		char *page = render("{{ n }}", json);
		cr_expect_str_eq(page, want);
		g_free(page);
		free(json);
		json_decref(data);
	}
}

Test(tmpl, reals_ignore_a_french_numeric_locale)
{
	if (!setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		cr_skip_test("no fr_FR.UTF-8 locale here");
	assert_renders("{{ r }}", "{\"r\": 1.5}", "1.5");
	setlocale(LC_NUMERIC, "C");
}

Test(tmpl, text_outside_tags_is_copied_as_is)
{
	assert_renders("a } b }} c { d <&>", "{}", "a } b }} c { d <&>");
}

/* ---- paths and scopes ---- */

Test(tmpl, nested_path_walks_objects)
{
	const char *json = "{\"a\": {\"b\": {\"c\": \"deep\"}}}";

	assert_renders("{{ a.b.c }}", json, "deep");
	assert_misses("{{ a.b.c }}|{{ a.x.c }}", json, "deep|", "t.html:1: missing value \"a.x.c\"");
	assert_misses("\n{{ a.b.c.d }}", json, "\n", "t.html:2: missing value \"a.b.c.d\"");
}

Test(tmpl, numeric_segment_indexes_arrays)
{
	assert_misses("{{ items.0.name }},{{ items.1.name }},{{ items.2.name }}",
		      "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", "a,b,",
		      "t.html:1: missing value \"items.2.name\"");
}

Test(tmpl, numeric_segment_is_a_key_on_objects)
{
	assert_renders("{{ byyear.2024 }}", "{\"byyear\": {\"2024\": 7}}", "7");
	/* Too long to be a position: still a key. */
	assert_misses("{{ ids.1234567890 }}[{{ xs.1234567890 }}]",
		      "{\"ids\": {\"1234567890\": \"x\"}, \"xs\": [1]}", "x[]",
		      "t.html:1: missing value \"xs.1234567890\"");
}

Test(tmpl, dot_is_the_current_scope)
{
	assert_renders("{{ . }}", "\"<top>\"", "&lt;top&gt;");
	assert_renders("{{#each xs}}[{{.}}]{{/each}}", "{\"xs\": [\"a\", 2, true]}",
		       "[a][2][true]");
}

Test(tmpl, each_looks_up_outer_scopes_when_item_lacks_the_key)
{
	assert_renders("{{#each rows}}{{ name }}@{{ site }} {{/each}}",
		       "{\"site\": \"Lyon\","
		       " \"rows\": [{\"name\": \"a\"}, {\"name\": \"b\", \"site\": \"Paris\"}]}",
		       "a@Lyon b@Paris ");
}

Test(tmpl, first_segment_found_stops_the_walk_up)
{
	/* The item has "a" without "b": a.b is missing, not taken from the outer "a". */
	assert_misses("{{#each xs}}[{{ a.b }}]{{/each}}",
		      "{\"a\": {\"b\": \"outer\"}, \"xs\": [{\"a\": {}}, {}]}", "[][outer]",
		      "t.html:1: missing value \"a.b\"");
}

Test(tmpl, each_gives_index_and_number)
{
	assert_renders("{{#each xs}}{{@index}}/{{@number}}={{.}} {{/each}}",
		       "{\"xs\": [\"a\", \"b\", \"c\"]}", "0/1=a 1/2=b 2/3=c ");
}

Test(tmpl, index_is_that_of_the_innermost_each)
{
	assert_renders("{{#each rows}}{{#each .}}{{@index}}{{/each}}"
		       "{{#with x}}{{@number}}{{/with}};{{/each}}",
		       "{\"x\": 1, \"rows\": [[\"a\", \"b\"], [\"c\"]]}", "011;02;");
}

Test(tmpl, index_outside_each_prints_nothing)
{
	assert_renders("[{{@index}}][{{@number}}]", "{}", "[][]");
}

Test(tmpl, if_index_separates_items)
{
	assert_renders("{{#each xs}}{{#if @index}}, {{/if}}{{.}}{{/each}}",
		       "{\"xs\": [\"a\", \"b\", \"c\"]}", "a, b, c");
}

Test(tmpl, each_else_when_empty_missing_or_not_an_array)
{
	const char *t = "{{#each xs}}x{{else}}none{{/each}}";

	assert_renders(t, "{\"xs\": []}", "none");
	assert_renders(t, "{}", "none");
	assert_renders(t, "{\"xs\": {\"a\": 1}}", "none");
	assert_renders(t, "{\"xs\": [1, 2]}", "xx");
}

Test(tmpl, null_data_renders_as_empty_scope)
{
	const struct src srcs[] = { { "t.html", "[{{ a }}]{{#if .}}y{{else}}n{{/if}}[{{.}}]" } };
	struct tmpl_set *set = load(srcs, 1, NULL, NULL, NULL);
	GString *out = g_string_new(NULL);
	GError *err = NULL;

	tmpl_set_strict(set, false);
	cr_assert_eq(tmpl_render(set, "t.html", NULL, out, NULL), 0);
	cr_assert_str_eq(out->str, "[]n[]");
	/* Strict, "a" is missing; "." of no data is not. */
	tmpl_set_strict(set, true);
	g_string_truncate(out, 0);
	cr_assert_eq(tmpl_render(set, "t.html", NULL, out, &err), -ERR_INVAL);
	cr_assert_str_eq(err->message, "t.html:1: missing value \"a\"");
	g_clear_error(&err);
	cr_assert_eq(out->len, 0);
	g_string_free(out, TRUE);
	tmpl_set_free(set);
}

/* ---- blocks ---- */

Test(tmpl, if_truthiness_for_every_json_type)
{
	static const struct {
		const char *json;
		const char *want;
	} cases[] = {
		{ "{}", "no" },                    /* missing */
		{ "{\"v\": null}", "no" },
		{ "{\"v\": false}", "no" },
		{ "{\"v\": true}", "yes" },
		{ "{\"v\": 0}", "no" },
		{ "{\"v\": 3}", "yes" },
		{ "{\"v\": -1}", "yes" },
		{ "{\"v\": 0.0}", "no" },
		{ "{\"v\": 0.5}", "yes" },
		{ "{\"v\": \"\"}", "no" },
		{ "{\"v\": \"0\"}", "yes" },
		{ "{\"v\": []}", "no" },
		{ "{\"v\": [0]}", "yes" },
		{ "{\"v\": {}}", "no" },
		{ "{\"v\": {\"a\": null}}", "yes" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *page = render("{{#if v}}yes{{else}}no{{/if}}", cases[i].json);
		cr_expect_str_eq(page, cases[i].want, "data: %s", cases[i].json);
		g_free(page);
	}
}

Test(tmpl, if_without_else_prints_nothing_when_false)
{
	assert_renders("a{{#if v}}b{{/if}}c", "{\"v\": false}", "ac");
}

Test(tmpl, unless_is_the_inverse_of_if)
{
	const char *t = "{{#unless v}}empty{{else}}full{{/unless}}";

	assert_renders(t, "{\"v\": []}", "empty");
	assert_renders(t, "{}", "empty");
	assert_renders(t, "{\"v\": \"x\"}", "full");
}

Test(tmpl, eq_compares_strings)
{
	const char *t = "{{#eq role \"admin\"}}A{{else}}U{{/eq}}";

	assert_renders(t, "{\"role\": \"admin\"}", "A");
	assert_renders(t, "{\"role\": \"administrator\"}", "U");
	assert_renders(t, "{\"role\": \"adm\"}", "U");
	assert_renders(t, "{}", "U");
}

Test(tmpl, eq_compares_integers_in_decimal)
{
	const char *t = "{{#eq n \"42\"}}yes{{else}}no{{/eq}}";

	assert_renders(t, "{\"n\": 42}", "yes");
	assert_renders(t, "{\"n\": 4}", "no");
	assert_renders(t, "{\"n\": 42.0}", "no");
	assert_renders(t, "{\"n\": \"42\"}", "yes");
}

Test(tmpl, eq_empty_literal_matches_empty_string_only)
{
	const char *t = "{{#eq s \"\"}}empty{{else}}other{{/eq}}";

	assert_renders(t, "{\"s\": \"\"}", "empty");
	assert_renders(t, "{}", "other");
	assert_renders(t, "{\"s\": null}", "other");
}

Test(tmpl, eq_with_number_matches_position)
{
	assert_renders("{{#each xs}}{{#eq @number \"2\"}}<{{.}}>{{/eq}}{{/each}}",
		       "{\"xs\": [\"a\", \"b\", \"c\"]}", "<b>");
}

Test(tmpl, with_makes_value_the_scope)
{
	assert_renders("{{#with user}}{{ first }} {{ last }} ({{ site }}){{/with}}",
		       "{\"site\": \"Lyon\", \"user\": {\"first\": \"Ada\", \"last\": \"L\"}}",
		       "Ada L (Lyon)");
}

Test(tmpl, with_is_skipped_when_missing_or_null)
{
	const char *t = "[{{#with u}}{{.}}{{else}}none{{/with}}]";

	assert_renders(t, "{}", "[none]");
	assert_renders(t, "{\"u\": null}", "[none]");
	assert_renders(t, "{\"u\": false}", "[]");
	assert_renders(t, "{\"u\": 0}", "[0]");
}

Test(tmpl, blocks_nest)
{
	assert_renders("{{#each xs}}{{#if ok}}{{#with d}}{{n}}{{/with}}{{else}}-{{/if}}{{/each}}",
		       "{\"xs\": [{\"ok\": 1, \"d\": {\"n\": 1}}, {\"ok\": 0},"
		       " {\"ok\": 1, \"d\": {\"n\": 3}}]}",
		       "1-3");
}

Test(tmpl, comment_is_dropped)
{
	assert_renders("a{{! a comment with {braces} and \"quotes\" }}b{{!}}c", "{}", "abc");
}

/* ---- partials ---- */

Test(tmpl, partial_is_included_with_the_current_scope)
{
	const struct src srcs[] = {
		{ "layout/head.html", "<title>{{ title }}</title>" },
		{ "layout/row.html", "<li>{{ name }} {{ site }}</li>" },
		{ "page.html",
		  "{{> layout/head.html}}<ul>{{#each rows}}{{>layout/row.html}}{{/each}}</ul>" },
	};
	char *page = render_in(srcs, G_N_ELEMENTS(srcs), "page.html",
			       "{\"title\": \"T&\", \"site\": \"S\","
			       " \"rows\": [{\"name\": \"a\"}]}");

	cr_assert_str_eq(page, "<title>T&amp;</title><ul><li>a S</li></ul>");
	g_free(page);
}

Test(tmpl, partial_may_be_included_from_several_templates)
{
	const struct src srcs[] = {
		{ "a.html", "A{{> c.html}}{{> b.html}}" },
		{ "b.html", "B{{> c.html}}" },
		{ "c.html", "C" },
	};
	char *page = render_in(srcs, G_N_ELEMENTS(srcs), "a.html", "{}");

	cr_assert_str_eq(page, "ACBC");
	g_free(page);
}

Test(tmpl, files_need_not_be_sorted)
{
	const struct src srcs[] = {
		{ "z.html", "Z{{> a.html}}" },
		{ "a.html", "A" },
	};
	char *page = render_in(srcs, G_N_ELEMENTS(srcs), "z.html", "{}");

	cr_assert_str_eq(page, "ZA");
	g_free(page);
}

/* ---- assets ---- */

static const char *
test_asset(void *ud, const char *path)
{
	int *calls = ud;

	(*calls)++;
	if (strcmp(path, "dsfr/dsfr.min.css") == 0)
		return "/static/dsfr/dsfr.min.css?v=0123456789abcdef";
	if (strcmp(path, "odd.js") == 0)
		return "/static/odd.js?a=1&b=2";
	return NULL;
}

Test(tmpl, asset_tag_prints_url_resolved_once_at_load)
{
	const struct src srcs[] = {
		{ "t.html", "<link href=\"{{ asset \"dsfr/dsfr.min.css\" }}\">"
			    "<script src=\"{{asset \"odd.js\"}}\">" },
	};
	int calls = 0;
	struct tmpl_set *set = load(srcs, 1, test_asset, &calls, NULL);
	GString *out = g_string_new(NULL);

	cr_assert_not_null(set);
	cr_assert_eq(calls, 2);
	for (int i = 0; i < 3; i++) {
		g_string_truncate(out, 0);
		cr_assert_eq(tmpl_render(set, "t.html", NULL, out, NULL), 0);
	}
	cr_assert_eq(calls, 2, "assets must be resolved at load, not at render");
	cr_assert_str_eq(out->str, "<link href=\"/static/dsfr/dsfr.min.css?v=0123456789abcdef\">"
				   "<script src=\"/static/odd.js?a=1&amp;b=2\">");
	g_string_free(out, TRUE);
	tmpl_set_free(set);
}

/* ---- rendering ---- */

Test(tmpl, render_appends_to_out)
{
	const struct src srcs[] = { { "t.html", "b" } };
	struct tmpl_set *set = load(srcs, 1, NULL, NULL, NULL);
	GString *out = g_string_new("a");

	cr_assert_eq(tmpl_render(set, "t.html", NULL, out, NULL), 0);
	cr_assert_str_eq(out->str, "ab");
	g_string_free(out, TRUE);
	tmpl_set_free(set);
}

Test(tmpl, a_txt_template_prints_values_as_they_are)
{
	/* A mail's text part: "Bonjour Zoé d'Arc" must not reach the reader as "d&#39;Arc". */
	const struct src srcs[] = { { "m.txt", "Bonjour {{ name }} <{{ raw name }}>" },
				    { "m.html", "Bonjour {{ name }}" } };
	struct tmpl_set *set = load(srcs, 2, NULL, NULL, NULL);
	struct arena *a = arena_new();
	struct vm *d = vm_obj(a);
	vm_set_str(d, "name", "Zoé d'Arc & <b>");
	GString *txt = g_string_new(NULL), *html = g_string_new(NULL);
	cr_assert_eq(tmpl_render(set, "m.txt", d, txt, NULL), 0);
	cr_assert_str_eq(txt->str, "Bonjour Zoé d'Arc & <b> <Zoé d'Arc & <b>>");
	cr_assert_eq(tmpl_render(set, "m.html", d, html, NULL), 0);
	cr_assert_str_eq(html->str, "Bonjour Zoé d&#39;Arc &amp; &lt;b&gt;");
	g_string_free(txt, TRUE);
	g_string_free(html, TRUE);
	arena_free(a);
	tmpl_set_free(set);
}

Test(tmpl, render_unknown_template_is_notfound_and_appends_nothing)
{
	const struct src srcs[] = { { "t.html", "page" } };
	struct tmpl_set *set = load(srcs, 1, NULL, NULL, NULL);
	GString *out = g_string_new("before");

	cr_assert_eq(tmpl_render(set, "nope.html", NULL, out, NULL), -ERR_NOTFOUND);
	cr_assert_eq(tmpl_render(set, "", NULL, out, NULL), -ERR_NOTFOUND);
	cr_assert_str_eq(out->str, "before");
	g_string_free(out, TRUE);
	tmpl_set_free(set);
}

Test(tmpl, empty_set_finds_nothing)
{
	struct tmpl_set *set = tmpl_set_new(NULL, 0, NULL, NULL, NULL);
	GString *out = g_string_new(NULL);

	cr_assert_not_null(set);
	cr_assert_eq(tmpl_render(set, "t.html", NULL, out, NULL), -ERR_NOTFOUND);
	cr_assert_eq(out->len, 0);
	g_string_free(out, TRUE);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

struct shared {
	struct tmpl_set *set;
	struct vm *data;
	const char *want;
};

static gpointer
render_many(gpointer p)
{
	struct shared *sh = p;
	GString *out = g_string_new(NULL);
	gboolean same = TRUE;

	for (int i = 0; i < 2000 && same; i++) {
		g_string_truncate(out, 0);
		same = tmpl_render(sh->set, "t.html", sh->data, out, NULL) == 0
		       && strcmp(out->str, sh->want) == 0;
	}
	g_string_free(out, TRUE);
	return GINT_TO_POINTER(same);
}

Test(tmpl, one_set_renders_from_several_threads_at_once)
{
	const struct src srcs[] = {
		{ "t.html", "{{#each xs}}{{@number}}:{{ n }}{{#if ok}}!{{/if}} {{/each}}" },
	};
	struct arena *a = arena_new();
	json_t *j = parse_json("{\"xs\": [{\"n\": \"a\", \"ok\": true}, {\"n\": \"<b>\"}]}");
	struct shared sh = {
		.set = load(srcs, 1, NULL, NULL, NULL),
		.data = build(a, j),
		.want = "1:a! 2:&lt;b&gt; ",
	};
	GThread *th[4];

	for (size_t i = 0; i < G_N_ELEMENTS(th); i++)
		th[i] = g_thread_new("render", render_many, &sh);
	for (size_t i = 0; i < G_N_ELEMENTS(th); i++)
		cr_expect(GPOINTER_TO_INT(g_thread_join(th[i])), "thread %zu saw another page", i);
	json_decref(j);
	arena_free(a);
	tmpl_set_free(sh.set);
}

/* ---- load errors ---- */

Test(tmpl, unclosed_block_fails_at_its_opening_line)
{
	const struct src srcs[] = { { "a.html", "one\n{{#if x}}\ntwo\n{{#each y}}{{/each}}\n" } };
	assert_load_error(srcs, "a.html:2: unclosed {{#if}}");
}

Test(tmpl, stray_closing_tag_fails_at_its_line)
{
	const struct src srcs[] = { { "a.html", "one\ntwo {{ x }}\n\n{{/if}}" } };
	assert_load_error(srcs, "a.html:4: {{/if}} without {{#if}}");
}

Test(tmpl, mismatched_closing_tag_names_both_blocks)
{
	const struct src srcs[] = { { "a.html", "{{#if x}}\n{{/each}}" } };
	assert_load_error(srcs, "a.html:2: {{/each}} closes {{#if}} of line 1");
}

Test(tmpl, else_outside_a_block_fails)
{
	const struct src srcs[] = { { "a.html", "\n{{else}}" } };
	assert_load_error(srcs, "a.html:2: {{else}} outside a block");
}

Test(tmpl, second_else_fails)
{
	const struct src srcs[] = { { "a.html", "{{#if x}}a{{else}}b\n{{ else }}c{{/if}}" } };
	assert_load_error(srcs, "a.html:2: second {{else}} in {{#if}}");
}

Test(tmpl, unknown_block_helper_fails)
{
	const struct src srcs[] = { { "a.html", "{{#loop xs}}{{/loop}}" } };
	assert_load_error(srcs, "a.html:1: unknown helper \"loop\"");
}

Test(tmpl, unknown_inline_helper_fails)
{
	const struct src srcs[] = { { "a.html", "x\n{{ upper name }}" } };
	assert_load_error(srcs, "a.html:2: unknown helper \"upper\"");
}

Test(tmpl, unterminated_tag_fails_at_its_opening_line)
{
	const struct src srcs[] = { { "a.html", "ok {{ a }}\n<p>{{ name\n</p>\n" } };
	assert_load_error(srcs, "a.html:2: unterminated tag");
}

Test(tmpl, line_numbers_count_newlines_inside_tags)
{
	const struct src srcs[] = { { "a.html", "{{!\n\n}}{{ a\n}}\n{{/with}}" } };
	assert_load_error(srcs, "a.html:5: {{/with}} without {{#with}}");
}

Test(tmpl, unknown_partial_fails_at_the_including_line)
{
	const struct src srcs[] = {
		{ "a.html", "{{> b.html}}" },
		{ "b.html", "\n\n{{> missing.html}}" },
	};
	assert_load_error(srcs, "b.html:3: unknown partial \"missing.html\"");
}

Test(tmpl, recursive_partial_fails_at_load)
{
	const struct src srcs[] = {
		{ "a.html", "{{> b.html}}" },
		{ "b.html", "x\n{{#if y}}{{> a.html}}{{/if}}" },
	};
	assert_load_error(srcs, "b.html:2: recursive partial \"a.html\"");
}

Test(tmpl, partial_including_itself_fails_at_load)
{
	const struct src srcs[] = { { "a.html", "{{> a.html}}" } };
	assert_load_error(srcs, "a.html:1: recursive partial \"a.html\"");
}

Test(tmpl, unknown_asset_fails_at_load)
{
	const struct src srcs[] = { { "a.html", "\n{{ asset \"nope.css\" }}" } };
	int calls = 0;
	char *msg = load_error_with(srcs, 1, test_asset, &calls);

	cr_assert_str_eq(msg, "a.html:2: unknown asset \"nope.css\"");
	g_free(msg);
}

Test(tmpl, asset_without_resolver_fails_at_load)
{
	const struct src srcs[] = { { "a.html", "{{ asset \"dsfr/dsfr.min.css\" }}" } };
	assert_load_error(srcs, "a.html:1: unknown asset \"dsfr/dsfr.min.css\"");
}

Test(tmpl, malformed_tags_fail)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "{{}}", "t.html:1: empty tag" },
		{ "{{ a..b }}", "t.html:1: bad path \"a..b\"" },
		{ "{{ .a }}", "t.html:1: bad path \".a\"" },
		{ "{{{ a }}}", "t.html:1: {{{ }}} is not supported: write {{ raw path }}" },
		{ "{{ @key }}", "t.html:1: bad path \"@key\"" },
		{ "{{ \"s\" }}", "t.html:1: bad path \"s\"" },
		{ "{{ raw }}", "t.html:1: {{raw}} takes one path" },
		{ "{{#if}}{{/if}}", "t.html:1: {{#if}} takes one path" },
		{ "{{#each a..b}}{{/each}}", "t.html:1: bad path \"a..b\"" },
		{ "{{#each a b}}{{/each}}", "t.html:1: {{#each}} takes one path" },
		{ "{{#eq a b}}{{/eq}}", "t.html:1: {{#eq}} takes a path and a \"string\"" },
		{ "{{#eq a \"b}}{{/eq}}", "t.html:1: unterminated string" },
		{ "{{#eq a \"b\"c}}{{/eq}}", "t.html:1: text after a string" },
		{ "{{#eq a \"b\" c}}{{/eq}}", "t.html:1: too many words in a tag" },
		{ "{{ asset dsfr.css }}", "t.html:1: {{asset}} takes one \"path\"" },
		{ "{{>}}", "t.html:1: {{>}} takes one template name" },
		{ "{{#}}{{/}}", "t.html:1: {{#}} without a helper" },
		{ "{{#if a}}{{/}}", "t.html:1: bad closing tag" },
		{ "{{/}}", "t.html:1: bad closing tag" },
		{ "{{#if a}}{{/if b}}", "t.html:1: bad closing tag" },
		{ "{{else x}}", "t.html:1: {{else}} takes nothing" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const struct src srcs[] = { { "t.html", cases[i].text } };
		char *msg = load_error_with(srcs, 1, NULL, NULL);
		cr_expect_str_eq(msg, cases[i].want, "template: %s", cases[i].text);
		g_free(msg);
	}
}

Test(tmpl, nul_byte_in_a_tag_fails)
{
	struct embed_file f = {
		.name = "t.html", .data = (const unsigned char *)"a\0b{{ x\0y }}", .len = 12,
	};
	GError *err = NULL;

	cr_assert_null(tmpl_set_new(&f, 1, NULL, NULL, &err));
	cr_assert_str_eq(err->message, "t.html:1: NUL byte in a tag");
	g_error_free(err);
}

Test(tmpl, blocks_nested_too_deep_fail)
{
	GString *t = g_string_new(NULL);

	for (int i = 0; i < 65; i++)
		g_string_append(t, "{{#if a}}");
	for (int i = 0; i < 65; i++)
		g_string_append(t, "{{/if}}");

	const struct src srcs[] = { { "t.html", t->str } };
	char *msg = load_error_with(srcs, 1, NULL, NULL);
	cr_assert_str_eq(msg, "t.html:1: blocks nested deeper than 64");
	g_free(msg);

	/* 64 levels are fine. */
	g_string_erase(t, 0, strlen("{{#if a}}"));
	g_string_truncate(t, t->len - strlen("{{/if}}"));
	char *page = render(t->str, "{\"a\": 1}");
	cr_assert_str_eq(page, "");
	g_free(page);
	g_string_free(t, TRUE);
}

Test(tmpl, duplicate_template_name_fails)
{
	const struct src srcs[] = { { "a.html", "1" }, { "a.html", "2" } };
	assert_load_error(srcs, "a.html:1: template defined twice");
}

Test(tmpl, error_may_be_ignored_with_null_gerror)
{
	const struct src srcs[] = { { "a.html", "{{#if" } };
	cr_assert_null(load(srcs, 1, NULL, NULL, NULL));
}

/* ---- strict mode ---- */

/* Renders @text as "t.html" with @data into @out (which may hold text already). */
static int
render_vm(const char *text, const struct vm *data, bool strict, GString *out, GError **err)
{
	const struct src srcs[] = { { "t.html", text } };
	struct tmpl_set *set = load(srcs, 1, NULL, NULL, NULL);

	cr_assert_not_null(set);
	tmpl_set_strict(set, strict);
	int rc = tmpl_render(set, "t.html", data, out, err);
	tmpl_set_free(set);
	return rc;
}

Test(tmpl, a_new_set_is_strict)
{
	const struct src srcs[] = { { "t.html", "{{ x }}" } };
	struct tmpl_set *set = load(srcs, 1, NULL, NULL, NULL);
	struct arena *a = arena_new();
	GString *out = g_string_new(NULL);

	cr_assert_eq(tmpl_render(set, "t.html", vm_obj(a), out, NULL), -ERR_INVAL);
	g_string_free(out, TRUE);
	arena_free(a);
	tmpl_set_free(set);
}

Test(tmpl, strict_required_null_fails_naming_template_line_and_path)
{
	struct arena *a = arena_new();
	struct vm *data = vm_obj(a);
	struct vm *user = vm_set_obj(data, "user");
	vm_set_str(user, "first_name", NULL);   /* a required value the page did not have */
	GString *out = g_string_new("before|");
	GError *err = NULL;

	cr_assert_eq(render_vm("<p>\n{{#with user}}\n{{ first_name }}{{/with}}", data, true, out,
			       &err), -ERR_INVAL);
	cr_assert_str_eq(err->message, "t.html:3: missing value \"first_name\"");
	cr_assert_str_eq(out->str, "before|", "a failed render appends nothing");
	g_clear_error(&err);
	/* The full path when reached from outside. */
	cr_assert_eq(render_vm("{{ raw user.first_name }}", data, true, out, &err), -ERR_INVAL);
	cr_assert_str_eq(err->message, "t.html:1: missing value \"user.first_name\"");
	g_clear_error(&err);
	/* Lenient: it prints nothing, and the page goes on. */
	cr_assert_eq(render_vm("[{{ user.first_name }}]", data, false, out, NULL), 0);
	cr_assert_str_eq(out->str, "before|[]");
	g_string_free(out, TRUE);
	arena_free(a);
}

Test(tmpl, strict_explicit_null_prints_empty)
{
	struct arena *a = arena_new();
	struct vm *data = vm_obj(a);
	vm_set_str_opt(data, "title", NULL);
	vm_set_null(data, "z");
	vm_set(data, "pagination", NULL);
	vm_set_bool(data, "f", false);
	vm_set_list(data, "xs");
	GString *out = g_string_new(NULL);

	cr_assert_eq(render_vm("[{{ title }}][{{ z }}][{{ pagination }}][{{ f }}][{{ xs }}]"
			       "[{{ raw title }}]", data, true, out, NULL), 0);
	cr_assert_str_eq(out->str, "[][][][][][]");
	g_string_free(out, TRUE);
	arena_free(a);
}

Test(tmpl, strict_blocks_treat_missing_as_false)
{
	struct arena *a = arena_new();
	struct vm *data = vm_obj(a);
	vm_set_str(data, "gone", NULL);
	GString *out = g_string_new(NULL);

	for (int i = 0; i < 2; i++) {
		const char *k = i ? "gone" : "absent";
		char *t = g_strdup_printf("{{#if %s}}x{{else}}a{{/if}}{{#unless %s}}b{{/unless}}"
					  "{{#each %s}}x{{else}}c{{/each}}{{#with %s}}x{{else}}d{{/with}}"
					  "{{#eq %s \"\"}}x{{else}}e{{/eq}}{{#if %s.deeper}}x{{/if}}",
					  k, k, k, k, k, k);
		g_string_truncate(out, 0);
		cr_assert_eq(render_vm(t, data, true, out, NULL), 0, "%s", t);
		cr_assert_str_eq(out->str, "abcde");
		g_free(t);
	}
	g_string_free(out, TRUE);
	arena_free(a);
}

Test(tmpl, strict_missing_in_a_partial_names_the_partial)
{
	const struct src srcs[] = {
		{ "page.html", "{{> row.html}}" },
		{ "row.html", "ok\n{{ nope }}" },
	};
	struct tmpl_set *set = load(srcs, 2, NULL, NULL, NULL);
	struct arena *a = arena_new();
	GString *out = g_string_new(NULL);
	GError *err = NULL;

	cr_assert_eq(tmpl_render(set, "page.html", vm_obj(a), out, &err), -ERR_INVAL);
	cr_assert_str_eq(err->message, "row.html:2: missing value \"nope\"");
	cr_assert_eq(out->len, 0);
	g_clear_error(&err);
	g_string_free(out, TRUE);
	arena_free(a);
	tmpl_set_free(set);
}

Test(tmpl, strict_stops_at_the_first_miss_and_positions_are_not_misses)
{
	struct arena *a = arena_new();
	GString *out = g_string_new(NULL);
	GError *err = NULL;

	cr_assert_eq(render_vm("[{{@index}}{{@number}}]{{ a }}{{ b }}", vm_obj(a), true, out, &err),
		     -ERR_INVAL);
	cr_assert_str_eq(err->message, "t.html:1: missing value \"a\"");
	g_clear_error(&err);
	g_string_free(out, TRUE);
	arena_free(a);
}

Test(vm, last_set_wins)
{
	struct arena *a = arena_new();
	struct vm *o = vm_obj(a);

	vm_set_str(o, "k", "one");
	vm_set_int(o, "k", 2);
	cr_assert_eq(vm_get(o, "k")->kind, VM_INT);
	cr_assert_eq(vm_get(o, "k")->i, 2);
	cr_assert_null(vm_get(o, "K"));
	cr_assert_null(vm_get(o, "k2"));
	arena_free(a);
}

Test(vm, containers_are_shared_and_handles_survive_growth)
{
	struct arena *a = arena_new();
	struct vm *page = vm_obj(a);
	struct vm *rows = vm_set_list(page, "rows");
	struct vm *first = vm_push_obj(rows);
	struct vm *late = vm_list(a);

	vm_set(page, "late", late);
	/* Enough to move every array more than once. */
	for (int i = 0; i < 100; i++) {
		vm_set_int(vm_push_obj(rows), "n", i);
		vm_set_strf(page, vm_strf(a, "k%d", i), "v%d", i);
		vm_push_int(late, i);
	}
	vm_set_str(first, "name", "filled after 100 more rows");
	cr_assert_eq(vm_len(rows), 101);
	cr_assert_eq(vm_len(vm_get(page, "late")), 100);
	cr_assert_eq(vm_at(vm_get(page, "late"), 99)->i, 99);
	cr_assert_null(vm_at(late, 100));
	cr_assert_str_eq(vm_get(page, "k42")->s, "v42");
	cr_assert_eq(vm_get(page, "k42")->len, 3);

	GString *out = g_string_new(NULL);
	cr_assert_eq(render_vm("{{ rows.0.name }}|{{ rows.100.n }}|{{ late.7 }}|{{ k99 }}", page,
			       true, out, NULL), 0);
	cr_assert_str_eq(out->str, "filled after 100 more rows|99|7|v99");
	g_string_free(out, TRUE);
	arena_free(a);
}

Test(vm, strings_are_pointer_and_length)
{
	struct arena *a = arena_new();
	struct vm *o = vm_obj(a);
	static const char nul[] = "a\0<";

	vm_set_strn(o, "s", nul, 3);
	vm_set_strn(o, "prefix", "abcdef", 3);
	vm_set_strn(o, "gone", NULL, 0);
	GString *out = g_string_new(NULL);
	cr_assert_eq(render_vm("{{ s }}|{{ prefix }}", o, true, out, NULL), 0);
	cr_assert_eq(out->len, 10);
	cr_assert(memcmp(out->str, "a\0&lt;|abc", 10) == 0);
	cr_assert_eq(vm_get(o, "gone")->kind, VM_MISSING);
	cr_assert_str_eq(vm_strcat(a, "/x?", "a=1", "", "&b=2", NULL), "/x?a=1&b=2");
	cr_assert_str_eq(vm_strcat(a, "", NULL), "");
	g_string_free(out, TRUE);
	arena_free(a);
}

Test(vm, lists_hold_every_kind_and_a_lone_string_is_a_scope)
{
	struct arena *a = arena_new();
	struct vm *o = vm_obj(a);
	struct vm *l = vm_set_list(o, "xs");

	vm_push_str(l, "s");
	vm_push_int(l, -3);
	vm_push_bool(l, true);
	vm_push_bool(l, false);
	vm_push(l, NULL);
	vm_push_int(vm_push_list(l), 9);
	vm_push(l, vm_str(a, "lone"));
	GString *out = g_string_new(NULL);
	cr_assert_eq(render_vm("{{#each xs}}[{{.}}]{{/each}}", o, true, out, NULL), 0);
	cr_assert_str_eq(out->str, "[s][-3][true][][][][lone]");
	g_string_truncate(out, 0);
	cr_assert_eq(render_vm("{{.}}", vm_str(a, "<top>"), true, out, NULL), 0);
	cr_assert_str_eq(out->str, "&lt;top&gt;");
	cr_assert_eq(vm_len(vm_str(a, "x")), 0);
	cr_assert_eq(vm_arena(o), a);
	g_string_free(out, TRUE);
	arena_free(a);
}

/* ---- DSFR helpers ---- */

static const char *
any_asset(void *ud, const char *path)
{
	(void)ud;
	(void)path;
	return "/static/test";
}

/* The templates of the binary, strict. */
static struct tmpl_set *
real_templates(void)
{
	struct tmpl_set *set = tmpl_set_new(embed_templates, embed_templates_count, any_asset,
					    NULL, NULL);
	cr_assert_not_null(set);
	return set;
}

static const char *
table_url(void *ud, int sort, bool desc, int page)
{
	return vm_strf(ud, "/t?tri=%d&ordre=%s&page=%d", sort, desc ? "desc" : "asc", page);
}

Test(view, table_head_sorts_and_pages)
{
	struct arena *a = arena_new();
	struct vm *page = vm_obj(a);
	const struct view_column cols[] = {
		{"Choix", VIEW_UNSORTED, false, true},
		{"Nom", 1, false, false},
		{"Date", 2, true, false},
		{"Actions", VIEW_UNSORTED, false, false},
	};
	view_table(page, &(struct view_table){
		.columns = cols, .ncolumns = 4, .sort = 1, .desc = false, .page = 2, .pages = 3,
		.url = table_url, .ud = a,
	});
	struct tmpl_set *set = real_templates();
	GString *out = g_string_new(NULL);
	GError *err = NULL;
	cr_assert_eq(tmpl_render(set, "layout/table_head.html", page, out, &err), 0, "%s",
		     err ? err->message : "");
	/* The current column reverses, another sorts in its first order; both to page 1. */
	cr_assert(strstr(out->str, "<th scope=\"col\"><span class=\"fr-sr-only\">Choix</span></th>"));
	cr_assert(strstr(out->str, "<th scope=\"col\" aria-sort=\"ascending\"><a href=\"/t?tri=1&amp;"
				   "ordre=desc&amp;page=1\">Nom<span class=\"fr-sr-only\">, trier"
				   "</span></a></th>"));
	cr_assert(strstr(out->str, "<th scope=\"col\"><a href=\"/t?tri=2&amp;ordre=desc&amp;page=1\">"
				   "Date<span"));
	cr_assert(strstr(out->str, "<th scope=\"col\">Actions</th>"));
	/* The pagination keeps the order. */
	const struct vm *p = vm_get(page, "pagination");
	cr_assert_str_eq(vm_get(p, "prev")->s, "/t?tri=1&ordre=asc&page=1");
	cr_assert_str_eq(vm_get(p, "next")->s, "/t?tri=1&ordre=asc&page=3");
	g_string_truncate(out, 0);
	cr_assert_eq(tmpl_render(set, "layout/pagination.html", p, out, &err), 0, "%s",
		     err ? err->message : "");
	cr_assert(strstr(out->str, "aria-current=\"page\" title=\"Page 2\">2</a>"));
	/* One page: no pagination. */
	view_table(page, &(struct view_table){
		.columns = cols, .ncolumns = 4, .sort = 2, .desc = true, .page = 1, .pages = 1,
		.url = table_url, .ud = a,
	});
	cr_assert_eq(vm_get(page, "pagination")->kind, VM_NULL);
	g_string_free(out, TRUE);
	tmpl_set_free(set);
	arena_free(a);
}

static const char *
page_url(void *ud, int page)
{
	return vm_strf(ud, "/p?page=%d", page);
}

Test(view, pagination_shows_a_window_of_five_with_ellipses)
{
	struct arena *a = arena_new();
	struct vm *p = view_pagination(a, 6, 12, page_url, a);
	const struct vm *items = vm_get(p, "items");

	cr_assert_eq(vm_len(items), 7);  /* … 4 5 6 7 8 … */
	cr_assert(vm_get(vm_at(items, 0), "ellipsis")->b);
	cr_assert_eq(vm_get(vm_at(items, 1), "page")->i, 4);
	cr_assert(vm_get(vm_at(items, 3), "current")->b);
	cr_assert_str_eq(vm_get(p, "first")->s, "/p?page=1");
	p = view_pagination(a, 1, 3, page_url, a);
	cr_assert_eq(vm_get(p, "prev")->kind, VM_NULL);
	cr_assert_eq(vm_len(vm_get(p, "items")), 3);
	arena_free(a);
}

Test(view, form_errors_summarise_the_fields_in_error)
{
	struct arena *a = arena_new();
	const struct view_field_error none[] = {{"title", "titre", NULL}};
	cr_assert_null(view_form_errors(a, none, 1));

	const struct view_field_error fields[] = {
		{"title", "titre", "Le titre est obligatoire."},
		{"members", "beneficiaires", NULL},
		{"date", "date-action", "La date <est> invalide."},
	};
	struct vm *page = vm_obj(a);
	vm_set(page, "errors", view_form_errors(a, fields, 3));
	struct tmpl_set *set = real_templates();
	GString *out = g_string_new(NULL);
	GError *err = NULL;
	cr_assert_eq(tmpl_render(set, "layout/form_errors.html", vm_get(page, "errors"), out, &err),
		     0, "%s", err ? err->message : "");
	cr_assert(strstr(out->str, "Le formulaire contient 2 erreur(s)."));
	cr_assert(strstr(out->str, "<li><a href=\"#titre\">Le titre est obligatoire.</a></li>"
				   "<li><a href=\"#date-action\">La date &lt;est&gt; invalide.</a></li>"));
	cr_assert_str_eq(vm_get(vm_get(page, "errors"), "title")->s, "Le titre est obligatoire.");
	cr_assert_null(vm_get(vm_get(page, "errors"), "members"));
	g_string_free(out, TRUE);
	tmpl_set_free(set);
	arena_free(a);
}

/* Every mail's HTML part (templates/mail/, through mail/layout_top.html): the header with
 * the "République française" block in text, a sans-serif stack led by Marianne, a body
 * narrowed to 600 px, styles only as inline attributes that mail clients keep, and the
 * button white on the DSFR blue. */
Test(view, every_mail_has_the_shared_accessible_layout)
{
	static const char *const names[] = {"activation", "reset", "archived", "self_deleted",
					     "unread_digest"};
	static const char *const with_button[] = {"activation", "reset", "unread_digest"};
	struct tmpl_set *set = real_templates();
	struct arena *a = arena_new();

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		struct vm *data = vm_obj(a);
		vm_set_str(data, "subject", "Objet <du> courriel");
		vm_set_str(data, "first_name", "Léa");
		vm_set_str(data, "name", "Léa MARTIN");
		vm_set_str(data, "motif", "Autre");
		vm_set_str(data, "link", "https://cej.example/app/activation/abc?x=1&y=2");
		vm_set_int(data, "hours", 12);
		vm_set_int(data, "n", 3);
		GString *text = g_string_new(NULL), *html = g_string_new(NULL);
		cr_assert_eq(view_mail(set, names[i], data, text, html), 0, "%s", names[i]);
		const char *h = html->str;
		cr_assert(strstr(h, "<html lang=\"fr\">"), "%s", names[i]);
		cr_assert(strstr(h, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), "%s", names[i]);
		cr_assert(strstr(h, "<title>Objet &lt;du&gt; courriel</title>"), "%s", names[i]);
		cr_assert(strstr(h, ">République<br>française</p>"), "%s: the RF block, as text", names[i]);
		cr_assert(strstr(h, "font-family:Marianne,Arial,'Helvetica Neue',Helvetica,sans-serif"), "%s", names[i]);
		cr_assert(strstr(h, "max-width:600px"), "%s", names[i]);
		cr_assert(strstr(h, "Objet &lt;du&gt; courriel</h1>"), "%s", names[i]);
		cr_assert(strstr(h, "Merci de ne pas y répondre."), "%s: the footer", names[i]);
		/* Nothing a client strips or fetches: no <style>, <link>, <img>, <script>. */
		cr_assert_null(strstr(h, "<style"), "%s", names[i]);
		cr_assert_null(strstr(h, "<link"), "%s", names[i]);
		cr_assert_null(strstr(h, "<img"), "%s", names[i]);
		cr_assert_null(strstr(h, "<script"), "%s", names[i]);
		/* Each <p> of the text carries its own margin: no browser-default spacing. */
		cr_assert_null(strstr(h, "<p>"), "%s: an unstyled paragraph", names[i]);
		g_string_free(text, TRUE);
		g_string_free(html, TRUE);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(with_button); i++) {
		struct vm *data = vm_obj(a);
		vm_set_str(data, "subject", "Objet");
		vm_set_str(data, "first_name", "Léa");
		vm_set_str(data, "link", "https://cej.example/l?x=1&y=2");
		vm_set_int(data, "hours", 12);
		vm_set_int(data, "n", 3);
		GString *text = g_string_new(NULL), *html = g_string_new(NULL);
		cr_assert_eq(view_mail(set, with_button[i], data, text, html), 0, "%s", with_button[i]);
		cr_assert(strstr(html->str, "<td style=\"background-color:#000091;\">\n<a href=\"https://cej.example/l?x=1&amp;y=2\" "
					    "style=\"display:inline-block;padding:12px 24px;"),
			  "%s: the button", with_button[i]);
		cr_assert(strstr(html->str, "color:#ffffff;text-decoration:none;"), "%s", with_button[i]);
		g_string_free(text, TRUE);
		g_string_free(html, TRUE);
	}
	arena_free(a);
	tmpl_set_free(set);
}
