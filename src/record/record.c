/* record.c — rules of the fiche. No SQL, no HTML. */
#include "record/record.h"

#include "audit/audit.h"
#include "auth/authz.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "core/ctx.h"
#include "core/feature.h"

#include <stdlib.h>
#include <string.h>

bool
record_resend_allowed(const struct record *r, int64_t now)
{
	if (r->activated_at)
		return false;
	return r->last_resend_at == 0 || now - r->last_resend_at >= RECORD_RESEND_DELAY_MS;
}

bool
record_imilo_stale(const struct record *r)
{
	return r->imilo_sync_failed_at != 0 && r->imilo_sync_failed_at >= r->imilo_synced_at;
}

const char *
record_situation_state_label(const char *etat)
{
	if (!etat)
		return NULL;
	if (!strcmp(etat, "EN_COURS"))
		return "En cours";
	if (!strcmp(etat, "PREVU"))
		return "Prévue";
	if (!strcmp(etat, "TERMINE"))
		return "Terminée";
	return NULL;
}

int
record_audit_read(struct db *db, const char *counselor_id, const char *id, int64_t now)
{
	return audit_record(db, now, "counselor", counselor_id, "beneficiary.read_outside_portfolio",
			    id, NULL);
}

int
record_open(struct db *db, struct arena *a, const struct user *u, const char *id,
	    enum record_need need, int64_t now, struct record *out, enum authz_level *level)
{
	enum authz_level got = AUTHZ_NONE;
	int rc = id_is_uuid(id) ? record_load(db, a, id, out) : -ERR_NOTFOUND;
	if (!rc) {
		got = authz_beneficiary(u, out->counselor_id, out->structure_id);
		if (got == AUTHZ_NONE)
			rc = -ERR_NOTFOUND;
		else if (got == AUTHZ_READ && need == RECORD_WRITE)
			rc = -ERR_FORBIDDEN;
		else if (got == AUTHZ_READ)
			rc = record_audit_read(db, u->id, out->id, now);
	}
	if (level)
		*level = rc ? AUTHZ_NONE : got;
	return rc;
}

int64_t
record_week_start(const char *debut, int64_t now, const char *tz)
{
	int64_t day = clock_day_parse(debut);
	if (day == CLOCK_NO_DAY)
		day = clock_day_of(now, tz);
	return clock_day_monday(day);
}

static int
by_instant(const void *x, const void *y)
{
	const struct week_item *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return strcmp(a->href, b->href);
}

void
record_week_sort(struct week_item *items, int n)
{
	if (n > 1)
		qsort(items, (size_t)n, sizeof(*items), by_instant);
}

int
record_week_events(const struct week_item *items, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += items[i].event;
	return k;
}
