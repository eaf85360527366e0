/* lists_store.h — the SQL of listes de diffusion and multi-recipient sends (tables of
 * 0009_lists.sql). Writes belong in the caller's transaction; what is read lands in the
 * arena given. The messages themselves are messaging_store.h's: this file only reads one
 * sealed copy of a broadcast's text (with its file's id) and its recipients' read marks. */
#ifndef CEJ_LISTS_STORE_H
#define CEJ_LISTS_STORE_H

#include "messaging/lists.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* The lists of @counselor_id with their counts, in the order asked. Count or -ERR_DB. */
int lists_store_list(struct db *db, struct arena *a, const char *counselor_id,
		     enum lists_sort sort, bool desc, struct list_row **out);
/* List @id, whoever owns it. 0, -ERR_NOTFOUND or -ERR_DB. */
int lists_store_load(struct db *db, struct arena *a, const char *id, struct broadcast_list *out);
/* The live beneficiaries whose counselor is @counselor_id, by folded "last first", then
 * id. Count or -ERR_DB. */
int lists_store_portfolio(struct db *db, struct arena *a, const char *counselor_id,
			  struct list_person **out);
/* The members of list @list_id by folded name; in_portfolio when their counselor is
 * @owner_id (deleted beneficiaries are never members). Count or -ERR_DB. */
int lists_store_members(struct db *db, struct arena *a, const char *list_id, const char *owner_id,
			struct list_person **out);

/* Inserts list @l (id, counselor_id, title) with @title_folded at @now. */
int lists_store_insert(struct db *db, const struct broadcast_list *l, const char *title_folded,
		       int64_t now);
/* Renames list @l. */
int lists_store_rename(struct db *db, const struct broadcast_list *l, const char *title_folded,
		       int64_t now);
/* Adds @beneficiary_id to list @list_id (nothing when already a member). */
int lists_store_add_member(struct db *db, const char *list_id, const char *beneficiary_id,
			   int64_t now);
/* Removes @beneficiary_id from list @list_id. */
int lists_store_remove_member(struct db *db, const char *list_id, const char *beneficiary_id);
/* Deletes list @id, its members and its history rows. */
int lists_store_delete(struct db *db, const char *id);
/* Part of an account's deletion (messaging_purge_beneficiary, before the messages go):
 * @beneficiary_id leaves the recipients of the broadcasts it received (a broadcast left
 * with none is deleted with its history rows) and every list. */
int lists_store_purge_beneficiary(struct db *db, const char *beneficiary_id);

/* Inserts the broadcast @id of @counselor_id at @at, @list_ids and @recipient_ids being
 * JSON arrays of ids. */
int lists_store_broadcast(struct db *db, const char *id, const char *counselor_id,
			  const char *list_ids, const char *recipient_ids, int64_t at);
/* Records that broadcast @broadcast_id (sent at @at) went to list @list_id. */
int lists_store_link(struct db *db, const char *list_id, const char *broadcast_id, int64_t at);

/* Up to @limit broadcasts sent to @list_id strictly older than @before (NULL: from the
 * newest), newest first, each with one of its messages still sealed (text NULL) and the id
 * of its file (file_name NULL). Count or -ERR_DB. */
int lists_store_history(struct db *db, struct arena *a, const char *list_id,
			const struct msg_cursor *before, int limit, struct broadcast_entry **out);
/* Broadcast @broadcast_id as sent to @list_id, sealed. 0, -ERR_NOTFOUND or -ERR_DB. */
int lists_store_sent(struct db *db, struct arena *a, const char *list_id,
		     const char *broadcast_id, struct broadcast_entry *out);
/* The recipients of broadcast @broadcast_id whose counselor is @owner_id, by folded name,
 * read when their beneficiary_last_read_at is at or after their copy's created_at. Count
 * or -ERR_DB. */
int lists_store_receipts(struct db *db, struct arena *a, const char *broadcast_id,
			 const char *owner_id, struct broadcast_receipt **out);

#endif
