/* offers_events_app.h — the young person's tab Événements › "Externes" (youth-app.md §7,
 * offers.md §9): the events of Mes Événements Emploi searched by commune, one's detail, and
 * its share to the counselor (a JOB_EVENT_SHARE message). Plain links and forms: nothing
 * needs JavaScript. */
#ifndef CEJ_OFFERS_EVENTS_APP_H
#define CEJ_OFFERS_EVENTS_APP_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct req;

#define OFFERS_EVENTS_PAGE 10
#define OFFERS_EVENTS_RADIUS_KM 30      /* around the commune searched */
#define OFFERS_EVENTS_DEFAULT_DAYS 30   /* the date range's default: today → +30 days */
#define OFFERS_EVENTS_FLASH_SHARED "app-evenement-externe-partage"
#define OFFERS_EVENTS_SHARED "L’événement a été partagé à ton conseiller sur la messagerie de l’application"

/* The filter's types (offers.md §9), as the provider names them. */
#define OFFERS_EVENT_TYPES 8
extern const char *const offers_event_types[OFFERS_EVENT_TYPES];

/* The places left of an event, -1 when the provider gives no capacity: the seats on site
 * and remote, less those registered. Pure. */
int64_t offers_event_places_left(int64_t seats_onsite, int64_t seats_remote,
				 int64_t registered_onsite, int64_t registered_remote);
/* Whether the modalities (a JSON array of the provider's words) say remote, on site. Pure. */
bool offers_event_remote(const char *modalities);
bool offers_event_onsite(const char *modalities);

/* GET /app/evenements/externes, GET /app/evenements/externes/{id},
 * POST /app/evenements/externes/{id}/partager. */
int offers_events_app_page(struct req *r);
int offers_events_app_detail(struct req *r);
int offers_events_app_share(struct req *r);

#endif
