/* conversations_web.c — the counselor's messaging (messaging.md §2–§6): the list of
 * conversations (a page, and the column fragment other pages load), one conversation with
 * its composer, following, edit and delete of one's own messages, and the search in one
 * conversation with its "Aller au message" window. Live updates: the
 * pages listen to GET /evenements and fetch their fragment again on "message" / "lu". */
#include "messaging/conversations_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "messaging/attachments.h"
#include "messaging/messaging.h"
#include "messaging/messaging_use.h"
#include "messaging/search.h"
#include "record/record.h"
#include "core/ctx.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

/* "Prénom NOM". */
static const char *
full_name(struct req *r, const char *first, const char *last)
{
	return vm_strcat(r->a, first, " ", text_upper(r->a, last), NULL);
}

/* ---- The list of conversations ---- */

static int
list(struct req *r, const char *tmpl, const char *title)
{
	const char *q = text_trim(r->a, req_query(r, "q"));
	struct msg_tile *t;
	int n = messaging_tiles(ctx_db(r), req_ctx(r)->keys, r->a, r->user->id, q, &t);
	if (n < 0)
		return n;
	int64_t now = clock_now_ms();
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", title);
	vm_set_str(page, "nav", "messagerie");
	vm_set_str_opt(page, "q", q);
	vm_set_int(page, "unread_conversations",
		   messaging_unread_conversations(ctx_db(r), r->user->id));
	struct vm *tiles = vm_set_list(page, "tiles");
	for (int i = 0; i < n; i++) {
		struct vm *v = vm_push_obj(tiles);
		vm_set_str(v, "id", t[i].beneficiary_id);
		vm_set_str(v, "name", full_name(r, t[i].first_name, t[i].last_name));
		vm_set_str_opt(v, "preview", msg_tile_preview(r->a, &t[i]));
		vm_set_str_opt(v, "date", t[i].last_message_at
			? msg_tile_date(r->a, t[i].last_message_at, now, t[i].timezone) : NULL);
		vm_set_str_opt(v, "read", msg_tile_read_suffix(&t[i]));
		vm_set_int(v, "unread", t[i].unread);
		vm_set_str_opt(v, "unread_label", msg_tile_unread_label(r->a, t[i].unread));
		vm_set_bool(v, "followed", t[i].followed);
	}
	return view_page(r, 200, tmpl, page);
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

/* Is @m the caller's own message? */
static bool
own(struct req *r, const struct message *m)
{
	return m->sender == MSG_FROM_COUNSELOR && m->sender_counselor_id &&
	       !strcmp(m->sender_counselor_id, r->user->id);
}

/* Message @m as a bubble of the thread, pushed onto @items: every key the bubble reads is
 * set (strict templates), straight into the view model. */
static void
push_bubble(struct req *r, struct vm *items, const struct msg_conversation *conv,
	    const struct message *m)
{
	bool mine = own(r, m), counselor_side = m->sender == MSG_FROM_COUNSELOR;
	bool system = m->sender == MSG_FROM_SYSTEM, live = !m->deleted_at;
	struct vm *b = vm_push_obj(items);
	vm_set_null(b, "day");
	vm_set_str(b, "id", m->id);
	vm_set_str(b, "time", msg_time(r->a, m->created_at, conv->timezone));
	vm_set_bool(b, "own", mine);
	vm_set_bool(b, "mine_side", counselor_side);
	vm_set_bool(b, "system", system);
	vm_set_str(b, "author", counselor_side ? msg_author_label(r->a, m, r->user->id)
				: m->sender == MSG_FROM_BENEFICIARY ? conv->first_name : "");
	const char *plain = !live ? msg_deleted_text(mine)
			    : m->kind == MSG_KIND_UNKNOWN || !m->text ? MSG_INACCESSIBLE : NULL;
	if (!plain && system) {
		plain = msg_system_text(r->a, m->kind, MSG_FROM_COUNSELOR, NULL);
		if (!plain)
			plain = MSG_INACCESSIBLE;
	}
	vm_set_str_opt(b, "plain", plain);
	if (!plain)
		vm_set_str(b, "html", msg_text_html(r->a, m->text));
	vm_set_str(b, "suffix", counselor_side
		   ? msg_bubble_suffix(m, conv->beneficiary_last_read_at) : "");
	vm_set_bool(b, "editable", mine && live && msg_kind_editable(m->kind));
	struct vm *file = NULL;
	struct attachment t;
	if (m->attachment_id && live &&
	    attachment_load(ctx_db(r), req_ctx(r)->keys, r->a, m->attachment_id, "counselor",
			    r->user->id, false, &t) == 0) {
		file = vm_obj(r->a);
		vm_set_str(file, "id", t.id);
		vm_set_str(file, "name", t.name);
		vm_set_str_opt(file, "gone", attachment_unavailable(&t));
	}
	/* null rather than absent: {{#with file}} must not find another "file" outside. */
	vm_set(b, "file", file);
	struct vm *action = NULL;
	if (m->kind == MSG_ACTION_COMMENT && live) {
		struct msg_card card = msg_card_of(r->a, m);
		if (card.action_id) {
			action = vm_obj(r->a);
			vm_set_str(action, "id", card.action_id);
			vm_set_str(action, "title", card.title ? card.title : "Action");
		}
	}
	vm_set(b, "action", action);
	/* A shared animation collective: its card, linked to the counselor's page of it. */
	struct vm *event = NULL;
	if (m->kind == MSG_EVENT_SHARE && live) {
		struct msg_card card = msg_card_of(r->a, m);
		if (card.event_id) {
			event = vm_obj(r->a);
			vm_set_str(event, "id", card.event_id);
			vm_set_str(event, "title", card.title ? card.title : "Événement");
			vm_set_str_opt(event, "when", msg_card_when(r->a, card.starts_at, conv->timezone));
		}
	}
	vm_set(b, "event", event);
	/* A registration request for an i-milo session, or the young person's own registration:
	 * its card, linked to the session page. */
	struct vm *session = NULL;
	if ((m->kind == MSG_SESSION_SHARE || m->kind == MSG_AUTO_REGISTRATION) && live) {
		struct msg_card card = msg_card_of(r->a, m);
		if (card.session_id) {
			session = vm_obj(r->a);
			vm_set_str(session, "id", card.session_id);
			vm_set_str(session, "title", card.title ? card.title : "Session");
			vm_set_str_opt(session, "when", msg_card_when(r->a, card.starts_at, conv->timezone));
		}
	}
	vm_set(b, "session", session);
	/* A shared offer (offers.md §4): its card, linked to the counselor's page of it. */
	struct vm *offer = NULL;
	if (m->kind == MSG_OFFER_SHARE && live) {
		struct msg_card card = msg_card_of(r->a, m);
		if (card.offer_id) {
			offer = vm_obj(r->a);
			vm_set_str(offer, "type", card.offer_type_label);
			vm_set_str(offer, "title", card.title ? card.title : "Offre");
			vm_set_str_opt(offer, "company", card.company);
			vm_set_str(offer, "href", vm_strcat(r->a, "/offres/", card.offer_slug, "/",
							    card.offer_id, NULL));
		}
	}
	vm_set(b, "offer", offer);
	/* An event of Mes Événements Emploi the young person shared: its card, linked to its
	 * page on the provider's site (offers.md §9). */
	struct vm *job_event = NULL;
	if (m->kind == MSG_JOB_EVENT_SHARE && live) {
		struct msg_card card = msg_card_of(r->a, m);
		if (card.job_event_id) {
			job_event = vm_obj(r->a);
			vm_set_str(job_event, "title", card.title ? card.title : "Événement");
			vm_set_str_opt(job_event, "when", msg_card_when(r->a, card.starts_at,
									conv->timezone));
			vm_set_str_opt(job_event, "url", card.url);
		}
	}
	vm_set(b, "job_event", job_event);
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

/* What the thread shows besides its bubbles. */
struct thread_view {
	bool paged;           /* a window away from the newest messages */
	bool unread_shown;    /* an incoming message unread by the counselor is among them */
};

/* The messages of the request's window into @data "items", oldest first, with a day
 * separator before each new day, and the links around it: the newest messages; ?avant=
 * those older than a position ("Voir messages plus anciens"); ?depuis= those from a
 * position on (the window "Aller au message" opens, §6). A window away from the newest
 * leads to newer messages and back to the newest ("paged"); its live refreshes keep it
 * ("fil_query"). 0, -ERR_INVAL (a malformed position) or -ERR_DB. */
static int
add_thread(struct req *r, const struct msg_conversation *conv, struct vm *data,
	   struct thread_view *tv)
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
	const char *editing = req_query(r, "modifier");
	struct vm *items = vm_set_list(data, "items");
	*tv = (struct thread_view){.paged = from || before};
	for (int i = page.n - 1; i >= 0; i--) {
		const struct message *m = &page.items[i];
		if (i == page.n - 1 || !msg_same_day(m->created_at, page.items[i + 1].created_at,
						       conv->timezone))
			vm_set_str(vm_push_obj(items), "day",
				   msg_day_separator(r->a, m->created_at, now, conv->timezone));
		push_bubble(r, items, conv, m);
		if (msg_is_unread(m, MSG_FROM_COUNSELOR, conv->counselor_last_read_at))
			tv->unread_shown = true;
		/* "Modifier le message": the text goes back into the composer (§5). */
		if (editing && !strcmp(editing, m->id) && m->text && !m->deleted_at && own(r, m) &&
		    msg_kind_editable(m->kind)) {
			struct vm *e = vm_set_obj(data, "editing");
			vm_set_str(e, "id", m->id);
			vm_set_str(e, "text", m->text);
		}
	}
	vm_set_str_opt(data, "older", page.more && page.n
		       ? older_href(r, conv, &page, tv->paged, shown) : NULL);
	vm_set_bool(data, "paged", tv->paged);
	vm_set_str_opt(data, "fil_query",
		       tv->paged ? vm_strcat(r->a, from ? "?depuis=" : "?avant=",
					     cursor_text(r, &at), NULL)
		       : shown > MSG_PAGE_SIZE ? vm_strf(r->a, "?nombre=%d", shown) : NULL);
	/* Newer than an ?avant= page: from the position it was older than. */
	vm_set_str_opt(data, "newer", before || next.id ? cursor_text(r, before ? &at : &next)
							 : NULL);
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
	struct thread_view tv;
	int rc = load(r, &rec, &conv);
	if (rc)
		return rc;
	const char *name = full_name(r, rec.first_name, rec.last_name);
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", vm_strcat(r->a, "Discuter avec ", name, NULL));
	vm_set_str(data, "nav", "messagerie");
	vm_set_str(data, "id", rec.id);
	vm_set_str(data, "bid", rec.id);
	vm_set_str(data, "name", name);
	vm_set_bool(data, "activated", rec.activated_at != 0);
	vm_set_bool(data, "followed", conv.followed);
	vm_set_str(data, "follow_label", msg_follow_label(conv.followed));
	vm_set_str_opt(data, "draft", draft);
	vm_set_str_opt(data, "error", error);
	vm_set_null(data, "editing");
	if ((rc = add_thread(r, &conv, data, &tv)))
		return rc;
	if (editing_id) {
		struct vm *e = vm_set_obj(data, "editing");
		vm_set_str(e, "id", editing_id);
		vm_set_str(e, "text", draft ? draft : "");
	}
	/* Only the newest messages are "the conversation displayed" (§3): an older window, or
	 * one opened from a search, leaves the read mark alone. */
	if (!tv.paged && tv.unread_shown &&
	    (rc = messaging_counselor_read(ctx_db(r), r->a, clock_now_ms(), &conv)))
		return rc;
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
	const char *text = req_form(r, "message");
	const struct part *file = req_part(r, "piece_jointe");
	if (file && !attachment_chosen(file->filename))
		file = NULL;  /* the empty file input of a form without a file */
	struct msg_upload up = {0};
	if (file)
		up = (struct msg_upload){attachment_clean_name(r->a, file->filename),
					 (const unsigned char *)file->data, file->len};
	struct refusal why = {0};
	rc = messaging_counselor_send(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(),
				      r->user->id, rec.id, text, file ? &up : NULL, NULL, &why);
	if (rc)
		return why.message ? conversation(r, "messaging/conversation.html", text,
						  why.message, why.status, NULL)
				   : rc;
	resp_redirect(r, arena_printf(r->a, "/conversations/%s#dernier", rec.id));
	return 0;
}

int
conversations_follow(struct req *r)
{
	struct record rec;
	struct msg_conversation conv;
	int rc = load(r, &rec, &conv);
	if (!rc)
		rc = messaging_counselor_follow(ctx_db(r), r->a, clock_now_ms(), r->user->id, rec.id,
						!conv.followed);
	if (rc)
		return rc;
	const char *back = req_form(r, "retour");
	resp_redirect(r, back && !strcmp(back, "liste") ? "/messagerie"
						       : arena_printf(r->a, "/conversations/%s", rec.id));
	return 0;
}

/* Edit (@edit) or delete message "mid" of the path's conversation. */
static int
change(struct req *r, bool edit)
{
	struct record rec;
	struct msg_conversation conv;
	int rc = load(r, &rec, &conv);
	if (rc)
		return rc;
	const char *mid = req_param(r, "mid"), *text = req_form(r, "message");
	if (!id_is_uuid(mid))
		return -ERR_NOTFOUND;
	struct refusal why = {0};
	rc = messaging_counselor_change(ctx_db(r), req_ctx(r)->keys, r->a, clock_now_ms(),
					r->user->id, mid, edit ? (text ? text : "") : NULL, &why);
	if (rc)
		return why.message ? conversation(r, "messaging/conversation.html", text,
						  why.message, why.status, edit ? mid : NULL)
				   : rc;
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

/* The results, newest first, with a day separator before each new day: each the bubble's
 * author and time, the text and file name with their <mark>s, and where "Aller au
 * message" opens the conversation. */
static void
add_results(struct req *r, struct vm *data, const struct msg_conversation *conv,
	    const struct msg_found *found, int n)
{
	int64_t now = clock_now_ms();
	struct vm *items = vm_set_list(data, "results");
	for (int i = 0; i < n; i++) {
		const struct message *m = &found[i].m;
		if (i == 0 || !msg_same_day(m->created_at, found[i - 1].m.created_at, conv->timezone))
			vm_set_str(vm_push_obj(items), "day",
				   msg_day_separator(r->a, m->created_at, now, conv->timezone));
		struct vm *v = vm_push_obj(items);
		vm_set_null(v, "day");
		vm_set_str(v, "id", m->id);
		vm_set_str(v, "cursor", msg_cursor_format(r->a, m));
		vm_set_str(v, "time", msg_time(r->a, m->created_at, conv->timezone));
		vm_set_str(v, "html", found[i].text_html);
		vm_set_bool(v, "mine_side", m->sender == MSG_FROM_COUNSELOR);
		vm_set_bool(v, "system", m->sender == MSG_FROM_SYSTEM);
		vm_set_str_opt(v, "file", found[i].file_html);
		vm_set_str(v, "author", m->sender == MSG_FROM_COUNSELOR
			   ? msg_author_label(r->a, m, r->user->id)
			   : m->sender == MSG_FROM_BENEFICIARY ? conv->first_name : "");
	}
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
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", error ? "Erreur — Rechercher un message" : "Rechercher un message");
	vm_set_str(data, "nav", "messagerie");
	vm_set_str(data, "id", rec.id);
	vm_set_str(data, "bid", rec.id);
	vm_set_str(data, "name", full_name(r, rec.first_name, rec.last_name));
	vm_set_str_opt(data, "error", error);
	vm_set_str_opt(data, "q", q);  /* UTF-8: the query parser checks it */
	if (error || !q)
		return view_page(r, error ? 400 : 200, "messaging/search.html", data);
	struct msg_found *found;
	int total, n = messaging_search(ctx_db(r), req_ctx(r)->keys, r->a, &conv, folded, &found,
					&total);
	if (n < 0)
		return n;
	vm_set_str(data, "counter", msg_search_counter(r->a, total));
	add_results(r, data, &conv, found, n);
	vm_set_bool(data, "capped", total > n);
	vm_set_int(data, "shown", n);
	return view_page(r, 200, "messaging/search.html", data);
}

/* ---- Downloads (§7) ---- */

/* Sends attachment "id" of the path to the logged-in @kind user, if allowed: the file
 * with Content-Disposition attachment; 410 once expired or deleted; 409 while not clean;
 * 404 for anyone else. */
int
attachments_download(struct req *r, const char *kind)
{
	struct attachment t;
	struct refusal why = {0};
	bool app = !strcmp(kind, "beneficiary");
	int rc = messaging_download(ctx_db(r), req_ctx(r)->keys, r->a, req_param(r, "id"), kind,
				    r->user->id, &t, &why);
	if (rc)
		return why.message ? view_refusal(r, &why, app ? "messages" : "messagerie",
						  app ? "/app/messages" : "/messagerie",
						  "Retour à la messagerie")
				   : rc;
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
