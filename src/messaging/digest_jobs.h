/* digest_jobs.h — the counselor unread digest (notifications.md §3.5, matrix #19;
 * messaging.md §15): Monday to Friday at 08:00 Europe/Paris, one e-mail per counselor and
 * day at most, "Vous avez {N} conversation(s) non lue(s) sur l'application du CEJ", sent
 * only when N >= 1, the counselor has an e-mail, and they have opened no conversation for
 * 48 h. The mail names no beneficiary and quotes no message.
 *
 * The job is daily (jobs_ensure_daily): the handler itself skips Saturdays and Sundays.
 * Its app pointer is the struct ctx (templates, base_url, mail worker). */
#ifndef CEJ_DIGEST_JOBS_H
#define CEJ_DIGEST_JOBS_H

#include "jobs/jobs.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct tmpl_set;

#define DIGEST_KIND "unread_digest"
#define DIGEST_KEY "unread-digest"
#define DIGEST_TZ "Europe/Paris"
#define DIGEST_HOUR 8
#define DIGEST_QUIET_MS (48 * 3600 * 1000LL)  /* no conversation opened for this long */

/* The handler of DIGEST_KIND (jobs.h job_run_fn). */
struct arena;
struct db;
struct job;
int digest_run_job(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	       const char **error);

/* Plans the daily 08:00 (Paris) job. Idempotent. */
int digest_jobs_plan(struct db *db, int64_t now);

/* ---- Rules (pure) ---- */

/* Is @now a Monday to Friday in Paris? */
bool digest_is_weekday(int64_t now);

enum digest_verdict {
	DIGEST_SEND,
	DIGEST_NOTHING_UNREAD,       /* N = 0 */
	DIGEST_NO_EMAIL,
	DIGEST_OPENED_RECENTLY,      /* a conversation opened within 48 h of @now */
};
/* Whether a counselor with @unread conversations, e-mail @email (NULL or "" = none),
 * who last opened a conversation at @last_open (0 = never), gets the digest at @now. */
enum digest_verdict digest_decide(int unread, const char *email, int64_t last_open, int64_t now);

/* "Vous avez {n} conversation(s) non lue(s) sur l'application du CEJ". Arena-owned. */
char *digest_subject(struct arena *a, int n);

/* ---- The run ---- */

/* Sends the digest of @now's Paris day to every counselor digest_decide() lets through
 * and who has not had it that day: per counselor, one transaction writes the mail to the
 * outbox (templates mail/unread_digest.{txt,html} of @tmpl, link @base_url + /messagerie)
 * and records the day. Nothing on Saturdays and Sundays. Returns the number of mails
 * enqueued, or a negative error (what was committed stays: a re-run sends the rest). */
int digest_run(struct db *db, struct arena *a, const struct tmpl_set *tmpl,
	       const char *base_url, int64_t now);

#endif
