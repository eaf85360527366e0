/* live_relay.h — live events across the nodes of one PostgreSQL database (DESIGN §6).
 *
 * With several cej nodes behind a load balancer, a young person's stream may be held by
 * node B while the counselor's message is sent through node A. The relay gives every
 * event published on this node's hub to PostgreSQL's NOTIFY on channel "cej_live"
 * (db/channel.h), and a thread hands what the other nodes sent to this node's hub
 * (hub_deliver: delivered here, not relayed again). Events carry ids only (which
 * conversation changed), so a payload is small; the page fetches the content.
 *
 * Off with SQLite (one machine, one process: the hub alone suffices). When the listening
 * connection was lost and reopened, events may have been missed: every local stream is
 * then told to reload (hub_reset_all). */
#ifndef CEJ_LIVE_RELAY_H
#define CEJ_LIVE_RELAY_H

#include <stdbool.h>

/* Starts relaying when @database_url is a PostgreSQL URL; a no-op returning true with
 * SQLite. False when the channel cannot be opened (logged). */
bool live_relay_start(const char *database_url);
/* Stops the thread and closes the channel; safe when not started. */
void live_relay_stop(void);

/* The payload of one event, "topic\nevent\ndata" (data last: it may hold newlines), and
 * its parse; exposed for tests. Parse: false when malformed. */
char *live_relay_encode(const char *topic, const char *event, const char *data);
bool live_relay_decode(char *payload, const char **topic, const char **event,
		       const char **data);

#endif
