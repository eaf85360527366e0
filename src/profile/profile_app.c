/* profile_app.c — the beneficiary reads their profile and may delete their account by
 * typing "supprimer". A beneficiary only ever reaches their own record (r->user). */
#include "profile/profile_app.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries.h"
#include "record/record.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

int
profile_app_page(struct req *r)
{
	struct record rec;
	int rc = record_load(ctx_db(r), r->a, r->user->id, &rec);
	if (rc)
		return rc;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Mon profil");
	vm_set_str(data, "nav", "profil");
	vm_set_strf(data, "name", "%s %s", rec.first_name, text_upper(r->a, rec.last_name));
	vm_set_str(data, "email", rec.email);
	vm_set_str(data, "structure", rec.structure_name);
	vm_set_strf(data, "counselor", "%s %s", rec.counselor_first_name,
		    text_upper(r->a, rec.counselor_last_name));
	vm_set_str(data, "dispositif", rec.dispositif);
	vm_set_str_opt(data, "cej_end_date",
		       rec.cej_end_date ? clock_fr_date(r->a, rec.cej_end_date) : NULL);
	return view_page(r, 200, "profile/app_profile.html", data);
}

static int
delete_form(struct req *r, int status, const char *error)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Suppression de compte");
	vm_set_str_opt(data, "error", error);
	return view_page(r, status, "profile/app_delete.html", data);
}

int
profile_app_delete_page(struct req *r)
{
	return delete_form(r, 200, NULL);
}

/* The confirmation must be the word itself, whatever its case and surrounding spaces. */
static bool
confirmed(struct req *r, const char *typed)
{
	const char *t = text_trim(r->a, typed);
	return t && g_ascii_strcasecmp(t, "supprimer") == 0;
}

int
profile_app_delete(struct req *r)
{
	struct record rec;
	if (!confirmed(r, req_form(r, "confirmation")))
		return delete_form(r, 400, "Champ invalide. Vérifie que tu as bien tapé “supprimer”");
	int rc = record_load(ctx_db(r), r->a, r->user->id, &rec);
	if (!rc)
		rc = beneficiaries_self_delete(req_ctx(r), ctx_db(r), r->a, &rec, clock_now_ms());
	if (rc)
		return rc;
	session_close(r);
	return view_redirect_flash(r, "/app", "compte-app-supprime", NULL);
}
