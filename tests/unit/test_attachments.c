/* test_attachments.c — the checks of attachments (messaging.md §7): type by extension and
 * content together, the 5 MB limit, the kept name. */
#include "base/arena.h"
#include "base/clock.h"
#include "messaging/attachments.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#define U(s) ((const unsigned char *)(s))

static const char pdf[] = "%PDF-1.7\n";
static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
static const char jpg[] = "\xff\xd8\xff\xe0\0\x10JFIF";
static const char webp[] = "RIFF\x24\0\0\0WEBPVP8 ";

Test(type, extension_and_content_agree)
{
	cr_assert_str_eq(attachment_type("cv.pdf", U(pdf), sizeof(pdf) - 1), "application/pdf");
	cr_assert_str_eq(attachment_type("Photo.PNG", U(png), sizeof(png) - 1), "image/png");
	cr_assert_str_eq(attachment_type("a.jpg", U(jpg), sizeof(jpg) - 1), "image/jpeg");
	cr_assert_str_eq(attachment_type("a.jpeg", U(jpg), sizeof(jpg) - 1), "image/jpeg");
	cr_assert_str_eq(attachment_type("a.webp", U(webp), sizeof(webp) - 1), "image/webp");
}

Test(type, a_lie_is_refused)
{
	cr_assert_null(attachment_type("cv.png", U(pdf), sizeof(pdf) - 1));     /* PDF named .png */
	cr_assert_null(attachment_type("cv.pdf", U(png), sizeof(png) - 1));
	cr_assert_null(attachment_type("page.html", U("<html>"), 6));
	cr_assert_null(attachment_type("cv.exe.pdf", U("MZ\x90\0"), 4));
	cr_assert_null(attachment_type("pdf", U(pdf), sizeof(pdf) - 1));        /* no extension */
	cr_assert_null(attachment_type("a.webp", U("RIFF\0\0\0\0WAVE"), 12));    /* RIFF, not WebP */
	cr_assert_null(attachment_type("a.pdf", U("%PD"), 3));                    /* too short */
	cr_assert_null(attachment_type(NULL, U(pdf), 3));
}

Test(check, messages_of_the_spec)
{
	cr_assert_null(attachment_check("cv.pdf", U(pdf), sizeof(pdf) - 1));
	cr_assert_str_eq(attachment_check("cv.png", U(pdf), sizeof(pdf) - 1),
			 "Types acceptés : pdf, png, jpg, webp");
	cr_assert_str_eq(attachment_check("vide.pdf", U(""), 0), "Types acceptés : pdf, png, jpg, webp");
	unsigned char *big = calloc(ATTACHMENT_MAX_BYTES + 1, 1);
	memcpy(big, pdf, sizeof(pdf) - 1);
	cr_assert_null(attachment_check("gros.pdf", big, ATTACHMENT_MAX_BYTES));
	cr_assert_str_eq(attachment_check("gros.pdf", big, ATTACHMENT_MAX_BYTES + 1),
			 "Taille du fichier supérieure à 5 Mo");
	free(big);
}

Test(name, kept_name)
{
	struct arena *a = arena_new();
	cr_assert_str_eq(attachment_clean_name(a, "C:\\Users\\moi\\CV été.pdf"), "CV été.pdf");
	cr_assert_str_eq(attachment_clean_name(a, "../../etc/passwd.pdf"), "passwd.pdf");
	cr_assert_str_eq(attachment_clean_name(a, "a\nb\tc.pdf"), "abc.pdf");
	cr_assert_str_eq(attachment_clean_name(a, ""), "fichier");
	cr_assert_str_eq(attachment_clean_name(a, NULL), "fichier");
	char longname[400];
	memset(longname, 'e', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	cr_assert_eq(strlen(attachment_clean_name(a, longname)), 120);
	cr_assert_str_eq(attachment_clean_name(a, "bad\xff.pdf"), "bad\xef\xbf\xbd.pdf");
	arena_free(a);
}

/* A 300-character name used to be cut at 120 characters with its extension, and a valid
 * PDF then failed the type check. The stem is shortened instead. */
Test(name, a_long_name_keeps_its_extension)
{
	struct arena *a = arena_new();
	char stem[301];
	memset(stem, 'x', 296);
	stem[296] = 0;
	char *kept = attachment_clean_name(a, arena_printf(a, "%s.pdf", stem));
	cr_assert_eq(strlen(kept), 120);
	cr_assert(g_str_has_suffix(kept, "xxx.pdf"), "%s", kept);
	cr_assert_null(attachment_check(kept, U(pdf), sizeof(pdf) - 1));

	/* Characters, not bytes: 200 "é" and ".jpeg" keep 115 "é". */
	GString *e = g_string_new(NULL);
	for (int i = 0; i < 200; i++)
		g_string_append(e, "é");
	g_string_append(e, ".JPEG");
	kept = attachment_clean_name(a, e->str);
	cr_assert_eq(g_utf8_strlen(kept, -1), 120);
	cr_assert(g_str_has_suffix(kept, "éé.JPEG"), "%s", kept);
	cr_assert(g_utf8_validate(kept, -1, NULL));
	g_string_free(e, TRUE);

	/* No extension, or a "extension" too long to be one: cut at 120. */
	memset(stem, 'x', 300);
	stem[300] = 0;
	stem[150] = '.';
	cr_assert_eq(strlen(attachment_clean_name(a, stem)), 120);
	cr_assert_eq(strchr(attachment_clean_name(a, stem), '.'), NULL);
	arena_free(a);
}

/* A browser's file input left empty sends filename="": no file. A file chosen with no
 * content is one, refused with the spec's message, not dropped from the message. */
Test(check, an_empty_file_is_refused_not_dropped)
{
	cr_assert_not(attachment_chosen(NULL));
	cr_assert_not(attachment_chosen(""));
	cr_assert(attachment_chosen("vide.pdf"));
	cr_assert_str_eq(attachment_check("vide.pdf", U(""), 0), "Types acceptés : pdf, png, jpg, webp");
}

/* Paris wall-clock instant of "yyyy-mm-dd" at @hour:@minute. */
static int64_t
paris(const char *iso, int hour, int minute)
{
	return clock_day_at(clock_day_parse(iso), hour, minute, NULL);
}

/* messaging.md §7 and acceptance scenario 5: a file sent 4 months and 1 day ago is gone
 * after the 02:00 run, whatever the length of the months; one sent 4 months ago less a
 * day is kept. */
Test(retention, four_calendar_months)
{
	int64_t run = paris("2026-11-29", 2, 0);
	cr_assert_eq(attachment_expiry_cutoff(run), paris("2026-07-29", 2, 0));
	cr_assert_leq(paris("2026-07-28", 14, 30), attachment_expiry_cutoff(run));
	cr_assert_gt(paris("2026-07-30", 9, 0), attachment_expiry_cutoff(run));
	/* 122 days would have kept this one (July and August have 31 days). */
	cr_assert_leq(paris("2026-07-28", 2, 0), attachment_expiry_cutoff(paris("2026-11-29", 2, 0)));
	/* The end of a longer month clamps to the end of February. */
	cr_assert_eq(attachment_expiry_cutoff(paris("2026-06-30", 10, 0)), paris("2026-02-28", 10, 0));
}

/* messaging.md §7: what stands for a file that cannot be opened. */
Test(status, what_a_bubble_shows)
{
	struct attachment t = {.scan_status = "clean"};
	cr_assert_null(attachment_unavailable(&t));
	t.scan_status = "pending";
	cr_assert_str_eq(attachment_unavailable(&t), "Analyse antivirus en cours");
	t.scan_status = "infected";
	cr_assert_str_eq(attachment_unavailable(&t), "Pièce jointe bloquée par l’antivirus");
	t.scan_status = "error";
	cr_assert_str_eq(attachment_unavailable(&t), "La pièce jointe n’a pas pu être analysée");
	t.scan_status = "expired";
	t.expired = true;
	cr_assert_str_eq(attachment_unavailable(&t), "Pièce jointe expirée");
	t.deleted = true;
	cr_assert_str_eq(attachment_unavailable(&t), "Le fichier n’est plus disponible");
}
