/* sim_internal.h — what the simulator's rooms share: its context, the route tables of the
 * i-milo API (dossiers in sim_api.c, sessions and events in sim_sessions.c) and of the
 * admin API (sim_admin.c, the desk in sim_desk.c), the seed (sim_seed.c,
 * sim_seed_sessions.c), and the helpers of sim.c (answers, journal, transactions,
 * interruptible waits). Pure rules live in sim_rules.h, SQL in sim_store.c and
 * sim_agenda_store.c.
 *
 * Every route runs on the worker pool (ROUTE_WORKER): handlers may block on SQLite or on a
 * fault's latency without holding an MHD thread. Each worker talks to SQLite through its own
 * connection, sim_db(). */
#ifndef CEJ_SIM_INTERNAL_H
#define CEJ_SIM_INTERNAL_H

#include "http/http.h"

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct sim_dossier;
struct sim_fault;

/* Who may call a route (struct route.access), checked by the prepare hook. */
enum sim_access {
	SIM_ACCESS_API = 0,       /* X-Gravitee-Api-Key; faults apply; journaled */
	SIM_ACCESS_ADMIN = 1,     /* X-Admin-Token */
	SIM_ACCESS_FALLBACK = 2,  /* unknown path: admin or API by its prefix */
	SIM_ACCESS_DESK_PAGE = 3, /* the desk page: its cookie or X-Admin-Token (sim_desk_page.c) */
};

/* Journal size (spec/imilo.md §6: the last 1,000 API calls). */
#define SIM_JOURNAL_KEEP 1000
/* Default and maximum hold of a `timeout` fault (spec: ≤ 300 s; 30 s keeps tests short). */
#define SIM_TIMEOUT_CAP_MS_DEFAULT 30000
#define SIM_TIMEOUT_CAP_MS_MAX 300000

/* The simulator's context, shared read-only by every thread after start, except the
 * stop flag (under lock). */
struct sim {
	char *db_path;
	char *api_key;            /* the dossiers family's key (config imilo_key_dossiers) */
	char *key_sessions;       /* the sessions family's (imilo_key_sessions) */
	char *key_events;         /* the events family's (imilo_key_events) */
	char *admin_token;
	int seed;
	int timeout_cap_ms;
	GMutex lock;
	GCond wake;               /* broadcast when stopping: held requests answer at once */
	bool stopping;
};

/* The simulator's r->user (http.h leaves its definition to each application): what the
 * prepare hook learnt about an API call, for the journal. Arena-owned. */
struct user {
	const char *fault_id;     /* the fault applied, or NULL */
};

/* sim.c */
/* This thread's connection to the simulator database (NULL: logged). */
struct db *sim_db(struct req *r);
/* Waits @ms unless the simulator stops first; false when interrupted. */
bool sim_pause(struct sim *s, int ms);
/* True when @s is a valid calendar date written YYYY-MM-DD (NULL: false). */
bool sim_valid_date(const char *s);
/* Sets a JSON error {"code"?, "message"?} answer (NULL members are left out). */
void sim_error(struct req *r, int status, const char *code, const char *message);
/* Ends an API handler: @rc 0 or positive means the answer is set; a negative @rc becomes a
 * 500 JSON answer. Then journals the call. Always returns 0. */
int sim_api_done(struct req *r, int rc);
/* Runs @step(@r, @arg) in a write transaction of this thread's connection: committed
 * when it returned 0 with a 2xx answer, rolled back otherwise (a refusal writes nothing,
 * its feed event included). Returns @step's rc or the commit's error. */
int sim_in_tx(struct req *r, int (*step)(struct req *, void *), void *arg);
/* Reloads the seed (clears faults and the journal). 0 or -ERR_DB. */
int sim_reset(struct sim *s, struct db *db);

/* sim_seed.c */
/* Replaces all data with the seed of spec/imilo.md §6 for @seed (deterministic: same ids,
 * dates relative to the day of @now_ms in Europe/Paris). In one transaction. */
int sim_seed_load(struct db *db, int seed, int64_t now_ms);

/* sim_api.c */
extern const struct route sim_api_routes[];
extern const size_t sim_api_routes_count;
/* D1 representation of @d (a new reference). */
json_t *sim_dossier_json(const struct sim_dossier *d);

/* sim_sessions.c: the sessions and events families (S1–S7, E1–E4), and the JSON shapes
 * the desk side shares. Every json_t returned is a new reference. */
struct sim_offre;
struct sim_session;
struct sim_instance;
struct sim_rdv;
struct sim_event;
struct arena;
extern const struct route sim_sessions_routes[];
extern const size_t sim_sessions_routes_count;
json_t *sim_offre_json(const struct sim_offre *o);
json_t *sim_instances_json(const struct sim_instance *items, int n);
/* {session, offre}; @instances (stolen) NULL serves "instances": null. */
json_t *sim_session_json(const struct sim_session *s, json_t *instances);
json_t *sim_rdv_json(const struct sim_rdv *r);
json_t *sim_event_json(struct arena *a, const struct sim_event *e);
/* Reads an S6 body {statut, commentaire?, dateDebutReelle?} into @i's commentaire and
 * date_debut_reelle and *statut (borrowed from @root). NULL, or the French reason of a 400. */
const char *sim_instance_change_refusal(struct sim_instance *i, json_t *root, const char **statut);

/* sim_seed_sessions.c: offers, a dozen sessions per structure (plus the paging week of
 * 75056S00) and the rendez-vous, for the day @today (inside the seed's transaction). */
int sim_seed_sessions(struct db *db, const GDate *today);

/* sim_desk.c: the admin API's desk-side changes to sessions, instances and rendez-vous. */
extern const struct route sim_desk_routes[];
extern const size_t sim_desk_routes_count;

/* sim_desk_page.c: the desk as an HTML page for a human (/_admin/guichet). */
extern const struct route sim_desk_page_routes[];
extern const size_t sim_desk_page_routes_count;
/* The prepare hook of SIM_ACCESS_DESK_PAGE routes: 0 to go on, or 1 with the 401 (no valid
 * token) or 403 (a form whose hidden token does not match the cookie) page set. */
int sim_desk_page_admit(struct req *r);

/* sim_admin.c */
extern const struct route sim_admin_routes[];
extern const size_t sim_admin_routes_count;
/* The first fault rule matching this API call's method and path that applies to it (its
 * probability drawn, its count spent), copied to @out (strings in r->a). 0 with *found
 * false when none; negative err on storage failure. */
int sim_fault_pick(struct req *r, struct sim_fault *out, bool *found);

#endif
