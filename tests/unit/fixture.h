/* fixture.h — what the unit suites share: a temporary directory holding a migrated SQLite
 * database (made by a suite's .init, removed with everything in it by its .fini), the
 * instants of the test clock, and the seeding of structures, counselors, beneficiaries and
 * conversations through the same admin store the product uses.
 *
 *   static struct fixture fx;
 *   static void setup(void) { fixture_open(&fx, "actions", FIXTURE_KEYS); ... }
 *   static void teardown(void) { fixture_close(&fx); }
 *   TestSuite(store, .init = setup, .fini = teardown);
 *
 * Criterion runs each test in its own process, .init and .fini included: every test gets a
 * fresh directory and database, and seeded ids start over (fixture_open resets them).
 * Every function asserts (cr_assert) instead of returning an error. */
#ifndef CEJ_TEST_FIXTURE_H
#define CEJ_TEST_FIXTURE_H

#include "admin/admin_store.h"
#include "messaging/messaging.h"
#include "core/ctx.h"

#include <stdint.h>

#define FIXTURE_PARIS "Europe/Paris"
#define FIXTURE_REUNION "Indian/Reunion"

/* The test clock. "Now" is never read by the code under test: tests pass these in. */
/* The instant of an ISO 8601 date-time with its offset ("2025-09-15T08:00:00Z"), in ms. */
int64_t fixture_at(const char *iso);
/* The civil day of "yyyy-mm-dd" (base/clock.h's day numbers). */
int64_t fixture_day(const char *iso);

/* What fixture_open() makes besides the directory and the arena. */
enum {
	FIXTURE_DB = 1 << 0,    /* <dir>/cej.db, migrated */
	FIXTURE_KEYS = 1 << 1,  /* the message keyring <dir>/cles-messages (implies sodium_init) */
	FIXTURE_APP = 1 << 2,   /* fx.app: default settings, the embedded templates, the keyring */
};

struct fixture {
	char *dir;                 /* the temporary directory "cej-<name>-XXXXXX" */
	char *db_path;             /* <dir>/cej.db (NULL without FIXTURE_DB) */
	struct db *db;             /* migrated (FIXTURE_DB) */
	struct arena *a;           /* freed by fixture_close() */
	struct msg_keyring *keys;  /* FIXTURE_KEYS or FIXTURE_APP */
	struct config *cfg;        /* FIXTURE_APP: config_load(NULL, NULL), freed at close */
	struct ctx app;            /* FIXTURE_APP: cfg, tmpl (assets at /static/test), keys */
	int64_t seed_at;           /* creation instant of what is seeded; default 1000 */
	int seq;                   /* beneficiaries seeded so far */
	char *pg_admin;            /* fixture_pg_url(): the cluster's URL (CEJ_TEST_DATABASE_URL) */
	char *pg_name;             /* … and the database it made, dropped by fixture_close() */
};

/* Quiet logs, a fresh directory named after @name, and what @flags ask for. */
void fixture_open(struct fixture *f, const char *name, unsigned flags);
/* Frees everything fixture_open() made and removes the directory with its contents; a
 * no-op on a fixture never opened (zeroed) or closed already. */
void fixture_close(struct fixture *f);
/* The URL of a fresh, empty PostgreSQL database made for this test in the test cluster
 * (CEJ_TEST_DATABASE_URL, set by tools/with-pg.sh: make unit and make asan), dropped by
 * fixture_close() with whatever is still connected to it. Without CEJ_TEST_DATABASE_URL
 * the test is skipped (cr_skip_test, counted as skipped, never as passed). One per
 * fixture; arena-owned. The store suites call it to run on PostgreSQL too. */
const char *fixture_pg_url(struct fixture *f);
/* <dir>/@file, arena-owned. */
char *fixture_path(struct fixture *f, const char *file);

/* Seeding (FIXTURE_DB), at f->seed_at. The ids returned are arena-owned. */
const char *fixture_structure(struct fixture *f, const char *code, const char *name,
			      const char *tz);
const char *fixture_counselor(struct fixture *f, const struct admin_counselor *c);
/* Stores beneficiary @b. Left NULL, these get values unique in the database: id (a UUIDv7
 * of instant 1000 + n for the n-th seeded, so ids sort in seeding order), folded (of
 * "last first"), email ("b<n>@x.fr"), dossier_id ("<100 + n>"); dispositif "CEJ". */
const char *fixture_beneficiary(struct fixture *f, struct admin_beneficiary b);
/* Two Missions Locales in Paris time, as the agenda suites seed them: ML Brest
 * ("29019S00") with the counselors Claire Martin (c@x.fr) and Denis Roux (d@x.fr), ML Paris
 * ("75056S00") with Sophie Durand (s@x.fr); Claire follows Élodie Dupont then Paul Arnaud.
 * Seeded in that order: a suite's own beneficiaries, seeded after, sort after them. */
struct fixture_two_ml {
	const char *brest, *paris;                    /* structure ids */
	const char *claire_id, *denis_id, *sophie_id; /* counselor ids */
	const char *elodie, *paul;                    /* beneficiary ids */
	struct user claire, denis, sophie;            /* the counselors as signed in */
};
void fixture_two_ml(struct fixture *f, struct fixture_two_ml *ml);
/* Counselor @id of @structure as signed in, in Paris time. */
struct user fixture_counselor_user(const char *id, const char *first, const char *last,
				   const char *structure);

/* Stores event @e straight through the store, with no use case (no rights, history or
 * notice), then its participants @ids (@n) at e->created_at: the events a suite's subject
 * only reads. What @e leaves empty gets: an id (a UUIDv7 of created_at), description,
 * address and organism "", 60 minutes, updated_at = created_at. Returns the id. */
struct event;
const char *fixture_event(struct fixture *f, const struct event *e, const char *const *ids,
			  int n);
/* What query @sql returns, @param bound to $1 unless NULL: the counts with which a suite
 * checks what was stored. */
int fixture_count(struct fixture *f, const char *sql, const char *param);
/* The conversation of beneficiary @id as messaging_conversation() reads it (c.id NULL while
 * none is stored). */
struct msg_conversation fixture_conversation(struct fixture *f, const char *id);

/* A suite @suite whose tests share the arena @a, a fresh one for each test: the suites of
 * pure rules, which need no database. */
#define FIXTURE_ARENA_SUITE(suite, a)                                                    \
	static void suite##_setup(void) { (a) = arena_new(); }                          \
	static void suite##_teardown(void) { arena_free(a); }                           \
	TestSuite(suite, .init = suite##_setup, .fini = suite##_teardown)

/* Everything event stream @s received since the last call, without the stream's opening
 * "retry:" line, as a string in @a (hub.h). */
struct hub_sub;
const char *fixture_heard(struct arena *a, struct hub_sub *s);

/* Imports the repository's referential (data/geo/: every département and commune,
 * geo_import_files) into f->db, as `make run`'s set-up does: the suites that search by
 * place. Asserts it worked. */
void fixture_geo(struct fixture *f);

/* The value of the Prometheus sample @series (name and labels as written, base/metrics.h)
 * in the exposition @text, or -1 when absent. */
int64_t fixture_sample(const char *text, const char *series);

#endif
