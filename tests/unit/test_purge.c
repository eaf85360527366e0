/* test_purge.c — nothing of a deleted or archived beneficiary outlives the account
 * (beneficiaries.md §9, youth-app.md §12), and forgetting a table is impossible.
 *
 * A migrated temporary database is filled, through the features' own functions, with
 * everything two beneficiaries B and C can have; B's account then goes through the real
 * use case (delete, archive, self-delete). The test does not list the tables: it walks
 * the schema.
 *
 * Which rows are a beneficiary's. A row is P's when one of its text columns holds P's id,
 * P's e-mail, or the id of another row of P — found again and again until nothing new is
 * found. That covers the foreign keys and their chains (a message_edit names a message,
 * which names P's conversation, which names P), the columns named beneficiary_id, and the
 * references no foreign key states: a job key ("imilo-refresh:{id}") or payload, a mail's
 * recipient, a session's user_id, a login throttling scope, a broadcast's JSON list of
 * recipients. The one reference the other way round is SOFT_OWNED below: a file is P's
 * when P's message names it (message.attachment_id, no foreign key). Sealed columns (BLOB)
 * are not read: their rows are found through their ids.
 *
 * Which tables must hold rows of B. Every table with a foreign key to beneficiary, or to
 * such a table (pragma_foreign_key_list, followed transitively), or with a column named
 * beneficiary_id or *_beneficiary_id, plus CONTENT_KEYED: the tables that name a
 * beneficiary in their content only. Before the deletion each of them must hold a row of
 * B, so a new table that this test does not fill fails here, and its author fills it
 * below — and purges it.
 *
 * Then: (a) before, every such table holds a row of B; (b) after, no table holds a row of
 * B, nor a row that was B's alone (a file or a broadcast no other beneficiary shares),
 * except KEPT rows; (c) every row of C is still there. */
#include "actions/actions_use.h"
#include "actions/actions_store.h"
#include "admin/admin.h"
#include "admin/admin_store.h"
#include "admin/copy_pg_store.h"
#include "agenda/agenda_imilo.h"
#include "agenda/agenda_use.h"
#include "sessions/sessions_registration.h"
#include "audit/audit.h"
#include "auth/login.h"
#include "auth/login_store.h"
#include "auth/session.h"
#include "auth/session_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"
#include "feed/feed.h"
#include "feed/feed_store.h"
#include "imilo/imilo.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "messaging/attachments.h"
#include "messaging/crypto.h"
#include "messaging/lists.h"
#include "offers/offers_app_contact.h"
#include "offers/offers_events.h"
#include "offers/offers_favorites.h"
#include "offers/offers_saved.h"
#include "offers/offers_search.h"
#include "messaging/messaging_use.h"
#include "notifications/notifications.h"
#include "fixture.h"
#include "record/record.h"
#include "core/ctx.h"
#include "serve/features.h"
#include "view/tmpl.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#define MINUTE 60000LL
#define DAY (24 * 60 * MINUTE)
#define T0 1767261600000LL   /* 2026-01-01T10:00:00Z */
#define PARIS "Europe/Paris"
#define FAREWELL "Ton compte de l’application du CEJ a été supprimé"

/* Tables that name a beneficiary in their content only (no foreign key, no
 * beneficiary_id column): each must hold a row of B before the deletion, like the others. */
static const char *const CONTENT_KEYED[] = {
	"job",          /* key "imilo-refresh:{id}", "action:{action id}:j3"; payload */
	"mail_outbox",  /* recipient = the beneficiary's e-mail */
	"web_session",  /* user_id */
	"login_failure",/* scope "account:beneficiary:{email}" */
	"broadcast",    /* recipient_ids, a JSON array */
	"attachment",   /* named by the beneficiary's messages (SOFT_OWNED) */
	"audit_log",    /* target_id: kept, see KEPT */
	NULL,
};

/* A row of @parent is owned by whoever owns the row of @child whose @column names it. */
static const struct {
	const char *child, *column, *parent;
} SOFT_OWNED[] = {
	{"message", "attachment_id", "attachment"},
};

/* Columns that point down to a child (a summary): ownership flows from the conversation
 * to its messages, never back through them. */
static const struct {
	const char *table, *column;
} DOWNWARD[] = {
	{"conversation", "last_message_id"},
};

/* ======================================================================================
 * A snapshot of the whole database, and whose rows are whose
 * ==================================================================================== */

struct row {
	const char *key;       /* primary key columns, or rowid when none is declared */
	const char *id;        /* single-column primary key (what other rows name), or NULL */
	const char **text;     /* each column's value when it is text, else NULL */
};

struct table {
	const char *name;
	int ncols;
	const char **cols;
	bool refers;           /* must hold a row of B before the deletion */
	int nrows;
	struct row *rows;
};

struct snapshot {
	int n;
	struct table *t;
};

static char *tmp;
static struct db *db;
static struct arena *a;
static struct msg_keyring *keys;
static struct config *cfg;
static struct ctx app;
static const char *sid, *cid, *other_cid;

static const char *
quote_id(const char *name)
{
	return arena_printf(a, "\"%s\"", name);
}

static int
col_index(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* Tables referring to a beneficiary by schema: foreign keys to beneficiary or to such a
 * table (followed until nothing changes), beneficiary_id or *_beneficiary_id columns, and
 * CONTENT_KEYED. */
static void
mark_referring(struct snapshot *s)
{
	for (int i = 0; i < s->n; i++) {
		struct table *t = &s->t[i];
		t->refers = !strcmp(t->name, "beneficiary") || in_list(CONTENT_KEYED, t->name);
		for (int c = 0; c < t->ncols; c++)
			t->refers |= !strcmp(t->cols[c], "beneficiary_id") ||
				     g_str_has_suffix(t->cols[c], "_beneficiary_id");
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (int i = 0; i < s->n; i++) {
			struct table *t = &s->t[i];
			if (t->refers)
				continue;
			struct db_stmt *st = db_prepare(db,
				"SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)");
			cr_assert_not_null(st);
			db_bind_text(st, 1, t->name);
			while (db_step(st) == DB_ROW)
				for (int j = 0; j < s->n; j++)
					if (s->t[j].refers && !strcmp(s->t[j].name, db_col_text(st, 0)))
						t->refers = changed = true;
			db_finish(st);
		}
	}
}

static struct snapshot
snapshot(void)
{
	struct snapshot s = {0};
	struct db_stmt *st = db_prepare(db,
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
		"ORDER BY name");
	cr_assert_not_null(st);
	GPtrArray *names = g_ptr_array_new();
	while (db_step(st) == DB_ROW)
		g_ptr_array_add(names, db_col_dup(st, a, 0));
	db_finish(st);
	s.n = (int)names->len;
	s.t = arena_alloc(a, sizeof(*s.t) * names->len);
	for (int i = 0; i < s.n; i++) {
		struct table *t = &s.t[i];
		*t = (struct table){.name = names->pdata[i]};
		/* Columns, and the primary key that identifies a row across the deletion. */
		GString *key = g_string_new(NULL);
		GPtrArray *cols = g_ptr_array_new();
		int npk = 0;
		const char *pk = NULL;
		st = db_prepare(db, "SELECT name, pk FROM pragma_table_info($1) ORDER BY cid");
		db_bind_text(st, 1, t->name);
		while (db_step(st) == DB_ROW) {
			const char *c = db_col_dup(st, a, 0);
			g_ptr_array_add(cols, (void *)c);
			if (db_col_int64(st, 1) > 0) {
				g_string_append_printf(key, "%squote(%s)", npk ? " || '|' || " : "",
						       quote_id(c));
				pk = c;
				npk++;
			}
		}
		db_finish(st);
		t->ncols = (int)cols->len;
		t->cols = arena_alloc(a, sizeof(char *) * cols->len);
		memcpy(t->cols, cols->pdata, sizeof(char *) * cols->len);
		g_ptr_array_free(cols, TRUE);
		GString *sql = g_string_new(NULL);
		g_string_printf(sql, "SELECT %s, %s", npk ? key->str : "rowid",
				npk == 1 ? quote_id(pk) : "NULL");
		for (int c = 0; c < t->ncols; c++)
			g_string_append_printf(sql, ", CASE WHEN typeof(%s) = 'text' THEN %s END",
					       quote_id(t->cols[c]), quote_id(t->cols[c]));
		g_string_append_printf(sql, " FROM %s", quote_id(t->name));
		g_string_free(key, TRUE);
		st = db_prepare(db, sql->str);
		cr_assert_not_null(st, "%s", sql->str);
		g_string_free(sql, TRUE);
		GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct row));
		while (db_step(st) == DB_ROW) {
			struct row r = {.key = db_col_dup(st, a, 0), .id = db_col_dup(st, a, 1),
					.text = arena_alloc(a, sizeof(char *) * (size_t)t->ncols)};
			for (int c = 0; c < t->ncols; c++)
				r.text[c] = db_col_dup(st, a, 2 + c);
			g_array_append_val(rows, r);
		}
		db_finish(st);
		t->nrows = (int)rows->len;
		t->rows = arena_alloc(a, sizeof(struct row) * (rows->len ? rows->len : 1));
		if (rows->len)   /* data is NULL when empty */
			memcpy(t->rows, rows->data, sizeof(struct row) * rows->len);
		g_array_free(rows, TRUE);
	}
	g_ptr_array_free(names, TRUE);
	mark_referring(&s);
	return s;
}

static const char *
row_ref(const struct table *t, const struct row *r)
{
	return arena_printf(a, "%s %s", t->name, r->key);
}

static bool
downward(const struct table *t, int c)
{
	for (size_t k = 0; k < G_N_ELEMENTS(DOWNWARD); k++)
		if (!strcmp(t->name, DOWNWARD[k].table) && !strcmp(t->cols[c], DOWNWARD[k].column))
			return true;
	return false;
}

static bool
mentions(const struct table *t, const struct row *r, GPtrArray *needles)
{
	for (int c = 0; c < t->ncols; c++)
		for (guint k = 0; r->text[c] && !downward(t, c) && k < needles->len; k++)
			if (strstr(r->text[c], needles->pdata[k]))
				return true;
	return false;
}

struct owner {
	GHashTable *owned;    /* "table key" of the rows found */
	GPtrArray *needles;   /* what a row of the owner holds: id, e-mail, ids of its rows */
	GPtrArray *others;    /* ids and e-mails of every other beneficiary */
};

/* Adds @r to @o's rows. Its id then finds the rows naming it, unless the row is shared
 * (it names another beneficiary too, like a broadcast's recipients, or it is a file found
 * through SOFT_OWNED): a message of C names the broadcast it shares with B, and is C's. */
static void
own(struct owner *o, const struct table *t, const struct row *r, bool shared, bool *changed)
{
	const char *ref = row_ref(t, r);
	if (g_hash_table_contains(o->owned, ref))
		return;
	g_hash_table_add(o->owned, (void *)ref);
	/* Short ids could match by chance: every id of the schema is a UUID or a hash. */
	if (!shared && !mentions(t, r, o->others) && r->id && strlen(r->id) >= 16)
		g_ptr_array_add(o->needles, (void *)r->id);
	*changed = true;
}

/* The rows of the beneficiary @id with e-mail @email: a set of "table key" (arena). */
static GHashTable *
rows_of(const struct snapshot *s, const char *id, const char *email)
{
	struct owner o = {g_hash_table_new(g_str_hash, g_str_equal), g_ptr_array_new(),
			  g_ptr_array_new()};
	g_ptr_array_add(o.needles, (void *)id);
	g_ptr_array_add(o.needles, (void *)email);
	for (int i = 0; i < s->n; i++) {
		const struct table *t = &s->t[i];
		int cid_ = col_index(t, "id"), cemail = col_index(t, "email");
		if (strcmp(t->name, "beneficiary"))
			continue;
		for (int j = 0; j < t->nrows; j++)
			if (strcmp(t->rows[j].text[cid_], id)) {
				g_ptr_array_add(o.others, (void *)t->rows[j].text[cid_]);
				g_ptr_array_add(o.others, (void *)t->rows[j].text[cemail]);
			}
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (int i = 0; i < s->n; i++)
			for (int j = 0; j < s->t[i].nrows; j++)
				if (mentions(&s->t[i], &s->t[i].rows[j], o.needles))
					own(&o, &s->t[i], &s->t[i].rows[j], false, &changed);
		for (size_t k = 0; k < G_N_ELEMENTS(SOFT_OWNED); k++) {
			const struct table *child = NULL, *parent = NULL;
			for (int i = 0; i < s->n; i++) {
				if (!strcmp(s->t[i].name, SOFT_OWNED[k].child))
					child = &s->t[i];
				if (!strcmp(s->t[i].name, SOFT_OWNED[k].parent))
					parent = &s->t[i];
			}
			cr_assert(child && parent, "SOFT_OWNED names a table that is gone");
			int c = col_index(child, SOFT_OWNED[k].column);
			cr_assert_geq(c, 0);
			for (int j = 0; j < child->nrows; j++) {
				const char *v = child->rows[j].text[c];
				if (!v || !g_hash_table_contains(o.owned, row_ref(child, &child->rows[j])))
					continue;
				for (int p = 0; p < parent->nrows; p++)
					if (parent->rows[p].id && !strcmp(parent->rows[p].id, v))
						own(&o, parent, &parent->rows[p], true, &changed);
			}
		}
	}
	g_ptr_array_free(o.needles, TRUE);
	g_ptr_array_free(o.others, TRUE);
	return o.owned;
}

static int
count_in(GHashTable *set, const char *table)
{
	const char *prefix = arena_printf(a, "%s ", table);
	GHashTableIter it;
	void *k;
	int n = 0;
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &k, NULL))
		n += g_str_has_prefix(k, prefix);
	return n;
}

static const struct row *
find_row(const struct snapshot *s, const char *ref, const struct table **table)
{
	for (int i = 0; i < s->n; i++)
		for (int j = 0; j < s->t[i].nrows; j++)
			if (!strcmp(row_ref(&s->t[i], &s->t[i].rows[j]), ref)) {
				*table = &s->t[i];
				return &s->t[i].rows[j];
			}
	return NULL;
}

/* ======================================================================================
 * The two beneficiaries and everything they can have
 * ==================================================================================== */

struct person {
	const char *id, *email, *first_name, *last_name, *dossier;
};
static struct person B, C;

static const char *
any_asset(void *ud, const char *path)
{
	(void)ud;
	(void)path;
	return "/static/test";
}

static void
rm_rf(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		gchar *p = g_build_filename(path, name, NULL);
		rm_rf(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_remove(path);
}

static void
tx(void)
{
	cr_assert_eq(db_tx_begin(db), 0);
}

static void
commit(void)
{
	cr_assert_eq(db_tx_commit(db), 0);
}

static struct person
create(const char *first, const char *last, const char *email, const char *dossier, int k)
{
	char *id = arena_alloc(a, UUID_STRLEN + 1);
	id_uuid7(T0 + k, id);
	struct imilo_dossier d = {.id = dossier, .first_name = first, .last_name = last,
				  .email = email, .structure_code = "29019S00"};
	struct new_beneficiary nb = {
		.id = id, .structure_id = sid, .counselor_id = cid, .dispositif = "CEJ",
		.search_folded = text_fold(a, arena_printf(a, "%s %s", last, first)), .dossier = &d,
	};
	tx();
	cr_assert_eq(beneficiaries_store_insert(db, &nb, T0), 0);
	commit();
	return (struct person){id, email, first, last, dossier};
}

static const char *
send_message(const struct person *p, enum msg_sender from, const char *text, int64_t now)
{
	struct message m;
	const char *error = NULL;
	struct msg_send in = {.sender = from, .counselor_id = from == MSG_FROM_COUNSELOR ? cid : NULL,
			      .kind = MSG_MESSAGE, .text = text};
	cr_assert_eq(messaging_send(db, keys, a, now, p->id, &in, &m, &error), 0, "%s", error);
	return m.id;
}

static struct user claire_user(void);

/* A RDV with @ids 10 days ahead (its J-7 and J-1 reminder jobs), edited once (its history
 * and a "Rendez-vous modifié"), by their counselor: each use case owns its transaction. */
static void
add_rdv(const char *const *ids, int n, int64_t now)
{
	struct user u = claire_user();
	struct event e = {.type = EVENT_VISITE, .modality = MODALITY_NONE, .description = "",
			  .address = "12 rue Duc, Brest", .organism = "", .presence = true,
			  .starts_at = now + 10 * DAY, .duration_min = 45};
	cr_assert_eq(agenda_create(db, a, &u, now, &e, ids, n, NULL, NULL), 0);
	struct event after = e;
	after.duration_min = 60;
	cr_assert_eq(agenda_edit(db, a, &u, now + 1, &e, &after, ids, n, NULL, NULL), 0);
}

static const unsigned char PDF[] = "%PDF-1.4\n% atelier\n";

/* Everything @p can have, through the features' functions. */
static void
fill(const struct person *p)
{
	int64_t now = T0 + MINUTE;
	tx();
	/* Credentials: the activation link and its mail, a failed login, a session. */
	struct link_mailer m = login_mailer(&app);
	cr_assert_eq(login_send_link(&m, db, a, p->id, "activation", now), 0);
	enum login_outcome outcome;
	const char *uid = NULL;
	cr_assert_eq(login_check(db, a, USER_BENEFICIARY, p->email, "mauvais", "192.0.2.1", now,
				 &outcome, &uid), 0);
	cr_assert_eq(session_store_insert(db, arena_printf(a, "session-of-%s", p->id),
					  USER_BENEFICIARY, p->id, "csrf-token-of-the-session", now), 0);
	/* Actions: one with its J-3 reminder, a counselor's comment (posted in the
	 * conversation, notified), one done and qualified. */
	struct action x = {
		.beneficiary_id = p->id, .by_counselor = true, .creator_id = cid,
		.creator_first_name = "Claire", .creator_last_name = "Martin",
		.title = "Mettre à jour son CV", .description = "", .category = "EMPLOI",
		.status = ACTION_NOT_STARTED, .reminder = true, .cej = true, .timezone = PARIS,
		.due_at = action_due_at(clock_day_of(now, PARIS) + 20, PARIS),
	};
	cr_assert_eq(actions_create(db, a, now, &x), 0);
	struct action_comment c = {.action_id = x.id, .author_id = cid, .first_name = "Claire",
				   .last_name = "Martin", .body = "Pense à ton CV", .by_counselor = true};
	cr_assert_eq(actions_add_comment(db, keys, a, now, &x, &c), 0);
	struct action done = x;
	done.id = NULL;
	done.status = ACTION_DONE;
	done.due_at = action_due_at(clock_day_of(now, PARIS) - 1, PARIS);
	done.completed_at = done.due_at;
	cr_assert_eq(actions_create(db, a, now, &done), 0);
	struct action_qualification q = {.code = "NON_SNP", .by = cid};
	cr_assert_eq(actions_store_qualify(db, done.id, &q, now), 0);
	cr_assert_eq(notifications_add(db, now, p->id, NOTIF_ACTION_UPDATED,
				       arena_printf(a, "ACTION_UPDATED:%s", x.id), "/app/suivi"), 0);
	/* Messages both ways, one edited, one deleted, one with its own file. */
	const char *hello = send_message(p, MSG_FROM_COUNSELOR, "Bonjour", now);
	send_message(p, MSG_FROM_BENEFICIARY, "Salut", now + 1);
	const char *error = NULL;
	struct msg_actor me = {MSG_FROM_COUNSELOR, cid};
	cr_assert_eq(messaging_edit(db, keys, a, now + 2, &me, hello, "Bonjour !", &error), 0);
	const char *oops = send_message(p, MSG_FROM_COUNSELOR, "Oups", now + 3);
	cr_assert_eq(messaging_delete(db, a, now + 4, &me, oops, &error), 0);
	char file[UUID_STRLEN + 1];
	cr_assert_eq(attachment_store(db, keys, a, now, cid, "cv.pdf", "application/pdf", PDF,
				      sizeof(PDF) - 1, file), 0);
	struct msg_send pj = {.sender = MSG_FROM_COUNSELOR, .counselor_id = cid,
			      .kind = MSG_MESSAGE_PJ, .text = "", .attachment_id = file};
	cr_assert_eq(messaging_send(db, keys, a, now + 5, p->id, &pj, NULL, &error), 0, "%s", error);
	/* A list of its own and a send to it alone; the shared list is sent to below. */
	struct broadcast_list own = {.counselor_id = cid};
	struct lists_form_errors e;
	cr_assert_eq(lists_save(db, a, now, &own, arena_printf(a, "Liste de %s", p->first_name),
				(const char *[]){p->id}, 1, &e), 0);
	struct broadcast_result out;
	struct broadcast_request in = {.counselor_id = cid, .list_ids = (const char *[]){own.id},
				       .n_lists = 1, .text = "Rien que pour toi"};
	cr_assert_eq(broadcast_send(db, keys, a, now + 6, &in, &out), 0);
	/* Jobs keyed by the account, and a read of the fiche outside the portfolio. */
	cr_assert_eq(jobs_schedule(db, now, "imilo_refresh", arena_printf(a, "imilo-refresh:%s", p->id),
				   arena_printf(a, "{\"id\":\"%s\",\"dossier\":\"%s\"}", p->id, p->dossier),
				   now + DAY), 0);
	cr_assert_eq(record_audit_read(db, other_cid, p->id, now), 0);
	/* A mail with a file: none goes to a beneficiary today (invitations go to counselors),
	 * the outbox's purge covers one all the same. */
	const struct mail_attachment note = {"note.txt", "text/plain; charset=UTF-8", "x", 1};
	cr_assert_eq(mail_enqueue_with(db, now, p->email, "Pièce jointe", "Bonjour", "<p>Bonjour</p>",
				       &note, 1), 0);
	/* The i-milo feed: an event of their dossier received, its job, and the copy of an
	 * i-milo rendez-vous (with its reminders). */
	struct imilo_event ev = {.id = arena_printf(a, "evt-%s", p->dossier),
				 .dossier_id = p->dossier, .type = "RDV", .action = "CREATE",
				 .type_id = arena_printf(a, "rdv-%s", p->dossier),
				 .date = "2026-01-01T11:00:00+01:00"};
	cr_assert_eq(feed_store_receive(db, now, &ev, "pending"), 1);
	char *payload = feed_payload(&ev, p->id);
	cr_assert_eq(jobs_schedule(db, now, FEED_EVENT_KIND,
				   arena_printf(a, FEED_EVENT_KEY_PREFIX "%s", ev.id), payload, now), 0);
	g_free(payload);
	struct agenda_imilo_rdv rdv = {
		.imilo_id = ev.type_id, .beneficiary_id = p->id, .structure_id = sid,
		.objet = "Point d’étape", .lieu = "ML Brest", .statut = "Planifié",
		.starts_at = now + 12 * DAY, .ends_at = now + 12 * DAY + 30 * MINUTE};
	cr_assert_eq(agenda_imilo_apply(db, now, &rdv, true), 0);
	/* An i-milo session registration: its local copy, "Nouveau rendez-vous" and the
	 * J-7/J-1 reminders instance-session:{idInstance}:j7|j1 (keyed by the instance). */
	struct session_registration sr = {arena_printf(a, "inst-%s", p->dossier), "4242", p->id,
					  "Atelier CV", now + 10 * DAY, now + 10 * DAY + 60 * MINUTE,
					  "ONGOING"};
	cr_assert_eq(sessions_registration_apply(db, now, &sr), 0);
	/* A followed offer (its snapshot outlives the catalogue: no offer row needed) and
	 * the offers' indicators. */
	cr_assert_eq(offers_favorites_store_add(db, p->id, "123ABCD", OFFER_EMPLOI,
						"{\"id\":\"123ABCD\",\"title\":\"Vendeur\"}", now), 0);
	cr_assert_eq(offers_event_record(db, p->id, OFFER_EVENT_FAVORITE, "123ABCD", now), 0);
	const struct offers_contact contact = {p->first_name, "Martin", p->email, "0612345678",
					       "2026-02-01", "Bonjour"};
	cr_assert_eq(offers_contact_store_add_as(db, p->id, "12345678901234", "11573", &contact, "MAIL",
						 now, (char[UUID_STRLEN + 1]){0}), 0);
	commit();
	add_rdv((const char *[]){p->id}, 1, now);
	/* Offers: a saved search, and criteria the counselor suggested (offers_saved.h). */
	const struct offers_form search = {.type = "emploi", .keywords = "vendeur", .place = "29"};
	const char *saved = NULL;
	struct refusal why = {0};
	cr_assert_eq(offers_saved_create(db, a, now, p->id, "Vendeur", &search, &saved, &why), 0);
	cr_assert_eq(offers_saved_suggest(db, a, now, cid, &search, (const char *[]){p->id}, 1, &why),
		     0, "%s", why.message ? why.message : "");
}

/* A list holding B and C, and a send to it with one file shared by both copies. */
static void
fill_shared(void)
{
	int64_t now = T0 + 2 * MINUTE;
	tx();
	struct broadcast_list l = {.counselor_id = cid};
	struct lists_form_errors e;
	cr_assert_eq(lists_save(db, a, now, &l, "Atelier CV", (const char *[]){B.id, C.id}, 2, &e), 0);
	struct broadcast_result out;
	struct broadcast_request in = {.counselor_id = cid, .list_ids = (const char *[]){l.id},
				       .n_lists = 1, .text = "Atelier jeudi", .file_name = "plan.pdf",
				       .file = PDF, .file_len = sizeof(PDF) - 1};
	cr_assert_eq(broadcast_send(db, keys, a, now, &in, &out), 0);
	commit();
	add_rdv((const char *[]){B.id, C.id}, 2, now);
}

static void
setup(void)
{
	log_set_quiet(1);
	cr_assert_geq(sodium_init(), 0);
	tmp = g_dir_make_tmp("cej-purge-XXXXXX", NULL);
	char *path = g_build_filename(tmp, "t.db", NULL);
	db = db_open(path);
	g_free(path);
	cr_assert_not_null(db);
	cr_assert_eq(db_migrate(db, embed_migrations, embed_migrations_count), 0);
	a = arena_new();
	char *key_file = g_build_filename(tmp, "cles-messages", NULL);
	keys = crypto_keyring_open(key_file, true);
	g_free(key_file);
	cr_assert_not_null(keys);
	cfg = config_load(NULL, NULL);
	cr_assert_not_null(cfg);
	app = (struct ctx){.cfg = cfg, .keys = keys, .features = features_table(cfg),
			   .tmpl = tmpl_set_new(embed_templates, embed_templates_count, any_asset,
						NULL, NULL)};
	cr_assert_not_null(app.tmpl);
	cr_assert_eq(admin_store_structure(db, a, "29019S00", "ML Brest", PARIS, 1, &sid), 0);
	struct admin_counselor co = {.email = "claire@ml.fr", .first_name = "Claire",
				     .last_name = "Martin", .login = "cmartin", .structure_id = sid};
	cr_assert_eq(admin_store_counselor(db, a, &co, 1, &cid), 0);
	struct admin_counselor other = {.email = "denis@ml.fr", .first_name = "Denis",
					.last_name = "Roux", .structure_id = sid};
	cr_assert_eq(admin_store_counselor(db, a, &other, 1, &other_cid), 0);
	B = create("Léa", "Bertin", "lea.bertin@exemple.fr", "100001", 1);
	C = create("Hugo", "Carré", "hugo.carre@exemple.fr", "100002", 2);
	fill(&B);
	fill(&C);
	fill_shared();
}

static void
teardown(void)
{
	tmpl_set_free(app.tmpl);
	config_free(cfg);
	crypto_keyring_free(keys);
	arena_free(a);
	db_close(db);
	rm_rf(tmp);
	g_free(tmp);
}

TestSuite(purge, .init = setup, .fini = teardown, .timeout = 120);

/* ======================================================================================
 * The checks
 * ==================================================================================== */

/* Rows of B allowed to outlive the account. */
typedef bool (*kept_fn)(const struct table *t, const struct row *r);

/* The audit log is kept a year (admin-and-misc.md §7) and records the deletion and the
 * archive (§8): its rows name B by ids only. */
static bool
kept_audit(const struct table *t, const struct row *r)
{
	if (strcmp(t->name, "audit_log"))
		return false;
	for (int c = 0; c < t->ncols; c++)
		cr_assert(!r->text[c] || (!strstr(r->text[c], B.email) &&
					  !strstr(r->text[c], B.first_name) &&
					  !strstr(r->text[c], B.last_name)),
			  "audit_log.%s holds personal data of B: %s", t->cols[c], r->text[c]);
	return true;
}

static int count(const char *sql, const char *param);

/* The archive: the audit rows, the archive row itself, and the e-mail telling B (with
 * its sending job). */
static bool
kept_archive(const struct table *t, const struct row *r)
{
	if (kept_audit(t, r) || !strcmp(t->name, "beneficiary_archive"))
		return true;
	int subject = col_index(t, "subject"), key = col_index(t, "key");
	if (!strcmp(t->name, "job") && key >= 0 && r->text[key])   /* the farewell's sending */
		return count("SELECT count(*) FROM mail_outbox WHERE 'mail:' || id = $1 AND subject = '"
			     FAREWELL "'", r->text[key]) == 1;
	return !strcmp(t->name, "mail_outbox") && subject >= 0 && r->text[subject] &&
	       !strcmp(r->text[subject], FAREWELL);
}

struct before {
	struct snapshot s;
	GHashTable *b, *c;
};

static struct before
check_before(void)
{
	struct before w = {.s = snapshot()};
	w.b = rows_of(&w.s, B.id, B.email);
	w.c = rows_of(&w.s, C.id, C.email);
	for (int i = 0; i < w.s.n; i++) {
		const struct table *t = &w.s.t[i];
		if (!t->refers || !strcmp(t->name, "beneficiary_archive"))
			continue;   /* the archive holds nothing of a live account */
		cr_assert_gt(count_in(w.b, t->name), 0,
			     "table %s refers to beneficiaries but holds no row of B before the "
			     "deletion: fill it in tests/unit/test_purge.c (fill()), and purge it "
			     "in its feature's .purge (core/feature.h)", t->name);
		cr_assert_gt(count_in(w.c, t->name), 0, "table %s: no row of C", t->name);
	}
	return w;
}

static void
check_after(struct before *w, kept_fn kept)
{
	struct snapshot after = snapshot();
	GHashTable *b = rows_of(&after, B.id, B.email);
	GHashTable *all = g_hash_table_new(g_str_hash, g_str_equal);
	for (int i = 0; i < after.n; i++)
		for (int j = 0; j < after.t[i].nrows; j++)
			g_hash_table_add(all, (void *)row_ref(&after.t[i], &after.t[i].rows[j]));
	GHashTableIter it;
	void *ref;
	/* Every problem is listed before failing: one run shows all that a purge misses. */
	GString *errors = g_string_new(NULL);
	/* (b) nothing of B, but what @kept allows. */
	g_hash_table_iter_init(&it, b);
	while (g_hash_table_iter_next(&it, &ref, NULL)) {
		const struct table *t;
		const struct row *r = find_row(&after, ref, &t);
		if (!kept(t, r))
			g_string_append_printf(errors, "\n  table %s still holds a row of B (%s): its "
					       "feature's .purge misses it", t->name,
					       (char *)ref);
	}
	/* (b) nor a row that was B's alone (a file, a broadcast only B received). */
	g_hash_table_iter_init(&it, w->b);
	while (g_hash_table_iter_next(&it, &ref, NULL)) {
		const struct table *t;
		const struct row *r = find_row(&w->s, ref, &t);
		if (!g_hash_table_contains(w->c, ref) && g_hash_table_contains(all, ref) &&
		    !g_hash_table_contains(b, ref) && !kept(t, r))
			g_string_append_printf(errors, "\n  table %s still holds a row that was B's "
					       "alone (%s): its feature's .purge leaves "
					       "it behind", t->name, (char *)ref);
	}
	/* (c) every row of C. */
	g_hash_table_iter_init(&it, w->c);
	while (g_hash_table_iter_next(&it, &ref, NULL))
		if (!g_hash_table_contains(all, ref))
			g_string_append_printf(errors, "\n  the deletion of B removed a row of C: %s",
					       (char *)ref);
	cr_assert(errors->len == 0, "after the deletion of B:%s", errors->str);
	g_string_free(errors, TRUE);
	g_hash_table_destroy(all);
	g_hash_table_destroy(b);
	g_hash_table_destroy(w->b);
	g_hash_table_destroy(w->c);
}

static int
count(const char *sql, const char *param)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st);
	db_bind_text(st, 1, param);
	int64_t n = db_run_int(st);
	cr_assert_geq(n, 0);
	return (int)n;
}

static struct record
load(const struct person *p)
{
	struct record rec;
	cr_assert_eq(record_load(db, a, p->id, &rec), 0);
	return rec;
}

static const struct user claire = {.kind = USER_COUNSELOR, .first_name = "Claire",
				   .last_name = "Martin", .structure_id = NULL};

static struct user
claire_user(void)
{
	struct user u = claire;
	u.id = cid;
	u.structure_id = sid;
	return u;
}

Test(purge, deleting_b_leaves_nothing_of_b_and_every_row_of_c)
{
	struct user counselor = claire;
	counselor.id = cid;
	struct before w = check_before();
	struct record rec = load(&B);
	cr_assert_eq(beneficiaries_delete(&app, db, &counselor, &rec, T0 + 10 * MINUTE, NULL), 0);
	check_after(&w, kept_audit);
	cr_assert_eq(count("SELECT count(*) FROM beneficiary_archive WHERE beneficiary_id = $1",
			   B.id), 0, "a deletion keeps no archive");
	cr_assert_eq(count("SELECT count(*) FROM event WHERE kind = $1", "rdv"), 3,
		     "the RDV B was alone in and B's i-milo RDV go with B; C's two and the shared "
		     "one stay");
	cr_assert_eq(count("SELECT count(*) FROM job WHERE kind = $1", "agenda_reminder"), 6,
		     "and their J-7 and J-1 jobs; those of the three others stay");
	cr_assert_eq(count("SELECT count(*) FROM job WHERE kind = $1", "session_reminder"), 2,
		     "B's session reminders go, C's stay");
}

Test(purge, self_deletion_leaves_nothing_of_b_and_every_row_of_c)
{
	struct before w = check_before();
	struct record rec = load(&B);
	cr_assert_eq(beneficiaries_self_delete(&app, db, a, &rec, T0 + 10 * MINUTE), 0);
	check_after(&w, kept_audit);
	cr_assert_eq(count("SELECT count(*) FROM mail_outbox WHERE recipient = $1", "claire@ml.fr"),
		     1, "the counselor is told (notifications.md #21)");
}

Test(purge, archiving_b_leaves_only_the_archive)
{
	struct user counselor = claire;
	counselor.id = cid;
	tx();
	cr_assert_eq(login_store_beneficiary_logged_in(db, B.id, T0 + 5 * MINUTE), 0);
	commit();
	struct before w = check_before();
	struct record rec = load(&B);
	int64_t now = T0 + 10 * MINUTE;
	struct archive_input in = {.motif = "Déménagement",
				   .end_date = clock_iso_day(a, now, PARIS)};
	cr_assert_eq(beneficiaries_archive(&app, db, a, &counselor, &rec, &in, now, NULL), 0);
	check_after(&w, kept_archive);
	cr_assert_eq(count("SELECT count(*) FROM mail_outbox WHERE recipient = $1", B.email), 1,
		     "B is told, once (notifications.md #22)");

	/* What the archive keeps (beneficiaries.md §9): identity, history, every feature's
	 * part. */
	const char *content = NULL;
	struct db_stmt *st = db_prepare(db,
		"SELECT content_json FROM beneficiary_archive WHERE beneficiary_id = $1");
	db_bind_text(st, 1, B.id);
	cr_assert_eq(db_run_texts(st, a, 1, &content), 0);
	json_error_t err;
	json_t *j = json_loads(content, 0, &err);
	cr_assert_not_null(j, "%s", err.text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "email")), B.email);
	cr_assert_eq(json_array_size(json_object_get(j, "counselor_history")), 1);
	json_t *actions = json_object_get(j, "actions");
	cr_assert_eq(json_array_size(actions), 2);
	size_t comments = 0, qualified = 0, i;
	json_t *v;
	json_array_foreach(actions, i, v) {
		comments += json_array_size(json_object_get(v, "comments"));
		qualified += json_object_get(v, "qualification") != NULL;
	}
	cr_assert_eq(comments, 1);
	cr_assert_eq(qualified, 1);
	/* The rendez-vous: B's own, the one shared with C and B's i-milo RDV. */
	json_t *rdv = json_object_get(j, "rendez_vous");
	cr_assert_eq(json_array_size(rdv), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rdv, 0), "title")),
			 "Visite");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(rdv, 0), "duration_min")), 60,
		     "as edited");
	/* The conversation: the comment's message, hello (edited), salut, oups (deleted), the
	 * file, the two sends; texts sealed, and they open with the key file. */
	json_t *conv = json_object_get(j, "conversation");
	cr_assert_eq(json_array_size(conv), 7);
	size_t edits = 0, deleted = 0;
	bool found = false;
	json_array_foreach(conv, i, v) {
		edits += json_array_size(json_object_get(v, "history"));
		deleted += json_object_get(v, "deleted_at") != NULL;
		json_t *text = json_object_get(v, "text");
		gsize len;
		guchar *blob = g_base64_decode(json_string_value(json_object_get(text, "sealed")), &len);
		char *plain;
		cr_assert_eq(crypto_open(keys, a, json_string_value(json_object_get(text, "key_id")),
					 blob, len, &plain, NULL), 0);
		g_free(blob);
		found |= !strcmp(plain, "Bonjour !");
		if (!strcmp(json_string_value(json_object_get(v, "kind")), "MESSAGE"))
			cr_assert_null(strstr(content, plain), "in clear in the archive: %s", plain);
	}
	cr_assert_eq(edits, 1);
	cr_assert_eq(deleted, 1);
	cr_assert(found);
	json_decref(j);
}

/* ======================================================================================
 * Moving up: `cej admin copier-vers-postgres` (issue 14 point 5) on the database every
 * feature filled above — the fullest database the tests make.
 * ==================================================================================== */

/* The plaintext of the first message (by id) of @d, opened with the test's keys. */
static const char *
first_message(struct db *d)
{
	struct db_stmt *st = db_prepare(d, "SELECT key_id, content FROM message ORDER BY id LIMIT 1");
	cr_assert_eq(db_step(st), DB_ROW);
	size_t len;
	const char *key = db_col_dup(st, a, 0);
	unsigned char *blob = db_col_blob_dup(st, a, 1, &len);
	db_finish(st);
	char *plain = NULL;
	cr_assert_eq(crypto_open(keys, a, key, blob, len, &plain, NULL), 0);
	return plain;
}

static int64_t
size_of(struct db *d, const char *counselor)
{
	struct db_stmt *st = db_prepare(d, "SELECT portfolio_size FROM counselor WHERE id = $1");
	db_bind_text(st, 1, counselor);
	return db_run_int(st);
}

Test(purge, the_filled_database_copies_to_postgres_table_by_table)
{
	struct fixture pg = {0};
	fixture_open(&pg, "copy", 0);
	const char *url = fixture_pg_url(&pg);
	char *path = g_build_filename(tmp, "t.db", NULL);

	cr_assert_eq(admin_copy_to_postgres(path, url), 0);

	struct db *dst = db_open(url);
	cr_assert_not_null(dst);
	const char **tables;
	int n;
	cr_assert_eq(copy_store_tables(db, a, &tables, &n), 0);
	cr_assert_geq(n, 30, "every table of the schema is walked");
	int64_t rows = 0;
	for (int i = 0; i < n; i++) {
		int64_t s = copy_store_count(db, tables[i]);
		cr_assert_eq(copy_store_count(dst, tables[i]), s, "%s", tables[i]);
		rows += s;
	}
	cr_assert_gt(rows, 100);
	/* Kept by a trigger on both engines: copied, not counted again on arrival. */
	cr_assert_eq(size_of(dst, cid), size_of(db, cid));
	cr_assert_gt(size_of(dst, cid), 0);
	/* A sealed message crossed byte for byte and opens with the same key file. */
	cr_assert_str_eq(first_message(dst), first_message(db));

	/* Into a database that already holds the rows: refused, nothing changed. */
	cr_assert_neq(admin_copy_to_postgres(path, url), 0);
	cr_assert_eq(copy_store_count(dst, "beneficiary"), copy_store_count(db, "beneficiary"));
	/* A file that is not there: refused before PostgreSQL is touched. */
	char *missing = g_build_filename(tmp, "absente.db", NULL);
	cr_assert_neq(admin_copy_to_postgres(missing, url), 0);
	cr_assert_not(g_file_test(missing, G_FILE_TEST_EXISTS), "no SQLite file is created");

	g_free(missing);
	g_free(path);
	db_close(dst);
	fixture_close(&pg);
}
