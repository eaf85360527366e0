/* portfolio_web.h — the "Portefeuille" page. */
#ifndef CEJ_PORTFOLIO_WEB_H
#define CEJ_PORTFOLIO_WEB_H

struct req;

int portfolio_page(struct req *r);

#endif
