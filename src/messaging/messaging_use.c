/* messaging_use.c — sending, reading, editing and deleting messages: rules, sealing,
 * store and the NEW_MESSAGE push intent. */
#include "messaging/messaging_use.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"
#include "base/text.h"
#include "messaging/attachments.h"
#include "messaging/crypto.h"
#include "messaging/lists_store.h"
#include "messaging/messaging_live.h"
#include "messaging/messaging_store.h"
#include "messaging/search.h"
#include "notifications/notifications.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEARCH_TOKENS 8

/* The conversation of @beneficiary_id, created when the account has none yet. */
static int
conversation_for_write(struct db *db, struct arena *ar, int64_t now, const char *beneficiary_id,
		       struct msg_conversation *conv)
{
	int rc = messaging_store_conversation(db, ar, beneficiary_id, conv);
	if (rc || conv->id)
		return rc;
	return messaging_store_ensure(db, ar, now, beneficiary_id, &conv->id);
}

static void
seal_text(const struct msg_keyring *keys, struct arena *ar, const char *text,
	  struct crypto_sealed *out)
{
	crypto_seal(keys, ar, text, strlen(text), out);
}

/* Opens a sealed text; NULL when it cannot be (unknown key, tampered blob). */
static const char *
open_text(const struct msg_keyring *keys, struct arena *ar, const char *key_id,
	  const unsigned char *blob, size_t len)
{
	char *plain = NULL;
	if (!blob || crypto_open(keys, ar, key_id, blob, len, &plain, NULL))
		return NULL;
	return plain;
}

/* Stores @m (all set but id, conversation, content) with its validated @text, and what
 * hangs on it. */
static int
store_message(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
	      const struct msg_conversation *conv, struct message *m, const char *text)
{
	char *id = arena_alloc(ar, UUID_STRLEN + 1);
	/* Messages of a conversation are strictly ordered by created_at: two sent within one
	 * millisecond keep their order of sending (ids of one millisecond are random). */
	m->created_at = conv->last_message_at >= now ? conv->last_message_at + 1 : now;
	id_uuid7(m->created_at, id);
	m->id = id;
	m->conversation_id = conv->id;
	m->beneficiary_id = conv->beneficiary_id;
	struct crypto_sealed content, preview;
	seal_text(keys, ar, text, &content);
	m->key_id = content.key_id;
	m->content = content.blob;
	m->content_len = content.len;
	m->text = text;
	int rc = messaging_store_insert(db, m);
	if (rc)
		return rc;
	seal_text(keys, ar, msg_preview_cut(ar, text), &preview);
	if ((rc = messaging_store_set_last(db, m, &preview)))
		return rc;
	if (msg_pushes_new_message(m->sender, m->kind))
		rc = notifications_add_push_only(db, now, conv->beneficiary_id, NOTIF_NEW_MESSAGE,
						 arena_printf(ar, "NEW_MESSAGE:%s", m->id),
						 "/app/messages");
	return rc;
}

int
messaging_send(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
	       const char *beneficiary_id, const struct msg_send *in, struct message *out,
	       const char **error)
{
	const char *text = NULL, *refusal;
	refusal = msg_send_check(ar, in->sender, in->kind, in->text, in->attachment_id != NULL,
				 in->payload, &text);
	if (!refusal && in->sender == MSG_FROM_COUNSELOR && !in->counselor_id)
		refusal = "Ce type de message n’est pas autorisé.";
	if (refusal) {
		if (error)
			*error = refusal;
		return -ERR_INVAL;
	}
	struct msg_conversation conv;
	int rc = conversation_for_write(db, ar, now, beneficiary_id, &conv);
	if (rc)
		return rc;
	struct message m = {
		.sender = in->sender,
		.sender_counselor_id = in->sender == MSG_FROM_COUNSELOR ? in->counselor_id : NULL,
		.kind = in->kind, .attachment_id = in->attachment_id,
		.payload = in->payload, .broadcast_id = in->broadcast_id,
		.client_key = in->client_key,
	};
	rc = store_message(db, keys, ar, now, &conv, &m, text);
	if (!rc && out)
		*out = m;
	return rc;
}

int
messaging_send_once(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
		    const char *beneficiary_id, const struct msg_send *in, struct message *out,
		    bool *replayed, const char **error)
{
	*replayed = false;
	const char *refusal = msg_client_key_check(in->client_key);
	if (refusal) {
		if (error)
			*error = refusal;
		return -ERR_INVAL;
	}
	struct msg_conversation conv;
	int rc = messaging_store_conversation(db, ar, beneficiary_id, &conv);
	if (rc)
		return rc;
	if (in->client_key && conv.id) {
		rc = messaging_store_find_by_client_key(db, ar, conv.id, in->client_key, out);
		if (rc != -ERR_NOTFOUND) {
			if (!rc) {
				out->text = open_text(keys, ar, out->key_id, out->content, out->content_len);
				*replayed = true;
			}
			return rc;
		}
	}
	return messaging_send(db, keys, ar, now, beneficiary_id, in, out, error);
}

int
messaging_post_action_comment(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			      int64_t now, const char *counselor_id, const char *beneficiary_id,
			      const char *action_id, const char *action_title, const char *text)
{
	json_t *p = json_pack("{s:s, s:s}", "action_id", action_id, "title", action_title);
	if (!p)
		return -ERR_INVAL;
	char *payload = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	const char *stored = arena_strdup(ar, payload);
	free(payload);
	struct msg_send in = {.sender = MSG_FROM_COUNSELOR, .counselor_id = counselor_id,
			      .kind = MSG_ACTION_COMMENT, .text = text, .payload = stored};
	return messaging_send(db, keys, ar, now, beneficiary_id, &in, NULL, NULL);
}

int
messaging_post_system(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		      int64_t now, const char *beneficiary_id, enum msg_kind kind,
		      const char *counselor_name, const char *payload)
{
	const char *text = msg_system_text(ar, kind, MSG_FROM_COUNSELOR, counselor_name);
	if (!text)
		return -ERR_INVAL;
	struct msg_send in = {.sender = MSG_FROM_SYSTEM, .kind = kind, .text = text,
			      .payload = payload};
	return messaging_send(db, keys, ar, now, beneficiary_id, &in, NULL, NULL);
}

int
messaging_reassigned(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
		     const char *beneficiary_id, bool temporary, const char *counselor_name)
{
	int rc = messaging_store_unfollow(db, beneficiary_id);
	return rc ? rc : messaging_post_system(db, keys, ar, now, beneficiary_id,
					       temporary ? MSG_NEW_COUNSELOR_TEMPORARY
							 : MSG_NEW_COUNSELOR,
					       counselor_name, NULL);
}

int
messaging_conversation(struct db *db, struct arena *ar, const char *beneficiary_id,
		       struct msg_conversation *out)
{
	return messaging_store_conversation(db, ar, beneficiary_id, out);
}

int
messaging_page(struct db *db, const struct msg_keyring *keys, struct arena *ar,
	       const struct msg_conversation *conv, const struct msg_cursor *before, int limit,
	       struct msg_page *out)
{
	*out = (struct msg_page){0};
	if (!conv->id) {
		out->items = arena_alloc(ar, sizeof(struct message));
		return 0;
	}
	/* One more than a page tells whether older messages exist. */
	int n = messaging_store_page(db, ar, conv->id, before, limit + 1, &out->items);
	if (n < 0)
		return n;
	out->more = n > limit;
	out->n = out->more ? limit : n;
	for (int i = 0; i < out->n; i++) {
		struct message *m = &out->items[i];
		m->text = open_text(keys, ar, m->key_id, m->content, m->content_len);
	}
	return 0;
}

int
messaging_page_from(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		    const struct msg_conversation *conv, const struct msg_cursor *from,
		    struct msg_page *out, struct msg_cursor *next)
{
	*out = (struct msg_page){.items = arena_alloc(ar, sizeof(struct message) * MSG_PAGE_SIZE)};
	*next = (struct msg_cursor){0};
	if (!conv->id)
		return 0;
	/* One more than a page tells where the next window starts; one older message whether
	 * "Voir messages plus anciens" leads anywhere. */
	struct message *rows, *older;
	int n = messaging_store_page_from(db, ar, conv->id, from, MSG_PAGE_SIZE + 1, &rows);
	if (n < 0)
		return n;
	int o = messaging_store_page(db, ar, conv->id, from, 1, &older);
	if (o < 0)
		return o;
	if (n > MSG_PAGE_SIZE) {
		*next = (struct msg_cursor){rows[MSG_PAGE_SIZE].created_at, rows[MSG_PAGE_SIZE].id};
		n = MSG_PAGE_SIZE;
	}
	out->more = o > 0;
	out->n = n;
	for (int i = 0; i < n; i++) {
		struct message *m = &out->items[i];
		*m = rows[n - 1 - i];
		m->text = open_text(keys, ar, m->key_id, m->content, m->content_len);
	}
	return 0;
}

/* ---- Search (§6) ---- */

struct search_walk {
	const struct msg_keyring *keys;
	struct arena *ar;              /* the request's: what is kept */
	const char *query;             /* folded */
	struct msg_found *found;       /* MSG_SEARCH_SHOWN places */
	int kept, total;
};

/* The text the counselor's conversation shows for @m (conversations_web.c's bubble), to
 * match on; NULL when it shows "Le message est inaccessible". */
static const char *
shown_text(const struct msg_keyring *keys, struct arena *row, const struct message *m)
{
	if (m->kind == MSG_KIND_UNKNOWN)
		return NULL;
	if (m->sender == MSG_FROM_SYSTEM)
		return msg_system_text(row, m->kind, MSG_FROM_COUNSELOR, NULL);
	return open_text(keys, row, m->key_id, m->content, m->content_len);
}

/* @m's strings copied into @ar (it came in a row arena); the sealed text left behind. */
static struct message
keep_message(struct arena *ar, const struct message *m)
{
	struct message k = *m;
	k.id = arena_strdup(ar, m->id);
	k.conversation_id = arena_strdup(ar, m->conversation_id);
	k.beneficiary_id = arena_strdup(ar, m->beneficiary_id);
	k.sender_counselor_id = arena_strdup(ar, m->sender_counselor_id);
	k.sender_first_name = arena_strdup(ar, m->sender_first_name);
	k.sender_last_name = arena_strdup(ar, m->sender_last_name);
	k.attachment_id = arena_strdup(ar, m->attachment_id);
	k.payload = arena_strdup(ar, m->payload);
	k.broadcast_id = arena_strdup(ar, m->broadcast_id);
	k.text = k.key_id = NULL;
	k.content = NULL;
	k.content_len = 0;
	return k;
}

static int
search_row(void *u, struct arena *row, const struct message *m, const struct msg_file_name *file)
{
	struct search_walk *w = u;
	const char *text = shown_text(w->keys, row, m);
	if (!text)
		return 0;
	const char *name = file ? open_text(w->keys, row, file->key_id, file->sealed, file->len)
				: NULL;
	const char *text_html = msg_search_mark(row, w->query, text);
	const char *file_html = name ? msg_search_mark(row, w->query, name) : NULL;
	if (!text_html && !file_html)
		return 0;
	if (w->total++ < MSG_SEARCH_SHOWN)
		w->found[w->kept++] = (struct msg_found){
			.m = keep_message(w->ar, m),
			.text_html = text_html ? arena_strdup(w->ar, text_html)
					       : msg_search_plain(w->ar, text),
			.file_html = file_html ? arena_strdup(w->ar, file_html)
			       : name ? msg_search_plain(w->ar, name) : NULL};
	return 0;
}

int
messaging_search(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		 const struct msg_conversation *conv, const char *folded_query,
		 struct msg_found **found, int *total)
{
	struct search_walk w = {.keys = keys, .ar = ar, .query = folded_query,
				.found = arena_alloc(ar, sizeof(struct msg_found) * MSG_SEARCH_SHOWN)};
	*found = w.found;
	*total = 0;
	if (!conv->id)
		return 0;
	int rc = messaging_store_each_live(db, conv->id, search_row, &w);
	if (rc)
		return rc;
	*total = w.total;
	return w.kept;
}

int
messaging_mark_read(struct db *db, struct arena *ar, int64_t now, const char *beneficiary_id,
		    enum msg_sender side)
{
	struct msg_conversation conv;
	int rc = conversation_for_write(db, ar, now, beneficiary_id, &conv);
	return rc ? rc : messaging_store_mark_read(db, conv.id, side, now);
}

int
messaging_tiles(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		const char *counselor_id, const char *query, struct msg_tile **out)
{
	const char *tokens[MAX_SEARCH_TOKENS];
	int nt = text_search_tokens(ar, query, tokens, MAX_SEARCH_TOKENS);
	int n = messaging_store_tiles(db, ar, counselor_id, tokens, nt, out);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		struct msg_tile *t = &(*out)[i];
		t->preview = open_text(keys, ar, t->preview_key_id, t->preview_sealed, t->preview_len);
	}
	qsort(*out, (size_t)n, sizeof(**out), msg_tile_cmp);
	return n;
}

int
messaging_follow(struct db *db, struct arena *ar, int64_t now, const char *counselor_id,
		 const char *beneficiary_id, bool followed)
{
	struct msg_conversation conv;
	int rc = messaging_store_conversation(db, ar, beneficiary_id, &conv);
	if (rc)
		return rc;
	if (!counselor_id || strcmp(conv.counselor_id, counselor_id))
		return -ERR_NOTFOUND;
	if (!conv.id && (rc = messaging_store_ensure(db, ar, now, beneficiary_id, &conv.id)))
		return rc;
	return messaging_store_set_followed(db, beneficiary_id, counselor_id, followed);
}

/* Loads message @id for @who: -ERR_NOTFOUND unless it lies in a conversation @who may
 * open — the beneficiary's own, or one of the counselor's portfolio (a previous
 * counselor lost it, §11). */
static int
load_for(struct db *db, struct arena *ar, const struct msg_actor *who, const char *id,
	 struct message *m, struct msg_conversation *conv)
{
	int rc = messaging_store_load(db, ar, id, m);
	if (rc)
		return rc;
	if ((rc = messaging_store_conversation(db, ar, m->beneficiary_id, conv)))
		return rc;
	const char *owner = who->side == MSG_FROM_COUNSELOR ? conv->counselor_id
			    : who->side == MSG_FROM_BENEFICIARY ? conv->beneficiary_id : NULL;
	return owner && who->id && !strcmp(owner, who->id) ? 0 : -ERR_NOTFOUND;
}

static const char *
refusal_text(const struct message *m)
{
	return m->deleted_at ? "Ce message a été supprimé."
			     : "Ce message ne peut pas être modifié.";
}

int
messaging_edit(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
	       const struct msg_actor *who, const char *message_id, const char *text,
	       const char **error)
{
	struct message m;
	struct msg_conversation conv;
	int rc = load_for(db, ar, who, message_id, &m, &conv);
	if (rc)
		return rc;
	if ((rc = msg_may_edit(&m, who))) {
		if (rc == -ERR_INVAL && error)
			*error = refusal_text(&m);
		return rc;
	}
	const char *clean = NULL, *refusal = msg_text_check(ar, m.kind, text, &clean);
	if (refusal) {
		if (error)
			*error = refusal;
		return -ERR_INVAL;
	}
	struct crypto_sealed content, preview;
	seal_text(keys, ar, clean, &content);
	if ((rc = messaging_store_edit(db, &m, &content, now)))
		return rc;
	seal_text(keys, ar, msg_preview_cut(ar, clean), &preview);
	return messaging_store_set_preview(db, m.conversation_id, m.id, &preview);
}

int
messaging_delete(struct db *db, struct arena *ar, int64_t now, const struct msg_actor *who,
		 const char *message_id, const char **error)
{
	struct message m;
	struct msg_conversation conv;
	int rc = load_for(db, ar, who, message_id, &m, &conv);
	if (rc)
		return rc;
	if ((rc = msg_may_delete(&m, who))) {
		if (rc == -ERR_INVAL && error)
			*error = refusal_text(&m);
		return rc;
	}
	return messaging_store_delete(db, m.id, now);
}

/* ---- The pages' use cases ---- */

/* Event "message" to both parties of @beneficiary_id's conversation, on the commit. */
static int
changed_on_commit(struct db *db, struct arena *ar, const char *beneficiary_id)
{
	struct msg_conversation conv;
	int rc = messaging_store_conversation(db, ar, beneficiary_id, &conv);
	if (!rc)
		messaging_live_changed_on_commit(db, ar, conv.beneficiary_id, conv.counselor_id);
	return rc;
}

/* A refusal of the text: shown under the composer's field. */
static int
text_refused(struct refusal *why, int rc, const char *error)
{
	if (rc == -ERR_INVAL && error)
		return refuse_with(why, 400, "message", NULL, error);
	return rc;
}

int
messaging_counselor_send(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			 int64_t now, const char *counselor_id, const char *beneficiary_id,
			 const char *text, const struct msg_upload *file, struct message *out,
			 struct refusal *why)
{
	const char *error = file ? attachment_check(file->name, file->data, file->len) : NULL;
	if (error)
		return refuse_with(why, 400, "message", NULL, error);
	char *attachment_id = file ? arena_alloc(ar, UUID_STRLEN + 1) : NULL;
	struct msg_send in = {.sender = MSG_FROM_COUNSELOR, .counselor_id = counselor_id,
			      .kind = file ? MSG_MESSAGE_PJ : MSG_MESSAGE, .text = text,
			      .attachment_id = attachment_id};
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	if (file && (rc = attachment_store(db, keys, ar, now, counselor_id, file->name,
					   attachment_type(file->name, file->data, file->len),
					   file->data, file->len, attachment_id))) {
		if (why)
			*why = (struct refusal){500, "message", NULL, ATTACHMENT_FAILED};
	}
	if (!rc) {
		rc = messaging_send(db, keys, ar, now, beneficiary_id, &in, out, &error);
		rc = text_refused(why, rc, error);
	}
	if (!rc)
		rc = changed_on_commit(db, ar, beneficiary_id);
	return db_tx_end(db, rc);
}

int
messaging_counselor_change(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			   int64_t now, const char *counselor_id, const char *message_id,
			   const char *text, struct refusal *why)
{
	struct msg_actor who = {.side = MSG_FROM_COUNSELOR, .id = counselor_id};
	const char *error = NULL;
	struct message m;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = text ? messaging_edit(db, keys, ar, now, &who, message_id, text, &error)
		  : messaging_delete(db, ar, now, &who, message_id, &error);
	rc = text_refused(why, rc, error);
	if (!rc && !text)
		rc = attachment_delete_for_message(db, message_id, now);
	if (!rc)
		rc = messaging_store_load(db, ar, message_id, &m);
	if (!rc)
		rc = changed_on_commit(db, ar, m.beneficiary_id);
	return db_tx_end(db, rc);
}

int
messaging_counselor_follow(struct db *db, struct arena *ar, int64_t now, const char *counselor_id,
			   const char *beneficiary_id, bool followed)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = messaging_follow(db, ar, now, counselor_id, beneficiary_id, followed);
	if (!rc)
		messaging_live_changed_on_commit(db, ar, beneficiary_id, counselor_id);
	return db_tx_end(db, rc);
}

int
messaging_counselor_read(struct db *db, struct arena *ar, int64_t now,
			 const struct msg_conversation *conv)
{
	if (!conv->id)
		return 0;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = messaging_mark_read(db, ar, now, conv->beneficiary_id, MSG_FROM_COUNSELOR);
	if (!rc)
		messaging_live_read_on_commit(db, ar, conv->beneficiary_id, conv->counselor_id,
					      false);
	return db_tx_end(db, rc);
}

int
messaging_beneficiary_read(struct db *db, struct arena *ar, int64_t now,
			   const struct msg_conversation *conv, bool always, int *unread)
{
	int n = messaging_unread_for_beneficiary(db, conv->beneficiary_id);
	*unread = n > 0 ? n : 0;
	if (n < 0)
		return n;
	if (!conv->id || (!n && !always))
		return 0;
	/* A message sent within the same millisecond as another is stamped one later. */
	if (conv->last_message_at > now)
		now = conv->last_message_at;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = messaging_mark_read(db, ar, now, conv->beneficiary_id, MSG_FROM_BENEFICIARY);
	if (!rc && n)
		messaging_live_read_on_commit(db, ar, conv->beneficiary_id, conv->counselor_id,
					      true);
	return db_tx_end(db, rc);
}

int
messaging_beneficiary_send(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			   int64_t now, const char *beneficiary_id, const char *text,
			   const char *client_key, struct message *out, bool *replayed,
			   struct refusal *why)
{
	struct msg_send in = {.sender = MSG_FROM_BENEFICIARY, .kind = MSG_MESSAGE, .text = text,
			      .client_key = client_key};
	const char *error = NULL;
	*replayed = false;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = messaging_send_once(db, keys, ar, now, beneficiary_id, &in, out, replayed, &error);
	rc = text_refused(why, rc, error);
	if (!rc && !*replayed)
		rc = changed_on_commit(db, ar, beneficiary_id);
	return db_tx_end(db, rc);
}

int
messaging_beneficiary_share_in(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			       int64_t now, const char *beneficiary_id, const struct msg_share *s,
			       struct message *out, struct refusal *why)
{
	bool session = s->kind == MSG_SESSION_SHARE;
	json_t *p = json_pack("{s:s, s:s, s:I}", session ? "session_id"
					 : s->kind == MSG_JOB_EVENT_SHARE ? "job_event_id" : "event_id",
			      s->id, "title", s->title, "starts_at", (json_int_t)s->starts_at);
	if (!p)
		return -ERR_INVAL;
	if (s->kind == MSG_JOB_EVENT_SHARE && s->url)
		json_object_set_new(p, "url", json_string(s->url));
	char *payload = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	struct msg_send in = {
		.sender = MSG_FROM_BENEFICIARY, .kind = s->kind,
		.text = s->text ? s->text : session ? MSG_SESSION_SHARE_DEFAULT_TEXT
						     : MSG_EVENT_SHARE_DEFAULT_TEXT,
		.payload = arena_strdup(ar, payload),
	};
	free(payload);
	const char *error = NULL;
	int rc = messaging_send(db, keys, ar, now, beneficiary_id, &in, out, &error);
	rc = text_refused(why, rc, error);
	return rc ? rc : changed_on_commit(db, ar, beneficiary_id);
}

int
messaging_beneficiary_share(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			    int64_t now, const char *beneficiary_id, const struct msg_share *s,
			    struct message *out, struct refusal *why)
{
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = messaging_beneficiary_share_in(db, keys, ar, now, beneficiary_id, s, out, why);
	return db_tx_end(db, rc);
}

/* The app's words for what msg_may_edit / msg_may_delete or the store refused. */
static int
own_refused(struct refusal *why, int rc, const struct message *m)
{
	if (rc == -ERR_FORBIDDEN)
		return refuse_with(why, 403, NULL, "Action impossible",
				   "Tu peux seulement modifier ou supprimer les messages que tu as "
				   "écrits.");
	if (rc == -ERR_NOTFOUND)
		return refuse_with(why, 404, NULL, "Message introuvable",
				   "Ce message n’est plus disponible.");
	/* -ERR_CONFLICT: the store found it deleted meanwhile. */
	if (rc == -ERR_CONFLICT || (rc == -ERR_INVAL && m->deleted_at))
		return refuse_with(why, 400, NULL, "Action impossible",
				   "Ce message a été supprimé.");
	if (rc == -ERR_INVAL)
		return refuse_with(why, 400, NULL, "Action impossible",
				   "Ce message ne peut pas être modifié.");
	return rc;
}

int
messaging_beneficiary_own(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			  const char *beneficiary_id, const char *message_id,
			  enum msg_change change, struct message *out, struct refusal *why)
{
	struct msg_actor who = {.side = MSG_FROM_BENEFICIARY, .id = beneficiary_id};
	*out = (struct message){0};
	int rc = id_is_uuid(message_id) ? messaging_store_load(db, ar, message_id, out)
					: -ERR_NOTFOUND;
	if (!rc && strcmp(out->beneficiary_id, beneficiary_id))
		rc = -ERR_NOTFOUND;
	if (!rc)
		out->text = open_text(keys, ar, out->key_id, out->content, out->content_len);
	if (!rc)
		rc = change == MSG_CHANGE_EDIT ? msg_may_edit(out, &who) : msg_may_delete(out, &who);
	return own_refused(why, rc, out);
}

int
messaging_beneficiary_change(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			     int64_t now, const char *beneficiary_id, const char *message_id,
			     const char *text, struct refusal *why)
{
	struct msg_actor who = {.side = MSG_FROM_BENEFICIARY, .id = beneficiary_id};
	const char *error = NULL;
	struct message m;
	int rc = messaging_beneficiary_own(db, keys, ar, beneficiary_id, message_id,
					   text ? MSG_CHANGE_EDIT : MSG_CHANGE_DELETE, &m, why);
	if (rc || (rc = db_tx_begin(db)))
		return rc;
	rc = text ? messaging_edit(db, keys, ar, now, &who, m.id, text, &error)
		  : messaging_delete(db, ar, now, &who, m.id, &error);
	/* A text refused goes back under the field; anything else is the whole request's. */
	rc = text && error ? text_refused(why, rc, error) : own_refused(why, rc, &m);
	if (!rc)
		rc = changed_on_commit(db, ar, beneficiary_id);
	return db_tx_end(db, rc);
}

int
messaging_download(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		   const char *id, const char *user_kind, const char *user_id,
		   struct attachment *out, struct refusal *why)
{
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = attachment_load(db, keys, ar, id, user_kind, user_id, true, out);
	if (rc)
		return rc;
	if (out->expired || out->deleted || !out->data)
		return refuse_with(why, 410, NULL, "Pièce jointe indisponible",
				   "Le fichier n’est plus disponible");
	return strcmp(out->scan_status, "clean") ? -ERR_CONFLICT : 0;
}

int
messaging_history(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		  const char *message_id, struct msg_edit **out)
{
	int n = messaging_store_history(db, ar, message_id, out);
	for (int i = 0; i < n; i++) {
		struct msg_edit *e = &(*out)[i];
		e->text = open_text(keys, ar, e->key_id, e->previous, e->previous_len);
	}
	return n;
}

int
messaging_unread_for_beneficiary(struct db *db, const char *beneficiary_id)
{
	return messaging_store_unread_for_beneficiary(db, beneficiary_id);
}

int
messaging_unread_conversations(struct db *db, const char *counselor_id)
{
	return messaging_store_unread_conversations(db, counselor_id);
}

int
messaging_alerts(struct db *db, const char *counselor_id, struct msg_alerts *out)
{
	return messaging_store_alerts(db, counselor_id, out);
}

/* ---- Deletion and archive of the account ---- */

int
messaging_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	/* Lists and files first: they find what to remove through the messages. */
	int rc = lists_store_purge_beneficiary(db, beneficiary_id);
	if (!rc)
		rc = attachment_purge_beneficiary(db, beneficiary_id);
	return rc ? rc : messaging_store_purge(db, beneficiary_id);
}

static json_t *
sealed_json(const char *key_id, const unsigned char *blob, size_t len)
{
	gchar *b64 = g_base64_encode(blob, len);
	json_t *j = json_pack("{s:s, s:s}", "key_id", key_id, "sealed", b64);
	g_free(b64);
	return j;
}

static json_t *
archived_message(struct db *db, struct arena *ar, const struct message *m)
{
	struct msg_edit *edits;
	int n = messaging_store_history(db, ar, m->id, &edits);
	if (n < 0)
		return NULL;
	json_t *history = json_array();
	for (int i = 0; i < n; i++) {
		json_t *e = sealed_json(edits[i].key_id, edits[i].previous, edits[i].previous_len);
		json_object_set_new(e, "edited_at", json_integer(edits[i].edited_at));
		json_array_append_new(history, e);
	}
	json_t *j = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:o}",
		"id", m->id, "sender", msg_sender_wire(m->sender),
		"sender_counselor_id", m->sender_counselor_id,
		"sender_first_name", m->sender_first_name, "sender_last_name", m->sender_last_name,
		"kind", msg_kind_wire(m->kind), "created_at", (json_int_t)m->created_at,
		"text", sealed_json(m->key_id, m->content, m->content_len));
	if (m->edited_at)
		json_object_set_new(j, "edited_at", json_integer(m->edited_at));
	if (m->deleted_at)
		json_object_set_new(j, "deleted_at", json_integer(m->deleted_at));
	if (m->payload)
		json_object_set_new(j, "payload", json_loads(m->payload, 0, NULL));
	json_object_set_new(j, "history", history);
	return j;
}

int
messaging_archive_beneficiary(struct db *db, struct arena *ar, const char *beneficiary_id,
			      json_t *archive)
{
	struct msg_conversation conv;
	int rc = messaging_store_conversation(db, ar, beneficiary_id, &conv);
	if (rc)
		return rc;
	json_t *messages = json_array();
	/* Pages newest first, then reversed: the archive reads oldest first. */
	GPtrArray *all = g_ptr_array_new();
	struct msg_cursor cur, *before = NULL;
	struct message *page;
	int n = 0;
	while (conv.id &&
	       (n = messaging_store_page(db, ar, conv.id, before, MSG_SHOWN_MAX, &page)) > 0) {
		for (int i = 0; i < n; i++)
			g_ptr_array_add(all, &page[i]);
		cur = (struct msg_cursor){page[n - 1].created_at, page[n - 1].id};
		before = &cur;
	}
	rc = n < 0 ? n : 0;
	for (guint i = all->len; !rc && i > 0; i--) {
		json_t *j = archived_message(db, ar, all->pdata[i - 1]);
		if (!j)
			rc = -ERR_DB;
		else
			json_array_append_new(messages, j);
	}
	g_ptr_array_free(all, TRUE);
	if (rc) {
		json_decref(messages);
		return rc;
	}
	json_object_set_new(archive, "conversation", messages);
	return 0;
}
