/* attachments_store.c — the SQL of attachments, sealed at rest (messaging/crypto.h). */
#include "messaging/attachments.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "messaging/crypto.h"

#include <string.h>


int
attachment_store(struct db *db, const struct msg_keyring *keys, struct arena *a, int64_t now,
		 const char *counselor_id, const char *name, const char *mime,
		 const unsigned char *data, size_t len, char *id)
{
	struct crypto_sealed sealed_name, sealed_data;
	crypto_seal(keys, a, name, strlen(name), &sealed_name);
	crypto_seal(keys, a, data, len, &sealed_data);
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO attachment(id, counselor_id, key_id, name, content, mime, size, created_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	if (!st)
		return -ERR_DB;
	id_uuid7(now, id);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, counselor_id);
	db_bind_text(st, 3, sealed_data.key_id);
	db_bind_blob(st, 4, sealed_name.blob, sealed_name.len);
	db_bind_blob(st, 5, sealed_data.blob, sealed_data.len);
	db_bind_text(st, 6, mime);
	db_bind_int64(st, 7, (int64_t)len);
	db_bind_int64(st, 8, now);
	return db_run(st);
}

int
attachment_load(struct db *db, const struct msg_keyring *keys, struct arena *a, const char *id,
		const char *user_kind, const char *user_id, bool content, struct attachment *out)
{
	/* The access rule of §7 in the query: the uploader, or a beneficiary holding a message
	 * with this file, or that beneficiary's current referent. A multi-recipient send gives
	 * one file several messages, one per recipient: each is a way in. When every way in of
	 * someone but the uploader is a deleted message, the file is deleted for them (410),
	 * even while the other recipients' copies keep it. */
#define UPLOADER "($2 = 'counselor' AND t.counselor_id = $3)"
#define HOLDER(extra)                                                                      \
	"EXISTS (SELECT 1 FROM message m JOIN conversation c ON c.id = m.conversation_id "  \
	"  JOIN beneficiary b ON b.id = c.beneficiary_id AND b.deleted_at IS NULL "        \
	"  WHERE m.attachment_id = t.id " extra " AND ("                                   \
	"    ($2 = 'beneficiary' AND b.id = $3) OR ($2 = 'counselor' AND b.counselor_id = $3)))"
	struct db_stmt *st = db_prepare(db,
		"SELECT t.key_id, t.name, CASE WHEN $4 = 1 THEN t.content END, t.mime, t.size, "
		"  t.scan_status, t.created_at, t.content IS NULL, "
		"  t.deleted_at IS NOT NULL OR NOT (" UPLOADER " OR " HOLDER("AND m.deleted_at IS NULL") ") "
		"FROM attachment t WHERE t.id = $1 AND (" UPLOADER " OR " HOLDER("") ")");
#undef HOLDER
#undef UPLOADER
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, user_kind);
	db_bind_text(st, 3, user_id);
	db_bind_int64(st, 4, content);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_finish(st);
		return rc == DB_DONE ? -ERR_NOTFOUND : rc;
	}
	const char *key_id = db_col_dup(st, a, 0);
	size_t name_len = 0, data_len = 0;
	unsigned char *name = db_col_blob_dup(st, a, 1, &name_len);
	unsigned char *data = db_col_blob_dup(st, a, 2, &data_len);
	memset(out, 0, sizeof(*out));
	out->id = arena_strdup(a, id);
	out->mime = db_col_dup(st, a, 3);
	out->size = (size_t)db_col_int64(st, 4);
	out->scan_status = db_col_dup(st, a, 5);
	out->created_at = db_col_int64(st, 6);
	out->expired = db_col_int64(st, 7) != 0;
	out->deleted = db_col_int64(st, 8) != 0;
	db_finish(st);
	char *plain;
	size_t plain_len;
	if (crypto_open(keys, a, key_id, name, name_len, &plain, &plain_len))
		return -ERR_DB;
	out->name = plain;
	if (content && data) {
		if (crypto_open(keys, a, key_id, data, data_len, &plain, &plain_len))
			return -ERR_DB;
		out->data = (const unsigned char *)plain;
		out->size = plain_len;
	}
	return 0;
}

int
attachment_expire(struct db *db, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE attachment SET content = NULL, scan_status = 'expired' "
		"WHERE content IS NOT NULL AND created_at <= $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, attachment_expiry_cutoff(now));
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
attachment_delete_for_message(struct db *db, const char *message_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE attachment SET content = NULL, deleted_at = $2 "
		"WHERE id = (SELECT attachment_id FROM message WHERE id = $1) AND deleted_at IS NULL "
		"AND NOT EXISTS (SELECT 1 FROM message o WHERE o.attachment_id = attachment.id "
		"                AND o.id <> $1 AND o.deleted_at IS NULL)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, message_id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
attachments_run_expire(void *app, struct db *db, struct arena *a, const struct job *j,
		       int64_t now, const char **error)
{
	(void)app;
	(void)a;
	(void)j;
	if ((db_tx_begin(db)))
		return -ERR_DB;
	int n = attachment_expire(db, now);
	if (n < 0 || db_tx_commit(db)) {
		db_tx_rollback(db);
		*error = "expiration des pièces jointes impossible";
		return -ERR_DB;
	}
	return 0;
}


int
attachments_jobs_plan(struct db *db, int64_t now)
{
	return jobs_ensure_daily(db, now, ATTACHMENTS_EXPIRE_KIND, "attachments:expire", NULL, 2, 0,
				 "Europe/Paris");
}

int
attachment_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	/* Files of B's messages that no message of another conversation shares (a
	 * multi-recipient send stores one file for every copy). */
	struct db_stmt *st = db_prepare(db,
		"DELETE FROM attachment WHERE id IN (SELECT m.attachment_id FROM message m "
		"  JOIN conversation c ON c.id = m.conversation_id "
		"  WHERE c.beneficiary_id = $1 AND m.attachment_id IS NOT NULL) "
		"AND NOT EXISTS (SELECT 1 FROM message o JOIN conversation oc ON oc.id = o.conversation_id "
		"  WHERE o.attachment_id = attachment.id AND oc.beneficiary_id <> $1)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}
