/* sessions_purge.c — the sessions' part of a beneficiary's end (core/feature.h): the local
 * copy of their registrations and its reminders go; the archive keeps the list of
 * sessions they were registered to. */
#include "sessions/sessions_feature.h"
#include "sessions/sessions_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "jobs/jobs.h"

int
sessions_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct arena *a = arena_new();
	const char **ids;
	int n = sessions_store_beneficiary_instances(db, a, beneficiary_id, &ids);
	int rc = n < 0 ? n : 0;
	for (int i = 0; !rc && i < n; i++) {
		rc = jobs_cancel(db, arena_printf(a, "instance-session:%s:j7", ids[i]));
		if (!rc)
			rc = jobs_cancel(db, arena_printf(a, "instance-session:%s:j1", ids[i]));
	}
	if (!rc)
		rc = sessions_store_purge(db, beneficiary_id);
	arena_free(a);
	return rc;
}

int
sessions_archive_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
			     json_t *archive)
{
	const char **ids;
	int n = sessions_store_beneficiary_instances(db, a, beneficiary_id, &ids);
	if (n < 0)
		return n;
	json_t *out = json_array();
	for (int i = 0; i < n; i++) {
		struct stored_registration r;
		int rc = sessions_store_registration(db, a, ids[i], &r);
		if (rc) {
			json_decref(out);
			return rc;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:I, s:I}", "session_id",
			r.session_id, "session_name", r.session_name, "statut", r.statut, "starts_at",
			(json_int_t)r.starts_at, "ends_at", (json_int_t)r.ends_at));
	}
	json_object_set_new(archive, "sessions_imilo", out);
	return 0;
}
