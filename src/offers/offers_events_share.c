/* offers_events_share.c — an event of Mes Événements Emploi shared with the counselor
 * (offers_events.h): the message and the indicator's event in one transaction, so that
 * "Les événements" on the fiche never counts a share that did not reach the conversation,
 * nor misses one that did. */
#include "offers/offers_events.h"

#include "db/db.h"
#include "messaging/messaging.h"
#include "messaging/messaging_use.h"
#include "offers/offers.h"

int
offers_job_event_share(struct db *db, const struct msg_keyring *keys, struct arena *a,
		       const char *beneficiary_id, const struct job_event *e, const char *url,
		       int64_t now, struct refusal *why)
{
	const struct msg_share share = {
		.kind = MSG_JOB_EVENT_SHARE, .id = e->id, .title = e->title,
		.starts_at = e->starts_at, .url = url,
	};
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = messaging_beneficiary_share_in(db, keys, a, now, beneficiary_id, &share, NULL, why);
	if (!rc)
		rc = offers_event_record(db, beneficiary_id, OFFER_EVENT_JOB_EVENT_SHARED, e->id, now);
	return db_tx_end(db, rc);
}
