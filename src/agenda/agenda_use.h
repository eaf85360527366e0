/* agenda_use.h — the use cases on events (agenda.md §2, §2.1): create, open with the
 * caller's rights, edit, delete, and the events' part of a beneficiary's end. Each page's
 * use case owns its transaction and says no with a struct refusal (base/err.h). */
#ifndef CEJ_AGENDA_USE_H
#define CEJ_AGENDA_USE_H

#include "agenda/agenda.h"
#include "auth/authz.h"
#include "jobs/jobs.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct agenda_mailer;
struct arena;
struct db;
struct refusal;
struct user;

/* The message of a RDV with no beneficiary (§2). */
#define AGENDA_NO_BENEFICIARY "Aucun bénéficiaire n’est renseigné. Veuillez sélectionner au " \
			      "moins un bénéficiaire."
#define AGENDA_NOT_IN_PORTFOLIO "Ce bénéficiaire n’est pas dans votre portefeuille."
/* An AC needs a creator with a structure; its registrants are of that structure (§2.1, §4). */
#define AGENDA_NO_STRUCTURE "Ajoutez votre Mission Locale à votre profil pour créer une " \
			    "animation collective."
#define AGENDA_NOT_IN_STRUCTURE "Ce bénéficiaire n’appartient pas à votre Mission Locale."

/* Stores event @e (its form's fields set, agenda_form_apply) created by counselor @u at
 * @now, with participants @ids (@n; repeated ids count once): a RDV needs at least one,
 * each in @u's portfolio (400 on field "beneficiaires"); an AC needs @u to have a
 * structure (400), takes 0..n registrants of it (400 on "beneficiaires") and no more than
 * e->max_participants when set (400 on "maximum", AGENDA_MAX_EXCEEDED). Sets e->id (in
 * @a), the creator, the structure and the instants; the presence is forced again for an
 * individual interview. The participants are told and the reminders planned
 * (agenda_notify.h). With e->invitation, mails the creator the invitation through @m
 * (agenda_invite.h; @m may be NULL otherwise). 0, a refusal's err, or -ERR_DB. */
int agenda_create(struct db *db, struct arena *a, const struct user *u, int64_t now,
		  struct event *e, const char *const *ids, int n, struct refusal *why,
		  const struct agenda_mailer *m);

/* Loads event @id (any string: from a path) for counselor @u and decides with
 * authz_event(): an event @u may not see does not exist (-ERR_NOTFOUND); @write and a
 * read-only access give -ERR_FORBIDDEN. *@level (may be NULL) gets the access. */
int agenda_open(struct db *db, struct arena *a, const struct user *u, const char *id,
		bool write, struct event *out, enum authz_level *level);

/* The participants of @e (agenda_store order). Count or a negative err. */
int agenda_participants(struct db *db, struct arena *a, const struct event *e,
			struct event_participant **out);

/* Rewrites @before (opened for writing) with @after's form fields by @u at @now; the
 * type stays. A RDV's participants become @ids (chosen in @u's portfolio, each checked)
 * plus those of @before that @u does not follow: they are not @u's to remove. An AC's
 * registrants become exactly @ids (any counselor of its structure manages them), each of
 * its structure, within after->max_participants — the rules and refusals of
 * agenda_create. Appends {now, @u} to the history. Added, removed and, when it moved, kept
 * participants are told; the reminders follow the start (agenda_notify.h). An event with
 * an invitation mails its creator through @m (agenda_invite.h). A closed AC (as stored
 * when the transaction starts) is refused with 409 (agenda_check_open). 0, a refusal's
 * err, or -ERR_DB. */
int agenda_edit(struct db *db, struct arena *a, const struct user *u, int64_t now,
		const struct event *before, struct event *after, const char *const *ids, int n,
		struct refusal *why, const struct agenda_mailer *m);

/* Deletes @e (opened for writing) at @now, its participants, its history and its
 * reminders; its participants are told (agenda_notify.h), and an event with an invitation
 * mails its creator the cancellation through @m. A closed AC is kept: 409
 * (agenda_check_open). 0, a refusal's err, or -ERR_DB. */
int agenda_delete(struct db *db, int64_t now, const struct event *e, struct refusal *why,
		  const struct agenda_mailer *m);

/* The @limit newest changes of @e and their *@total. Count or a negative err. */
int agenda_changes(struct db *db, struct arena *a, const struct event *e, int limit,
		   struct event_change **out, int *total);

/* The live beneficiaries of @counselor_id's portfolio (the form's picker). */
int agenda_portfolio(struct db *db, struct arena *a, const char *counselor_id,
		     struct agenda_person **out);

/* Every event of @beneficiary_id (RDV, and AC they are registered to): the coming ones
 * (ending at or after @now) soonest first, then the past ones latest first — the fiche's
 * tab (beneficiaries.md §6) — with their attendance. Count or a negative err. */
int agenda_of_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
			  int64_t now, struct event **out, int **present);
/* How many: the tab's "Rendez-vous (N)". */
int agenda_count_of_beneficiary(struct db *db, const char *beneficiary_id);

/* The pages of an event: the path then its id. */
#define AGENDA_RDV_PATH "/agenda/rendez-vous/"
#define AGENDA_AC_PATH "/agenda/animations-collectives/"

/* The feature's lines of the fiche's Agenda tab (core/feature.h week_items): the RDV and
 * AC of @rec starting in [@from, @to). */
struct record;
struct week_item;
int agenda_week_items(struct db *db, struct arena *a, const struct record *rec, int64_t from,
		      int64_t to, bool events_only, struct week_item **out);

/* The history is kept one year (§2.1): a daily job forgets older changes. */
#define AGENDA_HISTORY_KEEP_DAYS 365
/* Deletes the changes older than AGENDA_HISTORY_KEEP_DAYS at @now. Count or a negative err. */
int agenda_forget_old_changes(struct db *db, int64_t now);
/* agenda_history_purge, the J-7/J-1 reminders (agenda_notify.h) and agenda_close.h's
 * nightly closing of empty AC. */
#define AGENDA_JOB_KINDS 3
extern const struct job_kind agenda_job_kinds[AGENDA_JOB_KINDS];
/* Plans the daily jobs (core/feature.h plan_jobs). */
int agenda_jobs_plan(struct db *db, int64_t now);

/* The feature's part of a beneficiary's end (core/feature.h), inside the caller's
 * transaction: their participations go, and the RDV they were alone in with them. */
int agenda_purge_beneficiary(struct db *db, const char *beneficiary_id);
/* Adds "rendez_vous": the RDV they took part in. */
int agenda_archive_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
			       json_t *archive);

#endif
