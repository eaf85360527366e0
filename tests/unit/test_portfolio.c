/* test_portfolio.c — the portfolio listing against a real database: search on every
 * token without accents or case, the three sorts, non-activated accounts last, pages of
 * ten (beneficiaries.md §3 and its scenario 11). */
#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>

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
