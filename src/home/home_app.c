/* home_app.c — GET /app/accueil. */
#include "home/home_app.h"

#include "auth/session.h"
#include "base/text.h"
#include "home/home_store.h"
#include "core/ctx.h"
#include "view/view.h"

int
home_app_page(struct req *r)
{
	struct home_counselor c;
	int rc = home_store_counselor(ctx_db(r), r->a, r->user->id, &c);
	if (rc)
		return rc;
	return view_page(r, 200, "home/app_home.html",
			 json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "title",
				   "Accueil", "nav", "accueil", "first_name", r->user->first_name,
				   "counselor", "first_name", c.first_name, "last_name",
				   text_upper(r->a, c.last_name), "structure", c.structure_name));
}
