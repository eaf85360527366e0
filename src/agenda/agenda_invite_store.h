/* agenda_invite_store.h — the SQL of the invitations (migration 0027): the flag and the
 * SEQUENCE an event carries, and where its creator's mail goes. Private to agenda/.
 * Writes run inside the caller's transaction; strings read are in the given arena. */
#ifndef CEJ_AGENDA_INVITE_STORE_H
#define CEJ_AGENDA_INVITE_STORE_H

struct arena;
struct db;

/* Marks @event_id as mailed to its creator, SEQUENCE 0. 0 or -ERR_DB. */
int agenda_invite_store_enable(struct db *db, const char *event_id);

/* Raises the SEQUENCE of @event_id by one when it has an invitation, in one statement (two
 * changes at once get two numbers), and returns the new value (≥ 1); 0 when the event has
 * no invitation (or does not exist); -ERR_DB. */
int agenda_invite_store_next(struct db *db, const char *event_id);

/* 1 when @event_id has an invitation, 0 when not (or no such event), -ERR_DB. */
int agenda_invite_store_on(struct db *db, const char *event_id);

/* The e-mail of @event_id's creator (*@email NULL when they have none) and the time zone
 * of its structure. 0, -ERR_NOTFOUND or -ERR_DB. */
int agenda_invite_store_recipient(struct db *db, struct arena *a, const char *event_id,
				  const char **email, const char **tz);

#endif
