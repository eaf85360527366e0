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

static int
step1(struct req *r, int status, const char *number, const char *error)
{
	return view_page(r, status, "beneficiaries/add_step1.html",
			 json_pack("{s:s, s:s, s:s?, s:s?}", "title", "Créer un compte bénéficiaire",
				   "nav", "portefeuille", "number", number, "error", error));
}

static json_t *
dossier_json(struct req *r, const struct imilo_dossier *d)
{
	return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", d->id, "first_name",
			 d->first_name, "last_name", d->last_name, "birth_date",
			 clock_fr_date(r->a, d->birth_date), "postal_code", d->postal_code, "email",
			 d->email);
}

static int
step2(struct req *r, int status, const struct imilo_dossier *d, const char *dispositif,
      const char *error, const char *dispositif_error, const char *existing_id)
{
	return view_page(r, status, "beneficiaries/add_step2.html",
			 json_pack("{s:s, s:s, s:o, s:s?, s:s?, s:s?, s:i, s:s?}", "title",
				   "Créer un compte bénéficiaire", "nav", "portefeuille", "dossier",
				   dossier_json(r, d), "dispositif", dispositif, "error", error,
				   "dispositif_error", dispositif_error, "hours",
				   req_ctx(r)->cfg->activation_link_ttl_hours, "existing", existing_id));
}

int
beneficiaries_add_page(struct req *r)
{
	return step1(r, 200, NULL, NULL);
}

int
beneficiaries_add_lookup(struct req *r)
{
	const char *raw = req_form(r, "dossier"), *number, *msg;
	struct imilo_dossier d;
	int status;

	if ((msg = beneficiaries_check_number(r->a, raw, &number)))
		return step1(r, 400, number, msg);
	if (beneficiaries_lookup(req_ctx(r), r->a, number, &d, &msg, &status))
		return step1(r, status, number, msg);
	return step2(r, 200, &d, NULL, NULL, NULL, NULL);
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
	if (rc < 0)
		return rc;
	if (out.dossier_failed)
		return step1(r, out.status, number, out.message);
	if (!beneficiaries_dispositif_ok(dispositif))
		return step2(r, out.status, &d, dispositif, NULL, out.message, NULL);
	return step2(r, out.status, &d, dispositif, out.message, NULL, out.existing_id);
}
