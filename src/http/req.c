/* req.c — request accessors and response setters. */
#include "http/http.h"

#include "base/arena.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

const char *
req_param(struct req *r, const char *name)
{
	return kv_get(&r->params, name);
}

const char *
req_query(struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

int
req_query_int(struct req *r, const char *name, int def, int min, int max)
{
	const char *v = req_query(r, name);
	char *end;
	if (!v || !*v)
		return def;
	long n = strtol(v, &end, 10);
	if (*end || n < min || n > max)
		return def;
	return (int)n;
}

const char *
req_form(struct req *r, const char *name)
{
	return kv_get(&r->form, name);
}

int
req_query_all(struct req *r, const char *name, const char **out, int max)
{
	return kv_get_all(&r->query, name, out, max);
}

int
req_form_all(struct req *r, const char *name, const char **out, int max)
{
	return kv_get_all(&r->form, name, out, max);
}

const char *
req_cookie(struct req *r, const char *name)
{
	if (r->cookies.n == 0) {
		const char *h = req_header(r, MHD_HTTP_HEADER_COOKIE);
		if (h)
			parse_cookies(r->a, h, strlen(h), &r->cookies);
	}
	return kv_get(&r->cookies, name);
}

const char *
req_header(struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const struct part *
req_part(struct req *r, const char *name)
{
	for (size_t i = 0; i < r->parts.n; i++)
		if (strcmp(r->parts.items[i].name, name) == 0)
			return &r->parts.items[i];
	return NULL;
}

static void
set_body(struct req *r, int status, const char *ct, const void *data, size_t len)
{
	r->status = status;
	r->content_type = ct;
	r->sse_topic = NULL;
	if (!r->out)
		r->out = g_string_sized_new(len + 1);
	g_string_truncate(r->out, 0);
	g_string_append_len(r->out, data, (gssize)len);
}

void
resp_html(struct req *r, int status, const char *html, size_t len)
{
	set_body(r, status, "text/html; charset=utf-8", html, len);
}

void
resp_html_take(struct req *r, int status, GString *html)
{
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	r->sse_topic = NULL;
	if (r->out)
		g_string_free(r->out, TRUE);
	r->out = html;
}

void
resp_text(struct req *r, int status, const char *text)
{
	set_body(r, status, "text/plain; charset=utf-8", text, strlen(text));
}

void
resp_json(struct req *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	set_body(r, status, "application/json", s, strlen(s));
	free(s);
	json_decref(body);
}

void
resp_bytes(struct req *r, int status, const char *content_type, const void *data, size_t len)
{
	set_body(r, status, content_type, data, len);
}

void
resp_redirect(struct req *r, const char *location)
{
	set_body(r, 303, "text/plain; charset=utf-8", "", 0);
	resp_header(r, "Location", location);
}

void
resp_framed_html(struct req *r, int status, const char *html, size_t len)
{
	resp_html(r, status, html, len);
	r->framed = true;
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	kv_add(r->a, &r->resp_headers, name, arena_strdup(r->a, value), strlen(value));
}

void
resp_cookie(struct req *r, const char *name, const char *value, int max_age, bool secure)
{
	resp_cookie_at(r, name, value, "/", max_age, secure);
}

void
resp_cookie_at(struct req *r, const char *name, const char *value, const char *path,
	       int max_age, bool secure)
{
	char *c = arena_printf(r->a, "%s=%s; Path=%s; HttpOnly; SameSite=Lax%s", name, value, path,
			       secure ? "; Secure" : "");
	if (max_age >= 0)
		c = arena_printf(r->a, "%s; Max-Age=%d", c, max_age);
	resp_header(r, "Set-Cookie", c);
}

void
resp_sse(struct req *r, const char *topic)
{
	set_body(r, 200, "text/event-stream; charset=utf-8", "", 0);
	r->sse_topic = arena_strdup(r->a, topic);
}
