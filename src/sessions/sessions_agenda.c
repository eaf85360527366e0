/* sessions_agenda.c — the session rows of the /agenda page (sessions_agenda.h). */
#include "sessions/sessions_agenda.h"

#include "sessions/sessions.h"
#include "sessions/sessions_agenda_store.h"
#include "sessions/sessions_pilotage.h"
#include "sessions/sessions_store.h"
#include "sessions/sessions_cache.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/text.h"
#include "core/ctx.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The status of agenda.md §5.5 (sessions.h) of a session S1 gave with its registrants. */
static enum session_status
status_of(struct arena *a, const struct imilo_session *s, int64_t closed_at, int64_t now)
{
	int n = s->n_instances > 0 ? s->n_instances : 0;
	const char **statuts = arena_alloc(a, sizeof(*statuts) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		statuts[i] = s->instances[i].statut;
	return sessions_status(s->starts_at, closed_at, statuts, n, now);
}

const char *
sessions_agenda_type_label(const struct imilo_session *s)
{
	return s->offre.type && !strcmp(s->offre.type, "WORKSHOP") ? "Atelier i-milo"
								   : "info coll i-milo";
}

/* Registrants who take part (Inscrit, Présent): those who count against the places. */
static bool
takes_part(const struct imilo_instance *i)
{
	return sessions_statut_is_participant(i->statut);
}

int
sessions_structure_list(struct imilo_client *c, struct arena *a, const char *login,
			const char *code, const char *tz, const char *from_day, const char *to_day,
			struct imilo_session **out, struct imilo_result *res)
{
	int n = sessions_cache_get(a, code, from_day, to_day, out);
	if (n >= 0) {
		*res = (struct imilo_result){.status = IMILO_OK};
		return n;
	}
	n = imilo_structure_sessions(c, a, &(struct imilo_actor){.bearer = login}, code, tz,
				     from_day, to_day, out, res);
	if (n >= 0)
		sessions_cache_put(code, from_day, to_day, *out, n);
	return n;
}

void
sessions_forget(struct db *db, struct arena *a, const char *structure_id)
{
	const char *code = NULL;
	if (structure_id && sessions_store_structure_code(db, a, structure_id, &code) == 0 && code)
		sessions_cache_forget(code);
}

/* The acting counselor's i-milo login and their structure's code; -ERR_UNAVAILABLE when
 * either is unknown (i-milo cannot be asked for them). */
static int
identity(struct db *db, struct arena *a, const char *counselor_id, const char *structure_id,
	 const char **login, const char **code)
{
	*login = *code = NULL;
	int rc = sessions_store_counselor_login(db, a, counselor_id, login);
	if (!rc)
		rc = sessions_store_structure_code(db, a, structure_id, code);
	if (rc < 0 && rc != -ERR_NOTFOUND)
		return rc;
	return *login && *code ? 0 : -ERR_UNAVAILABLE;
}

/* The structure's sessions of the period, as counselor @login. */
static int
structure_sessions(const struct ctx *app, struct arena *a, const char *login, const char *code,
		   const struct agenda_rows_query *q, struct imilo_session **out)
{
	struct imilo_result res;
	int n = sessions_structure_list(app->imilo, a, login, code, q->timezone, q->from_day,
					q->to_day, out, &res);
	return n < 0 ? -ERR_UNAVAILABLE : n;
}

const char *
sessions_title(struct arena *a, const struct imilo_session *s)
{
	return s->offre.nom ? arena_printf(a, "%s – %s", s->offre.nom, s->nom) : s->nom;
}

const char *
sessions_ids_json(struct arena *a, const struct imilo_session *s, int n, bool dossiers)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		if (!dossiers)
			json_array_append_new(arr, json_string(s[i].id));
		for (int k = 0; dossiers && k < s[i].n_instances; k++)
			json_array_append_new(arr, json_string(s[i].instances[k].dossier_id));
	}
	char *text = json_dumps(arr, JSON_COMPACT);
	const char *out = arena_strdup(a, text);
	free(text);
	json_decref(arr);
	return out;
}

static void
row_of(struct arena *a, const struct imilo_session *s, int64_t closed_at, bool visible,
       int64_t now, struct agenda_row *r)
{
	int participants = 0;
	for (int i = 0; i < s->n_instances; i++)
		participants += takes_part(&s->instances[i]);
	*r = (struct agenda_row){
		.id = s->id, .href = arena_printf(a, "/agenda/sessions/%s", s->id),
		.title = sessions_title(a, s),
		.type_label = sessions_agenda_type_label(s), .starts_at = s->starts_at,
		.duration_min = (int)((s->ends_at - s->starts_at) / 60000),
		.status = (int)status_of(a, s, closed_at, now), .visible = visible,
		.participants = participants,
		.capacity = s->places >= 0 ? s->places + participants : 0,
		.full = s->places == 0,
	};
}

/* Mon agenda's "Bénéficiaire" of @s: my one registrant taking part, "Bénéficiaires
 * multiples" for several, NULL when none of mine takes part (the row is not mine). */
static const char *
my_beneficiary(struct arena *a, const struct imilo_session *s, const struct my_registrant *mine,
	       int n_mine)
{
	const struct my_registrant *found = NULL;
	int count = 0;
	for (int i = 0; i < s->n_instances; i++) {
		if (!takes_part(&s->instances[i]))
			continue;
		for (int k = 0; k < n_mine; k++)
			if (!strcmp(mine[k].dossier_id, s->instances[i].dossier_id)) {
				found = &mine[k];
				count++;
			}
	}
	if (count > 1)
		return "Bénéficiaires multiples";
	return found ? arena_printf(a, "%s %s", text_upper(a, found->last_name), found->first_name)
		     : NULL;
}

static const struct listed_flags *
flags_of(const struct listed_flags *f, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].id, id))
			return &f[i];
	return NULL;
}

int
sessions_agenda_rows(const struct ctx *app, struct db *db, struct arena *a,
		     const struct agenda_rows_query *q, struct agenda_row **out)
{
	const char *login, *code;
	struct imilo_session *s;
	struct listed_flags *flags;
	struct my_registrant *mine = NULL;
	int n_mine = 0;

	*out = NULL;
	int rc = identity(db, a, q->counselor_id, q->structure_id, &login, &code);
	if (rc < 0)
		return rc;
	int n = structure_sessions(app, a, login, code, q, &s);
	if (n <= 0)
		return n;
	int n_flags = sessions_agenda_store_flags(db, a, sessions_ids_json(a, s, n, false),
						  &flags);
	if (n_flags < 0)
		return n_flags;
	if (q->mine && (n_mine = sessions_agenda_store_mine(db, a, q->counselor_id,
							     sessions_ids_json(a, s, n, true), &mine)) < 0)
		return n_mine;
	struct agenda_row *rows = arena_alloc(a, sizeof(*rows) * (size_t)n);
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (s[i].starts_at < q->from || s[i].starts_at >= q->to)
			continue;   /* S1 matches by local day: the period's instants decide */
		const struct listed_flags *f = flags_of(flags, n_flags, s[i].id);
		const char *who = q->mine ? my_beneficiary(a, &s[i], mine, n_mine) : NULL;
		if (q->mine && !who)
			continue;
		row_of(a, &s[i], f ? f->closed_at : 0, f && f->visible, q->now, &rows[k]);
		rows[k].beneficiary = who;
		if (!q->mine)
			rows[k].visibility_action =
				arena_printf(a, "/agenda/sessions/%s/visibilite", s[i].id);
		k++;
	}
	*out = rows;
	return k;
}

int
sessions_to_close(const struct ctx *app, struct db *db, struct arena *a, const struct user *u,
		  int64_t now, struct session_to_close **out)
{
	const char *login, *code;
	struct imilo_session *s;
	struct listed_flags *flags;
	int64_t today = clock_day_of(now, u->timezone);
	struct agenda_rows_query q = {
		.counselor_id = u->id, .structure_id = u->structure_id, .timezone = u->timezone,
		.from_day = clock_day_iso(a, today - app->cfg->pilotage_sessions_lookback_days),
		.to_day = clock_day_iso(a, today), .now = now,
	};

	*out = NULL;
	if (!u->structure_id)
		return 0;
	int rc = identity(db, a, u->id, u->structure_id, &login, &code);
	if (rc < 0)
		return rc;
	int n = structure_sessions(app, a, login, code, &q, &s);
	if (n <= 0)
		return n;
	int n_flags = sessions_agenda_store_flags(db, a, sessions_ids_json(a, s, n, false),
						  &flags);
	if (n_flags < 0)
		return n_flags;
	struct session_to_close *list = arena_alloc(a, sizeof(*list) * (size_t)n);
	int k = 0;
	for (int i = 0; i < n; i++) {   /* S1 sorts by start: oldest first */
		const struct listed_flags *f = flags_of(flags, n_flags, s[i].id);
		if (status_of(a, &s[i], f ? f->closed_at : 0, now) != SESSION_TO_CLOSE)
			continue;
		list[k++] = (struct session_to_close){
			.id = s[i].id, .starts_at = s[i].starts_at,
			.title = sessions_title(a, &s[i]),
		};
	}
	*out = list;
	return k;
}
