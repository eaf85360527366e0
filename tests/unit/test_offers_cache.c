/* test_offers_cache.c — the search pages kept while the catalogue holds (offers_cache.h), on
 * SQLite and on PostgreSQL: the same criteria and page are answered from memory (the
 * database changed behind the store's back is not seen), and every write of an offer — an
 * upsert by an import or a sync, a sync's deactivation — makes the next search read the
 * catalogue again. */
#include "base/arena.h"
#include "db/db.h"
#include "base/err.h"
#include "offers/offers.h"
#include "offers/offers_cache.h"
#include "offers/offers_search.h"
#include "offers/offers_search_store.h"
#include "offers/offers_store.h"
#include "offers/offers_sync_store.h"
#include "offers/offers_text.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

static struct fixture fx;
static struct offers_text *analyser;

static void
setup(void)
{
	fixture_open(&fx, "offers-cache", FIXTURE_DB);
	char *why = NULL;
	analyser = offers_text_embedded(&why);
	cr_assert_not_null(analyser, "%s", why);
	arena_defer(fx.a, (void (*)(void *))offers_text_free, analyser);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(cache, .init = setup, .fini = teardown);

static void
put(const char *id, const char *title)
{
	struct offer o = {.id = id, .provider = "france-travail", .provider_id = id,
			  .type = OFFER_EMPLOI, .title = title, .dept_code = "29",
			  .active = true, .raw = "{}", .provider_created_at = 1000,
			  .provider_updated_at = 1000};
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_geq(offers_store_upsert(fx.db, analyser, &o, 5000), 0, "%s", id);
	cr_assert_eq(db_tx_commit(fx.db), 0);
}

/* The count of the cached search for "vendeur" (Emploi, anywhere). Each test uses its own
 * keywords through @kw: the cache is the process's, and Criterion may run the tests of a
 * suite in one process. */
static int
count(const char *kw)
{
	struct offers_criteria c = {.type = OFFER_EMPLOI, .keywords = kw};
	struct offers_result r;
	struct refusal why = {0};
	cr_assert_eq(offers_search_cached(fx.db, fx.a, analyser, &c, 1, &r, &why), 0);
	return r.count;
}

Test(cache, a_page_is_answered_from_memory_until_an_offer_is_written)
{
	put("100AAAA", "Vendeur en boulangerie");
	put("100AAAB", "Vendeuse prêt-à-porter");
	cr_assert_eq(count("vendeur"), 2);
	/* Behind the store's back (no version change): the page kept is answered. */
	cr_assert_eq(db_exec(fx.db, "UPDATE offer SET active = 0 WHERE id = '100AAAA'"), 0);
	cr_assert_eq(count("vendeur"), 2, "answered from memory");
	/* A write through the store: the catalogue is read again. */
	put("100AAAC", "Vendeur automobile");
	cr_assert_eq(count("vendeur"), 2, "the new one, without the one made inactive by hand");
	cr_assert_geq(offers_search_store_version(fx.db), 3);
}

Test(cache, a_sync_that_deactivates_offers_makes_the_next_search_read_again)
{
	put("200AAAA", "Serveur de restaurant");
	put("200AAAB", "Serveur en brasserie");
	cr_assert_eq(count("serveur"), 2);
	int64_t v = offers_search_store_version(fx.db);
	/* Two full runs that do not see 200AAAB: it becomes inactive. */
	cr_assert_eq(db_exec(fx.db, "UPDATE offer SET last_seen_at = 9000 WHERE id = '200AAAA'"), 0);
	cr_assert_eq(db_tx_begin(fx.db), 0);
	cr_assert_eq(offers_sync_store_reconcile(fx.db, false, "france-travail", true, 8000), 0);
	cr_assert_eq(offers_sync_store_reconcile(fx.db, false, "france-travail", true, 8000), 1);
	cr_assert_eq(db_tx_commit(fx.db), 0);
	cr_assert_eq(offers_search_store_version(fx.db), v + 1);
	cr_assert_eq(count("serveur"), 1);
}
