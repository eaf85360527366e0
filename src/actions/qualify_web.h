/* qualify_web.h — the counselor's SNP qualification pages (actions.md §5): the single
 * page "Qualifier l’action" and the batch of the fiche's and Pilotage's Actions tabs, with
 * its confirmation page (the spec's modal, as a page so that it works without script).
 *
 * Both POSTs call i-milo (D5) through actions_qualify(): their routes run on the worker
 * pool (ROUTE_WORKER), outside any transaction. Only the referent counselor qualifies:
 * a colleague of the structure gets 403, anyone else 404. */
#ifndef CEJ_QUALIFY_WEB_H
#define CEJ_QUALIFY_WEB_H

#include "http/http.h"

int qualify_page(struct req *r);        /* GET  /actions/{id}/qualifier[?etape=succes] */
int qualify_post(struct req *r);        /* POST /actions/{id}/qualifier */
/* POST /actions/qualification: fields action (1–10 ids), type (snp | non_snp), retour
 * (fiche | pilotage); without confirme=1 it checks and shows the confirmation page, with
 * it it qualifies each action in turn and redirects back with a flash. */
int qualify_batch_post(struct req *r);

#endif
