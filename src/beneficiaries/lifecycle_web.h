/* lifecycle_web.h — the fiche's writing actions: resend the activation e-mail, delete or
 * archive the account, refresh it from i-milo. Referent only (auth/authz). */
#ifndef CEJ_LIFECYCLE_WEB_H
#define CEJ_LIFECYCLE_WEB_H

struct req;

int lifecycle_resend(struct req *r);          /* POST /beneficiaires/{id}/renvoyer-activation */
int lifecycle_delete_page(struct req *r);     /* GET  /beneficiaires/{id}/supprimer[?etape=motif] */
int lifecycle_delete(struct req *r);          /* POST /beneficiaires/{id}/supprimer */
int lifecycle_archive(struct req *r);         /* POST /beneficiaires/{id}/archiver */
int lifecycle_refresh(struct req *r);         /* POST /beneficiaires/{id}/actualiser */

#endif
