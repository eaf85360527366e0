/* home_app.h — the beneficiary app's "Accueil" (youth-app.md §5): the beneficiary's name
 * and who follows them. Its weekly tiles arrive with actions and appointments. */
#ifndef CEJ_HOME_APP_H
#define CEJ_HOME_APP_H

struct req;

int home_app_page(struct req *r);

#endif
