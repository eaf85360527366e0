/* pilotage_web.h — the Pilotage page (actions.md §6): the "Nouvelles activités" counters
 * and the tabs "Actions" (the portfolio's actions to qualify, with the batch
 * qualification of qualify_web.h) and "Archivage des comptes". Only the tiles and tabs of
 * features that exist are shown. */
#ifndef CEJ_PILOTAGE_WEB_H
#define CEJ_PILOTAGE_WEB_H

#include "http/http.h"

int pilotage_page(struct req *r);   /* GET /pilotage?onglet=actions|archivage&… */

#endif
