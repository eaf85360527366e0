/* tmpl.c — the template engine. Each file is parsed once into a tree of nodes; partials
 * and assets are resolved at load, so every syntax mistake is found at start; the one
 * failure left to rendering is a missing value in a strict set. Rendering walks the tree
 * with its scopes on the C stack and writes straight into the caller's buffer: no
 * allocation but that buffer's growth. */
#include "view/tmpl.h"

#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "view/vm.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>   /* tmpl_escape: 16 bytes at a time */
#endif

/* Bounds the recursion of the parser and of the renderer within one file; a partial chain
 * is bounded by the number of files, since include cycles are refused. */
#define MAX_NEST 64
/* The most words a tag holds ({{#eq a "x"}}); one more is read to report it. */
#define MAX_WORDS 3

enum node_kind {
	NODE_TEXT,
	NODE_VAR,
	NODE_RAW,
	NODE_PARTIAL,
	NODE_IF,      /* blocks from here on */
	NODE_UNLESS,
	NODE_EQ,
	NODE_EACH,
	NODE_WITH,
};

static const char *const block_names[] = {
	[NODE_IF] = "if", [NODE_UNLESS] = "unless", [NODE_EQ] = "eq",
	[NODE_EACH] = "each", [NODE_WITH] = "with",
};

enum path_kind {
	PATH_DOT,     /* "." */
	PATH_KEYS,    /* "a.b.0" */
	PATH_INDEX,   /* "@index" */
	PATH_NUMBER,  /* "@number" */
};

struct seg {
	const char *key;   /* into path.keys */
	size_t len;        /* of key: spares a strlen per lookup */
	long index;        /* >= 0 when key is all digits: also an array position */
};

struct path {
	enum path_kind kind;
	guint n;           /* PATH_KEYS: number of segments, >= 1 */
	struct seg *seg;
	char *keys;        /* the segments, NUL-separated */
};

struct node_list {
	struct node *v;
	guint n;
};

struct node {
	enum node_kind kind;
	int line;                    /* for load-time messages */
	const char *text;            /* TEXT: the bytes; EQ: the literal (into tmpl.src) */
	size_t len;
	char *own;                   /* TEXT from an asset: the escaped URL; PARTIAL: its name */
	struct path path;            /* VAR, RAW and blocks */
	struct tmpl *partial;        /* PARTIAL: set once every file is parsed */
	struct node_list body, alt;  /* blocks: main branch and {{else}} branch */
	gint warned;                 /* VAR, RAW: a lenient render already logged a miss */
};

enum mark { MARK_NEW, MARK_OPEN, MARK_DONE };

struct tmpl {
	char *name;
	char *src;              /* copy of the file: text nodes point into it */
	struct node_list root;
	enum mark mark;         /* include walk at load: MARK_OPEN while on the current chain */
	/* The length of its last render: the next one starts with that much room, so a
	 * 75 KB page is not grown by copies from a small buffer. The one field a shared,
	 * read-only set writes after load: a relaxed atomic, a hint only. */
	_Atomic size_t last_len;
};

struct tmpl_set {
	struct tmpl *t;         /* sorted by name */
	size_t n;
	tmpl_asset_fn asset_fn;
	void *ud;
	bool strict;            /* a missing {{ value }} fails the render (tmpl.h) */
};

static GQuark
tmpl_error(void)
{
	return g_quark_from_static_string("cej-tmpl-error");
}

static void
vset_error(GError **err, const char *file, int line, const char *fmt, va_list ap)
{
	char *msg = g_strdup_vprintf(fmt, ap);

	g_set_error(err, tmpl_error(), 0, "%s:%d: %s", file, line, msg);
	g_free(msg);
}

/* Sets "file:line: message"; always false, so that callers can "return fail(…)". */
G_GNUC_PRINTF(4, 5) static bool
fail(GError **err, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_error(err, file, line, fmt, ap);
	va_end(ap);
	return false;
}

/* ---- nodes ---- */

static void
path_clear(struct path *pa)
{
	g_free(pa->seg);
	g_free(pa->keys);
}

static void node_clear(void *p);

static void
list_clear(struct node_list *l)
{
	for (guint i = 0; i < l->n; i++)
		node_clear(&l->v[i]);
	g_free(l->v);
}

static void
node_clear(void *p)
{
	struct node *nd = p;

	g_free(nd->own);
	path_clear(&nd->path);
	list_clear(&nd->body);
	list_clear(&nd->alt);
}

/* ---- parser ---- */

struct parser {
	const struct tmpl_set *set;  /* for assets */
	const char *file;
	const char *s, *end;         /* what is left of the file */
	int line;                    /* line of s */
	int tag_line;                /* line where the current tag starts */
	GError **err;
};

/* How parse_list stopped. */
enum stop { STOP_ERROR, STOP_MORE, STOP_EOF, STOP_ELSE, STOP_CLOSE };

/* A syntax error at @line of the file being parsed. */
G_GNUC_PRINTF(3, 4) static enum stop
syntax(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_error(p->err, p->file, line, fmt, ap);
	va_end(ap);
	return STOP_ERROR;
}

struct word {
	const char *s;
	size_t len;
	bool quoted;   /* a "string": s and len exclude the quotes */
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
word_is(const struct word *w, const char *lit)
{
	return !w->quoted && w->len == strlen(lit) && memcmp(w->s, lit, w->len) == 0;
}

/* The first "cc" in [s, end), or NULL. */
static const char *
find_pair(const char *s, const char *end, char c)
{
	while (end - s >= 2) {
		const char *q = memchr(s, c, (size_t)(end - s - 1));
		if (!q)
			return NULL;
		if (q[1] == c)
			return q;
		s = q + 1;
	}
	return NULL;
}

static int
count_lines(const char *s, const char *end)
{
	int n = 0;
	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Splits [s, end) at white space into @w; a word may be a "quoted string". Returns the
 * number of words (MAX_WORDS + 1 when there are too many), or -1 after an error. */
static int
split(struct parser *p, const char *s, const char *end, struct word *w)
{
	int n = 0;

	for (;;) {
		while (s < end && is_space(*s))
			s++;
		if (s == end || n > MAX_WORDS)
			return n;
		struct word *cur = &w[n++];
		cur->quoted = *s == '"';
		if (cur->quoted) {
			const char *q = memchr(s + 1, '"', (size_t)(end - s - 1));
			if (!q) {
				syntax(p, p->tag_line, "unterminated string");
				return -1;
			}
			cur->s = s + 1;
			cur->len = (size_t)(q - s - 1);
			s = q + 1;
			if (s < end && !is_space(*s)) {
				syntax(p, p->tag_line, "text after a string");
				return -1;
			}
		} else {
			cur->s = s;
			while (s < end && !is_space(*s))
				s++;
			cur->len = (size_t)(s - cur->s);
		}
	}
}

static bool
is_key_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-';
}

/* Key segments are [A-Za-z0-9_-]+ joined by dots. */
static bool
valid_keys(const char *s, size_t len)
{
	bool seg_empty = true;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (seg_empty)
				return false;
			seg_empty = true;
		} else if (is_key_char(s[i])) {
			seg_empty = false;
		} else {
			return false;
		}
	}
	return !seg_empty;
}

/* Array position of an all-digit key, or -1. Nine digits at most: no overflow. */
static long
seg_index(const char *key)
{
	size_t len = strlen(key);
	long v = 0;

	if (len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!g_ascii_isdigit(key[i]))
			return -1;
		v = v * 10 + (key[i] - '0');
	}
	return v;
}

static bool
parse_path(struct parser *p, const struct word *w, struct path *out)
{
	if (word_is(w, ".")) {
		out->kind = PATH_DOT;
		return true;
	}
	if (word_is(w, "@index") || word_is(w, "@number")) {
		out->kind = w->s[1] == 'i' ? PATH_INDEX : PATH_NUMBER;
		return true;
	}
	if (w->quoted || !valid_keys(w->s, w->len))
		return fail(p->err, p->file, p->tag_line, "bad path \"%.*s\"", (int)w->len, w->s);

	out->kind = PATH_KEYS;
	out->keys = g_strndup(w->s, w->len);
	out->n = 1;
	for (char *c = out->keys; *c; c++)
		out->n += *c == '.';
	out->seg = g_new(struct seg, out->n);
	char *key = out->keys;
	for (guint i = 0; i < out->n; i++) {
		char *dot = strchr(key, '.');
		if (dot)
			*dot = '\0';
		out->seg[i].key = key;
		out->seg[i].len = strlen(key);
		out->seg[i].index = seg_index(key);
		key += out->seg[i].len + 1;
	}
	return true;
}

static enum stop parse_list(struct parser *p, struct node_list *out, const struct node *block,
			    int depth);

static enum node_kind
block_kind(const struct word *w)
{
	for (enum node_kind k = NODE_IF; k <= NODE_WITH; k++)
		if (word_is(w, block_names[k]))
			return k;
	return NODE_TEXT;
}

/* {{#helper path ["literal"]}}: parses the block up to its closing tag. */
static enum stop
open_block(struct parser *p, GArray *list, const struct word *w, int nw, int depth)
{
	enum node_kind k = nw > 0 ? block_kind(&w[0]) : NODE_TEXT;
	struct node nd = { .kind = k, .line = p->tag_line };
	enum stop st;

	if (nw == 0)
		return syntax(p, nd.line, "{{#}} without a helper");
	if (k == NODE_TEXT)
		return syntax(p, nd.line, "unknown helper \"%.*s\"", (int)w[0].len,
			    w[0].s);
	if (k == NODE_EQ && (nw != 3 || !w[2].quoted))
		return syntax(p, nd.line, "{{#eq}} takes a path and a \"string\"");
	if (k != NODE_EQ && nw != 2)
		return syntax(p, nd.line, "{{#%s}} takes one path", block_names[k]);
	if (depth >= MAX_NEST)
		return syntax(p, nd.line, "blocks nested deeper than %d", MAX_NEST);
	if (!parse_path(p, &w[1], &nd.path))
		return STOP_ERROR;
	if (k == NODE_EQ) {
		nd.text = w[2].s;
		nd.len = w[2].len;
	}

	st = parse_list(p, &nd.body, &nd, depth + 1);
	if (st == STOP_ELSE) {
		st = parse_list(p, &nd.alt, &nd, depth + 1);
		if (st == STOP_ELSE)
			st = syntax(p, p->tag_line, "second {{else}} in {{#%s}}", block_names[k]);
	}
	if (st != STOP_CLOSE) {
		node_clear(&nd);
		return STOP_ERROR;
	}
	g_array_append_val(list, nd);
	return STOP_MORE;
}

/* {{/helper}}: must close @block. */
static enum stop
close_block(struct parser *p, const struct node *block, const struct word *w, int nw)
{
	if (nw != 1 || w[0].quoted)
		return syntax(p, p->tag_line, "bad closing tag");
	if (!block)
		return syntax(p, p->tag_line, "{{/%.*s}} without {{#%.*s}}",
			    (int)w[0].len, w[0].s, (int)w[0].len, w[0].s);
	if (!word_is(&w[0], block_names[block->kind]))
		return syntax(p, p->tag_line, "{{/%.*s}} closes {{#%s}} of line %d",
			    (int)w[0].len, w[0].s, block_names[block->kind], block->line);
	return STOP_CLOSE;
}

static enum stop
partial(struct parser *p, GArray *list, const struct word *w, int nw)
{
	struct node nd = { .kind = NODE_PARTIAL, .line = p->tag_line };

	if (nw != 1 || w[0].quoted)
		return syntax(p, nd.line, "{{>}} takes one template name");
	nd.own = g_strndup(w[0].s, w[0].len);
	g_array_append_val(list, nd);
	return STOP_MORE;
}

/* {{ asset "path" }} becomes the text of its escaped URL. */
static enum stop
asset(struct parser *p, GArray *list, const struct word *w)
{
	struct node nd = { .kind = NODE_TEXT, .line = p->tag_line };
	char *path = g_strndup(w->s, w->len);
	const char *url = p->set->asset_fn ? p->set->asset_fn(p->set->ud, path) : NULL;
	enum stop st = STOP_MORE;

	if (!url) {
		st = syntax(p, nd.line, "unknown asset \"%s\"", path);
		goto out;
	}
	GString *esc = g_string_new(NULL);
	tmpl_escape(esc, url, strlen(url));
	nd.len = esc->len;
	nd.own = g_string_free(esc, FALSE);
	nd.text = nd.own;
	g_array_append_val(list, nd);
out:
	g_free(path);
	return st;
}

/* {{ path }}, {{ raw path }}, {{ asset "x" }} or {{ else }}. */
static enum stop
plain_tag(struct parser *p, GArray *list, const struct node *block, const struct word *w, int nw)
{
	struct node nd = { .line = p->tag_line };

	if (nw == 0)
		return syntax(p, nd.line, "empty tag");
	if (word_is(&w[0], "else")) {
		if (nw != 1)
			return syntax(p, nd.line, "{{else}} takes nothing");
		if (!block)
			return syntax(p, nd.line, "{{else}} outside a block");
		return STOP_ELSE;
	}
	if (word_is(&w[0], "asset")) {
		if (nw != 2 || !w[1].quoted)
			return syntax(p, nd.line, "{{asset}} takes one \"path\"");
		return asset(p, list, &w[1]);
	}
	if (word_is(&w[0], "raw")) {
		if (nw != 2)
			return syntax(p, nd.line, "{{raw}} takes one path");
		nd.kind = NODE_RAW;
		w++;
	} else if (nw != 1) {
		return syntax(p, nd.line, "unknown helper \"%.*s\"", (int)w[0].len,
			    w[0].s);
	} else {
		nd.kind = NODE_VAR;
	}
	if (!parse_path(p, &w[0], &nd.path))
		return STOP_ERROR;
	g_array_append_val(list, nd);
	return STOP_MORE;
}

/* The tag whose inside is [s, end). */
static enum stop
parse_tag(struct parser *p, GArray *list, const struct node *block, int depth, const char *s,
	  const char *end)
{
	struct word w[MAX_WORDS + 1];
	char sigil;
	int nw;

	while (s < end && is_space(*s))
		s++;
	if (s < end && *s == '!')
		return STOP_MORE;
	if (s < end && *s == '{')
		return syntax(p, p->tag_line, "{{{ }}} is not supported: write {{ raw path }}");
	if (memchr(s, '\0', (size_t)(end - s)))
		return syntax(p, p->tag_line, "NUL byte in a tag");
	sigil = s < end && (*s == '#' || *s == '/' || *s == '>') ? *s++ : '\0';
	nw = split(p, s, end, w);
	if (nw < 0)
		return STOP_ERROR;
	if (nw > MAX_WORDS)
		return syntax(p, p->tag_line, "too many words in a tag");
	switch (sigil) {
	case '#':
		return open_block(p, list, w, nw, depth);
	case '/':
		return close_block(p, block, w, nw);
	case '>':
		return partial(p, list, w, nw);
	default:
		return plain_tag(p, list, block, w, nw);
	}
}

/* Text up to the next tag, then that tag. */
static enum stop
parse_next(struct parser *p, GArray *list, const struct node *block, int depth)
{
	const char *tag = find_pair(p->s, p->end, '{');
	const char *text_end = tag ? tag : p->end;

	if (text_end > p->s) {
		struct node nd = {
			.kind = NODE_TEXT, .text = p->s, .len = (size_t)(text_end - p->s),
		};
		g_array_append_val(list, nd);
		p->line += count_lines(p->s, text_end);
		p->s = text_end;
	}
	if (!tag) {
		if (block)
			return syntax(p, block->line, "unclosed {{#%s}}",
				    block_names[block->kind]);
		return STOP_EOF;
	}

	const char *close = find_pair(tag + 2, p->end, '}');
	p->tag_line = p->line;
	if (!close)
		return syntax(p, p->tag_line, "unterminated tag");
	p->line += count_lines(tag, close);
	p->s = close + 2;
	return parse_tag(p, list, block, depth, tag + 2, close);
}

/* Parses nodes into @out up to the end of the file, or, inside @block, up to its
 * {{else}} or closing tag. @depth counts the enclosing blocks. */
static enum stop
parse_list(struct parser *p, struct node_list *out, const struct node *block, int depth)
{
	GArray *list = g_array_new(FALSE, FALSE, sizeof(struct node));
	enum stop st;

	g_array_set_clear_func(list, node_clear);
	do
		st = parse_next(p, list, block, depth);
	while (st == STOP_MORE);
	if (st == STOP_ERROR) {
		g_array_free(list, TRUE);
		return st;
	}
	out->n = list->len;
	out->v = (struct node *)(void *)g_array_free(list, FALSE);
	return st;
}

static bool
parse_file(struct tmpl_set *set, struct tmpl *t, const struct embed_file *f, GError **err)
{
	t->name = g_strdup(f->name);
	t->src = g_malloc(f->len + 1);
	if (f->len)
		memcpy(t->src, f->data, f->len);
	t->src[f->len] = '\0';

	struct parser p = {
		.set = set, .file = t->name, .s = t->src, .end = t->src + f->len, .line = 1,
		.err = err,
	};
	return parse_list(&p, &t->root, NULL, 0) == STOP_EOF;
}

/* ---- linking partials ---- */

static int
cmp_key_tmpl(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tmpl *)elem)->name);
}

static int
cmp_tmpl(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name, ((const struct tmpl *)b)->name);
}

static struct tmpl *
find_tmpl(const struct tmpl_set *set, const char *name)
{
	if (set->n == 0)
		return NULL;
	return bsearch(name, set->t, set->n, sizeof *set->t, cmp_key_tmpl);
}

static bool link_tmpl(struct tmpl_set *set, struct tmpl *t, GError **err);

static bool
link_partial(struct tmpl_set *set, struct tmpl *t, struct node *nd, GError **err)
{
	struct tmpl *to = find_tmpl(set, nd->own);

	if (!to)
		return fail(err, t->name, nd->line, "unknown partial \"%s\"", nd->own);
	if (to->mark == MARK_OPEN)
		return fail(err, t->name, nd->line, "recursive partial \"%s\"", nd->own);
	nd->partial = to;
	return to->mark == MARK_DONE || link_tmpl(set, to, err);
}

static bool
link_list(struct tmpl_set *set, struct tmpl *t, struct node_list *l, GError **err)
{
	for (guint i = 0; i < l->n; i++) {
		struct node *nd = &l->v[i];
		bool ok = nd->kind == NODE_PARTIAL
			  ? link_partial(set, t, nd, err)
			  : link_list(set, t, &nd->body, err) && link_list(set, t, &nd->alt, err);
		if (!ok)
			return false;
	}
	return true;
}

/* Depth-first over the includes: a partial reaching a file still on the chain is a cycle,
 * which would otherwise recurse forever at render. */
static bool
link_tmpl(struct tmpl_set *set, struct tmpl *t, GError **err)
{
	t->mark = MARK_OPEN;
	if (!link_list(set, t, &t->root, err))
		return false;
	t->mark = MARK_DONE;
	return true;
}

static bool
sort_and_link(struct tmpl_set *set, GError **err)
{
	if (set->n > 1)
		qsort(set->t, set->n, sizeof *set->t, cmp_tmpl);
	for (size_t i = 1; i < set->n; i++)
		if (strcmp(set->t[i - 1].name, set->t[i].name) == 0)
			return fail(err, set->t[i].name, 1, "template defined twice");
	for (size_t i = 0; i < set->n; i++)
		if (set->t[i].mark == MARK_NEW && !link_tmpl(set, &set->t[i], err))
			return false;
	return true;
}

struct tmpl_set *
tmpl_set_new(const struct embed_file *files, size_t n, tmpl_asset_fn asset_fn, void *ud,
	     GError **err)
{
	struct tmpl_set *set = g_new0(struct tmpl_set, 1);
	bool ok = true;

	set->t = g_new0(struct tmpl, n);
	set->asset_fn = asset_fn;
	set->ud = ud;
	set->strict = true;
	for (size_t i = 0; ok && i < n; i++) {
		set->n = i + 1;
		ok = parse_file(set, &set->t[i], &files[i], err);
	}
	if (ok)
		ok = sort_and_link(set, err);
	if (!ok) {
		tmpl_set_free(set);
		set = NULL;
	}
	return set;
}

void
tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		g_free(set->t[i].name);
		g_free(set->t[i].src);
		list_clear(&set->t[i].root);
	}
	g_free(set->t);
	g_free(set);
}

/* ---- rendering ---- */

/* Appends @len bytes of @s. GLib 2.74's g_string_append_len is an out-of-line call with
 * overlap checks, the largest cost of a render; this is its 2.76 inline fast path. */
static inline void
put(GString *out, const char *s, size_t len)
{
	if (out->len + len < out->allocated_len) {
		memcpy(out->str + out->len, s, len);
		out->len += len;
		out->str[out->len] = '\0';
	} else {
		g_string_append_len(out, s, (gssize)len);
	}
}

/* One level of the scope chain, on the C stack. */
struct scope {
	const struct vm *val;
	const struct scope *up;
	bool each;      /* pushed by #each: pos is the item's position */
	size_t pos;
};

/* What a path names: a value, nothing (v NULL, !is_pos), or an #each position. */
struct value {
	const struct vm *v;
	bool is_pos;
	size_t pos;
};

/* One render: where it writes, and what a missing value needs to be reported. */
struct render {
	const struct tmpl_set *set;
	const struct tmpl *t;   /* the file being walked (changes in partials) */
	GString *out;
	GError **err;
	bool failed;
	bool plain;             /* a ".txt" template: no HTML, values printed as they are */
};

static const struct vm *
child(const struct vm *v, const struct seg *sg)
{
	if (v->kind == VM_OBJ)
		return vm_getn(v, sg->key, sg->len);
	if (v->kind == VM_LIST && sg->index >= 0)
		return vm_at(v, (size_t)sg->index);
	return NULL;
}

/* The first segment is looked up from the innermost scope outwards, the rest from there. */
static const struct vm *
lookup(const struct path *pa, const struct scope *sc)
{
	const struct vm *v = NULL;

	for (; sc && !v; sc = sc->up)
		if (sc->val)
			v = child(sc->val, &pa->seg[0]);
	for (guint i = 1; v && i < pa->n; i++)
		v = child(v, &pa->seg[i]);
	return v;
}

static struct value
resolve(const struct path *pa, const struct scope *sc)
{
	struct value v = { 0 };

	switch (pa->kind) {
	case PATH_DOT:
		v.v = sc->val;
		break;
	case PATH_KEYS:
		v.v = lookup(pa, sc);
		break;
	case PATH_INDEX:
	case PATH_NUMBER:
		while (sc && !sc->each)
			sc = sc->up;
		if (sc) {
			v.is_pos = true;
			v.pos = sc->pos + (pa->kind == PATH_NUMBER);
		}
		break;
	}
	return v;
}

/* Decimal digits of @u, with a '-' when @neg, at the end of @buf; returns their start.
 * Same text as printf's PRId64, for a tenth of snprintf's cost: a table numbering its
 * rows would otherwise spend an eighth of its render there. */
static const char *
decimal(char buf[static 32], unsigned long long u, bool neg, size_t *len)
{
	char *end = buf + 32, *p = end;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	*len = (size_t)(end - p);
	return p;
}

/* The text @v prints as, in @buf or in the value; NULL when it prints nothing. */
static const char *
scalar_text(struct value v, char buf[static 32], size_t *len)
{
	if (v.is_pos)
		return decimal(buf, v.pos, false, len);
	if (!v.v)
		return NULL;
	switch ((enum vm_kind)v.v->kind) {
	case VM_STR:
		*len = v.v->len;
		return v.v->s;
	case VM_INT: {
		int64_t i = v.v->i;
		/* Negated as unsigned: -INT64_MIN overflows int64_t. */
		unsigned long long u = (unsigned long long)i;
		return decimal(buf, i < 0 ? 0ull - u : u, i < 0, len);
	}
	case VM_REAL:
		/* g_ascii_formatd: a French LC_NUMERIC must not turn 1.5 into "1,5". */
		g_ascii_formatd(buf, 32, "%g", v.v->d);
		*len = strlen(buf);
		return buf;
	case VM_BOOL:
		if (!v.v->b)
			return NULL;
		*len = 4;
		return "true";
	default:
		return NULL;
	}
}

/* A value that a {{ path }} cannot print because it is absent or required and NULL —
 * not one that prints nothing by nature (null, false, a list). */
static bool
is_missing(const struct node *nd, struct value v)
{
	if (nd->path.kind != PATH_KEYS)
		return false;
	return !v.v || v.v->kind == VM_MISSING;
}

/* "a.b.c" of a PATH_KEYS path: the segments are NUL-separated in keys. */
static char *
path_text(const struct path *pa)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < pa->n; i++) {
		if (i)
			g_string_append_c(s, '.');
		g_string_append_len(s, pa->seg[i].key, (gssize)pa->seg[i].len);
	}
	return g_string_free(s, FALSE);
}

/* Strict: fails the render. Lenient: the first time this tag misses, one warning. The
 * flag lives in the shared, otherwise read-only tree: set atomically, once. */
static bool
missing(struct render *rd, const struct node *nd)
{
	struct node *mut = (struct node *)nd;

	if (!rd->set->strict && !g_atomic_int_compare_and_exchange(&mut->warned, 0, 1))
		return true;
	char *path = path_text(&nd->path);
	if (rd->set->strict) {
		g_set_error(rd->err, tmpl_error(), 0, "%s:%d: missing value \"%s\"", rd->t->name,
			    nd->line, path);
		rd->failed = true;
	} else {
		log_warn("gabarit %s:%d : valeur manquante « %s » (affichée vide)", rd->t->name,
			 nd->line, path);
	}
	g_free(path);
	return !rd->failed;
}

static bool
print(struct render *rd, const struct node *nd, struct value v)
{
	char buf[32];
	size_t len;
	const char *s = scalar_text(v, buf, &len);

	if (!s)
		return is_missing(nd, v) ? missing(rd, nd) : true;
	if (nd->kind == NODE_VAR && !rd->plain)
		tmpl_escape(rd->out, s, len);
	else
		put(rd->out, s, len);
	return true;
}

static bool
truthy(struct value v)
{
	if (v.is_pos)
		return v.pos != 0;
	if (!v.v)
		return false;
	switch ((enum vm_kind)v.v->kind) {
	case VM_OBJ:
	case VM_LIST:
		return vm_len(v.v) > 0;
	case VM_STR:
		return v.v->len > 0;
	case VM_INT:
		return v.v->i != 0;
	case VM_REAL:
		return v.v->d != 0.0;
	case VM_BOOL:
		return v.v->b;
	default:
		return false;
	}
}

/* Only strings and integers compare: %g text of a real is not exact enough to match. */
static bool
equals(struct value v, const char *lit, size_t len)
{
	char buf[32];
	size_t n;
	const char *s;

	if (v.v && v.v->kind != VM_STR && v.v->kind != VM_INT)
		return false;
	s = scalar_text(v, buf, &n);
	return s && n == len && memcmp(s, lit, len) == 0;
}

static bool render_list(struct render *rd, const struct node_list *l, const struct scope *sc);

static bool
render_each(struct render *rd, const struct node *nd, const struct vm *list,
	    const struct scope *sc)
{
	size_t n = list && list->kind == VM_LIST ? vm_len(list) : 0;

	if (n == 0)
		return render_list(rd, &nd->alt, sc);
	for (size_t i = 0; i < n; i++) {
		struct scope item = {
			.val = vm_at(list, i), .up = sc, .each = true, .pos = i,
		};
		if (!render_list(rd, &nd->body, &item))
			return false;
	}
	return true;
}

static bool
render_with(struct render *rd, const struct node *nd, const struct vm *v,
	    const struct scope *sc)
{
	if (!v || v->kind == VM_NULL || v->kind == VM_MISSING)
		return render_list(rd, &nd->alt, sc);
	struct scope in = { .val = v, .up = sc };
	return render_list(rd, &nd->body, &in);
}

static bool
render_partial(struct render *rd, const struct node *nd, const struct scope *sc)
{
	const struct tmpl *from = rd->t;

	rd->t = nd->partial;
	bool ok = render_list(rd, &nd->partial->root, sc);
	rd->t = from;
	return ok;
}

static bool
render_node(struct render *rd, const struct node *nd, const struct scope *sc)
{
	struct value v = { 0 };

	if (nd->kind != NODE_TEXT && nd->kind != NODE_PARTIAL)
		v = resolve(&nd->path, sc);
	switch (nd->kind) {
	case NODE_TEXT:
		put(rd->out, nd->text, nd->len);
		return true;
	case NODE_VAR:
	case NODE_RAW:
		return print(rd, nd, v);
	case NODE_PARTIAL:
		return render_partial(rd, nd, sc);
	case NODE_IF:
		return render_list(rd, truthy(v) ? &nd->body : &nd->alt, sc);
	case NODE_UNLESS:
		return render_list(rd, truthy(v) ? &nd->alt : &nd->body, sc);
	case NODE_EQ:
		return render_list(rd, equals(v, nd->text, nd->len) ? &nd->body : &nd->alt, sc);
	case NODE_EACH:
		return render_each(rd, nd, v.v, sc);
	case NODE_WITH:
		return render_with(rd, nd, v.v, sc);
	}
	return true;
}

static bool
render_list(struct render *rd, const struct node_list *l, const struct scope *sc)
{
	for (guint i = 0; i < l->n; i++) {
		const struct node *nd = &l->v[i];
		/* Text is a third of the nodes a page walks: copied here, without the call and
		 * the path resolution render_node() makes for the other kinds. */
		if (nd->kind == NODE_TEXT)
			put(rd->out, nd->text, nd->len);
		else if (!render_node(rd, nd, sc))
			return false;
	}
	return true;
}

void
tmpl_set_strict(struct tmpl_set *set, bool strict)
{
	set->strict = strict;
}

int
tmpl_render(const struct tmpl_set *set, const char *name, const struct vm *data, GString *out,
	    GError **err)
{
	const struct tmpl *t = find_tmpl(set, name);

	if (!t)
		return -ERR_NOTFOUND;
	/* Written straight into @out, with no page to copy; a strict failure takes back
	 * what was appended, so a half page never leaves. */
	size_t start = out->len;
	size_t hint = atomic_load_explicit(&((struct tmpl *)t)->last_len, memory_order_relaxed);
	if (out->allocated_len < start + hint + 1) {
		g_string_set_size(out, start + hint);   /* one allocation of the size expected */
		g_string_truncate(out, start);
	}
	size_t n = strlen(name);
	struct render rd = { .set = set, .t = t, .out = out, .err = err,
			     .plain = n > 4 && !strcmp(name + n - 4, ".txt") };
	struct scope top = { .val = data };
	if (!render_list(&rd, &t->root, &top)) {
		g_string_truncate(out, start);
		return -ERR_INVAL;
	}
	atomic_store_explicit(&((struct tmpl *)t)->last_len, out->len - start, memory_order_relaxed);
	return 0;
}

/* Entities by byte; bytes without one are copied as they are. */
static const char *const entity[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};
static const unsigned char entity_len[256] = {
	['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5,
};

#ifdef __SSE2__
/* A bit per byte of the 16 at @s that needs an entity. */
static inline unsigned
special_mask(const unsigned char *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i m = _mm_cmpeq_epi8(v, _mm_set1_epi8('&'));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('<')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('>')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Position of the first byte of [s, s + len) that needs an entity, or len. Values are
 * mostly ids, names and URLs with none: with SSE2 (every x86-64), 16 bytes are tested
 * at once, and a tail of 1 to 15 bytes as the last 16 of the value, overlapping bytes
 * already known to be clean — byte by byte only under 16 bytes. Escaping was a quarter
 * of a portfolio's render at 5 instructions a byte (bench/README.md, session 8). */
static size_t
first_special(const unsigned char *s, size_t len)
{
	size_t i = 0;
#ifdef __SSE2__
	if (len >= 16) {
		for (; i + 16 <= len; i += 16) {
			unsigned m = special_mask(s + i);
			if (m)
				return i + (size_t)__builtin_ctz(m);
		}
		if (i == len)
			return len;
		size_t base = len - 16;
		unsigned m = special_mask(s + base) >> (i - base);   /* drops the bytes seen */
		return m ? i + (size_t)__builtin_ctz(m) : len;
	}
#endif
	while (i < len && !entity[s[i]])
		i++;
	return i;
}

void
tmpl_escape(GString *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t from = 0;

	for (;;) {
		size_t i = from + first_special(u + from, len - from);
		put(out, s + from, i - from);
		if (i == len)
			return;
		put(out, entity[u[i]], entity_len[u[i]]);
		from = i + 1;
	}
}
