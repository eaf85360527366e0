/* sim.h — the i-milo simulator (`cej imilo-sim`): the contract of spec/imilo.md served
 * from its own SQLite database, with seed data, fault injection and a request journal.
 * It uses base/, http/ and db/ only, nothing from the features. */
#ifndef CEJ_SIM_H
#define CEJ_SIM_H

struct config;

/* Entry point of `cej imilo-sim [--port N] [--db PATH] [--reset] [--admin-token T]`:
 * serves until SIGINT/SIGTERM. Returns the process exit code. */
int sim_main(struct config *cfg, int argc, char **argv);

#endif
