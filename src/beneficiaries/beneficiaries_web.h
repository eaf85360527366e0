/* beneficiaries_web.h — "Ajouter un bénéficiaire" (beneficiaries.md §4), in two steps. */
#ifndef CEJ_BENEFICIARIES_WEB_H
#define CEJ_BENEFICIARIES_WEB_H

struct req;

int beneficiaries_add_page(struct req *r);    /* GET: step 1 */
int beneficiaries_add_lookup(struct req *r);  /* POST: reads the dossier, shows step 2 */
int beneficiaries_add_create(struct req *r);  /* POST: "Créer le compte" */

#endif
