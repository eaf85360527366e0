/* agenda_imilo_store.h — the SQL of the i-milo rendez-vous (migration 0033: event.imilo_id).
 * Private to agenda/. Writes run inside the caller's transaction. */
#ifndef CEJ_AGENDA_IMILO_STORE_H
#define CEJ_AGENDA_IMILO_STORE_H

#include "agenda/agenda.h"

#include <stdint.h>

struct arena;
struct db;

/* The local copy of i-milo RDV @imilo_id. 0, -ERR_NOTFOUND or -ERR_DB. */
int agenda_imilo_store_find(struct db *db, struct arena *a, const char *imilo_id,
			    struct event *out);
/* Inserts @e (type RENDEZ_VOUS_MILO, no creator) as the copy of @imilo_id. */
int agenda_imilo_store_insert(struct db *db, const struct event *e, const char *imilo_id);
/* Sets the attendance of every participant of @event_id: @present 1, 0, or -1 (NULL). */
int agenda_imilo_store_attendance(struct db *db, const char *event_id, int present);
/* The ids of the i-milo RDV starting before @before, into *@out (arena). Count or -ERR_DB. */
int agenda_imilo_store_older(struct db *db, struct arena *a, int64_t before, const char ***out);

#endif
