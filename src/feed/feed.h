/* feed.h — the i-milo event feed (imilo.md §4): a job polls E1 every IMILO_FEED_INTERVAL,
 * stores each event as the job imilo-event:{identifiant} and only then acks it (E2); each
 * event's job applies it: RDV to the agenda (agenda_imilo.h), SESSION to the registrations
 * (sessions_registration.h), DOSSIER to the account (the beneficiaries' i-milo refresh).
 *
 * Exactly once per event, although i-milo delivers at least once: the table
 * imilo_feed_event (migration 0033) remembers every identifiant received, in the
 * transaction that plans its job, so an event delivered again — its ack was lost, the
 * process died between storing and acking (scenario 9) — is acked again but neither
 * planned nor applied a second time. A job marks its event done in the transaction of its
 * effects. 3 attempts 5 minutes apart (then 10), then the job is dead: its row stays in
 * the queue, listed on /support/flux-imilo.
 *
 * This header: the pure rules, unit-tested. */
#ifndef CEJ_FEED_H
#define CEJ_FEED_H

#include "imilo/imilo_sessions.h"

#include <stdbool.h>

#define FEED_POLL_KIND "imilo-feed"
#define FEED_POLL_KEY "imilo:feed"
#define FEED_EVENT_KIND "imilo-event"
#define FEED_EVENT_KEY_PREFIX "imilo-event:"
#define FEED_PURGE_KIND "imilo-feed-purge"
#define FEED_BATCH_MAX 100            /* E1 gives at most this many: more may wait */
#define FEED_ATTEMPTS 3
#define FEED_BACKOFF_MS (5 * 60 * 1000LL)
#define FEED_KEEP_DAYS 30             /* finished events are remembered this long */

/* §4: the SESSION events of one batch are deduplicated per (idDossier, action, idType),
 * keeping the latest. E1 lists the oldest first, so the latest is the last one listed.
 * Sets @dup[i] for each event of @ev (@n) that a later one makes redundant; other types
 * are never duplicates. Returns the number of duplicates. Pure. */
int feed_dedupe(const struct imilo_event *ev, int n, bool *dup);

/* What the job of an event does. */
enum feed_handling {
	FEED_IGNORE,          /* unknown type or action: done without effect */
	FEED_RDV_READ,        /* RDV CREATE/UPDATE: read E3, then upsert or delete */
	FEED_RDV_DELETE,      /* RDV DELETE */
	FEED_SESSION_READ,    /* SESSION CREATE/UPDATE: read E4 */
	FEED_SESSION_DELETE,  /* SESSION DELETE */
	FEED_DOSSIER_REFRESH, /* DOSSIER UPDATE: re-read D1 */
};
/* The handling of an event of @type and @action (NULL-safe). Pure. */
enum feed_handling feed_handling(const char *type, const char *action);

/* The job's payload for @e (JSON text, g_free) and back (strings in @a); -1 when the
 * payload is not one. @beneficiary_id (NULL: none) is the account of the dossier when the
 * event came: it names the job for that account's purge (jobs_purge_beneficiary). */
char *feed_payload(const struct imilo_event *e, const char *beneficiary_id);
struct arena;
int feed_payload_parse(struct arena *a, const char *payload, struct imilo_event *out);

#endif
