/* messaging_use.h — the use cases of messaging: each applies the rules of messaging.h,
 * seals and opens texts with the keyring (crypto.h), writes through the store and records
 * what hangs on a message (the conversation's last message and preview, the NEW_MESSAGE
 * push intent). Callers check access first (auth/authz: the referent counselor, or the
 * beneficiary themself) and give the keyring of the server context (ctx->keys).
 *
 * The building blocks (messaging_send, _edit, _delete, _mark_read, _follow…) write inside
 * the caller's write transaction, so that another feature's change and its message commit
 * together; the pages' use cases at the end run their own transaction and queue the live
 * events on its commit. Reads need none. Everything returned lives in the arena given.
 * Plaintexts never reach a log. */
#ifndef CEJ_MESSAGING_USE_H
#define CEJ_MESSAGING_USE_H

#include "messaging/messaging.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct msg_keyring;

/* What is sent. */
struct msg_send {
	enum msg_sender sender;
	const char *counselor_id;     /* the author, for MSG_FROM_COUNSELOR */
	enum msg_kind kind;
	const char *text;             /* raw input: trimmed and checked here */
	const char *attachment_id;    /* MESSAGE_PJ only */
	const char *payload;          /* JSON object of the card (msg_kind_has_card) */
	const char *broadcast_id;     /* set by a multi-recipient send */
	const char *client_key;       /* the app's sending key, checked (see messaging_send_once) */
};

/* Sends @in into the conversation of beneficiary @beneficiary_id (created if the account
 * has none yet), at @now: the message sealed with the current key, the conversation's last
 * message and preview, and for a counselor's MESSAGE, MESSAGE_PJ or OFFER_SHARE the
 * NEW_MESSAGE push ("NEW_MESSAGE:{id}", when the beneficiary is activated and keeps the
 * "Messages" preference; never in the centre). Fills *@out with the stored message (text
 * as stored) when @out is not NULL. 0; -ERR_INVAL with *@error the French message when a
 * rule of msg_send_check refuses; -ERR_NOTFOUND (no such live beneficiary) or -ERR_DB. */
int messaging_send(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
		   const char *beneficiary_id, const struct msg_send *in, struct message *out,
		   const char **error);

/* messaging_send once per sending key (youth-app.md §9, §14): when @in->client_key (NULL:
 * none, a plain send) already names a message of the conversation, that message is
 * returned in *@out (text opened) with *@replayed set, and nothing is written — a
 * "Réessayer" after an answer lost on the way never stores the message twice. Else as
 * messaging_send, *@replayed false. -ERR_INVAL with *@error when the key is malformed
 * (msg_client_key_check) or a rule of msg_send_check refuses. Run it in a write
 * transaction: the lookup and the insert must not be separated. @out is required. */
int messaging_send_once(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			int64_t now, const char *beneficiary_id, const struct msg_send *in,
			struct message *out, bool *replayed, const char **error);

/* The message a counselor's comment on an action posts (actions.md §3): kind
 * ACTION_COMMENT, payload {"action_id", "title"}, text = the comment. No NEW_MESSAGE push:
 * the comment notifies ACTION_UPDATED only (notifications.md #13). */
int messaging_post_action_comment(struct db *db, const struct msg_keyring *keys, struct arena *ar,
				  int64_t now, const char *counselor_id, const char *beneficiary_id,
				  const char *action_id, const char *action_title, const char *text);

/* A system message (§1, §11): NEW_COUNSELOR, NEW_COUNSELOR_TEMPORARY or
 * AUTO_REGISTRATION (then @payload is its session card). Its stored text is the
 * counselor-side wording (msg_system_text, with @counselor_name the new counselor's
 * "Prénom NOM"); the beneficiary side renders its own. No push. */
int messaging_post_system(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			  int64_t now, const char *beneficiary_id, enum msg_kind kind,
			  const char *counselor_name, const char *payload);

/* After a reassignment of @beneficiary_id (the caller moved beneficiary.counselor_id, so
 * the conversation follows): the pin is cleared and NEW_COUNSELOR (or
 * NEW_COUNSELOR_TEMPORARY when @temporary) is appended, naming @counselor_name, the new
 * counselor's "Prénom NOM" (§11). */
int messaging_reassigned(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			 int64_t now, const char *beneficiary_id, bool temporary,
			 const char *counselor_name);

/* The conversation of live beneficiary @beneficiary_id (id NULL while none is stored: an
 * empty conversation). 0, -ERR_NOTFOUND or -ERR_DB. */
int messaging_conversation(struct db *db, struct arena *ar, const char *beneficiary_id,
			   struct msg_conversation *out);

/* One page of a conversation (§3): up to @limit (1–MSG_SHOWN_MAX; MSG_PAGE_SIZE for a
 * page) messages older than @before (NULL: the newest), newest first, decrypted (text NULL for one that cannot be: show
 * MSG_INACCESSIBLE). more = older messages exist (else "Aucun message plus ancien"). */
struct msg_page {
	struct message *items;
	int n;
	bool more;
};
int messaging_page(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		   const struct msg_conversation *conv, const struct msg_cursor *before,
		   int limit, struct msg_page *out);

/* The window "Aller au message" opens (§6): the message at @from and up to
 * MSG_PAGE_SIZE - 1 newer ones, newest first like messaging_page, decrypted. more = older
 * messages exist before it (the window's "Voir messages plus anciens"); *@next = the first
 * message after the window ("Voir messages plus récents"), id NULL when the window reaches
 * the newest message. */
int messaging_page_from(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			const struct msg_conversation *conv, const struct msg_cursor *from,
			struct msg_page *out, struct msg_cursor *next);

/* One message found by a search (§6). */
struct msg_found {
	struct message m;             /* as stored; text NULL (the page shows text_html) */
	const char *text_html;        /* the text the conversation shows, matches in <mark> */
	const char *file_html;        /* its file's name likewise; NULL when no file is shown */
};
/* The search of @folded_query (msg_search_check) in conversation @conv (§6): every message
 * not deleted is decrypted in memory, one at a time, and matched on the text the
 * counselor's conversation shows and on its file's name (a file still shown). *@total
 * counts the messages found; *@found holds the newest MSG_SEARCH_SHOWN of them, newest
 * first. Reads only: the read mark stays. Count kept, or -ERR_DB. */
int messaging_search(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		     const struct msg_conversation *conv, const char *folded_query,
		     struct msg_found **found, int *total);

/* @side has read the conversation of @beneficiary_id up to @now (on open, and on each
 * message arriving while it is shown). 0, -ERR_NOTFOUND or -ERR_DB. */
int messaging_mark_read(struct db *db, struct arena *ar, int64_t now, const char *beneficiary_id,
			enum msg_sender side);

/* The column of counselor @counselor_id (§2): one tile per beneficiary of the portfolio
 * whose name matches @query (NULL or blank: all; the name-search rule of text.h), previews
 * decrypted, in the order of msg_tile_cmp. Sets *@out; count or -ERR_DB. */
int messaging_tiles(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		    const char *counselor_id, const char *query, struct msg_tile **out);

/* Pins or unpins the conversation of @beneficiary_id for its referent @counselor_id.
 * 0, -ERR_NOTFOUND (not the referent, no such beneficiary) or -ERR_DB. */
int messaging_follow(struct db *db, struct arena *ar, int64_t now, const char *counselor_id,
		     const char *beneficiary_id, bool followed);

/* Edits message @message_id to @text for @who (§5): the previous sealed content goes to
 * the history. -ERR_NOTFOUND when the message is not in a conversation @who may open (a
 * beneficiary's own; a counselor's portfolio); -ERR_FORBIDDEN when @who is not its author;
 * -ERR_INVAL with *@error set when the kind cannot be edited, the message is deleted or
 * the text breaks §1. Read state is untouched and nothing is pushed. */
int messaging_edit(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
		   const struct msg_actor *who, const char *message_id, const char *text,
		   const char **error);
/* Deletes message @message_id for @who (deleted_at; the content and history stay). Same
 * errors as messaging_edit. */
int messaging_delete(struct db *db, struct arena *ar, int64_t now, const struct msg_actor *who,
		     const char *message_id, const char **error);

/* ---- The pages' use cases ----
 * Each runs in its own write transaction (callers must not hold one) and queues the live
 * events of its change on the commit (messaging_live.h): a rollback announces nothing, and
 * a page never publishes by itself. A refusal fills *@why (base/err.h, may be NULL) and
 * returns its negative err; other failures (-ERR_DB) leave *@why alone. Access is the
 * caller's to check first, as above: record_open() for a counselor's page, the session's
 * own account for a beneficiary's. Strings given must live as long as @ar (the request's
 * arena: the events are sent after the commit). */

struct refusal;

/* A counselor's file: its name as kept (attachment_clean_name) and its bytes. */
struct msg_upload {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* Counselor @counselor_id sends @text, and @file (NULL: none), into the conversation of
 * @beneficiary_id at @now (§1, §7): the file stored and the message sent in one
 * transaction, event "message" on its commit; *@out is the message stored (may be NULL).
 * Refusals (field "message", the composer shows them): 400 with attachment_check's
 * message for a file refused, or §1's for the text; a file that could not be stored
 * returns -ERR_DB with a 500 refusal ATTACHMENT_FAILED. */
int messaging_counselor_send(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			     int64_t now, const char *counselor_id, const char *beneficiary_id,
			     const char *text, const struct msg_upload *file, struct message *out,
			     struct refusal *why);

/* Counselor @counselor_id edits (@text not NULL) or deletes (@text NULL; its file goes
 * when no other copy holds it) their message @message_id (§5); event "message" on the
 * commit. -ERR_NOTFOUND when it lies outside the counselor's portfolio; -ERR_FORBIDDEN
 * when another counselor wrote it; a 400 refusal (field "message") when it is deleted,
 * cannot be edited, or the new text breaks §1. */
int messaging_counselor_change(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			       int64_t now, const char *counselor_id, const char *message_id,
			       const char *text, struct refusal *why);

/* The referent @counselor_id pins or unpins the conversation of @beneficiary_id; event
 * "message" on the commit (their column re-orders). -ERR_NOTFOUND when not the referent. */
int messaging_counselor_follow(struct db *db, struct arena *ar, int64_t now,
			       const char *counselor_id, const char *beneficiary_id, bool followed);

/* The counselor displayed the newest messages of @conv, some incoming unread among them
 * (§3): the read mark moves to @now and the beneficiary's page hears "lu" on the commit.
 * Only then: a "lu" the other page would answer with its own read mark otherwise, and so
 * on. Nothing for a conversation not stored yet. */
int messaging_counselor_read(struct db *db, struct arena *ar, int64_t now,
			     const struct msg_conversation *conv);

/* Beneficiary @beneficiary_id's page shows their conversation @conv at @now: *@unread
 * receives how many messages were unread; when some were (or @always: the Messages screen
 * opens), the read mark moves — never before the newest message, stamped one later when
 * sent within the same millisecond — and the counselor hears "lu" on the commit when
 * something was unread. */
int messaging_beneficiary_read(struct db *db, struct arena *ar, int64_t now,
			       const struct msg_conversation *conv, bool always, int *unread);

/* Beneficiary @beneficiary_id sends @in (sender and kind set here: a MESSAGE of theirs)
 * once per sending key (messaging_send_once); event "message" on the commit unless
 * *@replayed. A 400 refusal (field "message") for a text or key refused. */
int messaging_beneficiary_send(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			       int64_t now, const char *beneficiary_id, const char *text,
			       const char *client_key, struct message *out, bool *replayed,
			       struct refusal *why);

/* What a beneficiary shares with their counselor from the app (youth-app.md §7): an
 * animation collective ("Partager à mon conseiller": EVENT_SHARE of
 * MSG_EVENT_SHARE_DEFAULT_TEXT) or an i-milo session ("Faire une demande d'inscription":
 * SESSION_SHARE of the text they edited, MSG_SESSION_SHARE_DEFAULT_TEXT at first). */
struct msg_share {
	/* MSG_EVENT_SHARE, MSG_SESSION_SHARE, or MSG_JOB_EVENT_SHARE (an event of Mes
	 * Événements Emploi, "Partager l’événement à mon conseiller": the default text of
	 * EVENT_SHARE, the card {"job_event_id", "title", "starts_at", "url"}) */
	enum msg_kind kind;
	const char *text;          /* NULL: the kind's default text */
	const char *id;            /* the card's event_id (a UUID) or session_id (i-milo's) */
	const char *title;
	int64_t starts_at;
	const char *url;           /* JOB_EVENT_SHARE: the event's page (NULL: none) */
};

/* Beneficiary @beneficiary_id shares @s with their counselor: the message carrying the card
 * {"event_id"|"session_id", "title", "starts_at"} (msg_card_of), in its own transaction;
 * event "message" on the commit. The caller checked that the beneficiary may see what is
 * shared. *@out (may be NULL) gets the message. 0, a 400 refusal (field "message") for a
 * text refused, -ERR_NOTFOUND (no such live beneficiary) or -ERR_DB. */
int messaging_beneficiary_share(struct db *db, const struct msg_keyring *keys, struct arena *ar,
				int64_t now, const char *beneficiary_id, const struct msg_share *s,
				struct message *out, struct refusal *why);
/* The same inside the caller's write transaction, for a use case that records more with
 * the message (the offers' EVENEMENT_PARTAGE); the event still leaves on the commit. */
int messaging_beneficiary_share_in(struct db *db, const struct msg_keyring *keys,
				   struct arena *ar, int64_t now, const char *beneficiary_id,
				   const struct msg_share *s, struct message *out,
				   struct refusal *why);

enum msg_change { MSG_CHANGE_EDIT, MSG_CHANGE_DELETE };

/* Message @message_id (any string: from a path) of beneficiary @beneficiary_id's own
 * conversation, its text opened, if they may @change it now (youth-app.md §9). Refusals,
 * in the app's words: 404 "Message introuvable" (not a message of theirs), 403 "Action
 * impossible" (the counselor's), 400 "Action impossible" (deleted, or a kind that cannot
 * be edited). Reads only. */
int messaging_beneficiary_own(struct db *db, const struct msg_keyring *keys, struct arena *ar,
			      const char *beneficiary_id, const char *message_id,
			      enum msg_change change, struct message *out, struct refusal *why);

/* The beneficiary edits (@text not NULL) or deletes (@text NULL) their message
 * @message_id; event "message" on the commit. The refusals of messaging_beneficiary_own,
 * and for an edit a 400 refusal with field "message" when the text breaks §1. */
int messaging_beneficiary_change(struct db *db, const struct msg_keyring *keys,
				 struct arena *ar, int64_t now, const char *beneficiary_id,
				 const char *message_id, const char *text, struct refusal *why);

/* Attachment @id (any string: from a path) for @user_kind ("counselor" | "beneficiary")
 * @user_id to download (§7), content loaded: -ERR_NOTFOUND for anyone attachment_load
 * refuses; a 410 refusal "Pièce jointe indisponible" once expired or deleted;
 * -ERR_CONFLICT while not scanned clean. Reads only. */
struct attachment;
int messaging_download(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		       const char *id, const char *user_kind, const char *user_id,
		       struct attachment *out, struct refusal *why);

/* The decrypted edit history of @message_id, oldest first (archives; never shown). Count
 * or a negative error; a version that cannot be decrypted has text NULL. */
struct msg_edit;
int messaging_history(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		      const char *message_id, struct msg_edit **out);

/* Messaging's part of an account's deletion and archive (beneficiaries.md §9, messaging.md
 * §8 and §14), in the caller's transaction. The purge deletes the beneficiary's
 * conversation with its messages, edit history and the files no other conversation
 * shares; removes the beneficiary from every list and from the recipients of the
 * broadcasts it received (one sent to it alone goes, with its history rows). The archive
 * sets "conversation" in @archive: every message, deleted ones included, oldest first,
 * with its edit history. Texts stay sealed as stored (base64 of nonce || ciphertext, with
 * their key id): the archive is a JSON text in the database, and §14 wants the messages
 * inside archives encrypted; the key file opens them as it opens the live rows. 0 or
 * -ERR_DB. */
struct json_t;
int messaging_purge_beneficiary(struct db *db, const char *beneficiary_id);
int messaging_archive_beneficiary(struct db *db, struct arena *ar, const char *beneficiary_id,
				  struct json_t *archive);

/* The Messages badge of beneficiary @beneficiary_id: their unread messages. */
int messaging_unread_for_beneficiary(struct db *db, const char *beneficiary_id);
/* The Messagerie badge of @counselor_id: conversations of the portfolio with unread
 * messages. */
int messaging_unread_conversations(struct db *db, const char *counselor_id);

/* The new-message alerts of @counselor_id (struct msg_alerts). 0 or -ERR_DB. */
int messaging_alerts(struct db *db, const char *counselor_id, struct msg_alerts *out);

#endif
