/* ctx.h — the request context: what every handler, the layout and the auth layer reach
 * through a request — the server context (r->app) and the caller (r->user).
 *
 * Layer "core", just above base, db and http: view, auth, features and serve may include
 * it; it includes nothing above http. The server context is built once by serve (the
 * composition root) at start and read-only afterwards: the only shared state besides the
 * per-thread database connections. */
#ifndef CEJ_CTX_H
#define CEJ_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/feature.h"
#include "http/http.h"

struct config;
struct db;
struct imilo_client;
struct jobs_runner;
struct msg_keyring;
struct offers_text;
struct tmpl_set;

struct ctx {
	/* First, always: infrastructure below core (the mail job, mail.h) reads the
	 * configuration through the job runner's app pointer without knowing struct ctx. */
	const struct config *cfg;
	struct tmpl_set *tmpl;
	const char *static_prefix;     /* "/static/<bundle hash>" */
	struct imilo_client *imilo;
	struct jobs_runner *jobs;      /* wake it after committing a job due now (a mail) */
	struct msg_keyring *keys;      /* keys of messages at rest (messaging/crypto.h) */
	/* The offers' French analyser (offers_search.h: made once per process; read-only,
	 * shared by every thread): the search pages and the alert jobs hand it to the search. */
	struct offers_text *offers_text;
	struct feature_table features; /* the enabled features (serve/features.def) */
	int64_t start_time_s;          /* wall clock at start, Unix seconds (/metrics) */
};

enum user_kind { USER_COUNSELOR = 1, USER_BENEFICIARY = 2 };

/* The logged-in user, arena-owned, in r->user. */
struct user {
	enum user_kind kind;
	const char *id;
	const char *first_name, *last_name, *email;
	const char *structure_id;
	const char *structure_name;
	const char *timezone;        /* the structure's IANA zone */
	const char *session_hash;
	const char *csrf;
	bool is_supervisor;
	/* A counselor's own settings that every page of theirs reads (the layout's sound and
	 * welcome modal, admin-and-misc.md §4): loaded with the session, no query more. */
	bool sound_notifications;
	bool mobile_welcome_seen;
};

static inline struct ctx *
req_ctx(struct req *r)
{
	return r->app;
}

/* This thread's database connection (NULL only if the file cannot be opened). Released by
 * serve when the request ends. */
struct db *ctx_db(struct req *r);

#endif
