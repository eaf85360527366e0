/* messaging_live.h — what the SSE hub says when a conversation changes (DESIGN §6).
 *
 * Events carry no content, only the beneficiary id of the conversation: the page that
 * listens fetches its own fragment again (htmx "sse:NAME" trigger), rendered for its
 * reader with the usual access checks.
 *
 * A use case that changes a conversation queues its event inside its write transaction
 * with the _on_commit functions: the event leaves once the change is committed, and a
 * rollback drops it (db_tx_on_commit). The immediate ones are for a caller whose change
 * is already committed. */
#ifndef CEJ_MESSAGING_LIVE_H
#define CEJ_MESSAGING_LIVE_H

#include <stdbool.h>

struct arena;
struct db;

/* A message was sent, edited or deleted in the conversation of @beneficiary_id, whose
 * counselor is @counselor_id: event "message" to both parties' streams. */
void messaging_live_changed(const char *beneficiary_id, const char *counselor_id);
/* The beneficiary (@by_beneficiary) or the counselor read the conversation: event "lu" to
 * the other party, whose "Envoyé" becomes "Lu". */
void messaging_live_read(const char *beneficiary_id, const char *counselor_id,
			 int by_beneficiary);

/* The same, queued on the commit of @db's open write transaction (at once outside one).
 * The ids must live as long as @a, where the queued event is kept: the request's or the
 * job's arena, which outlives its transaction. */
void messaging_live_changed_on_commit(struct db *db, struct arena *a, const char *beneficiary_id,
				      const char *counselor_id);
void messaging_live_read_on_commit(struct db *db, struct arena *a, const char *beneficiary_id,
				   const char *counselor_id, bool by_beneficiary);

#endif
