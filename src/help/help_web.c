/* help_web.c — /aide, /raccourci and the web manifest of the counselor space. The QR
 * code encodes the configured public URL (config base_url), so a phone reaches the same
 * server the mails link to. */
#include "help/help_web.h"

#include "base/arena.h"
#include "base/config.h"
#include "help/help.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

#include <stdlib.h>
#include <string.h>

/* The public URL of the counselor space: base_url with one trailing slash. */
static const char *
public_url(struct req *r)
{
	const char *base = req_ctx(r)->cfg->base_url;
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(r->a, "%.*s/", (int)n, base);
}

void
help_mobile_access(struct req *r, struct vm *data)
{
	const char *url = public_url(r);
	vm_set_str(data, "url", url);
	vm_set_str_opt(data, "qr_svg", help_qr_svg(r->a, url, arena_printf(r->a,
		"QR code de l’adresse de votre espace conseiller : %s", url)));
}

static struct vm *
page_data(struct req *r, const char *title, const char *nav)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", title);
	vm_set_str(data, "nav", nav);
	return data;
}

int
help_page(struct req *r)
{
	struct vm *data = page_data(r, "Aide et ressources", "aide");
	help_mobile_access(r, data);
	return view_page(r, 200, "help/help.html", data);
}

int
help_shortcut_page(struct req *r)
{
	return view_page(r, 200, "help/shortcut.html", page_data(r, "Créer un raccourci", "raccourci"));
}

int
help_manifest(struct req *r)
{
	const char *icons = arena_printf(r->a, "%s/vendor/dsfr/favicon", req_ctx(r)->static_prefix);
	json_t *m = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}",
		"name", "CEJ conseiller", "short_name", "CEJ conseiller", "description",
		"La messagerie de l’espace conseiller du Contrat d’Engagement Jeune", "lang", "fr",
		"start_url", "/messagerie", "scope", "/", "display", "standalone",
		"background_color", "#ffffff", "theme_color", "#000091", "icons",
		"src", arena_printf(r->a, "%s/android-chrome-192x192.png", icons), "sizes", "192x192",
		"type", "image/png",
		"src", arena_printf(r->a, "%s/android-chrome-512x512.png", icons), "sizes", "512x512",
		"type", "image/png");
	char *body = json_dumps(m, JSON_COMPACT);
	resp_bytes(r, 200, "application/manifest+json", body, strlen(body));
	free(body);
	json_decref(m);
	r->no_store = false;
	resp_header(r, "Cache-Control", "public, max-age=3600");
	return 0;
}
