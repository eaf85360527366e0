/* seed.c — `cej seed --demo`: the demo structures and counselors, then each feature's
 * demo data (idempotent). The structures are those of the i-milo simulator's seed
 * (spec/imilo.md §6), so dossiers added from the simulator land in known Missions Locales. */
#include "admin/admin.h"

#include "admin/admin_store.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "db/db.h"
#include "serve/features.h"

#include <stdio.h>
#include <string.h>

/* The demo password of every demo counselor; printed by `make run`. */
#define DEMO_PASSWORD "Conseiller1!"

static const struct {
	const char *code, *name, *tz;
} structures[] = {
	{"29019S00", "Mission Locale du Pays de Brest", "Europe/Paris"},
	{"75056S00", "Mission Locale de Paris", "Europe/Paris"},
	{"97411S00", "Mission Locale Sud Réunion", "Indian/Reunion"},
};

static const struct {
	const char *email, *first, *last, *login, *structure;
	bool supervisor;
} counselors[] = {
	{"camille.martin@cej-demo.fr", "Camille", "Martin", "camille.martin", "29019S00", false},
	{"yann.le-goff@cej-demo.fr", "Yann", "Le Goff", "yann.le-goff", "29019S00", true},
	{"sophie.durand@cej-demo.fr", "Sophie", "Durand", "sophie.durand", "75056S00", false},
	{"mael.payet@cej-demo.fr", "Maël", "Payet", "mael.payet", "97411S00", false},
};

int
seed_main(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--demo") != 0) {
		fprintf(stderr, "usage: cej seed --demo\n");
		return 2;
	}
	gchar *dir = g_path_get_dirname(cfg->db_path);
	g_mkdir_with_parents(dir, 0700);
	g_free(dir);
	struct db *db = db_open(cfg->db_path);
	struct arena *a = arena_new();
	char hash[PASSWORD_HASH_MAX];
	int64_t now = clock_now_ms();
	int rc = !db || db_migrate(db, embed_migrations, embed_migrations_count) ||
		 password_hash(DEMO_PASSWORD, hash) || db_tx_begin(db);

	for (size_t i = 0; !rc && i < G_N_ELEMENTS(structures); i++) {
		const char *id;
		rc = admin_store_structure(db, a, structures[i].code, structures[i].name,
					   structures[i].tz, now, &id);
	}
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(counselors); i++) {
		struct admin_counselor c = {
			.email = counselors[i].email, .first_name = counselors[i].first,
			.last_name = counselors[i].last, .login = counselors[i].login,
			.supervisor = counselors[i].supervisor, .password_hash = hash,
		};
		const char *id;
		rc = admin_store_structure_id(db, a, counselors[i].structure, &c.structure_id) ||
		     admin_store_counselor(db, a, &c, now, &id);
	}
	/* Then every feature's demo data (core/feature.h .seed), in the same transaction. */
	struct feature_table t = features_table(cfg);
	for (size_t i = 0; !rc && i < t.n; i++)
		if (t.items[i]->seed)
			rc = t.items[i]->seed(db, now);
	if (!rc)
		rc = db_tx_commit(db);
	else if (db)
		db_tx_rollback(db);
	if (!rc) {
		printf("Données de démonstration prêtes. Conseillers (mot de passe %s) :\n", DEMO_PASSWORD);
		for (size_t i = 0; i < G_N_ELEMENTS(counselors); i++)
			printf("  %s\n", counselors[i].email);
	} else {
		fprintf(stderr, "cej seed : échec\n");
	}
	arena_free(a);
	db_close(db);
	return rc ? 1 : 0;
}
