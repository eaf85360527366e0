/* conversations_web.c — the counselor's messaging (messaging.md §2–§6): the list of
 * conversations (a page, and the column fragment other pages load), one conversation with
 * its composer, following, edit and delete of one's own messages, and the search in one
 * conversation with its "Aller au message" window. Live updates: the
 * pages listen to GET /evenements and fetch their fragment again on "message" / "lu". */
#include "messaging/conversations_web.h"

#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "db/db.h"
#include "messaging/attachments.h"
#include "messaging/messaging.h"
#include "messaging/messaging_live.h"
#include "messaging/messaging_use.h"
#include "messaging/search.h"
#include "record/record.h"
#include "core/ctx.h"
#include "view/view.h"

#include <string.h>

/* ---- The list of conversations ---- */

static json_t *
tiles_json(struct req *r, const char *query)
{
	struct msg_tile *t;
	int64_t now = clock_now_ms();
	int n = messaging_tiles(ctx_db(r), req_ctx(r)->keys, r->a, r->user->id, query, &t);
	if (n < 0)
		return NULL;
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack(
			"{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:i, s:b, s:s}",
			"id", t[i].beneficiary_id, "name",
			arena_printf(r->a, "%s %s", t[i].first_name, text_upper(r->a, t[i].last_name)),
			"preview", msg_tile_preview(r->a, &t[i]), "date",
			t[i].last_message_at ? msg_tile_date(r->a, t[i].last_message_at, now, t[i].timezone)
					     : NULL,
			"read", msg_tile_read_suffix(&t[i]), "unread_label",
			msg_tile_unread_label(r->a, t[i].unread), "unread", t[i].unread, "followed",
			t[i].followed, "follow_label", msg_follow_label(t[i].followed)));
	return out;
}

static int
list(struct req *r, const char *tmpl, const char *title)
{
	const char *q = text_trim(r->a, req_query(r, "q"));
	json_t *tiles = tiles_json(r, q);
	if (!tiles)
		return -ERR_DB;
	return view_page(r, 200, tmpl, json_pack("{s:s, s:s, s:s?, s:o, s:i}", "title", title,
		"nav", "messagerie", "q", q, "tiles", tiles,
		"unread_conversations", messaging_unread_conversations(ctx_db(r), r->user->id)));
}

int
conversations_page(struct req *r)
{
	return list(r, "messaging/list.html", "Messagerie");
}

int
conversations_column(struct req *r)
{
	return list(r, "messaging/column.html", "Messagerie");
}

/* ---- One conversation ---- */

/* The conversation of the path's beneficiary, for its referent: a colleague gets 403 (the
 * messages of someone else's portfolio are not theirs to read), others 404. */
static int
load(struct req *r, struct record *rec, struct msg_conversation *conv)
{
	const char *id = req_param(r, "id");
	int rc = record_open(ctx_db(r), r->a, r->user, id, RECORD_WRITE, clock_now_ms(), rec, NULL);
	return rc ? rc : messaging_conversation(ctx_db(r), r->a, id, conv);
}

static json_t *
bubble(struct req *r, const struct msg_conversation *conv, const struct message *m)
{
	bool own = m->sender == MSG_FROM_COUNSELOR && m->sender_counselor_id &&
		   !strcmp(m->sender_counselor_id, r->user->id);
	const char *text = m->deleted_at ? msg_deleted_text(own)
			 : m->kind == MSG_KIND_UNKNOWN || !m->text ? MSG_INACCESSIBLE : NULL;
	json_t *j = json_pack("{s:s, s:s, s:b, s:b, s:b, s:s}", "id", m->id, "time",
		msg_time(r->a, m->created_at, conv->timezone), "own", own,
		"mine_side", m->sender == MSG_FROM_COUNSELOR, "system", m->sender == MSG_FROM_SYSTEM,
		"author", m->sender == MSG_FROM_COUNSELOR ? msg_author_label(r->a, m, r->user->id)
			  : m->sender == MSG_FROM_BENEFICIARY ? conv->first_name : "");
	if (text)
		json_object_set_new(j, "plain", json_string(text));
	else if (m->sender == MSG_FROM_SYSTEM)
	{
		const char *t = msg_system_text(r->a, m->kind, MSG_FROM_COUNSELOR, NULL);
		json_object_set_new(j, "plain", json_string(t ? t : MSG_INACCESSIBLE));
	}
	else
		json_object_set_new(j, "html", json_string(msg_text_html(r->a, m->text)));
	if (m->sender == MSG_FROM_COUNSELOR)
		json_object_set_new(j, "suffix", json_string(msg_bubble_suffix(m,
			conv->beneficiary_last_read_at)));
	if (own && !m->deleted_at && msg_kind_editable(m->kind))
		json_object_set_new(j, "editable", json_true());
	if (m->attachment_id && !m->deleted_at) {
		struct attachment t;
		if (attachment_load(ctx_db(r), req_ctx(r)->keys, r->a, m->attachment_id, "counselor",
				    r->user->id, false, &t) == 0)
			json_object_set_new(j, "file", json_pack("{s:s, s:s, s:s?}", "id", t.id, "name",
				t.name, "gone", attachment_unavailable(&t)));
	}
	if (m->kind == MSG_ACTION_COMMENT && m->payload && !m->deleted_at) {
		json_t *p = json_loads(m->payload, 0, NULL);
		const char *action = json_string_value(json_object_get(p, "action_id"));
		const char *title = json_string_value(json_object_get(p, "title"));
		if (action && id_is_uuid(action))
			json_object_set_new(j, "action", json_pack("{s:s, s:s}", "id", action, "title",
								   title ? title : "Action"));
		json_decref(p);
	}
	return j;
}

/* "{created_at}_{id}" of keyset position @c, for a link. */
static const char *
cursor_text(struct req *r, const struct msg_cursor *c)
{
	return msg_cursor_format(r->a, &(struct message){.id = c->id, .created_at = c->created_at});
}

/* Where "Voir messages plus anciens" leads from @page, a view of @shown messages (@paged: a
 * keyset window): the newest view one page longer, back on the message that was the oldest
 * shown; a keyset page older than it once the view is MSG_SHOWN_MAX long, or from a
 * window. */
static const char *
older_href(struct req *r, const struct msg_conversation *conv, const struct msg_page *page,
	   bool paged, int shown)
{
	const struct message *oldest = &page->items[page->n - 1];
	if (!paged && shown + MSG_PAGE_SIZE <= MSG_SHOWN_MAX)
		return arena_printf(r->a, "/conversations/%s?nombre=%d#message-%s",
				    conv->beneficiary_id, shown + MSG_PAGE_SIZE, oldest->id);
	return arena_printf(r->a, "/conversations/%s?avant=%s", conv->beneficiary_id,
			    msg_cursor_format(r->a, oldest));
}

/* The messages of the request's window into data "items", oldest first, with a day
 * separator before each new day, and the links around it: the newest messages; ?avant=
 * those older than a position ("Voir messages plus anciens"); ?depuis= those from a
 * position on (the window "Aller au message" opens, §6). A window away from the newest
 * leads to newer messages and back to the newest ("paged"); its live refreshes keep it
 * ("fil_query"). 0, -ERR_INVAL (a malformed position) or -ERR_DB. */
static int
thread_json(struct req *r, const struct msg_conversation *conv, json_t *data)
{
	struct msg_cursor at, next = {0};
	const char *avant = req_query(r, "avant"), *depuis = req_query(r, "depuis");
	bool from = depuis && *depuis, before = !from && avant && *avant;
	if ((from || before) && !msg_cursor_parse(r->a, from ? depuis : avant, &at))
		return -ERR_INVAL;
	/* The newest view grows by a page at each "Voir messages plus anciens" (?nombre=, the
	 * scenario of §3: 25 messages all shown after two clicks), and keeps its size through
	 * live refreshes; past MSG_SHOWN_MAX the older link turns to keyset pages. */
	int shown = from || before ? MSG_PAGE_SIZE
		    : req_query_int(r, "nombre", MSG_PAGE_SIZE, MSG_PAGE_SIZE, MSG_SHOWN_MAX);
	struct msg_page page = {0};
	int rc = !conv->id ? 0
		 : from ? messaging_page_from(ctx_db(r), req_ctx(r)->keys, r->a, conv, &at, &page,
					      &next)
			: messaging_page(ctx_db(r), req_ctx(r)->keys, r->a, conv,
					 before ? &at : NULL, shown, &page);
	if (rc)
		return rc;
	int64_t now = clock_now_ms();
	json_t *items = json_array();
	for (int i = page.n - 1; i >= 0; i--) {
		const struct message *m = &page.items[i];
		if (i == page.n - 1 || !msg_same_day(m->created_at, page.items[i + 1].created_at,
						       conv->timezone))
			json_array_append_new(items, json_pack("{s:s}", "day",
				msg_day_separator(r->a, m->created_at, now, conv->timezone)));
		json_array_append_new(items, bubble(r, conv, m));
		if (msg_is_unread(m, MSG_FROM_COUNSELOR, conv->counselor_last_read_at))
			json_object_set_new(data, "unread_shown", json_true());
		/* "Modifier le message": the text goes back into the composer (§5). */
		const char *editing = req_query(r, "modifier");
		if (editing && !strcmp(editing, m->id) && m->text && !m->deleted_at &&
		    m->sender == MSG_FROM_COUNSELOR && m->sender_counselor_id &&
		    !strcmp(m->sender_counselor_id, r->user->id) && msg_kind_editable(m->kind))
			json_object_set_new(data, "editing", json_pack("{s:s, s:s}", "id", m->id,
								       "text", m->text));
	}
	json_object_set_new(data, "items", items);
	if (page.more && page.n)
		json_object_set_new(data, "older", json_string(older_href(r, conv, &page, from || before,
									 shown)));
	json_object_set_new(data, "paged", json_boolean(from || before));
	if (from || before)
		json_object_set_new(data, "fil_query", json_string(arena_printf(r->a, "?%s=%s",
			from ? "depuis" : "avant", cursor_text(r, &at))));
	else if (shown > MSG_PAGE_SIZE)
		json_object_set_new(data, "fil_query", json_string(arena_printf(r->a, "?nombre=%d",
										 shown)));
	/* Newer than an ?avant= page: from the position it was older than. */
	if (before || next.id)
		json_object_set_new(data, "newer", json_string(cursor_text(r, before ? &at : &next)));
	return 0;
}

/* Marks the conversation read by its counselor and tells the beneficiary's page. */
static int
mark_read(struct req *r, const struct msg_conversation *conv, bool unread_shown)
{
	/* Only when something incoming was unread (seen among the page's messages): a "lu"
	 * the beneficiary's page would answer with its own read mark, and so on, otherwise. */
	if (!conv->id || !unread_shown)
		return 0;
	int rc = db_tx_begin(ctx_db(r));
	if (!rc)
		rc = messaging_mark_read(ctx_db(r), r->a, clock_now_ms(), conv->beneficiary_id,
					 MSG_FROM_COUNSELOR);
	rc = db_tx_end(ctx_db(r), rc);
	if (rc) {
		return rc;
	}
	messaging_live_read(conv->beneficiary_id, conv->counselor_id, 0);
	return 0;
}

/* The conversation page (or its fragment) with the composer holding @draft and @error;
 * @editing_id: the composer edits that message (a refused edit stays an edit). */
static int
conversation(struct req *r, const char *tmpl, const char *draft, const char *error, int status,
	     const char *editing_id)
{
	struct record rec;
	struct msg_conversation conv;
	int rc = load(r, &rec, &conv);
	if (rc)
		return rc;
	json_t *data = json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s?, s:s?}", "title",
		arena_printf(r->a, "Discuter avec %s %s", rec.first_name, text_upper(r->a, rec.last_name)),
		"nav", "messagerie", "id", rec.id, "activated", rec.activated_at != 0, "followed",
		conv.followed, "follow_label", msg_follow_label(conv.followed), "draft", draft,
		"error", error);
	json_object_set_new(data, "bid", json_string(rec.id));
	json_object_set_new(data, "name", json_string(arena_printf(r->a, "%s %s", rec.first_name,
		text_upper(r->a, rec.last_name))));
	if ((rc = thread_json(r, &conv, data))) {
		json_decref(data);
		return rc;
	}
	if (editing_id)
		json_object_set_new(data, "editing", json_pack("{s:s, s:s}", "id", editing_id, "text",
							       draft ? draft : ""));
	/* Only the newest messages are "the conversation displayed" (§3): an older window, or
	 * one opened from a search, leaves the read mark alone. */
	if (!json_is_true(json_object_get(data, "paged")) &&
	    (rc = mark_read(r, &conv, json_is_true(json_object_get(data, "unread_shown"))))) {
		json_decref(data);
		return rc;
	}
	return view_page(r, status, tmpl, data);
}

int
conversations_show(struct req *r)
{
	return conversation(r, "messaging/conversation.html", NULL, NULL, 200, NULL);
}

int
conversations_thread(struct req *r)
{
	return conversation(r, "messaging/thread.html", NULL, NULL, 200, NULL);
}

int
conversations_send(struct req *r)
{
	struct record rec;
	struct msg_conversation conv;
	int rc = load(r, &rec, &conv);
	if (rc)
		return rc;
	const char *text = req_form(r, "message"), *error = NULL;
	const struct part *file = req_part(r, "piece_jointe");
	if (file && !attachment_chosen(file->filename))
		file = NULL;  /* the empty file input of a form without a file */
	const char *name = file ? attachment_clean_name(r->a, file->filename) : NULL;
	if (file && (error = attachment_check(name, (const unsigned char *)file->data, file->len)))
		return conversation(r, "messaging/conversation.html", text, error, 400, NULL);
	char attachment_id[UUID_STRLEN + 1];
	struct msg_send in = {.sender = MSG_FROM_COUNSELOR, .counselor_id = r->user->id,
			      .kind = file ? MSG_MESSAGE_PJ : MSG_MESSAGE, .text = text,
			      .attachment_id = file ? attachment_id : NULL};
	struct message out;
	if ((rc = db_tx_begin(ctx_db(r))))
		return rc;
	int64_t now = clock_now_ms();
	if (file && (rc = attachment_store(ctx_db(r), req_ctx(r)->keys, r->a, now, r->user->id, name,
					   attachment_type(name, (const unsigned char *)file->data,
							   file->len),
					   (const unsigned char *)file->data, file->len, attachment_id)))
		error = ATTACHMENT_FAILED;
	if (!rc)
		rc = messaging_send(ctx_db(r), req_ctx(r)->keys, r->a, now, rec.id, &in, &out, &error);
	rc = db_tx_end(ctx_db(r), rc);
	if (rc) {
		if (error)
			return conversation(r, "messaging/conversation.html", text, error,
					    rc == -ERR_DB ? 500 : 400, NULL);
		return rc;
	}
	messaging_live_changed(rec.id, rec.counselor_id);
	resp_redirect(r, arena_printf(r->a, "/conversations/%s#dernier", rec.id));
	return 0;
}

int
conversations_follow(struct req *r)
{
	struct record rec;
	struct msg_conversation conv;
	int rc = load(r, &rec, &conv);
	if (rc)
		return rc;
	if ((rc = db_tx_begin(ctx_db(r))))
		return rc;
	rc = messaging_follow(ctx_db(r), r->a, clock_now_ms(), r->user->id, rec.id, !conv.followed);
	rc = db_tx_end(ctx_db(r), rc);
	if (rc) {
		return rc;
	}
	messaging_live_changed(rec.id, rec.counselor_id);  /* the column re-orders */
	const char *back = req_form(r, "retour");
	resp_redirect(r, back && !strcmp(back, "liste") ? "/messagerie"
						       : arena_printf(r->a, "/conversations/%s", rec.id));
	return 0;
}

/* Edit (@text non NULL) or delete message "mid" of the path's conversation. */
static int
change(struct req *r, bool edit)
{
	struct record rec;
	struct msg_conversation conv;
	int rc = load(r, &rec, &conv);
	if (rc)
		return rc;
	const char *mid = req_param(r, "mid"), *error = NULL;
	if (!id_is_uuid(mid))
		return -ERR_NOTFOUND;
	struct msg_actor who = {.side = MSG_FROM_COUNSELOR, .id = r->user->id};
	if ((rc = db_tx_begin(ctx_db(r))))
		return rc;
	rc = edit ? messaging_edit(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(), &who, mid,
				   req_form(r, "message"), &error)
		  : messaging_delete(ctx_db(r), r->a, clock_now_ms(), &who, mid, &error);
	if (!rc && !edit)
		rc = attachment_delete_for_message(ctx_db(r), mid, clock_now_ms());
	rc = db_tx_end(ctx_db(r), rc);
	if (rc) {
		if (error && rc == -ERR_INVAL)
			return conversation(r, "messaging/conversation.html", req_form(r, "message"),
					    error, 400, edit ? mid : NULL);
		return rc;
	}
	messaging_live_changed(rec.id, rec.counselor_id);
	resp_redirect(r, arena_printf(r->a, "/conversations/%s#message-%s", rec.id, mid));
	return 0;
}

int
conversations_edit(struct req *r)
{
	return change(r, true);
}

int
conversations_delete(struct req *r)
{
	return change(r, false);
}

/* ---- Search (§6) ---- */

/* One result: the bubble's author and time, the text and file name with their <mark>s,
 * and where "Aller au message" opens the conversation. */
static json_t *
result_json(struct req *r, const struct msg_conversation *conv, const struct msg_found *f)
{
	const struct message *m = &f->m;
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s?}", "id", m->id, "cursor",
		msg_cursor_format(r->a, m), "time", msg_time(r->a, m->created_at, conv->timezone),
		"html", f->text_html, "mine_side", m->sender == MSG_FROM_COUNSELOR, "system",
		m->sender == MSG_FROM_SYSTEM, "file", f->file_html);
	json_object_set_new(j, "author", json_string(
		m->sender == MSG_FROM_COUNSELOR ? msg_author_label(r->a, m, r->user->id)
		: m->sender == MSG_FROM_BENEFICIARY ? conv->first_name : ""));
	return j;
}

/* The results, newest first, with a day separator before each new day. */
static json_t *
results_json(struct req *r, const struct msg_conversation *conv, const struct msg_found *found,
	     int n)
{
	int64_t now = clock_now_ms();
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		int64_t t = found[i].m.created_at;
		if (i == 0 || !msg_same_day(t, found[i - 1].m.created_at, conv->timezone))
			json_array_append_new(items, json_pack("{s:s}", "day",
				msg_day_separator(r->a, t, now, conv->timezone)));
		json_array_append_new(items, result_json(r, conv, &found[i]));
	}
	return items;
}

/* "Rechercher un message": the field alone, or with the results of ?q=, or with its
 * error (400). The conversation's referent only, as the conversation itself. The page
 * shows results, not the conversation: the read mark stays. */
int
conversations_search(struct req *r)
{
	struct record rec;
	struct msg_conversation conv;
	int rc = load(r, &rec, &conv);
	if (rc)
		return rc;
	const char *q = req_query(r, "q"), *folded = NULL;
	const char *error = q ? msg_search_check(r->a, q, &folded) : NULL;
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}", "title",
		error ? "Erreur — Rechercher un message" : "Rechercher un message", "nav",
		"messagerie", "id", rec.id, "bid", rec.id, "name", arena_printf(r->a, "%s %s", rec.first_name,
		text_upper(r->a, rec.last_name)), "error", error);
	if (q)
		json_object_set_new(data, "q", json_string(q));  /* UTF-8: the query parser checks it */
	if (error || !q)
		return view_page(r, error ? 400 : 200, "messaging/search.html", data);
	struct msg_found *found;
	int total, n = messaging_search(ctx_db(r), req_ctx(r)->keys, r->a, &conv, folded, &found,
					&total);
	if (n < 0) {
		json_decref(data);
		return n;
	}
	json_object_set_new(data, "counter", json_string(msg_search_counter(r->a, total)));
	json_object_set_new(data, "results", results_json(r, &conv, found, n));
	json_object_set_new(data, "capped", json_boolean(total > n));
	json_object_set_new(data, "shown", json_integer(n));
	return view_page(r, 200, "messaging/search.html", data);
}

/* ---- Downloads (§7) ---- */

/* Sends attachment "id" of the path to the logged-in @kind user, if allowed: the file
 * with Content-Disposition attachment; 410 once expired or deleted; 409 while not clean;
 * 404 for anyone else. */
int
attachments_download(struct req *r, const char *kind)
{
	const char *id = req_param(r, "id");
	struct attachment t;
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = attachment_load(ctx_db(r), req_ctx(r)->keys, r->a, id, kind, r->user->id, true, &t);
	if (rc)
		return rc;
	if (t.expired || t.deleted || !t.data)
		return view_page(r, 410, "errors/refused.html", json_pack("{s:s, s:s, s:s, s:s}",
			"title", "Pièce jointe indisponible", "text", "Le fichier n’est plus disponible",
			"back", !strcmp(kind, "beneficiary") ? "/app/messages" : "/messagerie",
			"back_label", "Retour à la messagerie"));
	if (strcmp(t.scan_status, "clean"))
		return -ERR_CONFLICT;
	char *escaped = g_uri_escape_string(t.name, NULL, FALSE);
	resp_bytes(r, 200, t.mime, t.data, t.size);
	resp_header(r, "Content-Disposition", arena_printf(r->a,
		"attachment; filename=\"piece-jointe\"; filename*=UTF-8''%s", escaped));
	resp_header(r, "Cache-Control", "private, no-store");
	g_free(escaped);
	return 0;
}

int
conversations_download(struct req *r)
{
	return attachments_download(r, "counselor");
}

int
app_attachments_download(struct req *r)
{
	return attachments_download(r, "beneficiary");
}
