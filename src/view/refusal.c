/* refusal.c — one page for every refusal. */
#include "view/refusal.h"

#include "base/err.h"
#include "http/http.h"
#include "view/view.h"
#include "view/vm.h"

int
view_refusal_page(struct req *r, struct vm *page, const struct refusal *why, const char *back,
		  const char *back_label)
{
	if (!page)
		page = vm_obj(r->a);
	vm_set_str(page, "title", why->title ? why->title : "Action impossible");
	vm_set_str(page, "text", why->message);
	vm_set_str(page, "back", back);
	vm_set_str_opt(page, "back_label", back_label);
	vm_set_int(page, "status", why->status);
	return view_page(r, why->status, "errors/refused.html", page);
}

int
view_refusal(struct req *r, const struct refusal *why, const char *back, const char *back_label)
{
	return view_refusal_page(r, NULL, why, back, back_label);
}
