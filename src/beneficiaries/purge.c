/* purge.c — nothing of a deleted or archived beneficiary outlives the account
 * (beneficiaries.md §9, youth-app.md §12). Every feature that holds a beneficiary's data
 * exports its part: x_purge_beneficiary() deletes its rows, x_archive_beneficiary() adds
 * its key to the archive. The account's own rows (history, the beneficiary row) go last,
 * after every part, so that each part may still read the row (e-mail, conversation).
 * tests/unit/test_purge.c walks the schema to prove that no table is forgotten. */
#include "beneficiaries/beneficiaries.h"

#include "actions/actions_use.h"
#include "auth/login.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/err.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "messaging/messaging_use.h"
#include "notifications/notifications.h"
#include "record/record.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>

typedef int (*purge_fn)(struct db *db, const char *beneficiary_id);
typedef int (*archive_fn)(struct db *db, struct arena *a, const char *beneficiary_id,
			  json_t *archive);

/* TEMPORARY: the `struct feature` descriptor (being built on another branch) carries a
 * `purge` and an `archive` slot of exactly these types; once it lands, these two lists go
 * and the use cases walk the feature table instead. Until then this is the only place
 * that names every feature's part: one line per feature. Parts run in any order (each
 * deletes only its own rows, children first), inside the caller's transaction. */
static const purge_fn purges[] = {
	actions_purge_beneficiary,        /* actions, comments, their J-3 reminder jobs */
	notifications_purge_beneficiary,  /* the centre and the push intents */
	messaging_purge_beneficiary,      /* conversation, messages, edits, files, lists, broadcasts */
	login_purge_beneficiary,          /* activation and reset links, login throttling */
	session_purge_beneficiary,        /* sessions: immediate logout */
	jobs_purge_beneficiary,           /* jobs naming the account (imilo-refresh:{id}) */
	mail_purge_beneficiary,           /* mails addressed to the beneficiary */
};
static const archive_fn archives[] = {
	actions_archive_beneficiary,      /* "actions", with comments and qualifications */
	messaging_archive_beneficiary,    /* "conversation", sealed, with edit histories */
};

int
beneficiaries_purge(struct db *db, const char *beneficiary_id)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(purges); i++)
		rc = purges[i](db, beneficiary_id);
	return rc ? rc : beneficiaries_store_remove(db, beneficiary_id);
}

/* The account's own part: identity and the historique des conseillers (§8: "copied into
 * the archive"). */
static json_t *
account_json(struct db *db, struct arena *a, const struct record *rec)
{
	struct record_history_row *rows;
	int n = record_history(db, a, rec->id, &rows);
	if (n < 0)
		return NULL;
	json_t *history = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(history, json_pack("{s:s, s:s, s:I, s:I}", "first_name",
			rows[i].first_name, "last_name", rows[i].last_name, "started_at",
			(json_int_t)rows[i].started_at, "ended_at", (json_int_t)rows[i].ended_at));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:I, s:I, s:o}",
		"first_name", rec->first_name, "last_name", rec->last_name, "email", rec->email,
		"dispositif", rec->dispositif, "structure_id", rec->structure_id,
		"imilo_dossier_id", rec->imilo_dossier_id, "cej_end_date", rec->cej_end_date,
		"situation", rec->situation, "created_at", (json_int_t)rec->created_at,
		"activated_at", (json_int_t)rec->activated_at, "counselor_history", history);
}

char *
beneficiaries_archive_content(struct db *db, struct arena *a, const struct record *rec)
{
	json_t *j = account_json(db, a, rec);
	int rc = j ? 0 : -ERR_DB;
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(archives); i++)
		rc = archives[i](db, a, rec->id, j);
	char *out = NULL;
	if (!rc) {
		char *s = json_dumps(j, JSON_COMPACT);
		out = s ? arena_strdup(a, s) : NULL;
		free(s);
	}
	json_decref(j);
	return out;
}
