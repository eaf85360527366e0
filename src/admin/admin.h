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

#endif
