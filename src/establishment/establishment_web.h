/* establishment_web.h — GET /etablissement, the page "Bénéficiaires". */
#ifndef CEJ_ESTABLISHMENT_WEB_H
#define CEJ_ESTABLISHMENT_WEB_H

struct req;

int establishment_page(struct req *r);

#endif
