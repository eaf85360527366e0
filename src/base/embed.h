/* embed.h — files compiled into the binary by tools/embed (templates, static assets,
 * migrations, data/offers/). Arrays are sorted by name; data is NUL-terminated (len excludes the NUL);
 * hash is the first 16 hex digits of the content's SHA-256, used in immutable URLs. */
#ifndef CEJ_EMBED_H
#define CEJ_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;            /* path relative to its root, e.g. "portfolio/list.html" */
	const unsigned char *data;
	size_t len;
	const char *hash;
};

extern const struct embed_file embed_templates[];
extern const size_t embed_templates_count;
extern const struct embed_file embed_static[];
extern const size_t embed_static_count;
extern const struct embed_file embed_migrations[];
extern const size_t embed_migrations_count;
/* The PostgreSQL twins of embed_migrations (src/db/migrations/postgres: same names). */
extern const struct embed_file embed_pg_migrations[];
extern const size_t embed_pg_migrations_count;
extern const struct embed_file embed_sim_migrations[];
extern const size_t embed_sim_migrations_count;
/* data/offers/: the search's synonyms (synonymes.txt, offers/offers_text.h). */
extern const struct embed_file embed_offers_data[];
extern const size_t embed_offers_data_count;

/* The file named @name in @files, or NULL (binary search). */
const struct embed_file *embed_find(const struct embed_file *files, size_t n, const char *name);

#endif
