/* view.c — page rendering with the common layout data, flashes and error pages. */
#include "view/view.h"

#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "http/http.h"
#include "core/ctx.h"
#include "view/tmpl.h"
#include "view/vm.h"

#include <stdio.h>
#include <string.h>

#define FLASH_COOKIE "cej_flash"

#define FLASH_ARG_MAX 254  /* an e-mail address at most (RFC 5321) */

/* Every flash a redirect may carry is declared by its feature (core/feature.h): the
 * texts are fixed there, so a cookie can only choose among them; an argument is escaped
 * like any other value. */
static const struct flash_def *
flash_find(struct req *r, const char *code)
{
	struct feature_table t = req_ctx(r)->features;
	for (size_t i = 0; i < t.n; i++)
		for (size_t k = 0; k < t.items[i]->n_flashes; k++)
			if (strcmp(t.items[i]->flashes[k].code, code) == 0)
				return &t.items[i]->flashes[k];
	return NULL;
}

void
view_flash(struct req *r, const char *code, const char *arg)
{
	const char *v = code;
	if (arg && strlen(arg) <= FLASH_ARG_MAX)
		v = arena_printf(r->a, "%s:%s", code, url_encode(r->a, arg));
	resp_cookie(r, FLASH_COOKIE, v, 60, req_ctx(r)->cfg->secure_cookies);
}

int
view_redirect_flash(struct req *r, const char *location, const char *code, const char *arg)
{
	resp_redirect(r, location);
	view_flash(r, code, arg);
	return 0;
}

/* The decoded argument of a flash cookie value after its ':' (NULL when none or bad). */
static const char *
flash_arg(struct req *r, const char *encoded)
{
	struct kvlist kv = {0};
	const char *pair = arena_printf(r->a, "a=%s", encoded);
	if (parse_urlencoded(r->a, pair, strlen(pair), &kv) != 0)
		return NULL;
	return kv_get(&kv, "a");
}

const char *
view_flash_arg(struct req *r, const char *code)
{
	const char *v = req_cookie(r, FLASH_COOKIE);
	size_t n = strlen(code);
	if (!v || strncmp(v, code, n) != 0 || v[n] != ':')
		return NULL;
	return flash_arg(r, v + n + 1);
}

/* Reads and clears the flash cookie: {kind, text, title, link}, or NULL. */
static struct vm *
take_flash(struct req *r)
{
	const char *v = req_cookie(r, FLASH_COOKIE);
	if (!v || !*v)
		return NULL;
	resp_cookie(r, FLASH_COOKIE, "", 0, req_ctx(r)->cfg->secure_cookies);
	const char *colon = strchr(v, ':');
	const char *code = colon ? arena_strndup(r->a, v, (size_t)(colon - v)) : v;
	const char *arg = colon ? flash_arg(r, colon + 1) : NULL;
	const struct flash_def *f = flash_find(r, code);
	if (!f)
		return NULL;
	const char *hole = strstr(f->text, "%s");
	if (hole && !arg)
		return NULL;
	/* The argument fills the hole as text: it is never a format. */
	const char *text = hole ? arena_printf(r->a, "%.*s%s%s", (int)(hole - f->text), f->text,
					       arg, hole + 2)
				: f->text;
	struct vm *flash = vm_obj(r->a);
	vm_set_str(flash, "kind", f->kind);
	vm_set_str(flash, "text", text);
	/* Set even when NULL: inside {{#with flash}}, an absent key would be looked up in the
	 * page and find its "title". */
	vm_set_str_opt(flash, "title", f->title);
	bool link = f->link && arg && id_is_uuid(arg);
	vm_set_str_opt(flash, "link", link ? arena_printf(r->a, "%s%s", f->link->prefix, arg) : NULL);
	vm_set_str_opt(flash, "link_label", link ? f->link->label : NULL);
	return flash;
}

static const char *
layout_for(struct req *r)
{
	if (r->user)
		return r->user->kind == USER_COUNSELOR ? "counselor" : "app";
	return g_str_has_prefix(r->path, "/app") ? "app" : "public";
}

/* A menu of the layout: every feature's entries of @space by order (core/feature.h), the
 * page's "nav" marking the current one; a bottom-bar entry shows its count as a badge. */
static void
add_menu(struct req *r, struct vm *data, enum menu_space space, const char *key)
{
	const struct menu_entry *items[32];
	size_t n = 0;
	struct feature_table t = req_ctx(r)->features;
	for (size_t i = 0; i < t.n; i++)
		for (size_t k = 0; k < t.items[i]->n_menu && n < G_N_ELEMENTS(items); k++) {
			const struct menu_entry *e = &t.items[i]->menu[k];
			if (e->space != space)
				continue;
			size_t j = n++;
			for (; j > 0 && items[j - 1]->order > e->order; j--)
				items[j] = items[j - 1];
			items[j] = e;
		}
	const struct vm *nav_v = vm_get(data, "nav");
	const char *nav = nav_v && nav_v->kind == VM_STR ? nav_v->s : NULL;
	size_t nav_len = nav ? nav_v->len : 0;
	struct vm *menu = vm_set_list(data, key);
	for (size_t i = 0; i < n; i++) {
		const struct menu_entry *e = items[i];
		const struct vm *count = e->badge_key ? vm_get(data, e->badge_key) : NULL;
		struct vm *v = vm_push_obj(menu);
		vm_set_str(v, "label", e->label);
		vm_set_str(v, "href", e->href);
		vm_set_bool(v, "narrow_only", e->narrow_only);
		vm_set_str_opt(v, "icon", e->icon);
		vm_set_bool(v, "current", nav && strlen(e->nav) == nav_len && !memcmp(nav, e->nav, nav_len));
		if (count && count->kind == VM_INT && count->i > 0) {
			vm_set_int(v, "badge", count->i);
			vm_set_str_opt(v, "badge_label", e->badge_label);
		} else {
			vm_set_null(v, "badge");
		}
	}
}

static void
add_common(struct req *r, struct vm *data)
{
	struct user *u = r->user;
	struct vm *user = NULL;
	if (!vm_get(data, "layout"))
		vm_set_str(data, "layout", layout_for(r));
	/* Where a form of the layout comes back to ("retour"): the page as asked, query
	 * included, so that a tab or a filter survives ("/pilotage?onglet=animations"). */
	if (r->raw_query && *r->raw_query)
		vm_set_strf(data, "path", "%s?%s", r->path, r->raw_query);
	else
		vm_set_str(data, "path", r->path);
	if (u) {
		user = vm_set_obj(data, "user");
		vm_set_str(user, "first_name", u->first_name);
		vm_set_str(user, "last_name", u->last_name);
		vm_set_str_opt(user, "structure", u->structure_name);
	} else {
		vm_set_null(data, "user");
	}
	/* The rest comes from the features (core/feature.h): the CSRF token, the badges. */
	struct feature_table t = req_ctx(r)->features;
	for (size_t i = 0; i < t.n; i++)
		if (t.items[i]->page)
			t.items[i]->page(r, data, user);
	/* After the hooks: a bottom-bar badge reads the count a hook set. */
	if (u)
		add_menu(r, data, u->kind == USER_COUNSELOR ? MENU_COUNSELOR : MENU_APP,
			 u->kind == USER_COUNSELOR ? "menu" : "tabbar");
	vm_set(data, "flash", take_flash(r));
}

/* The page of a render that failed (a bug, already logged): the 500 page, unless that
 * is the page that failed. */
static void
render_failed(struct req *r, const char *tmpl)
{
	if (strcmp(tmpl, "errors/error.html") != 0)
		view_error(r, 500);
	else
		resp_text(r, 500, "Une erreur est survenue.");
}

int
view_page(struct req *r, int status, const char *tmpl, struct vm *data)
{
	struct ctx *c = req_ctx(r);
	GString *out = g_string_sized_new(16384);
	GError *err = NULL;
	int rc;

	if (!data)
		data = vm_obj(r->a);
	add_common(r, data);
	rc = tmpl_render(c->tmpl, tmpl, data, out, &err);
	if (rc == 0) {
		resp_html_take(r, status, out);
		out = NULL;
	} else if (rc == -ERR_INVAL) {
		log_error("view: %s", err->message);
		render_failed(r, tmpl);
		rc = 0;
	} else {
		log_error("view: gabarit introuvable %s", tmpl);
	}
	g_clear_error(&err);
	if (out)
		g_string_free(out, TRUE);
	return rc;
}

void
view_error(struct req *r, int status)
{
	const char *title, *text;
	switch (status) {
	case 403:
		title = "Accès refusé";
		text = "Vous n’avez pas accès à cette page.";
		break;
	case 404:
		title = "Page introuvable";
		text = "La page que vous cherchez n’existe pas ou a été déplacée.";
		break;
	case 413:
		title = "Envoi trop volumineux";
		text = "Le contenu envoyé dépasse la taille autorisée.";
		break;
	case 400:
		title = "Requête invalide";
		text = "La requête envoyée est invalide. Rechargez la page et recommencez.";
		break;
	default:
		title = "Une erreur est survenue";
		text = "Veuillez réessayer ultérieurement.";
		break;
	}
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", title);
	vm_set_str(data, "text", text);
	vm_set_int(data, "status", status);
	view_page(r, status, "errors/error.html", data);
}

int
view_mail(const struct tmpl_set *set, const char *name, const struct vm *data, GString *text,
	  GString *html)
{
	char txt_name[96], html_name[96];
	GError *err = NULL;
	snprintf(txt_name, sizeof(txt_name), "mail/%s.txt", name);
	snprintf(html_name, sizeof(html_name), "mail/%s.html", name);
	int rc = tmpl_render(set, txt_name, data, text, &err);
	if (!rc)
		rc = tmpl_render(set, html_name, data, html, &err);
	if (err)
		log_error("view: %s", err->message);
	g_clear_error(&err);
	return rc;
}
