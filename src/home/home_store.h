/* home_store.h — what the home page reads. */
#ifndef CEJ_HOME_STORE_H
#define CEJ_HOME_STORE_H

struct arena;
struct db;

struct home_counselor {
	const char *first_name, *last_name, *structure_name;  /* arena-owned */
};

/* The referent counselor of beneficiary @id. 0, -ERR_NOTFOUND or -ERR_DB. */
int home_store_counselor(struct db *db, struct arena *a, const char *id, struct home_counselor *out);

#endif
