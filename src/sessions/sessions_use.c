/* sessions_use.c — the use cases of the session page (sessions_use.h). */
#include "sessions/sessions_use.h"
#include "sessions/sessions_agenda.h"
#include "sessions/sessions_cache.h"
#include "sessions/sessions_registration.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/text.h"
#include "core/ctx.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

/* ---- Reading ---- */

static void
derive(struct session_view *v, int64_t now)
{
	const char **statuts = NULL;
	int n = v->imilo_ok ? v->n_regs : 0;
	if (n) {
		statuts = g_new(const char *, (size_t)n);
		for (int i = 0; i < n; i++)
			statuts[i] = v->regs[i].statut;
	}
	v->status = v->imilo_ok ? sessions_status(v->s.starts_at, v->flags.closed_at, statuts, n, now)
				: (v->flags.closed_at ? SESSION_CLOSED : SESSION_UPCOMING);
	v->open = v->imilo_ok && !v->flags.closed_at && now < v->s.closes_at;
	g_free(statuts);
}

/* Is session @s one of the counselor's structure? S3 does not say: S1 (the structure's
 * sessions of that day, 403 outside it) does. A kept answer (sessions_cache.h) may predate
 * a session created at the desk since: one not listed there is asked of i-milo again.
 * 1 yes, 0 no, -1 i-milo could not say. */
static int
of_structure(struct imilo_client *c, struct db *db, struct arena *a, const struct user *u,
	     const struct imilo_actor *who, const struct imilo_session *s)
{
	const char *code = NULL;
	if (sessions_store_structure_code(db, a, u->structure_id, &code))
		return -1;
	const char *day = clock_iso_day(a, s->starts_at, u->timezone);
	for (int fresh = 0; fresh < 2; fresh++) {
		struct imilo_session *list;
		struct imilo_result res;
		int n = sessions_structure_list(c, a, who->bearer, code, u->timezone, day, day,
						&list, &res);
		if (n < 0)
			return res.status == IMILO_REFUSED || res.status == IMILO_NOT_FOUND ? 0 : -1;
		for (int i = 0; i < n; i++)
			if (list[i].id && !strcmp(list[i].id, s->id))
				return 1;
		sessions_cache_forget(code);
	}
	return 0;
}

int
sessions_view(struct imilo_client *c, struct db *db, struct arena *a, const struct user *u,
	      const char *id, int64_t now, struct session_view *out)
{
	*out = (struct session_view){.id = id};
	if (!id || !text_is_digits(id, 18))
		return -ERR_NOTFOUND;
	int rc = sessions_store_flags(db, a, id, &out->flags);
	if (rc)
		return rc;
	if (out->flags.structure_id && strcmp(out->flags.structure_id, u->structure_id))
		return -ERR_NOTFOUND;
	const char *login = NULL;
	if ((rc = sessions_store_counselor_login(db, a, u->id, &login)))
		return rc;
	if (login && c) {
		struct imilo_actor who = {.bearer = login};
		struct imilo_result res;
		rc = imilo_get_session(c, a, &who, id, u->timezone, &out->s, &res) ? -1 : 0;
		if (!rc && !out->flags.structure_id) {
			/* Known to cej: its row says whose it is; else S1 must list it. */
			int mine = of_structure(c, db, a, u, &who, &out->s);
			if (!mine)
				return -ERR_NOTFOUND;
			rc = mine < 0 ? -1 : 0;
			res.status = IMILO_DOWN;
		}
		if (!rc) {
			out->n_regs = imilo_session_registrants(c, a, &who, id, &out->regs, &res);
			rc = out->n_regs < 0 ? -1 : 0;
		}
		if (rc && (res.status == IMILO_NOT_FOUND
			   || (res.status == IMILO_REFUSED && res.code
			       && !strcmp(res.code, "HORS_STRUCTURE"))))
			return -ERR_NOTFOUND;
		out->imilo_ok = rc == 0;
	}
	derive(out, now);
	return 0;
}

/* ---- Visibility ---- */

int
sessions_set_visibility(struct db *db, const struct user *u, int64_t now,
			const struct session_view *v, bool visible, bool auto_registration)
{
	int rc = db_tx_begin(db);
	if (!rc)
		rc = sessions_store_set_visibility(db, now, v->id, u->structure_id, visible,
						   auto_registration);
	return db_tx_end(db, rc);
}

/* ---- Writing to i-milo, then recording ---- */

/* The local copy of what i-milo accepted for dossier @dossier: statut @statut, or deleted
 * (@statut NULL). A registrant without a cej account has no copy. Its own transaction. */
static int
record(struct db *db, struct arena *a, int64_t now, const struct session_view *v,
       const char *dossier, const char *instance, const char *statut)
{
	struct session_candidate b;
	int rc = sessions_store_by_dossier(db, a, dossier, &b);
	if (rc == -ERR_NOTFOUND)
		return 0;
	if (rc || (rc = db_tx_begin(db)))
		return rc;
	if (statut)
		rc = sessions_registration_apply(db, now, &(struct session_registration){
			.instance_id = instance, .session_id = v->id, .beneficiary_id = b.id,
			.session_name = v->s.nom, .starts_at = v->s.starts_at, .ends_at = v->s.ends_at,
			.statut = statut});
	else
		rc = sessions_registration_delete(db, now, b.id, instance);
	return db_tx_end(db, rc);
}

static const char *
target_statut(enum stage_action a)
{
	switch (a) {
	case STAGE_REFUSAL:
		return "REFUSAL";
	case STAGE_REFUSAL_YOUNG:
		return "REFUSAL_YOUNG";
	case STAGE_REREGISTER:
	case STAGE_CREATE:
		return "ONGOING";
	case STAGE_DELETE:
	case STAGE_NONE:
		break;
	}
	return NULL;
}

/* Sends one change; on success *@instance and *@statut say what to record (statut NULL:
 * the instance is gone). */
static int
send_one(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
	 const struct session_view *v, const struct staged *s, const char **instance,
	 struct imilo_result *res)
{
	const char *comment = s->change.comment && *s->change.comment ? s->change.comment : NULL;
	switch (s->change.action) {
	case STAGE_DELETE:
		*instance = s->reg->id;
		return imilo_unregister(c, a, who, s->reg->dossier_id, s->reg->id, res);
	case STAGE_REFUSAL:
	case STAGE_REFUSAL_YOUNG:
	case STAGE_REREGISTER:
		*instance = s->reg->id;
		return imilo_set_instance(c, a, who, s->reg->dossier_id, s->reg->id,
					  target_statut(s->change.action),
					  s->change.action == STAGE_REFUSAL_YOUNG ? comment : NULL,
					  NULL, res);
	case STAGE_CREATE:
		return imilo_register(c, a, who, s->who->dossier_id, v->id, instance, res);
	case STAGE_NONE:
		break;
	}
	return 0;
}

static const char *
dossier_of(const struct staged *s)
{
	return s->reg ? s->reg->dossier_id : s->who->dossier_id;
}

static enum save_outcome
failed(int done, const struct imilo_result *res)
{
	if (done)
		return SAVE_PARTIAL;
	if (res->status == IMILO_DOWN)
		return SAVE_NONE_DOWN;
	if (res->status == IMILO_REFUSED && res->code && !strcmp(res->code, "PLUS_DE_PLACE"))
		return SAVE_NONE_PLACES;
	return SAVE_PARTIAL;
}

int
sessions_save(struct imilo_client *c, struct db *db, struct arena *a, const struct user *u,
	      int64_t now, const struct session_view *v, const struct staged *changes, int n,
	      enum save_outcome *out)
{
	const char *login = NULL;
	int rc = sessions_store_counselor_login(db, a, u->id, &login);
	*out = SAVE_NONE_DOWN;
	if (rc || !login || !c)
		return rc;
	struct stage_change *plain = arena_alloc(a, sizeof(*plain) * (size_t)(n + 1));
	int *order = arena_alloc(a, sizeof(*order) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		plain[i] = changes[i].change;
	/* In the order of §5.3, one after the other: the client spaces them by 50 ms. */
	int k = sessions_write_order(plain, n, order);
	struct imilo_actor who = {.bearer = login};
	for (int i = 0; i < k; i++) {
		const struct staged *s = &changes[order[i]];
		const char *instance = NULL;
		struct imilo_result res;
		if (send_one(c, a, &who, v, s, &instance, &res)) {
			log_warn("session %s : écriture i-milo %d/%d refusée (%d, %s)", v->id, i + 1, k,
				 res.http_status, res.code ? res.code : "-");
			*out = failed(i, &res);
			return 0;
		}
		if ((rc = record(db, a, now, v, dossier_of(s), instance,
				 target_statut(s->change.action))))
			return rc;
	}
	*out = SAVE_DONE;
	return 0;
}

/* ---- Closing ---- */

static bool
listed(const char *const *ids, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] && !strcmp(ids[i], id))
			return true;
	return false;
}

/* Are @registered exactly the current Inscrit rows of @v? */
static bool
same_registered(const struct session_view *v, const char *const *registered, int n)
{
	int current = 0;
	for (int i = 0; i < v->n_regs; i++) {
		const char *comment;
		const struct imilo_instance *p = &v->regs[i];
		if (!sessions_close_statut(p->statut, false, &comment))
			continue;   /* not an Inscrit: nothing to decide for it */
		if (!listed(registered, n, p->id))
			return false;
		current++;
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(registered[i], registered[j]))
				return false;
	return current == n;
}

static int
mark_closed(struct db *db, int64_t now, const char *session_id, const char *structure_id)
{
	int rc = db_tx_begin(db);
	if (!rc)
		rc = sessions_store_close(db, now, session_id, structure_id);
	return db_tx_end(db, rc);
}

int
sessions_close(struct imilo_client *c, struct db *db, struct arena *a, const struct user *u,
	       int64_t now, const struct session_view *v, const char *const *registered,
	       int n_registered, const char *const *present, int n_present,
	       enum save_outcome *out)
{
	*out = SAVE_NONE_DOWN;
	if (!v->imilo_ok || v->status != SESSION_TO_CLOSE
	    || !same_registered(v, registered, n_registered))
		return -ERR_INVAL;
	for (int i = 0; i < n_present; i++) {
		bool known = false;
		for (int j = 0; !known && j < v->n_regs; j++)
			known = !strcmp(v->regs[j].id, present[i]);
		if (!known)
			return -ERR_INVAL;
	}
	const char *login = NULL;
	int rc = sessions_store_counselor_login(db, a, u->id, &login);
	if (rc || !login || !c)
		return rc;
	struct imilo_actor who = {.bearer = login};
	const char *day = clock_iso_day(a, v->s.starts_at, u->timezone);
	int done = 0;
	for (int i = 0; i < v->n_regs; i++) {
		const struct imilo_instance *p = &v->regs[i];
		const char *comment;
		const char *statut = sessions_close_statut(p->statut, listed(present, n_present, p->id),
							   &comment);
		if (!statut)
			continue;
		struct imilo_result res;
		if (imilo_set_instance(c, a, &who, p->dossier_id, p->id, statut, comment,
				       !strcmp(statut, "ACHIEVED") ? day : NULL, &res)) {
			log_warn("session %s : clôture interrompue (%d, %s)", v->id, res.http_status,
				 res.code ? res.code : "-");
			*out = failed(done, &res) == SAVE_NONE_DOWN ? SAVE_NONE_DOWN : SAVE_PARTIAL;
			return 0;
		}
		done++;
		if ((rc = record(db, a, now, v, p->dossier_id, p->id, statut)))
			return rc;
	}
	if ((rc = mark_closed(db, now, v->id, u->structure_id)))
		return rc;
	*out = SAVE_DONE;
	return 0;
}

/* ---- §5.5 rule 4, daily ---- */

int
sessions_auto_close(struct imilo_client *c, struct db *db, struct arena *a, int64_t now)
{
	struct open_session *list;
	int n = sessions_store_open_started(db, a, now, &list), rc = 0, closed = 0;
	if (n < 0)
		return n;
	struct imilo_actor op = {.bearer = NULL, .background = true};   /* the daily job */
	for (int i = 0; !rc && i < n; i++) {
		struct imilo_session s;
		struct imilo_instance *regs;
		struct imilo_result res;
		if (imilo_get_session(c, a, &op, list[i].id, list[i].timezone, &s, &res))
			continue;   /* i-milo down or session gone: the next run sees */
		if (s.starts_at > now)
			continue;
		int k = imilo_session_registrants(c, a, &op, list[i].id, &regs, &res);
		if (k < 0)
			continue;
		const char **statuts = arena_alloc(a, sizeof(*statuts) * (size_t)(k + 1));
		for (int j = 0; j < k; j++)
			statuts[j] = regs[j].statut;
		if (sessions_should_auto_close(s.starts_at, 0, statuts, k, now)) {
			rc = mark_closed(db, now, list[i].id, list[i].structure_id);
			closed++;
		}
	}
	if (closed)
		log_info("%d session(s) i-milo close(s) : plus personne à émarger", closed);
	return rc;
}
