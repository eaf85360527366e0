/* agenda_app.h — the beneficiary's pages of the agenda (agenda.md §7, youth-app.md §7): the
 * detail of a rendez-vous or an animation collective he takes part in, the tab Événements ›
 * "Ma Mission Locale" and the detail of an animation collective of his Mission Locale with
 * "Partager à mon conseiller". What he may not see answers 404 "Cet élément n’est plus
 * disponible.". */
#ifndef CEJ_AGENDA_APP_H
#define CEJ_AGENDA_APP_H

struct req;

/* The flash of a shared event (agenda_feature.c holds its text, AGENDA_APP_SHARED). */
#define AGENDA_APP_FLASH_SHARED "app-evenement-partage"

int agenda_app_detail_page(struct req *r);   /* GET  /app/rendez-vous/{id} */
int agenda_app_events_page(struct req *r);   /* GET  /app/evenements */
int agenda_app_ac_page(struct req *r);       /* GET  /app/evenements/animations/{id} */
int agenda_app_share_post(struct req *r);    /* POST /app/evenements/animations/{id}/partager */

#endif
