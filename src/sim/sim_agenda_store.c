/* sim_agenda_store.c — the SQL of sessions, offers, instances, rendez-vous and the event
 * feed (see sim_agenda_store.h). */
#include "sim/sim_agenda_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

#define SESSION_COLS                                                                       \
	"s.id, s.structure_code, st.timezone, s.offre_id, s.nom, s.date_heure_debut, "     \
	"s.date_heure_fin, s.date_max_inscription, s.animateur, s.lieu, s.commentaire, "   \
	"coalesce(s.capacity, -1), "                                                       \
	"(SELECT count(*) FROM instance i WHERE i.session_id = s.id "                      \
	" AND i.statut IN ('ONGOING', 'ACHIEVED')), "                                      \
	"o.nom, o.theme, o.type, o.description, o.nom_partenaire "                         \
	"FROM session s JOIN structure st ON st.code = s.structure_code "                  \
	"JOIN offre o ON o.id = s.offre_id "

#define INSTANCE_COLS                                                                      \
	"i.id, i.session_id, i.dossier_id, i.statut, i.commentaire, i.date_debut_reelle, " \
	"coalesce(d.nom_usage, d.nom_naissance), d.prenom, d.structure_code "              \
	"FROM instance i JOIN dossier d ON d.id = i.dossier_id "

#define RDV_COLS                                                                           \
	"id, dossier_id, date_heure_debut, date_heure_fin, objet, conseiller, type, "      \
	"statut, commentaire, lieu FROM rdv "

static void *
array_to_arena(struct arena *a, GArray *arr, size_t size, int *n)
{
	void *items = arena_alloc(a, size * (arr->len ? arr->len : 1));

	if (arr->len)
		memcpy(items, arr->data, size * arr->len);
	*n = (int)arr->len;
	g_array_free(arr, TRUE);
	return items;
}

/* Binds an optional count: negative binds NULL. */
static void
bind_opt_int(struct db_stmt *st, int idx, int64_t v)
{
	if (v < 0)
		db_bind_null(st, idx);
	else
		db_bind_int64(st, idx, v);
}

/* Runs a statement … RETURNING one integer, written to *id: -ERR_NOTFOUND when no row
 * came back (a DELETE of nothing). */
static int
run_returning(struct db_stmt *st, int64_t *id)
{
	int rc = db_step(st);

	if (rc == DB_ROW) {
		*id = db_col_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
sim_store_agenda_clear(struct db *db)
{
	/* Children first (foreign keys), then the sequences: a reset gives the same ids. */
	return db_exec(db, "DELETE FROM event; DELETE FROM instance; DELETE FROM rdv; "
			   "DELETE FROM session; DELETE FROM offre; "
			   "DELETE FROM sqlite_sequence WHERE name IN "
			   "('event', 'instance', 'rdv', 'session'); "
			   "INSERT INTO sqlite_sequence(name, seq) VALUES ('instance', 50000), "
			   "('rdv', 7000), ('session', 1000);");
}

int
sim_store_seed_offre(struct db *db, const struct sim_offre *o)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO offre(id, nom, theme, type, description, "
					    "nom_partenaire) VALUES ($1, $2, $3, $4, $5, $6)");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, o->id);
	db_bind_text(st, 2, o->nom);
	db_bind_text(st, 3, o->theme);
	db_bind_text(st, 4, o->type);
	db_bind_text(st, 5, o->description);
	db_bind_text(st, 6, o->nom_partenaire);
	return db_run(st);
}

static void
bind_session(struct db_stmt *st, const struct sim_session *s)
{
	db_bind_text(st, 2, s->structure_code);
	db_bind_int64(st, 3, s->offre_id);
	db_bind_text(st, 4, s->nom);
	db_bind_text(st, 5, s->debut);
	db_bind_text(st, 6, s->fin);
	db_bind_text(st, 7, s->date_max);
	db_bind_text(st, 8, s->animateur);
	db_bind_text(st, 9, s->lieu);
	bind_opt_int(st, 10, s->capacity);
	db_bind_text(st, 11, s->commentaire);
}

int
sim_store_seed_session(struct db *db, struct sim_session *s)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO session(id, structure_code, offre_id, nom, date_heure_debut, "
		    "date_heure_fin, date_max_inscription, animateur, lieu, capacity, commentaire) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id");
	if (!st)
		return -ERR_DB;
	bind_opt_int(st, 1, s->id > 0 ? s->id : -1);
	bind_session(st, s);
	return run_returning(st, &s->id);
}

static int
insert_instance(struct db *db, struct sim_instance *i)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO instance(session_id, dossier_id, statut, "
					    "commentaire, date_debut_reelle) "
					    "VALUES ($1, $2, $3, $4, $5) RETURNING id");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, i->session_id);
	db_bind_int64(st, 2, i->dossier_id);
	db_bind_text(st, 3, i->statut);
	db_bind_text(st, 4, i->commentaire);
	db_bind_text(st, 5, i->date_debut_reelle);
	return run_returning(st, &i->id);
}

int
sim_store_seed_instance(struct db *db, const struct sim_instance *i)
{
	struct sim_instance copy = *i;
	return insert_instance(db, &copy);
}

static void
bind_rdv(struct db_stmt *st, const struct sim_rdv *r)
{
	db_bind_int64(st, 2, r->dossier_id);
	db_bind_text(st, 3, r->debut);
	db_bind_text(st, 4, r->fin);
	db_bind_text(st, 5, r->objet);
	db_bind_text(st, 6, r->conseiller);
	db_bind_text(st, 7, r->type);
	db_bind_text(st, 8, r->statut);
	db_bind_text(st, 9, r->commentaire);
	db_bind_text(st, 10, r->lieu);
}

static int
insert_rdv(struct db *db, struct sim_rdv *r)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO rdv(id, dossier_id, date_heure_debut, date_heure_fin, objet, "
		    "conseiller, type, statut, commentaire, lieu) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id");
	if (!st)
		return -ERR_DB;
	bind_opt_int(st, 1, r->id > 0 ? r->id : -1);
	bind_rdv(st, r);
	return run_returning(st, &r->id);
}

int
sim_store_seed_rdv(struct db *db, const struct sim_rdv *r)
{
	struct sim_rdv copy = *r;
	return insert_rdv(db, &copy);
}

/* ---- sessions ---- */

static void
read_session(struct db_stmt *st, struct arena *a, struct sim_session *s)
{
	*s = (struct sim_session){
		.id = db_col_int64(st, 0),
		.structure_code = db_col_dup(st, a, 1),
		.timezone = db_col_dup(st, a, 2),
		.offre_id = db_col_int64(st, 3),
		.nom = db_col_dup(st, a, 4),
		.debut = db_col_dup(st, a, 5),
		.fin = db_col_dup(st, a, 6),
		.date_max = db_col_dup(st, a, 7),
		.animateur = db_col_dup(st, a, 8),
		.lieu = db_col_dup(st, a, 9),
		.commentaire = db_col_dup(st, a, 10),
		.capacity = db_col_int64(st, 11),
		.taken = db_col_int64(st, 12),
	};
	s->offre = (struct sim_offre){
		.id = s->offre_id,
		.nom = db_col_dup(st, a, 13),
		.theme = db_col_dup(st, a, 14),
		.type = db_col_dup(st, a, 15),
		.description = db_col_dup(st, a, 16),
		.nom_partenaire = db_col_dup(st, a, 17),
	};
}

int
sim_store_session_get(struct db *db, struct arena *a, int64_t id, struct sim_session *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " SESSION_COLS "WHERE s.id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_session(st, a, out);
	db_finish(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? -ERR_NOTFOUND : rc;
}

/* The WHERE of a search: $1 structure, $2/$3 the date bounds (NULL: open). */
#define SEARCH_WHERE                                                                       \
	"WHERE s.structure_code = $1 AND ($2 IS NULL OR substr(s.date_heure_debut, 1, 10) >= $2) " \
	"AND ($3 IS NULL OR substr(s.date_heure_debut, 1, 10) <= $3) "

static void
bind_search(struct db_stmt *st, const struct sim_session_query *q)
{
	db_bind_text(st, 1, q->structure_code);
	db_bind_text(st, 2, q->from);
	db_bind_text(st, 3, q->to);
}

int
sim_store_session_search(struct db *db, struct arena *a, const struct sim_session_query *q,
			 struct sim_session **out, int *n, int64_t *total)
{
	struct db_stmt *count = db_prepare(db, "SELECT count(*) FROM session s " SEARCH_WHERE);
	struct db_stmt *st = NULL;
	GArray *arr = g_array_new(FALSE, FALSE, sizeof(struct sim_session));
	int rc;

	if (!count) {
		rc = -ERR_DB;
		goto out;
	}
	bind_search(count, q);
	*total = db_run_int(count);
	if (*total < 0) {
		rc = (int)*total;
		goto out;
	}
	st = db_prepare(db, "SELECT " SESSION_COLS SEARCH_WHERE
			    "ORDER BY s.date_heure_debut, s.id LIMIT $4 OFFSET $5");
	if (!st) {
		rc = -ERR_DB;
		goto out;
	}
	bind_search(st, q);
	db_bind_int64(st, 4, q->limit);
	db_bind_int64(st, 5, q->offset);
	while ((rc = db_step(st)) == DB_ROW) {
		struct sim_session s;
		read_session(st, a, &s);
		g_array_append_val(arr, s);
	}
out:
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_session), n);
	return rc < 0 ? rc : 0;
}

int
sim_store_offre_exists(struct db *db, int64_t id, bool *exists)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM offre WHERE id = $1");
	int64_t c;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	c = db_run_int(st);
	*exists = c > 0;
	return c < 0 ? (int)c : 0;
}

int
sim_store_offre_list(struct db *db, struct arena *a, struct sim_offre **out, int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, nom, theme, type, description, "
					    "nom_partenaire FROM offre ORDER BY id");
	GArray *arr = g_array_new(FALSE, FALSE, sizeof(struct sim_offre));
	int rc = -ERR_DB;

	while (st && (rc = db_step(st)) == DB_ROW) {
		struct sim_offre o = {
			.id = db_col_int64(st, 0),
			.nom = db_col_dup(st, a, 1),
			.theme = db_col_dup(st, a, 2),
			.type = db_col_dup(st, a, 3),
			.description = db_col_dup(st, a, 4),
			.nom_partenaire = db_col_dup(st, a, 5),
		};
		g_array_append_val(arr, o);
	}
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_offre), n);
	return rc < 0 ? rc : 0;
}

int
sim_store_session_create(struct db *db, struct sim_session *s)
{
	s->id = 0;
	return sim_store_seed_session(db, s);
}

/* One event per instance of session @id (a change of the session is one of each). */
static int
events_for_session(struct db *db, int64_t id, const char *action, int64_t now_ms)
{
	struct arena *a = arena_new();
	struct sim_instance *items = NULL;
	int n = 0, rc = sim_store_instance_list(db, a, id, &items, &n);

	for (int k = 0; !rc && k < n; k++)
		rc = sim_store_event_add(db, items[k].dossier_id, "SESSION", action, items[k].id,
					 now_ms);
	arena_free(a);
	return rc;
}

int
sim_store_session_update(struct db *db, const struct sim_session *s, int64_t now_ms)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE session SET structure_code = $2, offre_id = $3, nom = $4, "
		    "date_heure_debut = $5, date_heure_fin = $6, date_max_inscription = $7, "
		    "animateur = $8, lieu = $9, capacity = $10, commentaire = $11 WHERE id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, s->id);
	bind_session(st, s);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_NOTFOUND;
	if (!rc)
		rc = events_for_session(db, s->id, "UPDATE", now_ms);
	return rc;
}

int
sim_store_session_delete(struct db *db, int64_t id, int64_t now_ms)
{
	/* The events first: they read the instances the cascade removes. */
	int rc = events_for_session(db, id, "DELETE", now_ms);
	struct db_stmt *st = rc ? NULL : db_prepare(db, "DELETE FROM session WHERE id = $1");

	if (rc)
		return rc;
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_NOTFOUND;
	return rc;
}

/* ---- instances ---- */

static void
read_instance(struct db_stmt *st, struct arena *a, struct sim_instance *i)
{
	*i = (struct sim_instance){
		.id = db_col_int64(st, 0),
		.session_id = db_col_int64(st, 1),
		.dossier_id = db_col_int64(st, 2),
		.statut = db_col_dup(st, a, 3),
		.commentaire = db_col_dup(st, a, 4),
		.date_debut_reelle = db_col_dup(st, a, 5),
		.nom = db_col_dup(st, a, 6),
		.prenom = db_col_dup(st, a, 7),
		.structure_code = db_col_dup(st, a, 8),
	};
}

int
sim_store_instance_list(struct db *db, struct arena *a, int64_t session_id,
			struct sim_instance **out, int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " INSTANCE_COLS "WHERE i.session_id = $1 "
					    "ORDER BY 7, d.prenom, i.id");
	GArray *arr = g_array_new(FALSE, FALSE, sizeof(struct sim_instance));
	int rc = -ERR_DB;

	if (st) {
		db_bind_int64(st, 1, session_id);
		while ((rc = db_step(st)) == DB_ROW) {
			struct sim_instance i;
			read_instance(st, a, &i);
			g_array_append_val(arr, i);
		}
	}
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_instance), n);
	return rc < 0 ? rc : 0;
}

/* One instance by a WHERE on $1 (and $2): 0, -ERR_NOTFOUND or an error. */
static int
instance_one(struct db *db, struct arena *a, const char *where, int64_t p1, int64_t p2,
	     struct sim_instance *out)
{
	char *sql = g_strconcat("SELECT " INSTANCE_COLS, where, NULL);
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	g_free(sql);
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, p1);
	if (p2)
		db_bind_int64(st, 2, p2);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_instance(st, a, out);
	db_finish(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? -ERR_NOTFOUND : rc;
}

int
sim_store_instance_get(struct db *db, struct arena *a, int64_t id, struct sim_instance *out)
{
	return instance_one(db, a, "WHERE i.id = $1", id, 0, out);
}

int
sim_store_instance_find(struct db *db, struct arena *a, int64_t session_id, int64_t dossier_id,
			struct sim_instance *out)
{
	return instance_one(db, a, "WHERE i.session_id = $1 AND i.dossier_id = $2", session_id,
			    dossier_id, out);
}

int
sim_store_instance_create(struct db *db, struct sim_instance *i, int64_t now_ms)
{
	int rc = insert_instance(db, i);

	if (!rc)
		rc = sim_store_event_add(db, i->dossier_id, "SESSION", "CREATE", i->id, now_ms);
	return rc;
}

int
sim_store_instance_update(struct db *db, const struct sim_instance *i, int64_t now_ms)
{
	struct db_stmt *st = db_prepare(db, "UPDATE instance SET statut = $2, commentaire = $3, "
					    "date_debut_reelle = $4 WHERE id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, i->id);
	db_bind_text(st, 2, i->statut);
	db_bind_text(st, 3, i->commentaire);
	db_bind_text(st, 4, i->date_debut_reelle);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_NOTFOUND;
	if (!rc)
		rc = sim_store_event_add(db, i->dossier_id, "SESSION", "UPDATE", i->id, now_ms);
	return rc;
}

int
sim_store_instance_delete(struct db *db, int64_t id, int64_t now_ms)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM instance WHERE id = $1 "
					    "RETURNING dossier_id");
	int64_t dossier = 0;
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	rc = run_returning(st, &dossier);
	if (!rc)
		rc = sim_store_event_add(db, dossier, "SESSION", "DELETE", id, now_ms);
	return rc;
}

/* ---- rendez-vous ---- */

static void
read_rdv(struct db_stmt *st, struct arena *a, struct sim_rdv *r)
{
	*r = (struct sim_rdv){
		.id = db_col_int64(st, 0),
		.dossier_id = db_col_int64(st, 1),
		.debut = db_col_dup(st, a, 2),
		.fin = db_col_dup(st, a, 3),
		.objet = db_col_dup(st, a, 4),
		.conseiller = db_col_dup(st, a, 5),
		.type = db_col_dup(st, a, 6),
		.statut = db_col_dup(st, a, 7),
		.commentaire = db_col_dup(st, a, 8),
		.lieu = db_col_dup(st, a, 9),
	};
}

int
sim_store_rdv_list(struct db *db, struct arena *a, int64_t dossier_id, struct sim_rdv **out,
		   int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RDV_COLS "WHERE dossier_id = $1 "
					    "ORDER BY date_heure_debut, id");
	GArray *arr = g_array_new(FALSE, FALSE, sizeof(struct sim_rdv));
	int rc = -ERR_DB;

	if (st) {
		db_bind_int64(st, 1, dossier_id);
		while ((rc = db_step(st)) == DB_ROW) {
			struct sim_rdv r;
			read_rdv(st, a, &r);
			g_array_append_val(arr, r);
		}
	}
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_rdv), n);
	return rc < 0 ? rc : 0;
}

int
sim_store_rdv_get(struct db *db, struct arena *a, int64_t id, struct sim_rdv *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RDV_COLS "WHERE id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_rdv(st, a, out);
	db_finish(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? -ERR_NOTFOUND : rc;
}

int
sim_store_rdv_create(struct db *db, struct sim_rdv *r, int64_t now_ms)
{
	int rc;

	r->id = 0;
	rc = insert_rdv(db, r);
	if (!rc)
		rc = sim_store_event_add(db, r->dossier_id, "RDV", "CREATE", r->id, now_ms);
	return rc;
}

int
sim_store_rdv_update(struct db *db, const struct sim_rdv *r, int64_t now_ms)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE rdv SET dossier_id = $2, date_heure_debut = $3, date_heure_fin = $4, "
		    "objet = $5, conseiller = $6, type = $7, statut = $8, commentaire = $9, "
		    "lieu = $10 WHERE id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, r->id);
	bind_rdv(st, r);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_NOTFOUND;
	if (!rc)
		rc = sim_store_event_add(db, r->dossier_id, "RDV", "UPDATE", r->id, now_ms);
	return rc;
}

int
sim_store_rdv_delete(struct db *db, int64_t id, int64_t now_ms)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM rdv WHERE id = $1 RETURNING dossier_id");
	int64_t dossier = 0;
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	rc = run_returning(st, &dossier);
	if (!rc)
		rc = sim_store_event_add(db, dossier, "RDV", "DELETE", id, now_ms);
	return rc;
}

/* ---- events ---- */

int
sim_store_event_add(struct db *db, int64_t dossier_id, const char *type, const char *action,
		    int64_t id_type, int64_t now_ms)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO event(identifiant, dossier_id, type, "
					    "action, id_type, at) VALUES ($1, $2, $3, $4, $5, $6)");
	char id[UUID_STRLEN + 1];

	if (!st)
		return -ERR_DB;
	id_uuid7(now_ms, id);
	db_bind_text(st, 1, id);
	db_bind_int64(st, 2, dossier_id);
	db_bind_text(st, 3, type);
	db_bind_text(st, 4, action);
	bind_opt_int(st, 5, id_type);
	db_bind_int64(st, 6, now_ms);
	return db_run(st);
}

#define EVENT_COLUMNS                                                                   \
	"SELECT e.seq, e.identifiant, e.dossier_id, e.type, e.action, "                   \
	"coalesce(e.id_type, -1), e.at, coalesce(e.acked_at, 0), st.timezone "            \
	"FROM event e LEFT JOIN dossier d ON d.id = e.dossier_id "                        \
	"LEFT JOIN structure st ON st.code = d.structure_code "

/* Reads the rows of @st (EVENT_COLUMNS) into @out, then finishes @st. */
static int
event_rows(struct db_stmt *st, struct arena *a, struct sim_event **out, int *n)
{
	GArray *arr = g_array_new(FALSE, FALSE, sizeof(struct sim_event));
	int rc = -ERR_DB;

	while (st && (rc = db_step(st)) == DB_ROW) {
		struct sim_event e = {
			.seq = db_col_int64(st, 0),
			.identifiant = db_col_dup(st, a, 1),
			.dossier_id = db_col_int64(st, 2),
			.type = db_col_dup(st, a, 3),
			.action = db_col_dup(st, a, 4),
			.id_type = db_col_int64(st, 5),
			.at = db_col_int64(st, 6),
			.acked_at = db_col_int64(st, 7),
			.timezone = db_col_dup(st, a, 8),
		};
		g_array_append_val(arr, e);
	}
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_event), n);
	return rc < 0 ? rc : 0;
}

int
sim_store_event_list(struct db *db, struct arena *a, bool unacked_only, int limit,
		     struct sim_event **out, int *n)
{
	struct db_stmt *st = db_prepare(
		db, EVENT_COLUMNS "WHERE ($1 = 0 OR e.acked_at IS NULL) ORDER BY e.seq LIMIT $2");

	if (st) {
		db_bind_int64(st, 1, unacked_only ? 1 : 0);
		db_bind_int64(st, 2, limit);
	}
	return event_rows(st, a, out, n);
}

int
sim_store_event_list_newest(struct db *db, struct arena *a, int limit, struct sim_event **out,
			    int *n)
{
	struct db_stmt *st = db_prepare(db, EVENT_COLUMNS "ORDER BY e.seq DESC LIMIT $1");

	if (st)
		db_bind_int64(st, 1, limit);
	return event_rows(st, a, out, n);
}

int
sim_store_event_ack(struct db *db, const char *identifiant, int64_t now_ms)
{
	struct db_stmt *st = db_prepare(db, "UPDATE event SET acked_at = coalesce(acked_at, $2) "
					    "WHERE identifiant = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, identifiant);
	db_bind_int64(st, 2, now_ms);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_NOTFOUND;
	return rc;
}

/* ---- counselors, as the bearer names them ---- */

int
sim_store_counselor_structure(struct db *db, const char *login, const char *structure_code,
			      bool *known, bool *member)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT (SELECT count(*) FROM counselor WHERE login = $1) * 2 + "
		    "(SELECT count(*) FROM counselor c JOIN counselor_structure cs USING (sub) "
		    " WHERE c.login = $1 AND cs.structure_code = $2)");
	int64_t v;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, login);
	db_bind_text(st, 2, structure_code);
	v = db_run_int(st);
	if (v < 0)
		return (int)v;
	*known = v >= 2;
	*member = v % 2 == 1;
	return 0;
}

int
sim_store_structure_exists(struct db *db, const char *code, bool *exists)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM structure WHERE code = $1");
	int64_t c;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, code);
	c = db_run_int(st);
	*exists = c > 0;
	return c < 0 ? (int)c : 0;
}
