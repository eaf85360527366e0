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
	ERR_GONE,          /* existed, no longer available: 410 */
};

/* HTTP status matching -@rc (rc <= 0). */
int err_http_status(int rc);

/* Why a use case said no, in the user's words: the one shape of every refusal. A use case
 * that refuses fills *why with refuse_with() and returns its result (a negative err);
 * the handler shows it — view_refusal() for a page, or the form again with the message
 * beside @field. Strings are static or live in the request's arena. */
struct refusal {
	int status;            /* HTTP status: 400, 403, 404, 409, 410, 422 … */
	const char *field;     /* the form field at fault, or NULL: the whole request */
	const char *title;     /* the page's heading ("Action non modifiée"), or NULL */
	const char *message;   /* French, as the spec words it */
};

/* Fills @why (may be NULL) and returns the negative err matching @status. */
int refuse_with(struct refusal *why, int status, const char *field, const char *title,
	   const char *message);

#endif
