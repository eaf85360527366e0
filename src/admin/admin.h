/* admin.h — operator commands: `cej admin …`, `cej seed --demo`, `cej bench-data`. */
#ifndef CEJ_ADMIN_H
#define CEJ_ADMIN_H

struct config;

int admin_main(struct config *cfg, int argc, char **argv);
int seed_main(struct config *cfg, int argc, char **argv);
int bench_data_main(struct config *cfg, int argc, char **argv);
/* `cej admin sauvegarde` and `cej admin restaurer` (backup.c): @argv[0] is the action. */
int admin_backup_main(struct config *cfg, int argc, char **argv);
int admin_restore_main(struct config *cfg, int argc, char **argv);
/* `cej admin copier-vers-postgres` (copy_pg.c): the whole SQLite database @sqlite_path into
 * the empty PostgreSQL database @postgres_url, in one transaction, row counts checked
 * table by table before it commits. Prints its progress; 0 or a negative error (nothing
 * kept in PostgreSQL then). */
int admin_copy_to_postgres(const char *sqlite_path, const char *postgres_url);

#endif
