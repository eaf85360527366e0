/* agenda_app_use.c — the beneficiary's side of the agenda: pure rules, then the use cases
 * (agenda_app_use.h). */
#include "agenda/agenda_app_use.h"

#include "agenda/agenda_app_store.h"
#include "agenda/agenda_store.h"
#include "auth/authz.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "core/ctx.h"
#include "messaging/messaging_use.h"

#include <glib.h>
#include <string.h>

#define MAP_SEARCH "https://www.openstreetmap.org/search?query="
/* A query without a limit (q->limit 0) reads at most this many: Mon suivi's longest
 * period, about two years, holds far fewer events of one beneficiary. */
#define EVENTS_LIMIT_MAX 1000

/* ---- Pure rules ---- */

const char *
agenda_app_modality_sentence(struct arena *a, enum event_modality m)
{
	if (m <= MODALITY_NONE || m >= MODALITY_COUNT)
		return NULL;
	const char *label = agenda_modalities[m].label;   /* ASCII first letter */
	return arena_printf(a, "Le rendez-vous se fera %c%s", g_ascii_tolower(label[0]), label + 1);
}

const char *
agenda_app_map_url(struct arena *a, const char *address)
{
	if (!address)
		return NULL;
	while (g_ascii_isspace(*address))
		address++;
	if (!*address)
		return NULL;
	char *q = g_uri_escape_string(address, NULL, FALSE);
	const char *url = arena_printf(a, MAP_SEARCH "%s", q);
	g_free(q);
	return url;
}

bool
agenda_app_by_previous(const struct event *e, const char *referent_id)
{
	return e->creator_id && referent_id && strcmp(e->creator_id, referent_id) != 0;
}

const char *
agenda_app_presence_text(const struct event *e)
{
	return e->presence ? "Ton conseiller sera présent" : "Ton conseiller ne sera pas présent";
}

bool
agenda_app_offered(const struct event *e, int64_t now)
{
	return agenda_is_collective(e->type) && agenda_ac_status(e, now) == AC_UPCOMING;
}

void
agenda_app_item(struct arena *a, const struct event *e, const char *href, bool registered,
		struct app_event *out)
{
	bool collective = agenda_is_collective(e->type);
	*out = (struct app_event){
		.href = href,
		.title = agenda_display_title(a, e),
		.type = agenda_types[e->type].label,
		.modality = e->modality == MODALITY_NONE ? NULL : agenda_modalities[e->modality].label,
		.with = collective ? NULL : arena_printf(a, "%s %s", e->creator_first_name,
							 e->creator_last_name),
		.starts_at = e->starts_at,
		.duration_min = e->duration_min,
		.registered = registered,
	};
}

/* ---- Use cases ---- */

static int
gone(struct refusal *why, const char *title)
{
	return refuse_with(why, 404, NULL, title, AGENDA_APP_GONE);
}

int
agenda_app_open_mine(struct db *db, struct arena *a, const struct user *u, const char *id,
		     struct event *out, const char **referent_id, struct refusal *why)
{
	int rc = id_is_uuid(id) ? agenda_store_load(db, a, id, out) : -ERR_NOTFOUND;
	int takes_part = rc ? 0 : agenda_app_store_takes_part(db, id, u->id);
	if (takes_part < 0)
		return takes_part;
	if (rc == -ERR_NOTFOUND || (!rc && !authz_event_beneficiary(u, out->structure_id,
								     takes_part, false)))
		return gone(why, "Rendez-vous introuvable");
	if (!rc)
		rc = agenda_app_store_referent(db, a, u->id, referent_id);
	return rc;
}

int
agenda_app_open_offered(struct db *db, struct arena *a, const struct user *u, int64_t now,
			const char *id, struct event *out, bool *registered, struct refusal *why)
{
	int rc = id_is_uuid(id) ? agenda_store_load(db, a, id, out) : -ERR_NOTFOUND;
	if (rc == -ERR_NOTFOUND || (!rc && !agenda_is_collective(out->type)))
		return gone(why, "Événement introuvable");
	if (rc)
		return rc;
	int takes_part = agenda_app_store_takes_part(db, id, u->id);
	if (takes_part < 0)
		return takes_part;
	*registered = takes_part;
	if (!authz_event_beneficiary(u, out->structure_id, takes_part, agenda_app_offered(out, now)))
		return gone(why, "Événement introuvable");
	return 0;
}

int
agenda_app_share(struct db *db, const struct msg_keyring *keys, struct arena *a,
		 const struct user *u, int64_t now, const char *id, struct refusal *why)
{
	struct event e;
	bool registered;
	int rc = agenda_app_open_offered(db, a, u, now, id, &e, &registered, why);
	if (rc)
		return rc;
	const struct msg_share share = {.kind = MSG_EVENT_SHARE, .id = e.id,
					 .title = agenda_display_title(a, &e),
					 .starts_at = e.starts_at};
	return messaging_beneficiary_share(db, keys, a, now, u->id, &share, NULL, why);
}

int
agenda_app_events(struct db *db, struct arena *a, const struct app_event_query *q,
		  struct app_event **out)
{
	struct event *rows;
	bool *registered = NULL;
	int limit = q->limit > 0 ? q->limit : EVENTS_LIMIT_MAX;
	int n = q->scope == APP_EVENTS_MINE
		? agenda_app_store_mine(db, a, q->beneficiary_id, q->from, q->to, limit, &rows)
		: agenda_app_store_structure(db, a, q->structure_id, q->beneficiary_id, q->from,
					     q->to, limit, &rows, &registered);
	if (n < 0)
		return n;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		bool mine = q->scope == APP_EVENTS_MINE;
		const char *href = arena_printf(a, mine ? "/app/rendez-vous/%s"
						       : "/app/evenements/animations/%s", rows[i].id);
		agenda_app_item(a, &rows[i], href,
				mine ? agenda_is_collective(rows[i].type) : registered[i], &(*out)[i]);
	}
	return n;
}
