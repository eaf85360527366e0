/* portfolio_store.h — the only file that knows the tables behind the portfolio. */
#ifndef CEJ_PORTFOLIO_STORE_H
#define CEJ_PORTFOLIO_STORE_H

#include "portfolio/portfolio.h"

/* One page of @counselor_id's live beneficiaries matching every one of the @n @tokens,
 * sorted as @pq says; fills @out (rows in @a). 0 or -ERR_DB. */
int portfolio_store_page(struct db *db, struct arena *a, const char *counselor_id,
			 const char **tokens, int n, const struct portfolio_query *pq,
			 struct portfolio_page *out);

#endif
