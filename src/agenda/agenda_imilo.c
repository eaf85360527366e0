/* agenda_imilo.c — the i-milo rendez-vous (agenda_imilo.h): the pure decisions, then the
 * local copy kept through the agenda's own store and notifications. */
#include "agenda/agenda_imilo.h"
#include "agenda/agenda_imilo_store.h"
#include "agenda/agenda_notify.h"
#include "agenda/agenda_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

#define DAY_MS (24 * 3600 * 1000LL)
#define MINUTE_MS (60 * 1000LL)
#define DEFAULT_DURATION_MIN 60

/* ---- Pure decisions ---- */

static bool
is(const char *statut, const char *label)
{
	return statut && !strcmp(statut, label);
}

bool
agenda_imilo_kept(const char *statut, int64_t starts_at, int64_t now)
{
	if (is(statut, "Annulé") || is(statut, "Reporté"))
		return false;
	/* §2's window, as cej's own RDV: a year back, two years ahead (731 days: a leap day). */
	return starts_at >= now - 365 * DAY_MS && starts_at <= now + 731 * DAY_MS;
}

bool
agenda_imilo_tells(const char *statut, int64_t starts_at, int64_t now)
{
	return starts_at > now && (is(statut, "Absent") || is(statut, "Non précisé") ||
				   is(statut, "Planifié") || is(statut, "Présent"));
}

int
agenda_imilo_duration(int64_t starts_at, int64_t ends_at)
{
	if (ends_at <= starts_at)
		return DEFAULT_DURATION_MIN;
	int64_t min = (ends_at - starts_at + MINUTE_MS - 1) / MINUTE_MS;
	return min > AGENDA_DURATION_MAX ? AGENDA_DURATION_MAX : (int)min;
}

int
agenda_imilo_attendance(const char *statut)
{
	return is(statut, "Présent") ? 1 : is(statut, "Absent") ? 0 : -1;
}

/* ---- The local copy ---- */

/* @s cut to the event table's AGENDA_TEXT_MAX characters (i-milo has no such limit);
 * NULL stays NULL. */
static const char *
fit(struct arena *a, const char *s)
{
	if (!s || g_utf8_strlen(s, -1) <= AGENDA_TEXT_MAX)
		return s;
	const char *end = g_utf8_offset_to_pointer(s, AGENDA_TEXT_MAX);
	return arena_strndup(a, s, (size_t)(end - s));
}

/* The event @rdv makes, with id @id. */
static struct event
event_of(struct arena *a, const char *id, const struct agenda_imilo_rdv *rdv, int64_t now)
{
	const char *title = fit(a, rdv->objet);
	return (struct event){
		.id = id, .type = EVENT_RENDEZ_VOUS_MILO,
		.title = title && *title ? title : NULL,
		.description = rdv->commentaire ? fit(a, rdv->commentaire) : "",
		.modality = MODALITY_NONE, .starts_at = rdv->starts_at,
		.duration_min = agenda_imilo_duration(rdv->starts_at, rdv->ends_at),
		.address = rdv->lieu ? fit(a, rdv->lieu) : "", .organism = "",
		/* i-milo RDV are held by a counselor ("avec {conseiller}"). */
		.presence = true,
		.creator_first_name = AGENDA_IMILO_CREATOR_FIRST,
		.creator_last_name = AGENDA_IMILO_CREATOR_LAST,
		.structure_id = rdv->structure_id, .created_at = now, .updated_at = now,
	};
}

/* Deletes @e, telling its participant when @tell. */
static int
drop(struct db *db, int64_t now, const struct event *e, bool tell, bool push)
{
	struct agenda_notify_opts o = {.notices = tell, .push = push};
	int rc = agenda_notify_deleted_opts(db, now, e, &o);
	return rc ? rc : agenda_store_delete(db, e->id);
}

static int
upsert(struct db *db, struct arena *a, int64_t now, const struct agenda_imilo_rdv *rdv,
       const struct event *before, bool push)
{
	char id[UUID_STRLEN + 1];
	if (!before)
		id_uuid7(now, id);
	struct event e = event_of(a, before ? before->id : id, rdv, now);
	const char *ids[] = {rdv->beneficiary_id};
	struct agenda_notify_opts o = {
		.notices = agenda_imilo_tells(rdv->statut, rdv->starts_at, now), .push = push};
	int rc;
	if (before) {
		e.created_at = before->created_at;
		/* Told before the row changes: agenda_notify compares with what is stored. */
		/* The participant too: the dossier's account may have been created again. */
		if ((rc = agenda_notify_edited_opts(db, now, before, &e, ids, 1, &o)) ||
		    (rc = agenda_store_update(db, &e)) ||
		    (rc = agenda_store_set_participants(db, e.id, ids, 1, now)))
			return rc;
	} else if ((rc = agenda_imilo_store_insert(db, &e, rdv->imilo_id)) ||
		   (rc = agenda_store_set_participants(db, e.id, ids, 1, now)) ||
		   (rc = agenda_notify_created_opts(db, now, &e, ids, 1, &o))) {
		return rc;
	}
	return agenda_imilo_store_attendance(db, e.id, agenda_imilo_attendance(rdv->statut));
}

int
agenda_imilo_apply(struct db *db, int64_t now, const struct agenda_imilo_rdv *rdv, bool push)
{
	struct arena *a = arena_new();
	struct event before;
	int rc = agenda_imilo_store_find(db, a, rdv->imilo_id, &before);
	bool known = rc == 0;
	if (rc == -ERR_NOTFOUND)
		rc = 0;
	if (!rc) {
		if (!agenda_imilo_kept(rdv->statut, rdv->starts_at, now))
			rc = known ? drop(db, now, &before, before.starts_at > now, push) : 0;
		else
			rc = upsert(db, a, now, rdv, known ? &before : NULL, push);
	}
	arena_free(a);
	return rc;
}

int
agenda_imilo_remove(struct db *db, int64_t now, const char *imilo_id, bool push)
{
	struct arena *a = arena_new();
	struct event e;
	int rc = agenda_imilo_store_find(db, a, imilo_id, &e);
	if (rc == 0)
		rc = drop(db, now, &e, e.starts_at > now, push);
	else if (rc == -ERR_NOTFOUND)
		rc = 0;
	arena_free(a);
	return rc;
}

int
agenda_imilo_purge_past(struct db *db, int64_t now)
{
	struct arena *a = arena_new();
	const char **ids = NULL;
	int rc = db_tx_begin(db);
	int n = rc ? rc : agenda_imilo_store_older(db, a, now - AGENDA_IMILO_KEEP_DAYS * DAY_MS, &ids);
	rc = n < 0 ? n : 0;
	for (int i = 0; !rc && i < n; i++)
		if (!(rc = agenda_notify_forget(db, ids[i])))
			rc = agenda_store_delete(db, ids[i]);
	rc = db_tx_end(db, rc);
	arena_free(a);
	return rc ? rc : n;
}
