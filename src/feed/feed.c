/* feed.c — the pure rules of the i-milo event feed (feed.h). */
#include "feed/feed.h"

#include "base/arena.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool
same(const char *x, const char *y)
{
	return !strcmp(x ? x : "", y ? y : "");
}

static bool
is_session(const struct imilo_event *e)
{
	return e->type && !strcmp(e->type, "SESSION");
}

int
feed_dedupe(const struct imilo_event *ev, int n, bool *dup)
{
	int count = 0;
	for (int i = 0; i < n; i++) {
		dup[i] = false;
		for (int j = i + 1; is_session(&ev[i]) && j < n && !dup[i]; j++)
			dup[i] = is_session(&ev[j]) && same(ev[i].dossier_id, ev[j].dossier_id) &&
				 same(ev[i].action, ev[j].action) && same(ev[i].type_id, ev[j].type_id);
		count += dup[i];
	}
	return count;
}

enum feed_handling
feed_handling(const char *type, const char *action)
{
	if (!type || !action)
		return FEED_IGNORE;
	bool write = !strcmp(action, "CREATE") || !strcmp(action, "UPDATE");
	bool del = !strcmp(action, "DELETE");
	if (!strcmp(type, "RDV"))
		return write ? FEED_RDV_READ : del ? FEED_RDV_DELETE : FEED_IGNORE;
	if (!strcmp(type, "SESSION"))
		return write ? FEED_SESSION_READ : del ? FEED_SESSION_DELETE : FEED_IGNORE;
	if (!strcmp(type, "DOSSIER"))
		return !strcmp(action, "UPDATE") ? FEED_DOSSIER_REFRESH : FEED_IGNORE;
	return FEED_IGNORE;
}

char *
feed_payload(const struct imilo_event *e, const char *beneficiary_id)
{
	json_t *j = json_pack("{s:s, s:s, s:s*, s:s*, s:s*, s:s*, s:s*}", "id", e->id, "dossier",
			      e->dossier_id ? e->dossier_id : "", "type", e->type, "action",
			      e->action, "idType", e->type_id, "date", e->date, "beneficiary",
			      beneficiary_id);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	char *out = s ? g_strdup(s) : NULL;
	free(s);
	return out;
}

int
feed_payload_parse(struct arena *a, const char *payload, struct imilo_event *out)
{
	const char *id = NULL, *dossier = NULL, *type = NULL, *action = NULL, *type_id = NULL,
		   *date = NULL;
	json_t *j = json_loads(payload ? payload : "", 0, NULL);
	int rc = j && !json_unpack(j, "{s:s, s:s, s?s, s?s, s?s, s?s}", "id", &id, "dossier",
				   &dossier, "type", &type, "action", &action, "idType", &type_id,
				   "date", &date) ? 0 : -1;
	if (!rc)
		*out = (struct imilo_event){
			.id = arena_strdup(a, id), .dossier_id = arena_strdup(a, dossier),
			.type = type ? arena_strdup(a, type) : NULL,
			.action = action ? arena_strdup(a, action) : NULL,
			.type_id = type_id ? arena_strdup(a, type_id) : NULL,
			.date = date ? arena_strdup(a, date) : NULL};
	json_decref(j);
	return rc;
}
