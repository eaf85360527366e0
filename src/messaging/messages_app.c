/* messages_app.c — the beneficiary's Messages screen (youth-app.md §9): the latest 20
 * messages of their conversation, the composer, edit and delete of their own messages,
 * and the list as a fragment for htmx. Parse, check, call the use cases, render. */
#include "messaging/messages_app.h"

#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "db/db.h"
#include "home/home.h"
#include "messaging/attachments.h"
#include "messaging/crypto.h"
#include "messaging/important.h"
#include "messaging/messaging.h"
#include "messaging/messaging_live.h"
#include "messaging/messaging_store.h"
#include "messaging/messaging_use.h"
#include "core/ctx.h"
#include "view/tmpl.h"
#include "view/view.h"

#include <string.h>

/* The screen shows two pages of the store (youth-app.md §9: "the latest 20"). */
#define APP_THREAD_SIZE (2 * MSG_PAGE_SIZE)
#define LOAD_ERROR "Erreur lors de la récupération de ta messagerie"
#define NO_FILES "Tu ne peux pas envoyer de pièce jointe à ton conseiller."

/* ---- Shared pieces ---- */

static int
refused(struct req *r, int status, const char *title, const char *text)
{
	return view_page(r, status, "messages/app_refused.html",
			 json_pack("{s:s, s:s, s:s, s:i}", "title", title, "text", text, "nav",
				   "messages", "status", status));
}

static int
gone(struct req *r)
{
	return refused(r, 404, "Message introuvable", "Ce message n’est plus disponible.");
}

static int
not_author(struct req *r)
{
	return refused(r, 403, "Action impossible",
		       "Tu peux seulement modifier ou supprimer les messages que tu as écrits.");
}

static const struct msg_actor *
me(struct req *r)
{
	struct msg_actor *who = arena_alloc(r->a, sizeof(*who));
	who->side = MSG_FROM_BENEFICIARY;
	who->id = r->user->id;
	return who;
}

/* Message {id} of the path, if it lies in the caller's conversation; its text opened.
 * 0, -ERR_NOTFOUND or -ERR_DB. */
static int
load_own(struct req *r, struct message *m)
{
	const char *id = req_param(r, "id");
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = messaging_store_load(ctx_db(r), r->a, id, m);
	if (rc)
		return rc;
	if (!authz_own_record(r->user, m->beneficiary_id))
		return -ERR_NOTFOUND;
	char *plain = NULL;
	m->text = m->content && !crypto_open(req_ctx(r)->keys, r->a, m->key_id, m->content,
					     m->content_len, &plain, NULL) ? plain : NULL;
	return 0;
}

/* A refusal of msg_may_edit / msg_may_delete as the page to answer. */
static int
refuse(struct req *r, const struct message *m, int rc)
{
	if (rc == -ERR_FORBIDDEN)
		return not_author(r);
	if (rc == -ERR_NOTFOUND)
		return gone(r);
	/* -ERR_CONFLICT: the store found it deleted meanwhile. */
	if (rc == -ERR_CONFLICT || (rc == -ERR_INVAL && m->deleted_at))
		return refused(r, 400, "Action impossible", "Ce message a été supprimé.");
	if (rc == -ERR_INVAL)
		return refused(r, 400, "Action impossible", "Ce message ne peut pas être modifié.");
	return rc;
}

/* ---- The list ---- */

/* The card under a message's text: the action of an ACTION_COMMENT with its link, the
 * title of the other shares. NULL when none. */
static json_t *
card_json(struct req *r, const struct message *m)
{
	if (!m->payload || !msg_kind_has_card(m->kind))
		return NULL;
	json_t *p = json_loads(m->payload, 0, NULL);
	const char *title = json_string_value(json_object_get(p, "title"));
	const char *action = json_string_value(json_object_get(p, "action_id"));
	json_t *card = NULL;
	if (title) {
		if (m->kind == MSG_SESSION_SHARE)
			title = arena_printf(r->a, "Titre de la session : %s", title);
		card = json_pack("{s:s}", "title", title);
		if (m->kind == MSG_ACTION_COMMENT && action && id_is_uuid(action)) {
			json_object_set_new(card, "link", json_string(arena_printf(r->a, "/app/actions/%s", action)));
			json_object_set_new(card, "link_label", json_string("Voir l’action"));
		}
	}
	json_decref(p);
	return card;
}

/* One message as the beneficiary reads it. */
static json_t *
bubble_json(struct req *r, const struct msg_conversation *conv, const struct message *m)
{
	const char *tz = conv->timezone ? conv->timezone : r->user->timezone;
	const struct msg_actor *who = me(r);
	bool own = m->sender == MSG_FROM_BENEFICIARY;
	json_t *b = json_pack("{s:s, s:s, s:b}", "id", m->id, "time", msg_time(r->a, m->created_at, tz),
			      "own", own);
	if (m->sender == MSG_FROM_SYSTEM) {
		const char *t = msg_system_text(r->a, m->kind, MSG_FROM_BENEFICIARY, NULL);
		json_object_set_new(b, "system", json_string(t ? t : MSG_INACCESSIBLE));
		return b;
	}
	if (m->deleted_at) {
		json_object_set_new(b, "deleted", json_string(msg_deleted_text(own)));
	} else {
		bool readable = m->text && m->kind != MSG_KIND_UNKNOWN;
		json_object_set_new(b, "html", json_string(msg_text_html(r->a, readable ? m->text : MSG_INACCESSIBLE)));
		json_t *card = readable ? card_json(r, m) : NULL;
		if (card)
			json_object_set_new(b, "card", card);
		struct attachment t;
		if (m->attachment_id &&
		    attachment_load(ctx_db(r), req_ctx(r)->keys, r->a, m->attachment_id, "beneficiary",
				    r->user->id, false, &t) == 0)
			json_object_set_new(b, "file", json_pack("{s:s, s:s, s:s?}", "id", t.id, "name",
				t.name, "gone", attachment_unavailable(&t)));
	}
	if (own) {
		json_object_set_new(b, "suffix", json_string(m->deleted_at ? "" : msg_bubble_suffix(m, conv->counselor_last_read_at)));
		bool may_edit = msg_may_edit(m, who) == 0, may_delete = msg_may_delete(m, who) == 0;
		/* "Copier" needs a text to copy (and a script: the button starts hidden). */
		bool may_copy = !m->deleted_at && m->text && m->kind != MSG_KIND_UNKNOWN;
		json_object_set_new(b, "may_edit", json_boolean(may_edit));
		json_object_set_new(b, "may_delete", json_boolean(may_delete));
		json_object_set_new(b, "may_copy", json_boolean(may_copy));
		json_object_set_new(b, "menu", json_boolean(may_edit || may_delete || may_copy));
		/* The composer's script drops its own copy of a message once the list holds it. */
		if (m->client_key)
			json_object_set_new(b, "cle_envoi", json_string(m->client_key));
	} else {
		const char *author = m->sender_first_name && m->sender_last_name
			? msg_author_label(r->a, m, NULL) : "Ton conseiller";
		json_object_set_new(b, "author", json_string(author));
		json_object_set_new(b, "suffix", json_string(m->edited_at && !m->deleted_at ? " · Modifié" : ""));
	}
	return b;
}

/* Fills @data with what templates/messages/app_fil.html shows: the messages oldest first
 * with their day separators, the link to older ones. 0 or -ERR_DB. */
static int
thread_json(struct req *r, const struct msg_conversation *conv, const struct msg_cursor *before,
	    json_t *data)
{
	struct msg_page page;
	int rc = messaging_page(ctx_db(r), req_ctx(r)->keys, r->a, conv, before, APP_THREAD_SIZE,
				&page);
	if (rc)
		return rc;
	struct message *items = page.items;
	int n = page.n;
	bool more = page.more;
	const char *tz = conv->timezone ? conv->timezone : r->user->timezone;
	int64_t now = clock_now_ms();
	json_t *list = json_array();
	for (int i = n - 1; i >= 0; i--) {
		json_t *b = bubble_json(r, conv, &items[i]);
		if (i == n - 1 || !msg_same_day(items[i].created_at, items[i + 1].created_at, tz))
			json_object_set_new(b, "day", json_string(msg_day_separator(r->a, items[i].created_at, now, tz)));
		json_array_append_new(list, b);
	}
	json_object_set_new(data, "items", list);
	if (more && n > 0)
		json_object_set_new(data, "older", json_string(arena_printf(
			r->a, "/app/messages?avant=%s", url_encode(r->a, msg_cursor_format(r->a, &items[n - 1])))));
	json_object_set_new(data, "newer", json_boolean(before != NULL));
	return 0;
}

/* The conversation is read up to now. Sets *@unread to what was unread before; the
 * counselor's page hears "lu" only then (two pages reading each other would ping-pong).
 * @always: write the mark even when nothing was unread (opening the screen). */
static int
mark_read(struct req *r, const struct msg_conversation *conv, bool always, int *unread)
{
	struct db *db = ctx_db(r);
	int n = messaging_unread_for_beneficiary(db, r->user->id);
	if (n < 0)
		return n;
	*unread = n;
	if (!conv->id || (!n && !always))
		return 0;
	/* A message sent within the same millisecond as another is stamped one later. */
	int64_t now = clock_now_ms();
	if (conv->last_message_at > now)
		now = conv->last_message_at;
	int rc = db_tx_begin(db);
	if (!rc)
		rc = messaging_mark_read(db, r->a, now, r->user->id, MSG_FROM_BENEFICIARY);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc) {
		db_tx_rollback(db);
		return rc;
	}
	if (n)
		messaging_live_read(r->user->id, conv->counselor_id, 1);
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
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?}", "title",
				 error ? "Erreur — Messages" : "Messages", "nav", "messages",
				 "account", r->user->id,
				 "counselor", arena_printf(r->a, "%s %s", c.first_name, text_upper(r->a, c.last_name)),
				 "fil_url", before ? arena_printf(r->a, "/app/messages/fil?avant=%s",
								  url_encode(r->a, req_query(r, "avant")))
						   : "/app/messages/fil",
				 "draft", draft, "error", error);
	/* The counselor's "message important", pinned on top while shown (messaging.md §10). */
	const char *important = NULL;
	if (important_banner_for_beneficiary(db, req_ctx(r)->keys, r->a, r->user->id, clock_now_ms(),
					     &important) == 0 && important)
		json_object_set_new(data, "important", json_string(msg_text_html(r->a, important)));
	/* A failure to read is shown in the page (youth-app.md §9 "Load error"). */
	if (mark_read(r, &conv, true, &unread) || thread_json(r, &conv, before, data)) {
		json_object_set_new(data, "load_error", json_string(LOAD_ERROR));
		json_object_set_new(data, "items", json_array());
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
			   : arena_printf(r->a, "%d nouveaux messages de ton conseiller", unread);
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
		rc = mark_read(r, &conv, false, &unread);
	json_t *data = json_object();
	if (!rc)
		rc = thread_json(r, &conv, before, data);
	if (rc) {
		json_decref(data);
		return rc;
	}
	/* Only htmx has the live region to fill out of band. */
	const char *said = req_header(r, "HX-Request") ? announce(r, unread) : NULL;
	if (said)
		json_object_set_new(data, "announce", json_string(said));
	GString *out = g_string_sized_new(8192);
	rc = tmpl_render(req_ctx(r)->tmpl, "messages/app_fil.html", data, out);
	if (!rc)
		resp_html(r, 200, out->str, out->len);
	g_string_free(out, TRUE);
	json_decref(data);
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
send_refused(struct req *r, const char *text, const char *error)
{
	if (!wants_json(r))
		return page(r, 400, text, error);
	resp_json(r, 400, json_pack("{s:s}", "erreur", error));
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
			return refused(r, 403, "Envoi impossible", NO_FILES);
	const char *text = req_form(r, "message");
	/* A reference to a file or a card is refused too (400), and never passed on: the
	 * message only ever carries the beneficiary's text. */
	if (req_form(r, "piece_jointe") || req_form(r, "attachment_id") || req_form(r, "payload"))
		return refused(r, 400, "Envoi impossible", "Les pièces jointes ne sont pas autorisées.");
	struct msg_send in = {.sender = MSG_FROM_BENEFICIARY, .kind = MSG_MESSAGE, .text = text,
			      .client_key = req_form(r, "cle_envoi")};
	struct db *db = ctx_db(r);
	struct msg_conversation conv;
	struct message m = {0};
	const char *error = NULL;
	bool replayed = false;
	int rc = messaging_conversation(db, r->a, r->user->id, &conv);
	if (rc)
		return rc;
	rc = db_tx_begin(db);
	if (!rc)
		rc = db_tx_end(db, messaging_send_once(db, req_ctx(r)->keys, r->a, clock_now_ms(),
						       r->user->id, &in, &m, &replayed, &error));
	if (rc) {
		if (rc == -ERR_INVAL && error)
			return send_refused(r, text, error);
		return rc;
	}
	if (!replayed)
		messaging_live_changed(r->user->id, conv.counselor_id);
	send_done(r, &m, replayed);
	return 0;
}

/* ---- Edit and delete (own messages) ---- */

static int
edit_form(struct req *r, int status, const struct message *m, const char *text, const char *error)
{
	return view_page(r, status, "messages/app_edit.html",
			 json_pack("{s:s, s:s, s:s, s:s, s:s?}", "title",
				   error ? "Erreur — Modifier le message" : "Modifier le message", "nav",
				   "messages", "id", m->id, "text", text ? text : "", "error", error));
}

int
messages_app_edit_page(struct req *r)
{
	struct message m = {0};
	int rc = load_own(r, &m);
	if (!rc)
		rc = msg_may_edit(&m, me(r));
	if (rc)
		return refuse(r, &m, rc);
	return edit_form(r, 200, &m, m.text, NULL);
}

/* After a change committed: both pages fetch their list again. */
static void
changed(struct req *r)
{
	struct msg_conversation conv;
	if (!messaging_conversation(ctx_db(r), r->a, r->user->id, &conv))
		messaging_live_changed(r->user->id, conv.counselor_id);
}

int
messages_app_edit_post(struct req *r)
{
	struct db *db = ctx_db(r);
	struct message m = {0};
	const char *text = req_form(r, "message"), *error = NULL;
	int rc = load_own(r, &m);
	if (!rc)
		rc = msg_may_edit(&m, me(r));
	if (rc)
		return refuse(r, &m, rc);
	rc = db_tx_begin(db);
	if (!rc)
		rc = messaging_edit(db, req_ctx(r)->keys, r->a, clock_now_ms(), me(r), m.id, text, &error);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc) {
		db_tx_rollback(db);
		if (rc == -ERR_INVAL && error)
			return edit_form(r, 400, &m, text, error);
		return refuse(r, &m, rc);
	}
	changed(r);
	resp_redirect(r, arena_printf(r->a, "/app/messages#message-%s", m.id));
	return 0;
}

int
messages_app_delete_page(struct req *r)
{
	struct message m = {0};
	int rc = load_own(r, &m);
	if (!rc)
		rc = msg_may_delete(&m, me(r));
	if (rc)
		return refuse(r, &m, rc);
	return view_page(r, 200, "messages/app_delete.html",
			 json_pack("{s:s, s:s, s:s, s:s}", "title", "Supprimer le message ?", "nav",
				   "messages", "id", m.id, "html",
				   msg_text_html(r->a, m.text ? m.text : MSG_INACCESSIBLE)));
}

int
messages_app_delete_post(struct req *r)
{
	struct db *db = ctx_db(r);
	struct message m = {0};
	const char *error = NULL;
	int rc = load_own(r, &m);
	if (!rc)
		rc = msg_may_delete(&m, me(r));
	if (rc)
		return refuse(r, &m, rc);
	rc = db_tx_begin(db);
	if (!rc)
		rc = messaging_delete(db, r->a, clock_now_ms(), me(r), m.id, &error);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc) {
		db_tx_rollback(db);
		return refuse(r, &m, rc);
	}
	changed(r);
	resp_redirect(r, arena_printf(r->a, "/app/messages#message-%s", m.id));
	return 0;
}
