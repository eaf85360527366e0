/* sessions_app_use.c — the young person's sessions (sessions_app_use.h). */
#include "sessions/sessions_app_use.h"

#include "sessions/sessions_app_store.h"
#include "sessions/sessions_agenda.h"
#include "sessions/sessions_cache.h"
#include "sessions/sessions_registration.h"
#include "sessions/sessions_store.h"

#include "base/arena.h"
#include "base/config.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "db/db.h"
#include "messaging/messaging_use.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define EVENTS_MAX 500   /* a listing's bound: three months of a Mission Locale */

static const struct imilo_actor operator = {.bearer = NULL};

const char *
sessions_app_type_label(const struct imilo_offre *o)
{
	if (!o->type)
		return "Session i-milo";
	return !strcmp(o->type, "WORKSHOP") ? "Atelier" : "Information collective";
}

/* i-milo's ids are integers: a path that is not one names no session. */
static bool
session_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	return n > 0 && n <= 18 && strspn(id, "0123456789") == n;
}

/* Whether the young person may register himself to @s (agenda.md §7), and while it is
 * open: the flag, the session's switch, the deadline and the places. */
static int
self_registration(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		  struct app_session *s)
{
	struct session_flags f;
	if (!app->cfg->session_auto_registration || s->registered)
		return 0;
	int rc = sessions_store_flags(db, a, s->s.id, &f);
	if (rc)
		return rc;
	s->self_registration = f.auto_registration && f.structure_id
			       && !strcmp(f.structure_id, u->structure_id) && !f.closed_at;
	s->open = s->self_registration && s->s.places != 0 && clock_now_ms() < s->s.closes_at;
	return 0;
}

int
sessions_app_open(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		  const char *id, struct app_session *out, struct refusal *why)
{
	struct my_session mine;
	const char *dossier, *tz;
	struct imilo_result res;

	memset(out, 0, sizeof(*out));
	if (!session_id_ok(id) || !u->structure_id)
		return refuse_with(why, 404, NULL, "Événement introuvable", SESSIONS_APP_GONE);
	int rc = sessions_app_store_registered(db, a, u->id, id, &mine);
	int visible = rc < 0 ? rc : sessions_app_store_is_visible(db, u->structure_id, id);
	if (rc < 0 || visible < 0)
		return rc < 0 ? rc : visible;
	out->registered = rc == 1;
	if (!out->registered && !visible)
		return refuse_with(why, 404, NULL, "Événement introuvable", SESSIONS_APP_GONE);
	if ((rc = sessions_app_store_context(db, a, u->id, &dossier, &tz)) < 0)
		return rc;
	if (imilo_get_session(app->imilo, a, &operator, id, tz, &out->s, &res) == 0) {
		out->complete = true;
		return self_registration(app, db, a, u, out);
	}
	if (res.status == IMILO_NOT_FOUND)
		return refuse_with(why, 404, NULL, "Événement introuvable", SESSIONS_APP_GONE);
	if (!out->registered)
		return refuse_with(why, 503, NULL, "Événement indisponible",
				   "Cet événement n’a pas pu être chargé. Réessaie dans quelques "
				   "instants.");
	out->s = (struct imilo_session){.id = mine.session_id, .nom = mine.name,
					.starts_at = mine.starts_at, .ends_at = mine.ends_at,
					.places = -1, .n_instances = -1};
	return 0;
}

int
sessions_app_request(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		     int64_t now, const char *id, const char *text, struct refusal *why)
{
	struct app_session s;
	int rc = sessions_app_open(app, db, a, u, id, &s, why);
	if (rc)
		return rc;
	const struct msg_share share = {
		.kind = MSG_SESSION_SHARE, .text = text, .id = s.s.id,
		.title = sessions_title(a, &s.s),
		.starts_at = s.s.starts_at,
	};
	return messaging_beneficiary_share(db, app->keys, a, now, u->id, &share, NULL, why);
}

int
sessions_app_self_register(const struct ctx *app, struct db *db, struct arena *a,
			   const struct user *u, int64_t now, const char *id, struct refusal *why)
{
	struct app_session s;
	const char *login, *instance;
	struct imilo_result res;
	int rc = sessions_app_open(app, db, a, u, id, &s, why);
	if (rc)
		return rc;
	if (!s.self_registration)
		return refuse_with(why, 404, NULL, "Événement introuvable", SESSIONS_APP_GONE);
	if (s.s.places == 0)
		return refuse_with(why, 409, NULL, "Inscription impossible", SESSIONS_APP_NO_PLACE);
	if (!s.open || (rc = sessions_app_store_referent_login(db, a, u->id, &login)) < 0 || !login)
		return rc < 0 ? rc : refuse_with(why, 503, NULL, "Inscription impossible",
						 SESSIONS_APP_SELF_FAILED);
	const char *dossier, *tz;
	if ((rc = sessions_app_store_context(db, a, u->id, &dossier, &tz)) < 0)
		return rc;
	if (imilo_register(app->imilo, a, &(struct imilo_actor){.bearer = login}, dossier, id,
			   &instance, &res) || !instance) {
		sessions_forget(db, a, u->structure_id);
		bool full = res.code && !strcmp(res.code, "PLUS_DE_PLACE");
		return refuse_with(why, full ? 409 : 503, NULL, "Inscription impossible",
				   full ? SESSIONS_APP_NO_PLACE : SESSIONS_APP_SELF_FAILED);
	}
	sessions_forget(db, a, u->structure_id);
	const char *title = sessions_title(a, &s.s);
	json_t *card = json_pack("{s:s, s:s, s:I}", "session_id", id, "title", title,
				 "starts_at", (json_int_t)s.s.starts_at);
	char *payload = json_dumps(card, JSON_COMPACT);
	json_decref(card);
	const struct session_registration reg = {
		.instance_id = instance, .session_id = id, .beneficiary_id = u->id,
		.session_name = s.s.nom, .starts_at = s.s.starts_at, .ends_at = s.s.ends_at,
		.statut = "ONGOING",
	};
	/* i-milo holds it now: what cej records of it must follow, even if the young person
	 * left; a failure here is the feed's to repair (its echo applies the same change). */
	if (!(rc = db_tx_begin(db))) {
		rc = sessions_registration_apply_self(db, now, &reg);
		if (!rc)
			rc = messaging_post_system(db, app->keys, a, now, u->id, MSG_AUTO_REGISTRATION,
						   NULL, arena_strdup(a, payload));
		rc = db_tx_end(db, rc);
	}
	free(payload);
	return rc;
}

/* ---- app_events ---- */

static struct app_event
event_of_mine(struct arena *a, const struct my_session *m)
{
	return (struct app_event){
		.href = arena_printf(a, "/app/evenements/sessions/%s", m->session_id),
		.title = m->name, .type = "Session i-milo", .starts_at = m->starts_at,
		.duration_min = (int)((m->ends_at - m->starts_at) / 60000), .registered = true,
	};
}

static int
mine_only(struct db *db, struct arena *a, const struct app_event_query *q,
	  struct app_event **out)
{
	struct my_session *m;
	int n = sessions_app_store_mine(db, a, q->beneficiary_id, q->from, q->to,
					q->limit > 0 ? q->limit : EVENTS_MAX, &m);
	if (n < 0)
		return n;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		(*out)[i] = event_of_mine(a, &m[i]);
	return n;
}

/* The sessions of the young person's structure in the window: from the cache, else S2 over
 * his dossier (the same for every dossier of the structure but for my_statut, which is
 * not used: his registrations are cej's local copy). */
static int
structure_window(const struct app_event_query *q, struct arena *a, const char *dossier,
		 const char *tz, struct imilo_session **out)
{
	const char *from = clock_iso_day(a, q->from, tz), *to = clock_iso_day(a, q->to, tz);
	const char *key = arena_printf(a, "app:%s", q->structure_id);
	int n = sessions_cache_get(a, key, from, to, out);
	if (n >= 0)
		return n;
	struct imilo_result res;
	n = imilo_dossier_sessions(q->app->imilo, a, &operator, dossier, tz, from, to, out, &res);
	if (n < 0)
		return -ERR_UNAVAILABLE;
	sessions_cache_put(key, from, to, *out, n);
	return n;
}

static bool
listed(const char *id, const char *const *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

static bool
is_mine(const char *id, const struct my_session *m, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].session_id, id))
			return true;
	return false;
}

static int
structure_events(struct db *db, struct arena *a, const struct app_event_query *q,
		 struct app_event **out)
{
	const char *dossier, *tz, **visible;
	struct imilo_session *s;
	struct my_session *mine;
	int rc = sessions_app_store_context(db, a, q->beneficiary_id, &dossier, &tz);
	if (rc < 0)
		return rc == -ERR_NOTFOUND ? 0 : rc;
	int n = structure_window(q, a, dossier, tz, &s);
	if (n <= 0)
		return n;
	int n_visible = sessions_app_store_visible(db, a, q->structure_id,
						   sessions_ids_json(a, s, n, false), &visible);
	int n_mine = n_visible < 0 ? n_visible
		: sessions_app_store_mine(db, a, q->beneficiary_id, q->from, q->to, 0, &mine);
	if (n_mine < 0)
		return n_mine;
	struct app_event *ev = arena_alloc(a, sizeof(*ev) * (size_t)n);
	int k = 0;
	for (int i = 0; i < n; i++) {
		bool registered = is_mine(s[i].id, mine, n_mine);
		if (s[i].starts_at <= q->from || s[i].starts_at >= q->to ||
		    (!registered && !listed(s[i].id, visible, n_visible)))
			continue;
		ev[k++] = (struct app_event){
			.href = arena_printf(a, "/app/evenements/sessions/%s", s[i].id),
			.title = s[i].nom, .type = sessions_app_type_label(&s[i].offre),
			.starts_at = s[i].starts_at,
			.duration_min = (int)((s[i].ends_at - s[i].starts_at) / 60000),
			.registered = registered,
		};
	}
	*out = ev;
	return q->limit > 0 && k > q->limit ? q->limit : k;
}

int
sessions_app_events(struct db *db, struct arena *a, const struct app_event_query *q,
		    struct app_event **out)
{
	*out = NULL;
	if (q->scope == APP_EVENTS_STRUCTURE && q->app)
		return structure_events(db, a, q, out);
	return mine_only(db, a, q, out);
}
