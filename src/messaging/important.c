/* important.c — the message important's rules (the form of messaging.md §10, its window)
 * and use cases (sealing, one per counselor, the beneficiary's banner). No SQL, no HTML. */
#include "messaging/important.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "messaging/crypto.h"
#include "messaging/important_store.h"

#include <glib.h>
#include <string.h>

#define START_EMPTY "Le champ “Date de début” est vide. Renseignez une date de début."
#define END_EMPTY "Le champ “Date de fin” est vide. Renseignez une date de fin."
#define START_BAD "Le champ “Date de début” est invalide. Renseignez une date au format jj/mm/aaaa."
#define END_BAD "Le champ “Date de fin” est invalide. Renseignez une date au format jj/mm/aaaa."
#define END_BEFORE "Le champ “Date de fin” est invalide. La date de fin ne peut pas être " \
	"antérieure à la date de début."
#define TEXT_EMPTY "Le champ “Message” est vide. Renseignez un message."
#define TEXT_LONG "Vous avez dépassé le nombre maximal de caractères. Retirez des caractères."

/* ---- The form ---- */

int64_t
important_parse_day(const char *s)
{
	/* "jj/mm/aaaa" is rewritten as "aaaa-mm-jj" so clock_day_parse() checks the date. */
	if (s && strlen(s) == 10 && s[2] == '/' && s[5] == '/') {
		char iso[11] = {s[6], s[7], s[8], s[9], '-', s[3], s[4], '-', s[0], s[1], 0};
		return clock_day_parse(iso);
	}
	return clock_day_parse(s);
}

static bool
blank(const char *s)
{
	return !s || !*s;
}

/* @s without leading and trailing Unicode white space, CR LF as LF, invalid UTF-8
 * replaced. */
static const char *
clean_text(struct arena *a, const char *s)
{
	gchar *valid = g_utf8_make_valid(s ? s : "", -1);
	GString *g = g_string_new(NULL);
	for (const char *p = valid; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			g_string_append_c(g, *p);
	const char *start = g->str, *end = g->str + g->len;
	while (*start && g_unichar_isspace(g_utf8_get_char(start)))
		start = g_utf8_next_char(start);
	while (end > start) {
		const char *prev = g_utf8_prev_char(end);
		if (!g_unichar_isspace(g_utf8_get_char(prev)))
			break;
		end = prev;
	}
	char *out = arena_strndup(a, start, (size_t)(end - start));
	g_string_free(g, TRUE);
	g_free(valid);
	return out;
}

int
important_check(struct arena *a, const struct important_form *f, struct important_errors *e,
		struct important_input *out)
{
	memset(e, 0, sizeof(*e));
	int64_t start = important_parse_day(f->start), end = important_parse_day(f->end);
	if (blank(f->start))
		e->start = START_EMPTY;
	else if (start == CLOCK_NO_DAY)
		e->start = START_BAD;
	if (blank(f->end))
		e->end = END_EMPTY;
	else if (end == CLOCK_NO_DAY)
		e->end = END_BAD;
	else if (start != CLOCK_NO_DAY && end < start)
		e->end = END_BEFORE;
	const char *text = clean_text(a, f->text);
	if (!*text)
		e->text = TEXT_EMPTY;
	else if (g_utf8_strlen(text, -1) > IMPORTANT_TEXT_MAX)
		e->text = TEXT_LONG;
	e->count = (e->start != NULL) + (e->end != NULL) + (e->text != NULL);
	if (!e->count)
		*out = (struct important_input){.start_day = start, .end_day = end, .text = text};
	return e->count;
}

void
important_window(int64_t start_day, int64_t end_day, const char *tz, int64_t *starts_at,
		 int64_t *until_at)
{
	*starts_at = clock_day_at(start_day, 0, 0, tz);
	*until_at = clock_day_at(end_day + 1, 0, 0, tz);
}

bool
important_is_shown(int64_t starts_at, int64_t until_at, int64_t now)
{
	return starts_at <= now && now < until_at;
}

/* ---- Use cases ---- */

static void
from_row(const struct msg_keyring *keys, struct arena *a, const struct important_row *r,
	 struct important *out)
{
	char *plain = NULL;
	if (crypto_open(keys, a, r->key_id, r->content, r->content_len, &plain, NULL))
		plain = NULL;
	*out = (struct important){.counselor_id = r->counselor_id, .start_date = r->start_date,
				  .end_date = r->end_date, .starts_at = r->starts_at,
				  .until_at = r->until_at, .text = plain,
				  .updated_at = r->updated_at};
}

int
important_current(struct db *db, const struct msg_keyring *keys, struct arena *a,
		  const char *counselor_id, int64_t now, struct important *out)
{
	struct important_row r;
	int rc = important_store_current(db, a, counselor_id, now, &r);
	if (!rc)
		from_row(keys, a, &r, out);
	return rc;
}

int
important_save(struct db *db, const struct msg_keyring *keys, struct arena *a, int64_t now,
	       const char *counselor_id, const char *tz, const struct important_input *in)
{
	struct crypto_sealed s;
	struct important_row r = {.counselor_id = counselor_id,
				  .start_date = clock_day_iso(a, in->start_day),
				  .end_date = clock_day_iso(a, in->end_day)};
	important_window(in->start_day, in->end_day, tz, &r.starts_at, &r.until_at);
	crypto_seal(keys, a, in->text, strlen(in->text), &s);
	r.key_id = s.key_id;
	r.content = s.blob;
	r.content_len = s.len;
	return important_store_put(db, &r, now);
}

int
important_disable(struct db *db, const char *counselor_id)
{
	return important_store_delete(db, counselor_id);
}

int
important_banner_for_beneficiary(struct db *db, const struct msg_keyring *keys, struct arena *a,
				 const char *beneficiary_id, int64_t now, const char **text)
{
	struct important_row r;
	struct important m;
	*text = NULL;
	int rc = important_store_shown_for(db, a, beneficiary_id, now, &r);
	if (rc == -ERR_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	from_row(keys, a, &r, &m);
	*text = m.text;
	return 0;
}
