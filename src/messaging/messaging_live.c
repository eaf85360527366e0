/* messaging_live.c — the conversation events of the SSE hub. */
#include "messaging/messaging_live.h"

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
