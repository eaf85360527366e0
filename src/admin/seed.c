/* seed.c — `cej seed --demo`: the demo structures and counselors, a few beneficiaries in
 * each demo counselor's portfolio, then each feature's demo data (idempotent).
 * `--sans-exemples` stops after the counselors: the e2e tests start from empty portfolios
 * and agendas (tests/e2e/harness.mjs). The structures are those of the i-milo simulator's seed
 * (spec/imilo.md §6), so dossiers added from the simulator land in known Missions Locales. */
#include "admin/admin.h"

#include "admin/admin_store.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/ids.h"
#include "base/text.h"
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

/* The demo beneficiaries: five per demo counselor, in the order of counselors[]. Their
 * dossier numbers (9000xx) are not the simulator's (100001–100040, left to add by hand):
 * the nightly i-milo refresh does not find them and proposes them for archiving. */
#define DEMO_PER_COUNSELOR 5
static const struct {
	const char *first, *last;
	bool activated;
} demo_beneficiaries[] = {
	{"Lina", "Le Bihan", true}, {"Enzo", "Kerjean", true}, {"Maïwenn", "Quéré", false},
	{"Noah", "Le Gall", true}, {"Jade", "Cozic", true},
	{"Nolan", "Guivarc’h", true}, {"Léna", "Abgrall", true}, {"Tom", "Le Roux", false},
	{"Inès", "Pellen", true}, {"Erwan", "Morvan", true},
	{"Yanis", "Benali", true}, {"Chloé", "Lefèvre", true}, {"Moussa", "Diallo", false},
	{"Sarah", "Cohen", true}, {"Hugo", "Fontaine", true},
	{"Kylian", "Hoarau", true}, {"Océane", "Grondin", true}, {"Dylan", "Payet", false},
	{"Émilie", "Técher", true}, {"Mathis", "Rivière", true},
};

/* @ids, @structures: the demo counselors' ids and their structures' ids. */
static int
seed_beneficiaries(struct db *db, struct arena *a, int64_t now, const char *const *ids,
		   const char *const *structures)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(demo_beneficiaries); i++) {
		size_t c = i / DEMO_PER_COUNSELOR;
		const char *first = demo_beneficiaries[i].first, *last = demo_beneficiaries[i].last;
		const char *email = arena_printf(a, "jeune-%02zu@cej-demo.fr", i + 1);
		const char *structure_id = structures[c], *counselor_id = ids[c];
		int exists = admin_store_beneficiary_exists(db, email);
		if (exists)
			rc = exists < 0 ? exists : 0;   /* idempotent */
		if (exists)
			continue;
		char id[UUID_STRLEN + 1];
		id_uuid7(now, id);
		struct admin_beneficiary b = {
			.id = id, .structure_id = structure_id, .counselor_id = counselor_id,
			.first_name = first, .last_name = last,
			.folded = text_fold(a, arena_printf(a, "%s %s", last, first)), .email = email,
			.dossier_id = arena_printf(a, "9000%02zu", i + 1), .dispositif = "CEJ",
			.activated_at = demo_beneficiaries[i].activated ? now - (int64_t)(i + 1) * 86400000 : 0,
			.last_activity_at = demo_beneficiaries[i].activated ? now - (int64_t)(i + 1) * 3600000 : 0,
		};
		rc = admin_store_beneficiary(db, &b, now);
	}
	return rc;
}

int
seed_main(struct config *cfg, int argc, char **argv)
{
	bool accounts_only = argc == 3 && !strcmp(argv[2], "--sans-exemples");
	if (argc < 2 || strcmp(argv[1], "--demo") != 0 || (argc > 2 && !accounts_only)) {
		fprintf(stderr, "usage: cej seed --demo [--sans-exemples]\n");
		return 2;
	}
	struct db *db = db_open(cfg->database_url);
	struct arena *a = arena_new();
	char hash[PASSWORD_HASH_MAX];
	int64_t now = clock_now_ms();
	int rc = !db || db_migrate_engine(db, embed_migrations, embed_migrations_count,
					  embed_pg_migrations, embed_pg_migrations_count) ||
		 password_hash(DEMO_PASSWORD, hash) || db_tx_begin(db);

	for (size_t i = 0; !rc && i < G_N_ELEMENTS(structures); i++) {
		const char *id;
		rc = admin_store_structure(db, a, structures[i].code, structures[i].name,
					   structures[i].tz, now, &id);
	}
	const char *cids[G_N_ELEMENTS(counselors)], *sids[G_N_ELEMENTS(counselors)];
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(counselors); i++) {
		struct admin_counselor c = {
			.email = counselors[i].email, .first_name = counselors[i].first,
			.last_name = counselors[i].last, .login = counselors[i].login,
			.supervisor = counselors[i].supervisor, .password_hash = hash,
		};
		rc = admin_store_structure_id(db, a, counselors[i].structure, &c.structure_id) ||
		     admin_store_counselor(db, a, &c, now, &cids[i]);
		sids[i] = c.structure_id;
	}
	if (!rc && !accounts_only)
		rc = seed_beneficiaries(db, a, now, cids, sids);
	/* Then every feature's demo data (core/feature.h .seed), in the same transaction. */
	struct feature_table t = features_table(cfg);
	for (size_t i = 0; !rc && !accounts_only && i < t.n; i++)
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
