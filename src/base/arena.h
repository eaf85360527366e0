/* arena.h — a memory pool freed at once (h2o's mem pool): one per request, per job run.
 *
 * Invariants: every pointer returned lives until arena_free(); nothing allocated from an
 * arena is ever freed individually; allocation never fails (GLib aborts on OOM); returned
 * memory is zeroed and aligned for any type. An arena is not thread-safe: one owner. */
#ifndef CEJ_ARENA_H
#define CEJ_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);               /* NULL is fine */

void *arena_alloc(struct arena *a, size_t n);   /* zeroed */
char *arena_strdup(struct arena *a, const char *s);          /* NULL -> NULL */
/* A copy of the @n bytes at @p (a zeroed byte when @n is 0, never NULL). */
void *arena_memdup(struct arena *a, const void *p, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n); /* always NUL-terminated */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Registers @fn(@p) to run at arena_free(), in reverse order: lets an arena own a GString,
 * a json_t or a GPtrArray. */
void arena_defer(struct arena *a, void (*fn)(void *), void *p);

#endif
