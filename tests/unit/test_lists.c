/* test_lists.c — listes de diffusion and multi-recipient messages (spec/messaging.md §8,
 * §9): the pure rules (title, repeats, ownership, expansion), then the use cases on a
 * migrated temporary database with a controlled "now": saving a list within the
 * portfolio, a send expanded and de-duplicated into individual messages, with one file
 * shared by every copy (who may download it, deleting a copy, expiry), the history and
 * its read receipts, deletion. */
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"
#include "http/hub.h"
#include "messaging/attachments.h"
#include "messaging/crypto.h"
#include "messaging/lists.h"
#include "messaging/messaging.h"
#include "messaging/messaging_store.h"
#include "messaging/messaging_use.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "base/config.h"
#include "serve/features.h"

/* The feature table as `cej serve` builds it with the default configuration: the
 * account's purge walks it. */
static const struct feature_table *
all_features(void)
{
	static struct config *cfg;
	static struct feature_table t;
	if (!cfg) {
		cfg = config_load(NULL, NULL);
		t = features_table(cfg);
	}
	return &t;
}

#define MINUTE 60000LL
#define DAY (24 * 60 * MINUTE)
#define T0 1767261600000LL   /* 2026-01-01T10:00:00Z */

/* ======================================================================================
 * Rules
 * ==================================================================================== */

static struct arena *ra;

static void
rules_setup(void)
{
	ra = arena_new();
}

static void
rules_teardown(void)
{
	arena_free(ra);
}

TestSuite(rules, .init = rules_setup, .fini = rules_teardown);

Test(rules, title_is_1_to_100_characters_after_trimming)
{
	const char *out = NULL;
	cr_assert_str_eq(lists_title_check(ra, NULL, &out), LISTS_TITLE_EMPTY);
	cr_assert_str_eq(lists_title_check(ra, "", &out), LISTS_TITLE_EMPTY);
	cr_assert_str_eq(lists_title_check(ra, " \t ", &out), LISTS_TITLE_EMPTY);
	cr_assert_str_eq(lists_title_check(ra, "\xc2\xa0", &out), LISTS_TITLE_EMPTY, "no-break space");
	cr_assert_null(lists_title_check(ra, "  Ma liste de pâtissier ", &out));
	cr_assert_str_eq(out, "Ma liste de pâtissier");
	/* 100 characters, accented ones counting once; 101 is too long. */
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 100; i++)
		g_string_append(s, "é");
	cr_assert_null(lists_title_check(ra, s->str, &out));
	cr_assert_eq(g_utf8_strlen(out, -1), 100);
	g_string_append(s, "e");
	cr_assert_str_eq(lists_title_check(ra, s->str, &out), LISTS_TITLE_TOO_LONG);
	g_string_free(s, TRUE);
	cr_assert_str_eq(lists_title_check(ra, "a\xff", &out), LISTS_TITLE_INVALID);
	cr_assert_str_eq(lists_title_check(ra, "a\nb", &out), LISTS_TITLE_INVALID);
}

Test(rules, unique_keeps_the_first_occurrence_in_order)
{
	const char *ids[] = {"b", "a", "b", NULL, "c", "a"};
	const char **u;
	int n = lists_unique(ra, ids, 6, &u);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(u[0], "b");
	cr_assert_str_eq(u[1], "a");
	cr_assert_str_eq(u[2], "c");
	cr_assert_eq(lists_unique(ra, NULL, 0, &u), 0);
}

Test(rules, every_id_must_be_allowed)
{
	const char *pf[] = {"a", "b", "c"};
	const char *ok[] = {"c", "a", "a"}, *ko[] = {"a", "z"};
	cr_assert(lists_all_within(ok, 3, pf, 3));
	cr_assert_not(lists_all_within(ko, 2, pf, 3));
	cr_assert(lists_all_within(NULL, 0, pf, 3), "nothing chosen is within");
	cr_assert_not(lists_all_within(ok, 1, NULL, 0), "an empty portfolio allows nothing");
}

Test(rules, recipients_expand_lists_to_portfolio_members_once)
{
	const char *chosen[] = {"c", "a"};
	struct list_person members[] = {
		{.id = "a", .in_portfolio = true},     /* also chosen: once */
		{.id = "b", .in_portfolio = true},
		{.id = "x", .in_portfolio = false},    /* reassigned away: left out */
		{.id = "b", .in_portfolio = true},     /* in two lists: once */
	};
	const char **out;
	int n = broadcast_recipients(ra, chosen, 2, members, 4, &out);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(out[0], "c");
	cr_assert_str_eq(out[1], "a");
	cr_assert_str_eq(out[2], "b");
	cr_assert_eq(broadcast_recipients(ra, NULL, 0, members + 2, 1, &out), 0);
}

Test(rules, labels_and_sorts)
{
	cr_assert_str_eq(lists_read_label(ra, true, "Élodie", "Dupré"), "Lu par Élodie DUPRÉ");
	cr_assert_str_eq(lists_read_label(ra, false, "Élodie", "Dupré"), "Non lu par Élodie DUPRÉ");
	cr_assert_str_eq(broadcast_count_label(ra, 3), "Destinataires (3)");
	cr_assert_eq(lists_sort_parse("destinataires"), LISTS_SORT_RECIPIENTS);
	cr_assert_eq(lists_sort_parse("nom"), LISTS_SORT_TITLE);
	cr_assert_eq(lists_sort_parse(NULL), LISTS_SORT_TITLE);
	cr_assert_eq(lists_sort_parse("'; DROP"), LISTS_SORT_TITLE);
	cr_assert_str_eq(lists_sort_name(LISTS_SORT_RECIPIENTS), "destinataires");
	cr_assert(lists_sort_first_desc(LISTS_SORT_RECIPIENTS));
	cr_assert_not(lists_sort_first_desc(LISTS_SORT_TITLE));
}

/* ======================================================================================
 * Use cases on a database
 * ==================================================================================== */

static struct fixture fx;
static struct db *db;
static struct arena *a;
static struct msg_keyring *keys;
static const char *sid, *cid, *cid2;
static const char *dupont, *zola, *bernard, *autre;

static const char *
add_beneficiary(const char *counselor, const char *last, const char *first)
{
	return fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = sid, .counselor_id = counselor, .first_name = first,
		.last_name = last, .activated_at = 1000});
}

static void
setup(void)
{
	fixture_open(&fx, "lists", FIXTURE_DB | FIXTURE_KEYS);
	db = fx.db;
	a = fx.a;
	keys = fx.keys;
	sid = fixture_structure(&fx, "29019S00", "ML Paris", FIXTURE_PARIS);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "Claire", .last_name = "Martin", .login = "cmartin", .structure_id = sid});
	cid2 = fixture_counselor(&fx, &(struct admin_counselor){.email = "d@x.fr",
		.first_name = "Denis", .last_name = "Roux", .structure_id = sid});
	dupont = add_beneficiary(cid, "Dupont", "Élodie");
	zola = add_beneficiary(cid, "Zola", "Émile");
	bernard = add_beneficiary(cid, "Bernard", "Jean");
	autre = add_beneficiary(cid2, "Autre", "Ana");
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);

/* Saves @l (creation when l->id is NULL) in its own transaction. */
static int
save(struct broadcast_list *l, const char *title, const char *const *ids, int n,
     struct lists_form_errors *e, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	int rc = lists_save(db, a, now, l, title, ids, n, e);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

static struct broadcast_list
new_list(const char *owner, const char *title, const char *const *ids, int n)
{
	struct broadcast_list l = {.counselor_id = owner};
	struct lists_form_errors e;
	cr_assert_eq(save(&l, title, ids, n, &e, T0), 0);
	cr_assert_not_null(l.id);
	return l;
}

static int
send(const struct broadcast_request *in, struct broadcast_result *out, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	int rc = broadcast_send(db, keys, a, now, in, out);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

static int
count(const char *sql, const char *param)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st);
	if (param)
		db_bind_text(st, 1, param);
	int64_t n = db_run_int(st);
	cr_assert_geq(n, 0);
	return (int)n;
}

static void
mark_read(const char *ben, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_mark_read(db, a, now, ben, MSG_FROM_BENEFICIARY), 0);
	cr_assert_eq(db_tx_commit(db), 0);
}

static void
run(const char *sql)
{
	cr_assert_eq(db_exec(db, sql), 0, "%s", sql);
}

Test(store, a_list_holds_portfolio_beneficiaries_once)
{
	const char *ids[] = {zola, dupont, zola};
	struct broadcast_list l = new_list(cid, "  Ma liste de pâtissier ", ids, 3);
	cr_assert_str_eq(l.title, "Ma liste de pâtissier");
	struct list_person *m;
	int n = lists_members(db, a, &l, &m);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(m[0].id, dupont, "by name: Dupont before Zola");
	cr_assert_str_eq(m[1].id, zola);
	cr_assert(m[0].in_portfolio && m[1].in_portfolio);

	/* Its owner sees it; anyone else, even a colleague, does not: 404. */
	struct broadcast_list again;
	cr_assert_eq(lists_load(db, a, cid, l.id, &again), 0);
	cr_assert_str_eq(again.title, "Ma liste de pâtissier");
	cr_assert_eq(lists_load(db, a, cid2, l.id, &again), -ERR_NOTFOUND);
	cr_assert_eq(lists_load(db, a, cid, "0190b6a0-0000-7000-8000-00000000dead", &again),
		     -ERR_NOTFOUND);
}

Test(store, only_the_owners_portfolio_may_be_added)
{
	const char *ids[] = {dupont, autre};
	struct broadcast_list l = {.counselor_id = cid};
	struct lists_form_errors e;
	cr_assert_eq(save(&l, "Liste", ids, 2, &e, T0), -ERR_FORBIDDEN);
	const char *forged[] = {"pas-un-id"};
	cr_assert_eq(save(&l, "Liste", forged, 1, &e, T0), -ERR_FORBIDDEN);
	cr_assert_null(l.id);
	cr_assert_eq(count("SELECT count(*) FROM broadcast_list", NULL), 0);
}

Test(store, title_and_members_are_required)
{
	struct broadcast_list l = {.counselor_id = cid};
	struct lists_form_errors e;
	cr_assert_eq(save(&l, "   ", NULL, 0, &e, T0), -ERR_INVAL);
	cr_assert_eq(e.count, 2);
	cr_assert_str_eq(e.title, LISTS_TITLE_EMPTY);
	cr_assert_str_eq(e.members, LISTS_MEMBERS_EMPTY);
	const char *ids[] = {dupont};
	cr_assert_eq(save(&l, NULL, ids, 1, &e, T0), -ERR_INVAL);
	cr_assert_eq(e.count, 1);
	cr_assert_null(e.members);
	cr_assert_null(l.id);
}

Test(store, an_update_keeps_members_who_left_the_portfolio)
{
	const char *ids[] = {dupont, zola};
	struct broadcast_list l = new_list(cid, "Avant", ids, 2);
	/* Zola leaves the portfolio (a temporary reassignment). */
	run(arena_printf(a, "UPDATE beneficiary SET counselor_id = '%s' WHERE id = '%s'", cid2, zola));
	const char *now_ids[] = {bernard};
	struct lists_form_errors e;
	cr_assert_eq(save(&l, "Après", now_ids, 1, &e, T0 + MINUTE), 0);
	struct list_person *m;
	int n = lists_members(db, a, &l, &m);
	cr_assert_eq(n, 2, "Dupont is unchecked, Bernard added, Zola kept");
	cr_assert_str_eq(m[0].id, bernard);
	cr_assert(m[0].in_portfolio);
	cr_assert_str_eq(m[1].id, zola);
	cr_assert_not(m[1].in_portfolio);
	struct list_row *rows;
	cr_assert_eq(lists_of(db, a, cid, LISTS_SORT_TITLE, false, &rows), 1);
	cr_assert_str_eq(rows[0].title, "Après");
	cr_assert_eq(rows[0].recipients, 1, "only members in the portfolio are recipients");
	/* Back in the portfolio: active again. */
	run(arena_printf(a, "UPDATE beneficiary SET counselor_id = '%s' WHERE id = '%s'", cid, zola));
	cr_assert_eq(lists_of(db, a, cid, LISTS_SORT_TITLE, false, &rows), 1);
	cr_assert_eq(rows[0].recipients, 2);
}

Test(store, listing_counts_and_sorts)
{
	const char *one[] = {dupont}, *three[] = {dupont, zola, bernard}, *two[] = {zola, bernard};
	new_list(cid, "Béta", one, 1);
	new_list(cid, "alpha", three, 3);
	new_list(cid, "Gamma", two, 2);
	new_list(cid2, "Autre", (const char *[]){autre}, 1);
	struct list_row *r;
	cr_assert_eq(lists_of(db, a, cid, LISTS_SORT_TITLE, false, &r), 3);
	cr_assert_str_eq(r[0].title, "alpha", "accents and case ignored");
	cr_assert_str_eq(r[1].title, "Béta");
	cr_assert_str_eq(r[2].title, "Gamma");
	cr_assert_eq(r[0].recipients, 3);
	cr_assert_eq(lists_of(db, a, cid, LISTS_SORT_TITLE, true, &r), 3);
	cr_assert_str_eq(r[0].title, "Gamma");
	cr_assert_eq(lists_of(db, a, cid, LISTS_SORT_RECIPIENTS, true, &r), 3);
	cr_assert_eq(r[0].recipients, 3);
	cr_assert_eq(r[1].recipients, 2);
	cr_assert_eq(r[2].recipients, 1);
	cr_assert_eq(lists_of(db, a, cid, LISTS_SORT_RECIPIENTS, false, &r), 3);
	cr_assert_str_eq(r[0].title, "Béta");
	cr_assert_eq(lists_of(db, a, cid2, LISTS_SORT_TITLE, false, &r), 1);
}

Test(store, a_send_expands_lists_deduplicates_and_writes_individual_messages)
{
	const char *l1_ids[] = {dupont, zola}, *l2_ids[] = {zola};
	struct broadcast_list l1 = new_list(cid, "Une", l1_ids, 2);
	struct broadcast_list l2 = new_list(cid, "Deux", l2_ids, 1);
	const char *lists[] = {l1.id, l2.id, l1.id}, *chosen[] = {dupont, bernard};
	struct broadcast_request in = {.counselor_id = cid, .beneficiary_ids = chosen,
				       .n_beneficiaries = 2, .list_ids = lists, .n_lists = 3,
				       .text = "  Bonjour à tous  "};
	struct broadcast_result out;
	cr_assert_eq(send(&in, &out, T0), 0);
	cr_assert_not_null(out.id);
	cr_assert_eq(out.n, 3, "Dupont, Bernard, Zola: once each");
	cr_assert_eq(count("SELECT count(*) FROM message WHERE broadcast_id = $1", out.id), 3);
	cr_assert_eq(count("SELECT count(DISTINCT conversation_id) FROM message WHERE broadcast_id = $1",
			   out.id), 3);
	/* Each conversation has it as an individual counselor message, text as typed trimmed,
	 * and its last message; each recipient gets the NEW_MESSAGE push. */
	const char *all[] = {dupont, zola, bernard};
	for (int i = 0; i < 3; i++) {
		struct msg_conversation conv = fixture_conversation(&fx, all[i]);
		struct msg_page p;
		cr_assert_eq(messaging_page(db, keys, a, &conv, NULL, MSG_PAGE_SIZE, &p), 0);
		cr_assert_eq(p.n, 1);
		cr_assert_str_eq(p.items[0].text, "Bonjour à tous");
		cr_assert_eq(p.items[0].sender, MSG_FROM_COUNSELOR);
		cr_assert_eq(p.items[0].kind, MSG_MESSAGE);
		cr_assert_str_eq(p.items[0].broadcast_id, out.id);
		cr_assert_str_eq(conv.last_message_id, p.items[0].id);
		cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1 "
				   "AND type = 'NEW_MESSAGE'", all[i]), 1);
	}
	cr_assert_eq(count("SELECT count(*) FROM message m JOIN conversation c "
			   "ON c.id = m.conversation_id WHERE c.beneficiary_id = $1", autre), 0);
	/* The broadcast record: its lists once, its recipients. */
	cr_assert_eq(count("SELECT json_array_length(list_ids) FROM broadcast WHERE id = $1",
			   out.id), 2);
	cr_assert_eq(count("SELECT json_array_length(recipient_ids) FROM broadcast WHERE id = $1",
			   out.id), 3);
	cr_assert_eq(count("SELECT count(*) FROM broadcast WHERE counselor_id = $1", cid), 1);
	cr_assert_eq(count("SELECT count(*) FROM broadcast_list_send WHERE broadcast_id = $1",
			   out.id), 2);
}

Test(store, a_send_leaves_out_members_who_left_the_portfolio)
{
	const char *ids[] = {dupont, zola};
	struct broadcast_list l = new_list(cid, "Une", ids, 2);
	run(arena_printf(a, "UPDATE beneficiary SET counselor_id = '%s' WHERE id = '%s'", cid2, zola));
	const char *lists[] = {l.id};
	struct broadcast_request in = {.counselor_id = cid, .list_ids = lists, .n_lists = 1,
				       .text = "Bonjour"};
	struct broadcast_result out;
	cr_assert_eq(send(&in, &out, T0), 0);
	cr_assert_eq(out.n, 1);
	cr_assert_str_eq(out.recipients[0], dupont);
}

Test(store, select_all_sends_to_the_whole_portfolio)
{
	struct broadcast_request in = {.counselor_id = cid, .all = true, .text = "À tous"};
	struct broadcast_result out;
	cr_assert_eq(send(&in, &out, T0), 0);
	cr_assert_eq(out.n, 3);
	cr_assert_eq(count("SELECT count(*) FROM broadcast_list_send", NULL), 0, "no list");
}

Test(store, a_send_outside_ones_own_is_forbidden)
{
	struct broadcast_list theirs = new_list(cid2, "À Denis", (const char *[]){autre}, 1);
	struct broadcast_result out;
	const char *outside[] = {dupont, autre};
	struct broadcast_request in = {.counselor_id = cid, .beneficiary_ids = outside,
				       .n_beneficiaries = 2, .text = "Bonjour"};
	cr_assert_eq(send(&in, &out, T0), -ERR_FORBIDDEN);
	const char *their_list[] = {theirs.id};
	in = (struct broadcast_request){.counselor_id = cid, .list_ids = their_list, .n_lists = 1,
					.text = "Bonjour"};
	cr_assert_eq(send(&in, &out, T0), -ERR_FORBIDDEN);
	const char *unknown[] = {"0190b6a0-0000-7000-8000-00000000dead"};
	in.list_ids = unknown;
	cr_assert_eq(send(&in, &out, T0), -ERR_FORBIDDEN);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM broadcast", NULL), 0);
}

Test(store, empty_recipients_and_message_are_refused_with_the_count)
{
	struct broadcast_request in = {.counselor_id = cid, .text = " "};
	struct broadcast_result out;
	cr_assert_eq(send(&in, &out, T0), -ERR_INVAL);
	cr_assert_eq(out.errors, 2);
	cr_assert_str_eq(out.recipients_error, BROADCAST_NO_RECIPIENT);
	cr_assert_str_eq(out.text_error, "Le champ “Message” est vide. Renseignez un message.");
	/* A list whose members all left counts as no recipient. */
	struct broadcast_list l = new_list(cid, "Une", (const char *[]){zola}, 1);
	run(arena_printf(a, "UPDATE beneficiary SET counselor_id = '%s' WHERE id = '%s'", cid2, zola));
	const char *lists[] = {l.id, l.id}, *chosen[] = {dupont, dupont};
	in = (struct broadcast_request){.counselor_id = cid, .list_ids = lists, .n_lists = 2,
					.text = "Bonjour"};
	cr_assert_eq(send(&in, &out, T0), -ERR_INVAL);
	cr_assert_eq(out.errors, 1);
	cr_assert_eq(out.n, 0);
	/* The count shown again is of unique beneficiaries. */
	in = (struct broadcast_request){.counselor_id = cid, .beneficiary_ids = chosen,
					.n_beneficiaries = 2, .all = false, .text = ""};
	cr_assert_eq(send(&in, &out, T0), -ERR_INVAL);
	cr_assert_eq(out.n, 1);
	cr_assert_null(out.recipients_error);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 0);
}

Test(store, history_newest_first_and_read_receipts)
{
	const char *ids[] = {dupont, zola};
	struct broadcast_list l = new_list(cid, "Une", ids, 2);
	const char *lists[] = {l.id}, *extra[] = {bernard};
	struct broadcast_request in = {.counselor_id = cid, .list_ids = lists, .n_lists = 1,
				       .beneficiary_ids = extra, .n_beneficiaries = 1,
				       .text = "Premier"};
	struct broadcast_result first, second, other;
	cr_assert_eq(send(&in, &first, T0), 0);
	in.text = "Second https://exemple.fr";
	cr_assert_eq(send(&in, &second, T0 + DAY), 0);
	/* A send to no list is not in the list's history. */
	struct broadcast_request direct = {.counselor_id = cid, .beneficiary_ids = extra,
					   .n_beneficiaries = 1, .text = "Direct"};
	cr_assert_eq(send(&direct, &other, T0 + 2 * DAY), 0);

	struct broadcast_page p;
	cr_assert_eq(broadcast_history(db, keys, a, &l, NULL, &p), 0);
	cr_assert_eq(p.n, 2);
	cr_assert_not(p.more);
	cr_assert_str_eq(p.items[0].id, second.id);
	cr_assert_str_eq(p.items[0].text, "Second https://exemple.fr");
	cr_assert_eq(p.items[0].sent_at, T0 + DAY);
	cr_assert_eq(p.items[0].recipients, 3);
	cr_assert_str_eq(p.items[1].text, "Premier");
	struct msg_cursor cur = {.created_at = p.items[0].sent_at, .id = p.items[0].id};
	cr_assert_eq(broadcast_history(db, keys, a, &l, &cur, &p), 0);
	cr_assert_eq(p.n, 1);
	cr_assert_str_eq(p.items[0].id, first.id);

	/* Nobody has read the second one; then Zola opens the conversation. */
	struct broadcast_detail d;
	cr_assert_eq(broadcast_detail(db, keys, a, &l, second.id, &d), 0);
	cr_assert_str_eq(d.message.text, "Second https://exemple.fr");
	cr_assert_eq(d.n, 3);
	cr_assert_str_eq(d.receipts[0].last_name, "Bernard", "by name");
	for (int i = 0; i < d.n; i++)
		cr_assert_not(d.receipts[i].read);
	mark_read(zola, T0 + DAY + MINUTE);
	/* Dupont read before the second send: the first only. */
	mark_read(dupont, T0 + MINUTE);
	cr_assert_eq(broadcast_detail(db, keys, a, &l, second.id, &d), 0);
	cr_assert_str_eq(d.receipts[2].beneficiary_id, zola);
	cr_assert(d.receipts[2].read);
	cr_assert_str_eq(d.receipts[1].beneficiary_id, dupont);
	cr_assert_not(d.receipts[1].read);
	cr_assert_eq(broadcast_detail(db, keys, a, &l, first.id, &d), 0);
	cr_assert(d.receipts[1].read);

	/* Only recipients currently in the portfolio are listed. */
	run(arena_printf(a, "UPDATE beneficiary SET counselor_id = '%s' WHERE id = '%s'", cid2, zola));
	cr_assert_eq(broadcast_detail(db, keys, a, &l, second.id, &d), 0);
	cr_assert_eq(d.n, 2);
	/* A broadcast not sent to this list is not found through it. */
	cr_assert_eq(broadcast_detail(db, keys, a, &l, other.id, &d), -ERR_NOTFOUND);
}

Test(store, history_pages_of_twenty)
{
	struct broadcast_list l = new_list(cid, "Une", (const char *[]){dupont}, 1);
	const char *lists[] = {l.id};
	for (int i = 0; i < BROADCAST_PAGE_SIZE + 1; i++) {
		struct broadcast_request in = {.counselor_id = cid, .list_ids = lists, .n_lists = 1,
					       .text = arena_printf(a, "Message %d", i)};
		struct broadcast_result out;
		cr_assert_eq(send(&in, &out, T0 + i * MINUTE), 0);
	}
	struct broadcast_page p;
	cr_assert_eq(broadcast_history(db, keys, a, &l, NULL, &p), 0);
	cr_assert_eq(p.n, BROADCAST_PAGE_SIZE);
	cr_assert(p.more);
	cr_assert_str_eq(p.items[0].text, "Message 20");
	struct msg_cursor cur = {.created_at = p.items[p.n - 1].sent_at, .id = p.items[p.n - 1].id};
	cr_assert_eq(broadcast_history(db, keys, a, &l, &cur, &p), 0);
	cr_assert_eq(p.n, 1);
	cr_assert_not(p.more);
	cr_assert_str_eq(p.items[0].text, "Message 0");
}

Test(store, deleting_a_list_keeps_the_messages)
{
	struct broadcast_list l = new_list(cid, "Une", (const char *[]){dupont, zola}, 2);
	const char *lists[] = {l.id};
	struct broadcast_request in = {.counselor_id = cid, .list_ids = lists, .n_lists = 1,
				       .text = "Bonjour"};
	struct broadcast_result out;
	cr_assert_eq(send(&in, &out, T0), 0);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(lists_remove(db, &l), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	struct broadcast_list gone;
	cr_assert_eq(lists_load(db, a, cid, l.id, &gone), -ERR_NOTFOUND);
	cr_assert_eq(count("SELECT count(*) FROM broadcast_list_member", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM broadcast_list_send", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM message WHERE broadcast_id = $1", out.id), 2);
}

Test(store, removing_a_beneficiary_removes_its_memberships)
{
	struct broadcast_list l = new_list(cid, "Une", (const char *[]){dupont, zola}, 2);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(beneficiaries_purge(all_features(), db, zola), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	struct list_person *m;
	cr_assert_eq(lists_members(db, a, &l, &m), 1);
	cr_assert_str_eq(m[0].id, dupont);
}

/* ---- A file in a multi-recipient send (messaging.md §7 last rule, §8) ---- */

static const unsigned char PDF[] = "%PDF-1.4\n% atelier\n";
#define PDF_LEN (sizeof(PDF) - 1)

/* The list (Dupont, Zola) and Bernard chosen: three recipients, one PDF, no text. */
static struct broadcast_result
send_pdf(struct broadcast_list *l)
{
	*l = new_list(cid, "Pâtissiers", (const char *[]){dupont, zola}, 2);
	const char *lists[] = {l->id}, *chosen[] = {bernard};
	struct broadcast_request in = {.counselor_id = cid, .list_ids = lists, .n_lists = 1,
				       .beneficiary_ids = chosen, .n_beneficiaries = 1, .text = "  ",
				       .file_name = "atelier.pdf", .file = PDF, .file_len = PDF_LEN};
	struct broadcast_result out;
	cr_assert_eq(send(&in, &out, T0), 0);
	cr_assert_eq(out.n, 3);
	return out;
}

/* The id of the file of broadcast @bid (each copy references it). */
static const char *
file_of(const char *bid)
{
	struct db_stmt *st = db_prepare(db, "SELECT min(attachment_id) FROM message "
					    "WHERE broadcast_id = $1");
	cr_assert_not_null(st);
	db_bind_text(st, 1, bid);
	cr_assert_eq(db_step(st), DB_ROW);
	const char *id = db_col_dup(st, a, 0);
	db_finish(st);
	cr_assert_not_null(id);
	return id;
}

/* attachment_load's answer for @kind @who, content included. */
static int
load_as(const char *kind, const char *who, const char *file, struct attachment *t)
{
	return attachment_load(db, keys, a, file, kind, who, true, t);
}

Test(store, a_file_is_stored_once_and_every_copy_references_it)
{
	struct broadcast_list l;
	struct broadcast_result out = send_pdf(&l);
	cr_assert_eq(count("SELECT count(*) FROM attachment", NULL), 1);
	cr_assert_eq(count("SELECT count(DISTINCT attachment_id) FROM message WHERE broadcast_id = $1",
			   out.id), 1);
	cr_assert_eq(count("SELECT count(*) FROM message WHERE broadcast_id = $1 "
			   "AND attachment_id IS NOT NULL", out.id), 3);
	const char *all[] = {dupont, zola, bernard};
	for (int i = 0; i < 3; i++) {
		struct msg_conversation conv = fixture_conversation(&fx, all[i]);
		struct msg_page p;
		cr_assert_eq(messaging_page(db, keys, a, &conv, NULL, MSG_PAGE_SIZE, &p), 0);
		cr_assert_eq(p.n, 1);
		cr_assert_eq(p.items[0].kind, MSG_MESSAGE_PJ);
		cr_assert_str_eq(p.items[0].text, MSG_PJ_DEFAULT_TEXT, "an empty text gets the default");
		cr_assert_str_eq(p.items[0].attachment_id, file_of(out.id));
		cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1 "
				   "AND type = 'NEW_MESSAGE'", all[i]), 1);
	}
}

Test(store, every_recipient_downloads_the_file_and_nobody_else)
{
	const char *gomez = add_beneficiary(cid, "Gomez", "Inès");   /* same counselor, not chosen */
	struct broadcast_list l;
	const char *file = file_of(send_pdf(&l).id);
	struct attachment t;
	const char *all[] = {dupont, zola, bernard};
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(load_as("beneficiary", all[i], file, &t), 0);
		cr_assert_eq(t.size, PDF_LEN);
		cr_assert_eq(memcmp(t.data, PDF, PDF_LEN), 0);
		cr_assert_str_eq(t.name, "atelier.pdf");
		cr_assert_str_eq(t.mime, "application/pdf");
		cr_assert_not(t.deleted || t.expired);
	}
	cr_assert_eq(load_as("counselor", cid, file, &t), 0, "the uploader");
	cr_assert_eq(load_as("beneficiary", gomez, file, &t), -ERR_NOTFOUND, "not a recipient");
	cr_assert_eq(load_as("beneficiary", autre, file, &t), -ERR_NOTFOUND);
	cr_assert_eq(load_as("counselor", cid2, file, &t), -ERR_NOTFOUND, "a colleague");
	/* Zola moves to Denis: Denis is now a recipient's referent. */
	run(arena_printf(a, "UPDATE beneficiary SET counselor_id = '%s' WHERE id = '%s'", cid2, zola));
	cr_assert_eq(load_as("counselor", cid2, file, &t), 0);
	cr_assert_eq(memcmp(t.data, PDF, PDF_LEN), 0);
}

/* Deletes @ben's copy of broadcast @bid as its author does (conversations_web.c). */
static void
delete_copy(const char *bid, const char *ben)
{
	struct db_stmt *st = db_prepare(db, "SELECT m.id FROM message m JOIN conversation c "
					    "ON c.id = m.conversation_id "
					    "WHERE m.broadcast_id = $1 AND c.beneficiary_id = $2");
	cr_assert_not_null(st);
	db_bind_text(st, 1, bid);
	db_bind_text(st, 2, ben);
	cr_assert_eq(db_step(st), DB_ROW);
	const char *mid = db_col_dup(st, a, 0);
	db_finish(st);
	struct msg_actor who = {.side = MSG_FROM_COUNSELOR, .id = cid};
	const char *error = NULL;
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_delete(db, a, T0 + MINUTE, &who, mid, &error), 0);
	cr_assert_eq(attachment_delete_for_message(db, mid, T0 + MINUTE), 0);
	cr_assert_eq(db_tx_commit(db), 0);
}

Test(store, deleting_one_copy_keeps_the_file_for_the_others)
{
	struct broadcast_list l;
	struct broadcast_result out = send_pdf(&l);
	const char *file = file_of(out.id);
	delete_copy(out.id, dupont);
	struct attachment t;
	cr_assert_eq(load_as("beneficiary", zola, file, &t), 0);
	cr_assert_not(t.deleted);
	cr_assert_eq(memcmp(t.data, PDF, PDF_LEN), 0);
	cr_assert_eq(load_as("counselor", cid, file, &t), 0);
	cr_assert_not(t.deleted, "the uploader still has it");
	/* Dupont's copy is deleted: the file is gone for Dupont only (410, not the bytes). */
	cr_assert_eq(load_as("beneficiary", dupont, file, &t), 0);
	cr_assert(t.deleted);
	/* The last copies deleted: the content is dropped. */
	delete_copy(out.id, zola);
	delete_copy(out.id, bernard);
	cr_assert_eq(count("SELECT count(*) FROM attachment WHERE content IS NULL "
			   "AND deleted_at IS NOT NULL", NULL), 1);
	cr_assert_eq(load_as("counselor", cid, file, &t), 0);
	cr_assert(t.deleted);
	struct broadcast_page p;
	cr_assert_eq(broadcast_history(db, keys, a, &l, NULL, &p), 0);
	cr_assert(p.items[0].file_deleted);
}

Test(store, expiry_marks_the_one_file_expired_for_every_copy)
{
	struct broadcast_list l;
	const char *file = file_of(send_pdf(&l).id);
	cr_assert_eq(db_tx_begin(db), 0);
	/* 2026-01-01 + 4 months = 2026-05-01: 120 days later. */
	cr_assert_eq(attachment_expire(db, T0 + 119 * DAY), 0);
	cr_assert_eq(attachment_expire(db, T0 + 120 * DAY), 1, "one file");
	cr_assert_eq(db_tx_commit(db), 0);
	const char *all[] = {dupont, zola, bernard};
	struct attachment t;
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(load_as("beneficiary", all[i], file, &t), 0);
		cr_assert(t.expired);
		cr_assert_null(t.data);
		cr_assert_str_eq(t.scan_status, "expired");
	}
	struct broadcast_page p;
	cr_assert_eq(broadcast_history(db, keys, a, &l, NULL, &p), 0);
	cr_assert(p.items[0].file_expired);
	cr_assert_not(p.items[0].file_deleted);
}

Test(store, the_history_names_the_file_of_a_list_message)
{
	struct broadcast_list l;
	struct broadcast_result out = send_pdf(&l);
	struct broadcast_page p;
	cr_assert_eq(broadcast_history(db, keys, a, &l, NULL, &p), 0);
	cr_assert_eq(p.n, 1);
	cr_assert_str_eq(p.items[0].text, MSG_PJ_DEFAULT_TEXT);
	cr_assert_str_eq(p.items[0].file_name, "atelier.pdf");
	cr_assert_str_eq(p.items[0].attachment_id, file_of(out.id));
	cr_assert_not(p.items[0].file_expired || p.items[0].file_deleted);
	struct broadcast_detail d;
	cr_assert_eq(broadcast_detail(db, keys, a, &l, out.id, &d), 0);
	cr_assert_str_eq(d.message.file_name, "atelier.pdf");
	/* A text-only send names no file. */
	const char *lists[] = {l.id};
	struct broadcast_request in = {.counselor_id = cid, .list_ids = lists, .n_lists = 1,
				       .text = "Sans fichier"};
	cr_assert_eq(send(&in, &out, T0 + MINUTE), 0);
	cr_assert_eq(broadcast_history(db, keys, a, &l, NULL, &p), 0);
	cr_assert_str_eq(p.items[0].text, "Sans fichier");
	cr_assert_null(p.items[0].attachment_id);
	cr_assert_null(p.items[0].file_name);
}

Test(store, a_file_spares_the_empty_text_error_but_is_checked)
{
	/* A ZIP named .png, no recipient, no text: the file and the recipients are refused,
	 * not the text. */
	static const unsigned char zip[] = "PK\x03\x04\x14\0\0\0";
	struct broadcast_request in = {.counselor_id = cid, .text = "", .file_name = "photo.png",
				       .file = zip, .file_len = sizeof(zip) - 1};
	struct broadcast_result out;
	cr_assert_eq(send(&in, &out, T0), -ERR_INVAL);
	cr_assert_eq(out.errors, 2);
	cr_assert_str_eq(out.file_error, ATTACHMENT_BAD_TYPE);
	cr_assert_str_eq(out.recipients_error, BROADCAST_NO_RECIPIENT);
	cr_assert_null(out.text_error);
	/* 5 MB and one byte of PDF. */
	unsigned char *big = g_malloc0(ATTACHMENT_MAX_BYTES + 1);
	memcpy(big, PDF, PDF_LEN);
	in = (struct broadcast_request){.counselor_id = cid, .beneficiary_ids = &dupont,
					.n_beneficiaries = 1, .text = "Bonjour",
					.file_name = "gros.pdf", .file = big,
					.file_len = ATTACHMENT_MAX_BYTES + 1};
	cr_assert_eq(send(&in, &out, T0), -ERR_INVAL);
	g_free(big);
	cr_assert_eq(out.errors, 1);
	cr_assert_str_eq(out.file_error, ATTACHMENT_TOO_BIG);
	/* No file and no text: the text error. */
	in = (struct broadcast_request){.counselor_id = cid, .beneficiary_ids = &dupont,
					.n_beneficiaries = 1, .text = " "};
	cr_assert_eq(send(&in, &out, T0), -ERR_INVAL);
	cr_assert_str_eq(out.text_error, "Le champ “Message” est vide. Renseignez un message.");
	cr_assert_null(out.file_error);
	cr_assert_eq(count("SELECT count(*) FROM attachment", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM broadcast", NULL), 0);
}

/* ---- The pages' use cases: their own transaction, the recipients told on its commit ---- */

static void
stream_nop(void *ud)
{
	(void)ud;
}

static const struct hub_sub_ops stream_ops = {stream_nop, stream_nop};

/* What @s received since the last call (fixture.h). */
#define heard(s) fixture_heard(a, (s))

Test(store, a_submitted_send_tells_each_recipient_once_committed_and_a_refused_one_nobody)
{
	hub_start(&(struct hub_options){.heartbeat_ms = 600000});
	struct hub_sub *d = hub_subscribe(arena_printf(a, HUB_TOPIC_BENEFICIARY, dupont), &stream_ops,
					  NULL);
	struct hub_sub *z = hub_subscribe(arena_printf(a, HUB_TOPIC_BENEFICIARY, zola), &stream_ops,
					  NULL);
	struct hub_sub *c = hub_subscribe(arena_printf(a, HUB_TOPIC_COUNSELOR, cid), &stream_ops, NULL);
	cr_assert(d && z && c);
	struct broadcast_result out;
	struct broadcast_request in = {.counselor_id = cid,
				       .beneficiary_ids = (const char *[]){dupont, zola},
				       .n_beneficiaries = 2, .text = "  "};
	cr_assert_eq(broadcast_submit(db, keys, a, T0, &in, &out), -ERR_INVAL);
	cr_assert_not_null(out.text_error);
	cr_assert_str_eq(heard(d), "");
	cr_assert_str_eq(heard(c), "");

	in.text = "Atelier CV jeudi";
	cr_assert_eq(broadcast_submit(db, keys, a, T0, &in, &out), 0);
	cr_assert_eq(db_tx_begin(db), 0, "the use case ended its transaction");
	db_tx_rollback(db);
	cr_assert_str_eq(heard(d), arena_printf(a, "event: message\ndata: %s\n\n", dupont));
	cr_assert_str_eq(heard(z), arena_printf(a, "event: message\ndata: %s\n\n", zola));
	cr_assert_str_eq(heard(c), arena_printf(a, "event: message\ndata: %s\n\nevent: message\n"
						   "data: %s\n\n", dupont, zola));
	hub_unsubscribe(d);
	hub_unsubscribe(z);
	hub_unsubscribe(c);
	hub_stop(0);
}

Test(store, a_refused_list_form_stores_nothing_and_keeps_a_creation_a_creation)
{
	struct broadcast_list l = {.counselor_id = cid};
	struct lists_form_errors e;
	cr_assert_eq(lists_submit(db, a, T0, &l, "  ", (const char *[]){dupont}, 1, &e), -ERR_INVAL);
	cr_assert_str_eq(e.title, LISTS_TITLE_EMPTY);
	cr_assert_null(l.id);
	cr_assert_eq(lists_submit(db, a, T0, &l, "Atelier", (const char *[]){autre}, 1, &e),
		     -ERR_FORBIDDEN);
	cr_assert_null(l.id);
	cr_assert_eq(count("SELECT count(*) FROM broadcast_list", NULL), 0);
	cr_assert_eq(lists_submit(db, a, T0, &l, "Atelier", (const char *[]){dupont}, 1, &e), 0);
	cr_assert_not_null(l.id);
	cr_assert_eq(lists_delete(db, &l), 0);
	cr_assert_eq(count("SELECT count(*) FROM broadcast_list", NULL), 0);
}
