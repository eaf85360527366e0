/* sessions_use.h — the use cases of the session page (agenda.md §5): read a session for a
 * counselor, save its visibility, save the staged registration changes, close it; and the
 * daily closing of §5.5 rule 4. Each one calls i-milo first and only then opens the short
 * transaction that records what i-milo accepted: a slow i-milo never holds the write lock.
 * Private to the feature. */
#ifndef CEJ_SESSIONS_USE_H
#define CEJ_SESSIONS_USE_H

#include "imilo/imilo_sessions.h"
#include "sessions/sessions.h"
#include "sessions/sessions_store.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct user;

/* What the page shows: i-milo's session and registrants, cej's flags. */
struct session_view {
	const char *id;
	bool imilo_ok;                /* false: i-milo could not be read (down, no login) */
	struct imilo_session s;       /* when imilo_ok */
	struct imilo_instance *regs;  /* S4, when imilo_ok */
	int n_regs;
	struct session_flags flags;
	enum session_status status;
	bool open;                    /* registrations still possible */
};

/* Reads session @id for counselor @u with their i-milo login. -ERR_NOTFOUND when the id is
 * malformed, unknown to i-milo, of another structure (i-milo's HORS_STRUCTURE: 404, as for
 * any object out of reach), or known to cej for another structure; 0 otherwise, with
 * imilo_ok false when i-milo could not answer (the page shows cej's part). */
int sessions_view(struct imilo_client *c, struct db *db, struct arena *a, const struct user *u,
		  const char *id, int64_t now, struct session_view *out);

/* Visibility (local only: saved even when i-milo is down). @auto_registration forces it. */
int sessions_set_visibility(struct db *db, const struct user *u, int64_t now,
			    const struct session_view *v, bool visible, bool auto_registration);

/* A change staged on the page, tied to its row. */
struct staged {
	struct stage_change change;
	const struct imilo_instance *reg;   /* the registrant changed; NULL for a creation */
	const struct session_candidate *who; /* the beneficiary added; NULL otherwise */
};

enum save_outcome {
	SAVE_DONE,        /* every write accepted */
	SAVE_NONE_DOWN,   /* i-milo did not answer before any write: nothing recorded */
	SAVE_NONE_PLACES, /* i-milo refused the first write for want of places */
	SAVE_PARTIAL,     /* stopped at a failed write (maybe the first): what went is applied */
};

/* Sends @changes to i-milo in the order of sessions_write_order(), ≥ 50 ms apart, stopping
 * at the first failure; after each accepted write, applies it locally
 * (sessions_registration_apply/delete, its own transaction). The caller checked them
 * (sessions_stage_check) on a fresh read @v. 0 with *@out set, or a negative err (db). */
int sessions_save(struct imilo_client *c, struct db *db, struct arena *a, const struct user *u,
		  int64_t now, const struct session_view *v, const struct staged *changes, int n,
		  enum save_outcome *out);

/* Closes @v (§5.4): for each registrant, the statut of sessions_close_statut() given
 * whether its instance id is in @present (@n_present), sent to i-milo (ACHIEVED with the
 * session's day as dateDebutReelle, REFUSAL_YOUNG "Absence"), stopping at the first
 * failure; then closed_at. @registered (@n_registered): the Inscrit rows the form showed,
 * which must be exactly the current ones (else -ERR_INVAL). *@out as sessions_save. */
int sessions_close(struct imilo_client *c, struct db *db, struct arena *a, const struct user *u,
		   int64_t now, const struct session_view *v, const char *const *registered,
		   int n_registered, const char *const *present, int n_present,
		   enum save_outcome *out);

/* The daily job: sets closed_at on the sessions cej has a row for whose start is past and
 * which have no ONGOING registrant left (§5.5 rule 4), read with operator auth. */
int sessions_auto_close(struct imilo_client *c, struct db *db, struct arena *a, int64_t now);

#endif
