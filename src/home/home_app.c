/* home_app.c — GET /app/accueil. */
#include "home/home_app.h"

#include "auth/session.h"
#include "base/text.h"
#include "home/home_store.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

int
home_app_page(struct req *r)
{
	struct home_counselor c;
	int rc = home_store_counselor(ctx_db(r), r->a, r->user->id, &c);
	if (rc)
		return rc;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Accueil");
	vm_set_str(data, "nav", "accueil");
	vm_set_str(data, "first_name", r->user->first_name);
	struct vm *counselor = vm_set_obj(data, "counselor");
	vm_set_str(counselor, "first_name", c.first_name);
	vm_set_str(counselor, "last_name", text_upper(r->a, c.last_name));
	vm_set_str(counselor, "structure", c.structure_name);
	return view_page(r, 200, "home/app_home.html", data);
}
