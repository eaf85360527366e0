/* serve.h — `cej serve`, `cej migrate`: the application context and the server's entry. */
#ifndef CEJ_SERVE_H
#define CEJ_SERVE_H

struct config;

int serve_main(struct config *cfg, int argc, char **argv);
int migrate_main(struct config *cfg, int argc, char **argv);
int routes_main(struct config *cfg, int argc, char **argv);

#endif
