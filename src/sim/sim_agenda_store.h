/* sim_agenda_store.h — the simulator's tables of sessions, offers, registrations
 * ("instances"), rendez-vous and the event feed (migrations/0003_sessions.sql).
 *
 * Same contract as sim_store.h: the calling thread's connection, 0 or a negative enum err,
 * structs read back in the arena given. Every public mutation (sim_store_*_create, _update,
 * _delete) also writes its feed event (spec/imilo.md §3.5: an event for every mutation), so
 * it MUST run inside the caller's write transaction (db_tx_begin … db_tx_end): the change
 * and its event commit together. The sim_store_seed_* inserts write none (a fresh seed has
 * an empty feed). */
#ifndef CEJ_SIM_AGENDA_STORE_H
#define CEJ_SIM_AGENDA_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

struct sim_offre {
	int64_t id;
	const char *nom, *theme, *type;       /* type WORKSHOP | COLLECTIVE_INFORMATION */
	const char *description, *nom_partenaire; /* NULL: none */
};

struct sim_session {
	int64_t id;
	const char *structure_code;
	const char *timezone;                 /* read only (joined from the structure) */
	int64_t offre_id;
	const char *nom;
	const char *debut, *fin;              /* naive local "yyyy-MM-dd HH:mm:ss" */
	const char *date_max;                 /* YYYY-MM-DD, NULL: none */
	const char *animateur, *lieu, *commentaire; /* NULL: none */
	int64_t capacity;                     /* -1: unlimited */
	int64_t taken;                        /* read only: instances ONGOING or ACHIEVED */
	struct sim_offre offre;               /* read only (joined) */
};

struct sim_instance {
	int64_t id, session_id, dossier_id;
	const char *statut;
	const char *commentaire, *date_debut_reelle; /* NULL: none */
	const char *nom, *prenom;             /* read only: the dossier's (nomUsage or naissance) */
	const char *structure_code;           /* read only: the dossier's structure */
};

struct sim_rdv {
	int64_t id, dossier_id;
	const char *debut, *fin;              /* fin NULL: none */
	const char *objet, *conseiller, *type, *statut;
	const char *commentaire, *lieu;       /* NULL: none */
};

struct sim_event {
	int64_t seq;
	const char *identifiant;
	int64_t dossier_id;
	const char *type, *action;
	int64_t id_type;                      /* -1: null */
	int64_t at, acked_at;                 /* Unix ms; acked_at 0: not acknowledged */
	const char *timezone;                 /* read only: the dossier's structure zone, or NULL */
};

/* A search of sessions (S1, S2): by structure, between two dates (inclusive, NULL: open)
 * of their start; one page. */
struct sim_session_query {
	const char *structure_code;
	const char *from, *to;
	int64_t limit, offset;
};

/* Clears every table of this file (inside the seed's transaction), ids restarting. */
int sim_store_agenda_clear(struct db *db);
int sim_store_seed_offre(struct db *db, const struct sim_offre *o);
/* Inserts @s (its id when > 0, else a new one, written back) without event. */
int sim_store_seed_session(struct db *db, struct sim_session *s);
int sim_store_seed_instance(struct db *db, const struct sim_instance *i);
int sim_store_seed_rdv(struct db *db, const struct sim_rdv *r);

/* Sessions. -ERR_NOTFOUND for an unknown id. */
int sim_store_session_get(struct db *db, struct arena *a, int64_t id, struct sim_session *out);
/* *total = all matches; @out = the page, by start then id. */
int sim_store_session_search(struct db *db, struct arena *a, const struct sim_session_query *q,
			     struct sim_session **out, int *n, int64_t *total);
/* Every offer, by id. */
int sim_store_offre_list(struct db *db, struct arena *a, struct sim_offre **out, int *n);
int sim_store_offre_exists(struct db *db, int64_t id, bool *exists);
/* Desk-side: creates @s (id written back); updates all fields of @s (SESSION UPDATE for
 * each of its instances); deletes session @id (SESSION DELETE for each instance). */
int sim_store_session_create(struct db *db, struct sim_session *s);
int sim_store_session_update(struct db *db, const struct sim_session *s, int64_t now_ms);
int sim_store_session_delete(struct db *db, int64_t id, int64_t now_ms);

/* Instances of session @session_id, by name. */
int sim_store_instance_list(struct db *db, struct arena *a, int64_t session_id,
			    struct sim_instance **out, int *n);
int sim_store_instance_get(struct db *db, struct arena *a, int64_t id, struct sim_instance *out);
/* *out = the instance of @dossier_id in @session_id, or none (-ERR_NOTFOUND). */
int sim_store_instance_find(struct db *db, struct arena *a, int64_t session_id,
			    int64_t dossier_id, struct sim_instance *out);
/* Creates (id written back; -ERR_CONFLICT when the dossier already has one), changes
 * statut/commentaire/date_debut_reelle, deletes: each with its SESSION event. Checking the
 * places in the same transaction keeps two registrations from taking the last one. */
int sim_store_instance_create(struct db *db, struct sim_instance *i, int64_t now_ms);
int sim_store_instance_update(struct db *db, const struct sim_instance *i, int64_t now_ms);
int sim_store_instance_delete(struct db *db, int64_t id, int64_t now_ms);

/* Rendez-vous, by start. */
int sim_store_rdv_list(struct db *db, struct arena *a, int64_t dossier_id, struct sim_rdv **out,
		       int *n);
int sim_store_rdv_get(struct db *db, struct arena *a, int64_t id, struct sim_rdv *out);
int sim_store_rdv_create(struct db *db, struct sim_rdv *r, int64_t now_ms);
int sim_store_rdv_update(struct db *db, const struct sim_rdv *r, int64_t now_ms);
int sim_store_rdv_delete(struct db *db, int64_t id, int64_t now_ms);

/* Events. Appends one (identifiant assigned): for mutations made elsewhere (DOSSIER). */
int sim_store_event_add(struct db *db, int64_t dossier_id, const char *type, const char *action,
			int64_t id_type, int64_t now_ms);
/* The @limit oldest events, unacknowledged only when @unacked_only. */
int sim_store_event_list(struct db *db, struct arena *a, bool unacked_only, int limit,
			 struct sim_event **out, int *n);
/* The @limit newest events, acknowledged or not, newest first (the desk page's feed). */
int sim_store_event_list_newest(struct db *db, struct arena *a, int limit, struct sim_event **out,
				int *n);
/* Acknowledges @identifiant (idempotent: an acknowledged one stays so). -ERR_NOTFOUND. */
int sim_store_event_ack(struct db *db, const char *identifiant, int64_t now_ms);

/* *known = a counselor has login @login; *member = he belongs to @structure_code (NULL:
 * false). */
int sim_store_counselor_structure(struct db *db, const char *login, const char *structure_code,
				  bool *known, bool *member);
int sim_store_structure_exists(struct db *db, const char *code, bool *exists);

#endif
