/* record_web.h — the fiche bénéficiaire pages of the counselor space. */
#ifndef CEJ_RECORD_WEB_H
#define CEJ_RECORD_WEB_H

struct req;

int record_page(struct req *r);              /* GET /beneficiaires/{id} */
int record_information_page(struct req *r);  /* GET /beneficiaires/{id}/informations */

#endif
