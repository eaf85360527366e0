/* attachments.c — the pure checks of attachments (messaging.md §7). */
#include "messaging/attachments.h"

#include "base/arena.h"
#include "base/clock.h"

#include <glib.h>
#include <string.h>

static bool
ends_with(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && g_ascii_strcasecmp(name + n - e, ext) == 0;
}

static bool
starts(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

const char *
attachment_type(const char *name, const unsigned char *d, size_t len)
{
	if (!name || !d)
		return NULL;
	if (ends_with(name, ".pdf") && starts(d, len, "%PDF-", 5))
		return "application/pdf";
	if (ends_with(name, ".png") && starts(d, len, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if ((ends_with(name, ".jpg") || ends_with(name, ".jpeg")) && starts(d, len, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (ends_with(name, ".webp") && len >= 12 && starts(d, len, "RIFF", 4) &&
	    memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

const char *
attachment_check(const char *name, const unsigned char *data, size_t len)
{
	if (len > ATTACHMENT_MAX_BYTES)
		return ATTACHMENT_TOO_BIG;
	if (len == 0 || !attachment_type(name, data, len))
		return ATTACHMENT_BAD_TYPE;
	return NULL;
}

bool
attachment_chosen(const char *filename)
{
	return filename && *filename;
}

/* A kept name is at most NAME_MAX_CHARS characters; when longer, the stem is shortened and
 * an extension of up to EXT_MAX_CHARS characters (".jpeg" and the like) kept, since the
 * type check reads it. */
#define NAME_MAX_CHARS 120
#define EXT_MAX_CHARS 10

char *
attachment_clean_name(struct arena *a, const char *name)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	char *valid = g_utf8_make_valid(base, -1);
	GString *s = g_string_new(NULL);
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_iscntrl(c))
			g_string_append_unichar(s, c);
	}
	const char *kept = g_strstrip(s->str), *out;
	if (!*kept) {
		out = arena_strdup(a, "fichier");
	} else if (g_utf8_strlen(kept, -1) <= NAME_MAX_CHARS) {
		out = arena_strdup(a, kept);
	} else {
		const char *dot = strrchr(kept, '.');
		glong ext = dot ? g_utf8_strlen(dot, -1) : 0;
		if (ext < 2 || ext > EXT_MAX_CHARS)
			ext = 0;
		const char *cut = g_utf8_offset_to_pointer(kept, NAME_MAX_CHARS - ext);
		out = arena_printf(a, "%.*s%s", (int)(cut - kept), kept, ext ? dot : "");
	}
	g_string_free(s, TRUE);
	g_free(valid);
	return (char *)out;
}

int64_t
attachment_expiry_cutoff(int64_t now)
{
	int64_t today = clock_day_of(now, NULL);
	int64_t since_midnight = now - clock_day_at(today, 0, 0, NULL);
	int64_t back = clock_day_add_months(today, -ATTACHMENT_RETENTION_MONTHS);
	return clock_day_at(back, 0, 0, NULL) + since_midnight;
}

const char *
attachment_unavailable(const struct attachment *t)
{
	if (t->deleted)
		return "Le fichier n’est plus disponible";
	if (t->expired)
		return "Pièce jointe expirée";
	if (!strcmp(t->scan_status, "pending"))
		return "Analyse antivirus en cours";
	if (!strcmp(t->scan_status, "infected"))
		return "Pièce jointe bloquée par l’antivirus";
	if (!strcmp(t->scan_status, "error"))
		return "La pièce jointe n’a pas pu être analysée";
	return NULL;
}
