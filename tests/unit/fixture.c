/* fixture.c — the unit suites' shared set-up (see fixture.h). */
#include "fixture.h"


#include "agenda/agenda.h"
#include "agenda/agenda_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "http/hub.h"
#include "db/db.h"
#include "geo/geo_import.h"
#include "messaging/crypto.h"
#include "messaging/messaging_use.h"
#include "view/tmpl.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

int64_t
fixture_at(const char *iso)
{
	GDateTime *d = g_date_time_new_from_iso8601(iso, NULL);
	cr_assert_not_null(d, "%s", iso);
	int64_t t = g_date_time_to_unix(d) * 1000;
	g_date_time_unref(d);
	return t;
}

int64_t
fixture_day(const char *iso)
{
	int64_t d = clock_day_parse(iso);
	cr_assert_neq(d, CLOCK_NO_DAY, "%s", iso);
	return d;
}

/* Removes @path and, for a directory, everything under it. */
static void
fixture_rm_rf(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		gchar *p = g_build_filename(path, name, NULL);
		fixture_rm_rf(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_remove(path);
}

static const char *
test_asset(void *ud, const char *path)
{
	(void)ud;
	(void)path;
	return "/static/test";
}

void
fixture_open(struct fixture *f, const char *name, unsigned flags)
{
	*f = (struct fixture){.seed_at = 1000};
	log_set_quiet(1);
	char *tmpl = g_strdup_printf("cej-%s-XXXXXX", name);
	f->dir = g_dir_make_tmp(tmpl, NULL);
	g_free(tmpl);
	cr_assert_not_null(f->dir, "temporary directory for %s", name);
	f->a = arena_new();
	if (flags & FIXTURE_DB) {
		/* CEJ_TEST_ENGINE=postgres (meson test --setup postgres, run by make unit): the
		 * same suite on a fresh PostgreSQL database; db_path is then its URL. */
		bool pg = g_strcmp0(g_getenv("CEJ_TEST_ENGINE"), "postgres") == 0;
		f->db_path = pg ? g_strdup(fixture_pg_url(f)) : g_build_filename(f->dir, "cej.db", NULL);
		f->db = db_open(f->db_path);
		cr_assert_not_null(f->db, "%s", f->db_path);
		cr_assert_eq(db_migrate_engine(f->db, embed_migrations, embed_migrations_count,
					       embed_pg_migrations, embed_pg_migrations_count), 0);
	}
	if (flags & (FIXTURE_KEYS | FIXTURE_APP)) {
		cr_assert_geq(sodium_init(), 0);
		f->keys = crypto_keyring_open(fixture_path(f, "cles-messages"), true);
		cr_assert_not_null(f->keys);
	}
	if (flags & FIXTURE_APP) {
		f->cfg = config_load(NULL, NULL);
		cr_assert_not_null(f->cfg);
		f->app = (struct ctx){.cfg = f->cfg, .keys = f->keys,
				      .tmpl = tmpl_set_new(embed_templates, embed_templates_count,
							   test_asset, NULL, NULL)};
		cr_assert_not_null(f->app.tmpl);
	}
}

/* @url with its database (the path after the host) replaced by @name. */
static char *
url_with_database(struct arena *a, const char *url, const char *name)
{
	const char *host = strstr(url, "://");
	cr_assert_not_null(host, "CEJ_TEST_DATABASE_URL : %s", url);
	host += 3;
	size_t n = strcspn(host, "/?");
	const char *rest = host + n;
	if (*rest == '/')
		rest += strcspn(rest, "?");
	return arena_printf(a, "%.*s/%s%s", (int)(host + n - url), url, name, rest);
}

const char *
fixture_pg_url(struct fixture *f)
{
	const char *admin = g_getenv("CEJ_TEST_DATABASE_URL");
	if (!admin || !*admin)
		cr_skip_test("CEJ_TEST_DATABASE_URL absent : cas PostgreSQL sauté "
			     "(tools/with-pg.sh le fournit)");
	cr_assert_null(f->pg_name, "one PostgreSQL database per fixture");
	static int seq;
	f->pg_admin = g_strdup(admin);
	f->pg_name = g_strdup_printf("cej_test_%d_%d_%u", (int)getpid(), ++seq,
				     g_random_int() % 1000000);
	struct db *db = db_open(admin);
	cr_assert_not_null(db, "PostgreSQL de test injoignable : %s", admin);
	char *sql = g_strdup_printf("CREATE DATABASE %s", f->pg_name);
	int rc = db_exec(db, sql);
	g_free(sql);
	db_close(db);
	cr_assert_eq(rc, 0, "CREATE DATABASE %s", f->pg_name);
	return url_with_database(f->a, admin, f->pg_name);
}

/* Drops the database of fixture_pg_url(), closing what is still connected to it. */
static void
fixture_pg_drop(struct fixture *f)
{
	struct db *db = db_open(f->pg_admin);
	char *sql = g_strdup_printf("DROP DATABASE IF EXISTS %s WITH (FORCE)", f->pg_name);
	if (db)
		db_exec(db, sql);
	g_free(sql);
	db_close(db);
}

void
fixture_close(struct fixture *f)
{
	if (!f->a)
		return;  /* never opened, or closed already */
	if (f->app.tmpl)
		tmpl_set_free(f->app.tmpl);
	if (f->cfg)
		config_free(f->cfg);
	if (f->keys)
		crypto_keyring_free(f->keys);
	if (f->db)
		db_close(f->db);
	if (f->pg_name)
		fixture_pg_drop(f);
	arena_free(f->a);
	if (f->dir)
		fixture_rm_rf(f->dir);
	g_free(f->db_path);
	g_free(f->dir);
	g_free(f->pg_admin);
	g_free(f->pg_name);
	*f = (struct fixture){0};
}

char *
fixture_path(struct fixture *f, const char *file)
{
	return arena_printf(f->a, "%s/%s", f->dir, file);
}

const char *
fixture_structure(struct fixture *f, const char *code, const char *name, const char *tz)
{
	const char *id = NULL;
	cr_assert_eq(admin_store_structure(f->db, f->a, code, name, tz, f->seed_at, &id), 0,
		     "structure %s", code);
	return id;
}

const char *
fixture_counselor(struct fixture *f, const struct admin_counselor *c)
{
	const char *id = NULL;
	cr_assert_eq(admin_store_counselor(f->db, f->a, c, f->seed_at, &id), 0,
		     "counselor %s %s", c->first_name, c->last_name);
	return id;
}

const char *
fixture_beneficiary(struct fixture *f, struct admin_beneficiary b)
{
	int n = f->seq++;
	if (!b.id) {
		char *id = arena_alloc(f->a, UUID_STRLEN + 1);
		id_uuid7(1000 + n, id);
		b.id = id;
	}
	if (!b.folded)
		b.folded = text_fold(f->a, arena_printf(f->a, "%s %s", b.last_name, b.first_name));
	if (!b.email)
		b.email = arena_printf(f->a, "b%d@x.fr", n);
	if (!b.dossier_id)
		b.dossier_id = arena_printf(f->a, "%d", 100 + n);
	if (!b.dispositif)
		b.dispositif = "CEJ";
	cr_assert_eq(admin_store_beneficiary(f->db, &b, f->seed_at), 0,
		     "beneficiary %s %s", b.first_name, b.last_name);
	return b.id;
}

struct user
fixture_counselor_user(const char *id, const char *first, const char *last, const char *structure)
{
	return (struct user){.kind = USER_COUNSELOR, .id = id, .first_name = first,
			     .last_name = last, .structure_id = structure, .timezone = FIXTURE_PARIS};
}

void
fixture_two_ml(struct fixture *f, struct fixture_two_ml *ml)
{
	ml->brest = fixture_structure(f, "29019S00", "ML Brest", FIXTURE_PARIS);
	ml->paris = fixture_structure(f, "75056S00", "ML Paris", FIXTURE_PARIS);
	ml->claire_id = fixture_counselor(f, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "Claire", .last_name = "Martin", .structure_id = ml->brest});
	ml->denis_id = fixture_counselor(f, &(struct admin_counselor){.email = "d@x.fr",
		.first_name = "Denis", .last_name = "Roux", .structure_id = ml->brest});
	ml->sophie_id = fixture_counselor(f, &(struct admin_counselor){.email = "s@x.fr",
		.first_name = "Sophie", .last_name = "Durand", .structure_id = ml->paris});
	ml->elodie = fixture_beneficiary(f, (struct admin_beneficiary){.structure_id = ml->brest,
		.counselor_id = ml->claire_id, .first_name = "Élodie", .last_name = "Dupont"});
	ml->paul = fixture_beneficiary(f, (struct admin_beneficiary){.structure_id = ml->brest,
		.counselor_id = ml->claire_id, .first_name = "Paul", .last_name = "Arnaud"});
	ml->claire = fixture_counselor_user(ml->claire_id, "Claire", "Martin", ml->brest);
	ml->denis = fixture_counselor_user(ml->denis_id, "Denis", "Roux", ml->brest);
	ml->sophie = fixture_counselor_user(ml->sophie_id, "Sophie", "Durand", ml->paris);
}

const char *
fixture_event(struct fixture *f, const struct event *e, const char *const *ids, int n)
{
	struct event ev = *e;
	if (!ev.id) {
		char *id = arena_alloc(f->a, UUID_STRLEN + 1);
		id_uuid7(ev.created_at, id);
		ev.id = id;
	}
	ev.description = ev.description ? ev.description : "";
	ev.address = ev.address ? ev.address : "";
	ev.organism = ev.organism ? ev.organism : "";
	ev.duration_min = ev.duration_min ? ev.duration_min : 60;
	ev.updated_at = ev.updated_at ? ev.updated_at : ev.created_at;
	cr_assert_eq(agenda_store_insert(f->db, &ev), 0, "event %s", ev.id);
	cr_assert_eq(agenda_store_set_participants(f->db, ev.id, ids, n, ev.created_at), 0);
	return ev.id;
}

int
fixture_count(struct fixture *f, const char *sql, const char *param)
{
	struct db_stmt *st = db_prepare(f->db, sql);
	cr_assert_not_null(st, "%s", sql);
	if (param)
		db_bind_text(st, 1, param);
	int64_t n = db_run_int(st);
	cr_assert_geq(n, 0, "%s", sql);
	return (int)n;
}

struct msg_conversation
fixture_conversation(struct fixture *f, const char *id)
{
	struct msg_conversation c;
	cr_assert_eq(messaging_conversation(f->db, f->a, id, &c), 0, "conversation of %s", id);
	return c;
}

const char *
fixture_heard(struct arena *a, struct hub_sub *s)
{
	static const char retry[] = "retry: 3000\n\n";
	GString *out = g_string_new(NULL);
	char buf[4096];
	ssize_t n;
	while ((n = hub_read(s, buf, sizeof(buf))) > 0)
		g_string_append_len(out, buf, n);
	const char *got = arena_strdup(a, g_str_has_prefix(out->str, retry)
					  ? out->str + strlen(retry) : out->str);
	g_string_free(out, TRUE);
	return got;
}

int64_t
fixture_sample(const char *text, const char *series)
{
	g_autofree char *line = g_strconcat("\n", series, " ", NULL);
	g_autofree char *all = g_strconcat("\n", text, NULL);
	const char *p = strstr(all, line);
	return p ? g_ascii_strtoll(p + strlen(line), NULL, 10) : -1;
}

void
fixture_geo(struct fixture *f)
{
	const char *root = g_getenv("CEJ_SOURCE_ROOT");
	cr_assert_not_null(root, "CEJ_SOURCE_ROOT (meson test sets it)");
	cr_assert_eq(geo_import_files(f->db, arena_printf(f->a, "%s/data/geo", root), NULL), 0);
}
