/* tmpl.h — the template engine: HTML escaped by default. A template whose name ends in
 * ".txt" (a mail's text part) is plain text: its values are printed as they are, since
 * "&#39;" would reach the reader as such.
 *
 * Templates are compiled into the binary (embed_templates) and parsed once at start; a
 * parsed set is read-only and may be rendered from any thread at once. Data comes as a
 * view model (vm.h), built in the request arena.
 *
 * Syntax (mustache-like):
 *   {{ a.b }}               value at path, HTML-escaped (& < > " ' escaped). Strings as is,
 *                           integers in decimal, reals as %g in the C locale ("1.5"), true
 *                           -> "true", false/null/lists/objects -> "". "." is the current
 *                           item. Keys are [A-Za-z0-9_-]+; on a list, a numeric key is a
 *                           0-based position ("items.0.name"). The first key is looked up
 *                           in the current scope, then in each enclosing one outwards; the
 *                           rest of the path only below what it found.
 *   {{ raw a.b }}           the one way to write unescaped: grep "{{ raw" finds them all.
 *   {{#if a}}…{{else}}…{{/if}}        truthy: not null/false/missing, non-empty string,
 *                                     non-zero number, non-empty list/object.
 *   {{#unless a}}…{{/unless}}
 *   {{#eq a "lit"}}…{{else}}…{{/eq}}  string value (or integer in decimal) equals literal,
 *                                     written in double quotes, without escapes.
 *   {{#each a}}…{{else}}…{{/each}}    list items (the else branch when empty or not a
 *                                     list); inside, "." is the item and @index its
 *                                     0-based position, @number its 1-based position
 *                                     (those of the innermost #each; "" outside any).
 *   {{#with a}}…{{else}}…{{/with}}    a as current scope (else when missing/null).
 *   {{> name}}              includes template "name" (e.g. layout/head.html) with the
 *                           current scope; an unknown name or an include cycle fails at
 *                           load time.
 *   {{ asset "dsfr/dsfr.min.css" }}   URL of an embedded static file (the asset_fn of
 *                                     tmpl_set_new), resolved and escaped at load time.
 *   {{! comment }}          ends at the first "}}".
 * Every block takes {{else}} once. Blocks nest at most 64 deep. A tag's inner spaces are
 * optional ({{a}} == {{ a }}); "{{{" is refused, as is any unknown helper.
 *
 * Missing values. A path names nothing when a key is absent (or a position out of
 * range), or when it reaches a *missing required value* (vm.h: a required setter given
 * NULL). Blocks (#if, #unless, #each, #with, #eq) treat it as false or empty, always.
 * {{ path }} and {{ raw path }} print nothing, and then:
 *   - strict set (the default; tmpl_set_strict): the render fails, appends nothing, and
 *     the error names "template:line: missing value \"path\"". Tests run strict, so a
 *     page that forgets a value fails its test instead of showing an empty cell.
 *   - lenient set (production): one warning per tag in the log, the first time.
 * @index/@number outside any #each print nothing, never an error. */
#ifndef CEJ_TMPL_H
#define CEJ_TMPL_H

#include <glib.h>
#include <stdbool.h>

struct embed_file;
struct tmpl_set;
struct vm;

/* Returns the URL of asset @path, or NULL when unknown (the tag then fails to load). The
 * returned string need only stay valid during the call: the set keeps an escaped copy. */
typedef const char *(*tmpl_asset_fn)(void *ud, const char *path);

/* Parses every template of @files (any order; names must be unique). The set keeps its
 * own copies: @files need not outlive it. @asset_fn may be NULL (asset tags then fail to
 * load); it is only called here. Returns NULL with @err naming "file:line: problem" on any
 * syntax error, unknown partial, include cycle or unknown asset. Free with
 * tmpl_set_free() (NULL is fine). */
struct tmpl_set *tmpl_set_new(const struct embed_file *files, size_t n, tmpl_asset_fn asset_fn,
			      void *ud, GError **err);
void tmpl_set_free(struct tmpl_set *set);

/* Strict mode (above) on or off; a new set is strict. Call before the set is shared:
 * the server turns it off unless it runs with the test clock. */
void tmpl_set_strict(struct tmpl_set *set, bool strict);

/* Appends template @name rendered with @data (only read; NULL renders as an empty scope)
 * to @out. 0; -ERR_NOTFOUND when no such template; -ERR_INVAL when a strict set meets a
 * missing value, with @err (may be NULL) naming "template:line: missing value \"path\"".
 * Never leaves a half page: on error nothing is appended. Allocates nothing but @out's
 * growth. */
int tmpl_render(const struct tmpl_set *set, const char *name, const struct vm *data,
		GString *out, GError **err);

/* Appends @s (len bytes, NULs included) to @out with & < > " ' escaped. @s must not point
 * into @out. */
void tmpl_escape(GString *out, const char *s, size_t len);

#endif
