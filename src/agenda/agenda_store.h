/* agenda_store.h — the SQL of events, their participants and their history (migration
 * 0024). Private to agenda/: other features call agenda_use.h. Writes run inside the
 * caller's transaction; strings read are in the given arena. */
#ifndef CEJ_AGENDA_STORE_H
#define CEJ_AGENDA_STORE_H

#include "agenda/agenda.h"

#include <stdint.h>

struct arena;
struct db;
struct db_stmt;

/* The columns of an event ("event e") that agenda_store_read_event reads, first in a
 * SELECT; AGENDA_EVENT_NCOLS of them, so a query may read more after. */
#define AGENDA_EVENT_COLS                                                                   \
	"e.id, e.type, e.precision, e.title, e.description, e.modality, e.starts_at, "       \
	"e.duration_min, e.address, e.organism, e.presence, e.creator_id, "                   \
	"e.creator_first_name, e.creator_last_name, e.structure_id, COALESCE(e.closed_at, 0), " \
	"e.created_at, e.updated_at, COALESCE(e.max_participants, 0) "
#define AGENDA_EVENT_NCOLS 19
/* Reads the row of @st (AGENDA_EVENT_COLS first) into @e, strings in @a. */
void agenda_store_read_event(struct db_stmt *st, struct arena *a, struct event *e);

int agenda_store_insert(struct db *db, const struct event *e);
/* Rewrites what the form edits (not the type, not the creator). */
int agenda_store_update(struct db *db, const struct event *e);
/* The event, its participants and its history. */
int agenda_store_delete(struct db *db, const char *id);
/* 0, -ERR_NOTFOUND or -ERR_DB. */
int agenda_store_load(struct db *db, struct arena *a, const char *id, struct event *out);

/* Makes the participants of @event_id exactly @ids (@n of them), keeping the rows of those
 * already there. 0 or a negative err. */
int agenda_store_set_participants(struct db *db, const char *event_id, const char *const *ids,
				  int n, int64_t now);
/* Live participants of @event_id by name. Count or a negative err. */
int agenda_store_participants(struct db *db, struct arena *a, const char *event_id,
			      struct event_participant **out);

int agenda_store_add_change(struct db *db, const char *event_id, int64_t at,
			    const char *author_id, const char *first_name, const char *last_name);
/* Deletes the changes made before @before (the yearly retention). Count or a negative err. */
int agenda_store_forget_changes(struct db *db, int64_t before);
/* The @limit newest changes of @event_id (newest first) and *@total of them. Count or a
 * negative err. */
int agenda_store_changes(struct db *db, struct arena *a, const char *event_id, int limit,
			 struct event_change **out, int *total);

/* The live beneficiaries of @counselor_id's portfolio, by name. Count or a negative err. */
int agenda_store_portfolio(struct db *db, struct arena *a, const char *counselor_id,
			   struct agenda_person **out);
/* 1 when live beneficiary @beneficiary_id is in @counselor_id's portfolio, 0 when not, or a
 * negative err. */
int agenda_store_in_portfolio(struct db *db, const char *counselor_id, const char *beneficiary_id);
/* 1 when @counselor_id is the referent of a live participant of @event_id, 0 when not, or
 * a negative err. */
int agenda_store_follows(struct db *db, const char *counselor_id, const char *event_id);

/* Every event (RDV, and AC they are registered to) of @beneficiary_id: those ending at or
 * after @now first, soonest first, then the past ones, latest first (the fiche's tab),
 * with the beneficiary's attendance in *@present (arena array, -1 unknown). Count or a
 * negative err. */
int agenda_store_of_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
				int64_t now, struct event **out, int **present);
/* How many of them. Count or a negative err. */
int agenda_store_count_of_beneficiary(struct db *db, const char *beneficiary_id);

/* The events (RDV and AC) of @beneficiary_id starting in [@from, @to), soonest first (the
 * fiche's Agenda tab). Count or a negative err. */
int agenda_store_week_of_beneficiary(struct db *db, struct arena *a, const char *beneficiary_id,
				     int64_t from, int64_t to, struct event **out);

/* The RDV whose only participant is @beneficiary_id: they end with the account. Count or
 * a negative err; ids in @a. */
int agenda_store_alone_with(struct db *db, struct arena *a, const char *beneficiary_id,
			    const char ***ids);
/* Every row of @beneficiary_id's participations. */
int agenda_store_forget_participant(struct db *db, const char *beneficiary_id);

/* ---- Animations collectives ---- */

/* Live beneficiary @id of structure @structure_id into @out (strings in @a). 0,
 * -ERR_NOTFOUND (unknown, gone or of another structure) or -ERR_DB. */
int agenda_store_person(struct db *db, struct arena *a, const char *structure_id, const char *id,
			struct agenda_person *out);
/* The first @limit live beneficiaries of @structure_id whose folded name contains every
 * one of @tokens (folded; none: all), by name. Count or a negative err. */
int agenda_store_structure_search(struct db *db, struct arena *a, const char *structure_id,
				  const char *const *tokens, int n_tokens, int limit,
				  struct agenda_person **out);
/* The first @limit open AC of @structure_id starting after @now, soonest first, with
 * their live registrants' count and whether @beneficiary_id is one. Count or a negative
 * err. */
int agenda_store_upcoming_ac(struct db *db, struct arena *a, const char *structure_id,
			     int64_t now, const char *beneficiary_id, int limit,
			     struct agenda_ac_row **out);

#endif
