/* portfolio.h — the portfolio of a counselor: who they follow, and how it is listed
 * (beneficiaries.md §3): search on every token, sorts, 10 rows a page. The database
 * sorts and cuts the page, so a page costs the same whatever the portfolio's size. */
#ifndef CEJ_PORTFOLIO_H
#define CEJ_PORTFOLIO_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

struct portfolio_row {
	const char *beneficiary_id;
	const char *last_name, *first_name;   /* arena-owned */
	const char *dispositif;               /* CEJ | PACEA */
	const char *situation;                /* NULL: "Sans situation" */
	int64_t activated_at;                 /* 0: never logged in */
	int64_t last_activity_at;             /* 0: none */
	int open_actions;                     /* actions neither done nor cancelled */
	int unread_by_beneficiary;            /* counselor-side messages not read yet */
};

enum portfolio_sort { SORT_NAME, SORT_SITUATION, SORT_ACTIVITY };

struct portfolio_query {
	const char *q;              /* raw search text, may be NULL */
	enum portfolio_sort sort;
	bool desc;
	int page;                   /* 1-based */
};

#define PORTFOLIO_PAGE_SIZE 10

struct portfolio_page {
	struct portfolio_row *rows; /* the rows of the page */
	int n;                      /* rows on this page */
	int total;                  /* rows matching the search */
	int portfolio_size;         /* rows before the search */
	int page, pages;            /* page clamped to [1, pages]; pages >= 1 */
};

/* Parses ?tri= and ?ordre= (unknown values: the default, name ascending). */
struct portfolio_query portfolio_query_parse(const char *q, const char *tri, const char *ordre,
					     int page);
/* The order a first click on column @sort gives: activity shows the most recent first,
 * text columns A→Z. */
bool portfolio_sort_first_desc(enum portfolio_sort sort);
const char *portfolio_sort_name(enum portfolio_sort sort);

#define PORTFOLIO_MAX_TOKENS 5

/* Lists one page of @counselor_id's portfolio: rows matching every search token, in the
 * query's order — by name (last then first, accents and case ignored); by situation
 * ("Sans situation" sorted as its label); by last activity, non-activated accounts always
 * last whatever the direction. 0 or -ERR_DB. */
int portfolio_list(struct db *db, struct arena *a, const char *counselor_id,
		   const struct portfolio_query *pq, struct portfolio_page *out);

#endif
