/* messaging_live.h — what the SSE hub says when a conversation changes (DESIGN §6).
 *
 * Events carry no content, only the beneficiary id of the conversation: the page that
 * listens fetches its own fragment again (htmx "sse:NAME" trigger), rendered for its
 * reader with the usual access checks. Call after the commit. */
#ifndef CEJ_MESSAGING_LIVE_H
#define CEJ_MESSAGING_LIVE_H

/* A message was sent, edited or deleted in the conversation of @beneficiary_id, whose
 * counselor is @counselor_id: event "message" to both parties' streams. */
void messaging_live_changed(const char *beneficiary_id, const char *counselor_id);
/* The beneficiary (@by_beneficiary) or the counselor read the conversation: event "lu" to
 * the other party, whose "Envoyé" becomes "Lu". */
void messaging_live_read(const char *beneficiary_id, const char *counselor_id,
			 int by_beneficiary);

#endif
