/* sessions_feature.h — what the sessions feature's descriptor (sessions_feature.c) points
 * at, besides its web handlers (sessions_web.h): purge, archive, jobs. Private. */
#ifndef CEJ_SESSIONS_FEATURE_H
#define CEJ_SESSIONS_FEATURE_H

#include <jansson.h>
#include <stdint.h>

struct arena;
struct db;
struct job;

int sessions_purge_beneficiary(struct db *db, const char *beneficiary_id);
int sessions_archive_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
				 json_t *archive);

/* The J-7/J-1 reminder (sessions_registration.c): re-checks i-milo (operator auth, S4),
 * falls back on the local copy after SESSIONS_REMINDER_IMILO_TRIES failures. */
int sessions_run_reminder(void *app, struct db *db, struct arena *a, const struct job *j,
			  int64_t now, const char **error);
/* The daily closing of §5.5 rule 4 (sessions_close.c). */
int sessions_run_auto_close(void *app, struct db *db, struct arena *a, const struct job *j,
			    int64_t now, const char **error);
int sessions_plan_jobs(struct db *db, int64_t now);

#endif
