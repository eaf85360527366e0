/* record.h — the fiche bénéficiaire (beneficiaries.md §6–§8): what a counselor reads about
 * one beneficiary, and the rules that decide what the page offers. Pure rules here; the
 * lifecycle (resend, delete, archive, refresh) is in beneficiaries/. */
#ifndef CEJ_RECORD_H
#define CEJ_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/authz.h"

struct arena;
struct db;

struct record {
	const char *id, *first_name, *last_name, *email, *dispositif;
	const char *situation;            /* current; NULL: "Sans situation" */
	const char *situations_json;      /* sorted, see imilo.h */
	const char *cej_end_date;         /* YYYY-MM-DD or NULL */
	const char *imilo_dossier_id;
	const char *structure_id, *structure_name, *timezone;
	const char *counselor_id, *counselor_first_name, *counselor_last_name;
	int64_t created_at, activated_at, last_activity_at, last_resend_at;
	int64_t imilo_synced_at, imilo_sync_failed_at;   /* 0: never */
	bool to_archive;
};

struct record_history_row {
	const char *first_name, *last_name;
	int64_t started_at, ended_at;     /* ended_at 0: current */
};

/* Loads live beneficiary @id. 0, -ERR_NOTFOUND or -ERR_DB. Strings in @a. No access
 * check: a page that shows a beneficiary to a counselor uses record_open(). */
int record_load(struct db *db, struct arena *a, const char *id, struct record *out);

enum record_need { RECORD_READ, RECORD_WRITE };

/* The one place a counselor's page reaches a beneficiary (a security rule: DESIGN §8,
 * beneficiaries.md §2). Loads live beneficiary @id (any string: from a path) for counselor
 * @u and applies authz_beneficiary(): a beneficiary the caller may not see does not exist
 * for them (-ERR_NOTFOUND, as for a malformed or unknown id); a colleague who may only
 * read gets -ERR_FORBIDDEN when @need is RECORD_WRITE (acceptance 10); a read outside the
 * portfolio (@need RECORD_READ, level AUTHZ_READ) writes its audit row. *@level (may be
 * NULL) receives the caller's access. 0, -ERR_NOTFOUND, -ERR_FORBIDDEN or -ERR_DB. */
struct user;
int record_open(struct db *db, struct arena *a, const struct user *u, const char *id,
		enum record_need need, int64_t now, struct record *out, enum authz_level *level);
/* The historique des conseillers, newest first (arena array). Count or -ERR_DB. */
int record_history(struct db *db, struct arena *a, const char *id, struct record_history_row **out);
/* Writes an audit row: counselor @counselor_id read the fiche of @id outside their
 * portfolio (DESIGN §8). */
int record_audit_read(struct db *db, const char *counselor_id, const char *id, int64_t now);

#define RECORD_RESEND_DELAY_MS (24 * 3600 * 1000LL)

/* May the activation e-mail be sent again at @now? Only while the account is not
 * activated, at most once per 24 h after the last resend (the creation mail does not
 * count). Pure. */
bool record_resend_allowed(const struct record *r, int64_t now);
/* True when i-milo could not be read the last time we tried: the page shows the last
 * known values and says so. Pure. */
bool record_imilo_stale(const struct record *r);

/* "En cours", "Prévue", "Terminée" for an i-milo état; NULL when unknown. Pure. */
const char *record_situation_state_label(const char *etat);

/* The Monday (civil day) of the week chosen by "?debut=YYYY-MM-DD" (any day of it), or of
 * the current week in @tz when absent or invalid (beneficiaries.md §6 period selector).
 * Pure. */
int64_t record_week_start(const char *debut, int64_t now, const char *tz);

/* The fiche's Agenda tab merges the lines of every feature (core/feature.h week_item). */
struct week_item;
/* Sorts @items by instant; lines of the same instant by page, so that the order is the same
 * on every load. Pure. */
void record_week_sort(struct week_item *items, int n);
/* How many of @items are events ("Les événements — Cette semaine", §7). Pure. */
int record_week_events(const struct week_item *items, int n);

#endif
