/* home.h — what the app's "Accueil" knows and other features may ask: the referent
 * counselor of a beneficiary (the Messages page names them too). */
#ifndef CEJ_HOME_H
#define CEJ_HOME_H

struct arena;
struct db;

struct home_counselor {
	const char *first_name, *last_name, *structure_name;  /* arena-owned */
};

/* The referent counselor of beneficiary @id. 0, -ERR_NOTFOUND or -ERR_DB. */
int home_referent(struct db *db, struct arena *a, const char *id, struct home_counselor *out);

#endif
