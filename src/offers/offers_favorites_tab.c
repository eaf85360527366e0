/* offers_favorites_tab.c — the offers' parts of the counselor's fiche (beneficiaries.md
 * §7; offers.md §5, §7), declared as record tabs in offers_feature.c: the tab "Favoris (N)"
 * — the followed offers, only when the beneficiary shares them — and the section "Les
 * offres" of the "Indicateurs" tab for the selected week. Also the offers' part of the
 * account's purge and archive, and the daily purge job. */
#include "offers/offers_app.h"

#include "offers/offers_app_contact.h"
#include "offers/offers_events.h"
#include "offers/offers_favorites.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "core/feature.h"
#include "db/db.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "record/record.h"
#include "view/vm.h"

#include <jansson.h>

int
offers_record_favorites(struct req *r, const struct record *rec, bool can_write, int64_t now,
			struct vm *page)
{
	(void)can_write;
	(void)now;
	struct db *db = ctx_db(r);
	struct vm *tab = vm_set_obj(page, "favoris");
	bool shared;
	struct offer_favorite *favs;
	int n = offers_favorites_for_counselor(db, r->a, rec->id, &shared, &favs);
	if (n < 0)
		return n;
	vm_set_bool(tab, "shared", shared);
	vm_set_str(tab, "refusal", arena_printf(r->a, "%s ne partage pas ses favoris.",
						 rec->first_name));
	struct vm *rows = vm_set_list(tab, "rows");
	if (!shared) {
		vm_set_str(tab, "total", "");
		return 0;
	}
	vm_set_str(tab, "total", arena_printf(r->a, " (%d)", n));
	for (int i = 0; i < n; i++) {
		struct vm *x = vm_push_obj(rows);
		const struct offer_favorite *f = &favs[i];
		vm_set_str(x, "type", f->type == OFFER_EMPLOI || f->type == OFFER_ALTERNANCE
			   ? arena_printf(r->a, "%s n°%s", offer_type_label(f->type), f->offer_id)
			   : offer_type_label(f->type));
		vm_set_str(x, "title", f->title);
		vm_set_str(x, "company", f->company ? f->company : "—");
		vm_set_str(x, "status", f->applied_at
			   ? arena_printf(r->a, "Postulée le %s", clock_fr_day(r->a, f->applied_at,
										 rec->timezone))
			   : "Enregistrée");
	}
	return 0;
}

int
offers_record_indicators(struct req *r, const struct record *rec, bool can_write, int64_t now,
			 struct vm *page)
{
	(void)can_write;
	int64_t monday = record_week_start(req_query(r, "debut"), now, rec->timezone);
	int counts[OFFER_EVENT_CODES];
	int rc = offers_events_count(ctx_db(r), rec->id, clock_day_at(monday, 0, 0, rec->timezone),
				     clock_day_at(monday + 7, 0, 0, rec->timezone), counts);
	if (rc)
		return rc;
	struct vm *list = vm_set_list(page, "offers_week");
	for (int i = 0; i < OFFER_EVENT_CODES; i++) {
		struct vm *x = vm_push_obj(list);
		vm_set_int(x, "n", counts[i]);
		vm_set_str(x, "label", offers_event_label(i, counts[i]));
	}
	return 0;
}

/* ---- The account's end and the daily purge ---- */

int
offers_app_purge(struct db *db, const char *beneficiary_id)
{
	int rc = offers_favorites_store_purge_beneficiary(db, beneficiary_id);
	if (!rc)
		rc = offers_contact_store_purge_beneficiary(db, beneficiary_id);
	return rc ? rc : offers_events_purge_beneficiary(db, beneficiary_id);
}

int
offers_app_archive(struct db *db, struct arena *a, const char *beneficiary_id, json_t *archive)
{
	struct offer_favorite *favs;
	int n = offers_favorites_store_list(db, a, beneficiary_id, -1, &favs);
	if (n < 0)
		return n;
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:I, s:I}", "offer_id",
			favs[i].offer_id, "type", offer_type_code(favs[i].type), "title", favs[i].title,
			"created_at", (json_int_t)favs[i].created_at,
			"applied_at", (json_int_t)favs[i].applied_at));
	json_object_set_new(archive, "offres_suivies", out);
	return 0;
}


int
offers_app_job_purge(void *app, struct db *db, struct arena *a, const struct job *j, int64_t now,
	  const char **error)
{
	(void)app;
	(void)a;
	(void)j;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	int n = offers_favorites_store_purge_old(db, offers_favorites_cutoff(now));
	if (n >= 0)
		n = offers_events_purge_old(db, now);
	rc = db_tx_end(db, n < 0 ? n : 0);
	if (rc)
		*error = "purge des favoris et des indicateurs d’offres impossible";
	return rc;
}

int
offers_app_plan_jobs(struct db *db, int64_t now)
{
	return jobs_ensure_daily(db, now, OFFERS_APP_PURGE_KIND, "offers:favorites-purge", NULL, 4, 45,
				 "Europe/Paris");
}
