/* app_event.h — an event of the beneficiary's app (core/feature.h struct app_event) as its
 * cards show it in Mon suivi, Accueil and Événements: one place for its wording. */
#ifndef CEJ_VIEW_APP_EVENT_H
#define CEJ_VIEW_APP_EVENT_H

#include <stdint.h>

struct app_event;
struct arena;
struct vm;

/* Sets on @o every key a card reads: href, title, type, modality and with (null
 * when not said), registered, day ("Mardi 5 mars 2024"), hours ("10h00 - 10h45") and
 * time ("10h00"), in zone @tz. Strings in @a. */
void view_app_event(struct arena *a, struct vm *o, const struct app_event *e, const char *tz);

/* "Mardi 5 mars 2024": the long French date of @day with a capital. Arena-owned. */
const char *view_day_title(struct arena *a, int64_t day);

#endif
