/* ctx.h — the server context: what every handler reaches through r->app. Built once at
 * start, read-only afterwards (the only shared state besides per-thread connections). */
#ifndef CEJ_CTX_H
#define CEJ_CTX_H

#include "http/http.h"

struct config;
struct db;
struct imilo_client;
struct jobs_runner;
struct msg_keyring;
struct tmpl_set;

struct ctx {
	const struct config *cfg;
	struct tmpl_set *tmpl;
	const char *static_prefix;     /* "/static/<bundle hash>" */
	struct imilo_client *imilo;
	struct jobs_runner *jobs;      /* wake it after committing a job due now (a mail) */
	struct msg_keyring *keys;      /* keys of messages at rest (messaging/crypto.h) */
};

static inline struct ctx *
req_ctx(struct req *r)
{
	return r->app;
}

/* This thread's database connection (NULL only if the file cannot be opened). */
struct db *ctx_db(struct req *r);

#endif
