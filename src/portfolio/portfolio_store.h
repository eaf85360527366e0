/* portfolio_store.h — the only file that knows the tables behind the portfolio. */
#ifndef CEJ_PORTFOLIO_STORE_H
#define CEJ_PORTFOLIO_STORE_H

#include "portfolio/portfolio.h"

/* All live beneficiaries of @counselor_id into *rows (arena array). Count or -ERR_DB. */
int portfolio_store_rows(struct db *db, struct arena *a, const char *counselor_id,
			 struct portfolio_row **rows);

#endif
