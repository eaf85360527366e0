/* lifecycle_web.c — parse, check access, call the lifecycle use case, render. */
#include "beneficiaries/lifecycle_web.h"

#include "auth/authz.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries.h"
#include "record/record.h"
#include "core/ctx.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

/* The beneficiary of the path, when the caller is its referent; others get 404 when they
 * cannot see it and 403 when they may only read it. */
static int
load_for_write(struct req *r, struct record *rec)
{
	return record_open(ctx_db(r), r->a, r->user, req_param(r, "id"), RECORD_WRITE,
			   clock_now_ms(), rec, NULL);
}

static const char *
display_name(struct req *r, const struct record *rec)
{
	return arena_printf(r->a, "%s %s", rec->first_name, text_upper(r->a, rec->last_name));
}

/* A use case's @rc: its refusal's page, back to the fiche, or the failure as is. */
static int
refused(struct req *r, int rc, const struct refusal *why, const char *id)
{
	return why->message ? view_refusal(r, why, "portefeuille",
					   arena_printf(r->a, "/beneficiaires/%s", id), NULL)
			    : rc;
}

int
lifecycle_resend(struct req *r)
{
	struct record rec;
	struct refusal why = {0};
	int rc = load_for_write(r, &rec);
	if (rc)
		return rc;
	rc = beneficiaries_resend(req_ctx(r), ctx_db(r), r->a, &rec, clock_now_ms(), &why);
	if (rc)
		return refused(r, rc, &why, rec.id);
	return view_redirect_flash(r, arena_printf(r->a, "/beneficiaires/%s", rec.id),
				   "activation-renvoyee", NULL);
}

/* What both steps of "Supprimer le compte" show. */
static struct vm *
delete_data(struct req *r, const struct record *rec, const char *step)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Supprimer le compte");
	vm_set_str(data, "nav", "portefeuille");
	vm_set_str(data, "id", rec->id);
	vm_set_str(data, "name", display_name(r, rec));
	vm_set_str(data, "step", step);
	vm_set_bool(data, "activated", rec->activated_at != 0);
	return data;
}

static int
archive_form(struct req *r, int status, const struct record *rec, const struct archive_input *in,
	     const struct archive_errors *err)
{
	int64_t now = clock_now_ms();
	struct vm *data = delete_data(r, rec, "motif");
	struct vm *motifs = vm_set_list(data, "motifs");
	for (int i = 0; beneficiaries_archive_motifs[i]; i++) {
		struct vm *m = vm_push_obj(motifs);
		vm_set_str(m, "label", beneficiaries_archive_motifs[i]);
		vm_set_bool(m, "selected", in && in->motif &&
					   !strcmp(in->motif, beneficiaries_archive_motifs[i]));
	}
	struct vm *errors = vm_set_obj(data, "errors");
	vm_set_str_opt(errors, "motif", err ? err->motif : NULL);
	vm_set_str_opt(errors, "comment", err ? err->comment : NULL);
	vm_set_str_opt(errors, "end_date", err ? err->end_date : NULL);
	vm_set_str_opt(data, "comment", in ? in->comment : NULL);
	vm_set_str_opt(data, "end_date", in ? in->end_date : NULL);
	vm_set_str_opt(data, "last_activity", rec->last_activity_at
		? clock_fr_day(r->a, rec->last_activity_at, rec->timezone) : NULL);
	vm_set_str(data, "min", clock_iso_day(r->a, rec->created_at, rec->timezone));
	vm_set_str(data, "max", clock_iso_day(r->a, now, rec->timezone));
	vm_set_bool(data, "other", in && in->motif && !strcmp(in->motif, "Autre"));
	vm_set_int(data, "comment_max", ARCHIVE_COMMENT_MAX);
	return view_page(r, status, "beneficiaries/delete.html", data);
}

int
lifecycle_delete_page(struct req *r)
{
	struct record rec;
	int rc = load_for_write(r, &rec);
	const char *step = req_query(r, "etape");
	if (rc)
		return rc;
	if (rec.activated_at && step && !strcmp(step, "motif"))
		return archive_form(r, 200, &rec, NULL, NULL);
	return view_page(r, 200, "beneficiaries/delete.html", delete_data(r, &rec, "confirmation"));
}

int
lifecycle_delete(struct req *r)
{
	struct record rec;
	int rc = load_for_write(r, &rec);
	if (rc)
		return rc;
	struct refusal why = {0};
	rc = beneficiaries_delete(req_ctx(r), ctx_db(r), r->user, &rec, clock_now_ms(), &why);
	if (rc)
		return refused(r, rc, &why, rec.id);
	return view_redirect_flash(r, "/portefeuille", "compte-supprime", display_name(r, &rec));
}

int
lifecycle_archive(struct req *r)
{
	struct record rec;
	struct archive_errors err;
	int64_t now = clock_now_ms();
	int rc = load_for_write(r, &rec);
	if (rc)
		return rc;
	struct archive_input in = {
		.motif = req_form(r, "motif"), .comment = req_form(r, "commentaire"),
		.end_date = text_trim(r->a, req_form(r, "date_fin")),
	};
	if (!beneficiaries_archive_check(&in, clock_iso_day(r->a, rec.created_at, rec.timezone),
					 clock_iso_day(r->a, now, rec.timezone), &err))
		return archive_form(r, 400, &rec, &in, &err);
	struct refusal why = {0};
	rc = beneficiaries_archive(req_ctx(r), ctx_db(r), r->a, r->user, &rec, &in, now, &why);
	if (rc)
		return refused(r, rc, &why, rec.id);
	return view_redirect_flash(r, "/portefeuille", "compte-supprime", display_name(r, &rec));
}

int
lifecycle_refresh(struct req *r)
{
	struct record rec;
	int rc = load_for_write(r, &rec);
	if (rc)
		return rc;
	rc = beneficiaries_refresh(req_ctx(r), ctx_db(r), r->a, rec.id, rec.imilo_dossier_id,
				   false, clock_now_ms());
	if (rc < 0)
		return rc;
	return view_redirect_flash(r, arena_printf(r->a, "/beneficiaires/%s", rec.id),
				   rc == 0 ? "imilo-actualise" : "imilo-injoignable", NULL);
}
