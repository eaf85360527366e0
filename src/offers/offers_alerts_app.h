/* offers_alerts_app.h — the young person's pages of saved searches ("Mes alertes",
 * youth-app.md §8; offers.md §4, §6):
 *   GET/POST /app/offres/alertes/nouvelle?<critères>   "Créer une alerte pour la recherche"
 *   GET      /app/offres/alertes                       "Mes alertes" (?type= filter) and the
 *                                                      counselor's suggestions
 *   GET      /app/offres/alertes/{id}                  "Voir les résultats": last_searched_at,
 *                                                      then 303 to /app/offres?<critères>
 *   GET/POST /app/offres/alertes/{id}/supprimer        "Souhaites-tu supprimer l’alerte ?"
 *   POST     /app/offres/alertes/suggestions/{id}/accepter | /refuser */
#ifndef CEJ_OFFERS_ALERTS_APP_H
#define CEJ_OFFERS_ALERTS_APP_H

struct req;

/* Where a saved search's results are: the app's search page with its criteria. */
#define OFFERS_APP_RESULTS "/app/offres/recherche"

int offers_alerts_new_page(struct req *r);
int offers_alerts_new_post(struct req *r);
int offers_alerts_page(struct req *r);
int offers_alerts_open(struct req *r);
int offers_alerts_delete_page(struct req *r);
int offers_alerts_delete_post(struct req *r);
int offers_alerts_accept_post(struct req *r);
int offers_alerts_refuse_post(struct req *r);

#endif
