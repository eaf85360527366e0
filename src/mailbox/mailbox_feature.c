/* mailbox_feature.c — the mailbox feature declared to the server: the demo mailbox (demo
 * setting demo_mailbox only). */
#include "core/feature.h"

#include "auth/authz.h"
#include "http/http.h"
#include "mailbox/mailbox_web.h"

#include "base/config.h"

/* Only when asked for (demo_mailbox): the page hands every mail's links, password resets
 * included, to whoever opens it. config_load keeps it off other machines' reach unless
 * demo_mailbox_public confirms. */
static bool
mailbox_enabled(const struct config *cfg)
{
	return cfg->demo_mailbox;
}

static const struct route routes[] = {
	{"GET", "/demo/courriels", mailbox_page, 0, ACCESS_PUBLIC},
	{"GET", "/demo/courriels/{id}", mailbox_mail, 0, ACCESS_PUBLIC},
	{"GET", "/demo/courriels/{id}/contenu", mailbox_mail_content, 0, ACCESS_PUBLIC},
	{"GET", "/demo/courriels/{id}/pieces-jointes/{n}", mailbox_attachment, 0, ACCESS_PUBLIC},
};

const struct feature mailbox_feature = {
	.name = "mailbox",
	.enabled = mailbox_enabled,
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
};
