/* digest_store.c — the only file that knows the table unread_digest, and the queries of
 * the digest over the conversations. */
#include "messaging/digest_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

/* N of notifications.md §3.5: the conversation's last message comes from the beneficiary
 * side (as messaging_store counts incoming messages) and is after the counselor's read
 * mark. Only the portfolio's live accounts count (index beneficiary_portfolio). */
#define UNREAD_OF(co) \
	"(SELECT count(*) FROM beneficiary b JOIN conversation c ON c.beneficiary_id = b.id " \
	" JOIN message m ON m.id = c.last_message_id " \
	" WHERE b.counselor_id = " co " AND b.deleted_at IS NULL " \
	" AND m.created_at > c.counselor_last_read_at AND m.deleted_at IS NULL " \
	" AND (m.sender_type = 'beneficiary' OR m.kind = 'AUTO_REGISTRATION'))"
#define LAST_OPEN_OF(co) \
	"(SELECT coalesce(max(c.counselor_last_read_at), 0) FROM beneficiary b " \
	" JOIN conversation c ON c.beneficiary_id = b.id " \
	" WHERE b.counselor_id = " co " AND b.deleted_at IS NULL)"

int
digest_store_candidates(struct db *db, struct arena *a, const char *day,
			struct digest_candidate **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, email, first_name, unread, last_open FROM ("
		" SELECT co.id, co.email, co.first_name, " UNREAD_OF("co.id") " AS unread, "
		LAST_OPEN_OF("co.id") " AS last_open FROM counselor co "
		" WHERE co.email IS NOT NULL AND co.email <> '' AND NOT EXISTS "
		" (SELECT 1 FROM unread_digest d WHERE d.counselor_id = co.id AND d.day = $1)"
		") AS candidate WHERE unread > 0 ORDER BY id");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, day);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct digest_candidate));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct digest_candidate c = {
			.counselor_id = db_col_dup(st, a, 0), .email = db_col_dup(st, a, 1),
			.first_name = db_col_dup(st, a, 2), .unread = (int)db_col_int64(st, 3),
			.last_open = db_col_int64(st, 4),
		};
		g_array_append_val(rows, c);
	}
	db_finish(st);
	int n = (int)rows->len;
	*out = arena_alloc(a, (rows->len ? rows->len : 1) * sizeof(**out));
	if (rows->len)
		memcpy(*out, rows->data, rows->len * sizeof(**out));
	g_array_free(rows, TRUE);
	return rc < 0 ? -ERR_DB : n;
}

int64_t
digest_store_last_open(struct db *db, const char *counselor_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT " LAST_OPEN_OF("$1"));
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	return db_run_int(st);
}

int
digest_store_record(struct db *db, const char *counselor_id, const char *day, int unread,
		    int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO unread_digest (counselor_id, day, conversations, sent_at) "
		"VALUES ($1, $2, $3, $4)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, counselor_id);
	db_bind_text(st, 2, day);
	db_bind_int64(st, 3, unread);
	db_bind_int64(st, 4, now);
	int rc = db_run(st);
	return rc == -ERR_CONFLICT ? rc : rc < 0 ? -ERR_DB : 0;
}
