/* bench_data_store.c — buffered multi-row inserts of the national data set. */
#include "admin/bench_data_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <stdbool.h>

enum vtype { V_NULL, V_INT, V_TEXT, V_BLOB };
struct val {
	enum vtype t;
	int64_t i;
	const void *p;  /* arena copy */
	size_t n;
};

/* The tables in parent-before-child order: a flush writes them in this order. */
enum { T_STRUCTURE, T_COUNSELOR, T_BENEFICIARY, T_CONVERSATION, T_MESSAGE, T_ACTION, T_EVENT,
       T_PARTICIPANT, T_N };
static const struct {
	const char *head;
	int ncols;
} defs[T_N] = {
	[T_STRUCTURE] = {"INSERT INTO structure(id, code, name, timezone, created_at)", 5},
	[T_COUNSELOR] = {"INSERT INTO counselor(id, structure_id, email, first_name, last_name, "
			 "password_hash, is_supervisor, created_at)", 8},
	[T_BENEFICIARY] = {"INSERT INTO beneficiary(id, structure_id, counselor_id, first_name, "
			   "last_name, search_folded, email, imilo_dossier_id, dispositif, "
			   "current_situation, created_at, activated_at, last_activity_at)", 13},
	[T_CONVERSATION] = {"INSERT INTO conversation(id, beneficiary_id, created_at, "
			    "last_message_id, last_message_at, last_message_preview, "
			    "last_message_key_id, last_sender, counselor_last_read_at, "
			    "beneficiary_last_read_at)", 10},
	[T_MESSAGE] = {"INSERT INTO message(id, conversation_id, sender_type, sender_counselor_id, "
		       "kind, content, key_id, created_at)", 8},
	[T_ACTION] = {"INSERT INTO action(id, beneficiary_id, counselor_id, creator_kind, "
		      "creator_id, creator_first_name, creator_last_name, title, description, "
		      "category, status, due_at, completed_at, created_at, updated_at, q_code, "
		      "q_hours, q_start, q_end, qualified_at, qualified_by, started_on)", 22},
	[T_EVENT] = {"INSERT INTO event(id, kind, type, title, description, modality, starts_at, "
		     "duration_min, ends_at, address, organism, presence, max_participants, "
		     "creator_id, creator_first_name, creator_last_name, structure_id, closed_at, "
		     "created_at, updated_at)", 20},
	[T_PARTICIPANT] = {"INSERT INTO event_participant(event_id, beneficiary_id, added_at, "
			   "starts_at)", 4},
};

/* log2(BENCH_BULK_ROWS) + 1 statement sizes: 1, 2, 4, … BENCH_BULK_ROWS rows. */
#define SIZES 9
G_STATIC_ASSERT(1 << (SIZES - 1) == BENCH_BULK_ROWS);

struct bulk {
	int rows, col;          /* rows complete; values of the current row so far */
	struct val *v;          /* ncols × BENCH_BULK_ROWS */
	struct arena *a;        /* the buffered strings and blobs; renewed at each flush */
	char *sql[SIZES];       /* the INSERT of 2^k rows, built on first use */
};

struct bench_store {
	struct db *db;
	struct bulk t[T_N];
	int64_t written;
};

struct bench_store *
bench_store_new(struct db *db)
{
	struct bench_store *s = g_new0(struct bench_store, 1);
	s->db = db;
	for (int i = 0; i < T_N; i++) {
		s->t[i].v = g_new0(struct val, (size_t)defs[i].ncols * BENCH_BULK_ROWS);
		s->t[i].a = arena_new();
	}
	return s;
}

void
bench_store_free(struct bench_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < T_N; i++) {
		g_free(s->t[i].v);
		arena_free(s->t[i].a);
		for (int k = 0; k < SIZES; k++)
			g_free(s->t[i].sql[k]);
	}
	g_free(s);
}

int64_t
bench_store_written(const struct bench_store *s)
{
	return s->written;
}

/* "INSERT … VALUES ($1, …, $n), (…)" for 2^@k rows of table @t. */
static const char *
sql_for(struct bulk *b, int t, int k)
{
	if (!b->sql[k]) {
		GString *q = g_string_new(defs[t].head);
		g_string_append(q, " VALUES ");
		int p = 1;
		for (int r = 0; r < 1 << k; r++) {
			g_string_append(q, r ? ", (" : "(");
			for (int c = 0; c < defs[t].ncols; c++)
				g_string_append_printf(q, c ? ", $%d" : "$%d", p++);
			g_string_append_c(q, ')');
		}
		b->sql[k] = g_string_free(q, FALSE);
	}
	return b->sql[k];
}

static void
bind(struct db_stmt *st, int idx, const struct val *v)
{
	switch (v->t) {
	case V_NULL: db_bind_null(st, idx); break;
	case V_INT: db_bind_int64(st, idx, v->i); break;
	case V_TEXT: db_bind_text(st, idx, v->p); break;
	case V_BLOB: db_bind_blob(st, idx, v->p, v->n); break;
	}
}

/* Writes the buffered rows of table @t as statements of 2^k rows, largest first. */
static int
flush_table(struct bench_store *s, int t)
{
	struct bulk *b = &s->t[t];
	int ncols = defs[t].ncols, done = 0, rc = 0;
	while (!rc && done < b->rows) {
		int k = SIZES - 1;
		while ((1 << k) > b->rows - done)
			k--;
		struct db_stmt *st = db_prepare(s->db, sql_for(b, t, k));
		if (!st)
			return -ERR_DB;
		int n = (1 << k) * ncols;
		const struct val *v = b->v + (size_t)done * (size_t)ncols;
		for (int i = 0; i < n; i++)
			bind(st, i + 1, &v[i]);
		rc = db_run(st);
		done += 1 << k;
	}
	s->written += done;
	b->rows = b->col = 0;
	arena_free(b->a);
	b->a = arena_new();
	return rc;
}

int
bench_store_flush(struct bench_store *s)
{
	int rc = 0;
	for (int t = 0; !rc && t < T_N; t++)
		rc = flush_table(s, t);
	return rc;
}

/* The next value of the current row of table @t. */
static struct val *
next(struct bench_store *s, int t)
{
	struct bulk *b = &s->t[t];
	g_assert(b->col < defs[t].ncols);
	return &b->v[(size_t)b->rows * (size_t)defs[t].ncols + (size_t)b->col++];
}
static void
put_text(struct bench_store *s, int t, const char *text)
{
	struct val *v = next(s, t);
	*v = text ? (struct val){.t = V_TEXT, .p = arena_strdup(s->t[t].a, text)}
		  : (struct val){.t = V_NULL};
}
static void
put_int(struct bench_store *s, int t, int64_t i)
{
	*next(s, t) = (struct val){.t = V_INT, .i = i};
}
/* 0 as SQL NULL (instants that are not set). */
static void
put_time(struct bench_store *s, int t, int64_t ms)
{
	*next(s, t) = ms ? (struct val){.t = V_INT, .i = ms} : (struct val){.t = V_NULL};
}
static void
put_blob(struct bench_store *s, int t, const void *p, size_t n)
{
	struct val *v = next(s, t);
	*v = p ? (struct val){.t = V_BLOB, .p = arena_memdup(s->t[t].a, p, n), .n = n}
	       : (struct val){.t = V_NULL};
}

/* Ends the current row of table @t; a full buffer flushes every table, parents first. */
static int
row_end(struct bench_store *s, int t)
{
	struct bulk *b = &s->t[t];
	g_assert(b->col == defs[t].ncols);
	b->col = 0;
	return ++b->rows == BENCH_BULK_ROWS ? bench_store_flush(s) : 0;
}

int
bench_store_structure(struct bench_store *s, const char *id, const char *code,
		      const char *name, const char *tz, int64_t created_at)
{
	put_text(s, T_STRUCTURE, id);
	put_text(s, T_STRUCTURE, code);
	put_text(s, T_STRUCTURE, name);
	put_text(s, T_STRUCTURE, tz);
	put_int(s, T_STRUCTURE, created_at);
	return row_end(s, T_STRUCTURE);
}

int
bench_store_counselor(struct bench_store *s, const char *id, const char *structure_id,
		      const char *email, const char *first, const char *last,
		      const char *password_hash, int supervisor, int64_t created_at)
{
	put_text(s, T_COUNSELOR, id);
	put_text(s, T_COUNSELOR, structure_id);
	put_text(s, T_COUNSELOR, email);
	put_text(s, T_COUNSELOR, first);
	put_text(s, T_COUNSELOR, last);
	put_text(s, T_COUNSELOR, password_hash);
	put_int(s, T_COUNSELOR, supervisor);
	put_int(s, T_COUNSELOR, created_at);
	return row_end(s, T_COUNSELOR);
}

int
bench_store_beneficiary(struct bench_store *s, const struct bench_beneficiary *b)
{
	const int t = T_BENEFICIARY;
	put_text(s, t, b->id);
	put_text(s, t, b->structure_id);
	put_text(s, t, b->counselor_id);
	put_text(s, t, b->first_name);
	put_text(s, t, b->last_name);
	put_text(s, t, b->folded);
	put_text(s, t, b->email);
	put_text(s, t, b->dossier_id);
	put_text(s, t, b->dispositif);
	put_text(s, t, b->situation);
	put_int(s, t, b->created_at);
	put_time(s, t, b->activated_at);
	put_time(s, t, b->last_activity_at);
	return row_end(s, t);
}

int
bench_store_action(struct bench_store *s, const struct bench_action *a)
{
	const int t = T_ACTION;
	bool q = a->q_code != NULL;
	bool snp = q && g_strcmp0(a->q_code, "NON_SNP") != 0;
	put_text(s, t, a->id);
	put_text(s, t, a->beneficiary_id);
	put_text(s, t, a->counselor_id);
	put_text(s, t, a->by_counselor ? "counselor" : "beneficiary");
	put_text(s, t, a->creator_id);
	put_text(s, t, a->creator_first_name);
	put_text(s, t, a->creator_last_name);
	put_text(s, t, a->title);
	put_text(s, t, a->description ? a->description : "");
	put_text(s, t, a->category);
	put_text(s, t, a->status);
	put_int(s, t, a->due_at);
	put_time(s, t, a->completed_at);
	put_int(s, t, a->created_at);
	put_int(s, t, a->updated_at);
	put_text(s, t, q ? a->q_code : NULL);
	if (q)
		put_int(s, t, a->q_hours);
	else
		put_time(s, t, 0);
	put_text(s, t, snp ? a->q_start : NULL);
	put_text(s, t, snp ? a->q_end : NULL);
	put_time(s, t, q ? a->qualified_at : 0);
	put_text(s, t, q ? a->qualified_by : NULL);
	/* What actions_store_qualify sets: the SNP's start day. */
	put_text(s, t, snp ? a->q_start : NULL);
	return row_end(s, t);
}

int
bench_store_conversation(struct bench_store *s, const struct bench_conversation *c)
{
	const int t = T_CONVERSATION;
	bool last = c->last_message_id != NULL;
	put_text(s, t, c->id);
	put_text(s, t, c->beneficiary_id);
	put_int(s, t, c->created_at);
	put_text(s, t, c->last_message_id);
	put_time(s, t, last ? c->last_message_at : 0);
	put_blob(s, t, last ? c->preview.blob : NULL, c->preview.len);
	put_text(s, t, last ? c->preview.key_id : NULL);
	put_text(s, t, c->last_sender);
	put_int(s, t, c->counselor_last_read_at);
	put_int(s, t, c->beneficiary_last_read_at);
	return row_end(s, t);
}

int
bench_store_message(struct bench_store *s, const struct bench_message *m)
{
	const int t = T_MESSAGE;
	put_text(s, t, m->id);
	put_text(s, t, m->conversation_id);
	put_text(s, t, m->sender_type);
	put_text(s, t, m->sender_counselor_id);
	put_text(s, t, "MESSAGE");
	put_blob(s, t, m->content.blob, m->content.len);
	put_text(s, t, m->content.key_id);
	put_int(s, t, m->created_at);
	return row_end(s, t);
}

int
bench_store_event(struct bench_store *s, const struct bench_event *e)
{
	const int t = T_EVENT;
	put_text(s, t, e->id);
	put_text(s, t, e->collective ? "ac" : "rdv");
	put_text(s, t, e->type);
	put_text(s, t, e->title);
	put_text(s, t, "");
	put_text(s, t, e->modality);
	put_int(s, t, e->starts_at);
	put_int(s, t, e->duration_min);
	put_int(s, t, e->starts_at + (int64_t)e->duration_min * 60000);
	put_text(s, t, "");
	put_text(s, t, "");
	put_int(s, t, 1);
	if (e->collective && e->max_participants > 0)
		put_int(s, t, e->max_participants);
	else
		put_time(s, t, 0);
	put_text(s, t, e->creator_id);
	put_text(s, t, e->creator_first_name);
	put_text(s, t, e->creator_last_name);
	put_text(s, t, e->structure_id);
	put_time(s, t, e->collective ? e->closed_at : 0);
	put_int(s, t, e->created_at);
	put_int(s, t, e->closed_at > 0 ? e->closed_at : e->created_at);
	return row_end(s, t);
}

int
bench_store_participant(struct bench_store *s, const char *event_id, const char *beneficiary_id,
			int64_t added_at, int64_t starts_at)
{
	const int t = T_PARTICIPANT;
	put_text(s, t, event_id);
	put_text(s, t, beneficiary_id);
	put_int(s, t, added_at);
	put_int(s, t, starts_at);
	return row_end(s, t);
}

const char *const bench_store_tables[BENCH_TABLE_COUNT] = {
	"structure", "counselor", "beneficiary", "beneficiary_gram", "action", "conversation",
	"message", "event", "event_participant", "web_session",
};

int64_t
bench_store_count(struct db *db, int i)
{
	/* One literal per table: no SQL is built from a name. */
	static const char *const sql[BENCH_TABLE_COUNT] = {
		"SELECT count(*) FROM structure", "SELECT count(*) FROM counselor",
		"SELECT count(*) FROM beneficiary", "SELECT count(*) FROM beneficiary_gram",
		"SELECT count(*) FROM action", "SELECT count(*) FROM conversation",
		"SELECT count(*) FROM message", "SELECT count(*) FROM event",
		"SELECT count(*) FROM event_participant", "SELECT count(*) FROM web_session",
	};
	if (i < 0 || i >= BENCH_TABLE_COUNT)
		return -ERR_INVAL;
	return db_run_int(db_prepare(db, sql[i]));
}
