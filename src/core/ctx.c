/* ctx.c — the request context's accessors. */
#include "core/ctx.h"

#include "base/config.h"
#include "db/db.h"

struct db *
ctx_db(struct req *r)
{
	return db_thread(req_ctx(r)->cfg->database_url);
}
