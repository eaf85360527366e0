/* view.c — page rendering with the common layout data, flashes and error pages. */
#include "view/view.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "http/http.h"
#include "serve/ctx.h"
#include "view/tmpl.h"

#include <string.h>

#define FLASH_COOKIE "cej_flash"

struct flash_def {
	const char *code;
	const char *kind;      /* DSFR alert type: success, info, warning, error */
	const char *text;
};

/* Every flash a redirect may carry. The text is fixed here, so a cookie can only choose
 * among them. */
static const struct flash_def flashes[] = {
	{"beneficiaire-ajoute", "success", "Le bénéficiaire a été ajouté à votre portefeuille"},
	{"mot-de-passe-cree", "success",
	 "Ton mot de passe a bien été créé. Connecte-toi avec ton adresse e-mail et ce mot de passe."},
	{"deconnexion", "info", "Vous êtes déconnecté."},
	{"app-deconnexion", "info", "Tu es déconnecté."},
};

static const struct flash_def *
flash_find(const char *code)
{
	for (size_t i = 0; i < G_N_ELEMENTS(flashes); i++)
		if (strcmp(flashes[i].code, code) == 0)
			return &flashes[i];
	return NULL;
}

void
view_flash(struct req *r, const char *code, const char *arg)
{
	const char *v = arg && id_is_uuid(arg) ? arena_printf(r->a, "%s.%s", code, arg) : code;
	resp_cookie(r, FLASH_COOKIE, v, 60, req_ctx(r)->cfg->secure_cookies);
}

int
view_redirect_flash(struct req *r, const char *location, const char *code, const char *arg)
{
	resp_redirect(r, location);
	view_flash(r, code, arg);
	return 0;
}

/* Reads and clears the flash cookie: {kind, text, arg}. */
static json_t *
take_flash(struct req *r)
{
	const char *v = req_cookie(r, FLASH_COOKIE);
	if (!v || !*v)
		return NULL;
	resp_cookie(r, FLASH_COOKIE, "", 0, req_ctx(r)->cfg->secure_cookies);
	const char *dot = strchr(v, '.');
	const char *code = dot ? arena_strndup(r->a, v, (size_t)(dot - v)) : v;
	const struct flash_def *f = flash_find(code);
	if (!f)
		return NULL;
	json_t *j = json_pack("{s:s, s:s}", "kind", f->kind, "text", f->text);
	if (dot && id_is_uuid(dot + 1))
		json_object_set_new(j, "arg", json_string(dot + 1));
	return j;
}

static const char *
layout_for(struct req *r)
{
	if (r->user)
		return r->user->kind == USER_COUNSELOR ? "counselor" : "app";
	return g_str_has_prefix(r->path, "/app") ? "app" : "public";
}

static void
add_common(struct req *r, json_t *data)
{
	struct user *u = r->user;
	if (!json_object_get(data, "layout"))
		json_object_set_new(data, "layout", json_string(layout_for(r)));
	json_object_set_new(data, "csrf", json_string(csrf_token(r)));
	json_object_set_new(data, "path", json_string(r->path));
	if (u)
		json_object_set_new(data, "user",
				    json_pack("{s:s, s:s, s:s?}", "first_name", u->first_name,
					      "last_name", u->last_name, "structure", u->structure_name));
	json_t *flash = take_flash(r);
	if (flash)
		json_object_set_new(data, "flash", flash);
}

int
view_page(struct req *r, int status, const char *tmpl, json_t *data)
{
	struct ctx *c = req_ctx(r);
	GString *out = g_string_sized_new(16384);
	int rc;

	if (!data)
		data = json_object();
	add_common(r, data);
	rc = tmpl_render(c->tmpl, tmpl, data, out);
	if (rc == 0)
		resp_html(r, status, out->str, out->len);
	else
		log_error("view: gabarit introuvable %s", tmpl);
	g_string_free(out, TRUE);
	json_decref(data);
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
	view_page(r, status, "errors/error.html",
		  json_pack("{s:s, s:s, s:i}", "title", title, "text", text, "status", status));
}
