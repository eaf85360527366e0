/* pg.c — the PostgreSQL backend of db.h (db_backend.h), on libpq.
 *
 * - Statements are named prepared statements of the connection, prepared at their first
 *   step, when the binds' types are known (db_prepare() in db.h). Parameters are sent as
 *   text (int64 in decimal, as int8) or binary (bytea); results come back as text.
 * - A step runs the statement and keeps its whole PGresult; the next steps move along
 *   its rows. Pages read tens of rows: fetching them at once is one round trip.
 * - A lost connection (server restarted, network cut) is reset at the next call and its
 *   prepared statements forgotten (a generation number); the call is tried once more
 *   when no transaction was open, otherwise its error is returned and the use case rolls
 *   back, as it would after any error. (A write in autocommit cut after the server ran it
 *   but before its answer came back runs twice: a write that must not run twice belongs
 *   in a transaction, which is never retried.)
 * - Write transactions: BEGIN then pg_advisory_xact_lock(WRITE_LOCK_KEY), so that they
 *   run one at a time across every node, as SQLite's BEGIN IMMEDIATE makes them run one
 *   at a time in one process (db.h, db_tx_begin). */
#include "db/db_backend.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"

#include <glib.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* The one key of the write lock ("cej" in ASCII): every write transaction of every node
 * takes it. Another user of advisory locks in the same database must avoid it. */
#define WRITE_LOCK_KEY 6530410
#define OID_INT8 20
#define OID_BYTEA 17
#define OID_BOOL 16

struct pg_db {
	struct db base;
	PGconn *conn;
	unsigned gen;       /* bumped at each reconnection: what was prepared before is gone */
	unsigned next_name; /* prepared statements are named s1, s2… per connection */
	int changes;        /* rows of the last INSERT, UPDATE or DELETE */
};

/* One parameter as libpq wants it: value (NULL for SQL NULL), length and format for a
 * binary one, and the type the statement was prepared for. */
struct pg_stmt {
	struct db_stmt base;
	char *sql;
	char name[24];      /* "" until prepared */
	unsigned gen;       /* the connection's generation it was prepared in */
	int nparams;        /* the parameters PostgreSQL expects: max($n of the SQL, binds) */
	int cap;
	char **values;
	int *lengths;
	int *formats;
	Oid *types;         /* of the binds */
	Oid *prepared;      /* what the server was told at PQprepare */
	int nprepared;
	PGresult *res;      /* the rows of a SELECT (or RETURNING) being stepped */
	int row;            /* the row db_col_* read */
	bool done;          /* the statement ran: stepping again says DB_DONE */
};

static PGconn *
conn(struct db *db)
{
	return ((struct pg_db *)db)->conn;
}

static struct pg_stmt *
pstmt(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* lock_timeout: waiting longer than SQLite's busy_timeout for a lock fails the call.
 * plan_cache_mode: every statement is prepared once per connection and run thousands of
 * times with ids as parameters; by default PostgreSQL plans the first five runs again at
 * each Bind and keeps doing so while a generic plan looks dearer — the portfolio's page
 * query spent 0.42 ms planning against 0.09 ms running at national size (bench/README.md
 * "National"). The generic plan is made once per connection, like SQLite's. */
static bool
session_setup(PGconn *c)
{
	PGresult *r = PQexec(c, "SET lock_timeout = 5000; SET plan_cache_mode = force_generic_plan");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		log_error("db: postgres: %s", PQerrorMessage(c));
	PQclear(r);
	return ok;
}

/* The server's notices (a DROP … IF EXISTS that skipped, a migration's NOTICE) go to
 * cej's log instead of libpq's bare stderr; warnings stay warnings. */
static void
notice(void *ud, const PGresult *r)
{
	(void)ud;
	const char *severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	if (severity && !strcmp(severity, "WARNING"))
		log_warn("db: postgres: %s", msg ? msg : "");
	else
		log_info("db: postgres: %s", msg ? msg : "");
}

struct db *
pg_open(const char *url)
{
	/* In order, later ones winning: defaults the URL may override (a connection that
	 * cannot be made within 5 s fails rather than hanging a request), then the URL, then
	 * what cej needs (its strings are UTF-8). */
	const char *keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
			      NULL};
	const char *values[] = {"5", "cej", url, "UTF8", NULL};
	PGconn *c = PQconnectdbParams(keys, values, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		/* libpq's message names host and port, never the password. */
		log_error("db: connexion à PostgreSQL impossible : %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeReceiver(c, notice, NULL);
	if (!session_setup(c)) {
		PQfinish(c);
		return NULL;
	}
	struct pg_db *db = g_new0(struct pg_db, 1);
	db->conn = c;
	db->gen = 1;
	return &db->base;
}

void
pg_close(struct db *db)
{
	PQfinish(conn(db));
	g_free(db);
}

/* After a failure: when the connection is gone, resets it (a new session: statements
 * must be prepared again). True when the call may be tried once more — the connection is
 * back and no transaction of ours was open (a lost transaction is the caller's error). */
static bool
recovered(struct db *db)
{
	struct pg_db *p = (struct pg_db *)db;
	if (PQstatus(p->conn) == CONNECTION_OK)
		return false;
	log_error("db: connexion à PostgreSQL perdue, reconnexion");
	PQreset(p->conn);
	p->gen++;
	if (PQstatus(p->conn) != CONNECTION_OK || !session_setup(p->conn)) {
		log_error("db: reconnexion à PostgreSQL impossible : %s", PQerrorMessage(p->conn));
		return false;
	}
	return !db->in_tx;
}

/* A connection found broken before a call (the server went away since the last one). */
static void
ensure_connected(struct db *db)
{
	if (PQstatus(conn(db)) != CONNECTION_OK)
		recovered(db);
}

/* Maps a failed result: unique_violation is a conflict (the SQLite path's unique
 * constraint), a lock or deadlock timeout counts as busy; the rest is logged. */
static int
result_error(PGresult *r, const char *sql)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && !strcmp(state, "23505"))
		return -ERR_CONFLICT;
	if (state && (!strcmp(state, "55P03") || !strcmp(state, "40P01")))
		db_note_busy();
	log_error("db: postgres %s: %s — %s", state ? state : "(connexion)",
		  r ? PQresultErrorMessage(r) : "pas de résultat", sql);
	return -ERR_DB;
}

static bool
is_dml(PGresult *r)
{
	const char *tag = PQcmdStatus(r);
	return g_str_has_prefix(tag, "INSERT") || g_str_has_prefix(tag, "UPDATE") ||
	       g_str_has_prefix(tag, "DELETE") || g_str_has_prefix(tag, "MERGE");
}

int
pg_exec(struct db *db, const char *sql)
{
	ensure_connected(db);
	for (int attempt = 0;; attempt++) {
		PGresult *r = PQexec(conn(db), sql);
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY) {
			if (is_dml(r))
				((struct pg_db *)db)->changes = atoi(PQcmdTuples(r));
			PQclear(r);
			return 0;
		}
		bool retry = attempt == 0 && recovered(db);
		if (!retry) {
			int rc = result_error(r, sql);
			PQclear(r);
			return rc == -ERR_CONFLICT ? -ERR_DB : rc;
		}
		PQclear(r);
	}
}

const char *
pg_contains_fn(void)
{
	return "strpos";
}

void
pg_stmt_free(gpointer p)
{
	struct pg_stmt *st = p;
	pg_finish(&st->base);
	g_free(st->sql);
	g_free(st->values);
	g_free(st->lengths);
	g_free(st->formats);
	g_free(st->types);
	g_free(st->prepared);
	g_free(st);
}

struct db_stmt *
pg_prepare(struct db *db, const char *sql)
{
	(void)db;
	struct pg_stmt *st = g_new0(struct pg_stmt, 1);
	st->sql = g_strdup(sql);
	st->nparams = db_placeholder_count(sql);
	return &st->base;
}

/* Makes room for @n parameters in @st's arrays (new ones NULL). */
static void
grow(struct pg_stmt *st, int n)
{
	if (n <= st->cap)
		return;
	int cap = MAX(n, MAX(8, st->cap * 2));
	st->values = g_renew(char *, st->values, cap);
	st->lengths = g_renew(int, st->lengths, cap);
	st->formats = g_renew(int, st->formats, cap);
	st->types = g_renew(Oid, st->types, cap);
	for (int i = st->cap; i < cap; i++) {
		st->values[i] = NULL;
		st->lengths[i] = st->formats[i] = 0;
		st->types[i] = 0;
	}
	st->cap = cap;
}

/* Slot @idx (from 1) of @st, emptied (its previous value freed), for a bind. */
static int
slot(struct pg_stmt *st, int idx)
{
	grow(st, idx);
	int i = idx - 1;
	g_free(st->values[i]);
	st->values[i] = NULL;
	st->lengths[i] = st->formats[i] = 0;
	st->types[i] = 0;
	if (idx > st->nparams)
		st->nparams = idx;
	return i;
}

void
pg_bind_text(struct db_stmt *s, int idx, const char *v)
{
	struct pg_stmt *st = pstmt(s);
	int i = slot(st, idx);
	st->values[i] = g_strdup(v);
}

void
pg_bind_int64(struct db_stmt *s, int idx, int64_t v)
{
	struct pg_stmt *st = pstmt(s);
	int i = slot(st, idx);
	st->values[i] = g_strdup_printf("%" G_GINT64_FORMAT, v);
	st->types[i] = OID_INT8;
}

void
pg_bind_null(struct db_stmt *s, int idx)
{
	slot(pstmt(s), idx);
}

void
pg_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n)
{
	struct pg_stmt *st = pstmt(s);
	int i = slot(st, idx);
	if (!p)
		return;
	st->values[i] = n ? g_memdup2(p, n) : g_strdup("");  /* non-NULL: an empty blob */
	st->lengths[i] = (int)n;
	st->formats[i] = 1;
	st->types[i] = OID_BYTEA;
}

/* True when the server's prepared statement fits the binds: prepared in this session,
 * and each non-NULL bind of the type it was prepared for. */
static bool
prepared_fits(struct pg_stmt *st, unsigned gen)
{
	if (!st->name[0] || st->gen != gen || st->nprepared != st->nparams)
		return false;
	for (int i = 0; i < st->nparams && i < st->cap; i++)
		if (st->values[i] && st->types[i] != st->prepared[i])
			return false;
	return true;
}

/* Prepares @st on the server for the types bound now, under a new name (a statement
 * prepared before for other types stays on the server until the connection ends: rare,
 * and a DEALLOCATE would cost a round trip). NULL binds are sent as "unknown": the
 * server infers them from the context. */
static PGresult *
server_prepare(struct pg_db *db, struct pg_stmt *st)
{
	st->prepared = g_renew(Oid, st->prepared, MAX(st->nparams, 1));
	for (int i = 0; i < st->nparams; i++)
		st->prepared[i] = st->types[i];
	st->nprepared = st->nparams;
	g_snprintf(st->name, sizeof st->name, "s%u", ++db->next_name);
	st->gen = db->gen;
	return PQprepare(db->conn, st->name, st->sql, st->nparams, st->prepared);
}

/* Runs @st once: prepared if needed, then executed. The PGresult, or NULL when the
 * preparation failed (*@err set). */
static PGresult *
run_once(struct pg_db *db, struct pg_stmt *st, PGresult **err)
{
	if (!prepared_fits(st, db->gen)) {
		PGresult *r = server_prepare(db, st);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			st->name[0] = '\0';
			*err = r;
			return NULL;
		}
		PQclear(r);
	}
	return PQexecPrepared(db->conn, st->name, st->nparams, (const char *const *)st->values,
			      st->lengths, st->formats, 0);
}


int
pg_step(struct db_stmt *s)
{
	struct pg_stmt *st = pstmt(s);
	struct pg_db *db = (struct pg_db *)s->db;

	if (st->res)
		return ++st->row < PQntuples(st->res) ? DB_ROW : DB_DONE;
	if (st->done)
		return DB_DONE;
	/* A slot for every parameter the SQL names, unbound ones NULL (as SQLite does). */
	grow(st, st->nparams);
	ensure_connected(s->db);
	for (int attempt = 0;; attempt++) {
		PGresult *err = NULL;
		PGresult *r = run_once(db, st, &err);
		ExecStatusType rs = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
			if (is_dml(r))
				db->changes = atoi(PQcmdTuples(r));
			st->done = true;
			if (rs == PGRES_COMMAND_OK || PQntuples(r) == 0) {
				PQclear(r);
				return DB_DONE;
			}
			st->res = r;
			st->row = 0;
			return DB_ROW;
		}
		if (!err)
			err = r;
		if (attempt == 0 && recovered(s->db)) {
			PQclear(err);
			continue;
		}
		int rc = result_error(err, st->sql);
		PQclear(err);
		return rc;
	}
}

/* The value of column @col in the current row, NULL for SQL NULL or when there is no
 * row. */
static const char *
value(struct pg_stmt *st, int col)
{
	if (!st->res || st->row >= PQntuples(st->res) || col >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

const char *
pg_col_text(struct db_stmt *s, int col)
{
	return value(pstmt(s), col);
}

int64_t
pg_col_int64(struct db_stmt *s, int col)
{
	struct pg_stmt *st = pstmt(s);
	const char *v = value(st, col);
	if (!v)
		return 0;
	if (PQftype(st->res, col) == OID_BOOL)
		return v[0] == 't';
	return g_ascii_strtoll(v, NULL, 10);
}

bool
pg_col_is_null(struct db_stmt *s, int col)
{
	return value(pstmt(s), col) == NULL;
}

unsigned char *
pg_col_blob_dup(struct db_stmt *s, struct arena *a, int col, size_t *len)
{
	struct pg_stmt *st = pstmt(s);
	const char *v = value(st, col);
	*len = 0;
	if (!v)
		return NULL;
	size_t n = (size_t)PQgetlength(st->res, st->row, col);
	unsigned char *raw = NULL;
	if (PQftype(st->res, col) == OID_BYTEA) {
		raw = PQunescapeBytea((const unsigned char *)v, &n);
		if (!raw)
			return NULL;
		v = (const char *)raw;
	}
	unsigned char *out = arena_alloc(a, n + 1);
	memcpy(out, v, n);
	*len = n;
	PQfreemem(raw);
	return out;
}

int
pg_changes(struct db *db)
{
	return ((struct pg_db *)db)->changes;
}

void
pg_finish(struct db_stmt *s)
{
	struct pg_stmt *st = pstmt(s);
	PQclear(st->res);
	st->res = NULL;
	st->row = 0;
	st->done = false;
	for (int i = 0; i < st->cap; i++) {
		g_free(st->values[i]);
		st->values[i] = NULL;
		st->types[i] = 0;
		st->lengths[i] = st->formats[i] = 0;
	}
}

int
pg_release_stmts(struct db *db)
{
	GHashTableIter it;
	gpointer key, val;
	int n = 0;
	g_hash_table_iter_init(&it, db->cache);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		struct pg_stmt *st = val;
		if (st->res && st->row < PQntuples(st->res)) {
			log_error("db: requête restée ouverte : %s", st->sql);
			n++;
		}
		if (st->res || st->done)
			pg_finish(&st->base);
	}
	return n;
}

bool
pg_in_transaction(struct db *db)
{
	PGTransactionStatusType s = PQtransactionStatus(conn(db));
	return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

int
pg_tx_begin(struct db *db, bool global)
{
	int rc = pg_exec(db, global ? "BEGIN; SELECT pg_advisory_xact_lock(" G_STRINGIFY(WRITE_LOCK_KEY) ")"
				    : "BEGIN");
	if (rc < 0 && pg_in_transaction(db))
		pg_tx_rollback(db);
	return rc;
}

/* COMMIT of a transaction an error aborted answers "ROLLBACK", not an error. */
int
pg_tx_commit(struct db *db)
{
	ensure_connected(db);
	PGresult *r = PQexec(conn(db), "COMMIT");
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = result_error(r, "COMMIT");
		rc = rc == -ERR_CONFLICT ? rc : -ERR_DB;
	} else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		log_error("db: postgres: transaction annulée par une erreur antérieure (%s)",
			  PQcmdStatus(r));
		rc = -ERR_DB;
	}
	PQclear(r);
	return rc;
}

void
pg_tx_rollback(struct db *db)
{
	PQclear(PQexec(conn(db), "ROLLBACK"));
}

/* No snapshot on PostgreSQL (db.h, db_read_begin). */
int
pg_read_begin(struct db *db)
{
	(void)db;
	return 0;
}

void
pg_read_end(struct db *db)
{
	(void)db;
}
