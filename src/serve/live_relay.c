/* live_relay.c — the hub's events to and from the other nodes (live_relay.h). */
#include "serve/live_relay.h"

#include "base/log.h"
#include "db/channel.h"
#include "http/hub.h"

#include <glib.h>
#include <string.h>

#define CHANNEL "cej_live"
#define WAIT_MS 500   /* how often the thread looks at the stop flag */

static struct {
	struct db_channel *ch;
	GThread *thread;
	gint stop;
} relay;

char *
live_relay_encode(const char *topic, const char *event, const char *data)
{
	return g_strconcat(topic, "\n", event, "\n", data ? data : "", NULL);
}

bool
live_relay_decode(char *payload, const char **topic, const char **event, const char **data)
{
	char *a = strchr(payload, '\n');
	char *b = a ? strchr(a + 1, '\n') : NULL;
	if (!b || a == payload || b == a + 1)
		return false;
	*a = *b = '\0';
	*topic = payload;
	*event = a + 1;
	*data = b + 1;
	return true;
}

/* Called by hub_publish on the publishing thread, after local delivery. */
static void
send_event(const char *topic, const char *event, const char *data)
{
	char *p = live_relay_encode(topic, event, data);
	if (db_channel_send(relay.ch, p))
		log_warn("live_relay: événement non transmis aux autres nœuds (%s)", event);
	g_free(p);
}

static void
deliver(const char *payload, void *ud)
{
	(void)ud;
	char *p = g_strdup(payload);
	const char *topic, *event, *data;
	if (live_relay_decode(p, &topic, &event, &data))
		hub_deliver(topic, event, data);
	else
		log_warn("live_relay: notification mal formée ignorée");
	g_free(p);
}

static gpointer
listen_loop(gpointer ud)
{
	(void)ud;
	while (!g_atomic_int_get(&relay.stop)) {
		int n = db_channel_wait(relay.ch, WAIT_MS, deliver, NULL);
		if (n == DB_CHANNEL_RESET)
			hub_reset_all();
		else if (n < 0)
			g_usleep(WAIT_MS * 1000);  /* database unreachable: try again */
	}
	return NULL;
}

bool
live_relay_start(const char *database_url)
{
	if (!db_channel_url_ok(database_url))
		return true;
	relay.ch = db_channel_open(database_url, CHANNEL);
	if (!relay.ch)
		return false;
	g_atomic_int_set(&relay.stop, 0);
	relay.thread = g_thread_new("cej-relay", listen_loop, NULL);
	hub_set_relay(send_event);
	log_info("live_relay: événements en direct partagés entre les nœuds (LISTEN %s)", CHANNEL);
	return true;
}

void
live_relay_stop(void)
{
	if (!relay.ch)
		return;
	hub_set_relay(NULL);
	g_atomic_int_set(&relay.stop, 1);
	g_thread_join(relay.thread);
	db_channel_close(relay.ch);
	relay.ch = NULL;
	relay.thread = NULL;
}
