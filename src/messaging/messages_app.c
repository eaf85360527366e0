/* messages_app.c — the beneficiary's Messages screen (youth-app.md §9): the latest 20
 * messages of their conversation, the composer, edit and delete of their own messages,
 * and the list as a fragment for htmx. Parse, check, call the use cases, render. */
#include "messaging/messages_app.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "home/home.h"
#include "messaging/attachments.h"
#include "messaging/important.h"
#include "messaging/messaging.h"
#include "messaging/messaging_use.h"
#include "core/ctx.h"
#include "view/refusal.h"
#include "view/tmpl.h"
#include "view/view.h"
#include "view/vm.h"

#include <jansson.h>
#include <string.h>

/* The screen shows two pages of the store (youth-app.md §9: "the latest 20"). */
#define APP_THREAD_SIZE (2 * MSG_PAGE_SIZE)
#define LOAD_ERROR "Erreur lors de la récupération de ta messagerie"
#define NO_FILES "Tu ne peux pas envoyer de pièce jointe à ton conseiller."

/* A refusal as the app shows it: in the Messages tab, back to the messages. */
static int
refused(struct req *r, const struct refusal *why)
{
	return view_refusal(r, why, "messages", "/app/messages", "Retour aux messages");
}

/* A use case's @rc: its refusal's page, or the error as is. */
static int
refused_or(struct req *r, int rc, const struct refusal *why)
{
	return why->message ? refused(r, why) : rc;
}

/* ---- The list ---- */

/* One message as the beneficiary reads it, pushed onto @items (its day separator on it):
 * every key the list reads is set (strict templates), straight into the view model. */
static void
push_bubble(struct req *r, struct vm *items, const struct msg_conversation *conv,
	    const struct message *m, const char *day, const char *tz)
{
	const struct msg_actor who = {.side = MSG_FROM_BENEFICIARY, .id = r->user->id};
	bool own = m->sender == MSG_FROM_BENEFICIARY;
	struct vm *b = vm_push_obj(items);
	vm_set_str_opt(b, "day", day);
	vm_set_str(b, "id", m->id);
	vm_set_str(b, "time", msg_time(r->a, m->created_at, tz));
	vm_set_bool(b, "own", own);
	if (m->sender == MSG_FROM_SYSTEM) {
		const char *t = msg_system_text(r->a, m->kind, MSG_FROM_BENEFICIARY, NULL);
		vm_set_str(b, "system", t ? t : MSG_INACCESSIBLE);
		return;
	}
	vm_set_null(b, "system");
	bool readable = !m->deleted_at && m->text && m->kind != MSG_KIND_UNKNOWN;
	vm_set_str_opt(b, "deleted", m->deleted_at ? msg_deleted_text(own) : NULL);
	vm_set_str_opt(b, "html", m->deleted_at ? NULL
				  : msg_text_html(r->a, readable ? m->text : MSG_INACCESSIBLE));
	/* The card under the text: the action of an ACTION_COMMENT or the animation
	 * collective of an EVENT_SHARE with its link, the title of the other shares. */
	struct msg_card card = readable ? msg_card_of(r->a, m) : (struct msg_card){0};
	struct vm *c = NULL;
	if (card.title) {
		c = vm_obj(r->a);
		vm_set_str(c, "title", m->kind == MSG_SESSION_SHARE
			   ? vm_strcat(r->a, "Titre de la session : ", card.title, NULL) : card.title);
		bool event = card.event_id || card.session_id || card.job_event_id;
		vm_set_str_opt(c, "when", event ? msg_card_when(r->a, card.starts_at, tz) : NULL);
		const char *link = card.action_id
			? vm_strcat(r->a, "/app/actions/", card.action_id, NULL)
			: card.event_id ? vm_strcat(r->a, "/app/evenements/animations/", card.event_id, NULL)
			: card.session_id ? vm_strcat(r->a, "/app/evenements/sessions/", card.session_id, NULL)
			: card.job_event_id ? vm_strcat(r->a, "/app/evenements/externes/", card.job_event_id, NULL)
					  : NULL;
		vm_set_str_opt(c, "link", link);
		vm_set_str(c, "link_label", event ? "Voir l’événement" : "Voir l’action");
		/* A shared offer (offers.md §4): its type and company, linked to the app's page. */
		vm_set_str_opt(c, "kind", card.offer_id ? card.offer_type_label : NULL);
		vm_set_str_opt(c, "company", card.offer_id ? card.company : NULL);
		if (card.offer_id) {
			vm_set_str(c, "link", vm_strcat(r->a, "/app/offres/", card.offer_slug, "/",
							 card.offer_id, NULL));
			vm_set_str(c, "link_label", "Voir l’offre");
		}
	}
	vm_set(b, "card", c);
	struct vm *file = NULL;
	struct attachment t;
	if (m->attachment_id && !m->deleted_at &&
	    attachment_load(ctx_db(r), req_ctx(r)->keys, r->a, m->attachment_id, "beneficiary",
			    r->user->id, false, &t) == 0) {
		file = vm_obj(r->a);
		vm_set_str(file, "id", t.id);
		vm_set_str(file, "name", t.name);
		vm_set_str_opt(file, "gone", attachment_unavailable(&t));
	}
	vm_set(b, "file", file);
	if (own) {
		vm_set_str(b, "suffix", m->deleted_at ? ""
					: msg_bubble_suffix(m, conv->counselor_last_read_at));
		bool may_edit = msg_may_edit(m, &who) == 0, may_delete = msg_may_delete(m, &who) == 0;
		/* "Copier" needs a text to copy (and a script: the button starts hidden). */
		bool may_copy = readable;
		vm_set_bool(b, "may_edit", may_edit);
		vm_set_bool(b, "may_delete", may_delete);
		vm_set_bool(b, "may_copy", may_copy);
		vm_set_bool(b, "menu", may_edit || may_delete || may_copy);
		/* The composer's script drops its own copy of a message once the list holds it. */
		vm_set_str_opt(b, "cle_envoi", m->client_key);
	} else {
		vm_set_str(b, "author", m->sender_first_name && m->sender_last_name
			   ? msg_author_label(r->a, m, NULL) : "Ton conseiller");
		vm_set_str(b, "suffix", m->edited_at && !m->deleted_at ? " · Modifié" : "");
		vm_set_bool(b, "menu", false);
		vm_set_null(b, "cle_envoi");
	}
}

/* Fills @data with what templates/messages/app_fil.html shows: the messages oldest first
 * with their day separators, the link to older ones. 0 or -ERR_DB. */
static int
add_thread(struct req *r, const struct msg_conversation *conv, const struct msg_cursor *before,
	   struct vm *data)
{
	struct msg_page page;
	int rc = messaging_page(ctx_db(r), req_ctx(r)->keys, r->a, conv, before, APP_THREAD_SIZE,
				&page);
	if (rc)
		return rc;
	const struct message *items = page.items;
	int n = page.n;
	const char *tz = conv->timezone ? conv->timezone : r->user->timezone;
	int64_t now = clock_now_ms();
	struct vm *list = vm_set_list(data, "items");
	for (int i = n - 1; i >= 0; i--)
		push_bubble(r, list, conv, &items[i],
			    i == n - 1 || !msg_same_day(items[i].created_at, items[i + 1].created_at, tz)
				    ? msg_day_separator(r->a, items[i].created_at, now, tz) : NULL,
			    tz);
	vm_set_str_opt(data, "older", page.more && n > 0
		       ? vm_strcat(r->a, "/app/messages?avant=",
				   url_encode(r->a, msg_cursor_format(r->a, &items[n - 1])), NULL)
		       : NULL);
	vm_set_bool(data, "newer", before != NULL);
	return 0;
}

/* The position of "?avant=" (NULL when absent). false when malformed. */
static bool
cursor_of(struct req *r, struct msg_cursor *c, const struct msg_cursor **out)
{
	const char *s = req_query(r, "avant");
	*out = NULL;
	if (!s || !*s)
		return true;
	if (!msg_cursor_parse(r->a, s, c))
		return false;
	*out = c;
	return true;
}

/* The Messages screen, with the composer's @draft and @error (NULL: none). */
static int
page(struct req *r, int status, const char *draft, const char *error)
{
	struct db *db = ctx_db(r);
	struct msg_conversation conv;
	struct home_counselor c;
	struct msg_cursor cur;
	const struct msg_cursor *before;
	int unread = 0;
	if (!cursor_of(r, &cur, &before))
		return -ERR_INVAL;
	int rc = messaging_conversation(db, r->a, r->user->id, &conv);
	if (!rc)
		rc = home_referent(db, r->a, r->user->id, &c);
	if (rc)
		return rc;
	int64_t now = clock_now_ms();
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", error ? "Erreur — Messages" : "Messages");
	vm_set_str(data, "nav", "messages");
	vm_set_str(data, "account", r->user->id);
	vm_set_str(data, "counselor", vm_strcat(r->a, c.first_name, " ",
						text_upper(r->a, c.last_name), NULL));
	vm_set_str(data, "fil_url", before
		   ? vm_strcat(r->a, "/app/messages/fil?avant=",
			       url_encode(r->a, req_query(r, "avant")), NULL)
		   : "/app/messages/fil");
	vm_set_str_opt(data, "draft", draft);
	vm_set_str_opt(data, "error", error);
	vm_set_null(data, "announce");
	/* The counselor's "message important", pinned on top while shown (messaging.md §10). */
	const char *important = NULL;
	if (important_banner_for_beneficiary(db, req_ctx(r)->keys, r->a, r->user->id, now,
					     &important) == 0 && important)
		vm_set_str(data, "important", msg_text_html(r->a, important));
	else
		vm_set_null(data, "important");
	vm_set_null(data, "load_error");
	/* A failure to read is shown in the page (youth-app.md §9 "Load error"). */
	if (messaging_beneficiary_read(db, r->a, now, &conv, true, &unread) ||
	    add_thread(r, &conv, before, data)) {
		vm_set_str(data, "load_error", LOAD_ERROR);
		vm_set_list(data, "items");
		vm_set_null(data, "older");
		vm_set_bool(data, "newer", false);
		status = 500;
	}
	return view_page(r, status, "messages/app_page.html", data);
}

int
messages_app_page(struct req *r)
{
	return page(r, 200, NULL, NULL);
}

/* "1 nouveau message de ton conseiller", said by the page's live region. */
static const char *
announce(struct req *r, int unread)
{
	if (unread <= 0)
		return NULL;
	return unread == 1 ? "1 nouveau message de ton conseiller"
			   : vm_strf(r->a, "%d nouveaux messages de ton conseiller", unread);
}

int
messages_app_thread(struct req *r)
{
	struct msg_conversation conv;
	struct msg_cursor cur;
	const struct msg_cursor *before;
	int unread = 0;
	if (!cursor_of(r, &cur, &before))
		return -ERR_INVAL;
	int rc = messaging_conversation(ctx_db(r), r->a, r->user->id, &conv);
	if (!rc)
		rc = messaging_beneficiary_read(ctx_db(r), r->a, clock_now_ms(), &conv, false,
						&unread);
	struct vm *data = vm_obj(r->a);
	if (!rc)
		rc = add_thread(r, &conv, before, data);
	if (rc)
		return rc;
	/* Only htmx has the live region to fill out of band. */
	vm_set_str_opt(data, "announce", req_header(r, "HX-Request") ? announce(r, unread) : NULL);
	/* The fragment alone, without the layout's data (view_page would take the flash). */
	GString *out = g_string_sized_new(8192);
	GError *err = NULL;
	rc = tmpl_render(req_ctx(r)->tmpl, "messages/app_fil.html", data, out, &err);
	if (!rc) {
		resp_html(r, 200, out->str, out->len);
	} else if (rc == -ERR_INVAL) {   /* a value missing in a strict set: a bug */
		log_error("view: %s", err->message);
		view_error(r, 500);
		rc = 0;
	}
	g_clear_error(&err);
	g_string_free(out, TRUE);
	return rc;
}

/* ---- Sending ---- */

/* The composer's script asks for JSON (Accept: application/json) to tell a stored message
 * from a refusal and from a failure (youth-app.md §9: "Envoi en cours", "Envoyé", "L’envoi
 * a échoué"); a plain form gets pages and redirects. */
static bool
wants_json(struct req *r)
{
	const char *accept = req_header(r, "Accept");
	return accept && strstr(accept, "application/json");
}

/* A refusal of the text or of the sending key, shown under the field. */
static int
send_refused(struct req *r, const char *text, const struct refusal *why)
{
	if (!wants_json(r))
		return page(r, why->status, text, why->message);
	resp_json(r, why->status, json_pack("{s:s}", "erreur", why->message));
	return 0;
}

/* Stored (201), or stored before under the same key (200: a retry after a lost answer). */
static void
send_done(struct req *r, const struct message *m, bool replayed)
{
	if (!wants_json(r)) {
		resp_redirect(r, "/app/messages#dernier");
		return;
	}
	resp_json(r, replayed ? 200 : 201,
		  json_pack("{s:s, s:s?}", "id", m->id, "cle_envoi", m->client_key));
}

int
messages_app_send(struct req *r)
{
	/* No attachment from a beneficiary (messaging.md §7): a file is refused outright. */
	for (size_t i = 0; i < r->parts.n; i++)
		if (r->parts.items[i].filename)
			return refused(r, &(struct refusal){403, NULL, "Envoi impossible", NO_FILES});
	const char *text = req_form(r, "message");
	/* A reference to a file or a card is refused too (400), and never passed on: the
	 * message only ever carries the beneficiary's text. */
	if (req_form(r, "piece_jointe") || req_form(r, "attachment_id") || req_form(r, "payload"))
		return refused(r, &(struct refusal){400, NULL, "Envoi impossible",
						    "Les pièces jointes ne sont pas autorisées."});
	struct message m = {0};
	struct refusal why = {0};
	bool replayed = false;
	int rc = messaging_beneficiary_send(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(),
					    r->user->id, text, req_form(r, "cle_envoi"), &m,
					    &replayed, &why);
	if (rc)
		return why.message ? send_refused(r, text, &why) : rc;
	send_done(r, &m, replayed);
	return 0;
}

/* ---- Edit and delete (own messages) ---- */

static int
edit_form(struct req *r, int status, const char *id, const char *text, const char *error)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", error ? "Erreur — Modifier le message" : "Modifier le message");
	vm_set_str(data, "nav", "messages");
	vm_set_str(data, "id", id);
	vm_set_str(data, "text", text ? text : "");
	vm_set_str_opt(data, "error", error);
	return view_page(r, status, "messages/app_edit.html", data);
}

int
messages_app_edit_page(struct req *r)
{
	struct message m;
	struct refusal why = {0};
	int rc = messaging_beneficiary_own(ctx_db(r), req_ctx(r)->keys, r->a, r->user->id,
					   req_param(r, "id"), MSG_CHANGE_EDIT, &m, &why);
	return rc ? refused_or(r, rc, &why) : edit_form(r, 200, m.id, m.text, NULL);
}

int
messages_app_edit_post(struct req *r)
{
	const char *id = req_param(r, "id"), *text = req_form(r, "message");
	struct refusal why = {0};
	int rc = messaging_beneficiary_change(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(),
					      r->user->id, id, text ? text : "", &why);
	if (rc)
		return why.field ? edit_form(r, why.status, id, text, why.message)
				 : refused_or(r, rc, &why);
	resp_redirect(r, vm_strcat(r->a, "/app/messages#message-", id, NULL));
	return 0;
}

int
messages_app_delete_page(struct req *r)
{
	struct message m;
	struct refusal why = {0};
	int rc = messaging_beneficiary_own(ctx_db(r), req_ctx(r)->keys, r->a, r->user->id,
					   req_param(r, "id"), MSG_CHANGE_DELETE, &m, &why);
	if (rc)
		return refused_or(r, rc, &why);
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Supprimer le message ?");
	vm_set_str(data, "nav", "messages");
	vm_set_str(data, "id", m.id);
	vm_set_str(data, "html", msg_text_html(r->a, m.text ? m.text : MSG_INACCESSIBLE));
	return view_page(r, 200, "messages/app_delete.html", data);
}

int
messages_app_delete_post(struct req *r)
{
	const char *id = req_param(r, "id");
	struct refusal why = {0};
	int rc = messaging_beneficiary_change(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(),
					      r->user->id, id, NULL, &why);
	if (rc)
		return refused_or(r, rc, &why);
	resp_redirect(r, vm_strcat(r->a, "/app/messages#message-", id, NULL));
	return 0;
}
