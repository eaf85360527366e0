/* vm.h — the view model: what a page shows, built in the request arena and read by the
 * template engine (tmpl.h); pages never use jansson. A value costs a few words of
 * arena, never a malloc, and dies with the arena.
 *
 *	struct vm *page = vm_obj(r->a);
 *	vm_set_str(page, "title", "Portefeuille");
 *	vm_set_int(page, "total", n);
 *	struct vm *rows = vm_set_list(page, "rows");
 *	for (…) {
 *		struct vm *row = vm_push_obj(rows);
 *		vm_set_str(row, "id", b->id);
 *		vm_set_str_opt(row, "situation", b->situation);   // NULL: prints nothing
 *	}
 *	return view_page(r, 200, "portfolio/list.html", page);
 *
 * Values: null, bool, int64, real, string, list, object — plus "missing", a required
 * value that was NULL (below).
 *
 * Invariants, like git's strbuf.h:
 *  - Memory. Every value lives in the arena given to vm_obj()/vm_list()/vm_str() (a
 *    container's children in its container's arena) and is released with it, at once.
 *    Nothing is freed individually; no function here fails (GLib aborts on OOM).
 *  - Strings are NOT copied. A string or key given to a setter must live as long as the
 *    arena: a literal, an arena string (vm_strf, arena_printf, what stores return in the
 *    request arena), or memory the arena owns through arena_defer(). Strings are
 *    pointer + length and may hold NUL bytes (vm_set_strn).
 *  - Containers are shared, not copied. A handle from vm_obj(), vm_list(), vm_set_obj(),
 *    vm_push_obj()… stays valid and may still be filled after it was set or pushed: the
 *    page sees what it holds when it is rendered.
 *  - Keys are [A-Za-z0-9_-]+ (what a template path can name). Setting a key twice: the
 *    last value wins. Lookups are linear (compare lengths first): cheap up to ~30 keys.
 *  - NULL. The required setters (vm_set_str, vm_set_strn, vm_push_str) record NULL as a
 *    *missing required value*: it prints nothing and blocks see it as false, but a strict
 *    render of {{ key }} fails naming it (tmpl.h) — a bug shows in tests instead of an
 *    empty cell in production. vm_set_str_opt() records NULL as null: explicitly empty,
 *    never an error. vm_set()/vm_push() record a NULL container as null.
 *  - Threads: a value has one owner, like its arena. Once built it is only read, so a
 *    finished value may be rendered while nobody modifies it.
 *
 * The struct is visible so that the template engine reads it without calls; outside
 * tmpl.c and vm.c, use the functions. */
#ifndef CEJ_VM_H
#define CEJ_VM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;

enum vm_kind {
	VM_NULL = 0,   /* zeroed memory is null */
	VM_MISSING,    /* a required value given as NULL */
	VM_BOOL,
	VM_INT,
	VM_REAL,
	VM_STR,
	VM_LIST,
	VM_OBJ,
};

struct vm_body;   /* a container's items (vm.c) */

struct vm {
	unsigned char kind;    /* enum vm_kind */
	uint32_t len;          /* VM_STR: bytes */
	union {
		bool b;
		int64_t i;
		double d;
		const char *s;         /* VM_STR: not NUL-terminated when set by length */
		struct vm_body *c;     /* VM_LIST, VM_OBJ */
	};
};

/* ---- building ---- */

/* A new empty object or list in @a. */
struct vm *vm_obj(struct arena *a);
struct vm *vm_list(struct arena *a);
/* A lone string value (the data of a template whose "." is a string); NULL: missing. */
struct vm *vm_str(struct arena *a, const char *s);
/* printf into @a: for strings that must outlive the caller's buffer. */
char *vm_strf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The strings up to NULL joined in @a: what a page's dozen of links costs without
 * printf's two passes each (vm_strf). */
char *vm_strcat(struct arena *a, const char *s, ...) __attribute__((sentinel));

/* Object setters: @o must be an object (asserted). See NULL above. The most used are
 * inline so that the length of a literal key (nearly all of them) is counted by the
 * compiler, not by a strlen call on each of a page's ~200 sets; vm_set_key_str and
 * vm_set_key are what they call, not for direct use. */
void vm_set_key_str(struct vm *o, const char *key, size_t klen, const char *s, size_t len);
void vm_set_key(struct vm *o, const char *key, size_t klen, struct vm val);
static inline void
vm_set_str(struct vm *o, const char *key, const char *s)
{
	vm_set_key_str(o, key, strlen(key), s, s ? strlen(s) : 0);
}
static inline void
vm_set_strn(struct vm *o, const char *key, const char *s, size_t len)
{
	vm_set_key_str(o, key, strlen(key), s, len);
}
static inline void
vm_set_str_opt(struct vm *o, const char *key, const char *s)
{
	if (s)
		vm_set_key_str(o, key, strlen(key), s, strlen(s));
	else
		vm_set_key(o, key, strlen(key), (struct vm){.kind = VM_NULL});
}
static inline void
vm_set_int(struct vm *o, const char *key, int64_t v)
{
	vm_set_key(o, key, strlen(key), (struct vm){.kind = VM_INT, .i = v});
}
static inline void
vm_set_bool(struct vm *o, const char *key, bool v)
{
	vm_set_key(o, key, strlen(key), (struct vm){.kind = VM_BOOL, .b = v});
}
static inline void
vm_set_null(struct vm *o, const char *key)
{
	vm_set_key(o, key, strlen(key), (struct vm){.kind = VM_NULL});
}
void vm_set_strf(struct vm *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vm_set_real(struct vm *o, const char *key, double v);
/* Sets @key to @v (a container is shared; NULL: null). */
void vm_set(struct vm *o, const char *key, const struct vm *v);
/* Sets @key to a new empty object or list and returns it, to fill. */
struct vm *vm_set_obj(struct vm *o, const char *key);
struct vm *vm_set_list(struct vm *o, const char *key);

/* List appenders: @l must be a list (asserted). */
void vm_push(struct vm *l, const struct vm *v);
void vm_push_str(struct vm *l, const char *s);
void vm_push_int(struct vm *l, int64_t v);
void vm_push_bool(struct vm *l, bool v);
struct vm *vm_push_obj(struct vm *l);
struct vm *vm_push_list(struct vm *l);

/* ---- reading ---- */

/* The arena of container @v (where vm_set_obj() and the helpers allocate). */
struct arena *vm_arena(const struct vm *v);
/* Items of a list or keys of an object (a key set twice counts twice); 0 otherwise. */
size_t vm_len(const struct vm *v);
/* Item @i of list @l, or NULL when out of range or not a list. */
const struct vm *vm_at(const struct vm *l, size_t i);
/* The value of @key (@len bytes) in object @o, or NULL when absent or not an object. */
const struct vm *vm_getn(const struct vm *o, const char *key, size_t len);
const struct vm *vm_get(const struct vm *o, const char *key);
#endif
