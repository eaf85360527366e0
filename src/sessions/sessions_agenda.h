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

/* agenda.md §5.5, first match wins: 2 Close if cej closed it (even ahead of its start);
 * 0 À venir before its start; 1 À clore while a registrant is still ONGOING; else 2 Close
 * (every registrant marked, or nobody registered). Pure. */
int sessions_status(const struct imilo_session *s, int64_t closed_at, int64_t now);

/* "Atelier i-milo" for a WORKSHOP, "info coll i-milo" otherwise (§3). Static. */
const char *sessions_agenda_type_label(const struct imilo_session *s);

#endif
