/* offers_sync_web.c — GET /support/offres (offers_sync_web.h). */
#include "offers/offers_sync_web.h"

#include "auth/authz.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "http/http.h"
#include "offers/offers_sync.h"
#include "offers/offers_sync_store.h"
#include "view/view.h"
#include "view/vm.h"

static const struct {
	enum offer_provider p;
	const char *label, *types;
} providers[] = {
	{PROVIDER_FRANCE_TRAVAIL, "France Travail", "Offres d’emploi et alternance"},
	{PROVIDER_ENGAGEMENT, "API Engagement", "Service civique"},
	{PROVIDER_IMMERSION, "Immersion Facilitée", "Immersion"},
	{PROVIDER_MEE, "Mes Événements Emploi", "Événements emploi"},
};

static const char *
when(struct req *r, int64_t ms)
{
	return arena_printf(r->a, "%s à %s", clock_fr_day(r->a, ms, r->user->timezone),
			    clock_fr_time(r->a, ms, r->user->timezone));
}

/* "42 s", "3 min 05 s", "1 h 02 min". */
static const char *
duration(struct arena *a, int64_t ms)
{
	int64_t s = (ms + 500) / 1000;
	if (s < 60)
		return arena_printf(a, "%lld s", (long long)s);
	if (s < 3600)
		return arena_printf(a, "%lld min %02lld s", (long long)(s / 60), (long long)(s % 60));
	return arena_printf(a, "%lld h %02lld min", (long long)(s / 3600),
			    (long long)(s % 3600 / 60));
}

int
offers_sync_support_page(struct req *r)
{
	if (!authz_support(r->user))
		return -ERR_FORBIDDEN;
	struct offers_sync_settings s;
	offers_sync_settings_of(req_ctx(r)->cfg, &s);
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Synchronisation des offres");
	vm_set_str(page, "nav", "support");
	struct vm *rows = vm_set_list(page, "providers");
	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++) {
		struct offers_sync_run last, failed;
		int found = offers_sync_store_latest(ctx_db(r), r->a,
						     offer_provider_name(providers[i].p), &last,
						     &failed);
		if (found < 0)
			return found;
		struct vm *o = vm_push_obj(rows);
		vm_set_str(o, "label", providers[i].label);
		vm_set_str(o, "types", providers[i].types);
		vm_set_str(o, "slug", offer_provider_name(providers[i].p));
		vm_set_bool(o, "configured", offers_sync_configured(&s, providers[i].p));
		vm_set_bool(o, "ran", found & 1);
		if (found & 1) {
			vm_set_str(o, "started", when(r, last.started_at));
			vm_set_str(o, "kind", last.full ? "complète" : "incrémentale");
			vm_set_bool(o, "finished", last.finished_at != 0);
			vm_set_str_opt(o, "duration", last.finished_at
				       ? duration(r->a, last.finished_at - last.started_at) : NULL);
			vm_set_bool(o, "ok", last.finished_at && !last.error);
			vm_set_int(o, "inserted", last.inserted);
			vm_set_int(o, "updated", last.updated);
			vm_set_int(o, "deactivated", last.deactivated);
			vm_set_int(o, "rejected", last.rejected);
		}
		vm_set_bool(o, "failed", (found & 2) != 0);
		vm_set_str_opt(o, "error", found & 2 ? failed.error : NULL);
		vm_set_str_opt(o, "error_at", found & 2 ? when(r, failed.started_at) : NULL);
	}
	return view_page(r, 200, "offers/sync.html", page);
}
