/* test_rules.c — pure rules: password rule, dossier number, portfolio search and sort,
 * pagination window, French date wording, safe return paths, ids. */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "auth/login.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/ids.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries.h"
#include "view/pagination.h"
#include "view/vm.h"

Test(arena, printf_fits_in_the_room_left_or_takes_a_new_block)
{
	/* arena_printf formats into the head block's free room when it fits: every length
	 * around the room left (and past a whole block) must come back whole and apart. */
	struct arena *a = arena_new();
	char big[20000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	GPtrArray *seen = g_ptr_array_new();
	for (int i = 0; i < 600; i++) {
		int len = (i * 37) % 200;
		char *p = arena_printf(a, "%d:%.*s", i, len, big);
		g_ptr_array_add(seen, p);
		if (i % 97 == 0)
			cr_assert_eq(strlen(arena_printf(a, "%s", big)), sizeof(big) - 1);
	}
	for (int i = 0; i < 600; i++) {   /* none overwrote another */
		char want[256];
		int len = (i * 37) % 200;
		snprintf(want, sizeof(want), "%d:%.*s", i, len, big);
		cr_assert_str_eq(g_ptr_array_index(seen, i), want);
	}
	g_ptr_array_free(seen, TRUE);
	arena_free(a);
}

Test(password, accepts_eight_characters_of_three_kinds)
{
	cr_assert(password_rule_ok("Abcdefg1", "jeune@exemple.fr"));
	cr_assert(password_rule_ok("Éléonore2024", NULL));
}

Test(password, refuses_short_one_kind_missing_too_long_or_the_email)
{
	cr_assert_not(password_rule_ok("Abcdef1", NULL));          /* 7 characters */
	cr_assert_not(password_rule_ok("abcdefg1", NULL));         /* no upper case */
	cr_assert_not(password_rule_ok("ABCDEFG1", NULL));         /* no lower case */
	cr_assert_not(password_rule_ok("Abcdefgh", NULL));         /* no digit */
	char long_pw[140];
	memset(long_pw, 'a', sizeof(long_pw) - 1);
	long_pw[0] = 'A';
	long_pw[1] = '1';
	long_pw[129] = '\0';                                       /* 129 characters */
	cr_assert_not(password_rule_ok(long_pw, NULL));
	cr_assert_not(password_rule_ok("Jeune1@Exemple.fr", "jeune1@exemple.fr"));
	cr_assert_not(password_rule_ok(NULL, NULL));
}

Test(password, hash_verifies_only_the_right_password)
{
	char h[PASSWORD_HASH_MAX];
	cr_assert_eq(password_hash("Secret123", h), 0);
	cr_assert(g_str_has_prefix(h, "$argon2id$"));
	cr_assert(password_verify(h, "Secret123"));
	cr_assert_not(password_verify(h, "secret123"));
	cr_assert_not(password_verify(NULL, "Secret123"));
	cr_assert_not(password_needs_rehash(h));
}

Test(dossier_number, trims_and_accepts_one_to_eleven_digits)
{
	struct arena *a = arena_new();
	const char *t;
	cr_assert_null(beneficiaries_check_number(a, "  123456 ", &t));
	cr_assert_str_eq(t, "123456");
	cr_assert_null(beneficiaries_check_number(a, "12345678901", &t));
	arena_free(a);
}

Test(dossier_number, gives_the_spec_messages)
{
	struct arena *a = arena_new();
	const char *t;
	cr_assert_str_eq(beneficiaries_check_number(a, "   ", &t),
			 "Le champ “Numéro de dossier” est vide. Renseignez un numéro. Exemple : 123456");
	const char *bad = "Le numéro de dossier est incorrect. Renseignez un numéro. Exemple : 123456.";
	cr_assert_str_eq(beneficiaries_check_number(a, "123456789012", &t), bad);
	cr_assert_str_eq(beneficiaries_check_number(a, "12a4", &t), bad);
	cr_assert_str_eq(beneficiaries_check_number(a, "-12", &t), bad);
	arena_free(a);
}

/* The address of an i-milo dossier must take one activation e-mail: refused before i-milo
 * is asked to declare the account, not after (a 400 once D2 had answered 201). */
Test(dossier_email, one_plain_address_is_usable)
{
	static const char *const ok[] = {
		"a@x.fr", "prenom.nom@exemple.fr", "nouvelle.adresse@exemple.fr", "a+cej@sous.domaine.fr",
		"o'neil@x.fr", "x_y-z@a-b.c0.fr", "élodie@exemple.fr", "a@b.co",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(beneficiaries_email_usable(ok[i]), "refused: %s", ok[i]);
}

Test(dossier_email, several_addresses_line_breaks_and_odd_shapes_are_not)
{
	static const char *const bad[] = {
		"a@x.fr; b@x.fr", "a@x.fr;b@x.fr", "a@x.fr, b@x.fr", "a@x.fr b@x.fr",
		"a@x.fr\r\nBcc: b@x.fr", "a@x.fr\n", "\ta@x.fr", "a\x7f@x.fr", "\"a b\"@x.fr",
		"A <a@x.fr>", "a@x.fr>", "(c)a@x.fr", "a@[127.0.0.1]", "a\\b@x.fr",
		"", "@", "a", "a@", "@x.fr", "a@@x.fr", "a@b@x.fr", "a@x", "a@.fr", "a@x.", "a@x..fr",
		"a@-x.fr", "a@x-.fr", "a@x_y.fr", ".a@x.fr", "a.@x.fr", "a..b@x.fr", "a@x.fr\xff",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(beneficiaries_email_usable(bad[i]), "accepted: %s", bad[i]);
	cr_assert_not(beneficiaries_email_usable(NULL));

	/* 64 bytes of local part and 254 in all at most (RFC 5321). */
	char local[80], whole[400];
	memset(local, 'a', 65);
	local[65] = '\0';
	snprintf(whole, sizeof(whole), "%s@x.fr", local);
	cr_assert_not(beneficiaries_email_usable(whole));
	local[64] = '\0';
	snprintf(whole, sizeof(whole), "%s@x.fr", local);
	cr_assert(beneficiaries_email_usable(whole));
	snprintf(whole, sizeof(whole), "a@%s.%s.%s.%s.fr", local + 1, local + 1, local + 1, local + 7);
	cr_assert_eq(strlen(whole), 254);
	cr_assert(beneficiaries_email_usable(whole));
	snprintf(whole, sizeof(whole), "a@%s.%s.%s.%s.fr", local + 1, local + 1, local + 1, local + 6);
	cr_assert_not(beneficiaries_email_usable(whole));
}

Test(dossier, structure_zone_follows_overseas_codes)
{
	cr_assert_str_eq(beneficiaries_structure_timezone("97411S00"), "Indian/Reunion");
	cr_assert_str_eq(beneficiaries_structure_timezone("29019S00"), "Europe/Paris");
	cr_assert(beneficiaries_dispositif_ok("PACEA"));
	cr_assert_not(beneficiaries_dispositif_ok("pacea"));
}

Test(dossier, another_mission_locale_is_a_different_structure_code)
{
	cr_assert_not(beneficiaries_other_structure("29019S00", "29019S00"));
	cr_assert(beneficiaries_other_structure("29019S00", "75056S00"));
	/* A counselor whose structure has no code cannot share it with the dossier. */
	cr_assert(beneficiaries_other_structure(NULL, "75056S00"));
	/* A dossier without a structure says nothing: no warning. */
	cr_assert_not(beneficiaries_other_structure("29019S00", NULL));
	cr_assert_not(beneficiaries_other_structure("29019S00", ""));
}

static const char *
url_of(void *ud, int page)
{
	return arena_printf(ud, "/p?page=%d", page);
}

Test(pagination, shows_a_window_of_five_with_ellipses)
{
	struct arena *a = arena_new();
	struct vm *p = view_pagination(a, 6, 12, url_of, a);
	const struct vm *items = vm_get(p, "items");
	cr_assert_eq(vm_len(items), 7);  /* … 4 5 6 7 8 … */
	cr_assert(vm_get(vm_at(items, 0), "ellipsis")->b);
	cr_assert_eq(vm_get(vm_at(items, 1), "page")->i, 4);
	cr_assert(vm_get(vm_at(items, 3), "current")->b);
	cr_assert_str_eq(vm_get(p, "first")->s, "/p?page=1");
	p = view_pagination(a, 1, 3, url_of, a);
	cr_assert_eq(vm_get(p, "prev")->kind, VM_NULL);
	cr_assert_eq(vm_len(vm_get(p, "items")), 3);
	arena_free(a);
}

Test(clock, relative_wording_in_paris_time)
{
	struct arena *a = arena_new();
	/* 2024-03-05 13:43 UTC = 14h43 in Paris (winter time). */
	int64_t now = 1709646180000LL;
	cr_assert_str_eq(clock_fr_relative(a, now, now, "Europe/Paris"), "Aujourd’hui à 14h43");
	cr_assert_str_eq(clock_fr_relative(a, now - 20 * 3600000LL, now, "Europe/Paris"),
			 "Hier à 18h43");
	cr_assert_str_eq(clock_fr_relative(a, now - 3 * 86400000LL, now, "Europe/Paris"),
			 "Le 02/03/2024 à 14h43");
	/* 23h30 in Paris is still "today" there although UTC says another day. */
	int64_t late = 1709677800000LL;  /* 2024-03-05 22:30 UTC = 23h30 Paris */
	cr_assert_str_eq(clock_fr_relative(a, late, late, "Europe/Paris"), "Aujourd’hui à 23h30");
	cr_assert_str_eq(clock_fr_relative(a, late, late, "Indian/Reunion"), "Aujourd’hui à 02h30");
	/* Summer time: 10:00 UTC on 14 July is 12h00 in Paris. */
	cr_assert_str_eq(clock_fr_relative(a, 1720951200000LL, 1720951200000LL + 7 * 86400000LL,
					   "Europe/Paris"), "Le 14/07/2024 à 12h00");
	cr_assert_str_eq(clock_fr_date(a, "2024-12-19"), "19/12/2024");
	cr_assert_null(clock_fr_date(a, "2024-02-30"));
	arena_free(a);
}

Test(clock, time_of_day_in_the_zone)
{
	struct arena *a = arena_new();
	/* 2024-03-05 23:05 UTC: 00h05 the next day in Paris, 03h05 in La Réunion. */
	int64_t t = 1709679900000LL;
	cr_assert_str_eq(clock_fr_time(a, t, "Europe/Paris"), "00h05");
	cr_assert_str_eq(clock_fr_time(a, t, "Indian/Reunion"), "03h05");
	cr_assert_str_eq(clock_fr_time(a, t, NULL), "00h05");
	/* Before 1970: 1969-12-31 23:59:30 UTC is 00h59 in Paris (UTC+1). */
	cr_assert_str_eq(clock_fr_time(a, -30000, "Europe/Paris"), "00h59");
	arena_free(a);
}

Test(clock, day_in_the_zone)
{
	struct arena *a = arena_new();
	/* 2024-03-05 23:05 UTC: already the 6th in Paris and La Réunion, still the 5th in
	 * Guadeloupe (UTC−4). */
	int64_t t = 1709679900000LL;
	cr_assert_str_eq(clock_fr_day(a, t, "Europe/Paris"), "06/03/2024");
	cr_assert_str_eq(clock_iso_day(a, t, "Indian/Reunion"), "2024-03-06");
	cr_assert_str_eq(clock_fr_day(a, t, "America/Guadeloupe"), "05/03/2024");
	/* Summer time: 2024-07-14 22:30 UTC is 00h30 on the 15th in Paris (UTC+2). */
	cr_assert_str_eq(clock_fr_day(a, 1720996200000LL, NULL), "15/07/2024");
	cr_assert_str_eq(clock_iso_day(a, 1720996200000LL, "UTC"), "2024-07-14");
	arena_free(a);
}

/* The zones' transition tables (clock.c) give GLib's answer at every instant: around
 * each change of offset to the second, and across the window and beyond it. */
static void
assert_time_as_glib(struct arena *a, const char *zone, int64_t secs)
{
	GTimeZone *tz = g_time_zone_new_identifier(zone);
	GDateTime *utc = g_date_time_new_from_unix_utc(secs);
	GDateTime *local = g_date_time_to_timezone(utc, tz);
	char want[8];
	g_snprintf(want, sizeof(want), "%02dh%02d", g_date_time_get_hour(local),
		   g_date_time_get_minute(local));
	cr_assert_str_eq(clock_fr_time(a, secs * 1000, zone), want, "%s at %lld", zone,
			 (long long)secs);
	g_date_time_unref(local);
	g_date_time_unref(utc);
	g_time_zone_unref(tz);
}

Test(clock, offsets_match_glib_at_every_change_and_across_years)
{
	struct arena *a = arena_new();
	const char *zones[] = {"Europe/Paris", "Indian/Reunion", "America/Cayenne",
			       "Pacific/Noumea", "America/Martinique"};
	int64_t now = g_get_real_time() / 1000000;
	for (size_t z = 0; z < G_N_ELEMENTS(zones); z++) {
		/* Every 7 h 13 min over ±5 years: inside the window and out of it. */
		for (int64_t s = now - 5 * 366 * 86400LL; s < now + 5 * 366 * 86400LL; s += 26000)
			assert_time_as_glib(a, zones[z], s);
	}
	/* Paris's changes of 2026, to the second (01:00 UTC on the last Sundays of March and
	 * October). */
	const int64_t changes[] = {1774746000, 1792890000};
	for (size_t i = 0; i < G_N_ELEMENTS(changes); i++)
		for (int64_t d = -2; d <= 2; d++)
			assert_time_as_glib(a, "Europe/Paris", changes[i] + d);
	arena_free(a);
}

Test(login, return_paths_stay_on_this_site)
{
	cr_assert_str_eq(login_safe_return("/portefeuille?q=a", "/d"), "/portefeuille?q=a");
	cr_assert_str_eq(login_safe_return("//evil.example", "/d"), "/d");
	cr_assert_str_eq(login_safe_return("https://evil.example", "/d"), "/d");
	cr_assert_str_eq(login_safe_return("/\\evil", "/d"), "/d");
	cr_assert_str_eq(login_safe_return("/a\r\nSet-Cookie: x", "/d"), "/d");
	cr_assert_str_eq(login_safe_return(NULL, "/d"), "/d");
}

/* Strings a browser reads as another host ("//evil.example") once it drops tabs and line
 * breaks, turns "\\" into "/", or once a step percent-decodes them. */
Test(login, return_paths_that_browsers_read_as_another_site_are_refused)
{
	static const char *const attacks[] = {
		"/\t/evil.example/phish", "/\r/evil.example", "/\n/evil.example", "/\r\n/evil",
		"\t//evil.example", " //evil.example", "/\\evil", "\\/evil", "/a\\b",
		"//evil", "///evil", "/%09/evil", "/%0D%0A/evil", "/%2F/evil", "/%2f/evil",
		"%2F%2Fevil", "/%5Cevil", "/%5cevil", "https:", "https://evil.example",
		"javascript:alert(1)", "evil.example", "", "/%", "/%zz", "/%00", "/\x7f/evil",
		"/%7F/evil",
	};
	for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++)
		cr_assert_str_eq(login_safe_return(attacks[i], "/d"), "/d", "accepted: %s", attacks[i]);
}

Test(login, return_paths_of_the_application_are_kept_as_given)
{
	static const char *const paths[] = {
		"/", "/portefeuille", "/app/messages?conversation=01900000-0000-7000-8000-000000000000",
		"/beneficiaires/x/informations#haut", "/recherche?q=%C3%A9l%C3%A8ve", "/a?b=%2F%2F",
		"/a//b",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		cr_assert_str_eq(login_safe_return(paths[i], "/d"), paths[i]);
}

Test(ids, uuid7_is_canonical_and_time_ordered)
{
	char a[UUID_STRLEN + 1], b[UUID_STRLEN + 1];
	id_uuid7(1000, a);
	id_uuid7(2000, b);
	cr_assert(id_is_uuid(a));
	cr_assert_eq(a[14], '7');
	cr_assert_lt(strcmp(a, b), 0);
	cr_assert_not(id_is_uuid("not-a-uuid"));
}

Test(text, folds_accents_and_case)
{
	struct arena *a = arena_new();
	cr_assert_str_eq(text_fold(a, "Éloïse ÇA"), "eloise ca");
	cr_assert_str_eq(text_upper(a, "Dupré"), "DUPRÉ");
	cr_assert_str_eq(text_upper(a, "de la Fontaine-Dupont"), "DE LA FONTAINE-DUPONT");
	arena_free(a);
}
