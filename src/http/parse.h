/* parse.h — our own parsers for what arrives in a request: query strings and urlencoded
 * bodies, Cookie headers, multipart/form-data bodies (DESIGN §8: fuzzed, size-capped).
 *
 * All output lives in the arena passed in; inputs are never modified and need not be
 * NUL-terminated. Parsers never read past @len. Keys and values are NUL-terminated
 * copies; a value may also contain NUL bytes (multipart files): use its len.
 * Parsers append to @out; on failure @out is left exactly as it was. */
#ifndef CEJ_PARSE_H
#define CEJ_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct kv {
	const char *key;
	const char *val;
	size_t val_len;
};

/* A growable list of pairs in arena memory; a zeroed struct is an empty list. */
struct kvlist {
	struct kv *items;
	size_t n, cap;
};

struct part {
	const char *name;           /* form field name */
	const char *filename;       /* NULL when the part is not a file */
	const char *content_type;   /* NULL when absent */
	const char *data;           /* NUL-terminated copy; may contain NULs */
	size_t len;
};

struct partlist {
	struct part *items;
	size_t n, cap;
};

/* Limits: beyond them a parser fails with -ERR_TOOLARGE. */
#define PARSE_MAX_FIELDS 256
/* As many as fields: a multipart form (the multi-recipient page with its optional file)
 * posts one part per checked box, as an urlencoded one posts one pair. */
#define PARSE_MAX_PARTS PARSE_MAX_FIELDS

/* Appends a pair, growing the array in @a. Stores the pointers, copies nothing: @key and
 * @val must live as long as the list (arena-owned or static). */
void kv_add(struct arena *a, struct kvlist *l, const char *key, const char *val, size_t val_len);
/* First value for @key, or NULL. */
const char *kv_get(const struct kvlist *l, const char *key);
/* Every value for @key, in order, into @out (at most @max); returns how many. */
int kv_get_all(const struct kvlist *l, const char *key, const char **out, int max);

/* application/x-www-form-urlencoded (and query strings): "a=1&b=%C3%A9+x". '+' is a space,
 * %XX is decoded, in keys as in values; a pair without '=' has the value "". Empty pairs
 * ("a=1&&b=2") are skipped. Malformed escapes ("%G1", "%4") or a decoded key or value that
 * is not valid UTF-8 -> -ERR_INVAL; "%00" too, so that keys and values are plain C strings
 * (val_len == strlen(val)). More than PARSE_MAX_FIELDS pairs -> -ERR_TOOLARGE. Returns 0
 * on success. */
int parse_urlencoded(struct arena *a, const char *s, size_t len, struct kvlist *out);

/* Cookie request header (RFC 6265 §5.4): "a=1; b=2". Blanks around names and values are
 * trimmed; pairs without '=' or without a name are ignored; values keep their bytes (no
 * decoding), surrounding double quotes are removed. Never fails on malformed input (it
 * skips it); -ERR_TOOLARGE beyond PARSE_MAX_FIELDS pairs. */
int parse_cookies(struct arena *a, const char *s, size_t len, struct kvlist *out);

/* multipart/form-data (RFC 7578). @content_type is the full header value (NUL-terminated),
 * whose boundary parameter (name in any case, quoted or not, 1–70 chars) delimits the
 * parts; the preamble and the epilogue are ignored. Each part's Content-Disposition
 * ("form-data; name=…; filename=…", quoted strings may hold ';' and \" escapes) gives name
 * and optional filename (filename="" is kept: a browser's empty file input; the %22, %0D
 * and %0A browsers write for a quote, CR and LF are decoded, no other "%"); Content-Type
 * is kept. Part data are copied as they are: text fields are not checked for UTF-8.
 * Missing boundary, missing closing delimiter, junk after a delimiter, a part without
 * name or whose disposition is not form-data or given twice -> -ERR_INVAL; more than
 * PARSE_MAX_PARTS parts -> -ERR_TOOLARGE. */
int parse_multipart(struct arena *a, const char *content_type, const char *body, size_t len,
		    struct partlist *out);

/* Percent-encodes @s for a query string or path segment: A-Z a-z 0-9 - . _ ~ are kept,
 * every other byte becomes %XX in uppercase (a space is %20). Arena-owned; NULL -> NULL. */
char *url_encode(struct arena *a, const char *s);

#endif
