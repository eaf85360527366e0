/* test_portfolio.c — the portfolio listing against a real database: search on every
 * token without accents or case, the three sorts, non-activated accounts last, pages of
 * ten (beneficiaries.md §3 and its scenario 11). */
#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "admin/admin_store.h"
#include "base/arena.h"
#include "db/db.h"
#include "portfolio/portfolio.h"

static struct fixture fx;
static struct db *db;
static struct arena *a;
static const char *sid, *cid;

static void
setup(void)
{
	fixture_open(&fx, "portfolio", FIXTURE_DB);
	fx.seed_at = 1;
	db = fx.db;
	a = fx.a;
	sid = fixture_structure(&fx, "29019S00", "ML", FIXTURE_PARIS);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "C", .last_name = "X", .structure_id = sid});
}

static void
teardown(void)
{
	fixture_close(&fx);
}

static void
add(const char *last, const char *first, const char *situation, int64_t activated, int64_t last_ms)
{
	fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = sid, .counselor_id = cid, .first_name = first, .last_name = last,
		.situation = situation, .activated_at = activated, .last_activity_at = last_ms});
}

static struct portfolio_page
list(const char *q, const char *tri, const char *ordre, int page)
{
	struct portfolio_query pq = portfolio_query_parse(q, tri, ordre, page);
	struct portfolio_page p;
	cr_assert_eq(portfolio_list(db, a, cid, &pq, &p), 0);
	return p;
}

TestSuite(portfolio, .init = setup, .fini = teardown);

Test(portfolio, searches_every_token_without_accents_or_case)
{
	add("Zola", "Émile", NULL, 0, 0);
	add("Éluard", "Paul", "Emploi", 1, 5);
	add("Dupont", "Élodie", "Formation", 1, 9);
	struct portfolio_page p = list("ELODIE", NULL, NULL, 1);
	cr_assert_eq(p.total, 1);
	cr_assert_eq(p.portfolio_size, 3);
	cr_assert_str_eq(p.rows[0].last_name, "Dupont");
	cr_assert_eq(list("dup-elo", NULL, NULL, 1).total, 1);
	cr_assert_eq(list("elodie zola", NULL, NULL, 1).total, 0);
	p = list(NULL, NULL, NULL, 1);
	cr_assert_str_eq(p.rows[0].last_name, "Dupont");
	cr_assert_str_eq(p.rows[1].last_name, "Éluard");   /* beside E, not after Z */
	cr_assert_str_eq(p.rows[2].last_name, "Zola");
	p = list(NULL, "situation", "asc", 1);
	cr_assert_str_eq(p.rows[0].last_name, "Éluard");   /* Emploi, Formation, Sans situation */
	cr_assert_str_eq(p.rows[2].last_name, "Zola");
}

Test(portfolio, activity_first_click_is_most_recent_and_inactive_stay_last)
{
	add("A", "a", NULL, 0, 0);
	add("B", "b", NULL, 1, 100);
	add("C", "c", NULL, 1, 300);
	add("D", "d", NULL, 0, 0);
	struct portfolio_query q = portfolio_query_parse(NULL, "activite", NULL, 1);
	cr_assert(q.desc);
	struct portfolio_page p = list(NULL, "activite", NULL, 1);
	cr_assert_str_eq(p.rows[0].last_name, "C");
	cr_assert_str_eq(p.rows[1].last_name, "B");
	cr_assert_str_eq(p.rows[2].last_name, "A");
	cr_assert_str_eq(p.rows[3].last_name, "D");
	p = list(NULL, "activite", "asc", 1);
	cr_assert_str_eq(p.rows[0].last_name, "B");
	cr_assert_str_eq(p.rows[2].last_name, "A");   /* still last, whatever the order */
}

/* An activated account never active yet (no last activity) is the oldest one: last of
 * the activated when the most recent come first, first when the oldest do — the same on
 * both engines (their default NULL orders differ). */
Test(portfolio, activated_without_activity_counts_as_the_oldest_on_both_engines)
{
	add("A", "a", NULL, 0, 0);
	add("B", "b", NULL, 1, 100);
	add("E", "e", NULL, 1, 0);
	add("C", "c", NULL, 1, 300);
	struct portfolio_page p = list(NULL, "activite", NULL, 1);
	const char *desc[] = {"C", "B", "E", "A"};
	for (int i = 0; i < 4; i++)
		cr_assert_str_eq(p.rows[i].last_name, desc[i], "desc row %d", i);
	p = list(NULL, "activite", "asc", 1);
	const char *asc[] = {"E", "B", "C", "A"};
	for (int i = 0; i < 4; i++)
		cr_assert_str_eq(p.rows[i].last_name, asc[i], "asc row %d", i);
}

Test(portfolio, twenty_three_rows_give_three_pages_and_the_last_holds_three)
{
	for (int i = 0; i < 23; i++)
		add(arena_printf(a, "N%02d", i), "x", NULL, i < 20 ? 1 : 0, i < 20 ? 1000 + i : 0);
	struct portfolio_page p = list(NULL, "activite", NULL, 3);
	cr_assert_eq(p.pages, 3);
	cr_assert_eq(p.n, 3);
	/* Scenario 11: the non-activated accounts are the last rows. */
	for (int i = 0; i < 3; i++)
		cr_assert_eq(p.rows[i].activated_at, 0);
	p = list(NULL, "beneficiaire", "asc", 9);  /* beyond the end: clamped */
	cr_assert_eq(p.page, 3);
	cr_assert_str_eq(p.rows[0].last_name, "N20");
}

/* A message in conversation @conv; @counselor for sender "counselor", else NULL. */
static void
message(const char *id, const char *conv, const char *sender, const char *counselor,
	const char *kind, int64_t at, int64_t deleted_at)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO message(id, conversation_id, sender_type, sender_counselor_id, kind, "
		"content, key_id, created_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, 'k', $7, $8)");
	cr_assert_not_null(st);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, conv);
	db_bind_text(st, 3, sender);
	db_bind_text(st, 4, counselor);
	db_bind_text(st, 5, kind);
	db_bind_blob(st, 6, "x", 1);
	db_bind_int64(st, 7, at);
	if (deleted_at)
		db_bind_int64(st, 8, deleted_at);
	else
		db_bind_null(st, 8);
	cr_assert_eq(db_run(st), 0, "message %s", id);
}

static void
conversation(const char *id, const char *beneficiary, int64_t last_read)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO conversation(id, beneficiary_id, created_at, beneficiary_last_read_at) "
		"VALUES ($1, $2, 1, $3)");
	cr_assert_not_null(st);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, beneficiary);
	db_bind_int64(st, 3, last_read);
	cr_assert_eq(db_run(st), 0, "conversation %s", id);
}

/* Messages the beneficiary has not read (messaging.md §4): from the counselor or the
 * system, after the beneficiary's last read, not deleted, not the registration notice —
 * counted under every sort and with a search; no conversation at all counts 0. */
Test(portfolio, unread_counts_only_what_the_beneficiary_has_not_read)
{
	const char *none = fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = sid, .counselor_id = cid, .first_name = "a", .last_name = "Aucune"});
	const char *some = fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = sid, .counselor_id = cid, .first_name = "b", .last_name = "Bavard"});
	const char *empty = fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = sid, .counselor_id = cid, .first_name = "c", .last_name = "Calme"});
	cr_assert_eq(fixture_count(&fx, "SELECT count(*) FROM conversation", NULL), 0);
	conversation("conv-b", some, 100);
	conversation("conv-c", empty, 0);
	message("m1", "conv-b", "counselor", cid, "MESSAGE", 200, 0);          /* counts */
	message("m2", "conv-b", "counselor", cid, "MESSAGE", 50, 0);           /* read */
	message("m3", "conv-b", "beneficiary", NULL, "MESSAGE", 300, 0);       /* theirs */
	message("m4", "conv-b", "counselor", cid, "MESSAGE", 300, 310);        /* deleted */
	message("m5", "conv-b", "system", NULL, "AUTO_REGISTRATION", 300, 0);
	message("m6", "conv-b", "system", NULL, "NEW_COUNSELOR", 400, 0);      /* counts */
	const char *sorts[][2] = {{NULL, NULL}, {"beneficiaire", "desc"}, {"situation", "asc"},
				  {"activite", "desc"}};
	for (size_t i = 0; i < G_N_ELEMENTS(sorts); i++) {
		struct portfolio_page p = list(NULL, sorts[i][0], sorts[i][1], 1);
		cr_assert_eq(p.n, 3);
		for (int r = 0; r < p.n; r++) {
			const char *id = p.rows[r].beneficiary_id;
			cr_assert(strcmp(id, none) == 0 || strcmp(id, some) == 0 ||
				  strcmp(id, empty) == 0);
			cr_assert_eq(p.rows[r].unread_by_beneficiary, strcmp(id, some) == 0 ? 2 : 0,
				     "sort %zu, row %d", i, r);
		}
	}
	struct portfolio_page p = list("bavard", NULL, NULL, 1);
	cr_assert_eq(p.n, 1);
	cr_assert_eq(p.rows[0].unread_by_beneficiary, 2);
}

/* --- The page "Bénéficiaires": the same token rule over the whole structure, through the
 * two-character index kept by triggers. */

#include "beneficiaries/beneficiaries_store.h"
#include "establishment/establishment.h"

static struct establishment_page
search(const char *q, int page)
{
	const char *t[ESTABLISHMENT_MAX_TOKENS];
	int n = establishment_tokens(a, q, t);
	struct establishment_page p;
	cr_assert_gt(n, 0);
	cr_assert_eq(establishment_search(db, a, sid, t, n, page, &p), 0);
	return p;
}

Test(portfolio, the_structure_search_matches_like_the_portfolio_one)
{
	add("Martin", "Léa", NULL, 0, 0);
	add("Thomas", "Hugo", NULL, 0, 0);
	add("Lefèvre", "Inès", NULL, 0, 0);
	add("Lefebvre", "Zoé", NULL, 0, 0);
	add("Dumas", "Emma", NULL, 0, 0);
	struct establishment_page p = search("MA", 1);
	cr_assert_eq(p.total, 3);  /* Dumas Emma (twice in the name, once in the list), Martin, Thomas */
	cr_assert_str_eq(p.rows[0].last_name, "Dumas");
	cr_assert_str_eq(p.rows[1].last_name, "Martin");
	cr_assert_str_eq(p.rows[2].last_name, "Thomas");
	p = search("lefevre", 1);
	cr_assert_eq(p.total, 1);
	cr_assert_str_eq(p.rows[0].last_name, "Lefèvre");
	p = search("ines lef", 1);
	cr_assert_eq(p.total, 1);
	p = search("z e", 1);            /* no token of two characters: the plain scan */
	cr_assert_eq(p.total, 1);
	cr_assert_str_eq(p.rows[0].last_name, "Lefebvre");
}

Test(portfolio, a_deleted_account_leaves_the_structure_search)
{
	add("Martin", "Léa", NULL, 0, 0);
	struct establishment_page p = search("martin", 1);
	cr_assert_eq(p.total, 1);
	cr_assert_eq(beneficiaries_store_remove(db, p.rows[0].id), 0);
	cr_assert_eq(search("martin", 1).total, 0);
}

Test(portfolio, the_structure_search_pages_in_name_order)
{
	for (int i = 0; i < 25; i++)
		add(arena_printf(a, "Marin%02d", i), "x", NULL, 0, 0);
	struct establishment_page p = search("mar", 3);
	cr_assert_eq(p.total, 25);
	cr_assert_eq(p.pages, 3);
	cr_assert_eq(p.n, 5);
	cr_assert_str_eq(p.rows[0].last_name, "Marin20");
}

/* Migration 0022: the size the portfolio shows is counselor.portfolio_size, kept by
 * triggers; it must equal the count it replaced through creations, a transfer (the way
 * i-milo's reassignment writes it), a soft deletion and a purge. */
static int64_t
real_count(const char *counselor)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FROM beneficiary WHERE counselor_id = $1 AND deleted_at IS NULL");
	db_bind_text(st, 1, counselor);
	return db_run_int(st);
}

static void
exec_with(const char *sql, const char *p1, const char *p2)
{
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_text(st, 1, p1);
	db_bind_text(st, 2, p2);
	cr_assert_eq(db_run(st), 0);
}

Test(portfolio, the_kept_size_follows_creations_transfers_and_deletions)
{
	const char *other = fixture_counselor(&fx, &(struct admin_counselor){.email = "d@x.fr",
		.first_name = "D", .last_name = "Y", .structure_id = sid});
	for (int i = 0; i < 4; i++)
		add(arena_printf(a, "N%02d", i), "x", NULL, 0, 0);
	struct portfolio_page p = list(NULL, NULL, NULL, 1);
	cr_assert_eq(p.portfolio_size, 4);
	cr_assert_eq(p.total, 4);

	const char *moved = p.rows[0].beneficiary_id, *gone = p.rows[1].beneficiary_id;
	exec_with("UPDATE beneficiary SET counselor_id = $2 WHERE id = $1", moved, other);
	exec_with("UPDATE beneficiary SET deleted_at = 5 WHERE id = $1 AND CAST($2 AS TEXT) IS NOT NULL", gone, "");
	cr_assert_eq(list(NULL, NULL, NULL, 1).portfolio_size, 2);
	cr_assert_eq(real_count(cid), 2);
	cr_assert_eq(real_count(other), 1);

	cr_assert_eq(beneficiaries_store_remove(db, gone), 0);      /* was soft-deleted: no change */
	cr_assert_eq(beneficiaries_store_remove(db, p.rows[2].beneficiary_id), 0);
	exec_with("UPDATE beneficiary SET counselor_id = $2 WHERE id = $1", moved, cid);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM counselor "
		"WHERE portfolio_size <> (SELECT count(*) FROM beneficiary b "
		"WHERE b.counselor_id = counselor.id AND b.deleted_at IS NULL)");
	cr_assert_eq(db_run_int(st), 0, "every counselor's kept size equals the count");
	cr_assert_eq(list(NULL, NULL, NULL, 1).portfolio_size, 2);
	cr_assert_eq(list("n0", NULL, NULL, 1).portfolio_size, 2);
}
