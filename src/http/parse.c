/* parse.c — the request parsers (DESIGN §8): bounded, binary-safe, arena-only, fuzzed by
 * tests/fuzz/. Inputs are not NUL-terminated (except @content_type), so every scan works
 * with an index below a length, never with a sentinel. A parser fills a copy of the
 * caller's list and hands it back only on success: a rejected request adds nothing. */
#include "http/parse.h"

#include "base/arena.h"
#include "base/err.h"

#include <glib.h>
#include <string.h>

/* A byte range of the input, not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

/* ---- Small helpers ------------------------------------------------------------------ */

/* Returns @items, or a copy twice as large when it is full. The old array stays in the
 * arena: doubling keeps that waste below the final size. */
static void *
grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *bigger = arena_alloc(a, ncap * size);
	if (n)
		memcpy(bigger, items, n * size);
	*cap = ncap;
	return bigger;
}

/* Index of the first @c in @s[@i..@len), or @len. */
static size_t
index_of(const char *s, size_t len, size_t i, char c)
{
	if (i >= len)
		return len;
	const char *hit = memchr(s + i, c, len - i);
	return hit ? (size_t)(hit - s) : len;
}

/* First @needle in @hay[0..@hlen), or NULL: memmem without _GNU_SOURCE. Needles are short
 * (a boundary is at most 74 bytes with its "\r\n--"), so memchr plus memcmp is enough. */
static const char *
find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i = 0;

	while (nlen && hlen - i >= nlen) {
		const char *c = memchr(hay + i, needle[0], hlen - i - nlen + 1);
		if (!c)
			return NULL;
		if (memcmp(c, needle, nlen) == 0)
			return c;
		i = (size_t)(c - hay) + 1;
	}
	return NULL;
}

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static struct span
trim(const char *p, size_t n)
{
	while (n && is_ows(*p)) {
		p++;
		n--;
	}
	while (n && is_ows(p[n - 1]))
		n--;
	return (struct span){ p, n };
}

/* Case-insensitive comparison with a literal: header and parameter names. */
static bool
span_is(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && g_ascii_strncasecmp(s.p, lit, n) == 0;
}

/* ---- Lists -------------------------------------------------------------------------- */

void
kv_add(struct arena *a, struct kvlist *l, const char *key, const char *val, size_t val_len)
{
	l->items = grow(a, l->items, l->n, &l->cap, sizeof(*l->items));
	l->items[l->n++] = (struct kv){ .key = key, .val = val, .val_len = val_len };
}

const char *
kv_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].val;
	return NULL;
}

int
kv_get_all(const struct kvlist *l, const char *key, const char **out, int max)
{
	int n = 0;
	for (size_t i = 0; i < l->n && n < max; i++)
		if (strcmp(l->items[i].key, key) == 0)
			out[n++] = l->items[i].val;
	return n;
}

static void
part_add(struct arena *a, struct partlist *l, const struct part *p)
{
	l->items = grow(a, l->items, l->n, &l->cap, sizeof(*l->items));
	l->items[l->n++] = *p;
}

/* ---- application/x-www-form-urlencoded ---------------------------------------------- */

/* The byte of the escape "%XX" at @s[0], or -1 when it is cut short or not hexadecimal. */
static int
escaped_byte(const char *s, size_t left)
{
	if (left < 3)
		return -1;
	int hi = g_ascii_xdigit_value(s[1]), lo = g_ascii_xdigit_value(s[2]);
	return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
}

/* Decodes '+' and %XX in @s[0..@len) into a NUL-terminated arena copy. The result must be
 * UTF-8 without NUL bytes ("%00"), since callers use keys and values as C strings. */
static int
form_decode(struct arena *a, const char *s, size_t len, char **out, size_t *out_len)
{
	char *d = arena_alloc(a, len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			int b = escaped_byte(s + i, len - i);
			if (b < 0)
				return -ERR_INVAL;
			d[n++] = (char)b;
			i += 2;
		} else {
			d[n++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	if (!g_utf8_validate_len(d, n, NULL))
		return -ERR_INVAL;
	*out = d;
	*out_len = n;
	return 0;
}

/* Adds the pair "key=value" or "key" held in @s[0..@len), @len > 0. */
static int
add_form_pair(struct arena *a, struct kvlist *l, const char *s, size_t len)
{
	size_t eq = index_of(s, len, 0, '=');
	size_t val_at = eq < len ? eq + 1 : len;
	char *key = NULL, *val = NULL;
	size_t key_len = 0, val_len = 0;

	int rc = form_decode(a, s, eq, &key, &key_len);
	if (!rc)
		rc = form_decode(a, s + val_at, len - val_at, &val, &val_len);
	if (!rc)
		kv_add(a, l, key, val, val_len);
	return rc;
}

int
parse_urlencoded(struct arena *a, const char *s, size_t len, struct kvlist *out)
{
	struct kvlist l = *out;
	size_t fields = 0;
	int rc = 0;

	for (size_t i = 0; i < len; ) {
		size_t amp = index_of(s, len, i, '&');
		if (amp > i) {
			if (++fields > PARSE_MAX_FIELDS) {
				rc = -ERR_TOOLARGE;
				goto out;
			}
			rc = add_form_pair(a, &l, s + i, amp - i);
			if (rc)
				goto out;
		}
		i = amp + 1;
	}
out:
	if (!rc)
		*out = l;
	return rc;
}

/* ---- Cookie header ------------------------------------------------------------------ */

/* Splits one "name=value" of a Cookie header; false when it has no '=' or no name, which
 * browsers do not send and RFC 6265 §5.2 says to ignore. */
static bool
split_cookie(const char *s, size_t len, struct span *name, struct span *val)
{
	size_t eq = index_of(s, len, 0, '=');
	if (eq == len)
		return false;
	*name = trim(s, eq);
	*val = trim(s + eq + 1, len - eq - 1);
	if (val->n >= 2 && val->p[0] == '"' && val->p[val->n - 1] == '"') {
		val->p++;
		val->n -= 2;
	}
	return name->n > 0;
}

int
parse_cookies(struct arena *a, const char *s, size_t len, struct kvlist *out)
{
	struct kvlist l = *out;
	size_t fields = 0;
	int rc = 0;

	for (size_t i = 0; i < len; ) {
		size_t semi = index_of(s, len, i, ';');
		struct span name, val;
		if (split_cookie(s + i, semi - i, &name, &val)) {
			if (++fields > PARSE_MAX_FIELDS) {
				rc = -ERR_TOOLARGE;
				goto out;
			}
			kv_add(a, &l, arena_strndup(a, name.p, name.n), arena_strndup(a, val.p, val.n),
			       val.n);
		}
		i = semi + 1;
	}
out:
	if (!rc)
		*out = l;
	return rc;
}

/* ---- Header parameters: boundary=…, name=…, filename=… ------------------------------ */

struct param {
	struct span name;
	const char *val;    /* unquoted arena copy; NULL for a parameter without '=' */
};

/* Only \" and \\ are escapes: browsers never send others (they write %22 for a quote), and
 * an old client's "C:\dir\file" then keeps its backslashes. */
static bool
is_escape(const char *s, size_t len, size_t j)
{
	return s[j] == '\\' && j + 1 < len && (s[j + 1] == '"' || s[j + 1] == '\\');
}

/* Reads the quoted string opening at @s[*@i] into @out and moves *@i past its closing quote;
 * false when that quote is missing. Measured first so the copy is exactly its size: a header
 * of many quoted parameters must not cost a copy of its rest for each. */
static bool
read_quoted(struct arena *a, const char *s, size_t len, size_t *i, const char **out)
{
	size_t end = *i + 1, n = 0;

	for (; end < len && s[end] != '"'; end++, n++)
		if (is_escape(s, len, end))
			end++;
	if (end >= len)
		return false;
	char *d = arena_alloc(a, n + 1);
	n = 0;
	for (size_t k = *i + 1; k < end; k++) {
		if (is_escape(s, len, k))
			k++;
		d[n++] = s[k];
	}
	*out = d;
	*i = end + 1;
	return true;
}

/* Reads the next "; name=value" (value quoted or not) at or after *@i in @s[0..@len) and
 * moves *@i past it. False at the end, or at an unterminated quoted string: what follows
 * it cannot be told apart from its content, so the parameters stop there. */
static bool
next_param(struct arena *a, const char *s, size_t len, size_t *i, struct param *p)
{
	size_t j = *i;

	while (j < len && (s[j] == ';' || is_ows(s[j])))
		j++;
	if (j >= len)
		return false;
	size_t name_end = j;
	while (name_end < len && s[name_end] != '=' && s[name_end] != ';')
		name_end++;
	p->name = trim(s + j, name_end - j);
	p->val = NULL;
	j = name_end;
	if (j < len && s[j] == '=') {
		for (j++; j < len && is_ows(s[j]); j++)
			;
		if (j < len && s[j] == '"') {
			if (!read_quoted(a, s, len, &j, &p->val))
				return false;
		} else {
			size_t semi = index_of(s, len, j, ';');
			struct span v = trim(s + j, semi - j);
			p->val = arena_strndup(a, v.p, v.n);
			j = semi;
		}
	}
	*i = index_of(s, len, j, ';');   /* skips junk after a closing quote */
	return true;
}

/* ---- multipart/form-data ------------------------------------------------------------ */

/* Builds "\r\n--boundary", the delimiter that ends each part, from the Content-Type. */
static int
multipart_delimiter(struct arena *a, const char *content_type, struct span *delim)
{
	const char *boundary = NULL;
	struct param p;

	if (!content_type)
		return -ERR_INVAL;
	size_t len = strlen(content_type);
	size_t i = index_of(content_type, len, 0, ';');
	while (!boundary && next_param(a, content_type, len, &i, &p))
		if (span_is(p.name, "boundary"))
			boundary = p.val;
	if (!boundary || !*boundary || strlen(boundary) > 70)
		return -ERR_INVAL;
	delim->p = arena_printf(a, "\r\n--%s", boundary);
	delim->n = strlen(delim->p);
	return 0;
}

/* Undoes in place what browsers escape in a filename (the HTML standard's multipart/form-data
 * encoding): a quote is sent as %22, CR as %0D, LF as %0A. Any other "%" is the name's own:
 * "100%.pdf" stays, and so does "%41". */
static void
decode_filename(char *s)
{
	char *w = s;
	for (const char *p = s; *p; ) {
		if (p[0] == '%' && p[1] == '2' && p[2] == '2') {
			*w++ = '"';
			p += 3;
		} else if (p[0] == '%' && p[1] == '0' && (p[2] == 'D' || p[2] == 'd')) {
			*w++ = '\r';
			p += 3;
		} else if (p[0] == '%' && p[1] == '0' && (p[2] == 'A' || p[2] == 'a')) {
			*w++ = '\n';
			p += 3;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
}

/* Reads `form-data; name="x"; filename="y"`. Only the first name and filename count. */
static int
parse_disposition(struct arena *a, struct span v, struct part *part)
{
	size_t i = index_of(v.p, v.n, 0, ';');
	struct param p;

	if (!span_is(trim(v.p, i), "form-data"))
		return -ERR_INVAL;
	while (next_param(a, v.p, v.n, &i, &p)) {
		if (!part->name && span_is(p.name, "name"))
			part->name = p.val;
		else if (!part->filename && span_is(p.name, "filename") && p.val) {
			decode_filename((char *)p.val);   /* the arena copy of next_param */
			part->filename = p.val;
		}
	}
	return 0;
}

/* One "Name: value" line of a part's header block. Unknown headers and lines without ':'
 * are ignored; two Content-Disposition would make the field's name ambiguous. */
static int
part_header(struct arena *a, const char *s, size_t len, struct part *part, int *dispositions)
{
	size_t colon = index_of(s, len, 0, ':');
	if (colon == len)
		return 0;
	struct span name = trim(s, colon);
	struct span val = trim(s + colon + 1, len - colon - 1);

	if (span_is(name, "content-disposition")) {
		if (++*dispositions > 1)
			return -ERR_INVAL;
		return parse_disposition(a, val, part);
	}
	if (span_is(name, "content-type") && !part->content_type)
		part->content_type = arena_strndup(a, val.p, val.n);
	return 0;
}

static int
part_headers(struct arena *a, const char *s, size_t len, struct part *part)
{
	int dispositions = 0, rc = 0;

	for (size_t i = 0; !rc && i < len; ) {
		const char *crlf = find(s + i, len - i, "\r\n", 2);
		size_t eol = crlf ? (size_t)(crlf - s) : len;
		rc = part_header(a, s + i, eol - i, part, &dispositions);
		i = eol + 2;
	}
	return rc;
}

/* Parses one part, @s[0..@len) being what lies between two delimiter lines: headers, an
 * empty line, then the data (which may be anything, NULs and CRLFs included). */
static int
parse_part(struct arena *a, const char *s, size_t len, struct part *part)
{
	size_t hdr_len, data_at;
	int rc = 0;

	if (len >= 2 && s[0] == '\r' && s[1] == '\n') {
		hdr_len = 0;    /* no header at all: the empty line comes first */
		data_at = 2;
	} else {
		const char *blank = find(s, len, "\r\n\r\n", 4);
		if (!blank)
			return -ERR_INVAL;
		hdr_len = (size_t)(blank - s);
		data_at = hdr_len + 4;
	}
	rc = part_headers(a, s, hdr_len, part);
	if (rc)
		return rc;
	if (!part->name || !*part->name)
		return -ERR_INVAL;
	part->data = arena_strndup(a, s + data_at, len - data_at);
	part->len = len - data_at;
	return 0;
}

/* Skips the rest of a delimiter line at @s[*@i]: transport padding (RFC 2046 §5.1.1 lets
 * senders add blanks) then CRLF. Anything else means "--boundary" was followed by junk. */
static int
end_of_delimiter_line(const char *s, size_t len, size_t *i)
{
	size_t j = *i;

	while (j < len && is_ows(s[j]))
		j++;
	if (len - j < 2 || s[j] != '\r' || s[j + 1] != '\n')
		return -ERR_INVAL;
	*i = j + 2;
	return 0;
}

/* Index just after the first "--boundary": at the very start, or after a CRLF that ends
 * the preamble (which is ignored). */
static int
first_delimiter(const char *body, size_t len, struct span delim, size_t *i)
{
	const char *dashed = delim.p + 2;   /* "--boundary", without the CRLF */

	if (len >= delim.n - 2 && memcmp(body, dashed, delim.n - 2) == 0) {
		*i = delim.n - 2;
		return 0;
	}
	const char *hit = find(body, len, delim.p, delim.n);
	if (!hit)
		return -ERR_INVAL;
	*i = (size_t)(hit - body) + delim.n;
	return 0;
}

/* Parses the part that starts at @body[*@i], just after a delimiter line's "--boundary",
 * and moves *@i just after the next one. */
static int
next_part(struct arena *a, const char *body, size_t len, struct span delim, size_t *i,
	  struct partlist *l)
{
	struct part p = { 0 };

	int rc = end_of_delimiter_line(body, len, i);
	if (rc)
		return rc;
	const char *next = find(body + *i, len - *i, delim.p, delim.n);
	if (!next)
		return -ERR_INVAL;      /* no closing delimiter: a truncated upload */
	size_t end = (size_t)(next - body);
	rc = parse_part(a, body + *i, end - *i, &p);
	if (rc)
		return rc;
	part_add(a, l, &p);
	*i = end + delim.n;
	return 0;
}

int
parse_multipart(struct arena *a, const char *content_type, const char *body, size_t len,
		struct partlist *out)
{
	struct partlist l = *out;
	struct span delim;
	size_t i = 0, parts = 0;

	int rc = multipart_delimiter(a, content_type, &delim);
	if (rc)
		goto out;
	rc = first_delimiter(body, len, delim, &i);
	/* Each turn starts just after a "--boundary"; "--" there makes it the closing one. */
	while (!rc && !(len - i >= 2 && body[i] == '-' && body[i + 1] == '-')) {
		if (++parts > PARSE_MAX_PARTS)
			rc = -ERR_TOOLARGE;
		else
			rc = next_part(a, body, len, delim, &i, &l);
	}
out:
	if (!rc)
		*out = l;
	return rc;
}

/* ---- Encoding ----------------------------------------------------------------------- */

/* RFC 3986 §2.3 unreserved characters: safe in a path segment and in a query value. */
static bool
is_unreserved(unsigned char c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

char *
url_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!s)
		return NULL;
	char *out = arena_alloc(a, 3 * strlen(s) + 1), *d = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (is_unreserved(*p)) {
			*d++ = (char)*p;
		} else {
			*d++ = '%';
			*d++ = hex[*p >> 4];
			*d++ = hex[*p & 0x0f];
		}
	}
	return out;
}
