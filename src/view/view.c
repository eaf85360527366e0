/* view.c — page rendering with the common layout data, flashes and error pages. */
#include "view/view.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "http/http.h"
#include "messaging/messaging_use.h"
#include "messaging/masking_web.h"
#include "notifications/notifications.h"
#include "profile/profile.h"
#include "serve/ctx.h"
#include "view/tmpl.h"
#include "view/vm.h"

#include <stdio.h>
#include <string.h>

#define FLASH_COOKIE "cej_flash"

struct flash_def {
	const char *code;
	const char *kind;      /* DSFR alert type: success, info, warning, error */
	const char *text;      /* may hold one %s: the argument, when it is a name */
	bool arg_is_id;        /* the argument is a beneficiary id: a link to the fiche */
	const char *title;     /* the alert's title, when it has one */
};

/* Every flash a redirect may carry. The texts are fixed here, so a cookie can only choose
 * among them; an argument is escaped like any other value. */
static const struct flash_def flashes[] = {
	{"beneficiaire-ajoute", "success", "Le bénéficiaire a été ajouté à votre portefeuille", true, NULL},
	{"compte-supprime", "success", "Le compte bénéficiaire %s a bien été supprimé.", false, NULL},
	{"activation-renvoyee", "success", "L’email d’activation a été envoyé à l’adresse du bénéficiaire.", false, NULL},
	{"imilo-actualise", "success", "Les informations du dossier i-milo ont été mises à jour.", false, NULL},
	{"imilo-injoignable", "error",
	 "i-milo ne répond pas pour le moment. Les dernières informations connues sont affichées.", false, NULL},
	{"mot-de-passe-cree", "success",
	 "Ton mot de passe a bien été créé. Connecte-toi avec ton adresse e-mail et ce mot de passe.", false, NULL},
	{"compte-app-supprime", "success", "Ton compte a bien été supprimé de l’application CEJ", false, NULL},
	{"deconnexion", "info", "Vous êtes déconnecté.", false, NULL},
	{"action-statut", "success", "Le statut de l’action a été mis à jour.", false, NULL},
	{"action-modifiee", "success", "L’action a été modifiée.", false, NULL},
	{"action-supprimee", "success", "L’action a été supprimée.", false, NULL},
	{"action-commentee", "success", "Votre message a bien été envoyé, retrouvez-le dans votre conversation avec le bénéficiaire.", false, NULL},
	{"actions-qualifiees-snp", "success", "Vous pouvez encore modifier ces actions, uniquement dans i-milo. Délai d’actualisation entre l’app CEJ et i-milo : environ 24h.", false, "Actions qualifiées en SNP !"},
	{"actions-qualifiees-non-snp", "success", "C’est enregistré ! Vous pouvez poursuivre votre travail.", false, "Actions enregistrées en non-SNP"},
	{"actions-non-qualifiees", "error", "Certaines actions n’ont pas pu être qualifiées.", false, NULL},
	{"actions-non-qualifiees-motif", "error", "Certaines actions n’ont pas pu être qualifiées. %s", false, NULL},
	{"app-deconnexion", "info", "Tu es déconnecté.", false, NULL},
	{"app-action-mise-a-jour", "success", "La mise à jour de ton action a bien été prise en compte", false, NULL},
	{"app-action-modifiee", "success", "Tes modifications ont été enregistrées.", false, NULL},
	{"app-action-supprimee", "success", "L’action a bien été supprimée", false, NULL},
	{"liste-creee", "success", "La liste a bien été créée", false, NULL},
	{"liste-modifiee", "success", "La liste a bien été modifiée", false, NULL},
	{"liste-supprimee", "success", "La liste a bien été supprimée", false, NULL},
	{"multi-destinataires-envoye", "success", "Votre message multi-destinataires a été envoyé en tant que message individuel à chacun des bénéficiaires", false, NULL},
	{"message-important-diffuse", "success", "Votre message a bien été diffusé à l’ensemble de vos bénéficiaires", false, NULL},
	{"message-important-desactive", "success", "Votre message a bien été désactivé", false, NULL},
	{"notifications-sonores-activees", "success", "Les notifications sonores sont activées.", false, NULL},
	{"notifications-sonores-desactivees", "success", "Les notifications sonores sont désactivées.", false, NULL},
};

#define FLASH_ARG_MAX 120

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
	const struct flash_def *f = flash_find(code);
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
	vm_set_str_opt(flash, "link", f->arg_is_id && arg && id_is_uuid(arg)
					      ? arena_printf(r->a, "/beneficiaires/%s", arg) : NULL);
	return flash;
}

static const char *
layout_for(struct req *r)
{
	if (r->user)
		return r->user->kind == USER_COUNSELOR ? "counselor" : "app";
	return g_str_has_prefix(r->path, "/app") ? "app" : "public";
}

/* What the counselor's layout shows on every page: the badge of a missing e-mail, the
 * welcome modal of the mobile space until dismissed, and what the favicon and the sound
 * of new messages start from (admin-and-misc.md §4, messaging.md §4 and §12). */
static void
add_counselor(struct req *r, struct vm *user)
{
	struct user *u = r->user;
	struct msg_alerts al;
	vm_set_bool(user, "email_missing", profile_email_missing(u->email));
	vm_set_bool(user, "sound", u->sound_notifications);
	vm_set_bool(user, "mobile_welcome", !u->mobile_welcome_seen);
	if (messaging_alerts(ctx_db(r), u->id, &al) == 0) {
		vm_set_int(user, "unread_conversations", al.unread_conversations);
		vm_set_int(user, "last_incoming_at", al.last_incoming_at);
	} else {
		/* The database failed: the page still shows, without the alerts. */
		vm_set_null(user, "unread_conversations");
		vm_set_null(user, "last_incoming_at");
	}
}

static void
add_common(struct req *r, struct vm *data)
{
	struct user *u = r->user;
	if (!vm_get(data, "layout"))
		vm_set_str(data, "layout", layout_for(r));
	vm_set_str(data, "csrf", csrf_token(r));
	vm_set_str(data, "path", r->path);
	/* "Masquer la messagerie" holds on every counselor page (masking_web.c). */
	vm_set_bool(data, "messaging_masked",
		    u && u->kind == USER_COUNSELOR && messaging_masked(r));
	if (u) {
		struct vm *user = vm_set_obj(data, "user");
		vm_set_str(user, "first_name", u->first_name);
		vm_set_str(user, "last_name", u->last_name);
		vm_set_str_opt(user, "structure", u->structure_name);
		if (u->kind == USER_COUNSELOR)
			add_counselor(r, user);
	} else {
		vm_set_null(data, "user");
	}
	/* The bell of every app page (notifications.md §1). */
	struct db *db = u && u->kind == USER_BENEFICIARY ? ctx_db(r) : NULL;
	int unseen = db ? notifications_unseen(db, u->id, clock_now_ms()) : 0;
	vm_set_int(data, "notifications_unseen", unseen > 0 ? unseen : 0);
	/* The badge of the Messages tab (messaging.md §4). */
	int unread = db ? messaging_unread_for_beneficiary(db, u->id) : 0;
	vm_set_int(data, "messages_unread", unread > 0 ? unread : 0);
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
(view_page)(struct req *r, int status, const char *tmpl, struct vm *data)
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
		resp_html(r, status, out->str, out->len);
	} else if (rc == -ERR_INVAL) {
		log_error("view: %s", err->message);
		render_failed(r, tmpl);
		rc = 0;
	} else {
		log_error("view: gabarit introuvable %s", tmpl);
	}
	g_clear_error(&err);
	g_string_free(out, TRUE);
	return rc;
}

int
view_page_json(struct req *r, int status, const char *tmpl, json_t *data)
{
	struct vm *v = vm_from_json(r->a, data);
	json_decref(data);   /* vm_from_json holds its own reference until the arena ends */
	if (v->kind != VM_OBJ) {   /* a page's data is an object */
		v = vm_obj(r->a);
	}
	return (view_page)(r, status, tmpl, v);
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
	(view_page)(r, status, "errors/error.html", data);
}

int
(view_mail)(const struct tmpl_set *set, const char *name, const struct vm *data, GString *text,
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

int
view_mail_json(const struct tmpl_set *set, const char *name, json_t *data, GString *text,
	       GString *html)
{
	struct arena *a = arena_new();
	int rc = (view_mail)(set, name, vm_from_json(a, data), text, html);
	arena_free(a);
	return rc;
}
