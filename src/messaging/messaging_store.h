/* messaging_store.h — the SQL of conversations, messages and their edit history. Writes
 * belong in the caller's transaction; strings and blobs read land in the arena given.
 * Texts come and go sealed (crypto.h): this file never sees a plaintext. */
#ifndef CEJ_MESSAGING_STORE_H
#define CEJ_MESSAGING_STORE_H

#include "messaging/crypto.h"
#include "messaging/messaging.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* The conversation of live beneficiary @beneficiary_id (out->id NULL when no row exists
 * yet). 0, -ERR_NOTFOUND (no such live beneficiary) or -ERR_DB. */
int messaging_store_conversation(struct db *db, struct arena *ar, const char *beneficiary_id,
				 struct msg_conversation *out);
/* Creates the conversation of live beneficiary @beneficiary_id when it has none (accounts
 * made by `cej seed` or before messaging) and sets *@id to its id. 0, -ERR_NOTFOUND or
 * -ERR_DB. */
int messaging_store_ensure(struct db *db, struct arena *ar, int64_t now, const char *beneficiary_id,
			   const char **id);

/* Inserts @m (id, conversation_id, sender, sender_counselor_id, kind, sealed content and
 * key_id, created_at, attachment_id, payload, broadcast_id, client_key). 0 or -ERR_DB (also
 * when @m->client_key is already taken in the conversation). */
int messaging_store_insert(struct db *db, const struct message *m);
/* Makes @m the last message of its conversation with the sealed @preview, unless a newer
 * one is already recorded there. */
int messaging_store_set_last(struct db *db, const struct message *m,
			     const struct crypto_sealed *preview);
/* Replaces the preview when @message_id is still the last message of @conversation_id. */
int messaging_store_set_preview(struct db *db, const char *conversation_id, const char *message_id,
				const struct crypto_sealed *preview);

/* Up to @limit messages of @conversation_id older than @before (NULL: from the newest),
 * newest first, still sealed (text NULL). Sets *@out (arena array); count or -ERR_DB. */
int messaging_store_page(struct db *db, struct arena *ar, const char *conversation_id,
			 const struct msg_cursor *before, int limit, struct message **out);
/* Up to @limit messages of @conversation_id at or after @from, oldest first, sealed (the
 * window "Aller au message" opens on). Sets *@out (arena array); count or -ERR_DB. */
int messaging_store_page_from(struct db *db, struct arena *ar, const char *conversation_id,
			      const struct msg_cursor *from, int limit, struct message **out);

/* The name of a message's file as a search reads it: sealed, with its key. */
struct msg_file_name {
	const char *key_id;
	const unsigned char *sealed;
	size_t len;
};
/* What messaging_store_each_live calls per message: @m and @file (NULL when the message
 * has no file, or its file expired or was deleted: the conversation no longer shows its
 * name) live in @row, an arena freed once it returns. Non-zero stops the walk. */
typedef int (*msg_row_fn)(void *u, struct arena *row, const struct message *m,
			  const struct msg_file_name *file);
/* Calls @fn for every message of @conversation_id that is not deleted, newest first,
 * sealed — one row in memory at a time, however long the conversation. 0, what @fn
 * returned to stop, or -ERR_DB. */
int messaging_store_each_live(struct db *db, const char *conversation_id, msg_row_fn fn, void *u);
/* Message @id of a live beneficiary's conversation, sealed. 0, -ERR_NOTFOUND or -ERR_DB. */
int messaging_store_load(struct db *db, struct arena *ar, const char *id, struct message *out);

/* The message of @conversation_id sent with @client_key, sealed. 0, -ERR_NOTFOUND or
 * -ERR_DB. */
int messaging_store_find_by_client_key(struct db *db, struct arena *ar, const char *conversation_id,
				       const char *client_key, struct message *out);

/* Saves an edit of @before: its sealed content goes to the history with @now, and the
 * message takes @content and edited_at = @now. -ERR_CONFLICT when it was deleted
 * meanwhile. */
int messaging_store_edit(struct db *db, const struct message *before,
			 const struct crypto_sealed *content, int64_t now);
/* Sets deleted_at = @now (the content stays). -ERR_CONFLICT when already deleted. */
int messaging_store_delete(struct db *db, const char *id, int64_t now);

/* One version of the edit history, oldest first (messaging.md §5). */
struct msg_edit {
	int64_t edited_at;
	const char *key_id;
	const unsigned char *previous;   /* sealed */
	size_t previous_len;
	const char *text;                /* filled by the use cases */
};
/* The history of message @id, oldest first. Count or -ERR_DB. */
int messaging_store_history(struct db *db, struct arena *ar, const char *id, struct msg_edit **out);

/* Deletes the conversation of @beneficiary_id, its messages and their edit history
 * (account deletion: messaging_purge_beneficiary). */
int messaging_store_purge(struct db *db, const char *beneficiary_id);

/* Moves @side's read mark of @conversation_id to @now (never backwards). */
int messaging_store_mark_read(struct db *db, const char *conversation_id, enum msg_sender side,
			      int64_t now);
/* Sets the pin of the conversation of @beneficiary_id when @counselor_id is its referent.
 * -ERR_NOTFOUND otherwise. */
int messaging_store_set_followed(struct db *db, const char *beneficiary_id,
				 const char *counselor_id, bool followed);
/* Clears the pin (reassignment, §11). */
int messaging_store_unfollow(struct db *db, const char *beneficiary_id);

/* The tiles of @counselor_id's portfolio (every live beneficiary, with or without a
 * conversation row) whose folded name holds each of the @n folded @tokens, unsorted and
 * with their previews sealed. Sets *@out (arena array); count or -ERR_DB. */
int messaging_store_tiles(struct db *db, struct arena *ar, const char *counselor_id,
			  const char *const *tokens, int n, struct msg_tile **out);

/* Unread messages of beneficiary @beneficiary_id (the Messages badge). Count or -ERR_DB. */
int messaging_store_unread_for_beneficiary(struct db *db, const char *beneficiary_id);
/* Conversations of @counselor_id's portfolio holding unread messages. Count or -ERR_DB. */
int messaging_store_unread_conversations(struct db *db, const char *counselor_id);
/* The new-message alerts of @counselor_id. 0 or -ERR_DB. */
int messaging_store_alerts(struct db *db, const char *counselor_id, struct msg_alerts *out);

#endif
