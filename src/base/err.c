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
	default: return 500;
	}
}
