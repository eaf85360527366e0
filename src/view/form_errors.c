/* form_errors.c — the summary of a form's errors. */
#include "view/form_errors.h"

#include "view/vm.h"

struct vm *
view_form_errors(struct arena *a, const struct view_field_error *fields, size_t n)
{
	struct vm *errors = NULL, *list = NULL;
	int count = 0;

	for (size_t i = 0; i < n; i++) {
		if (!fields[i].text)
			continue;
		if (!errors) {
			errors = vm_obj(a);
			list = vm_set_list(errors, "list");
		}
		vm_set_str(errors, fields[i].field, fields[i].text);
		struct vm *item = vm_push_obj(list);
		vm_set_str(item, "text", fields[i].text);
		vm_set_str(item, "anchor", fields[i].anchor);
		count++;
	}
	if (errors)
		vm_set_int(errors, "count", count);
	return errors;
}
