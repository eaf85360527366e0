/* ops_web.c — health, immutable static assets, root redirect, event streams, test clock,
 * test publisher and test queue counts. */
#include "serve/ops_web.h"

#include "auth/session.h"
#include "base/clock.h"
#include "base/embed.h"
#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "imilo/imilo.h"
#include "http/hub.h"
#include "core/ctx.h"
#include "jobs/jobs_store.h"
#include "mail/mail_store.h"

#include <string.h>

int
ops_healthz(struct req *r)
{
	bool ok = db_ping(ctx_db(r));
	/* i-milo's state is said, not judged: cej serves its own data while i-milo is down
	 * (spec/imilo.md §7), so a load balancer must not take the node out for it. */
	resp_json(r, ok ? 200 : 503, json_pack("{s:s, s:s, s:s}", "status", ok ? "ok" : "degraded",
					       "db", ok ? "ok" : "down", "imilo",
					       imilo_health(req_ctx(r)->imilo)));
	return 0;
}

static const char *
mime_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
		{".woff2", "font/woff2"}, {".woff", "font/woff"}, {".json", "application/json"},
		{".webmanifest", "application/manifest+json"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(name, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

int
ops_static(struct req *r)
{
	struct ctx *c = req_ctx(r);
	const char *want = strrchr(c->static_prefix, '/') + 1;
	const struct embed_file *f;

	if (strcmp(req_param(r, "hash"), want) != 0)
		return -ERR_NOTFOUND;
	f = embed_find(embed_static, embed_static_count, req_param(r, "path"));
	if (!f)
		return -ERR_NOTFOUND;
	resp_bytes(r, 200, mime_type(f->name), f->data, f->len);
	r->no_store = false;
	resp_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	return 0;
}

int
ops_root(struct req *r)
{
	resp_redirect(r, r->user && r->user->kind == USER_BENEFICIARY ? "/app/accueil"
								      : "/portefeuille");
	return 0;
}

int
ops_test_clock(struct req *r)
{
	json_error_t e;
	json_int_t off = 0;
	json_t *j = r->body ? json_loadb(r->body, r->body_len, 0, &e) : NULL;
	int rc = j && json_unpack_ex(j, &e, JSON_STRICT, "{s:I}", "offset_ms", &off) == 0 ? 0 : -ERR_INVAL;
	json_decref(j);
	if (rc)
		return rc;
	clock_set_offset_ms(off);
	resp_json(r, 200, json_pack("{s:I}", "now_ms", (json_int_t)clock_now_ms()));
	return 0;
}

int
ops_test_queues(struct req *r)
{
	struct db *db = ctx_db(r);
	int jobs = jobs_store_count_busy(db, clock_now_ms());
	int mails = mail_store_count_unsent(db);
	if (jobs < 0 || mails < 0)
		return -ERR_DB;
	resp_json(r, 200, json_pack("{s:i, s:i}", "jobs", jobs, "mails", mails));
	return 0;
}

int
ops_events_counselor(struct req *r)
{
	resp_sse(r, arena_printf(r->a, HUB_TOPIC_COUNSELOR, r->user->id));
	return 0;
}

int
ops_events_beneficiary(struct req *r)
{
	resp_sse(r, arena_printf(r->a, HUB_TOPIC_BENEFICIARY, r->user->id));
	return 0;
}

int
ops_test_publish(struct req *r)
{
	json_error_t e;
	const char *topic = NULL, *event = NULL, *data = NULL;
	json_t *j = r->body ? json_loadb(r->body, r->body_len, 0, &e) : NULL;
	int rc = j && json_unpack_ex(j, &e, JSON_STRICT, "{s:s, s:s, s?s}", "topic", &topic,
				     "event", &event, "data", &data) == 0 ? 0 : -ERR_INVAL;
	if (!rc) {
		int n = hub_publish(topic, event, data);
		resp_json(r, 200, json_pack("{s:i, s:i}", "delivered", n, "streams", hub_count()));
	}
	json_decref(j);
	return rc;
}
