/* sessions_app_store.h — what the young person's session pages read from cej's database
 * (SQL only here): his dossier and zone, the sessions his Mission Locale made visible, and
 * the local copy of his registrations (migration 0032). Reads, no transaction. */
#ifndef CEJ_SESSIONS_APP_STORE_H
#define CEJ_SESSIONS_APP_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* Beneficiary @beneficiary_id's i-milo dossier and his structure's zone. 0,
 * -ERR_NOTFOUND or -ERR_DB. */
int sessions_app_store_context(struct db *db, struct arena *a, const char *beneficiary_id,
			       const char **dossier_id, const char **tz);

/* Of the sessions whose ids are in the JSON array @ids_json, those structure
 * @structure_id made visible, into *@out (arena array of ids). Count or a negative err. */
int sessions_app_store_visible(struct db *db, struct arena *a, const char *structure_id,
			       const char *ids_json, const char ***out);
/* Whether session @session_id is visible to structure @structure_id. 1, 0 or a negative err. */
int sessions_app_store_is_visible(struct db *db, const char *structure_id, const char *session_id);

/* A registration of the young person as cej last knew it, taking part (Inscrit or
 * Présent). */
struct my_session {
	const char *session_id, *instance_id, *name;
	int64_t starts_at, ends_at;
};
/* His registrations taking part that end at or after @from and start before @to (0: no
 * bound), soonest first, at most @limit (0: no limit). Count or a negative err. */
int sessions_app_store_mine(struct db *db, struct arena *a, const char *beneficiary_id,
			    int64_t from, int64_t to, int limit, struct my_session **out);
/* His registration taking part in session @session_id: 1 (into *@out), 0 or a negative err. */
int sessions_app_store_registered(struct db *db, struct arena *a, const char *beneficiary_id,
				  const char *session_id, struct my_session *out);

/* The i-milo login of beneficiary @beneficiary_id's referent (his self-registration is
 * written in i-milo on the referent's behalf, imilo.md §3.3); NULL when none. */
int sessions_app_store_referent_login(struct db *db, struct arena *a, const char *beneficiary_id,
				      const char **login);

#endif
