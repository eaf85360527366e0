/* home_store.h — what the home page reads. */
#ifndef CEJ_HOME_STORE_H
#define CEJ_HOME_STORE_H

#include "home/home.h"

/* The referent counselor of beneficiary @id. 0, -ERR_NOTFOUND or -ERR_DB. */
int home_store_counselor(struct db *db, struct arena *a, const char *id, struct home_counselor *out);

#endif
