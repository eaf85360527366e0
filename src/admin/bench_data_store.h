/* bench_data_store.h — the national data set's bulk writes (`cej bench-data --national`).
 *
 * Rows are buffered per table and written as multi-row INSERT … VALUES (…), (…) statements
 * of BENCH_BULK_ROWS rows (the tail in power-of-two pieces, so that a handful of distinct
 * statements stay in the connection's cache): one statement per few hundred rows instead of
 * one per row, which matters most on PostgreSQL where each statement is a round trip.
 * Only portable SQL and db.h calls.
 *
 * Invariants kept although the stores' insert functions are bypassed: every summary column
 * (portfolio_size, open_actions, action_count, to_qualify, msg_last_incoming_at,
 * msg_unread, the name-search grams, action.counselor_id) is maintained by the schema's
 * triggers, which fire on these inserts as on any other. What no trigger keeps is written
 * here explicitly: the conversation's last-message columns and its encrypted preview
 * (given by the caller in the conversation row), action.counselor_id (given too), an
 * event's ends_at (starts_at + duration, as agenda_ends_at) and a participant's starts_at
 * (the event's: the trigger of 0030 writes the same value again). participant_count is
 * the trigger's.
 *
 * Referential order: a flush writes every table in parent-before-child order (structure,
 * counselor, beneficiary, conversation, message, action, event, participant), whichever
 * buffer filled up, so foreign keys and the triggers that read the parent row always find
 * it. Rows appended since the last flush are not visible to queries: call
 * bench_store_flush() first. */
#ifndef CEJ_ADMIN_BENCH_DATA_STORE_H
#define CEJ_ADMIN_BENCH_DATA_STORE_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct bench_store;

#define BENCH_BULK_ROWS 256

struct bench_store *bench_store_new(struct db *db);
/* Frees the buffers; rows not flushed are dropped. NULL is fine. */
void bench_store_free(struct bench_store *s);
/* Writes every buffered row, parents first. 0 or the first statement's error. */
int bench_store_flush(struct bench_store *s);
/* Rows written so far (flushed), all tables together. */
int64_t bench_store_written(const struct bench_store *s);

/* Each appends one row (strings are copied) and may flush; 0 or a flush's error. Instants
 * in ms; 0 stands for NULL where the column allows it. */
int bench_store_structure(struct bench_store *s, const char *id, const char *code,
			  const char *name, const char *tz, int64_t created_at);
int bench_store_counselor(struct bench_store *s, const char *id, const char *structure_id,
			  const char *email, const char *first, const char *last,
			  const char *password_hash, int supervisor, int64_t created_at);

struct bench_beneficiary {
	const char *id, *structure_id, *counselor_id, *first_name, *last_name, *folded;
	const char *email, *dossier_id, *dispositif, *situation;  /* situation NULL: none */
	int64_t created_at, activated_at, last_activity_at;       /* 0: NULL */
};
int bench_store_beneficiary(struct bench_store *s, const struct bench_beneficiary *b);

struct bench_action {
	const char *id, *beneficiary_id, *counselor_id;   /* counselor: the beneficiary's */
	int by_counselor;
	const char *creator_id, *creator_first_name, *creator_last_name;
	const char *title, *description, *category, *status;      /* status: the wire word */
	int64_t due_at, completed_at, created_at, updated_at;      /* completed_at 0: NULL */
	/* Qualification; q_code NULL when not qualified (then the others are ignored). */
	const char *q_code, *q_start, *q_end, *qualified_by;
	int q_hours;
	int64_t qualified_at;
};
int bench_store_action(struct bench_store *s, const struct bench_action *a);

struct bench_sealed {   /* an encrypted value as messaging stores it */
	const unsigned char *blob;
	size_t len;
	const char *key_id;
};
struct bench_conversation {
	const char *id, *beneficiary_id;
	int64_t created_at;
	const char *last_message_id, *last_sender;   /* NULL: no message */
	int64_t last_message_at;
	struct bench_sealed preview;
	int64_t counselor_last_read_at, beneficiary_last_read_at;
};
int bench_store_conversation(struct bench_store *s, const struct bench_conversation *c);

struct bench_message {
	const char *id, *conversation_id, *sender_type, *sender_counselor_id;  /* counselor: NULL
										  * unless sender */
	struct bench_sealed content;
	int64_t created_at;
};
int bench_store_message(struct bench_store *s, const struct bench_message *m);

/* An event as agenda_store_insert writes it (description, address, organism "", the
 * counselor present), closed when @closed_at (an AC only; updated_at is then the same, as
 * agenda_close_store_close sets). Codes are the stored words (agenda_types, modalities). */
struct bench_event {
	const char *id, *type, *title, *modality;   /* title NULL for a RDV */
	int collective;
	int64_t starts_at;
	int duration_min, max_participants;         /* 0: no maximum */
	const char *creator_id, *creator_first_name, *creator_last_name, *structure_id;
	int64_t created_at, closed_at;              /* closed_at 0: open */
};
int bench_store_event(struct bench_store *s, const struct bench_event *e);
int bench_store_participant(struct bench_store *s, const char *event_id,
			    const char *beneficiary_id, int64_t added_at, int64_t starts_at);

/* Rows of each table the national set fills, in the order of bench_store_tables. */
#define BENCH_TABLE_COUNT 10
extern const char *const bench_store_tables[BENCH_TABLE_COUNT];
/* count(*) of bench_store_tables[@i], or a negative error. */
int64_t bench_store_count(struct db *db, int i);

#endif
