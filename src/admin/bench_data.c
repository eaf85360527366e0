/* bench_data.c — `cej bench-data`: a structure of N counselors with M beneficiaries each,
 * for the benchmarks in bench/. Deterministic names; a third of the accounts never
 * activated, the others active at various times. */
#include "admin/admin.h"

#include "actions/actions.h"
#include "actions/actions_store.h"
#include "admin/admin_store.h"
#include "auth/password.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/ids.h"
#include "base/text.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define BENCH_PASSWORD "Bench-Passw0rd"

static const char *const first_names[] = {
	"Léa", "Hugo", "Chloé", "Lucas", "Emma", "Nathan", "Inès", "Théo", "Manon", "Enzo",
	"Jade", "Louis", "Camille", "Yanis", "Sarah", "Maël", "Lina", "Noah", "Zoé", "Adam",
};
static const char *const last_names[] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
	"Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "García", "David",
	"Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre",
};
static const char *const situations[] = {
	"Emploi", "Contrat en Alternance", "Formation", "Immersion en entreprise", "Pmsmp",
	"Contrat de volontariat - bénévolat", "Scolarité", "Demandeur d'emploi", NULL,
};

/* The first counselor's beneficiaries get @n actions each, spread over a year around
 * now: a quarter done (CEJ ones then wait for qualification — 50 each, so 2,000 on
 * Pilotage with the default 50 beneficiaries of whom 40 are CEJ), the rest to do, some
 * late. The fiche and Pilotage benchmarks read them (actions.md §3, §6). */
static int
add_actions(struct db *db, const struct admin_beneficiary *b, int n,
	    const char *counselor_id, int64_t now)
{
	int rc = 0;
	int64_t today = clock_day_of(now, "Europe/Paris");
	for (int i = 0; !rc && i < n; i++) {
		char id[UUID_STRLEN + 1];
		id_uuid7(now, id);
		int64_t due = action_due_at(today - 180 + (i * 7919) % 360, "Europe/Paris");
		bool done = i % 10 == 0;  /* 50 of 500 */
		struct action act = {
			.id = id, .beneficiary_id = b->id, .by_counselor = i % 2 == 0,
			.creator_id = i % 2 == 0 ? counselor_id : b->id,
			.creator_first_name = b->first_name, .creator_last_name = b->last_name,
			.title = action_titles[i % ACTION_TITLE_COUNT],
			.description = i % 3 ? "Préciser avec le conseiller lors du prochain entretien." : "",
			.category = action_categories[i % ACTION_CATEGORY_COUNT].code,
			.status = done ? ACTION_DONE : i % 3 ? ACTION_NOT_STARTED : ACTION_IN_PROGRESS,
			.due_at = due, .completed_at = done ? due : 0, .reminder = false,
			.created_at = due - 7 * 86400000LL,
		};
		rc = actions_store_insert(db, &act);
	}
	return rc;
}

static int
add_beneficiaries(struct db *db, struct arena *a, const char *structure_id,
		  const char *counselor_id, int c, int m, int actions, int64_t now)
{
	int rc = 0;
	for (int j = 0; !rc && j < m; j++) {
		int k = c * m + j;
		char id[UUID_STRLEN + 1];
		const char *first = first_names[k % G_N_ELEMENTS(first_names)];
		const char *last = last_names[(k / 7) % G_N_ELEMENTS(last_names)];
		id_uuid7(now, id);
		struct admin_beneficiary b = {
			.id = id, .structure_id = structure_id, .counselor_id = counselor_id,
			.first_name = first, .last_name = last,
			.folded = text_fold(a, arena_printf(a, "%s %s", last, first)),
			.email = arena_printf(a, "jeune-%06d@cej-bench.fr", k),
			.dossier_id = arena_printf(a, "%d", 9000000 + k), .dispositif = k % 5 ? "CEJ" : "PACEA",
			.situation = situations[k % G_N_ELEMENTS(situations)],
			.activated_at = k % 3 ? now - (int64_t)(k % 90) * 86400000 : 0,
			.last_activity_at = k % 3 ? now - (int64_t)(k % 1440) * 60000 * 7 : 0,
		};
		rc = admin_store_beneficiary(db, &b, now);
		if (!rc && c == 0)
			rc = add_actions(db, &b, actions, counselor_id, now);
	}
	return rc;
}

int
bench_data_main(struct config *cfg, int argc, char **argv)
{
	gint counselors = 100, per = 50, actions = 500;
	GOptionEntry e[] = {
		{"conseillers", 0, 0, G_OPTION_ARG_INT, &counselors, "nombre de conseillers (100)", "N"},
		{"beneficiaires", 0, 0, G_OPTION_ARG_INT, &per, "bénéficiaires par conseiller (50)", "M"},
		{"actions", 0, 0, G_OPTION_ARG_INT, &actions,
		 "actions par bénéficiaire du premier conseiller (500)", "K"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *o = g_option_context_new("bench-data");
	GError *err = NULL;
	g_option_context_add_main_entries(o, e, NULL);
	if (!g_option_context_parse(o, &argc, &argv, &err)) {
		fprintf(stderr, "cej bench-data : %s\n", err->message);
		g_error_free(err);
		g_option_context_free(o);
		return 2;
	}
	g_option_context_free(o);

	struct db *db = db_open(cfg->db_path);
	struct arena *a = arena_new();
	char hash[PASSWORD_HASH_MAX];
	int64_t now = clock_now_ms();
	const char *sid = NULL;
	int rc = !db || db_migrate(db, embed_migrations, embed_migrations_count) ||
		 password_hash(BENCH_PASSWORD, hash) || db_tx_begin(db) ||
		 admin_store_structure(db, a, "BENCH001", "Mission Locale de banc d'essai",
				       "Europe/Paris", now, &sid);
	for (int c = 0; !rc && c < counselors; c++) {
		const char *cid;
		struct admin_counselor co = {
			.email = arena_printf(a, "conseiller-%03d@cej-bench.fr", c + 1),
			.first_name = first_names[c % G_N_ELEMENTS(first_names)],
			.last_name = last_names[c % G_N_ELEMENTS(last_names)],
			.structure_id = sid, .password_hash = hash,
		};
		rc = admin_store_counselor(db, a, &co, now, &cid) ||
		     add_beneficiaries(db, a, sid, cid, c, per, actions, now);
	}
	if (!rc)
		rc = db_tx_commit(db);
	else if (db)
		db_tx_rollback(db);
	if (!rc)
		printf("%d conseillers × %d bénéficiaires ; connexion : conseiller-001@cej-bench.fr / %s\n",
		       counselors, per, BENCH_PASSWORD);
	else
		fprintf(stderr, "cej bench-data : échec (base déjà remplie ?)\n");
	arena_free(a);
	db_close(db);
	return rc ? 1 : 0;
}
