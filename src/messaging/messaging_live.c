/* messaging_live.c — the conversation events of the SSE hub. */
#include "messaging/messaging_live.h"

#include "base/arena.h"
#include "db/db.h"
#include "http/hub.h"

#include <glib.h>

static void
publish(const char *format, const char *id, const char *event, const char *data)
{
	char *topic = g_strdup_printf(format, id);
	hub_publish(topic, event, data);
	g_free(topic);
}

void
messaging_live_changed(const char *beneficiary_id, const char *counselor_id)
{
	publish(HUB_TOPIC_BENEFICIARY, beneficiary_id, "message", beneficiary_id);
	publish(HUB_TOPIC_COUNSELOR, counselor_id, "message", beneficiary_id);
}

void
messaging_live_read(const char *beneficiary_id, const char *counselor_id, int by_beneficiary)
{
	if (by_beneficiary)
		publish(HUB_TOPIC_COUNSELOR, counselor_id, "lu", beneficiary_id);
	else
		publish(HUB_TOPIC_BENEFICIARY, beneficiary_id, "lu", beneficiary_id);
}

/* An event waiting for its transaction's commit, in the caller's arena. */
struct pending {
	const char *beneficiary_id, *counselor_id;
	bool read, by_beneficiary;
};

static void
send_pending(void *ud)
{
	const struct pending *p = ud;
	if (p->read)
		messaging_live_read(p->beneficiary_id, p->counselor_id, p->by_beneficiary);
	else
		messaging_live_changed(p->beneficiary_id, p->counselor_id);
}

static void
queue(struct db *db, struct arena *a, struct pending p)
{
	struct pending *k = arena_alloc(a, sizeof(*k));
	*k = p;
	db_tx_on_commit(db, send_pending, k);
}

void
messaging_live_changed_on_commit(struct db *db, struct arena *a, const char *beneficiary_id,
				 const char *counselor_id)
{
	queue(db, a, (struct pending){beneficiary_id, counselor_id, false, false});
}

void
messaging_live_read_on_commit(struct db *db, struct arena *a, const char *beneficiary_id,
			      const char *counselor_id, bool by_beneficiary)
{
	queue(db, a, (struct pending){beneficiary_id, counselor_id, true, by_beneficiary});
}
