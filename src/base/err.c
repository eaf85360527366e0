/* err.c — mapping of error codes to HTTP statuses (spec/README.md conventions). */
#include "base/err.h"

int
err_http_status(int rc)
{
	switch (-rc) {
	case ERR_OK: return 200;
	case ERR_INVAL: return 400;
	case ERR_NOTFOUND: return 404;
	case ERR_FORBIDDEN: return 403;
	case ERR_CONFLICT: return 409;
	case ERR_TOOLARGE: return 413;
	case ERR_RATE: return 429;
	case ERR_UNAVAILABLE: return 503;
	case ERR_REFUSED: return 422;
	case ERR_GONE: return 410;
	default: return 500;
	}
}

int
refuse_with(struct refusal *why, int status, const char *field, const char *title,
	    const char *message)
{
	if (why)
		*why = (struct refusal){status, field, title, message};
	switch (status) {
	case 403: return -ERR_FORBIDDEN;
	case 404: return -ERR_NOTFOUND;
	case 409: return -ERR_CONFLICT;
	case 410: return -ERR_GONE;
	case 413: return -ERR_TOOLARGE;
	case 422: return -ERR_REFUSED;
	case 429: return -ERR_RATE;
	case 503: return -ERR_UNAVAILABLE;
	default: return -ERR_INVAL;
	}
}
