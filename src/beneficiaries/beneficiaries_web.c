/* beneficiaries_web.c — the two steps of adding a beneficiary: parse, call, render. */
#include "beneficiaries/beneficiaries_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "beneficiaries/beneficiaries.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

/* Step 1, with the refusal beside the number; @existing_id: the fiche of a dossier already
 * in the caller's portfolio. */
static int
step1(struct req *r, int status, const char *number, const char *error, const char *existing_id)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Créer un compte bénéficiaire");
	vm_set_str(data, "nav", "portefeuille");
	vm_set_str_opt(data, "number", number);
	vm_set_str_opt(data, "error", error);
	vm_set_str_opt(data, "existing", existing_id);
	return view_page(r, status, "beneficiaries/add_step1.html", data);
}

/* Step 2: the dossier as i-milo gives it, the dispositif, and the refusal (beside the
 * dispositif when it is about it). */
static int
step2(struct req *r, int status, const struct imilo_dossier *d, bool other_structure,
      const char *dispositif, const struct refusal *why, const char *existing_id)
{
	bool on_dispositif = why && why->field && !strcmp(why->field, "dispositif");
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Créer un compte bénéficiaire");
	vm_set_str(data, "nav", "portefeuille");
	struct vm *dossier = vm_set_obj(data, "dossier");
	vm_set_str(dossier, "id", d->id);
	vm_set_str_opt(dossier, "first_name", d->first_name);
	vm_set_str_opt(dossier, "last_name", d->last_name);
	vm_set_str_opt(dossier, "birth_date", clock_fr_date(r->a, d->birth_date));
	vm_set_str_opt(dossier, "postal_code", d->postal_code);
	vm_set_str_opt(dossier, "email", d->email);
	vm_set_str_opt(dossier, "structure", d->structure_name ? d->structure_name : d->structure_code);
	vm_set_bool(data, "other_structure", other_structure);
	vm_set_str_opt(data, "dispositif", dispositif);
	vm_set_str_opt(data, "error", why && !on_dispositif ? why->message : NULL);
	vm_set_str_opt(data, "dispositif_error", on_dispositif ? why->message : NULL);
	vm_set_int(data, "hours", req_ctx(r)->cfg->activation_link_ttl_hours);
	vm_set_str_opt(data, "existing", existing_id);
	return view_page(r, status, "beneficiaries/add_step2.html", data);
}

int
beneficiaries_add_page(struct req *r)
{
	return step1(r, 200, NULL, NULL, NULL);
}

int
beneficiaries_add_lookup(struct req *r)
{
	const char *raw = req_form(r, "dossier"), *number, *msg;
	struct imilo_dossier d;
	struct dossier_check check;
	int rc;

	if ((msg = beneficiaries_check_number(r->a, raw, &number)))
		return step1(r, 400, number, msg, NULL);
	rc = beneficiaries_check_dossier(req_ctx(r), ctx_db(r), r->a, r->user, number, &d, &check);
	if (rc && !check.why.message)
		return rc;
	if (rc)
		return step1(r, check.why.status, number, check.why.message, check.existing_id);
	return step2(r, 200, &d, check.other_structure, NULL, NULL, NULL);
}

int
beneficiaries_add_create(struct req *r)
{
	const char *number = req_form(r, "dossier"), *dispositif = req_form(r, "dispositif");
	struct imilo_dossier d = {0};
	struct add_outcome out;
	int rc = beneficiaries_add(req_ctx(r), ctx_db(r), r->a, r->user, number, dispositif,
				   clock_now_ms(), &d, &out);

	if (rc == 0)
		return view_redirect_flash(r, "/portefeuille", "beneficiaire-ajoute", out.beneficiary_id);
	if (!out.why.message)
		return rc;
	if (out.dossier_failed)
		return step1(r, out.why.status, number, out.why.message, NULL);
	return step2(r, out.why.status, &d, out.other_structure, dispositif, &out.why, out.existing_id);
}
