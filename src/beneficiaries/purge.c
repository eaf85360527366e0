/* purge.c — nothing of a deleted or archived beneficiary outlives the account
 * (beneficiaries.md §9, youth-app.md §12). Every feature that holds a beneficiary's data
 * declares its part in its descriptor (core/feature.h): .purge deletes its rows, .archive
 * adds its key to the archive. The account's own rows (history, the beneficiary row) go last,
 * after every part, so that each part may still read the row (e-mail, conversation).
 * tests/unit/test_purge.c walks the schema to prove that no table is forgotten. */
#include "beneficiaries/beneficiaries.h"

#include "base/arena.h"
#include "base/err.h"
#include "core/feature.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "record/record.h"

#include <jansson.h>
#include <stdlib.h>

int
beneficiaries_purge(const struct feature_table *features, struct db *db, const char *beneficiary_id)
{
	int rc = 0;
	/* Every feature's part (core/feature.h), in any order: each deletes only its rows. */
	for (size_t i = 0; !rc && i < features->n; i++)
		if (features->items[i]->purge)
			rc = features->items[i]->purge(db, beneficiary_id);
	/* The queues below the features: jobs naming the account (imilo-refresh:{id}), mails
	 * addressed to it. Then the account's own rows, last: the parts above may read them. */
	if (!rc)
		rc = jobs_purge_beneficiary(db, beneficiary_id);
	if (!rc)
		rc = mail_purge_beneficiary(db, beneficiary_id);
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
beneficiaries_archive_content(const struct feature_table *features, struct db *db,
			      struct arena *a, const struct record *rec)
{
	json_t *j = account_json(db, a, rec);
	int rc = j ? 0 : -ERR_DB;
	for (size_t i = 0; !rc && i < features->n; i++)
		if (features->items[i]->archive)
			rc = features->items[i]->archive(db, a, rec->id, j);
	char *out = NULL;
	if (!rc) {
		char *s = json_dumps(j, JSON_COMPACT);
		out = s ? arena_strdup(a, s) : NULL;
		free(s);
	}
	json_decref(j);
	return out;
}
