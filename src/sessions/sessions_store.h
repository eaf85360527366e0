/* sessions_store.h — the SQL of the sessions feature (private): cej's flags of an i-milo
 * session (imilo_session), the local copy of registrations (session_registration), and
 * the beneficiaries and counselors the session page needs. Every function runs on the
 * caller's connection, inside the caller's transaction when it writes. 0 (or a count) or a
 * negative err. */
#ifndef CEJ_SESSIONS_STORE_H
#define CEJ_SESSIONS_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* A stored registration (the local copy). */
struct stored_registration {
	const char *instance_id, *session_id, *beneficiary_id, *statut, *session_name;
	int64_t starts_at, ends_at;
};

/* -ERR_NOTFOUND when cej has no copy of @instance_id. */
int sessions_store_registration(struct db *db, struct arena *a, const char *instance_id,
				struct stored_registration *out);
int sessions_store_registration_put(struct db *db, int64_t now,
				    const struct stored_registration *r);
int sessions_store_registration_delete(struct db *db, const char *instance_id);
/* The instance ids of @beneficiary_id's registrations (purge). Count or err. */
int sessions_store_beneficiary_instances(struct db *db, struct arena *a,
					 const char *beneficiary_id, const char ***out);
int sessions_store_purge(struct db *db, const char *beneficiary_id);

/* cej's flags of a session; no row reads as all false. */
struct session_flags {
	const char *structure_id; /* NULL: no row */
	bool visible, auto_registration;
	int64_t closed_at;        /* 0: not closed */
};
int sessions_store_flags(struct db *db, struct arena *a, const char *session_id,
			 struct session_flags *out);
/* Upserts the visibility flags of @session_id (owned by @structure_id). */
int sessions_store_set_visibility(struct db *db, int64_t now, const char *session_id,
				  const char *structure_id, bool visible, bool auto_registration);
/* Sets closed_at (upserting the row) unless already set. */
int sessions_store_close(struct db *db, int64_t now, const char *session_id,
			 const char *structure_id);
/* The sessions cej has a row for and has not closed, at most 500 (the closing job reads
 * their start from i-milo; @now is unused: the row holds no date). */
struct open_session {
	const char *id, *structure_id, *timezone;
};
int sessions_store_open_started(struct db *db, struct arena *a, int64_t now,
				struct open_session **out);

/* The i-milo code of structure @structure_id ("29019S00"). */
int sessions_store_structure_code(struct db *db, struct arena *a, const char *structure_id,
				  const char **out);

/* The counselor's i-milo login (their bearer until single sign-on); NULL when none. */
int sessions_store_counselor_login(struct db *db, struct arena *a, const char *counselor_id,
				   const char **out);

/* A beneficiary of the structure with a cej account (live row). */
struct session_candidate {
	const char *id, *first_name, *last_name, *dossier_id;
};
/* The candidates of @structure_id whose folded name contains every word of @q (NULL or
 * empty: all), by name, at most @limit. Count or err. */
int sessions_store_candidates(struct db *db, struct arena *a, const char *structure_id,
			      const char *q, int limit, struct session_candidate **out);
/* One candidate by beneficiary id, only if of @structure_id: -ERR_NOTFOUND otherwise. */
int sessions_store_candidate(struct db *db, struct arena *a, const char *structure_id,
			     const char *beneficiary_id, struct session_candidate *out);
/* The live beneficiary of dossier @dossier_id, or -ERR_NOTFOUND. */
int sessions_store_by_dossier(struct db *db, struct arena *a, const char *dossier_id,
			      struct session_candidate *out);

#endif
