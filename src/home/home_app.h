/* home_app.h — the beneficiary app's "Accueil" (youth-app.md §5): the beneficiary's name,
 * who follows them, "Ton prochain rendez-vous" and "Événements pouvant t’intéresser" (the
 * features' app_events, core/feature.h). Its weekly tiles are still to come. */
#ifndef CEJ_HOME_APP_H
#define CEJ_HOME_APP_H

struct req;

int home_app_page(struct req *r);

#endif
