/* hub.h — in-process publish/subscribe of live events, behind the SSE streams (DESIGN §6).
 *
 * A topic names who listens: "counselor:{user id}", "beneficiary:{user id}". A subscriber is
 * one open stream (one tab). hub_publish() frames the event once, in Server-Sent Events
 * syntax, and queues it on every stream of the topic; the stream's reader drains its queue
 * with hub_read() and, when the queue is empty, asks the HTTP layer to suspend the
 * connection (ops->suspend); the hub wakes it again (ops->resume) when there is something
 * to send: an event, the heartbeat, or the end of the stream.
 *
 * What a stream receives, in order:
 *   "retry: 3000\n\n"                 first, so that browsers reconnect after 3 s;
 *   "event: NAME\ndata: LINE\n…\n"    one per hub_publish() (one "data:" line per line);
 *   ": ping\n\n"                      once per heartbeat period, unless an event goes out
 *                                     first (keeps proxies and NATs open, and finds clients
 *                                     that left: a suspended connection notices nothing until
 *                                     written to). The streams are pinged a slice at a time
 *                                     (up to 16 slices per period), not all at once;
 *   "event: reset\ndata: \n\n"        instead of the events it could not keep (the queue was
 *                                     full): the page reloads itself;
 *   "event: fin\ndata: …\n\n"         before it is closed because the same topic opened one
 *                                     stream too many (the page should not reconnect:
 *                                     sse-close="fin").
 *
 * Thread safety: every function may be called from any thread. One mutex guards the hub;
 * ops->suspend and ops->resume are called with it held and must not call back into the hub
 * (MHD_suspend_connection / MHD_resume_connection only take libmicrohttpd's own lock).
 * The hub is process-wide: hub_publish() needs no handle, so that use cases and job
 * handlers publish after their commit without knowing about HTTP. */
#ifndef CEJ_HUB_H
#define CEJ_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hub_sub;

/* The topics of cej's two streams (GET /evenements, GET /app/evenements-direct), for
 * printf with the user's id: hub_publish(g_strdup_printf(HUB_TOPIC_COUNSELOR, id), …). */
#define HUB_TOPIC_COUNSELOR "counselor:%s"
#define HUB_TOPIC_BENEFICIARY "beneficiary:%s"

struct hub_options {
	int heartbeat_ms;        /* ": ping" to each stream this often; 25000 */
	int max_streams;         /* beyond: hub_subscribe() refuses; 2000 */
	int max_per_topic;       /* beyond: the topic's oldest stream ends ("fin"); 5 */
	int queue_max;           /* events waiting per stream; beyond: "reset"; 64 */
};

/* How the hub stops and restarts a stream's reader. @ud is hub_subscribe()'s. */
struct hub_sub_ops {
	/* Nothing left to send: called from hub_read(), on the reader's thread. */
	void (*suspend)(void *ud);
	/* Something to send for a suspended stream: called from any thread. */
	void (*resume)(void *ud);
};

/* Accepts subscribers and starts the heartbeat thread. Zero fields take the defaults
 * above. Called once before streams open (again after hub_stop() in tests). */
void hub_start(const struct hub_options *o);

/* Refuses new subscribers, ends every stream (each is woken, drains what it has queued,
 * then hub_read() answers -1), stops the heartbeat, and waits up to @wait_ms for the
 * streams to be unsubscribed. Returns how many are still subscribed (0: all gone). Every
 * stream must be unsubscribed by its owner all the same; no-op when not started. */
int hub_stop(int wait_ms);

/* Queues event @event (a name: letters, digits, '-', '_') with @data (text, may hold
 * newlines; NULL: empty) on every stream of @topic. Cheap when nobody listens: a lookup
 * under the lock. Call it after the change is committed, never inside a transaction.
 * Returns how many streams got it. */
int hub_publish(const char *topic, const char *event, const char *data);

/* Several nodes (DESIGN §6): @fn is given every event published on this node, after its
 * local delivery, to carry it to the other nodes (serve sends it with PostgreSQL's
 * NOTIFY); an event that comes from another node is handed to hub_deliver(), which
 * delivers it here only and never relays it again. @fn is called outside the hub's lock,
 * on the publishing thread, and must be quick (no wait on the network beyond one short
 * round trip). NULL: no relay (one node, SQLite). Set before the server starts. */
typedef void (*hub_relay_fn)(const char *topic, const char *event, const char *data);
void hub_set_relay(hub_relay_fn fn);
/* hub_publish() without the relay: for events received from another node. */
int hub_deliver(const char *topic, const char *event, const char *data);

/* Tells every open stream to reload (the "reset" event), as when its queue overflowed:
 * for events that may have been missed (the relay's connection to the other nodes was
 * lost for a while). */
void hub_reset_all(void);

/* A new stream on @topic; @ops and @ud must stay valid until hub_unsubscribe(). Returns
 * NULL when the hub is not started, stopping, or at max_streams. When the topic already
 * has max_per_topic streams, its oldest one gets "fin" and ends. The subscriber starts
 * with "retry: 3000" to send. */
struct hub_sub *hub_subscribe(const char *topic, const struct hub_sub_ops *ops, void *ud);

/* Copies at most @max bytes of what @s has to send into @buf. Returns the count (> 0);
 * 0 when there is nothing: ops->suspend was called, and ops->resume will be once there
 * is; or -1 when the stream has ended (closed and drained). An event may be split across
 * calls: the next call goes on where this one stopped. */
ssize_t hub_read(struct hub_sub *s, char *buf, size_t max);

/* Forgets @s and frees it (the stream is gone). NULL ok. */
void hub_unsubscribe(struct hub_sub *s);

/* Streams subscribed now (ended but not yet unsubscribed ones included). */
int hub_count(void);
/* The most streams hub_subscribe() accepts (max_streams); 0 when the hub is not started. */
int hub_capacity(void);

#endif
