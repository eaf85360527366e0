/* digest_jobs.c — the 08:00 unread digest to counselors. Safe to run twice the same day:
 * the day recorded with each mail (unread_digest) is the "at most once per counselor per
 * day", committed together with the mail. */
#include "messaging/digest_jobs.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "mail/mail.h"
#include "messaging/digest_store.h"
#include "core/ctx.h"
#include "base/config.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <string.h>

#define MINUTE_MS (60 * 1000LL)

bool
digest_is_weekday(int64_t now)
{
	return clock_day_weekday(clock_day_of(now, DIGEST_TZ)) < 5;
}

enum digest_verdict
digest_decide(int unread, const char *email, int64_t last_open, int64_t now)
{
	if (unread < 1)
		return DIGEST_NOTHING_UNREAD;
	if (!email || !*email)
		return DIGEST_NO_EMAIL;
	if (last_open > 0 && last_open >= now - DIGEST_QUIET_MS)
		return DIGEST_OPENED_RECENTLY;
	return DIGEST_SEND;
}

char *
digest_subject(struct arena *a, int n)
{
	return arena_printf(a, "Vous avez %d conversation(s) non lue(s) sur l'application du CEJ", n);
}

/* The link of the mail's button: the public URL's messaging. */
static char *
messaging_url(struct arena *a, const char *base_url)
{
	size_t n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	return arena_printf(a, "%.*s/messagerie", (int)n, base_url);
}

/* One counselor's mail and its record, in one transaction. 0, 1 when someone else sent it
 * meanwhile (a concurrent run), or a negative error. */
static int
send_one(struct db *db, struct arena *a, const struct tmpl_set *tmpl, const char *link,
	 const struct digest_candidate *c, const char *day, int64_t now)
{
	GString *text = g_string_new(NULL), *html = g_string_new(NULL);
	struct vm *data = vm_obj(a);
	vm_set_str(data, "first_name", c->first_name);
	vm_set_int(data, "n", c->unread);
	vm_set_str(data, "link", link);
	vm_set_str(data, "subject", digest_subject(a, c->unread));
	int rc = view_mail(tmpl, "unread_digest", data, text, html);
	if (!rc && !(rc = db_tx_begin(db))) {
		rc = digest_store_record(db, c->counselor_id, day, c->unread, now);
		if (!rc)
			rc = mail_enqueue(db, now, c->email, digest_subject(a, c->unread), text->str,
					  html->str);
		if (!rc)
			rc = db_tx_commit(db);
		if (rc)
			db_tx_rollback(db);
	}
	g_string_free(text, TRUE);
	g_string_free(html, TRUE);
	return rc == -ERR_CONFLICT ? 1 : rc;
}

int
digest_run(struct db *db, struct arena *a, const struct tmpl_set *tmpl, const char *base_url,
	   int64_t now)
{
	if (!digest_is_weekday(now))
		return 0;
	const char *day = clock_iso_day(a, now, DIGEST_TZ), *link = messaging_url(a, base_url);
	struct digest_candidate *c;
	int n = digest_store_candidates(db, a, day, &c), sent = 0, rc = 0;
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (digest_decide(c[i].unread, c[i].email, c[i].last_open, now) != DIGEST_SEND)
			continue;
		int r = send_one(db, a, tmpl, link, &c[i], day, now);
		if (r < 0) {
			/* One bad address (mail_enqueue refuses it) must not hold back the others. */
			log_warn("digest: conseiller %s : envoi impossible (%d)", c[i].counselor_id, r);
			if (r != -ERR_INVAL)
				rc = r;
			continue;
		}
		sent += r == 0;
	}
	return rc ? rc : sent;
}

int
digest_run_job(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	   const char **error)
{
	struct ctx *c = app;
	(void)j;
	int n = digest_run(db, a, c->tmpl, c->cfg->base_url, now);
	if (n < 0) {
		*error = "envoi du récapitulatif des messages non lus interrompu";
		return n;
	}
	/* The mails are jobs due now: this runner sends them as soon as this job ends. */
	return 0;
}


int
digest_jobs_plan(struct db *db, int64_t now)
{
	return jobs_ensure_daily(db, now, DIGEST_KIND, DIGEST_KEY, NULL, DIGEST_HOUR, 0, DIGEST_TZ);
}
