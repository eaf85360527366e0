/* offers_events_app_store.h — the SQL of the young person's "Externes" tab (offers.md §9):
 * the events of Mes Événements Emploi matching a search. The same on both engines. */
#ifndef CEJ_OFFERS_EVENTS_APP_STORE_H
#define CEJ_OFFERS_EVENTS_APP_STORE_H

#include "offers/offers.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

enum job_event_modality { JOB_EVENT_ANY, JOB_EVENT_ONSITE, JOB_EVENT_REMOTE };

/* An events search: active events starting in [from, to), held in the commune (its INSEE
 * code) or whose position lies in the box [lat_min, lat_max] × [lon_min, lon_max], or
 * held remotely (anywhere); of @type (NULL: any) and @modality. */
struct job_event_search {
	const char *commune_insee;
	double lat_min, lat_max, lon_min, lon_max;
	const char *type;
	enum job_event_modality modality;
	int64_t from, to;
	int offset, limit;
};

/* Up to q->limit events from q->offset, by start then id, into *@out (arena array, the
 * fields a card shows: id, title, event_date, start_time, end_time, timezone, starts_at,
 * city, postal_code, type, modalities, ends_at), and how many match into *@total. The count of
 * *@out, or -ERR_DB. */
int offers_events_store_search(struct db *db, struct arena *a, const struct job_event_search *q,
			       struct job_event **out, int *total);

#endif
