/* notifications.h — what the beneficiary is told (spec/notifications.md): the catalogue of
 * texts, the notification centre (kept 10 days) and the push intent.
 *
 * notifications_add() is called inside the transaction of the change that causes it. It
 * writes one row per (beneficiary, key): a job re-run or an echo adds nothing. Whether a
 * push is due is decided then (preference on, account activated), and recorded in the row
 * so that the Web Push delivery only has to send it. */
#ifndef CEJ_NOTIFICATIONS_H
#define CEJ_NOTIFICATIONS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

enum notif_type {
	NOTIF_NEW_ACTION,        /* #1 */
	NOTIF_ACTION_UPDATED,    /* #2 */
	NOTIF_ACTION_REMINDER,   /* #3 */
	NOTIF_NEW_MESSAGE,       /* #13: push only, never in the centre */
	NOTIF_NEW_APPOINTMENT,   /* #4 */
	NOTIF_APPOINTMENT_UPDATED,          /* #5 */
	NOTIF_APPOINTMENT_DELETED,          /* #6: its body names the day, notifications_add_dated */
	NOTIF_APPOINTMENT_REMINDER_WEEK,    /* #7, J-7 */
	NOTIF_APPOINTMENT_REMINDER_DAY,     /* #7, J-1 */
	NOTIF_SESSION_REGISTERED,           /* #8: names {nom} and the day, notifications_add_session */
	NOTIF_SESSION_UPDATED,              /* #9 */
	NOTIF_SESSION_UNREGISTERED,         /* #10: names the day, notifications_add_dated */
	NOTIF_SESSION_REMINDER_WEEK,        /* #11, J-7 */
	NOTIF_SESSION_REMINDER_DAY,         /* #11, J-1 */
	NOTIF_SESSION_SELF_REGISTERED,      /* #12: names {nom}, the date and the hour */
	NOTIF_NEW_OFFERS,                   /* #14: titled with the search's name, notifications_add_titled */
	NOTIF_SEARCH_SUGGESTION,            /* #15: the centre only */
	NOTIF_TYPE_COUNT
};

#define NOTIFICATION_RETENTION_DAYS 10

/* The J-7 / J-1 reminders of §3.2, alike for a rendez-vous, an animation collective and an
 * i-milo session. Pure. */
/* The instant reminder J-@days (7 or 1) of an event starting at @start is due: @start −
 * @days × 24 h, counted in UTC so a DST change in between moves nothing (§3.1); or 0 when
 * it must not be planned at @now, i.e. when @start − @now ≤ @days × 24 h (§3.2). */
int64_t notifications_reminder_at(int64_t start, int days, int64_t now);
/* At send time @now: J-7 is still worth sending while ≥ 6 days remain, J-1 while ≤ 2 days
 * remain and the event has not started (§3.2: the job may run late). */
bool notifications_reminder_still_due(int64_t start, int days, int64_t now);

/* Records notification @type for @beneficiary_id with @key (unique per recipient) and deep
 * link @url. 0 (also when the key exists already), or -ERR_DB. */
int notifications_add(struct db *db, int64_t now, const char *beneficiary_id,
		      enum notif_type type, const char *key, const char *url);

/* notifications_add() for a type whose body names a day ("{jj/MM}", #6): the day of
 * instant @day_of in the zone of the beneficiary's structure. Same guarantees. */
int notifications_add_dated(struct db *db, int64_t now, const char *beneficiary_id,
			    enum notif_type type, const char *key, const char *url, int64_t day_of);

/* notifications_add() for a type whose title is given (#14: "{nom de l'alerte}", the
 * saved search's name): @title instead of the catalogue's. Same guarantees. */
int notifications_add_titled(struct db *db, int64_t now, const char *beneficiary_id,
			     enum notif_type type, const char *key, const char *url,
			     const char *title);

/* notifications_add_dated() for a type whose body also names an event ("{nom}", #8, #12):
 * @name replaces it, and the instant @day_of its "{jj/MM/aaaa}" and "{HHhmm}" (#12). Same
 * guarantees. */
int notifications_add_session(struct db *db, int64_t now, const char *beneficiary_id,
			      enum notif_type type, const char *key, const char *url,
			      int64_t day_of, const char *name);

/* notifications_add() with one entry per burst of changes (§4 "several modifications
 * within 60 s produce one"): when @beneficiary_id has an entry whose key starts with
 * "@prefix:" created at or after @now - @window_ms, nothing is written; else the key is
 * "@prefix:{now}" — the version is the instant of the burst's first change. 0 or -ERR_DB. */
int notifications_add_coalesced(struct db *db, int64_t now, const char *beneficiary_id,
				enum notif_type type, const char *prefix, const char *url,
				int64_t window_ms);

/* One of the three above, chosen by @o, with the push left out when o->no_push: the
 * centre entry only (the i-milo rendez-vous while IMILO_RDV_PUSH is off, imilo.md §4).
 * o->burst_ms > 0: notifications_add_coalesced() with @key as its prefix; else
 * o->day_of != 0: notifications_add_dated(); else notifications_add(). Same guarantees. */
struct notif_opts {
	int64_t day_of;
	int64_t burst_ms;
	bool no_push;
};
int notifications_add_opts(struct db *db, int64_t now, const char *beneficiary_id,
			   enum notif_type type, const char *key, const char *url,
			   const struct notif_opts *o);

/* Records the push intent of @type for @beneficiary_id with @key and @url, outside the
 * centre (in_centre = 0): for new messages, whose badge is the Messages tab (§1). Unlike
 * notifications_add(), nothing is written when no push is due (account not activated,
 * preference off). 0 (also when the key exists already), or -ERR_DB. */
int notifications_add_push_only(struct db *db, int64_t now, const char *beneficiary_id,
				enum notif_type type, const char *key, const char *url);

struct notification {
	const char *id, *type, *title, *body, *url;
	int64_t created_at;
	bool seen, push;
};
/* The centre: entries of the last 10 days, newest first. Count or -ERR_DB. */
int notifications_list(struct db *db, struct arena *a, const char *beneficiary_id,
		       int64_t now, struct notification **out);
/* Unseen entries of the centre (the bell's count). Count or -ERR_DB. */
int notifications_unseen(struct db *db, const char *beneficiary_id, int64_t now);
/* Opening the centre marks its entries seen: those created up to @now, the instant the
 * page was read, so one arriving meanwhile stays unseen. */
int notifications_mark_seen(struct db *db, const char *beneficiary_id, int64_t now);
/* Deletes entries older than the retention (daily job). Rows deleted or -ERR_DB. */
int notifications_purge(struct db *db, int64_t now);
/* The notifications' part of an account's deletion and archive (beneficiaries.md §9):
 * every row of @beneficiary_id, in the caller's transaction. The archive keeps none. 0 or
 * -ERR_DB. */
int notifications_purge_beneficiary(struct db *db, const char *beneficiary_id);

#endif
