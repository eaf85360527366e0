/* mailbox_feature.c — the mailbox feature declared to the server: the demo mailbox (demo
 * setting only). */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "mailbox/mailbox_web.h"

#include "base/config.h"

#include <glib.h>

/* The demo mailbox reads the .eml files of the file transport. */
static bool
mailbox_enabled(const struct config *cfg)
{
	return g_str_has_prefix(cfg->mail_transport, "file:");
}

static const struct route routes[] = {
	{"GET", "/demo/courriels", mailbox_page, 0, ACCESS_PUBLIC},
	{"GET", "/demo/courriels/{id}", mailbox_mail, 0, ACCESS_PUBLIC},
};

const struct feature mailbox_feature = {
	.name = "mailbox",
	.enabled = mailbox_enabled,
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
};
