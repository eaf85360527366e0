/* offers_web.h — the counselor's "Offres" pages (offers.md §1–§4; docs/offers.md "Les pages
 * du conseiller"): the search, the place autocomplete, the four detail pages and
 * "Partager une offre". */
#ifndef CEJ_OFFERS_WEB_H
#define CEJ_OFFERS_WEB_H

struct req;

int offers_web_search(struct req *r);       /* GET /offres */
int offers_web_places(struct req *r);       /* GET /offres/lieux?q= (fragment) */
int offers_web_detail(struct req *r);       /* GET /offres/{slug}/{id} */
int offers_web_share_page(struct req *r);   /* GET /offres/{slug}/{id}/partager */
int offers_web_share_post(struct req *r);   /* POST /offres/{slug}/{id}/partager */

#endif
