/* notifications_store.c — the catalogue of notifications.md §2 and the centre's SQL. */
#include "notifications/notifications.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define DAY_MS (24 * 3600 * 1000LL)

/* Texts are constants here and nowhere else (notifications.md §2); the preference column
 * gates the push only (§6), NULL = never gated. */
static const struct {
	const char *type, *title, *body, *pref;
} catalogue[NOTIF_TYPE_COUNT] = {
	[NOTIF_NEW_ACTION] = {"NEW_ACTION", "Nouvelle action", "Vous avez une nouvelle action",
			      "pref_creation_action_conseiller"},
	[NOTIF_ACTION_UPDATED] = {"ACTION_UPDATED", "Action mise à jour",
				  "Un commentaire a été ajouté par votre conseiller", NULL},
	[NOTIF_ACTION_REMINDER] = {"ACTION_REMINDER", "Rappel action",
				   "Une action arrive à échéance dans 3 jours", "pref_rappel_actions"},
	[NOTIF_NEW_MESSAGE] = {"NEW_MESSAGE", "Nouveau message", "Vous avez un nouveau message",
			       "pref_messages"},
	[NOTIF_NEW_APPOINTMENT] = {"NEW_APPOINTMENT", "Nouveau rendez-vous",
				   "Votre conseiller a programmé un nouveau rendez-vous",
				   "pref_rendez_vous_sessions"},
	[NOTIF_APPOINTMENT_UPDATED] = {"APPOINTMENT_UPDATED", "Rendez-vous modifié",
				       "Votre rendez-vous a été modifié", "pref_rendez_vous_sessions"},
	[NOTIF_APPOINTMENT_DELETED] = {"APPOINTMENT_DELETED", "Rendez-vous supprimé",
				       "Votre rendez-vous du {jj/MM} est supprimé",
				       "pref_rendez_vous_sessions"},
	/* Never gated (§6): the guide's promise of "7 jours avant" and "la veille". */
	[NOTIF_APPOINTMENT_REMINDER_WEEK] = {"APPOINTMENT_REMINDER", "Rappel rendez-vous",
					     "Vous avez un rendez-vous dans une semaine", NULL},
	[NOTIF_APPOINTMENT_REMINDER_DAY] = {"APPOINTMENT_REMINDER", "Rappel rendez-vous",
					    "Vous avez un rendez-vous demain", NULL},
	[NOTIF_SESSION_REGISTERED] = {"SESSION_REGISTERED", "Nouveau rendez-vous",
				      "Vous êtes inscrit à l'événement {nom} du {jj/MM}",
				      "pref_rendez_vous_sessions"},
	[NOTIF_SESSION_UPDATED] = {"SESSION_UPDATED", "Rendez-vous modifié",
				   "Votre rendez-vous a été modifié", "pref_rendez_vous_sessions"},
	[NOTIF_SESSION_UNREGISTERED] = {"SESSION_UNREGISTERED", "Rendez-vous supprimé",
					"Votre rendez-vous du {jj/MM} est supprimé",
					"pref_rendez_vous_sessions"},
	[NOTIF_SESSION_REMINDER_WEEK] = {"SESSION_REMINDER", "Rappel session",
					 "Vous avez un événement dans une semaine", NULL},
	[NOTIF_SESSION_REMINDER_DAY] = {"SESSION_REMINDER", "Rappel session",
					"Vous avez un événement demain", NULL},
	[NOTIF_SESSION_SELF_REGISTERED] = {"SESSION_SELF_REGISTERED", "Inscription confirmée",
					   "Votre inscription à l'événement {nom} le {jj/MM/aaaa} "
					   "à {HHhmm} est confirmée.", "pref_rendez_vous_sessions"},
	[NOTIF_NEW_OFFERS] = {"NEW_OFFERS", "{nom de l'alerte}",
			      "De nouveaux résultats sont disponibles", "pref_alertes_offres"},
	/* Centre only (#15): notifications_add() and _titled() never ask its push. */
	[NOTIF_SEARCH_SUGGESTION] = {"SEARCH_SUGGESTION", "Nouvelle suggestion",
				     "Votre conseiller vous suggère une recherche", NULL},
};

#define DAY_MS (24 * 3600 * 1000LL)

int64_t
notifications_reminder_at(int64_t start, int days, int64_t now)
{
	int64_t lead = days * DAY_MS;
	return start - now > lead ? start - lead : 0;
}

bool
notifications_reminder_still_due(int64_t start, int days, int64_t now)
{
	if (days == 7)
		return start - now >= 6 * DAY_MS;
	return start > now && start - now <= 2 * DAY_MS;
}

/* The row of notifications_add(), with @body in place of the catalogue's. */
static int
insert_entry(struct db *db, int64_t now, const char *beneficiary_id, enum notif_type type,
	     const char *key, const char *url, const char *title, const char *body, bool push)
{
	/* The preference column name comes from the catalogue above, never from input. */
	char sql[640];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO notification(id, beneficiary_id, key, type, title, body, url, push, "
		 "  created_at) "
		 "SELECT $1, id, $2, $3, $4, $5, $6, "
		 "  CASE WHEN $9 = 1 AND activated_at IS NOT NULL AND %s = 1 THEN 1 ELSE 0 END, $7 "
		 "FROM beneficiary WHERE id = $8 AND deleted_at IS NULL "
		 "ON CONFLICT(beneficiary_id, key) DO NOTHING",
		 catalogue[type].pref ? catalogue[type].pref : "1");
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	char id[UUID_STRLEN + 1];
	id_uuid7(now, id);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, catalogue[type].type);
	db_bind_text(st, 4, title);
	db_bind_text(st, 5, body);
	db_bind_text(st, 6, url);
	db_bind_int64(st, 7, now);
	db_bind_text(st, 8, beneficiary_id);
	db_bind_int64(st, 9, push);
	return db_run(st);
}

int
notifications_add(struct db *db, int64_t now, const char *beneficiary_id, enum notif_type type,
		  const char *key, const char *url)
{
	return insert_entry(db, now, beneficiary_id, type, key, url, catalogue[type].title,
			    catalogue[type].body, type != NOTIF_SEARCH_SUGGESTION);
}

int
notifications_add_titled(struct db *db, int64_t now, const char *beneficiary_id,
			 enum notif_type type, const char *key, const char *url, const char *title)
{
	return insert_entry(db, now, beneficiary_id, type, key, url, title, catalogue[type].body,
			    type != NOTIF_SEARCH_SUGGESTION);
}

/* The row of a type whose body names a day ({jj/MM}) and maybe a session ({nom}: @name,
 * NULL when none), with a push when @push allows. */
static int
add_dated(struct db *db, int64_t now, const char *beneficiary_id, enum notif_type type,
	  const char *key, const char *url, int64_t day_of, const char *name, bool push)
{
	struct arena *a = arena_new();
	const char *tz = NULL;
	struct db_stmt *st = db_prepare(db,
		"SELECT s.timezone FROM beneficiary b JOIN structure s ON s.id = b.structure_id "
		"WHERE b.id = $1");
	int rc = st ? 0 : -ERR_DB;
	if (st) {
		db_bind_text(st, 1, beneficiary_id);
		rc = db_run_texts(st, a, 1, &tz);
	}
	if (rc == -ERR_NOTFOUND)
		rc = 0;   /* no such beneficiary: the insert below writes nothing */
	if (!rc) {
		/* "dd/mm/yyyy" → "dd/mm": the {jj/MM} of the catalogue (§2). */
		char *date = clock_fr_day(a, day_of, tz), *day = arena_strndup(a, date, 5);
		GString *body = g_string_new(catalogue[type].body);
		g_string_replace(body, "{jj/MM}", day, 0);
		g_string_replace(body, "{jj/MM/aaaa}", date, 0);
		g_string_replace(body, "{HHhmm}", clock_fr_time(a, day_of, tz), 0);
		if (name)
			g_string_replace(body, "{nom}", name, 0);
		rc = insert_entry(db, now, beneficiary_id, type, key, url, catalogue[type].title,
				  body->str, push);
		g_string_free(body, TRUE);
	}
	arena_free(a);
	return rc;
}

int
notifications_add_session(struct db *db, int64_t now, const char *beneficiary_id,
			  enum notif_type type, const char *key, const char *url, int64_t day_of,
			  const char *name)
{
	return add_dated(db, now, beneficiary_id, type, key, url, day_of, name, true);
}

int
notifications_add_dated(struct db *db, int64_t now, const char *beneficiary_id,
			enum notif_type type, const char *key, const char *url, int64_t day_of)
{
	return add_dated(db, now, beneficiary_id, type, key, url, day_of, NULL, true);
}

static int
add_coalesced(struct db *db, int64_t now, const char *beneficiary_id, enum notif_type type,
	      const char *prefix, const char *url, int64_t window_ms, bool push)
{
	/* Keys "@prefix:…" are those from "@prefix:" up to "@prefix;" (';' follows ':'): a
	 * range of the index notification_key, with no LIKE wildcard to escape. */
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM notification WHERE beneficiary_id = $1 "
		"AND key >= $3 || ':' AND key < $3 || ';' AND created_at >= $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, now - window_ms);
	db_bind_text(st, 3, prefix);
	int64_t recent = db_run_int(st);
	if (recent < 0)
		return (int)recent;
	if (recent)
		return 0;
	char key[256];
	snprintf(key, sizeof(key), "%s:%lld", prefix, (long long)now);
	return insert_entry(db, now, beneficiary_id, type, key, url, catalogue[type].title,
			    catalogue[type].body, push);
}

int
notifications_add_coalesced(struct db *db, int64_t now, const char *beneficiary_id,
			    enum notif_type type, const char *prefix, const char *url,
			    int64_t window_ms)
{
	return add_coalesced(db, now, beneficiary_id, type, prefix, url, window_ms, true);
}

int
notifications_add_opts(struct db *db, int64_t now, const char *beneficiary_id,
		       enum notif_type type, const char *key, const char *url,
		       const struct notif_opts *o)
{
	if (o->burst_ms > 0)
		return add_coalesced(db, now, beneficiary_id, type, key, url, o->burst_ms, !o->no_push);
	if (o->day_of)
		return add_dated(db, now, beneficiary_id, type, key, url, o->day_of, NULL, !o->no_push);
	return insert_entry(db, now, beneficiary_id, type, key, url, catalogue[type].title,
			    catalogue[type].body, !o->no_push);
}

int
notifications_add_push_only(struct db *db, int64_t now, const char *beneficiary_id,
			    enum notif_type type, const char *key, const char *url)
{
	/* The preference column name comes from the catalogue above, never from input. */
	char sql[640];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO notification(id, beneficiary_id, key, type, title, body, url, push, "
		 "  in_centre, created_at) "
		 "SELECT $1, id, $2, $3, $4, $5, $6, 1, 0, $7 "
		 "FROM beneficiary WHERE id = $8 AND deleted_at IS NULL "
		 "  AND activated_at IS NOT NULL AND %s = 1 "
		 "ON CONFLICT(beneficiary_id, key) DO NOTHING",
		 catalogue[type].pref ? catalogue[type].pref : "1");
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -ERR_DB;
	char id[UUID_STRLEN + 1];
	id_uuid7(now, id);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, catalogue[type].type);
	db_bind_text(st, 4, catalogue[type].title);
	db_bind_text(st, 5, catalogue[type].body);
	db_bind_text(st, 6, url);
	db_bind_int64(st, 7, now);
	db_bind_text(st, 8, beneficiary_id);
	return db_run(st);
}

int
notifications_list(struct db *db, struct arena *a, const char *beneficiary_id, int64_t now,
		   struct notification **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, type, title, body, url, created_at, seen_at IS NOT NULL, push "
		"FROM notification WHERE beneficiary_id = $1 AND in_centre = 1 AND created_at > $2 "
		"ORDER BY created_at DESC, id DESC LIMIT 200");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, now - NOTIFICATION_RETENTION_DAYS * DAY_MS);
	int n = 0, rc;
	struct notification *rows = arena_alloc(a, sizeof(*rows) * 200);
	while ((rc = db_step(st)) == DB_ROW) {
		rows[n] = (struct notification){
			.id = db_col_dup(st, a, 0), .type = db_col_dup(st, a, 1),
			.title = db_col_dup(st, a, 2), .body = db_col_dup(st, a, 3),
			.url = db_col_dup(st, a, 4), .created_at = db_col_int64(st, 5),
			.seen = db_col_int64(st, 6) != 0, .push = db_col_int64(st, 7) != 0};
		n++;
	}
	db_finish(st);
	*out = rows;
	return rc < 0 ? rc : n;
}

int
notifications_unseen(struct db *db, const char *beneficiary_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM notification WHERE beneficiary_id = $1 AND in_centre = 1 "
		"AND created_at > $2 AND seen_at IS NULL");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, now - NOTIFICATION_RETENTION_DAYS * DAY_MS);
	return (int)db_run_int(st);
}

int
notifications_mark_seen(struct db *db, const char *beneficiary_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"UPDATE notification SET seen_at = $2 WHERE beneficiary_id = $1 AND seen_at IS NULL "
		"AND in_centre = 1 AND created_at <= $2");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

int
notifications_purge(struct db *db, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM notification WHERE created_at <= $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, now - NOTIFICATION_RETENTION_DAYS * DAY_MS);
	int rc = db_run(st);
	return rc ? rc : db_changes(db);
}

int
notifications_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM notification WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}
