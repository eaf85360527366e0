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

#include <string.h>

int
profile_app_page(struct req *r)
{
	struct record rec;
	int rc = record_load(ctx_db(r), r->a, r->user->id, &rec);
	if (rc)
		return rc;
	return view_page(r, 200, "profile/app_profile.html",
			 json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "title", "Mon profil", "nav", "profil",
				   "name", arena_printf(r->a, "%s %s", rec.first_name, text_upper(r->a, rec.last_name)),
				   "email", rec.email, "structure", rec.structure_name, "counselor",
				   arena_printf(r->a, "%s %s", rec.counselor_first_name,
						text_upper(r->a, rec.counselor_last_name)),
				   "dispositif", rec.dispositif, "cej_end_date",
				   clock_fr_date(r->a, rec.cej_end_date)));
}

static int
delete_form(struct req *r, int status, const char *error)
{
	return view_page(r, status, "profile/app_delete.html",
			 json_pack("{s:s, s:s?}", "title", "Suppression de compte", "error", error));
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
