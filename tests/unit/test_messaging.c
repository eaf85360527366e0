/* test_messaging.c — messaging (spec/messaging.md §1–§5, §11, §14; notifications.md #13):
 * the keyring and secretbox sealing, the pure rules and wording, the link rendering (the
 * only raw HTML of a message), then the store and use cases on a migrated temporary
 * database with a controlled "now". */
#include "actions/actions.h"
#include "actions/actions_use.h"
#include "actions/actions_store.h"
#include "admin/admin_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"
#include "http/hub.h"
#include "messaging/attachments.h"
#include "messaging/crypto.h"
#include "messaging/messaging.h"
#include "messaging/messaging_store.h"
#include "messaging/messaging_use.h"
#include "messaging/search.h"
#include "notifications/notifications.h"
#include "view/tmpl.h"

#include "fixture.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

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

#define SECOND 1000LL
#define MINUTE (60 * SECOND)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

#define PARIS FIXTURE_PARIS
#define REUNION FIXTURE_REUNION

/* The test clock (fixture.h). */
#define at(iso) fixture_at(iso)

static void
write_file(const char *path, const char *text)
{
	cr_assert(g_file_set_contents(path, text, -1, NULL));
}

/* ======================================================================================
 * Keyring and sealing (§14)
 * ==================================================================================== */

static struct fixture kfx;   /* a directory for key files; no database */
static struct arena *ka;

static void
crypto_setup(void)
{
	fixture_open(&kfx, "keys", 0);
	cr_assert_geq(sodium_init(), 0);
	ka = kfx.a;
}

static void
crypto_teardown(void)
{
	fixture_close(&kfx);
}

TestSuite(crypto, .init = crypto_setup, .fini = crypto_teardown);

static char *
kpath(const char *name)
{
	return fixture_path(&kfx, name);
}

Test(crypto, creates_the_key_file_0600_in_its_directory)
{
	char *path = kpath("sous/dossier/cles-messages");
	cr_assert_null(crypto_keyring_open(path, false), "no creation unless asked");
	cr_assert_not(g_file_test(path, G_FILE_TEST_EXISTS));
	struct msg_keyring *k = crypto_keyring_open(path, true);
	cr_assert_not_null(k);
	cr_assert_eq(crypto_keyring_count(k), 1);
	cr_assert_str_eq(crypto_keyring_current(k), "k1");
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(stat(kpath("sous/dossier"), &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	/* One "k1:<base64 of 32 bytes>" line after the comments; no temporary file left. */
	gchar *text = NULL;
	cr_assert(g_file_get_contents(path, &text, NULL, NULL));
	gchar **lines = g_strsplit(text, "\n", -1);
	int keys = 0;
	for (gchar **l = lines; *l; l++)
		if (**l && **l != '#') {
			cr_assert(g_str_has_prefix(*l, "k1:"));
			cr_assert_eq(strlen(*l), 3 + 44);
			keys++;
		}
	cr_assert_eq(keys, 1);
	g_strfreev(lines);
	g_free(text);
	GDir *d = g_dir_open(kpath("sous/dossier"), 0, NULL);
	int files = 0;
	while (g_dir_read_name(d))
		files++;
	g_dir_close(d);
	cr_assert_eq(files, 1);
	/* Opening again reads the same key: what it sealed opens. */
	struct crypto_sealed s;
	crypto_seal(k, ka, "Bonjour", 7, &s);
	struct msg_keyring *again = crypto_keyring_open(path, true);
	char *plain;
	cr_assert_eq(crypto_open(again, ka, s.key_id, s.blob, s.len, &plain, NULL), 0);
	cr_assert_str_eq(plain, "Bonjour");
	crypto_keyring_free(again);
	crypto_keyring_free(k);
}

Test(crypto, round_trip_with_a_fresh_nonce_each_time)
{
	struct msg_keyring *k = crypto_keyring_open(kpath("cles"), true);
	const char *text = "Bonjour Léa, voici le lien : https://exemple.fr 🙂";
	struct crypto_sealed s1, s2;
	crypto_seal(k, ka, text, strlen(text), &s1);
	crypto_seal(k, ka, text, strlen(text), &s2);
	cr_assert_eq(s1.len, strlen(text) + CRYPTO_OVERHEAD);
	cr_assert_str_eq(s1.key_id, "k1");
	cr_assert_neq(memcmp(s1.blob, s2.blob, s1.len), 0, "same text, different blobs");
	cr_assert_null(memmem(s1.blob, s1.len, "Bonjour", 7));
	char *plain;
	size_t n;
	cr_assert_eq(crypto_open(k, ka, "k1", s1.blob, s1.len, &plain, &n), 0);
	cr_assert_str_eq(plain, text);
	cr_assert_eq(n, strlen(text));
	/* Empty and binary values too. */
	crypto_seal(k, ka, "", 0, &s1);
	cr_assert_eq(crypto_open(k, ka, "k1", s1.blob, s1.len, &plain, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_str_eq(plain, "");
	const char bin[] = {'a', 0, 'b'};
	crypto_seal(k, ka, bin, 3, &s1);
	cr_assert_eq(crypto_open(k, ka, "k1", s1.blob, s1.len, &plain, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(plain, bin, 3), 0);
	crypto_keyring_free(k);
}

Test(crypto, wrong_key_id_and_tampered_blobs_are_refused)
{
	struct msg_keyring *k = crypto_keyring_open(kpath("cles"), true);
	struct crypto_sealed s;
	crypto_seal(k, ka, "secret", 6, &s);
	char *plain = NULL;
	cr_assert_eq(crypto_open(k, ka, "k2", s.blob, s.len, &plain, NULL), -ERR_NOTFOUND);
	cr_assert_eq(crypto_open(k, ka, NULL, s.blob, s.len, &plain, NULL), -ERR_NOTFOUND);
	/* Any flipped bit — nonce, ciphertext or MAC — fails authentication. */
	for (size_t i = 0; i < s.len; i++) {
		unsigned char *copy = arena_alloc(ka, s.len);
		memcpy(copy, s.blob, s.len);
		copy[i] ^= 0x01;
		cr_assert_eq(crypto_open(k, ka, "k1", copy, s.len, &plain, NULL), -ERR_INVAL,
			     "byte %zu", i);
	}
	cr_assert_eq(crypto_open(k, ka, "k1", s.blob, s.len - 1, &plain, NULL), -ERR_INVAL);
	cr_assert_eq(crypto_open(k, ka, "k1", s.blob, CRYPTO_OVERHEAD - 1, &plain, NULL), -ERR_INVAL);
	cr_assert_eq(crypto_open(k, ka, "k1", NULL, 0, &plain, NULL), -ERR_INVAL);
	cr_assert_null(plain);
	/* Another file's "k1" is another key: refused, not garbage. */
	struct msg_keyring *other = crypto_keyring_open(kpath("autres"), true);
	cr_assert_eq(crypto_open(other, ka, "k1", s.blob, s.len, &plain, NULL), -ERR_INVAL);
	crypto_keyring_free(other);
	crypto_keyring_free(k);
}

Test(crypto, rotation_keeps_old_values_readable_and_seals_with_the_new_key)
{
	char *path = kpath("cles");
	struct msg_keyring *k1 = crypto_keyring_open(path, true);
	struct crypto_sealed old;
	crypto_seal(k1, ka, "ancien message", 14, &old);
	cr_assert_str_eq(old.key_id, "k1");
	char *id = NULL;
	cr_assert_eq(crypto_keyring_add(path, &id), 0);
	cr_assert_str_eq(id, "k2");
	g_free(id);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode kept");
	struct msg_keyring *k2 = crypto_keyring_open(path, false);
	cr_assert_eq(crypto_keyring_count(k2), 2);
	cr_assert_str_eq(crypto_keyring_current(k2), "k2");
	char *plain;
	cr_assert_eq(crypto_open(k2, ka, old.key_id, old.blob, old.len, &plain, NULL), 0);
	cr_assert_str_eq(plain, "ancien message");
	struct crypto_sealed fresh;
	crypto_seal(k2, ka, "nouveau", 7, &fresh);
	cr_assert_str_eq(fresh.key_id, "k2");
	/* The server still on the old file cannot open it: unknown key, not a crash. */
	cr_assert_eq(crypto_open(k1, ka, fresh.key_id, fresh.blob, fresh.len, &plain, NULL),
		     -ERR_NOTFOUND);
	cr_assert_eq(crypto_open(k2, ka, fresh.key_id, fresh.blob, fresh.len, &plain, NULL), 0);
	cr_assert_str_eq(plain, "nouveau");
	/* The next one is k3; a file without final newline is completed first. */
	gchar *text = NULL;
	cr_assert(g_file_get_contents(path, &text, NULL, NULL));
	g_strchomp(text);
	write_file(path, text);
	g_free(text);
	cr_assert_eq(crypto_keyring_add(path, &id), 0);
	cr_assert_str_eq(id, "k3");
	g_free(id);
	struct msg_keyring *k3 = crypto_keyring_open(path, false);
	cr_assert_not_null(k3);
	cr_assert_eq(crypto_keyring_count(k3), 3);
	cr_assert_eq(crypto_open(k3, ka, old.key_id, old.blob, old.len, &plain, NULL), 0);
	crypto_keyring_free(k3);
	crypto_keyring_free(k2);
	crypto_keyring_free(k1);
	/* Adding to a missing file creates it with k1. */
	cr_assert_eq(crypto_keyring_add(kpath("neuf"), &id), 0);
	cr_assert_str_eq(id, "k1");
	g_free(id);
	cr_assert_eq(stat(kpath("neuf"), &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
}

Test(crypto, malformed_files_are_refused)
{
	const char *key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  /* 32 bytes */
	const char *bad[] = {
		"",                                            /* no key */
		"# rien\n\n",
		"k1\n",                                        /* no colon */
		"k1:AAEC\n",                                   /* short key */
		"k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==\n",  /* 34 bytes */
		"k1:pas du base64 !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
		":AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",  /* empty id */
		"k 1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
		("k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
		 "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"),  /* repeated id */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *path = kpath(arena_printf(ka, "bad%zu", i));
		write_file(path, bad[i]);
		cr_assert_null(crypto_keyring_open(path, true), "case %zu", i);
		char *id = NULL;
		cr_assert_eq(crypto_keyring_add(path, &id), -ERR_INVAL, "case %zu", i);
		cr_assert_null(id);
	}
	/* Comments, blank lines, CRLF and spaces around are fine; the last key is current. */
	char *path = kpath("ok");
	write_file(path, arena_printf(ka, "# clés\r\n\r\n  ancienne:%s  \r\nK_2-b:%s", key, key));
	struct msg_keyring *k = crypto_keyring_open(path, false);
	cr_assert_not_null(k);
	cr_assert_eq(crypto_keyring_count(k), 2);
	cr_assert_str_eq(crypto_keyring_current(k), "K_2-b");
	crypto_keyring_free(k);
	char *id = NULL;
	cr_assert_eq(crypto_keyring_add(path, &id), 0);
	cr_assert_str_eq(id, "k1", "no k{n} id yet");
	g_free(id);
}

/* ======================================================================================
 * Pure rules (§1–§5)
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

Test(rules, kinds_round_trip_and_unknown_ones)
{
	for (int k = 0; k < MSG_KIND_COUNT; k++)
		cr_assert_eq(msg_kind_parse(msg_kind_wire((enum msg_kind)k)), k);
	cr_assert_str_eq(msg_kind_wire(MSG_OFFER_SHARE), "OFFER_SHARE");
	cr_assert_str_eq(msg_kind_wire(MSG_NEW_COUNSELOR_TEMPORARY), "NEW_COUNSELOR_TEMPORARY");
	cr_assert_eq(msg_kind_parse("message"), MSG_KIND_UNKNOWN);
	cr_assert_eq(msg_kind_parse("IMAGE"), MSG_KIND_UNKNOWN);
	cr_assert_eq(msg_kind_parse(""), MSG_KIND_UNKNOWN);
	cr_assert_eq(msg_kind_parse(NULL), MSG_KIND_UNKNOWN);
	cr_assert_null(msg_kind_wire(MSG_KIND_UNKNOWN));
	cr_assert_eq(msg_sender_parse("counselor"), MSG_FROM_COUNSELOR);
	cr_assert_eq(msg_sender_parse("beneficiary"), MSG_FROM_BENEFICIARY);
	cr_assert_eq(msg_sender_parse("system"), MSG_FROM_SYSTEM);
	cr_assert_eq(msg_sender_parse("admin"), -1);
	cr_assert_str_eq(MSG_INACCESSIBLE, "Le message est inaccessible");
}

Test(rules, kinds_allowed_per_sender)
{
	const struct {
		enum msg_sender s;
		const char *kinds;
	} allowed[] = {
		{MSG_FROM_BENEFICIARY, "MESSAGE OFFER_SHARE EVENT_SHARE SESSION_SHARE JOB_EVENT_SHARE"},
		{MSG_FROM_COUNSELOR, "MESSAGE MESSAGE_PJ OFFER_SHARE ACTION_COMMENT"},
		{MSG_FROM_SYSTEM, "NEW_COUNSELOR NEW_COUNSELOR_TEMPORARY AUTO_REGISTRATION"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(allowed); i++)
		for (int k = 0; k < MSG_KIND_COUNT; k++) {
			gchar **words = g_strsplit(allowed[i].kinds, " ", -1);
			bool expected = g_strv_contains((const gchar *const *)words,
							msg_kind_wire((enum msg_kind)k));
			g_strfreev(words);
			cr_assert_eq(msg_kind_allowed(allowed[i].s, (enum msg_kind)k), expected,
				     "%s %s", msg_sender_wire(allowed[i].s), msg_kind_wire((enum msg_kind)k));
		}
	cr_assert_not(msg_kind_allowed(MSG_FROM_COUNSELOR, MSG_KIND_UNKNOWN));
	/* Editable kinds (§5). */
	cr_assert(msg_kind_editable(MSG_MESSAGE));
	cr_assert(msg_kind_editable(MSG_MESSAGE_PJ));
	cr_assert(msg_kind_editable(MSG_OFFER_SHARE));
	cr_assert(msg_kind_editable(MSG_ACTION_COMMENT));
	cr_assert_not(msg_kind_editable(MSG_EVENT_SHARE));
	cr_assert_not(msg_kind_editable(MSG_SESSION_SHARE));
	cr_assert_not(msg_kind_editable(MSG_JOB_EVENT_SHARE));
	cr_assert_not(msg_kind_editable(MSG_NEW_COUNSELOR));
	cr_assert_not(msg_kind_editable(MSG_AUTO_REGISTRATION));
	cr_assert_not(msg_kind_editable(MSG_KIND_UNKNOWN));
	/* NEW_MESSAGE push (#13): counselor MESSAGE, MESSAGE_PJ, OFFER_SHARE only. */
	cr_assert(msg_pushes_new_message(MSG_FROM_COUNSELOR, MSG_MESSAGE));
	cr_assert(msg_pushes_new_message(MSG_FROM_COUNSELOR, MSG_MESSAGE_PJ));
	cr_assert(msg_pushes_new_message(MSG_FROM_COUNSELOR, MSG_OFFER_SHARE));
	cr_assert_not(msg_pushes_new_message(MSG_FROM_COUNSELOR, MSG_ACTION_COMMENT));
	cr_assert_not(msg_pushes_new_message(MSG_FROM_BENEFICIARY, MSG_MESSAGE));
	cr_assert_not(msg_pushes_new_message(MSG_FROM_SYSTEM, MSG_NEW_COUNSELOR));
	cr_assert_not(msg_pushes_new_message(MSG_FROM_SYSTEM, MSG_AUTO_REGISTRATION));
}

static char *
repeat(const char *piece, int n)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append(s, piece);
	char *r = arena_strdup(ra, s->str);
	g_string_free(s, TRUE);
	return r;
}

Test(rules, text_is_one_to_5000_characters_after_trimming)
{
	const char *out = NULL;
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE, "  Bonjour \n", &out));
	cr_assert_str_eq(out, "Bonjour");
	/* Unicode white space too (no-break space, ideographic space), inner kept. */
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE, "\u00a0\t Bonjour\n\nLéa \u3000", &out));
	cr_assert_str_eq(out, "Bonjour\n\nLéa");
	const char *empty = "Le champ “Message” est vide. Renseignez un message.";
	cr_assert_str_eq(msg_text_check(ra, MSG_MESSAGE, "", &out), empty);
	cr_assert_str_eq(msg_text_check(ra, MSG_MESSAGE, " \n\t\u00a0", &out), empty);
	cr_assert_str_eq(msg_text_check(ra, MSG_MESSAGE, NULL, &out), empty);
	cr_assert_str_eq(msg_text_check(ra, MSG_OFFER_SHARE, "  ", &out), empty);
	/* MESSAGE_PJ may be empty: the guide's default text. */
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE_PJ, "  ", &out));
	cr_assert_str_eq(out, "Votre conseiller vous a transmis une nouvelle pièce jointe : ");
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE_PJ, NULL, &out));
	cr_assert_str_eq(out, MSG_PJ_DEFAULT_TEXT);
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE_PJ, " Votre CV ", &out));
	cr_assert_str_eq(out, "Votre CV");
	/* 5000 characters, counted as characters (é is 2 bytes, 🙂 is 4). */
	const char *too_long = "Vous avez dépassé le nombre maximal de caractères. Retirez des caractères.";
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE, repeat("é", 5000), &out));
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE, repeat("🙂", 5000), &out));
	cr_assert_null(msg_text_check(ra, MSG_MESSAGE, arena_printf(ra, "  %s  ", repeat("a", 5000)), &out));
	cr_assert_str_eq(msg_text_check(ra, MSG_MESSAGE, repeat("a", 5001), &out), too_long);
	cr_assert_str_eq(msg_text_check(ra, MSG_MESSAGE, repeat("é", 5001), &out), too_long);
	/* Invalid UTF-8 is refused. */
	cr_assert_not_null(msg_text_check(ra, MSG_MESSAGE, "Bonjour \xff", &out));
	cr_assert_not_null(msg_text_check(ra, MSG_MESSAGE, "\xc3", &out));
}

Test(rules, send_checks_kind_attachment_and_card)
{
	const char *out;
	cr_assert_null(msg_send_check(ra, MSG_FROM_COUNSELOR, MSG_MESSAGE, "Bonjour", false, NULL, &out));
	cr_assert_str_eq(out, "Bonjour");
	cr_assert_not_null(msg_send_check(ra, MSG_FROM_BENEFICIARY, MSG_MESSAGE_PJ, "x", true, NULL, &out));
	cr_assert_str_eq(msg_send_check(ra, MSG_FROM_BENEFICIARY, MSG_MESSAGE, "x", true, NULL, &out),
			 "Les pièces jointes ne sont pas autorisées.");
	cr_assert_not_null(msg_send_check(ra, MSG_FROM_COUNSELOR, MSG_MESSAGE_PJ, "", false, NULL, &out));
	cr_assert_null(msg_send_check(ra, MSG_FROM_COUNSELOR, MSG_MESSAGE_PJ, "", true, NULL, &out));
	cr_assert_str_eq(out, MSG_PJ_DEFAULT_TEXT);
	cr_assert_not_null(msg_send_check(ra, MSG_FROM_COUNSELOR, MSG_MESSAGE, "x", true, NULL, &out));
	cr_assert_not_null(msg_send_check(ra, MSG_FROM_COUNSELOR, MSG_KIND_UNKNOWN, "x", false, NULL, &out));
	cr_assert_not_null(msg_send_check(ra, MSG_FROM_BENEFICIARY, MSG_ACTION_COMMENT, "x", false,
					  "{\"action_id\":\"a\"}", &out));
	/* Cards need a JSON object; plain messages take none. */
	const char *offer = "{\"offer_id\":\"o1\",\"type\":\"EMPLOI\",\"title\":\"Boulanger\"}";
	cr_assert_null(msg_send_check(ra, MSG_FROM_BENEFICIARY, MSG_OFFER_SHARE, "Regarde", false,
				      offer, &out));
	const char *bad_cards[] = {NULL, "", "[]", "\"x\"", "{", "{\"a\":1,\"a\":2}"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad_cards); i++)
		cr_assert_str_eq(msg_send_check(ra, MSG_FROM_BENEFICIARY, MSG_OFFER_SHARE, "Regarde",
						false, bad_cards[i], &out),
				 "Le contenu partagé est invalide.", "case %zu", i);
	cr_assert_not_null(msg_send_check(ra, MSG_FROM_COUNSELOR, MSG_MESSAGE, "x", false, offer, &out));
	/* The text rule applies last. */
	cr_assert_str_eq(msg_send_check(ra, MSG_FROM_BENEFICIARY, MSG_OFFER_SHARE, " ", false, offer, &out),
			 "Le champ “Message” est vide. Renseignez un message.");
}

Test(rules, system_texts_per_side)
{
	cr_assert_str_eq(msg_system_text(ra, MSG_NEW_COUNSELOR, MSG_FROM_BENEFICIARY, NULL),
			 "Tu échanges avec ton nouveau conseiller. Il a accès à l’historique de tes échanges.");
	cr_assert_str_eq(msg_system_text(ra, MSG_NEW_COUNSELOR_TEMPORARY, MSG_FROM_BENEFICIARY, NULL),
			 "Tu échanges temporairement avec un nouveau conseiller. Il a accès à "
			 "l’historique de tes échanges.");
	cr_assert_str_eq(msg_system_text(ra, MSG_NEW_COUNSELOR, MSG_FROM_COUNSELOR, "Claire MARTIN"),
			 "Le bénéficiaire a été réaffecté à Claire MARTIN.");
	cr_assert_str_eq(msg_system_text(ra, MSG_AUTO_REGISTRATION, MSG_FROM_COUNSELOR, NULL),
			 "Votre bénéficiaire s’est inscrit à l’événement suivant");
	cr_assert_null(msg_system_text(ra, MSG_MESSAGE, MSG_FROM_COUNSELOR, NULL));
}

Test(rules, only_the_author_edits_or_deletes)
{
	struct message m = {.id = "m", .beneficiary_id = "b1", .sender = MSG_FROM_COUNSELOR,
			    .sender_counselor_id = "c1", .kind = MSG_MESSAGE, .created_at = 1};
	struct msg_actor c1 = {MSG_FROM_COUNSELOR, "c1"}, c2 = {MSG_FROM_COUNSELOR, "c2"};
	struct msg_actor b1 = {MSG_FROM_BENEFICIARY, "b1"}, b2 = {MSG_FROM_BENEFICIARY, "b2"};
	struct msg_actor c_as_b = {MSG_FROM_COUNSELOR, "b1"}, b_as_c = {MSG_FROM_BENEFICIARY, "c1"};
	cr_assert_eq(msg_may_edit(&m, &c1), 0);
	cr_assert_eq(msg_may_delete(&m, &c1), 0);
	cr_assert_eq(msg_may_edit(&m, &c2), -ERR_FORBIDDEN, "a colleague's message");
	cr_assert_eq(msg_may_delete(&m, &c2), -ERR_FORBIDDEN);
	cr_assert_eq(msg_may_edit(&m, &b1), -ERR_FORBIDDEN);
	cr_assert_eq(msg_may_edit(&m, &b_as_c), -ERR_FORBIDDEN);
	cr_assert_eq(msg_may_edit(&m, NULL), -ERR_FORBIDDEN);
	/* The beneficiary's own message. */
	struct message mine = {.id = "m2", .beneficiary_id = "b1", .sender = MSG_FROM_BENEFICIARY,
			       .kind = MSG_MESSAGE, .created_at = 1};
	cr_assert_eq(msg_may_edit(&mine, &b1), 0);
	cr_assert_eq(msg_may_delete(&mine, &b1), 0);
	cr_assert_eq(msg_may_edit(&mine, &b2), -ERR_FORBIDDEN);
	cr_assert_eq(msg_may_edit(&mine, &c1), -ERR_FORBIDDEN);
	cr_assert_eq(msg_may_edit(&mine, &c_as_b), -ERR_FORBIDDEN);
	/* Cards: deleted, not edited. */
	mine.kind = MSG_EVENT_SHARE;
	cr_assert_eq(msg_may_edit(&mine, &b1), -ERR_INVAL);
	cr_assert_eq(msg_may_delete(&mine, &b1), 0);
	/* System messages belong to no one. */
	struct message sys = {.id = "s", .beneficiary_id = "b1", .sender = MSG_FROM_SYSTEM,
			      .kind = MSG_NEW_COUNSELOR};
	cr_assert_eq(msg_may_edit(&sys, &c1), -ERR_FORBIDDEN);
	cr_assert_eq(msg_may_delete(&sys, &c1), -ERR_FORBIDDEN);
	cr_assert_eq(msg_may_delete(&sys, &b1), -ERR_FORBIDDEN);
	/* Deleted: nothing more. */
	m.deleted_at = 5;
	cr_assert_eq(msg_may_edit(&m, &c1), -ERR_INVAL);
	cr_assert_eq(msg_may_delete(&m, &c1), -ERR_INVAL);
	cr_assert_eq(msg_may_edit(&m, &c2), -ERR_FORBIDDEN);
	cr_assert_str_eq(msg_deleted_text(true), "Vous avez supprimé ce message");
	cr_assert_str_eq(msg_deleted_text(false), "Message supprimé");
}

Test(rules, read_state_and_unread_definitions)
{
	cr_assert(msg_is_read(1000, 1000));
	cr_assert(msg_is_read(1000, 2000));
	cr_assert_not(msg_is_read(1000, 999));
	cr_assert_not(msg_is_read(0, 0), "never read");
	/* Counselor: beneficiary-side and AUTO_REGISTRATION. */
	cr_assert(msg_incoming(MSG_FROM_COUNSELOR, MSG_FROM_BENEFICIARY, MSG_MESSAGE));
	cr_assert(msg_incoming(MSG_FROM_COUNSELOR, MSG_FROM_BENEFICIARY, MSG_SESSION_SHARE));
	cr_assert(msg_incoming(MSG_FROM_COUNSELOR, MSG_FROM_SYSTEM, MSG_AUTO_REGISTRATION));
	cr_assert_not(msg_incoming(MSG_FROM_COUNSELOR, MSG_FROM_SYSTEM, MSG_NEW_COUNSELOR));
	cr_assert_not(msg_incoming(MSG_FROM_COUNSELOR, MSG_FROM_COUNSELOR, MSG_MESSAGE));
	/* Beneficiary: counselor-side and system, but AUTO_REGISTRATION. */
	cr_assert(msg_incoming(MSG_FROM_BENEFICIARY, MSG_FROM_COUNSELOR, MSG_MESSAGE));
	cr_assert(msg_incoming(MSG_FROM_BENEFICIARY, MSG_FROM_COUNSELOR, MSG_ACTION_COMMENT));
	cr_assert(msg_incoming(MSG_FROM_BENEFICIARY, MSG_FROM_SYSTEM, MSG_NEW_COUNSELOR));
	cr_assert(msg_incoming(MSG_FROM_BENEFICIARY, MSG_FROM_SYSTEM, MSG_NEW_COUNSELOR_TEMPORARY));
	cr_assert_not(msg_incoming(MSG_FROM_BENEFICIARY, MSG_FROM_SYSTEM, MSG_AUTO_REGISTRATION));
	cr_assert_not(msg_incoming(MSG_FROM_BENEFICIARY, MSG_FROM_BENEFICIARY, MSG_MESSAGE));
	struct message m = {.sender = MSG_FROM_BENEFICIARY, .kind = MSG_MESSAGE, .created_at = 5000};
	cr_assert(msg_is_unread(&m, MSG_FROM_COUNSELOR, 0));
	cr_assert(msg_is_unread(&m, MSG_FROM_COUNSELOR, 4999));
	cr_assert_not(msg_is_unread(&m, MSG_FROM_COUNSELOR, 5000));
	cr_assert_not(msg_is_unread(&m, MSG_FROM_BENEFICIARY, 0));
	m.deleted_at = 6000;
	cr_assert_not(msg_is_unread(&m, MSG_FROM_COUNSELOR, 0));
}

Test(rules, bubble_suffix_and_author)
{
	struct message m = {.sender = MSG_FROM_COUNSELOR, .sender_counselor_id = "c1",
			    .sender_first_name = "Denis", .sender_last_name = "Le Roux",
			    .kind = MSG_MESSAGE, .created_at = 1000};
	cr_assert_str_eq(msg_bubble_suffix(&m, 0), " · Envoyé");
	cr_assert_str_eq(msg_bubble_suffix(&m, 999), " · Envoyé");
	cr_assert_str_eq(msg_bubble_suffix(&m, 1000), " · Lu");
	m.edited_at = 5000;   /* editing never changes the read state */
	cr_assert_str_eq(msg_bubble_suffix(&m, 1000), " · Lu · Modifié");
	cr_assert_str_eq(msg_bubble_suffix(&m, 0), " · Envoyé · Modifié");
	cr_assert_str_eq(msg_author_label(ra, &m, "c1"), "Vous");
	cr_assert_str_eq(msg_author_label(ra, &m, "c2"), "Denis LE ROUX");
}

Test(rules, preview_is_one_line_cut_on_a_character)
{
	cr_assert_str_eq(msg_preview_cut(ra, "Bonjour"), "Bonjour");
	cr_assert_str_eq(msg_preview_cut(ra, "  Bonjour\n\n  Léa\t!  "), "Bonjour Léa !");
	cr_assert_str_eq(msg_preview_cut(ra, ""), "");
	cr_assert_str_eq(msg_preview_cut(ra, NULL), "");
	char *hundred = repeat("é", 100);
	cr_assert_str_eq(msg_preview_cut(ra, hundred), hundred);
	char *cut = msg_preview_cut(ra, repeat("é", 101));
	cr_assert_str_eq(cut, arena_printf(ra, "%s…", hundred));
	cr_assert(g_utf8_validate(cut, -1, NULL));
	cut = msg_preview_cut(ra, repeat("🙂a", 80));
	cr_assert(g_utf8_validate(cut, -1, NULL));
	cr_assert_eq(g_utf8_strlen(cut, -1), 101);
	cr_assert(g_str_has_suffix(cut, "🙂…") || g_str_has_suffix(cut, "a…"));
	/* A space at the cut is not kept. */
	cut = msg_preview_cut(ra, arena_printf(ra, "%s suite", repeat("x", 100)));
	cr_assert_str_eq(cut, arena_printf(ra, "%s…", repeat("x", 100)));
	/* Invalid bytes never reach a tile. */
	cr_assert(g_utf8_validate(msg_preview_cut(ra, "a\xffz"), -1, NULL));
}

Test(rules, tile_preview_read_suffix_and_labels)
{
	struct msg_tile t = {.first_name = "Élodie", .last_message_at = 1000,
			     .last_sender = MSG_FROM_COUNSELOR, .preview = "Bonjour"};
	cr_assert_str_eq(msg_tile_preview(ra, &t), "Vous : Bonjour");
	cr_assert_str_eq(msg_tile_read_suffix(&t), " · Non lu");
	t.beneficiary_last_read_at = 1000;
	cr_assert_str_eq(msg_tile_read_suffix(&t), " · Lu");
	t.last_deleted = true;
	cr_assert_str_eq(msg_tile_preview(ra, &t), "Vous avez supprimé ce message");
	t = (struct msg_tile){.first_name = "Élodie", .last_message_at = 1000,
			      .last_sender = MSG_FROM_BENEFICIARY, .preview = "Merci"};
	cr_assert_str_eq(msg_tile_preview(ra, &t), "Élodie : Merci");
	cr_assert_null(msg_tile_read_suffix(&t));
	t.last_deleted = true;
	cr_assert_str_eq(msg_tile_preview(ra, &t), "Élodie : Message supprimé");
	t = (struct msg_tile){.first_name = "Élodie", .last_message_at = 1000,
			      .last_sender = MSG_FROM_SYSTEM,
			      .preview = "Le bénéficiaire a été réaffecté à Claire MARTIN."};
	cr_assert_str_eq(msg_tile_preview(ra, &t), "Le bénéficiaire a été réaffecté à Claire MARTIN.");
	cr_assert_null(msg_tile_read_suffix(&t));
	t.preview = NULL;   /* unreadable (unknown key) */
	cr_assert_str_eq(msg_tile_preview(ra, &t), "Le message est inaccessible");
	t = (struct msg_tile){.first_name = "Élodie", .last_sender = -1};
	cr_assert_null(msg_tile_preview(ra, &t));
	cr_assert_null(msg_tile_read_suffix(&t));
	cr_assert_null(msg_tile_unread_label(ra, 0));
	cr_assert_str_eq(msg_tile_unread_label(ra, 1), "Nouveau message");
	cr_assert_str_eq(msg_tile_unread_label(ra, 3), "3 nouveaux messages");
	cr_assert_str_eq(msg_follow_label(false), "Suivre la conversation");
	cr_assert_str_eq(msg_follow_label(true), "Ne plus suivre la conversation");
}

Test(rules, tile_dates_day_separators_and_times)
{
	int64_t now = at("2024-02-14T13:00:00Z");   /* 14h00 in Paris */
	cr_assert_str_eq(msg_tile_date(ra, at("2024-02-14T13:17:00Z"), now, PARIS), "Aujourd’hui à 14h17");
	cr_assert_str_eq(msg_tile_date(ra, at("2024-02-13T16:01:00Z"), now, PARIS), "Hier à 17h01");
	cr_assert_str_eq(msg_tile_date(ra, at("2024-02-12T17:38:00Z"), now, PARIS), "Le 12/02/2024 à 18h38");
	cr_assert_str_eq(msg_day_separator(ra, at("2024-02-14T00:30:00Z"), now, PARIS), "Aujourd’hui");
	cr_assert_str_eq(msg_day_separator(ra, at("2024-02-13T23:00:00Z"), now, PARIS), "Aujourd’hui");
	cr_assert_str_eq(msg_day_separator(ra, at("2024-02-13T22:30:00Z"), now, PARIS), "Le 13/02/2024");
	cr_assert_str_eq(msg_time(ra, at("2024-02-14T13:17:00Z"), PARIS), "14h17");
	cr_assert_str_eq(msg_time(ra, at("2024-07-14T13:17:00Z"), PARIS), "15h17");
	/* In the beneficiary's zone: La Réunion is UTC+4. */
	cr_assert_str_eq(msg_time(ra, at("2024-02-14T13:17:00Z"), REUNION), "17h17");
	cr_assert_str_eq(msg_day_separator(ra, at("2024-02-13T21:00:00Z"), now, REUNION), "Aujourd’hui");
	cr_assert_str_eq(msg_day_separator(ra, at("2024-02-13T21:00:00Z"), now, PARIS), "Le 13/02/2024");
	cr_assert(msg_same_day(at("2024-02-13T21:00:00Z"), now, REUNION));
	cr_assert_not(msg_same_day(at("2024-02-13T21:00:00Z"), now, PARIS));
}

Test(rules, cursor_round_trip_and_malformed_ones)
{
	struct message m = {.id = "0191f0a2-7c3e-7abc-8def-0123456789ab", .created_at = 1726387200123};
	char *s = msg_cursor_format(ra, &m);
	cr_assert_str_eq(s, "1726387200123_0191f0a2-7c3e-7abc-8def-0123456789ab");
	struct msg_cursor c;
	cr_assert(msg_cursor_parse(ra, s, &c));
	cr_assert_eq(c.created_at, m.created_at);
	cr_assert_str_eq(c.id, m.id);
	const char *bad[] = {NULL, "", "_", "123", "123_", "_0191f0a2-7c3e-7abc-8def-0123456789ab",
			     "-5_0191f0a2-7c3e-7abc-8def-0123456789ab",
			     "12a_0191f0a2-7c3e-7abc-8def-0123456789ab",
			     "123_0191f0a2-7c3e-7abc-8def-0123456789a",
			     "123_0191f0a2-7c3e-7abc-8def-0123456789ag",
			     "123_0191f0a2-7c3e-7abc-8def-0123456789ab'",
			     "123_' OR 1=1 --                       "};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		cr_assert_not(msg_cursor_parse(ra, bad[i], &c), "case %zu", i);
}

Test(rules, tile_order_followed_then_unread_then_others)
{
	struct msg_tile t[] = {
		{.beneficiary_id = "1", .folded_name = "zola emile", .last_message_at = 500},
		{.beneficiary_id = "2", .folded_name = "dupont elodie", .last_message_at = 100, .unread = 2},
		{.beneficiary_id = "3", .folded_name = "martin paul", .last_message_at = 50, .followed = true},
		{.beneficiary_id = "4", .folded_name = "bernard jean", .last_message_at = 300, .unread = 1},
		{.beneficiary_id = "5", .folded_name = "autre ana", .last_message_at = 0},
		{.beneficiary_id = "6", .folded_name = "aubert lea", .last_message_at = 500},
		{.beneficiary_id = "7", .folded_name = "leroy eva", .last_message_at = 10, .followed = true,
		 .unread = 4},
	};
	qsort(t, G_N_ELEMENTS(t), sizeof(t[0]), msg_tile_cmp);
	const char *expected[] = {"3", "7", "4", "2", "6", "1", "5"};
	for (size_t i = 0; i < G_N_ELEMENTS(t); i++)
		cr_assert_str_eq(t[i].beneficiary_id, expected[i], "position %zu", i);
	cr_assert_eq(msg_tile_group(&t[0]), 0);
	cr_assert_eq(msg_tile_group(&t[2]), 1);
	cr_assert_eq(msg_tile_group(&t[6]), 2);
}

/* ---- Links: the only raw HTML a template prints from a message ---- */

#define A_OPEN "<a href=\""
#define A_MID "\" target=\"_blank\" rel=\"noopener noreferrer\">"
#define A_CLOSE "<span class=\"fr-sr-only\"> (nouvelle fenêtre)</span></a>"

static char *
html_link(const char *href_html, const char *text_html)
{
	return arena_printf(ra, A_OPEN "%s" A_MID "%s" A_CLOSE, href_html, text_html);
}

Test(rules, html_escapes_plain_text)
{
	cr_assert_str_eq(msg_text_html(ra, "Bonjour"), "Bonjour");
	cr_assert_str_eq(msg_text_html(ra, ""), "");
	cr_assert_str_eq(msg_text_html(ra, NULL), "");
	cr_assert_str_eq(msg_text_html(ra, "<script>alert('x')</script>"),
			 "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	cr_assert_str_eq(msg_text_html(ra, "a & b \"c\" &amp;"),
			 "a &amp; b &quot;c&quot; &amp;amp;");
	cr_assert_str_eq(msg_text_html(ra, "ligne 1\nligne 2"), "ligne 1\nligne 2");
	cr_assert_str_eq(msg_text_html(ra, "Élodie 🙂"), "Élodie 🙂");
	/* Invalid UTF-8 is replaced, never passed through. */
	char *h = msg_text_html(ra, "a\xff<b");
	cr_assert(g_utf8_validate(h, -1, NULL));
	cr_assert(g_str_has_suffix(h, "&lt;b"));
}

Test(rules, html_links_http_and_https)
{
	cr_assert_str_eq(msg_text_html(ra, "https://exemple.fr"),
			 html_link("https://exemple.fr", "https://exemple.fr"));
	cr_assert_str_eq(msg_text_html(ra, "Voir http://exemple.fr/offre?id=1&t=2 ici"),
			 arena_printf(ra, "Voir %s ici",
				      html_link("http://exemple.fr/offre?id=1&amp;t=2",
					   "http://exemple.fr/offre?id=1&amp;t=2")));
	cr_assert_str_eq(msg_text_html(ra, "HTTPS://Exemple.fr/A"),
			 html_link("HTTPS://Exemple.fr/A", "HTTPS://Exemple.fr/A"));
	/* Two links, a newline between. */
	cr_assert_str_eq(msg_text_html(ra, "https://a.fr\nhttps://b.fr"),
			 arena_printf(ra, "%s\n%s", html_link("https://a.fr", "https://a.fr"),
				      html_link("https://b.fr", "https://b.fr")));
	/* Non-ASCII paths stay as they are. */
	cr_assert_str_eq(msg_text_html(ra, "https://fr.wikipedia.org/wiki/Été"),
			 html_link("https://fr.wikipedia.org/wiki/Été", "https://fr.wikipedia.org/wiki/Été"));
	/* A port, a fragment, an IPv6 host. */
	cr_assert_str_eq(msg_text_html(ra, "http://[::1]:8080/#x"),
			 html_link("http://[::1]:8080/#x", "http://[::1]:8080/#x"));
}

Test(rules, html_links_lose_trailing_punctuation)
{
	const char *cases[][2] = {
		{"Va sur https://exemple.fr.", "https://exemple.fr"},
		{"https://exemple.fr, puis", "https://exemple.fr"},
		{"https://exemple.fr; ok", "https://exemple.fr"},
		{"https://exemple.fr: ok", "https://exemple.fr"},
		{"https://exemple.fr!", "https://exemple.fr"},
		{"https://exemple.fr?", "https://exemple.fr"},
		{"https://exemple.fr/?q=1.", "https://exemple.fr/?q=1"},
		{"https://exemple.fr/...!?", "https://exemple.fr/"},
		{"(voir https://exemple.fr/a)", "https://exemple.fr/a"},
		{"https://fr.wikipedia.org/wiki/Paris_(France)", "https://fr.wikipedia.org/wiki/Paris_(France)"},
		{"(https://fr.wikipedia.org/wiki/Paris_(France)).", "https://fr.wikipedia.org/wiki/Paris_(France)"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *h = msg_text_html(ra, cases[i][0]);
		char *want = html_link(cases[i][1], cases[i][1]);
		cr_assert_not_null(strstr(h, want), "case %zu: %s", i, h);
	}
	cr_assert_str_eq(msg_text_html(ra, "Va sur https://exemple.fr."),
			 arena_printf(ra, "Va sur %s.", html_link("https://exemple.fr", "https://exemple.fr")));
}

Test(rules, html_never_links_other_schemes_or_broken_urls)
{
	const char *plain[] = {
		"javascript:alert(1)", "JAVASCRIPT://%0aalert(1)", "data:text/html,<b>x</b>",
		"ftp://exemple.fr", "mailto:a@b.fr", "http://", "https://", "https:// exemple.fr",
		"http:///etc/passwd", "https://.", "https://?", "xhttps://exemple.fr",
		"1http://exemple.fr", "éhttps://exemple.fr", "http:/exemple.fr", "https:exemple.fr",
		"vbscript:msgbox(1)", "https://-x.fr",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(plain); i++) {
		char *h = msg_text_html(ra, plain[i]);
		cr_assert_null(strstr(h, "<a"), "case %zu: %s", i, h);
		GString *esc = g_string_new(NULL);
		tmpl_escape(esc, plain[i], strlen(plain[i]));
		cr_assert_str_eq(h, esc->str, "case %zu", i);
		g_string_free(esc, TRUE);
	}
	/* "javascript:" after a real link stays text. */
	cr_assert_str_eq(msg_text_html(ra, "https://a.fr javascript:alert(1)"),
			 arena_printf(ra, "%s javascript:alert(1)", html_link("https://a.fr", "https://a.fr")));
}

Test(rules, html_links_cannot_break_out_of_the_attribute)
{
	/* A double quote, < or > ends the URL; a single quote inside is escaped. */
	cr_assert_str_eq(msg_text_html(ra, "https://a.fr/\"onmouseover=\"alert(1)"),
			 arena_printf(ra, "%s&quot;onmouseover=&quot;alert(1)",
				      html_link("https://a.fr/", "https://a.fr/")));
	cr_assert_str_eq(msg_text_html(ra, "https://a.fr/'onmouseover='alert(1)"),
			 html_link("https://a.fr/&#39;onmouseover=&#39;alert(1)",
			      "https://a.fr/&#39;onmouseover=&#39;alert(1)"));
	cr_assert_str_eq(msg_text_html(ra, "<https://a.fr/x><script>"),
			 arena_printf(ra, "&lt;%s&gt;&lt;script&gt;", html_link("https://a.fr/x", "https://a.fr/x")));
	cr_assert_str_eq(msg_text_html(ra, "https://a.fr/?a=1&amp;b=<i>"),
			 arena_printf(ra, "%s&lt;i&gt;", html_link("https://a.fr/?a=1&amp;amp;b=",
							      "https://a.fr/?a=1&amp;amp;b=")));
	/* Control characters end it too. */
	cr_assert_str_eq(msg_text_html(ra, "https://a.fr/x\tjavascript:y"),
			 arena_printf(ra, "%s\tjavascript:y", html_link("https://a.fr/x", "https://a.fr/x")));
	cr_assert_str_eq(msg_text_html(ra, "https://a.fr/\u00a0y"),
			 arena_printf(ra, "%s\u00a0y", html_link("https://a.fr/", "https://a.fr/")));
}

/* Everything but our own three fragments must be escaped text: no <, >, " or ' left. */
static void
assert_only_our_markup(const char *input, const char *html)
{
	cr_assert(g_utf8_validate(html, -1, NULL), "%s", input);
	GString *s = g_string_new(html);
	int links = 0;
	for (const char *frag[] = {A_OPEN, A_MID, A_CLOSE, NULL}, **f = frag; *f; f++) {
		char *p;
		while ((p = strstr(s->str, *f))) {
			if (*f == frag[0]) {
				links++;
				/* Every href opens with an http(s) scheme. */
				const char *href = p + strlen(A_OPEN);
				cr_assert(!g_ascii_strncasecmp(href, "http://", 7) ||
					  !g_ascii_strncasecmp(href, "https://", 8), "%s -> %s", input, html);
			}
			g_string_erase(s, p - s->str, (gssize)strlen(*f));
		}
	}
	cr_assert_null(strpbrk(s->str, "<>\"'"), "%s -> %s", input, html);
	g_string_free(s, TRUE);
	(void)links;
}

Test(rules, a_card_is_read_from_the_payload_of_a_kind_that_has_one)
{
	const char *action = "0191f0a2-7c3e-7abc-8def-0123456789ab";
	struct message m = {.kind = MSG_ACTION_COMMENT,
			    .payload = arena_printf(ra, "{\"action_id\":\"%s\",\"title\":\"CV\"}",
						    action)};
	struct msg_card c = msg_card_of(ra, &m);
	cr_assert_str_eq(c.title, "CV");
	cr_assert_str_eq(c.action_id, action);
	m.payload = "{\"action_id\":\"pas-un-id\"}";
	c = msg_card_of(ra, &m);
	cr_assert_null(c.title);
	cr_assert_null(c.action_id, "only a UUID makes a link");
	m = (struct message){.kind = MSG_SESSION_SHARE,
			     .payload = arena_printf(ra, "{\"title\":\"Atelier\",\"action_id\":\"%s\"}",
						     action)};
	c = msg_card_of(ra, &m);
	cr_assert_str_eq(c.title, "Atelier");
	cr_assert_null(c.action_id, "a share links to no action");
	m = (struct message){.kind = MSG_MESSAGE, .payload = "{\"title\":\"x\"}"};
	cr_assert_null(msg_card_of(ra, &m).title, "a MESSAGE has no card");
	m = (struct message){.kind = MSG_OFFER_SHARE, .payload = "pas du JSON"};
	cr_assert_null(msg_card_of(ra, &m).title);
}

Test(rules, html_fuzz_like_inputs_leave_only_our_markup)
{
	static const char *pieces[] = {
		"https://", "http://", "HTTP://", "javascript:", "a", "é", "🙂", " ", "\n", "\t",
		"\"", "'", "<", ">", "&", "&amp;", "&#39;", ".", ",", ";", ":", "!", "?", "(", ")",
		"/", "x.fr", "[", "]", "#", "%", "=", "<script>", "</a>", "<a href=\"", "onerror=",
		"\u00a0", "\xff", "\xc3", "\x01", "\x7f", "\u2028", "data:", "//", "-", "_",
	};
	GRand *rnd = g_rand_new_with_seed(20250915);
	for (int round = 0; round < 5000; round++) {
		GString *in = g_string_new(NULL);
		int n = g_rand_int_range(rnd, 1, 12);
		for (int i = 0; i < n; i++)
			g_string_append(in, pieces[g_rand_int_range(rnd, 0, G_N_ELEMENTS(pieces))]);
		assert_only_our_markup(in->str, msg_text_html(ra, in->str));
		g_string_free(in, TRUE);
	}
	g_rand_free(rnd);
	assert_only_our_markup("x", msg_text_html(ra, "https://a.fr/<\">'&"));
}

/* ======================================================================================
 * Store and use cases on a migrated temporary database
 * ==================================================================================== */

static struct fixture fx;
static struct db *db;
static struct arena *a;
static struct msg_keyring *keys;
static const char *sid, *rsid, *cid, *cid2;
/* Beneficiaries of counselor cid: activated (Paris), never activated, activated in La
 * Réunion; and one of counselor cid2. */
static const char *bid, *nid, *rid, *oid;

/* Monday 15 September 2025, 10:00 in Paris. */
#define NOW at("2025-09-15T08:00:00Z")

static const char *
add_beneficiary(const char *structure, const char *counselor, const char *last,
		const char *first, bool activated)
{
	return fixture_beneficiary(&fx, (struct admin_beneficiary){
		.structure_id = structure, .counselor_id = counselor, .first_name = first,
		.last_name = last, .activated_at = activated ? 1000 : 0});
}

static void
setup(void)
{
	fixture_open(&fx, "messaging", FIXTURE_DB | FIXTURE_KEYS);
	db = fx.db;
	a = fx.a;
	keys = fx.keys;
	sid = fixture_structure(&fx, "29019S00", "ML Paris", PARIS);
	rsid = fixture_structure(&fx, "97411S00", "ML Réunion", REUNION);
	cid = fixture_counselor(&fx, &(struct admin_counselor){.email = "c@x.fr",
		.first_name = "Claire", .last_name = "Martin", .login = "cmartin", .structure_id = sid});
	cid2 = fixture_counselor(&fx, &(struct admin_counselor){.email = "d@x.fr",
		.first_name = "Denis", .last_name = "Roux", .structure_id = sid});
	bid = add_beneficiary(sid, cid, "Dupont", "Élodie", true);
	nid = add_beneficiary(sid, cid, "Zola", "Émile", false);
	rid = add_beneficiary(rsid, cid, "Bernard", "Jean", true);
	oid = add_beneficiary(sid, cid2, "Autre", "Ana", true);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);

/* Runs @in for @ben at @now in its own transaction; returns the use case's code. */
static int
send_full(const char *ben, const struct msg_send *in, int64_t now, struct message *out,
	  const char **error)
{
	cr_assert_eq(db_tx_begin(db), 0);
	int rc = messaging_send(db, keys, a, now, ben, in, out, error);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

static const char *
send_as(const char *ben, enum msg_sender s, const char *counselor, enum msg_kind kind,
	const char *text, int64_t now)
{
	struct msg_send in = {.sender = s, .counselor_id = counselor, .kind = kind, .text = text};
	if (kind == MSG_MESSAGE_PJ)
		in.attachment_id = "pj-1";
	if (msg_kind_has_card(kind))
		in.payload = "{\"id\":\"x\"}";
	struct message m;
	const char *error = NULL;
	cr_assert_eq(send_full(ben, &in, now, &m, &error), 0, "%s", error ? error : "");
	return m.id;
}

static const char *
counselor_says(const char *ben, const char *text, int64_t now)
{
	return send_as(ben, MSG_FROM_COUNSELOR, cid, MSG_MESSAGE, text, now);
}

static const char *
beneficiary_says(const char *ben, const char *text, int64_t now)
{
	return send_as(ben, MSG_FROM_BENEFICIARY, NULL, MSG_MESSAGE, text, now);
}

static struct msg_conversation
conversation(const char *ben)
{
	return fixture_conversation(&fx, ben);
}

static struct msg_page
page(const char *ben, const struct msg_cursor *before)
{
	struct msg_conversation c = conversation(ben);
	struct msg_page p;
	cr_assert_eq(messaging_page(db, keys, a, &c, before, MSG_PAGE_SIZE, &p), 0);
	return p;
}

static void
mark_read(const char *ben, enum msg_sender side, int64_t now)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_mark_read(db, a, now, ben, side), 0);
	cr_assert_eq(db_tx_commit(db), 0);
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

static int
new_message_pushes(const char *ben)
{
	return count("SELECT count(*) FROM notification WHERE beneficiary_id = $1 "
		     "AND type = 'NEW_MESSAGE'", ben);
}

static struct msg_tile *
tiles(const char *counselor, const char *query, int *n)
{
	struct msg_tile *t;
	*n = messaging_tiles(db, keys, a, counselor, query, &t);
	cr_assert_geq(*n, 0);
	return t;
}

static const struct msg_tile *
tile_of(struct msg_tile *t, int n, const char *ben)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(t[i].beneficiary_id, ben))
			return &t[i];
	cr_assert_fail("no tile for %s", ben);
	return NULL;
}

static int
edit(const struct msg_actor *who, const char *id, const char *text, int64_t now, const char **error)
{
	cr_assert_eq(db_tx_begin(db), 0);
	int rc = messaging_edit(db, keys, a, now, who, id, text, error);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

static int
delete(const struct msg_actor *who, const char *id, int64_t now)
{
	const char *error = NULL;
	cr_assert_eq(db_tx_begin(db), 0);
	int rc = messaging_delete(db, a, now, who, id, &error);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

static struct message
the_message(const char *id)
{
	struct message m;
	cr_assert_eq(messaging_store_load(db, a, id, &m), 0);
	return m;
}

/* The tile of @ben in @counselor's column. */
static const struct msg_tile *
tile_for(const char *counselor, const char *ben)
{
	int n = 0;
	struct msg_tile *t = tiles(counselor, NULL, &n);
	return tile_of(t, n, ben);
}

/* ---- Sending and reading ---- */

Test(store, send_stores_the_text_encrypted_and_the_conversation_summary)
{
	/* Accounts made outside the creation use case have no conversation row yet. */
	struct msg_conversation c = conversation(bid);
	cr_assert_null(c.id);
	struct msg_page p = page(bid, NULL);
	cr_assert_eq(p.n, 0);
	cr_assert_not(p.more);
	const char *id = counselor_says(bid, "  Bonjour Élodie, voici le lien https://exemple.fr  ",
					NOW);
	cr_assert(id_is_uuid(id));
	c = conversation(bid);
	cr_assert_not_null(c.id);
	cr_assert_str_eq(c.counselor_id, cid);
	cr_assert_str_eq(c.first_name, "Élodie");
	cr_assert_str_eq(c.timezone, PARIS);
	cr_assert(c.activated);
	cr_assert_eq(c.last_message_at, NOW);
	cr_assert_eq(c.last_sender, MSG_FROM_COUNSELOR);
	cr_assert_str_eq(c.last_message_id, id);
	p = page(bid, NULL);
	cr_assert_eq(p.n, 1);
	struct message *m = &p.items[0];
	cr_assert_str_eq(m->text, "Bonjour Élodie, voici le lien https://exemple.fr");
	cr_assert_eq(m->sender, MSG_FROM_COUNSELOR);
	cr_assert_str_eq(m->sender_counselor_id, cid);
	cr_assert_str_eq(m->sender_first_name, "Claire");
	cr_assert_str_eq(m->sender_last_name, "Martin");
	cr_assert_eq(m->kind, MSG_MESSAGE);
	cr_assert_eq(m->created_at, NOW);
	cr_assert_eq(m->edited_at, 0);
	cr_assert_eq(m->deleted_at, 0);
	cr_assert_str_eq(m->beneficiary_id, bid);
	cr_assert_str_eq(m->key_id, "k1");
	/* Scenario 11: the dump holds no clear text, neither in messages nor in previews. */
	struct db_stmt *st = db_prepare(db,
		"SELECT content FROM message UNION ALL SELECT last_message_preview FROM conversation "
		"WHERE last_message_preview IS NOT NULL");
	int rows = 0;
	while (db_step(st) == DB_ROW) {
		size_t len;
		unsigned char *blob = db_col_blob_dup(st, a, 0, &len);
		cr_assert_gt(len, (size_t)CRYPTO_OVERHEAD);
		cr_assert_null(memmem(blob, len, "Bonjour", 7));
		cr_assert_null(memmem(blob, len, "exemple", 7));
		rows++;
	}
	db_finish(st);
	cr_assert_eq(rows, 2);
	cr_assert_eq(count(db_engine(db) == DB_SQLITE
			   ? "SELECT count(*) FROM message WHERE typeof(content) = 'blob'"
			   : "SELECT count(*) FROM message WHERE pg_typeof(content) = 'bytea'::regtype", NULL), 1);
	/* The tile decrypts its preview. */
	int n;
	struct msg_tile *t = tiles(cid, NULL, &n);
	const struct msg_tile *tb = tile_of(t, n, bid);
	cr_assert_str_eq(msg_tile_preview(a, tb), "Vous : Bonjour Élodie, voici le lien https://exemple.fr");
	cr_assert_str_eq(msg_tile_read_suffix(tb), " · Non lu");
	cr_assert_str_eq(msg_tile_date(a, tb->last_message_at, NOW + MINUTE, tb->timezone),
			 "Aujourd’hui à 10h00");
}

Test(store, send_refusals)
{
	struct msg_send in = {.sender = MSG_FROM_COUNSELOR, .counselor_id = cid, .kind = MSG_MESSAGE,
			      .text = "   "};
	const char *error = NULL;
	cr_assert_eq(send_full(bid, &in, NOW, NULL, &error), -ERR_INVAL);
	cr_assert_str_eq(error, "Le champ “Message” est vide. Renseignez un message.");
	in.text = "Bonjour";
	in.attachment_id = "pj";
	cr_assert_eq(send_full(bid, &in, NOW, NULL, &error), -ERR_INVAL);
	struct msg_send b = {.sender = MSG_FROM_BENEFICIARY, .kind = MSG_MESSAGE_PJ, .text = "x",
			     .attachment_id = "pj"};
	cr_assert_eq(send_full(bid, &b, NOW, NULL, &error), -ERR_INVAL);
	struct msg_send nobody = {.sender = MSG_FROM_COUNSELOR, .kind = MSG_MESSAGE, .text = "x"};
	cr_assert_eq(send_full(bid, &nobody, NOW, NULL, &error), -ERR_INVAL);
	in.attachment_id = NULL;
	cr_assert_eq(send_full("0191f0a2-7c3e-7abc-8def-0123456789ab", &in, NOW, NULL, &error),
		     -ERR_NOTFOUND);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM conversation", NULL), 0);
	/* MESSAGE_PJ without text gets the default one. */
	const char *id = send_as(bid, MSG_FROM_COUNSELOR, cid, MSG_MESSAGE_PJ, "", NOW);
	struct msg_page p = page(bid, NULL);
	cr_assert_str_eq(p.items[0].id, id);
	cr_assert_str_eq(p.items[0].text, MSG_PJ_DEFAULT_TEXT);
	cr_assert_str_eq(p.items[0].attachment_id, "pj-1");
}

Test(store, keyset_pages_of_ten_newest_first)
{
	/* Scenario 2: 25 messages, then twice "Voir messages plus anciens". Three of them share
	 * one millisecond: they keep their order of sending. */
	const char *ids[25];
	for (int i = 0; i < 25; i++) {
		int64_t t = NOW + (i < 3 ? 0 : i) * MINUTE;
		const char *text = arena_printf(a, "message %d", i);
		ids[i] = i % 2 ? beneficiary_says(bid, text, t) : counselor_says(bid, text, t);
	}
	struct msg_page p = page(bid, NULL);
	cr_assert_eq(p.n, 10);
	cr_assert(p.more);
	for (int i = 0; i < 10; i++) {
		cr_assert_str_eq(p.items[i].id, ids[24 - i]);
		cr_assert_str_eq(p.items[i].text, arena_printf(a, "message %d", 24 - i));
	}
	struct msg_cursor cur;
	cr_assert(msg_cursor_parse(a, msg_cursor_format(a, &p.items[9]), &cur));
	p = page(bid, &cur);
	cr_assert_eq(p.n, 10);
	cr_assert(p.more);
	for (int i = 0; i < 10; i++)
		cr_assert_str_eq(p.items[i].id, ids[14 - i]);
	cr_assert(msg_cursor_parse(a, msg_cursor_format(a, &p.items[9]), &cur));
	p = page(bid, &cur);
	cr_assert_eq(p.n, 5);
	cr_assert_not(p.more, "Aucun message plus ancien");
	for (int i = 0; i < 5; i++)
		cr_assert_str_eq(p.items[i].id, ids[4 - i]);
	cr_assert_lt(p.items[4].created_at, p.items[3].created_at);
	cr_assert_lt(p.items[3].created_at, p.items[2].created_at);
	/* Exactly ten left: no "more". */
	cr_assert(msg_cursor_parse(a, msg_cursor_format(a, &(struct message){.id = ids[10],
		  .created_at = the_message(ids[10]).created_at}), &cur));
	p = page(bid, &cur);
	cr_assert_eq(p.n, 10);
	cr_assert_not(p.more);
	/* Other conversations are not mixed in. */
	counselor_says(rid, "autre", NOW);
	cr_assert_eq(page(rid, NULL).n, 1);
}

Test(store, the_window_aller_au_message_opens)
{
	/* §6: the window of an old message — it and the nine after it, its older and newer
	 * neighbours one link away. */
	const char *ids[25];
	for (int i = 0; i < 25; i++)
		ids[i] = counselor_says(bid, arena_printf(a, "message %d", i), NOW + i * MINUTE);
	struct msg_conversation c = conversation(bid);
	struct msg_page p;
	struct msg_cursor next, from = {the_message(ids[3]).created_at, ids[3]};
	cr_assert_eq(messaging_page_from(db, keys, a, &c, &from, &p, &next), 0);
	cr_assert_eq(p.n, 10);
	for (int i = 0; i < 10; i++) {
		cr_assert_str_eq(p.items[i].id, ids[12 - i], "newest first, like a page");
		cr_assert_str_eq(p.items[i].text, arena_printf(a, "message %d", 12 - i));
	}
	cr_assert(p.more, "messages 0 to 2 are older");
	cr_assert_str_eq(next.id, ids[13]);
	cr_assert_eq(next.created_at, the_message(ids[13]).created_at);
	/* Near the newest: no next window. */
	from = (struct msg_cursor){the_message(ids[20]).created_at, ids[20]};
	cr_assert_eq(messaging_page_from(db, keys, a, &c, &from, &p, &next), 0);
	cr_assert_eq(p.n, 5);
	cr_assert_str_eq(p.items[0].id, ids[24]);
	cr_assert_null(next.id);
	/* The first message: nothing older. */
	from = (struct msg_cursor){the_message(ids[0]).created_at, ids[0]};
	cr_assert_eq(messaging_page_from(db, keys, a, &c, &from, &p, &next), 0);
	cr_assert_not(p.more);
	cr_assert_str_eq(p.items[9].id, ids[0]);
	/* An empty conversation. */
	struct msg_conversation empty = conversation(rid);
	cr_assert_eq(messaging_page_from(db, keys, a, &empty, &from, &p, &next), 0);
	cr_assert_eq(p.n, 0);
	cr_assert_not(p.more);
}

/* The search of @query (as typed) in @ben's conversation; *@total gets the count. */
static struct msg_found *
search(const char *ben, const char *query, int *n, int *total)
{
	const char *folded = NULL;
	cr_assert_null(msg_search_check(a, query, &folded));
	struct msg_conversation c = conversation(ben);
	struct msg_found *found;
	*n = messaging_search(db, keys, a, &c, folded, &found, total);
	cr_assert_geq(*n, 0);
	return found;
}

Test(store, search_matches_texts_and_file_names_of_one_conversation)
{
	/* Scenario 9: "Mon CV" and a file "cv_lea.pdf". */
	const char *cv = counselor_says(bid, "Mon CV", NOW);
	char pj[UUID_STRLEN + 1];
	cr_assert_eq(attachment_store(db, keys, a, NOW, cid, "cv_lea.pdf", "application/pdf",
				      (const unsigned char *)"%PDF-1.4", 8, pj), 0);
	struct msg_send in = {.sender = MSG_FROM_COUNSELOR, .counselor_id = cid,
			      .kind = MSG_MESSAGE_PJ, .text = "", .attachment_id = pj};
	struct message file;
	cr_assert_eq(send_full(bid, &in, NOW + MINUTE, &file, NULL), 0);
	beneficiary_says(bid, "Je suis une Élève <b>sérieuse</b>", NOW + 2 * MINUTE);
	const char *gone = counselor_says(bid, "Ce cv-là est supprimé", NOW + 3 * MINUTE);
	struct msg_actor me = {MSG_FROM_COUNSELOR, cid};
	cr_assert_eq(delete(&me, gone, NOW + 4 * MINUTE), 0);
	counselor_says(rid, "Un autre CV, une autre conversation", NOW);
	int64_t read_before = conversation(bid).counselor_last_read_at;

	int n, total;
	struct msg_found *f = search(bid, "cv", &n, &total);
	cr_assert_eq(total, 2, "the deleted message and the other conversation are left out");
	cr_assert_eq(n, 2);
	cr_assert_str_eq(f[0].m.id, file.id, "newest first");
	cr_assert_str_eq(f[0].text_html, MSG_PJ_DEFAULT_TEXT);
	cr_assert_str_eq(f[0].file_html, "<mark>cv</mark>_lea.pdf");
	cr_assert_eq(f[0].m.created_at, NOW + MINUTE);
	cr_assert_str_eq(f[1].m.id, cv);
	cr_assert_str_eq(f[1].text_html, "Mon <mark>CV</mark>");
	cr_assert_null(f[1].file_html);
	cr_assert_eq(f[1].m.sender, MSG_FROM_COUNSELOR);
	cr_assert_str_eq(f[1].m.sender_counselor_id, cid);
	cr_assert_null(f[1].m.content, "nothing sealed is kept");
	/* Accents and case; the text stays escaped around the marks. */
	f = search(bid, "eleve serieuse", &n, &total);
	cr_assert_eq(total, 0, "the tags are in the text: not one phrase");
	f = search(bid, "ELEVE", &n, &total);
	cr_assert_eq(total, 1);
	cr_assert_str_eq(f[0].text_html, "Je suis une <mark>Élève</mark> &lt;b&gt;sérieuse&lt;/b&gt;");
	cr_assert_eq(f[0].m.sender, MSG_FROM_BENEFICIARY);
	search(bid, "supprime", &n, &total);
	cr_assert_eq(total, 0);
	/* Reading is not displaying: the read mark stays. */
	cr_assert_eq(conversation(bid).counselor_last_read_at, read_before);
	/* An expired file no longer shows its name: nor does the search find it. */
	cr_assert_gt(attachment_expire(db, NOW + 125 * DAY)  /* > 4 months */, 0);
	search(bid, "lea", &n, &total);
	cr_assert_eq(total, 0);
	/* A system message: the text the conversation shows. */
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_post_system(db, keys, a, NOW + HOUR, bid, MSG_NEW_COUNSELOR,
					   "Denis ROUX", NULL), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	f = search(bid, "reaffecte", &n, &total);
	cr_assert_eq(total, 1);
	cr_assert_eq(f[0].m.sender, MSG_FROM_SYSTEM);
	/* Nothing stored yet: nothing found. */
	search(nid, "cv", &n, &total);
	cr_assert_eq(total, 0);
}

Test(store, search_counts_every_result_and_keeps_the_newest_fifty)
{
	for (int i = 0; i < 70; i++)
		counselor_says(bid, i % 7 ? arena_printf(a, "CV n°%d", i) : "autre", NOW + i * MINUTE);
	int n, total;
	struct msg_found *f = search(bid, "cv", &n, &total);
	cr_assert_eq(total, 60);
	cr_assert_eq(n, MSG_SEARCH_SHOWN);
	cr_assert_str_eq(f[0].text_html, "<mark>CV</mark> n°69");
	for (int i = 1; i < n; i++)
		cr_assert_lt(f[i].m.created_at, f[i - 1].m.created_at);
	cr_assert_str_eq(f[49].text_html, "<mark>CV</mark> n°12");
}

Test(store, read_marks_and_unread_counts)
{
	/* Scenario 1: the counselor's "Bonjour" — A's badge 1, then "Lu" once A opens. */
	counselor_says(bid, "Bonjour", NOW);
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 1);
	counselor_says(bid, "Vous êtes là ?", NOW + MINUTE);
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 2);
	cr_assert_eq(messaging_unread_conversations(db, cid), 0, "own messages are never unread");
	int n;
	cr_assert_str_eq(msg_tile_read_suffix(tile_for(cid, bid)), " · Non lu");
	mark_read(bid, MSG_FROM_BENEFICIARY, NOW + 2 * MINUTE);
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 0);
	struct msg_conversation c = conversation(bid);
	cr_assert_eq(c.beneficiary_last_read_at, NOW + 2 * MINUTE);
	struct msg_page p = page(bid, NULL);
	cr_assert_str_eq(msg_bubble_suffix(&p.items[0], c.beneficiary_last_read_at), " · Lu");
	cr_assert_str_eq(msg_tile_read_suffix(tile_for(cid, bid)), " · Lu");
	/* A mark never goes backwards. */
	mark_read(bid, MSG_FROM_BENEFICIARY, NOW);
	cr_assert_eq(conversation(bid).beneficiary_last_read_at, NOW + 2 * MINUTE);
	/* The beneficiary answers three times. */
	beneficiary_says(bid, "Oui", NOW + 3 * MINUTE);
	beneficiary_says(bid, "Je suis là", NOW + 4 * MINUTE);
	beneficiary_says(bid, "Merci", NOW + 5 * MINUTE);
	beneficiary_says(rid, "Bonjour", NOW + 5 * MINUTE);
	beneficiary_says(oid, "Pas à vous", NOW + 5 * MINUTE);
	cr_assert_eq(messaging_unread_conversations(db, cid), 2);
	cr_assert_eq(messaging_unread_conversations(db, cid2), 1);
	struct msg_tile *t = tiles(cid, NULL, &n);
	const struct msg_tile *tb = tile_of(t, n, bid);
	cr_assert_eq(tb->unread, 3);
	cr_assert_str_eq(msg_tile_unread_label(a, tb->unread), "3 nouveaux messages");
	cr_assert_null(msg_tile_read_suffix(tb));
	cr_assert_str_eq(msg_tile_preview(a, tb), "Élodie : Merci");
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 0);
	mark_read(bid, MSG_FROM_COUNSELOR, NOW + 6 * MINUTE);
	cr_assert_eq(messaging_unread_conversations(db, cid), 1);
	cr_assert_eq(tile_for(cid, bid)->unread, 0);
	/* System messages: NEW_COUNSELOR counts for the beneficiary only, AUTO_REGISTRATION
	 * for the counselor only. */
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_post_system(db, keys, a, NOW + 7 * MINUTE, bid, MSG_NEW_COUNSELOR,
					   "Claire MARTIN", NULL), 0);
	cr_assert_eq(messaging_post_system(db, keys, a, NOW + 8 * MINUTE, bid,
					   MSG_AUTO_REGISTRATION, NULL, "{\"session_id\":\"s1\"}"), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 1);
	t = tiles(cid, NULL, &n);
	tb = tile_of(t, n, bid);
	cr_assert_eq(tb->unread, 1);
	cr_assert_str_eq(msg_tile_preview(a, tb), "Votre bénéficiaire s’est inscrit à l’événement suivant");
	/* A deleted beneficiary message is no longer unread. */
	const char *late = beneficiary_says(bid, "Oups", NOW + 9 * MINUTE);
	cr_assert_eq(tile_for(cid, bid)->unread, 2);
	struct msg_actor me = {MSG_FROM_BENEFICIARY, bid};
	cr_assert_eq(delete(&me, late, NOW + 10 * MINUTE), 0);
	cr_assert_eq(tile_for(cid, bid)->unread, 1);
	/* System side cannot mark. */
	cr_assert_eq(messaging_store_mark_read(db, conversation(bid).id, MSG_FROM_SYSTEM, NOW),
		     -ERR_INVAL);
}

/* The favicon and the sound of the counselor's pages (§4): the same unread conversations
 * as the badge, and the instant of the newest incoming message, which reading leaves as
 * it is and a deletion takes back. */
static struct msg_alerts
alerts(const char *counselor)
{
	struct msg_alerts al = {-1, -1};
	cr_assert_eq(messaging_alerts(db, counselor, &al), 0);
	cr_assert_eq(al.unread_conversations, messaging_unread_conversations(db, counselor),
		     "the favicon agrees with the Messagerie badge");
	return al;
}

Test(store, alerts_count_unread_conversations_and_date_the_newest_incoming_message)
{
	struct msg_alerts al = alerts(cid);
	cr_assert_eq(al.unread_conversations, 0);
	cr_assert_eq(al.last_incoming_at, 0);
	counselor_says(bid, "Bonjour", NOW);
	al = alerts(cid);
	cr_assert_eq(al.unread_conversations, 0);
	cr_assert_eq(al.last_incoming_at, 0, "the counselor's own message is not incoming");
	beneficiary_says(bid, "Bonjour !", NOW + MINUTE);
	beneficiary_says(rid, "Une question", NOW + 2 * MINUTE);
	beneficiary_says(oid, "Pas à vous", NOW + 3 * MINUTE);
	al = alerts(cid);
	cr_assert_eq(al.unread_conversations, 2);
	cr_assert_eq(al.last_incoming_at, NOW + 2 * MINUTE, "another portfolio's message is not");
	cr_assert_eq(alerts(cid2).last_incoming_at, NOW + 3 * MINUTE);
	mark_read(bid, MSG_FROM_COUNSELOR, NOW + 4 * MINUTE);
	mark_read(rid, MSG_FROM_COUNSELOR, NOW + 4 * MINUTE);
	al = alerts(cid);
	cr_assert_eq(al.unread_conversations, 0);
	cr_assert_eq(al.last_incoming_at, NOW + 2 * MINUTE, "reading does not move it");
	/* AUTO_REGISTRATION arrives as a beneficiary's message (§13). */
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_post_system(db, keys, a, NOW + 5 * MINUTE, bid,
					   MSG_AUTO_REGISTRATION, NULL, "{\"session_id\":\"s1\"}"), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	al = alerts(cid);
	cr_assert_eq(al.unread_conversations, 1);
	cr_assert_eq(al.last_incoming_at, NOW + 5 * MINUTE);
	const char *late = beneficiary_says(rid, "Oups", NOW + 6 * MINUTE);
	cr_assert_eq(alerts(cid).last_incoming_at, NOW + 6 * MINUTE);
	struct msg_actor me = {MSG_FROM_BENEFICIARY, rid};
	cr_assert_eq(delete(&me, late, NOW + 7 * MINUTE), 0);
	al = alerts(cid);
	cr_assert_eq(al.unread_conversations, 1);
	cr_assert_eq(al.last_incoming_at, NOW + 5 * MINUTE);
}

/* The alerts read a summary kept by triggers (0021_page_summaries.sql:
 * beneficiary.msg_last_incoming_at and msg_unread). After every kind of change, they must
 * equal what the former query computes from the messages themselves. */
static void
alerts_match_the_messages(void)
{
	const char *counselors[] = {cid, cid2};
	for (size_t i = 0; i < G_N_ELEMENTS(counselors); i++) {
		struct db_stmt *st = db_prepare(db,
			"SELECT coalesce(sum(CASE WHEN x.last_in > x.read_at THEN 1 ELSE 0 END), 0), coalesce(max(x.last_in), 0) "
			"FROM (SELECT c.counselor_last_read_at AS read_at, (SELECT max(m.created_at) "
			"  FROM message m WHERE m.conversation_id = c.id AND m.deleted_at IS NULL "
			"  AND (m.sender_type = 'beneficiary' OR m.kind = 'AUTO_REGISTRATION')) AS last_in "
			" FROM beneficiary b JOIN conversation c ON c.beneficiary_id = b.id "
			" WHERE b.counselor_id = $1 AND b.deleted_at IS NULL) x");
		cr_assert_not_null(st);
		db_bind_text(st, 1, counselors[i]);
		cr_assert_eq(db_step(st), DB_ROW);
		int unread = (int)db_col_int64(st, 0);
		int64_t last = db_col_int64(st, 1);
		db_finish(st);
		struct msg_alerts al = alerts(counselors[i]);
		cr_assert_eq(al.unread_conversations, unread, "counselor %zu: %d unread, not %d", i,
			     unread, al.unread_conversations);
		cr_assert_eq(al.last_incoming_at, last, "counselor %zu", i);
	}
	/* And per beneficiary, the summary equals its conversation's. */
	cr_assert_eq(count("SELECT count(*) FROM beneficiary b WHERE "
			   "b.msg_last_incoming_at IS DISTINCT FROM (SELECT max(m.created_at) FROM conversation c "
			   " JOIN message m ON m.conversation_id = c.id WHERE c.beneficiary_id = b.id "
			   " AND m.deleted_at IS NULL "
			   " AND (m.sender_type = 'beneficiary' OR m.kind = 'AUTO_REGISTRATION')) "
			   "OR b.msg_unread <> CASE WHEN b.msg_last_incoming_at > (SELECT "
			   " c.counselor_last_read_at FROM conversation c WHERE c.beneficiary_id = b.id) "
			   " THEN 1 ELSE 0 END",
			   NULL), 0);
}

static int
hard_delete(const char *message_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM message WHERE id = $1");
	db_bind_text(st, 1, message_id);
	return db_run(st);
}

Test(store, alerts_summary_follows_sends_edits_deletions_reads_and_reassignment)
{
	alerts_match_the_messages();
	/* Sends: incoming, the counselor's own, out of order in time. */
	const char *b1 = beneficiary_says(bid, "Un", NOW + 2 * MINUTE);
	beneficiary_says(bid, "Plus ancien", NOW + MINUTE);
	counselor_says(bid, "Réponse", NOW + 3 * MINUTE);
	const char *r1 = beneficiary_says(rid, "Question", NOW + 4 * MINUTE);
	beneficiary_says(oid, "Autre portefeuille", NOW + 5 * MINUTE);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid).unread_conversations, 2);
	cr_assert_eq(alerts(cid).last_incoming_at, NOW + 4 * MINUTE);
	/* An edit of the newest incoming message changes neither. */
	struct msg_actor rben = {MSG_FROM_BENEFICIARY, rid};
	const char *error = NULL;
	cr_assert_eq(edit(&rben, r1, "Question corrigée", NOW + 5 * MINUTE, &error), 0);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid).last_incoming_at, NOW + 4 * MINUTE);
	/* Reading one conversation, then a newer message in it. */
	mark_read(bid, MSG_FROM_COUNSELOR, NOW + 6 * MINUTE);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid).unread_conversations, 1);
	const char *encore = beneficiary_says(bid, "Encore", NOW + 7 * MINUTE);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid).unread_conversations, 2);
	/* Deleting the newest incoming message takes the date back and, here, the unread. */
	cr_assert_eq(delete(&rben, r1, NOW + 8 * MINUTE), 0);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid).unread_conversations, 1);
	cr_assert_eq(alerts(cid).last_incoming_at, NOW + 7 * MINUTE);
	/* Hard deletes (the purge's path): an older message changes nothing, the newest
	 * incoming one takes the date back. */
	cr_assert_eq(hard_delete(b1), 0);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid).last_incoming_at, NOW + 7 * MINUTE);
	cr_assert_eq(hard_delete(encore), 0);
	alerts_match_the_messages();
	int64_t left = alerts(cid).last_incoming_at;
	cr_assert(left > 0 && left < NOW + 7 * MINUTE, "an older message is the newest now");
	/* Reassignment: the summary moves with the beneficiary. */
	beneficiary_says(bid, "Après", NOW + 9 * MINUTE);
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET counselor_id = $2 WHERE id = $1");
	db_bind_text(st, 1, bid);
	db_bind_text(st, 2, cid2);
	cr_assert_eq(db_run(st), 0);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid).unread_conversations, 0);
	cr_assert_eq(alerts(cid2).unread_conversations, 2);
	cr_assert_eq(alerts(cid2).last_incoming_at, NOW + 9 * MINUTE);
	/* A deleted account no longer counts; the purge empties its summary. */
	st = db_prepare(db, "UPDATE beneficiary SET deleted_at = $2 WHERE id = $1");
	db_bind_text(st, 1, oid);
	db_bind_int64(st, 2, NOW);
	cr_assert_eq(db_run(st), 0);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid2).last_incoming_at, NOW + 9 * MINUTE);
	cr_assert_eq(messaging_store_purge(db, bid), 0);
	alerts_match_the_messages();
	cr_assert_eq(alerts(cid2).unread_conversations, 0);
	cr_assert_eq(alerts(cid2).last_incoming_at, 0);
	cr_assert_eq(count("SELECT count(*) FROM beneficiary WHERE id = $1 "
			   "AND msg_last_incoming_at IS NULL AND msg_unread = 0", bid), 1);
}

Test(store, the_column_lists_the_portfolio_in_the_spec_order)
{
	const char *b[6];
	b[0] = bid;                                              /* Dupont Élodie */
	b[1] = nid;                                              /* Zola Émile */
	b[2] = rid;                                              /* Bernard Jean */
	b[3] = add_beneficiary(sid, cid, "Aubert", "Léa", true);
	b[4] = add_beneficiary(sid, cid, "Aubert", "Kevin", true);
	b[5] = add_beneficiary(sid, cid, "Leroy", "Éva", true);  /* no message at all */
	counselor_says(b[0], "vieux", NOW);                      /* followed, oldest */
	beneficiary_says(b[1], "non lu 1", NOW + 1 * MINUTE);    /* unread, older */
	beneficiary_says(b[2], "non lu 2", NOW + 2 * MINUTE);    /* unread, newer */
	counselor_says(b[3], "même instant", NOW + 3 * MINUTE);  /* others: tie on the time */
	counselor_says(b[4], "même instant", NOW + 3 * MINUTE);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_follow(db, a, NOW, cid, b[0], true), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	int n;
	struct msg_tile *t = tiles(cid, NULL, &n);
	cr_assert_eq(n, 6, "the other counselor's beneficiary is not listed");
	const char *expected[] = {b[0], b[2], b[1], b[4], b[3], b[5]};
	for (int i = 0; i < n; i++)
		cr_assert_str_eq(t[i].beneficiary_id, expected[i], "position %d", i);
	cr_assert(t[0].followed);
	cr_assert_str_eq(msg_follow_label(t[0].followed), "Ne plus suivre la conversation");
	cr_assert_eq(t[5].last_message_at, 0);
	cr_assert_null(msg_tile_preview(a, &t[5]));
	cr_assert_not(tile_of(t, n, nid)->activated);
	cr_assert_str_eq(tile_of(t, n, rid)->timezone, REUNION);
	/* Once read, the unread ones fall among the others, by date. */
	mark_read(b[1], MSG_FROM_COUNSELOR, NOW + 10 * MINUTE);
	mark_read(b[2], MSG_FROM_COUNSELOR, NOW + 10 * MINUTE);
	t = tiles(cid, NULL, &n);
	const char *after[] = {b[0], b[4], b[3], b[2], b[1], b[5]};
	for (int i = 0; i < n; i++)
		cr_assert_str_eq(t[i].beneficiary_id, after[i], "position %d", i);
	/* Unfollowed: back by date. */
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_follow(db, a, NOW, cid, b[0], false), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	t = tiles(cid, NULL, &n);
	cr_assert_str_eq(t[4].beneficiary_id, b[0]);
	/* The name filter: folded, every token, any order. */
	t = tiles(cid, "aubert", &n);
	cr_assert_eq(n, 2);
	t = tiles(cid, "LEA aub", &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(t[0].beneficiary_id, b[3]);
	t = tiles(cid, "emile", &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(t[0].beneficiary_id, nid);
	t = tiles(cid, "  ", &n);
	cr_assert_eq(n, 6);
	t = tiles(cid, "personne", &n);
	cr_assert_eq(n, 0);
	t = tiles(cid, "ana", &n);
	cr_assert_eq(n, 0, "another counselor's beneficiary");
	/* An archived beneficiary leaves the column. */
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET deleted_at = 1 WHERE id = $1");
	db_bind_text(st, 1, b[4]);
	cr_assert_eq(db_run(st), 0);
	t = tiles(cid, NULL, &n);
	cr_assert_eq(n, 5);
}

Test(store, follow_is_the_referents_only)
{
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_follow(db, a, NOW, cid2, bid, true), -ERR_NOTFOUND);
	cr_assert_eq(messaging_follow(db, a, NOW, cid, oid, true), -ERR_NOTFOUND);
	cr_assert_eq(messaging_follow(db, a, NOW, cid, "0191f0a2-7c3e-7abc-8def-0123456789ab", true),
		     -ERR_NOTFOUND);
	cr_assert_eq(messaging_follow(db, a, NOW, cid, bid, true), 0, "no message yet: fine");
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert(conversation(bid).followed);
	cr_assert_not(conversation(oid).followed);
}

Test(store, reassignment_moves_the_conversation_and_clears_the_pin)
{
	/* §11 and scenario 10. */
	const char *old = counselor_says(bid, "Bonjour, je suis Claire", NOW);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_follow(db, a, NOW, cid, bid, true), 0);
	struct db_stmt *st = db_prepare(db, "UPDATE beneficiary SET counselor_id = $2 WHERE id = $1");
	db_bind_text(st, 1, bid);
	db_bind_text(st, 2, cid2);
	cr_assert_eq(db_run(st), 0);
	cr_assert_eq(messaging_reassigned(db, keys, a, NOW + HOUR, bid, false, "Denis ROUX"), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	struct msg_conversation c = conversation(bid);
	cr_assert_str_eq(c.counselor_id, cid2);
	cr_assert_not(c.followed);
	int n;
	struct msg_tile *t = tiles(cid, NULL, &n);
	for (int i = 0; i < n; i++)
		cr_assert_str_neq(t[i].beneficiary_id, bid, "the previous counselor lost it");
	t = tiles(cid2, NULL, &n);
	const struct msg_tile *tb = tile_of(t, n, bid);
	cr_assert_str_eq(msg_tile_preview(a, tb), "Le bénéficiaire a été réaffecté à Denis ROUX.");
	struct msg_page p = page(bid, NULL);
	cr_assert_eq(p.n, 2, "the whole history stays");
	cr_assert_eq(p.items[0].kind, MSG_NEW_COUNSELOR);
	cr_assert_eq(p.items[0].sender, MSG_FROM_SYSTEM);
	cr_assert_str_eq(p.items[1].id, old);
	cr_assert_str_eq(msg_author_label(a, &p.items[1], cid2), "Claire MARTIN");
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 2);
	cr_assert_eq(new_message_pushes(bid), 1, "the system message pushes nothing");
	/* The old counselor can neither edit nor delete there any more; the new one may not
	 * touch a colleague's message. */
	struct msg_actor claire = {MSG_FROM_COUNSELOR, cid}, denis = {MSG_FROM_COUNSELOR, cid2};
	const char *error = NULL;
	cr_assert_eq(edit(&claire, old, "modifié", NOW + 2 * HOUR, &error), -ERR_NOTFOUND);
	cr_assert_eq(delete(&claire, old, NOW + 2 * HOUR), -ERR_NOTFOUND);
	cr_assert_eq(edit(&denis, old, "modifié", NOW + 2 * HOUR, &error), -ERR_FORBIDDEN);
	cr_assert_eq(delete(&denis, old, NOW + 2 * HOUR), -ERR_FORBIDDEN);
	cr_assert_eq(delete(&denis, p.items[0].id, NOW + 2 * HOUR), -ERR_FORBIDDEN, "system");
	/* Temporary: its own banner. */
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_reassigned(db, keys, a, NOW + 3 * HOUR, bid, true, "Claire MARTIN"), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(page(bid, NULL).items[0].kind, MSG_NEW_COUNSELOR_TEMPORARY);
}

/* ---- Edit and delete (§5) ---- */

Test(store, edit_keeps_the_history_and_delete_keeps_the_content)
{
	/* Scenario 8. */
	const char *id = counselor_says(bid, "Bonjour", NOW);
	mark_read(bid, MSG_FROM_BENEFICIARY, NOW + MINUTE);
	int pushes = new_message_pushes(bid);
	struct msg_actor me = {MSG_FROM_COUNSELOR, cid};
	const char *error = NULL;
	cr_assert_eq(edit(&me, id, "  Bonjour Léa ", NOW + 2 * MINUTE, &error), 0);
	struct msg_page p = page(bid, NULL);
	cr_assert_str_eq(p.items[0].text, "Bonjour Léa");
	cr_assert_eq(p.items[0].edited_at, NOW + 2 * MINUTE);
	cr_assert_eq(p.items[0].created_at, NOW, "the place in the conversation stays");
	cr_assert_str_eq(msg_bubble_suffix(&p.items[0], conversation(bid).beneficiary_last_read_at),
			 " · Lu · Modifié");
	cr_assert_eq(new_message_pushes(bid), pushes, "an edit pushes nothing");
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 0, "nor changes read state");
	struct msg_edit *h;
	cr_assert_eq(messaging_history(db, keys, a, id, &h), 1);
	cr_assert_str_eq(h[0].text, "Bonjour");
	cr_assert_eq(h[0].edited_at, NOW + 2 * MINUTE);
	cr_assert_null(memmem(h[0].previous, h[0].previous_len, "Bonjour", 7), "history sealed too");
	cr_assert_str_eq(msg_tile_preview(a, tile_for(cid, bid)), "Vous : Bonjour Léa");
	/* A second edit adds a version. */
	cr_assert_eq(edit(&me, id, "Bonjour Léa !", NOW + 3 * MINUTE, &error), 0);
	cr_assert_eq(messaging_history(db, keys, a, id, &h), 2);
	cr_assert_str_eq(h[1].text, "Bonjour Léa");
	/* Refusals: empty text, someone else, a beneficiary. */
	cr_assert_eq(edit(&me, id, " ", NOW + 4 * MINUTE, &error), -ERR_INVAL);
	cr_assert_str_eq(error, "Le champ “Message” est vide. Renseignez un message.");
	struct msg_actor colleague = {MSG_FROM_COUNSELOR, cid2}, ben = {MSG_FROM_BENEFICIARY, bid};
	cr_assert_eq(edit(&colleague, id, "x", NOW, &error), -ERR_NOTFOUND, "outside the portfolio");
	cr_assert_eq(edit(&ben, id, "x", NOW, &error), -ERR_FORBIDDEN);
	struct msg_actor stranger = {MSG_FROM_BENEFICIARY, rid};
	cr_assert_eq(edit(&stranger, id, "x", NOW, &error), -ERR_NOTFOUND);
	cr_assert_eq(edit(&me, "0191f0a2-7c3e-7abc-8def-0123456789ab", "x", NOW, &error), -ERR_NOTFOUND);
	/* Delete: deleted_at set, content and history kept. */
	cr_assert_eq(delete(&ben, id, NOW + 5 * MINUTE), -ERR_FORBIDDEN);
	cr_assert_eq(delete(&me, id, NOW + 5 * MINUTE), 0);
	p = page(bid, NULL);
	cr_assert_eq(p.items[0].deleted_at, NOW + 5 * MINUTE);
	cr_assert_str_eq(p.items[0].text, "Bonjour Léa !");
	cr_assert_eq(messaging_history(db, keys, a, id, &h), 2);
	cr_assert_str_eq(msg_tile_preview(a, tile_for(cid, bid)),
			 "Vous avez supprimé ce message");
	cr_assert_eq(edit(&me, id, "encore", NOW + 6 * MINUTE, &error), -ERR_INVAL);
	cr_assert_str_eq(error, "Ce message a été supprimé.");
	cr_assert_eq(delete(&me, id, NOW + 6 * MINUTE), -ERR_INVAL);
	/* The beneficiary's own: a card is deleted, not edited. */
	const char *share = send_as(bid, MSG_FROM_BENEFICIARY, NULL, MSG_EVENT_SHARE, "Regarde", NOW + HOUR);
	cr_assert_eq(edit(&ben, share, "autre", NOW + HOUR, &error), -ERR_INVAL);
	cr_assert_str_eq(error, "Ce message ne peut pas être modifié.");
	cr_assert_eq(delete(&me, share, NOW + HOUR), -ERR_FORBIDDEN);
	cr_assert_eq(delete(&ben, share, NOW + HOUR), 0);
	const char *own = beneficiary_says(bid, "Salut", NOW + 2 * HOUR);
	cr_assert_eq(edit(&ben, own, "Bonjour", NOW + 2 * HOUR, &error), 0);
	/* Editing an older message leaves the tile's preview alone. */
	counselor_says(bid, "Dernier", NOW + 3 * HOUR);
	cr_assert_eq(edit(&ben, own, "Bonjour madame", NOW + 4 * HOUR, &error), 0);
	cr_assert_str_eq(msg_tile_preview(a, tile_for(cid, bid)), "Vous : Dernier");
}

Test(store, messages_of_an_unknown_key_are_inaccessible_not_fatal)
{
	counselor_says(bid, "scellé avec k1", NOW);
	struct msg_keyring *other = crypto_keyring_open(fixture_path(&fx, "autre-fichier"), true);
	struct msg_conversation c = conversation(bid);
	struct msg_page p;
	cr_assert_eq(messaging_page(db, other, a, &c, NULL, MSG_PAGE_SIZE, &p), 0);
	cr_assert_eq(p.n, 1);
	cr_assert_null(p.items[0].text);
	struct msg_tile *t;
	int n = messaging_tiles(db, other, a, cid, NULL, &t);
	cr_assert_str_eq(msg_tile_preview(a, tile_of(t, n, bid)), "Vous : Le message est inaccessible");
	crypto_keyring_free(other);
}

Test(store, rotation_reads_old_rows_and_seals_new_ones_with_the_new_key)
{
	const char *before = counselor_says(bid, "avant rotation", NOW);
	char *path = fixture_path(&fx, "cles-messages");
	char *id = NULL;
	cr_assert_eq(crypto_keyring_add(path, &id), 0);
	crypto_keyring_free(keys);
	keys = fx.keys = crypto_keyring_open(path, false);  /* fixture_close() frees it */
	const char *after = counselor_says(bid, "après rotation", NOW + MINUTE);
	cr_assert_str_eq(the_message(before).key_id, "k1");
	cr_assert_str_eq(the_message(after).key_id, id);
	g_free(id);
	struct msg_page p = page(bid, NULL);
	cr_assert_str_eq(p.items[0].text, "après rotation");
	cr_assert_str_eq(p.items[1].text, "avant rotation");
}

/* ---- Notifications (#13) ---- */

Test(store, new_message_push_for_the_counselors_messages_only)
{
	const char *id = counselor_says(bid, "Bonjour", NOW);
	cr_assert_eq(new_message_pushes(bid), 1);
	struct db_stmt *st = db_prepare(db,
		"SELECT key, title, body, url, push, in_centre FROM notification "
		"WHERE beneficiary_id = $1 AND type = 'NEW_MESSAGE'");
	db_bind_text(st, 1, bid);
	const char *key, *title, *body, *url, *push, *in_centre;
	cr_assert_eq(db_run_texts(st, a, 6, &key, &title, &body, &url, &push, &in_centre), 0);
	cr_assert_str_eq(key, arena_printf(a, "NEW_MESSAGE:%s", id));
	cr_assert_str_eq(title, "Nouveau message");
	cr_assert_str_eq(body, "Vous avez un nouveau message", "no content");
	cr_assert_str_eq(url, "/app/messages");
	cr_assert_str_eq(push, "1");
	cr_assert_str_eq(in_centre, "0");
	/* Never in the centre nor the bell. */
	struct notification *list;
	cr_assert_eq(notifications_list(db, a, bid, NOW, &list), 0);
	cr_assert_eq(notifications_unseen(db, bid, NOW), 0);
	/* A file and a shared offer push too; one per message. */
	send_as(bid, MSG_FROM_COUNSELOR, cid, MSG_MESSAGE_PJ, "", NOW + 1);
	send_as(bid, MSG_FROM_COUNSELOR, cid, MSG_OFFER_SHARE, "Pour vous", NOW + 2);
	cr_assert_eq(new_message_pushes(bid), 3);
	/* Not the beneficiary's own, not system messages. */
	beneficiary_says(bid, "Merci", NOW + 3);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(messaging_post_system(db, keys, a, NOW + 4, bid, MSG_NEW_COUNSELOR, "X", NULL), 0);
	cr_assert_eq(messaging_post_system(db, keys, a, NOW + 5, bid, MSG_AUTO_REGISTRATION, NULL,
					   "{\"session_id\":\"s\"}"), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(new_message_pushes(bid), 3);
	/* Never activated: nothing but the badge. */
	counselor_says(nid, "Bonjour", NOW);
	cr_assert_eq(new_message_pushes(nid), 0);
	cr_assert_eq(messaging_unread_for_beneficiary(db, nid), 1);
	/* The "Messages" preference off: no push. */
	st = db_prepare(db, "UPDATE beneficiary SET pref_messages = 0 WHERE id = $1");
	db_bind_text(st, 1, rid);
	cr_assert_eq(db_run(st), 0);
	counselor_says(rid, "Bonjour", NOW);
	cr_assert_eq(new_message_pushes(rid), 0);
	cr_assert_eq(messaging_unread_for_beneficiary(db, rid), 1);
}

Test(store, a_counselors_action_comment_is_posted_in_the_conversation)
{
	struct action x = {
		.beneficiary_id = bid, .by_counselor = true, .creator_id = cid,
		.creator_first_name = "Claire", .creator_last_name = "Martin",
		.title = "Mettre à jour son CV", .description = "", .category = "EMPLOI",
		.status = ACTION_NOT_STARTED, .reminder = false, .cej = true, .timezone = PARIS,
	};
	x.due_at = action_due_at(clock_day_of(NOW, PARIS) + 10, PARIS);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(actions_create(db, a, NOW, &x), 0);
	struct action_comment c = {.author_id = cid, .first_name = "Claire", .last_name = "Martin",
				   .body = "Pensez à ajouter votre stage", .by_counselor = true};
	cr_assert_eq(actions_add_comment(db, keys, a, NOW + MINUTE, &x, &c), 0);
	struct action_comment r = {.author_id = bid, .first_name = "Élodie", .last_name = "Dupont",
				   .body = "C’est fait", .by_counselor = false};
	cr_assert_eq(actions_add_comment(db, NULL, a, NOW + 2 * MINUTE, &x, &r), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	struct msg_page p = page(bid, NULL);
	cr_assert_eq(p.n, 1, "the beneficiary's answer posts nothing");
	struct message *m = &p.items[0];
	cr_assert_eq(m->kind, MSG_ACTION_COMMENT);
	cr_assert_eq(m->sender, MSG_FROM_COUNSELOR);
	cr_assert_str_eq(m->sender_counselor_id, cid);
	cr_assert_str_eq(m->text, "Pensez à ajouter votre stage");
	cr_assert_eq(m->created_at, NOW + MINUTE);
	json_t *payload = json_loads(m->payload, 0, NULL);
	cr_assert_not_null(payload);
	cr_assert_str_eq(json_string_value(json_object_get(payload, "action_id")), x.id);
	cr_assert_str_eq(json_string_value(json_object_get(payload, "title")), "Mettre à jour son CV");
	json_decref(payload);
	/* Row 13: ACTION_UPDATED only, no NEW_MESSAGE; the badge counts the message. */
	cr_assert_eq(new_message_pushes(bid), 0);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1 "
			   "AND type = 'ACTION_UPDATED'", bid), 1);
	cr_assert_eq(messaging_unread_for_beneficiary(db, bid), 1);
	/* The comment is editable like a message (§5). */
	struct msg_actor me = {MSG_FROM_COUNSELOR, cid};
	const char *error;
	cr_assert_eq(edit(&me, m->id, "Pensez à ajouter votre stage de juin", NOW + HOUR, &error), 0);
	/* Without keys a counselor comment is refused (and the caller rolls back). */
	cr_assert_eq(db_tx_begin(db), 0);
	struct action_comment c2 = c;
	cr_assert_eq(actions_add_comment(db, NULL, a, NOW + 2 * HOUR, &x, &c2), -ERR_INVAL);
	db_tx_rollback(db);
}

Test(store, removing_the_beneficiary_removes_messages_and_history)
{
	const char *id = counselor_says(bid, "Bonjour", NOW);
	beneficiary_says(bid, "Salut", NOW + 1);
	struct msg_actor me = {MSG_FROM_COUNSELOR, cid};
	const char *error;
	cr_assert_eq(edit(&me, id, "Bonjour !", NOW + 2, &error), 0);
	counselor_says(rid, "reste", NOW);
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_eq(beneficiaries_purge(all_features(), db, bid), 0);
	cr_assert_eq(db_tx_commit(db), 0);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 1);
	cr_assert_eq(count("SELECT count(*) FROM message_edit", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM conversation WHERE beneficiary_id = $1", bid), 0);
	cr_assert_eq(count("SELECT count(*) FROM notification WHERE beneficiary_id = $1", bid), 0);
	struct msg_conversation c;
	cr_assert_eq(messaging_conversation(db, a, bid, &c), -ERR_NOTFOUND);
}

/* SQLite's plans (EXPLAIN QUERY PLAN): PostgreSQL plans by its statistics, not by rule. */
Test(store, unread_queries_use_the_partial_indexes)
{
	if (db_engine(db) != DB_SQLITE)
		cr_skip_test("plans de SQLite");
	const char *plans[] = {
		"EXPLAIN QUERY PLAN SELECT count(*) FROM conversation c JOIN message m ON "
		"m.conversation_id = c.id WHERE c.beneficiary_id = 'x' AND m.created_at > "
		"c.beneficiary_last_read_at AND m.deleted_at IS NULL AND m.sender_type <> "
		"'beneficiary' AND m.kind <> 'AUTO_REGISTRATION'",
		"EXPLAIN QUERY PLAN SELECT 1 FROM conversation c WHERE EXISTS (SELECT 1 FROM "
		"message m WHERE m.conversation_id = c.id AND m.created_at > c.counselor_last_read_at "
		"AND m.deleted_at IS NULL AND (m.sender_type = 'beneficiary' OR m.kind = "
		"'AUTO_REGISTRATION'))",
	};
	const char *index[] = {"message_unread_by_beneficiary", "message_unread_by_counselor"};
	for (size_t i = 0; i < G_N_ELEMENTS(plans); i++) {
		struct db_stmt *st = db_prepare(db, plans[i]);
		cr_assert_not_null(st);
		bool found = false;
		while (db_step(st) == DB_ROW)
			found |= strstr(db_col_text(st, 3), index[i]) != NULL;
		db_finish(st);
		cr_assert(found, "%s", index[i]);
	}
}

/* ---- The app's sending key (youth-app.md §9, §14) ---- */

Test(rules, sending_key_format_and_length)
{
	const char *bad = "L’identifiant d’envoi du message est invalide. Recharge la page puis renvoie ton message.";
	cr_assert_null(msg_client_key_check(NULL), "no key: a plain form");
	cr_assert_null(msg_client_key_check("0191f0a2-7c3e-4abc-8def-0123456789ab"), "a UUID");
	cr_assert_null(msg_client_key_check("3f2a9c0d41e85b7a6c1d0e9f8a7b6c5d"), "hex");
	cr_assert_null(msg_client_key_check("Ab_-Ab_-Ab_-Ab_-"), "16 characters of base64url");
	cr_assert_null(msg_client_key_check(repeat("z", MSG_CLIENT_KEY_MAX)));
	cr_assert_str_eq(msg_client_key_check(""), bad);
	cr_assert_str_eq(msg_client_key_check(repeat("a", MSG_CLIENT_KEY_MIN - 1)), bad);
	cr_assert_str_eq(msg_client_key_check(repeat("a", MSG_CLIENT_KEY_MAX + 1)), bad);
	const char *odd[] = {"0191f0a2 7c3e 4abc 8def", "0191f0a2-7c3e-4abc-8def-0123456789a/",
			     "0191f0a2+7c3e=4abc.8def", "éééééééééééééééé", "0191f0a27c3e4abc\n"};
	for (size_t i = 0; i < G_N_ELEMENTS(odd); i++)
		cr_assert_str_eq(msg_client_key_check(odd[i]), bad, "case %zu", i);
}

/* Runs messaging_send_once in its own transaction. */
static int
send_once(const char *ben, const char *text, const char *key, int64_t now, struct message *out,
	  bool *replayed, const char **error)
{
	struct msg_send in = {.sender = MSG_FROM_BENEFICIARY, .kind = MSG_MESSAGE, .text = text,
			      .client_key = key};
	cr_assert_eq(db_tx_begin(db), 0);
	int rc = messaging_send_once(db, keys, a, now, ben, &in, out, replayed, error);
	if (rc)
		db_tx_rollback(db);
	else
		cr_assert_eq(db_tx_commit(db), 0);
	return rc;
}

Test(store, a_sending_key_stores_the_message_once_per_conversation)
{
	const char *key = "0191f0a2-7c3e-4abc-8def-0123456789ab";
	struct message first, again, other;
	bool replayed = true;
	const char *error = NULL;
	cr_assert_eq(send_once(bid, "Je serai en retard", key, NOW, &first, &replayed, &error), 0);
	cr_assert_not(replayed);
	cr_assert_str_eq(first.client_key, key);
	/* "Réessayer" after a lost answer: the same message comes back, nothing is written. */
	cr_assert_eq(send_once(bid, "Je serai en retard", key, NOW + MINUTE, &again, &replayed, &error), 0);
	cr_assert(replayed);
	cr_assert_str_eq(again.id, first.id);
	cr_assert_str_eq(again.text, "Je serai en retard");
	cr_assert_eq(again.created_at, first.created_at);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 1);
	struct msg_conversation c = conversation(bid);
	cr_assert_str_eq(c.last_message_id, first.id);
	cr_assert_eq(c.last_message_at, first.created_at);
	/* The key is the conversation's: another beneficiary may hold the same one. */
	cr_assert_eq(send_once(rid, "Bonjour", key, NOW, &other, &replayed, &error), 0);
	cr_assert_not(replayed);
	cr_assert_str_neq(other.id, first.id);
	/* A plain send (no key) and a fresh key store new messages. */
	cr_assert_eq(send_once(bid, "Je serai en retard", NULL, NOW, &other, &replayed, &error), 0);
	cr_assert_not(replayed);
	cr_assert_eq(send_once(bid, "Je serai en retard", "aaaaaaaaaaaaaaaaaaaa", NOW, &other, &replayed,
			       &error), 0);
	cr_assert_not(replayed);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 4);
	/* The list reads the key back, for the app's own copy of the message. */
	struct msg_page p = page(bid, NULL);
	cr_assert_eq(p.n, 3);
	cr_assert_str_eq(p.items[2].client_key, key);
	cr_assert_null(p.items[1].client_key);
	/* The database refuses a second message with one key, whoever writes it. */
	struct message dup = first;
	char id[UUID_STRLEN + 1];
	id_uuid7(NOW + 2 * MINUTE, id);
	dup.id = id;
	cr_assert_eq(db_tx_begin(db), 0);
	cr_assert_neq(messaging_store_insert(db, &dup), 0);
	db_tx_rollback(db);
}

Test(store, a_malformed_sending_key_or_text_is_refused_before_anything_is_written)
{
	struct message m;
	bool replayed;
	const char *error = NULL;
	cr_assert_eq(send_once(bid, "Bonjour", "trop-court", NOW, &m, &replayed, &error), -ERR_INVAL);
	cr_assert_str_eq(error, "L’identifiant d’envoi du message est invalide. Recharge la page puis renvoie ton message.");
	error = NULL;
	cr_assert_eq(send_once(bid, "  ", "0191f0a2-7c3e-4abc-8def-0123456789ab", NOW, &m, &replayed,
			       &error), -ERR_INVAL);
	cr_assert_str_eq(error, "Le champ “Message” est vide. Renseignez un message.");
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 0);
	cr_assert_eq(send_once("0191f0a2-7c3e-7abc-8def-0123456789ab", "Bonjour",
			       "0191f0a2-7c3e-4abc-8def-0123456789ab", NOW, &m, &replayed, &error),
		     -ERR_NOTFOUND);
}

/* ======================================================================================
 * The pages' use cases: their own transaction, their events on its commit, their refusals
 * ==================================================================================== */

static void
stream_suspend(void *ud)
{
	(void)ud;
}

static void
stream_resume(void *ud)
{
	(void)ud;
}

static const struct hub_sub_ops stream_ops = {stream_suspend, stream_resume};

/* The live streams of bid (the beneficiary's) and of cid (their counselor's). */
static struct hub_sub *young_stream, *counselor_stream;

static void
live_setup(void)
{
	setup();
	hub_start(&(struct hub_options){.heartbeat_ms = 600000});
	young_stream = hub_subscribe(arena_printf(a, HUB_TOPIC_BENEFICIARY, bid), &stream_ops, NULL);
	counselor_stream = hub_subscribe(arena_printf(a, HUB_TOPIC_COUNSELOR, cid), &stream_ops,
					 NULL);
	cr_assert(young_stream && counselor_stream);
}

static void
live_teardown(void)
{
	hub_unsubscribe(young_stream);
	hub_unsubscribe(counselor_stream);
	hub_stop(0);
	teardown();
}

/* What @s received since the last call (fixture.h). */
#define heard(s) fixture_heard(a, (s))

/* The newest message of @ben's conversation, its text opened. */
static const struct message *
newest(const char *ben)
{
	struct msg_page p = page(ben, NULL);
	cr_assert_geq(p.n, 1);
	return &p.items[0];
}

TestSuite(live, .init = live_setup, .fini = live_teardown, .timeout = 60);

Test(live, a_counselors_message_is_announced_to_both_parties_once_committed)
{
	struct refusal why = {0};
	struct message m;
	cr_assert_eq(messaging_counselor_send(db, keys, a, NOW, cid, bid, "Bonjour", NULL, &m, &why),
		     0);
	cr_assert_eq(db_tx_begin(db), 0, "the use case ended its transaction");
	db_tx_rollback(db);
	const char *event = arena_printf(a, "event: message\ndata: %s\n\n", bid);
	cr_assert_str_eq(heard(young_stream), event);
	cr_assert_str_eq(heard(counselor_stream), event);
	cr_assert_str_eq(newest(bid)->text, "Bonjour");
}

Test(live, a_refused_message_says_why_stores_nothing_and_announces_nothing)
{
	struct refusal why = {0};
	cr_assert_eq(messaging_counselor_send(db, keys, a, NOW, cid, bid, "  ", NULL, NULL, &why),
		     -ERR_INVAL);
	cr_assert_eq(why.status, 400);
	cr_assert_str_eq(why.field, "message");
	cr_assert_str_eq(why.message, "Le champ “Message” est vide. Renseignez un message.");
	/* A file refused by its content: its rule's message, nothing stored either. */
	why = (struct refusal){0};
	struct msg_upload exe = {"cv.pdf", (const unsigned char *)"MZ\x90\x00", 4};
	cr_assert_eq(messaging_counselor_send(db, keys, a, NOW, cid, bid, "Mon CV", &exe, NULL,
					      &why), -ERR_INVAL);
	cr_assert_str_eq(why.message, ATTACHMENT_BAD_TYPE);
	cr_assert_eq(count("SELECT count(*) FROM message", NULL), 0);
	cr_assert_eq(count("SELECT count(*) FROM attachment", NULL), 0);
	cr_assert_str_eq(heard(young_stream), "");
	cr_assert_str_eq(heard(counselor_stream), "");
}

Test(live, reading_tells_the_other_party_only_when_something_was_unread)
{
	beneficiary_says(bid, "Bonjour", NOW);
	heard(young_stream);
	heard(counselor_stream);
	struct msg_conversation conv = conversation(bid);
	cr_assert_eq(messaging_counselor_read(db, a, NOW + MINUTE, &conv), 0);
	cr_assert_str_eq(heard(young_stream), arena_printf(a, "event: lu\ndata: %s\n\n", bid));
	cr_assert_str_eq(heard(counselor_stream), "");
	cr_assert_eq(conversation(bid).counselor_last_read_at, NOW + MINUTE);

	/* The Messages screen opens on nothing unread: the mark moves, nobody is told. */
	int unread = -1;
	conv = conversation(bid);
	cr_assert_eq(messaging_beneficiary_read(db, a, NOW + 2 * MINUTE, &conv, true, &unread), 0);
	cr_assert_eq(unread, 0);
	cr_assert_eq(conversation(bid).beneficiary_last_read_at, NOW + 2 * MINUTE);
	cr_assert_str_eq(heard(counselor_stream), "");

	counselor_says(bid, "Une question ?", NOW + 3 * MINUTE);
	heard(young_stream);
	heard(counselor_stream);
	conv = conversation(bid);
	cr_assert_eq(messaging_beneficiary_read(db, a, NOW + 4 * MINUTE, &conv, false, &unread), 0);
	cr_assert_eq(unread, 1);
	cr_assert_str_eq(heard(counselor_stream), arena_printf(a, "event: lu\ndata: %s\n\n", bid));
	cr_assert_str_eq(heard(young_stream), "");
}

Test(live, a_retried_send_is_stored_and_announced_once)
{
	const char *key = "0191f0a2-7c3e-4abc-8def-0123456789ab";
	struct refusal why = {0};
	struct message m1, m2;
	bool replayed;
	cr_assert_eq(messaging_beneficiary_send(db, keys, a, NOW, bid, "Bonjour", key, &m1,
						&replayed, &why), 0);
	cr_assert(!replayed);
	cr_assert_str_eq(heard(counselor_stream), arena_printf(a, "event: message\ndata: %s\n\n",
								 bid));
	cr_assert_eq(messaging_beneficiary_send(db, keys, a, NOW + SECOND, bid, "Bonjour", key, &m2,
						&replayed, &why), 0);
	cr_assert(replayed);
	cr_assert_str_eq(m2.id, m1.id);
	cr_assert_str_eq(heard(counselor_stream), "", "nothing new: no event");
	cr_assert_eq(messaging_beneficiary_send(db, keys, a, NOW, bid, "Bonjour", "court", &m2,
						&replayed, &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "message");
}

Test(live, a_beneficiary_changes_only_their_own_messages_and_hears_why_in_the_apps_words)
{
	const char *mine = beneficiary_says(bid, "Bonjour", NOW);
	const char *theirs = counselor_says(bid, "Bonjour à vous", NOW + MINUTE);
	const char *elsewhere = beneficiary_says(rid, "Ailleurs", NOW);
	heard(young_stream);
	heard(counselor_stream);
	struct message m;
	struct refusal why = {0};

	cr_assert_eq(messaging_beneficiary_own(db, keys, a, bid, theirs, MSG_CHANGE_EDIT, &m, &why),
		     -ERR_FORBIDDEN);
	cr_assert_eq(why.status, 403);
	cr_assert_str_eq(why.title, "Action impossible");
	cr_assert_str_eq(why.message,
			 "Tu peux seulement modifier ou supprimer les messages que tu as écrits.");
	for (int i = 0; i < 2; i++) {
		const char *id = i ? elsewhere : "pas-un-id";
		cr_assert_eq(messaging_beneficiary_own(db, keys, a, bid, id, MSG_CHANGE_DELETE, &m,
						       &why), -ERR_NOTFOUND);
		cr_assert_eq(why.status, 404);
		cr_assert_str_eq(why.title, "Message introuvable");
	}
	cr_assert_eq(messaging_beneficiary_own(db, keys, a, bid, mine, MSG_CHANGE_EDIT, &m, &why), 0);
	cr_assert_str_eq(m.text, "Bonjour", "its text opened for the form");

	why = (struct refusal){0};
	cr_assert_eq(messaging_beneficiary_change(db, keys, a, NOW + 2 * MINUTE, bid, mine, "  ",
						  &why), -ERR_INVAL);
	cr_assert_str_eq(why.field, "message", "a text refused goes under the field");
	cr_assert_str_eq(heard(counselor_stream), "");
	cr_assert_eq(messaging_beneficiary_change(db, keys, a, NOW + 2 * MINUTE, bid, mine, NULL,
						  &why), 0);
	cr_assert_str_eq(heard(counselor_stream), arena_printf(a, "event: message\ndata: %s\n\n",
								 bid));
	why = (struct refusal){0};
	cr_assert_eq(messaging_beneficiary_change(db, keys, a, NOW + 3 * MINUTE, bid, mine, "Re",
						  &why), -ERR_INVAL);
	cr_assert_null(why.field);
	cr_assert_str_eq(why.message, "Ce message a été supprimé.");
}

Test(live, a_counselor_follows_edits_and_deletes_with_an_event_each)
{
	const char *id = counselor_says(bid, "Bonjour", NOW);
	heard(young_stream);
	heard(counselor_stream);
	const char *event = arena_printf(a, "event: message\ndata: %s\n\n", bid);
	struct refusal why = {0};

	cr_assert_eq(messaging_counselor_follow(db, a, NOW, cid, bid, true), 0);
	cr_assert(conversation(bid).followed);
	cr_assert_str_eq(heard(counselor_stream), event, "the column re-orders");
	heard(young_stream);
	cr_assert_eq(messaging_counselor_follow(db, a, NOW, cid2, bid, true), -ERR_NOTFOUND);
	cr_assert_str_eq(heard(counselor_stream), "");

	cr_assert_eq(messaging_counselor_change(db, keys, a, NOW + MINUTE, cid2, id, "Volé", &why),
		     -ERR_NOTFOUND);
	cr_assert_eq(messaging_counselor_change(db, keys, a, NOW + MINUTE, cid, id, "", &why),
		     -ERR_INVAL);
	cr_assert_str_eq(why.field, "message");
	cr_assert_str_eq(heard(young_stream), "");
	cr_assert_eq(messaging_counselor_change(db, keys, a, NOW + MINUTE, cid, id, "Bonjour !",
						&why), 0);
	cr_assert_str_eq(newest(bid)->text, "Bonjour !");
	cr_assert_str_eq(heard(young_stream), event);
	cr_assert_eq(messaging_counselor_change(db, keys, a, NOW + 2 * MINUTE, cid, id, NULL, &why),
		     0);
	cr_assert_neq(the_message(id).deleted_at, 0);
	cr_assert_str_eq(heard(young_stream), event);
}
