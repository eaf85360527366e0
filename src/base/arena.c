/* arena.c — bump allocator over a list of blocks, with deferred destructors. */
#include "base/arena.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct deferred {
	struct deferred *next;
	void (*fn)(void *);
	void *p;
};

struct arena {
	struct block *head;
	struct deferred *defers;
};

struct arena *
arena_new(void)
{
	return g_new0(struct arena, 1);
}

void
arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct deferred *d = a->defers; d; d = d->next)
		d->fn(d->p);
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		g_free(b);
		b = next;
	}
	g_free(a);
}

/* Room for @n bytes, not cleared (the callers below overwrite it at once). */
static void *
arena_take(struct arena *a, size_t n)
{
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	struct block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
		struct block *nb = g_malloc(sizeof(*nb) + size);
		nb->used = 0;
		nb->size = size;
		/* A big allocation gets its own block behind the head, so the head keeps its room. */
		if (b && size != ARENA_BLOCK) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_take(a, n);
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *
arena_memdup(struct arena *a, const void *p, size_t n)
{
	void *out = arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(out, p, n);
	return out;
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	/* Formatted once, straight into the head block's free room when it fits (nearly
	 * always: pages print short strings), then that room is taken; a second pass only
	 * for a string longer than the room. A page prints hundreds of these. */
	struct block *b = a->head;
	size_t room = b ? b->size - b->used : 0;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(room ? (char *)b->data + b->used : NULL, room, fmt, ap2);
	va_end(ap2);
	g_assert(n >= 0);
	size_t need = ((size_t)n + 1 + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need <= room)   /* arena_take gives that very room back: what was written */
		return arena_take(a, (size_t)n + 1);
	char *p = arena_take(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct deferred *d = arena_alloc(a, sizeof(*d));
	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
}
