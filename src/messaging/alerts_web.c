/* alerts_web.c — GET /messagerie/non-lus: the caller's alerts as JSON, nothing personal
 * (no name, no content), so a page can refresh its favicon and decide on a sound. */
#include "messaging/alerts_web.h"

#include "auth/session.h"
#include "http/http.h"
#include "messaging/messaging_use.h"
#include "core/ctx.h"

int
alerts_status(struct req *r)
{
	struct msg_alerts al;
	int rc = messaging_alerts(ctx_db(r), r->user->id, &al);
	if (rc)
		return rc;
	resp_json(r, 200, json_pack("{s:i, s:I}", "unread_conversations", al.unread_conversations,
				    "last_incoming_at", (json_int_t)al.last_incoming_at));
	return 0;
}
