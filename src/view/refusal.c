/* refusal.c — the page of a refusal (refusal.h). */
#include "view/refusal.h"

#include "base/err.h"
#include "http/http.h"
#include "view/view.h"
#include "view/vm.h"

int
view_refusal(struct req *r, const struct refusal *why, const char *nav, const char *back,
	     const char *back_label)
{
	int status = why->status ? why->status : 400;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", why->title ? why->title : "Action impossible");
	vm_set_str(page, "text", why->message);
	vm_set_int(page, "status", status);
	vm_set_str(page, "back", back);
	vm_set_str_opt(page, "back_label", back_label);
	vm_set_str_opt(page, "nav", nav);
	return view_page(r, status, "errors/refused.html", page);
}
