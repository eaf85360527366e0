/* masking_web.c — "Masquer la messagerie" / "Rendre visible la messagerie" (messaging.md §2,
 * reference): blurs the conversation content of the counselor's screen, for example while
 * it is shared in a meeting.
 *
 * The choice is a cookie of this browser rather than a setting of the account: it protects
 * one screen (the one being shared), it must hold on every page without JavaScript (the
 * layout reads it: view.c puts "cej-masque" on <body>, cej.css blurs), and it carries no
 * data worth a table. The blur is visual only: the text stays in the page for the
 * counselor's own assistive technologies. */
#include "messaging/masking_web.h"

#include <string.h>

#include "auth/login.h"
#include "base/config.h"
#include "core/ctx.h"

#define MASK_COOKIE "cej_masque"
#define MASK_MAX_AGE (365 * 24 * 3600)

bool
messaging_masked(struct req *r)
{
	const char *v = req_cookie(r, MASK_COOKIE);
	return v && !strcmp(v, "1");
}

/* POST /messagerie/masquage: masquer=1 masks, masquer=0 shows again; back to the page. */
int
messaging_mask_toggle(struct req *r)
{
	const char *v = req_form(r, "masquer");
	bool secure = req_ctx(r)->cfg->secure_cookies;
	if (v && !strcmp(v, "1"))
		resp_cookie(r, MASK_COOKIE, "1", MASK_MAX_AGE, secure);
	else
		resp_cookie(r, MASK_COOKIE, "", 0, secure);
	resp_redirect(r, login_safe_return(req_form(r, "retour"), "/messagerie"));
	return 0;
}
