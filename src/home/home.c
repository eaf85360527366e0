/* home.c — the app home's use cases. */
#include "home/home.h"

#include "home/home_store.h"

int
home_referent(struct db *db, struct arena *a, const char *id, struct home_counselor *out)
{
	return home_store_counselor(db, a, id, out);
}
