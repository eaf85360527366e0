/* test_hub.c — the live-event hub without HTTP: what a stream sends (retry, framed events,
 * heartbeat, reset, fin), when its reader is suspended and woken, the caps, the end of
 * streams at stop, and publishers and readers on many threads at once. A fake connection
 * stands for libmicrohttpd: it counts suspensions and wakes a waiting reader thread. */
#include "http/hub.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

struct fake_conn {
	GMutex m;
	GCond c;
	bool suspended;
	int suspends, resumes;
};

static void
fake_suspend(void *ud)
{
	struct fake_conn *f = ud;
	g_mutex_lock(&f->m);
	cr_assert(!f->suspended, "suspended twice without a resume");
	f->suspended = true;
	f->suspends++;
	g_mutex_unlock(&f->m);
}

static void
fake_resume(void *ud)
{
	struct fake_conn *f = ud;
	g_mutex_lock(&f->m);
	cr_assert(f->suspended, "resumed while not suspended");
	f->suspended = false;
	f->resumes++;
	g_cond_broadcast(&f->c);
	g_mutex_unlock(&f->m);
}

static const struct hub_sub_ops fake_ops = {fake_suspend, fake_resume};

static bool
is_suspended(struct fake_conn *f)
{
	g_mutex_lock(&f->m);
	bool s = f->suspended;
	g_mutex_unlock(&f->m);
	return s;
}

/* Everything @s has to send now, read @chunk bytes at a time; *rc gets the last result
 * (0: suspended, -1: ended). */
static char *
drain(struct hub_sub *s, size_t chunk, ssize_t *rc)
{
	GString *out = g_string_new(NULL);
	char buf[4096];
	ssize_t n;
	cr_assert(chunk <= sizeof(buf));
	while ((n = hub_read(s, buf, chunk)) > 0)
		g_string_append_len(out, buf, n);
	if (rc)
		*rc = n;
	return g_string_free(out, FALSE);
}

static void
start(int max_streams, int per_topic, int queue_max)
{
	struct hub_options o = {.heartbeat_ms = 600000, .max_streams = max_streams,
				.max_per_topic = per_topic, .queue_max = queue_max};
	hub_start(&o);
}

Test(hub, a_stream_starts_with_retry_then_suspends_and_an_event_wakes_it)
{
	struct fake_conn f = {0};
	ssize_t rc;
	start(0, 0, 0);
	struct hub_sub *s = hub_subscribe("counselor:c1", &fake_ops, &f);
	cr_assert_not_null(s);

	char *got = drain(s, 4096, &rc);
	cr_assert_str_eq(got, "retry: 3000\n\n");
	cr_assert_eq(rc, 0);
	cr_assert(is_suspended(&f));
	g_free(got);

	cr_assert_eq(hub_publish("counselor:c1", "message", "<p>Bonjour</p>"), 1);
	cr_assert(!is_suspended(&f), "a publish resumes the suspended stream");
	got = drain(s, 4096, &rc);
	cr_assert_str_eq(got, "event: message\ndata: <p>Bonjour</p>\n\n");
	cr_assert_eq(rc, 0);
	cr_assert_eq(f.suspends, 2);
	cr_assert_eq(f.resumes, 1);
	g_free(got);

	hub_unsubscribe(s);
	cr_assert_eq(hub_stop(0), 0);
}

Test(hub, data_with_newlines_becomes_one_data_line_per_line)
{
	struct fake_conn f = {0};
	start(0, 0, 0);
	struct hub_sub *s = hub_subscribe("t", &fake_ops, &f);
	g_free(drain(s, 4096, NULL));

	hub_publish("t", "fragment", "<li>un</li>\n<li>deux</li>\r\n<li>trois</li>\rfin\n");
	hub_publish("t", "vide", "");
	hub_publish("t", "nul", NULL);
	hub_publish("t", "espaces", "  indenté");
	char *got = drain(s, 4096, NULL);
	cr_assert_str_eq(got, "event: fragment\n"
			      "data: <li>un</li>\n"
			      "data: <li>deux</li>\n"
			      "data: <li>trois</li>\n"
			      "data: fin\n"
			      "data: \n"
			      "\n"
			      "event: vide\ndata: \n\n"
			      "event: nul\ndata: \n\n"
			      "event: espaces\ndata:   indenté\n\n");
	g_free(got);
	hub_unsubscribe(s);
	hub_stop(0);
}

Test(hub, an_event_name_that_could_forge_a_field_is_refused)
{
	struct fake_conn f = {0};
	start(0, 0, 0);
	struct hub_sub *s = hub_subscribe("t", &fake_ops, &f);
	g_free(drain(s, 4096, NULL));
	cr_assert_eq(hub_publish("t", "message\ndata: x", "y"), 0);
	cr_assert_eq(hub_publish("t", "", "y"), 0);
	cr_assert_eq(hub_publish("t", NULL, "y"), 0);
	cr_assert(is_suspended(&f), "nothing was queued");
	hub_unsubscribe(s);
	hub_stop(0);
}

Test(hub, a_small_read_buffer_splits_events_without_losing_a_byte)
{
	struct fake_conn f = {0};
	start(0, 0, 0);
	struct hub_sub *s = hub_subscribe("t", &fake_ops, &f);
	hub_publish("t", "a", "premier\nsecond");
	hub_publish("t", "b", "troisième");
	char *got = drain(s, 3, NULL);
	cr_assert_str_eq(got, "retry: 3000\n\n"
			      "event: a\ndata: premier\ndata: second\n\n"
			      "event: b\ndata: troisième\n\n");
	g_free(got);
	hub_unsubscribe(s);
	hub_stop(0);
}

Test(hub, publishing_to_a_topic_nobody_listens_to_delivers_nothing)
{
	start(0, 0, 0);
	cr_assert_eq(hub_publish("counselor:personne", "message", "x"), 0);
	hub_stop(0);
	/* Not started at all: a no-op as well. */
	cr_assert_eq(hub_publish("counselor:personne", "message", "x"), 0);
}

Test(hub, a_full_queue_is_replaced_by_one_reset_and_later_events_flow_again)
{
	struct fake_conn f = {0};
	start(0, 0, 4);
	struct hub_sub *s = hub_subscribe("t", &fake_ops, &f);
	g_free(drain(s, 4096, NULL));

	for (int i = 0; i < 4; i++)
		cr_assert_eq(hub_publish("t", "e", "x"), 1);
	cr_assert_eq(hub_publish("t", "e", "perdu"), 0, "the fifth overflows");
	cr_assert_eq(hub_publish("t", "e", "perdu aussi"), 0, "dropped until the reset is sent");
	char *got = drain(s, 4096, NULL);
	cr_assert_str_eq(got, "event: reset\ndata: \n\n");
	g_free(got);

	cr_assert_eq(hub_publish("t", "e", "après"), 1);
	got = drain(s, 4096, NULL);
	cr_assert_str_eq(got, "event: e\ndata: après\n\n");
	g_free(got);
	hub_unsubscribe(s);
	hub_stop(0);
}

Test(hub, too_many_bytes_waiting_also_resets)
{
	struct fake_conn f = {0};
	start(0, 0, 1000);
	struct hub_sub *s = hub_subscribe("t", &fake_ops, &f);
	g_free(drain(s, 4096, NULL));
	char *big = g_strnfill(100 << 10, 'x');
	int delivered = 0;
	for (int i = 0; i < 4; i++)
		delivered += hub_publish("t", "gros", big);
	cr_assert_eq(delivered, 2, "256 KiB per stream: the third 100 KiB event overflows");
	char *got = drain(s, 4096, NULL);
	cr_assert_str_eq(got, "event: reset\ndata: \n\n");
	g_free(got);
	g_free(big);
	hub_unsubscribe(s);
	hub_stop(0);
}

Test(hub, the_oldest_stream_of_a_topic_ends_with_fin_beyond_the_cap)
{
	struct fake_conn f[4] = {0};
	struct hub_sub *s[4];
	ssize_t rc;
	start(0, 3, 0);
	for (int i = 0; i < 3; i++) {
		s[i] = hub_subscribe("beneficiary:b1", &fake_ops, &f[i]);
		g_free(drain(s[i], 4096, NULL));
	}
	s[3] = hub_subscribe("beneficiary:b1", &fake_ops, &f[3]);
	cr_assert_not_null(s[3]);
	cr_assert(!is_suspended(&f[0]), "the evicted stream is woken to end");

	char *got = drain(s[0], 4096, &rc);
	cr_assert_str_eq(got, "event: fin\ndata: trop-de-flux\n\n");
	cr_assert_eq(rc, -1);
	g_free(got);
	cr_assert_eq(hub_publish("beneficiary:b1", "e", "x"), 3, "the three newest get it");
	got = drain(s[0], 4096, &rc);
	cr_assert_str_eq(got, "");
	cr_assert_eq(rc, -1, "an ended stream stays ended");
	g_free(got);
	cr_assert_eq(hub_count(), 4, "counted until its connection is gone");

	for (int i = 0; i < 4; i++)
		hub_unsubscribe(s[i]);
	cr_assert_eq(hub_count(), 0);
	hub_stop(0);
}

Test(hub, beyond_max_streams_a_new_stream_is_refused)
{
	struct fake_conn f[3] = {0};
	start(2, 0, 0);
	struct hub_sub *a = hub_subscribe("counselor:a", &fake_ops, &f[0]);
	struct hub_sub *b = hub_subscribe("counselor:b", &fake_ops, &f[1]);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_null(hub_subscribe("counselor:c", &fake_ops, &f[2]));
	hub_unsubscribe(a);
	struct hub_sub *c = hub_subscribe("counselor:c", &fake_ops, &f[2]);
	cr_assert_not_null(c, "room again once one is gone");
	hub_unsubscribe(b);
	hub_unsubscribe(c);
	hub_stop(0);
}

Test(hub, an_unsubscribed_stream_gets_nothing_and_its_topic_goes)
{
	struct fake_conn f[2] = {0};
	start(0, 0, 0);
	struct hub_sub *a = hub_subscribe("t", &fake_ops, &f[0]);
	struct hub_sub *b = hub_subscribe("t", &fake_ops, &f[1]);
	cr_assert_eq(hub_publish("t", "e", "x"), 2);
	hub_unsubscribe(a);  /* with an event still queued: freed with it */
	cr_assert_eq(hub_publish("t", "e", "x"), 1);
	hub_unsubscribe(b);
	cr_assert_eq(hub_publish("t", "e", "x"), 0);
	cr_assert_eq(hub_count(), 0);
	hub_unsubscribe(NULL);
	hub_stop(0);
}

Test(hub, many_topics_each_event_reaches_only_its_topic)
{
	enum { N = 500 };
	struct fake_conn *f = g_new0(struct fake_conn, N);
	struct hub_sub **s = g_new0(struct hub_sub *, N);
	start(N, 0, 0);
	for (int i = 0; i < N; i++) {
		char *id = g_strdup_printf("%d", i);
		char *t = g_strdup_printf(HUB_TOPIC_COUNSELOR, id);
		g_free(id);
		s[i] = hub_subscribe(t, &fake_ops, &f[i]);
		cr_assert_not_null(s[i]);
		g_free(drain(s[i], 4096, NULL));
		g_free(t);
	}
	for (int i = 0; i < N; i += 7) {
		char *t = g_strdup_printf("counselor:%d", i);
		char *d = g_strdup_printf("pour %d", i);
		cr_assert_eq(hub_publish(t, "e", d), 1);
		g_free(t);
		g_free(d);
	}
	for (int i = 0; i < N; i++) {
		char *got = drain(s[i], 4096, NULL);
		char *want = i % 7 ? g_strdup("") : g_strdup_printf("event: e\ndata: pour %d\n\n", i);
		cr_assert_str_eq(got, want);
		g_free(got);
		g_free(want);
		hub_unsubscribe(s[i]);
	}
	g_free(s);
	g_free(f);
	hub_stop(0);
}

Test(hub, the_heartbeat_wakes_idle_streams_with_a_ping)
{
	struct fake_conn f = {0};
	struct hub_options o = {.heartbeat_ms = 20};
	hub_start(&o);
	struct hub_sub *s = hub_subscribe("t", &fake_ops, &f);
	g_free(drain(s, 4096, NULL));
	g_mutex_lock(&f.m);
	gint64 deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
	while (f.suspended)
		cr_assert(g_cond_wait_until(&f.c, &f.m, deadline), "no heartbeat within 2 s");
	g_mutex_unlock(&f.m);
	char *got = drain(s, 4096, NULL);
	cr_assert_str_eq(got, ": ping\n\n");
	g_free(got);
	hub_unsubscribe(s);
	hub_stop(0);
}

/* 64 idle streams, a heartbeat of 3.2 s: 16 rounds 200 ms apart, each pinging the 4
 * streams of its slice, never the 64 at once. */
Test(hub, the_heartbeat_pings_a_slice_of_the_streams_at_a_time)
{
	enum { N = 64 };
	struct fake_conn f[N];
	struct hub_sub *s[N];
	memset(f, 0, sizeof(f));
	struct hub_options o = {.heartbeat_ms = 3200, .max_per_topic = N};
	hub_start(&o);
	for (int i = 0; i < N; i++) {
		s[i] = hub_subscribe("t", &fake_ops, &f[i]);
		g_free(drain(s[i], 4096, NULL));
	}
	/* The first round after the start pings slot 1: streams 1, 17, 33 and 49. */
	g_mutex_lock(&f[1].m);
	gint64 deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
	while (f[1].suspended)
		cr_assert(g_cond_wait_until(&f[1].c, &f[1].m, deadline), "no heartbeat within 2 s");
	g_mutex_unlock(&f[1].m);
	g_usleep(50000);  /* well before the next round */
	int awake = 0;
	for (int i = 0; i < N; i++)
		awake += !is_suspended(&f[i]);
	cr_assert_eq(awake, 4, "%d streams pinged in one round", awake);
	cr_assert(!is_suspended(&f[49]));
	char *got = drain(s[49], 4096, NULL);
	cr_assert_str_eq(got, ": ping\n\n");
	g_free(got);
	for (int i = 0; i < N; i++)
		hub_unsubscribe(s[i]);
	hub_stop(0);
}

Test(hub, stop_ends_every_stream_after_what_it_had_queued_and_refuses_new_ones)
{
	struct fake_conn f[2] = {0};
	ssize_t rc;
	start(0, 0, 0);
	struct hub_sub *a = hub_subscribe("t", &fake_ops, &f[0]);
	struct hub_sub *b = hub_subscribe("u", &fake_ops, &f[1]);
	g_free(drain(a, 4096, NULL));
	hub_publish("u", "e", "dernier");

	cr_assert_eq(hub_stop(50), 2, "both still subscribed after 50 ms");
	cr_assert(!is_suspended(&f[0]), "stop wakes suspended streams");
	cr_assert_null(hub_subscribe("t", &fake_ops, &f[0]));
	cr_assert_eq(hub_publish("t", "e", "x"), 0);

	char *got = drain(a, 4096, &rc);
	cr_assert_str_eq(got, "");
	cr_assert_eq(rc, -1);
	g_free(got);
	got = drain(b, 4096, &rc);
	cr_assert_str_eq(got, "retry: 3000\n\nevent: e\ndata: dernier\n\n");
	cr_assert_eq(rc, -1);
	g_free(got);
	hub_unsubscribe(a);
	hub_unsubscribe(b);
	cr_assert_eq(hub_count(), 0);
}

/* A reader thread, as an MHD connection thread would be: reads while there is something,
 * waits while suspended, unsubscribes at the end of the stream. */
struct reader {
	struct fake_conn f;
	struct hub_sub *s;
	GString *got;
	int events, resets, pings;
	bool ordered;   /* each publisher's numbers arrived increasing */
};

static void
count_frames(struct reader *rd, int npub, int *last)
{
	/* Whole frames only: an event ends with a blank line. */
	char *end;
	while ((end = strstr(rd->got->str, "\n\n"))) {
		size_t len = (size_t)(end - rd->got->str) + 2;
		char *f = g_strndup(rd->got->str, len);
		int p, seq;
		if (g_str_has_prefix(f, "event: reset\n")) {
			rd->resets++;
			for (int i = 0; i < npub; i++)
				last[i] = -1;  /* events were lost: the order starts again */
		} else if (g_str_has_prefix(f, ": ping")) {
			rd->pings++;
		} else if (sscanf(f, "event: e\ndata: p%d n%d\ndata: fin\n\n", &p, &seq) == 2) {
			rd->events++;
			cr_assert(p >= 0 && p < npub);
			if (seq <= last[p])
				rd->ordered = false;
			last[p] = seq;
		} else {
			cr_assert(g_str_has_prefix(f, "retry: 3000\n"), "unexpected frame: %s", f);
		}
		g_free(f);
		g_string_erase(rd->got, 0, (gssize)len);
	}
}

enum { PUBLISHERS = 4, PER_PUBLISHER = 3000, READERS = 8, TOPICS = 2 };

static gpointer
reader_main(gpointer p)
{
	struct reader *rd = p;
	int last[PUBLISHERS];
	char buf[97];  /* odd size: frames split across reads */
	ssize_t n;

	for (int i = 0; i < PUBLISHERS; i++)
		last[i] = -1;
	for (;;) {
		n = hub_read(rd->s, buf, sizeof(buf));
		if (n > 0) {
			g_string_append_len(rd->got, buf, n);
			count_frames(rd, PUBLISHERS, last);
		} else if (n == 0) {
			g_mutex_lock(&rd->f.m);
			while (rd->f.suspended)
				g_cond_wait(&rd->f.c, &rd->f.m);
			g_mutex_unlock(&rd->f.m);
		} else {
			break;
		}
	}
	hub_unsubscribe(rd->s);
	return NULL;
}

struct publisher {
	int id;
	int delivered;
};

static gpointer
publisher_main(gpointer p)
{
	struct publisher *pub = p;
	for (int i = 0; i < PER_PUBLISHER; i++) {
		char *d = g_strdup_printf("p%d n%d\nfin", pub->id, i);
		pub->delivered += hub_publish(i % TOPICS ? "counselor:impair" : "counselor:pair", "e", d);
		g_free(d);
		if (i % 500 == 0)
			g_thread_yield();
	}
	return NULL;
}

/* 4 publishers × 3000 events on 2 topics, 8 readers; heartbeat every 5 ms. Returns the
 * number of resets the readers saw. */
static int
stress(int queue_max)
{
	struct hub_options o = {.heartbeat_ms = 5, .queue_max = queue_max};
	struct reader rd[READERS] = {0};
	struct publisher pub[PUBLISHERS] = {0};
	GThread *rt[READERS], *pt[PUBLISHERS];

	hub_start(&o);
	for (int i = 0; i < READERS; i++) {
		rd[i].got = g_string_new(NULL);
		rd[i].ordered = true;
		rd[i].s = hub_subscribe(i % TOPICS ? "counselor:impair" : "counselor:pair", &fake_ops, &rd[i].f);
		cr_assert_not_null(rd[i].s);
		rt[i] = g_thread_new("reader", reader_main, &rd[i]);
	}
	for (int i = 0; i < PUBLISHERS; i++) {
		pub[i].id = i;
		pt[i] = g_thread_new("publisher", publisher_main, &pub[i]);
	}
	for (int i = 0; i < PUBLISHERS; i++)
		g_thread_join(pt[i]);
	/* Stop ends every stream once drained; the readers unsubscribe and exit. */
	cr_assert_eq(hub_stop(10000), 0, "every reader ended its stream");

	int delivered = 0, events = 0, resets = 0;
	for (int i = 0; i < PUBLISHERS; i++)
		delivered += pub[i].delivered;
	for (int i = 0; i < READERS; i++) {
		g_thread_join(rt[i]);
		cr_assert(rd[i].ordered, "reader %d: events out of order", i);
		cr_assert_eq(rd[i].got->len, 0, "reader %d: a partial frame is left", i);
		events += rd[i].events;
		resets += rd[i].resets;
		g_string_free(rd[i].got, TRUE);
	}
	/* An event counted as delivered is read, unless a later overflow dropped it with the
	 * rest of its queue (then the reader saw a reset). */
	cr_assert(events <= delivered);
	if (resets == 0)
		cr_assert_eq(events, delivered);
	cr_assert_eq(hub_count(), 0);
	cr_log_info("events read %d of %d queued, %d resets", events, delivered, resets);
	return resets;
}

Test(hub, publishers_and_readers_on_many_threads_with_room_lose_nothing)
{
	/* 6000 events of ~38 bytes a topic fit in 10000 events and 256 KiB. */
	cr_assert_eq(stress(10000), 0);
}

Test(hub, publishers_faster_than_readers_get_resets_and_never_a_torn_frame)
{
	stress(8);
}
