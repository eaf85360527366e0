/* test_record.c — rules of the fiche and of the account lifecycle: resend window,
 * archive form, i-milo staleness, structure search tokens, access levels. */
#include <criterion/criterion.h>
#include <string.h>

#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "beneficiaries/beneficiaries.h"
#include "core/feature.h"
#include "establishment/establishment.h"
#include "record/record.h"

#define H (3600 * 1000LL)

Test(resend, once_a_day_and_never_after_activation)
{
	struct record r = {0};
	cr_assert(record_resend_allowed(&r, 1000));              /* never resent */
	r.last_resend_at = 1000;
	cr_assert_not(record_resend_allowed(&r, 1000 + 24 * H - 1));
	cr_assert(record_resend_allowed(&r, 1000 + 24 * H));
	r.activated_at = 5;
	cr_assert_not(record_resend_allowed(&r, 1000 + 48 * H));
}

Test(record, imilo_is_stale_only_after_a_failure_newer_than_the_last_success)
{
	struct record r = {0};
	cr_assert_not(record_imilo_stale(&r));
	r.imilo_synced_at = 10;
	r.imilo_sync_failed_at = 20;
	cr_assert(record_imilo_stale(&r));
	r.imilo_synced_at = 30;
	cr_assert_not(record_imilo_stale(&r));
	cr_assert_str_eq(record_situation_state_label("PREVU"), "Prévue");
	cr_assert_null(record_situation_state_label("AUTRE"));
}

Test(record, the_agenda_week_merges_by_instant_and_counts_events)
{
	/* Two features' lines, each sorted its own way: the fiche orders them by instant, the
	 * same instant by page (stable from one load to the next). */
	struct week_item items[] = {
		{.at = 300, .kind = "Rendez-vous", .href = "/agenda/rendez-vous/b", .event = true},
		{.at = 100, .kind = "Action", .href = "/actions/z"},
		{.at = 300, .kind = "Rendez-vous", .href = "/agenda/rendez-vous/a", .event = true},
		{.at = 200, .kind = "Action", .href = "/actions/y"},
	};
	record_week_sort(items, 4);
	cr_assert_str_eq(items[0].href, "/actions/z");
	cr_assert_str_eq(items[1].href, "/actions/y");
	cr_assert_str_eq(items[2].href, "/agenda/rendez-vous/a");
	cr_assert_str_eq(items[3].href, "/agenda/rendez-vous/b");
	cr_assert_eq(record_week_events(items, 4), 2);
	cr_assert_eq(record_week_events(items, 0), 0);
	record_week_sort(NULL, 0);    /* an empty week: nothing to sort */
}

static struct archive_errors
check(const char *motif, const char *comment, const char *date)
{
	struct archive_input in = {motif, comment, date};
	struct archive_errors e;
	beneficiaries_archive_check(&in, "2026-01-10", "2026-11-28", &e);
	return e;
}

Test(archive, needs_a_known_motif_and_a_date)
{
	struct archive_errors e = check(NULL, NULL, NULL);
	cr_assert_str_eq(e.motif, "Le champ “Motif” est vide. Renseignez un motif de suppression.");
	cr_assert_str_eq(e.end_date, "Le champ “Date de fin d’accompagnement” est vide. Renseignez une "
				     "date de fin d’accompagnement.");
	cr_assert_not_null(check("Inventé", NULL, "2026-05-01").motif);
	e = check("Déménagement", NULL, "2026-05-01");
	cr_assert(!e.motif && !e.comment && !e.end_date);
}

Test(archive, autre_needs_a_comment_of_at_most_250_characters)
{
	cr_assert_str_eq(check("Autre", "   ", "2026-05-01").comment,
			 "Le champ “Motif de suppression” est vide. Renseignez un commentaire.");
	char c[260 * 2 + 1] = "";
	for (int i = 0; i < 250; i++)
		strcat(c, "é");  /* 250 characters, 500 bytes */
	cr_assert_null(check("Autre", c, "2026-05-01").comment);
	strcat(c, "é");
	cr_assert_not_null(check("Autre", c, "2026-05-01").comment);
}

Test(archive, the_date_is_between_creation_and_today)
{
	const char *bad = "Le champ “Date de fin d’accompagnement” est invalide. La date attendue est "
			  "comprise entre la date de création du bénéficiaire et maintenant.";
	cr_assert_str_eq(check("Déménagement", NULL, "2026-01-09").end_date, bad);
	cr_assert_null(check("Déménagement", NULL, "2026-01-10").end_date);
	cr_assert_null(check("Déménagement", NULL, "2026-11-28").end_date);
	cr_assert_str_eq(check("Déménagement", NULL, "2026-11-29").end_date, bad);
	cr_assert_str_eq(check("Déménagement", NULL, "2026-02-30").end_date, bad);
	cr_assert_str_eq(check("Déménagement", NULL, "28/11/2026").end_date, bad);
}

Test(establishment, needs_two_characters_and_folds_tokens)
{
	struct arena *a = arena_new();
	const char *t[ESTABLISHMENT_MAX_TOKENS];
	cr_assert_eq(establishment_tokens(a, " é ", t), 0);
	cr_assert_eq(establishment_tokens(a, "du", t), 1);
	cr_assert_eq(establishment_tokens(a, "Éloïse Le-Goff", t), 3);
	cr_assert_str_eq(t[0], "eloise");
	cr_assert_str_eq(t[2], "goff");
	cr_assert_eq(establishment_tokens(a, "a b c d e f g", t), ESTABLISHMENT_MAX_TOKENS);
	arena_free(a);
}

Test(authz, referent_writes_structure_reads_others_see_nothing)
{
	struct user camille = {.kind = USER_COUNSELOR, .id = "c1", .structure_id = "brest"};
	struct user jeune = {.kind = USER_BENEFICIARY, .id = "c1", .structure_id = "brest"};
	cr_assert_eq(authz_beneficiary(&camille, "c1", "brest"), AUTHZ_WRITE);
	cr_assert_eq(authz_beneficiary(&camille, "c1", "paris"), AUTHZ_WRITE);  /* other ML dossier */
	cr_assert_eq(authz_beneficiary(&camille, "c2", "brest"), AUTHZ_READ);
	cr_assert_eq(authz_beneficiary(&camille, "c2", "paris"), AUTHZ_NONE);
	cr_assert_eq(authz_beneficiary(&jeune, "c1", "brest"), AUTHZ_NONE);
	cr_assert_eq(authz_beneficiary(NULL, "c1", "brest"), AUTHZ_NONE);
	cr_assert_eq(authz_route(NULL, ACCESS_COUNSELOR), AUTHZ_LOGIN);
	cr_assert_eq(authz_route(&jeune, ACCESS_COUNSELOR), AUTHZ_DENY);
	cr_assert_eq(authz_route(&camille, ACCESS_BENEFICIARY), AUTHZ_DENY);
}
