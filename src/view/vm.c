/* vm.c — the view model: values in an arena, containers as growable arrays. */
#include "view/vm.h"

#include "base/arena.h"

#include <glib.h>
#include <string.h>

/* First capacities: a row holds ~10 keys, a page ~30; growth doubles. The old array
 * stays in the arena until it is freed: a page wastes a few hundred bytes, never a
 * malloc. */
#define OBJ_FIRST 8
#define LIST_FIRST 8

struct vm_pair {
	const char *key;
	uint32_t klen;
	struct vm val;
};

struct vm_body {
	struct arena *a;
	uint32_t n, cap;
	union {
		struct vm *items;          /* VM_LIST */
		struct vm_pair *pairs;     /* VM_OBJ */
	};
};

static struct vm *
container(struct arena *a, enum vm_kind kind)
{
	struct vm *v = arena_alloc(a, sizeof(*v));
	v->kind = (unsigned char)kind;
	v->c = arena_alloc(a, sizeof(*v->c));
	v->c->a = a;
	return v;
}

struct vm *
vm_obj(struct arena *a)
{
	return container(a, VM_OBJ);
}

struct vm *
vm_list(struct arena *a)
{
	return container(a, VM_LIST);
}

/* A string value, or missing when @s is NULL. */
static struct vm
str_val(const char *s, size_t len)
{
	struct vm v = {.kind = s ? VM_STR : VM_MISSING};
	if (s) {
		g_assert(len <= UINT32_MAX);
		v.s = s;
		v.len = (uint32_t)len;
	}
	return v;
}

struct vm *
vm_str(struct arena *a, const char *s)
{
	struct vm *v = arena_alloc(a, sizeof(*v));
	*v = str_val(s, s ? strlen(s) : 0);
	return v;
}

char *
vm_strf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

char *
vm_strcat(struct arena *a, const char *s, ...)
{
	va_list ap;
	size_t len = 0;

	va_start(ap, s);
	for (const char *p = s; p; p = va_arg(ap, const char *))
		len += strlen(p);
	va_end(ap);
	char *out = arena_alloc(a, len + 1), *w = out;
	va_start(ap, s);
	for (const char *p = s; p; p = va_arg(ap, const char *)) {
		size_t n = strlen(p);
		memcpy(w, p, n);
		w += n;
	}
	va_end(ap);
	*w = '\0';
	return out;
}

/* ---- objects ---- */

/* Room for one more item of @size bytes in @b; returns the array (maybe moved). */
static void *
grow(struct vm_body *b, void *arr, size_t size, uint32_t first)
{
	if (b->n < b->cap)
		return arr;
	uint32_t cap = b->cap ? b->cap * 2 : first;
	void *bigger = arena_alloc(b->a, size * cap);
	if (b->n)
		memcpy(bigger, arr, size * b->n);
	b->cap = cap;
	return bigger;
}

void
vm_set_key(struct vm *o, const char *key, size_t klen, struct vm val)
{
	g_assert(o && o->kind == VM_OBJ);
	g_assert(klen <= UINT32_MAX);
	struct vm_body *b = o->c;
	b->pairs = grow(b, b->pairs, sizeof(*b->pairs), OBJ_FIRST);
	struct vm_pair *p = &b->pairs[b->n++];
	p->key = key;
	p->klen = (uint32_t)klen;
	p->val = val;
}

static void
set(struct vm *o, const char *key, struct vm val)
{
	vm_set_key(o, key, strlen(key), val);
}

void
vm_set_key_str(struct vm *o, const char *key, size_t klen, const char *s, size_t len)
{
	vm_set_key(o, key, klen, str_val(s, len));
}

void
vm_set_strf(struct vm *o, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(o->c->a, fmt, ap);
	va_end(ap);
	set(o, key, str_val(s, strlen(s)));
}

void
vm_set_real(struct vm *o, const char *key, double v)
{
	set(o, key, (struct vm){.kind = VM_REAL, .d = v});
}

void
vm_set(struct vm *o, const char *key, const struct vm *v)
{
	set(o, key, v ? *v : (struct vm){.kind = VM_NULL});
}

/* The handle returned is its own allocation: the pair holding a copy may move when the
 * parent grows, the handle never does. */
struct vm *
vm_set_obj(struct vm *o, const char *key)
{
	struct vm *child = vm_obj(o->c->a);
	set(o, key, *child);
	return child;
}

struct vm *
vm_set_list(struct vm *o, const char *key)
{
	struct vm *child = vm_list(o->c->a);
	set(o, key, *child);
	return child;
}

/* ---- lists ---- */

static void
push(struct vm *l, struct vm val)
{
	g_assert(l && l->kind == VM_LIST);
	struct vm_body *b = l->c;
	b->items = grow(b, b->items, sizeof(*b->items), LIST_FIRST);
	b->items[b->n++] = val;
}

void
vm_push(struct vm *l, const struct vm *v)
{
	push(l, v ? *v : (struct vm){.kind = VM_NULL});
}

void
vm_push_str(struct vm *l, const char *s)
{
	push(l, str_val(s, s ? strlen(s) : 0));
}

void
vm_push_int(struct vm *l, int64_t v)
{
	push(l, (struct vm){.kind = VM_INT, .i = v});
}

void
vm_push_bool(struct vm *l, bool v)
{
	push(l, (struct vm){.kind = VM_BOOL, .b = v});
}

struct vm *
vm_push_obj(struct vm *l)
{
	struct vm *child = vm_obj(l->c->a);
	push(l, *child);
	return child;
}

struct vm *
vm_push_list(struct vm *l)
{
	struct vm *child = vm_list(l->c->a);
	push(l, *child);
	return child;
}

/* ---- reading ---- */

struct arena *
vm_arena(const struct vm *v)
{
	g_assert(v && (v->kind == VM_OBJ || v->kind == VM_LIST));
	return v->c->a;
}

size_t
vm_len(const struct vm *v)
{
	return v && (v->kind == VM_OBJ || v->kind == VM_LIST) ? v->c->n : 0;
}

const struct vm *
vm_at(const struct vm *l, size_t i)
{
	if (!l || l->kind != VM_LIST || i >= l->c->n)
		return NULL;
	return &l->c->items[i];
}

const struct vm *
vm_getn(const struct vm *o, const char *key, size_t len)
{
	if (!o || o->kind != VM_OBJ)
		return NULL;
	const struct vm_body *b = o->c;
	/* From the end: the last value set wins. */
	for (uint32_t i = b->n; i-- > 0;) {
		const struct vm_pair *p = &b->pairs[i];
		if (p->klen == len && memcmp(p->key, key, len) == 0)
			return &p->val;
	}
	return NULL;
}

const struct vm *
vm_get(const struct vm *o, const char *key)
{
	return vm_getn(o, key, strlen(key));
}
