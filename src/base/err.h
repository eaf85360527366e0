/* err.h — the error codes every layer returns as negative ints (0 = success).
 * Messages shown to users are chosen by use cases, in French; these codes only say
 * which kind of failure happened so that handlers pick an HTTP status. */
#ifndef CEJ_ERR_H
#define CEJ_ERR_H

enum err {
	ERR_OK = 0,
	ERR_DB = 1,        /* storage failure: 500 */
	ERR_INVAL,         /* bad input or broken rule: 400 */
	ERR_NOTFOUND,      /* 404 */
	ERR_FORBIDDEN,     /* 403 */
	ERR_CONFLICT,      /* duplicate: 409 */
	ERR_TOOLARGE,      /* 413 */
	ERR_RATE,          /* 429 */
	ERR_UNAVAILABLE,   /* a dependency (i-milo, mail) failed: 502/503 */
	ERR_REFUSED,       /* refused by an i-milo rule: 422 */
	ERR_IO,            /* file system */
};

/* HTTP status matching -@rc (rc <= 0). */
int err_http_status(int rc);

#endif
