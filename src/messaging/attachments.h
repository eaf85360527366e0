/* attachments.h — files a counselor joins to a message (messaging.md §7): the pure checks
 * (type by extension and content, size), the store, and the download's access rule.
 * Beneficiaries never upload (the guide, GDPR): the routes that accept a file are
 * counselor routes, and messaging_send refuses a beneficiary message with a file. */
#ifndef CEJ_ATTACHMENTS_H
#define CEJ_ATTACHMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jobs/jobs.h"

struct arena;
struct db;
struct msg_keyring;

#define ATTACHMENT_MAX_BYTES 5242880          /* 5 Mo */
#define ATTACHMENT_RETENTION_MONTHS 4
#define ATTACHMENT_TOO_BIG "Taille du fichier supérieure à 5 Mo"
#define ATTACHMENT_BAD_TYPE "Types acceptés : pdf, png, jpg, webp"
#define ATTACHMENT_FAILED "Le fichier n’a pas pu être envoyé. Veuillez réessayer."

/* The MIME type of a file named @name with content @data: its extension (.pdf, .png,
 * .jpg/.jpeg, .webp, any case) and its magic bytes must agree. NULL when they do not, or
 * the type is not accepted. Pure. */
const char *attachment_type(const char *name, const unsigned char *data, size_t len);
/* NULL when @len bytes named @name may be attached, else the spec's message. Pure. */
const char *attachment_check(const char *name, const unsigned char *data, size_t len);
/* True when a form's file part carries a file: a browser sends a file input left empty
 * as filename="" with no content. A named file of 0 bytes is a file, that
 * attachment_check refuses — never dropped silently. Pure. */
bool attachment_chosen(const char *filename);
/* The name kept: the last path segment, control characters removed, at most 120
 * characters (UTF-8 safe) — a longer name loses the end of its stem, not its extension
 * (up to 10 characters, the dot included), which the type check reads; "fichier" when
 * nothing is left. Arena-owned. Pure. */
char *attachment_clean_name(struct arena *a, const char *name);
/* The newest upload instant that has reached its retention at @now: the same time of day,
 * ATTACHMENT_RETENTION_MONTHS calendar months earlier in Paris (a month is not 30 days: a
 * file sent 4 months and 1 day ago is expired whatever the months). Pure. */
int64_t attachment_expiry_cutoff(int64_t now);

/* Stores a checked file (sealed) for counselor @counselor_id; its id into @id (37 bytes).
 * In the caller's transaction. */
int attachment_store(struct db *db, const struct msg_keyring *keys, struct arena *a,
		     int64_t now, const char *counselor_id, const char *name, const char *mime,
		     const unsigned char *data, size_t len, char *id);

struct attachment {
	const char *id, *name, *mime, *scan_status;
	const unsigned char *data;   /* NULL unless loaded with content, or expired/deleted */
	size_t size;
	int64_t created_at;
	bool expired, deleted;
};
/* What a bubble shows instead of "Ouvrir la pièce jointe" (messaging.md §7, scan status
 * table), or NULL when the file can be opened. Pure. */
const char *attachment_unavailable(const struct attachment *t);
/* Loads attachment @id (name decrypted; content too when @content) if @user_kind
 * ("counselor" | "beneficiary") @user_id may download it: the uploader, a beneficiary
 * whose conversation holds a message with it (a multi-recipient send: every recipient),
 * or the current referent of such a beneficiary. -ERR_NOTFOUND otherwise (also unknown).
 * out->deleted is also set for someone other than the uploader whose every message with
 * it is deleted, though other recipients' copies keep it. */
int attachment_load(struct db *db, const struct msg_keyring *keys, struct arena *a,
		    const char *id, const char *user_kind, const char *user_id, bool content,
		    struct attachment *out);
/* Drops the content of files older than the retention (nightly 02:00). Count or error. */
int attachment_expire(struct db *db, int64_t now);
/* Drops the content of the file of message @message_id once no other live message
 * references it (a multi-recipient send shares one file): its message was deleted. */
int attachment_delete_for_message(struct db *db, const char *message_id, int64_t now);

/* Part of an account's deletion (messaging_purge_beneficiary, before the messages go):
 * deletes the files of @beneficiary_id's messages that no other conversation's message
 * references. */
int attachment_purge_beneficiary(struct db *db, const char *beneficiary_id);
/* The nightly 02:00 expiry job. */
struct job;
int attachments_run_expire(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now, const char **error);
#define ATTACHMENTS_EXPIRE_KIND "attachments_expire"
int attachments_jobs_plan(struct db *db, int64_t now);

#endif
