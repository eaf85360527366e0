/* hub.c — one mutex, a table of topics, and per stream a bounded queue of framed events.
 *
 * An event is framed once per hub_publish() into a GBytes shared (by reference) by every
 * queue it lands in. The small fixed frames (retry, ping, reset) are flags on the stream,
 * not queue entries, so that the heartbeat and the overflow never allocate. */
#include "http/hub.h"

#include "base/log.h"
#include "base/ticker.h"

#include <glib.h>
#include <string.h>

#define QUEUE_MAX_BYTES (256u << 10)  /* per stream, next to queue_max events */
#define EVENT_NAME_MAX 64
/* The heartbeat pings the streams a slice at a time: with 10,000 streams, pinging all at
 * once held the lock for 20–35 ms and had the HTTP threads write 10,000 pings in one go,
 * delaying the events published meanwhile by up to 135 ms on a quiet machine (bench/sse.sh).
 * A slice per round, at most 16 rounds per heartbeat and at least 5 ms between rounds.
 * Not more: every resume costs libmicrohttpd 0.9.75 a walk of its suspended connections,
 * so 64 rounds cost a third more CPU for no better latency. */
#define HEARTBEAT_SLICES 16
#define HEARTBEAT_ROUND_MIN_MS 5

static const char retry_frame[] = "retry: 3000\n\n";
static const char ping_frame[] = ": ping\n\n";
static const char reset_frame[] = "event: reset\ndata: \n\n";

struct topic {
	char *name;              /* the table's key */
	GQueue subs;             /* struct hub_sub via topic_link, oldest first */
};

struct hub_sub {
	struct topic *topic;     /* NULL once closing: it gets no more events */
	GList topic_link, slot_link;
	const struct hub_sub_ops *ops;
	void *ud;
	GQueue events;           /* GBytes *, oldest first */
	size_t queued_bytes;
	struct {                 /* the frame being sent; p == NULL: none */
		GBytes *owner;   /* NULL for the static frames */
		const char *p;
		size_t len, off;
	} cur;
	unsigned slot;           /* the heartbeat rounds (modulo hub.slices) that ping it */
	bool retry_due, reset_due, ping_due;
	bool suspended;          /* ops->suspend was called, ops->resume not yet */
	bool closing;            /* ends once drained */
};

static struct {
	GMutex lock;             /* guards everything below (static: no init needed) */
	GCond gone;              /* signalled when a stream is unsubscribed */
	bool started;            /* accepting subscribers */
	struct hub_options o;
	GHashTable *topics;      /* name -> struct topic; NULL when not started */
	GQueue slots[HEARTBEAT_SLICES]; /* every subscribed stream, in its slot's, via slot_link */
	int count;
	struct ticker *heartbeat;
	bool beat_armed;         /* the ticker's first round (at start) only arms it */
	unsigned slices;         /* heartbeat rounds per heartbeat period */
	unsigned round;          /* heartbeat rounds so far */
	unsigned next_slot;      /* slots go round-robin, so that slices stay even */
} hub;

/* Must be called with hub.lock held (so must everything static below). */
static void
wake(struct hub_sub *s)
{
	if (s->suspended) {
		s->suspended = false;
		s->ops->resume(s->ud);
	}
}

static void
drop_queue(struct hub_sub *s)
{
	GBytes *b;
	while ((b = g_queue_pop_head(&s->events)))
		g_bytes_unref(b);
	s->queued_bytes = 0;
}

static void
push(struct hub_sub *s, GBytes *frame)
{
	g_queue_push_tail(&s->events, g_bytes_ref(frame));
	s->queued_bytes += g_bytes_get_size(frame);
}

/* Queues @frame on @s, or — when its queue is full — replaces the whole queue with a
 * reset: the events already lost make the page stale, so the rest is worth nothing
 * either. Until the reset is sent, further events are dropped. True when queued. */
static bool
enqueue(struct hub_sub *s, GBytes *frame)
{
	bool queued = false;
	if (s->reset_due)
		return false;
	if (g_queue_get_length(&s->events) >= (guint)hub.o.queue_max ||
	    s->queued_bytes + g_bytes_get_size(frame) > QUEUE_MAX_BYTES) {
		drop_queue(s);
		s->reset_due = true;
	} else {
		push(s, frame);
		queued = true;
	}
	wake(s);
	return queued;
}

static void
topic_free(gpointer p)
{
	struct topic *t = p;
	g_free(t->name);
	g_free(t);
}

static void
leave_topic(struct hub_sub *s)
{
	struct topic *t = s->topic;
	if (!t)
		return;
	g_queue_unlink(&t->subs, &s->topic_link);
	s->topic = NULL;
	if (g_queue_is_empty(&t->subs))
		g_hash_table_remove(hub.topics, t->name);
}

/* Ends @s once it has sent what it has, plus @last when not NULL. */
static void
close_sub(struct hub_sub *s, GBytes *last)
{
	if (s->closing)
		return;
	leave_topic(s);
	s->closing = true;
	if (last)
		push(s, last);
	wake(s);
}

/* "event: NAME\n", one "data: " line per line of @data (CRLF, CR and LF all end a line,
 * as for the browser), then the blank line that dispatches the event. */
static GBytes *
frame(const char *event, const char *data)
{
	GString *f = g_string_sized_new(strlen(event) + strlen(data) + 32);
	const char *p = data;

	g_string_append_printf(f, "event: %s\n", event);
	for (;;) {
		size_t k = strcspn(p, "\r\n");
		g_string_append(f, "data: ");
		g_string_append_len(f, p, (gssize)k);
		g_string_append_c(f, '\n');
		p += k;
		if (!*p)
			break;
		p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
	}
	g_string_append_c(f, '\n');
	return g_string_free_to_bytes(f);
}

static bool
valid_event(const char *e)
{
	size_t n = e ? strlen(e) : 0;
	if (n == 0 || n > EVENT_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(e[i]) && !strchr("-_.:", e[i]))
			return false;
	return true;
}

/* One round: the streams of this round's slot get a ping, so that each stream gets one
 * every heartbeat_ms. */
static gint64
heartbeat(struct ticker *t, void *ud)
{
	(void)t;
	(void)ud;
	g_mutex_lock(&hub.lock);
	unsigned slot = hub.round++ % hub.slices;
	for (GList *l = hub.beat_armed ? hub.slots[slot].head : NULL; l; l = l->next) {
		struct hub_sub *s = l->data;
		if (!s->closing) {
			s->ping_due = true;
			wake(s);
		}
	}
	gint64 delay = (gint64)hub.o.heartbeat_ms * 1000 / hub.slices;
	hub.beat_armed = true;
	g_mutex_unlock(&hub.lock);
	return delay;
}

void
hub_start(const struct hub_options *o)
{
	g_mutex_lock(&hub.lock);
	g_assert(!hub.started && !hub.heartbeat);
	hub.o = *o;
	if (hub.o.heartbeat_ms <= 0)
		hub.o.heartbeat_ms = 25000;
	if (hub.o.max_streams <= 0)
		hub.o.max_streams = 2000;
	if (hub.o.max_per_topic <= 0)
		hub.o.max_per_topic = 5;
	if (hub.o.queue_max <= 0)
		hub.o.queue_max = 64;
	hub.topics = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, topic_free);
	hub.started = true;
	hub.beat_armed = false;
	hub.slices = (unsigned)CLAMP(hub.o.heartbeat_ms / HEARTBEAT_ROUND_MIN_MS, 1, HEARTBEAT_SLICES);
	hub.round = 0;
	hub.next_slot = 0;
	g_mutex_unlock(&hub.lock);
	/* Outside the lock: the first round runs at once and takes it. */
	struct ticker *t = ticker_start("cej-sse", heartbeat, NULL);
	g_mutex_lock(&hub.lock);
	hub.heartbeat = t;
	g_mutex_unlock(&hub.lock);
}

int
hub_stop(int wait_ms)
{
	struct ticker *t;
	int left;

	g_mutex_lock(&hub.lock);
	if (hub.started) {
		hub.started = false;
		for (unsigned i = 0; i < HEARTBEAT_SLICES; i++)
			for (GList *l = hub.slots[i].head; l; l = l->next)
				close_sub(l->data, NULL);
		g_hash_table_destroy(hub.topics);  /* empty: every stream left its topic */
		hub.topics = NULL;
	}
	t = hub.heartbeat;
	hub.heartbeat = NULL;
	g_mutex_unlock(&hub.lock);
	ticker_stop(t);

	gint64 deadline = g_get_monotonic_time() + (gint64)wait_ms * 1000;
	g_mutex_lock(&hub.lock);
	while (hub.count > 0)
		if (!g_cond_wait_until(&hub.gone, &hub.lock, deadline))
			break;
	left = hub.count;
	g_mutex_unlock(&hub.lock);
	return left;
}

static _Atomic(hub_relay_fn) relay;

void
hub_set_relay(hub_relay_fn fn)
{
	relay = fn;
}

int
hub_publish(const char *topic, const char *event, const char *data)
{
	int n = hub_deliver(topic, event, data);
	hub_relay_fn fn = relay;
	if (fn && topic && valid_event(event))
		fn(topic, event, data ? data : "");
	return n;
}

void
hub_reset_all(void)
{
	g_mutex_lock(&hub.lock);
	for (unsigned i = 0; i < HEARTBEAT_SLICES; i++)
		for (GList *l = hub.slots[i].head; l; l = l->next) {
			struct hub_sub *s = l->data;
			if (s->closing || s->reset_due)
				continue;
			drop_queue(s);
			s->reset_due = true;
			wake(s);
		}
	g_mutex_unlock(&hub.lock);
}

int
hub_deliver(const char *topic, const char *event, const char *data)
{
	int n = 0;

	if (!valid_event(event)) {
		log_warn("hub: nom d'événement invalide, événement ignoré");
		return 0;
	}
	g_mutex_lock(&hub.lock);
	struct topic *t = hub.topics && topic ? g_hash_table_lookup(hub.topics, topic) : NULL;
	if (t) {
		GBytes *f = frame(event, data ? data : "");
		for (GList *l = t->subs.head; l; l = l->next)
			n += enqueue(l->data, f);
		g_bytes_unref(f);
	}
	g_mutex_unlock(&hub.lock);
	return n;
}

struct hub_sub *
hub_subscribe(const char *topic, const struct hub_sub_ops *ops, void *ud)
{
	struct hub_sub *s = NULL;

	g_mutex_lock(&hub.lock);
	if (!hub.started || hub.count >= hub.o.max_streams || !topic || !*topic)
		goto out;
	struct topic *t = g_hash_table_lookup(hub.topics, topic);
	if (t && g_queue_get_length(&t->subs) >= (guint)hub.o.max_per_topic) {
		GBytes *fin = frame("fin", "trop-de-flux");
		while (t && g_queue_get_length(&t->subs) >= (guint)hub.o.max_per_topic) {
			close_sub(t->subs.head->data, fin);  /* may free t when it empties */
			t = g_hash_table_lookup(hub.topics, topic);
		}
		g_bytes_unref(fin);
	}
	if (!t) {
		t = g_new0(struct topic, 1);
		t->name = g_strdup(topic);
		g_hash_table_insert(hub.topics, t->name, t);
	}
	s = g_new0(struct hub_sub, 1);
	s->ops = ops;
	s->ud = ud;
	s->retry_due = true;
	s->slot = hub.next_slot++ % hub.slices;
	s->topic = t;
	s->topic_link.data = s;
	s->slot_link.data = s;
	g_queue_push_tail_link(&t->subs, &s->topic_link);
	g_queue_push_tail_link(&hub.slots[s->slot], &s->slot_link);
	hub.count++;
out:
	g_mutex_unlock(&hub.lock);
	return s;
}

/* Makes the next frame to send current; false when there is none. */
static bool
take_next(struct hub_sub *s)
{
	const char *p = NULL;
	size_t len = 0;
	GBytes *b = NULL;

	if (s->retry_due) {
		s->retry_due = false;
		p = retry_frame, len = sizeof(retry_frame) - 1;
	} else if (s->reset_due) {
		s->reset_due = false;
		p = reset_frame, len = sizeof(reset_frame) - 1;
	} else if ((b = g_queue_pop_head(&s->events))) {
		s->ping_due = false;  /* an event keeps the line alive as well */
		s->queued_bytes -= g_bytes_get_size(b);
		p = g_bytes_get_data(b, &len);
	} else if (s->ping_due && !s->closing) {
		s->ping_due = false;
		p = ping_frame, len = sizeof(ping_frame) - 1;
	} else {
		return false;
	}
	s->cur.owner = b;
	s->cur.p = p;
	s->cur.len = len;
	s->cur.off = 0;
	return true;
}

ssize_t
hub_read(struct hub_sub *s, char *buf, size_t max)
{
	size_t n = 0;
	ssize_t rc;

	g_mutex_lock(&hub.lock);
	while (n < max && (s->cur.p || take_next(s))) {
		size_t k = MIN(s->cur.len - s->cur.off, max - n);
		memcpy(buf + n, s->cur.p + s->cur.off, k);
		n += k;
		s->cur.off += k;
		if (s->cur.off == s->cur.len) {
			if (s->cur.owner)
				g_bytes_unref(s->cur.owner);
			memset(&s->cur, 0, sizeof(s->cur));
		}
	}
	rc = (ssize_t)n;
	if (n == 0 && s->closing) {
		rc = -1;
	} else if (n == 0 && !s->suspended) {
		/* Under the lock: no publisher can see "suspended" before the reader is. */
		s->suspended = true;
		s->ops->suspend(s->ud);
	}
	g_mutex_unlock(&hub.lock);
	return rc;
}

void
hub_unsubscribe(struct hub_sub *s)
{
	if (!s)
		return;
	g_mutex_lock(&hub.lock);
	leave_topic(s);
	g_queue_unlink(&hub.slots[s->slot], &s->slot_link);
	hub.count--;
	g_cond_broadcast(&hub.gone);
	g_mutex_unlock(&hub.lock);
	drop_queue(s);
	if (s->cur.owner)
		g_bytes_unref(s->cur.owner);
	g_free(s);
}

int
hub_count(void)
{
	g_mutex_lock(&hub.lock);
	int n = hub.count;
	g_mutex_unlock(&hub.lock);
	return n;
}

int
hub_capacity(void)
{
	g_mutex_lock(&hub.lock);
	int n = hub.started ? hub.o.max_streams : 0;
	g_mutex_unlock(&hub.lock);
	return n;
}
