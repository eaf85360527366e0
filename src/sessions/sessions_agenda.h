/* sessions_agenda.h — the i-milo sessions on the counselor's /agenda page (agenda.md §3):
 * the feature's agenda_rows hook (core/feature.h). "Agenda Mission Locale": every session
 * of the counselor's structure in the period (S1, with the acting counselor's identity),
 * with cej's visibility and status; "Mon agenda": the sessions where at least one of the
 * counselor's beneficiaries is Inscrit or Présent. i-milo failing (or the counselor having
 * no i-milo identity) gives -ERR_UNAVAILABLE: the agenda keeps its own rows and says so. */
#ifndef CEJ_SESSIONS_AGENDA_H
#define CEJ_SESSIONS_AGENDA_H

#include "core/feature.h"
#include "imilo/imilo_sessions.h"

int sessions_agenda_rows(const struct ctx *app, struct db *db, struct arena *a,
			 const struct agenda_rows_query *q, struct agenda_row **out);

/* S1 of structure @code over [@from_day, @to_day] as counselor @login, through the kept
 * answers (sessions_cache.h): the session page's check of a session's structure and the
 * agenda's and Pilotage's rows share them. Count or -1 with @res. */
int sessions_structure_list(struct imilo_client *c, struct arena *a, const char *login,
			    const char *code, const char *tz, const char *from_day,
			    const char *to_day, struct imilo_session **out, struct imilo_result *res);

/* Forgets the kept S1 answers of structure @structure_id (cej's id): after cej wrote to
 * i-milo, the writer's next agenda or Pilotage page reads i-milo again. */
void sessions_forget(struct db *db, struct arena *a, const char *structure_id);

/* The title cej shows of session @s: its offer's name, then its own ("offre – session"),
 * or its own alone. Arena-owned. */
const char *sessions_title(struct arena *a, const struct imilo_session *s);
/* The ids of the @n sessions of @s (or, with @dossiers, of their registrants' dossiers) as
 * a JSON array, for the stores' json_each(). Arena-owned. */
const char *sessions_ids_json(struct arena *a, const struct imilo_session *s, int n,
			      bool dossiers);

/* "Atelier i-milo" for a WORKSHOP, "info coll i-milo" otherwise (§3). Static. */
const char *sessions_agenda_type_label(const struct imilo_session *s);

#endif
