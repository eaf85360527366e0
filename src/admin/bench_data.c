/* bench_data.c — `cej bench-data`: a structure of N counselors with M beneficiaries each,
 * for the benchmarks in bench/. Deterministic names; a third of the accounts never
 * activated, the others active at various times. On demand (bench/sse.sh): a long
 * conversation, and open sessions written to a file — the benchmark's clients present
 * them as cookies, as a browser would after logging in, so no route is added to the
 * server for it. */
#include "admin/admin.h"

#include "actions/actions.h"
#include "actions/actions_store.h"
#include "admin/admin_store.h"
#include "admin/bench_data_national.h"
#include "admin/bench_data_store.h"
#include "agenda/agenda.h"
#include "agenda/agenda_close_store.h"
#include "agenda/agenda_store.h"
#include "auth/password.h"
#include "auth/session_store.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/embed.h"
#include "base/ids.h"
#include "base/text.h"
#include "db/db.h"
#include "messaging/crypto.h"
#include "messaging/messaging_use.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define BENCH_PASSWORD "Bench-Passw0rd"

const char *const bench_first_names[] = {
	"Léa", "Hugo", "Chloé", "Lucas", "Emma", "Nathan", "Inès", "Théo", "Manon", "Enzo",
	"Jade", "Louis", "Camille", "Yanis", "Sarah", "Maël", "Lina", "Noah", "Zoé", "Adam",
};
const char *const bench_last_names[] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
	"Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "García", "David",
	"Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre",
};
const int bench_first_name_count = G_N_ELEMENTS(bench_first_names);
const int bench_last_name_count = G_N_ELEMENTS(bench_last_names);
const char *const bench_situations[] = {
	"Emploi", "Contrat en Alternance", "Formation", "Immersion en entreprise", "Pmsmp",
	"Contrat de volontariat - bénévolat", "Scolarité", "Demandeur d'emploi", NULL,
};
const int bench_situation_count = G_N_ELEMENTS(bench_situations);
static const char *const counselor_texts[] = {
	"Bonjour, pouvez-vous me rappeler demain matin ?",
	"Je vous ai envoyé les offres dont nous avons parlé : regardez-les avant notre "
	"rendez-vous de jeudi, et dites-moi lesquelles vous intéressent.",
	"N'oubliez pas d'apporter votre CV et une pièce d'identité au prochain entretien.",
	"L'atelier « Préparer son entretien d'embauche » a lieu mardi à 9 h 30 à la Mission "
	"Locale. Il reste des places : je vous inscris ?",
};
static const char *const young_texts[] = {
	"Merci, j'ai bien reçu le document.",
	"D'accord, je serai là à 14 h.",
	"Oui, inscrivez-moi s'il vous plaît.",
};

/* What is generated, and where the optional parts go. */
struct bench {
	struct db *db;
	struct arena *a;
	int64_t now;
	int per, actions;                 /* beneficiaries per counselor; actions of the first's */
	int messages;                     /* in the conversation below; 0: none */
	const struct msg_keyring *keys;   /* NULL unless messages */
	const char *conversation_id;      /* the beneficiary whose conversation has them */
	GString *sessions;                /* NULL unless --sessions */
	int events;                       /* agenda events per counselor per week; 0: none */
	const char **portfolio;           /* the current counselor's beneficiaries (per) */
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

/* An open session of @user_id, as login would open it (the database keeps the token's
 * hash), written as a line "kind<TAB>user id<TAB>counselor id<TAB>token<TAB>csrf". */
static int
add_session(struct bench *bd, enum user_kind kind, const char *user_id, const char *counselor_id)
{
	char token[TOKEN_STRLEN + 1], hash[TOKEN_HASHLEN + 1], csrf[TOKEN_STRLEN + 1];
	token_new(token);
	token_hash(token, hash);
	token_new(csrf);
	int rc = session_store_insert(bd->db, hash, kind, user_id, csrf, bd->now);
	if (!rc)
		g_string_append_printf(bd->sessions, "%s\t%s\t%s\t%s\t%s\n",
				       kind == USER_COUNSELOR ? "conseiller" : "beneficiaire", user_id,
				       counselor_id, token, csrf);
	return rc;
}

/* bd->messages messages in the conversation of @b, one every 7 minutes until now, the
 * counselor and the young person in turn, sealed like any other (messaging_send). */
static int
add_messages(struct bench *bd, const struct admin_beneficiary *b, const char *counselor_id)
{
	int rc = 0;
	for (int i = 0; !rc && i < bd->messages; i++) {
		struct arena *ar = arena_new();
		bool by_counselor = i % 3 != 1;
		struct msg_send in = {
			.sender = by_counselor ? MSG_FROM_COUNSELOR : MSG_FROM_BENEFICIARY,
			.counselor_id = by_counselor ? counselor_id : NULL, .kind = MSG_MESSAGE,
			.text = by_counselor ? counselor_texts[i % G_N_ELEMENTS(counselor_texts)]
					     : young_texts[i % G_N_ELEMENTS(young_texts)],
		};
		int64_t at = bd->now - (int64_t)(bd->messages - i) * 7 * 60000;
		rc = messaging_send(bd->db, bd->keys, ar, at, b->id, &in, NULL, NULL);
		arena_free(ar);
	}
	return rc;
}

/* What hangs on beneficiary @b of counselor number @c: actions and the long conversation
 * (first counselor only), a session (activated accounts). */
static int
add_beneficiary_extras(struct bench *bd, const struct admin_beneficiary *b,
		       const char *counselor_id, int c)
{
	int rc = 0;
	if (c == 0)
		rc = add_actions(bd->db, b, bd->actions, counselor_id, bd->now);
	if (!rc && c == 0 && bd->messages > 0 && !bd->conversation_id && b->activated_at) {
		bd->conversation_id = arena_strdup(bd->a, b->id);
		rc = add_messages(bd, b, counselor_id);
	}
	if (!rc && bd->sessions && b->activated_at)
		rc = add_session(bd, USER_BENEFICIARY, b->id, counselor_id);
	return rc;
}

static int
add_beneficiaries(struct bench *bd, const char *structure_id, const char *counselor_id, int c)
{
	struct arena *a = bd->a;
	int64_t now = bd->now;
	int m = bd->per;
	int rc = 0;
	for (int j = 0; !rc && j < m; j++) {
		int k = c * m + j;
		char id[UUID_STRLEN + 1];
		const char *first = bench_first_names[k % bench_first_name_count];
		const char *last = bench_last_names[(k / 7) % bench_last_name_count];
		id_uuid7(now, id);
		struct admin_beneficiary b = {
			.id = id, .structure_id = structure_id, .counselor_id = counselor_id,
			.first_name = first, .last_name = last,
			.folded = text_fold(a, arena_printf(a, "%s %s", last, first)),
			.email = arena_printf(a, "jeune-%06d@cej-bench.fr", k),
			.dossier_id = arena_printf(a, "%d", 9000000 + k), .dispositif = k % 5 ? "CEJ" : "PACEA",
			.situation = bench_situations[k % bench_situation_count],
			.activated_at = k % 3 ? now - (int64_t)(k % 90) * 86400000 : 0,
			.last_activity_at = k % 3 ? now - (int64_t)(k % 1440) * 60000 * 7 : 0,
		};
		rc = admin_store_beneficiary(bd->db, &b, now);
		if (!rc)
			rc = add_beneficiary_extras(bd, &b, counselor_id, c);
		if (bd->portfolio)
			bd->portfolio[j] = arena_strdup(a, id);
	}
	return rc;
}

/* The agenda (bench/agenda.sh): bd->events events per week for counselor @co over a year
 * (26 weeks back, 26 ahead), Monday to Friday from 9:00: one animation collective a week
 * (3 registrants of the portfolio, at most 10 — 3 one week in four: full; closed when more
 * than two weeks old), the others rendez-vous with one beneficiary of the portfolio (two,
 * one in ten). */
static int
add_events(struct bench *bd, const char *structure_id, const char *counselor_id,
	   const struct admin_counselor *co)
{
	static const int starts[] = {9 * 60, 10 * 60 + 30, 14 * 60, 15 * 60 + 30};
	int64_t monday = clock_day_monday(clock_day_of(bd->now, "Europe/Paris"));
	int rc = 0;
	for (int w = -26; !rc && w < 26; w++) {
		for (int i = 0; !rc && i < bd->events; i++) {
			char id[UUID_STRLEN + 1];
			id_uuid7(bd->now, id);
			bool ac = i == bd->events - 1;
			int start = starts[(i / 5) % 4];
			struct event e = {
				.id = id, .type = ac ? (w % 2 ? EVENT_ATELIER : EVENT_INFORMATION_COLLECTIVE)
						     : (enum event_type)(i % 3),
				.title = ac ? "Atelier CV et lettre de motivation" : NULL,
				.description = "", .modality = (enum event_modality)(i % MODALITY_COUNT),
				.starts_at = clock_day_at(monday + 7 * w + i % 5, start / 60, start % 60,
							  "Europe/Paris"),
				.duration_min = ac ? 120 : 45, .address = "", .organism = "",
				.presence = true, .creator_id = counselor_id,
				.creator_first_name = co->first_name, .creator_last_name = co->last_name,
				.structure_id = structure_id, .created_at = bd->now, .updated_at = bd->now,
				.max_participants = ac ? (w % 4 ? 10 : 3) : 0,
			};
			int k = (w + 26) * bd->events + i, n = ac ? 3 : i % 10 == 0 ? 2 : 1;
			const char *ids[3];
			for (int j = 0; j < n; j++)
				ids[j] = bd->portfolio[(k + j * 7) % bd->per];
			/* A Mission Locale closes its past AC: only the last two weeks' are still
			 * "À clore", as in real life (Pilotage counts those). */
			rc = agenda_store_insert(bd->db, &e) ||
			     agenda_store_set_participants(bd->db, id, ids, n, bd->now) ||
			     (ac && w < -2 &&
			      agenda_close_store_close(bd->db, id, e.starts_at + 7200000) < 0);
		}
	}
	return rc;
}

/* The structure, its counselors and their beneficiaries, in one transaction. */
static int
generate(struct bench *bd, int counselors)
{
	char hash[PASSWORD_HASH_MAX];
	struct arena *a = bd->a;
	const char *sid = NULL;
	int rc = db_migrate_engine(bd->db, embed_migrations, embed_migrations_count,
				   embed_pg_migrations, embed_pg_migrations_count) ||
		 password_hash(BENCH_PASSWORD, hash) || db_tx_begin(bd->db) ||
		 admin_store_structure(bd->db, a, "BENCH001", "Mission Locale de banc d'essai",
				       "Europe/Paris", bd->now, &sid);
	for (int c = 0; !rc && c < counselors; c++) {
		const char *cid;
		struct admin_counselor co = {
			.email = arena_printf(a, "conseiller-%03d@cej-bench.fr", c + 1),
			.first_name = bench_first_names[c % bench_first_name_count],
			.last_name = bench_last_names[c % bench_last_name_count],
			.structure_id = sid, .password_hash = hash,
		};
		rc = admin_store_counselor(bd->db, a, &co, bd->now, &cid) ||
		     (bd->sessions && add_session(bd, USER_COUNSELOR, cid, cid)) ||
		     add_beneficiaries(bd, sid, cid, c) ||
		     (bd->events > 0 && bd->per > 0 && add_events(bd, sid, cid, &co));
	}
	if (!rc)
		return db_tx_commit(bd->db) ? 1 : 0;
	db_tx_rollback(bd->db);
	return 1;
}

/* Bytes of the SQLite file at @path and its WAL; 0 when @path is not a file (a server). */
static int64_t
file_bytes(const char *path)
{
	int64_t total = 0;
	const char *suffix[] = {"", "-wal"};
	for (size_t i = 0; i < G_N_ELEMENTS(suffix); i++) {
		char *p = g_strconcat(path, suffix[i], NULL);
		GStatBuf sb;
		if (g_stat(p, &sb) == 0)
			total += (int64_t)sb.st_size;
		g_free(p);
	}
	return total;
}

/* `--national`: the nation of bench_data_national.h, then what was generated, the load
 * time and size, and the pages bench/national.sh measures (one "clé : valeur" a line). */
static int
national_main(struct config *cfg, double scale, guint32 seed)
{
	char hash[PASSWORD_HASH_MAX];
	struct db *db = db_open(cfg->database_url);
	struct msg_keyring *keys = crypto_keyring_open(cfg->message_key_file, true);
	struct arena *a = arena_new();
	struct bench_national_report r;
	struct bench_national_opts o = {.scale = scale, .seed = seed, .now = clock_now_ms(),
					.password_hash = hash};
	int rc = !db || !keys ||
		 db_migrate_engine(db, embed_migrations, embed_migrations_count, embed_pg_migrations,
				   embed_pg_migrations_count) ||
		 password_hash(BENCH_PASSWORD, hash) ||
		 bench_store_count(db, 0) != 0;
	if (rc)
		fprintf(stderr, "cej bench-data : base inaccessible ou déjà remplie "
				"(--national demande une base vide)\n");
	else if ((rc = bench_national_generate(db, keys, &o, a, &r)))
		fprintf(stderr, "cej bench-data : échec de la génération nationale\n");
	if (!rc) {
		printf("national : échelle %g, graine %u\n", scale, seed);
		for (int i = 0; i < BENCH_TABLE_COUNT; i++)
			printf("lignes %-18s : %" G_GINT64_FORMAT "\n", bench_store_tables[i],
			       bench_store_count(db, i));
		printf("chargement : %.1f s (dont chiffrement des messages : %.1f s)\n", r.seconds,
		       r.seal_seconds);
		const char *file = db_url_sqlite_path(cfg->database_url);
		int64_t bytes = file ? file_bytes(file) : -1;   /* PostgreSQL: bench/national.sh asks psql */
		if (bytes > 0)
			printf("taille : %.1f Mo (%s et son journal WAL)\n", (double)bytes / 1e6, file);
		printf("zones horaires : %d ; portefeuilles : médiane %d, maximum %d\n", r.zones,
		       r.median_portfolio, r.max_portfolio);
		printf("connexion : %s / %s (portefeuille de %d)\n", r.email, BENCH_PASSWORD,
		       BENCH_NATIONAL_PORTFOLIO);
		printf("fiche : /beneficiaires/%s (%d actions)\n", r.fiche_id, r.fiche_actions);
		printf("conversation : /conversations/%s (%d messages)\n", r.conversation_id,
		       r.conversation_messages);
		printf("recherche : /etablissement?q=%s\n", r.search);
	}
	arena_free(a);
	crypto_keyring_free(keys);
	db_close(db);
	return rc ? 1 : 0;
}

int
bench_data_main(struct config *cfg, int argc, char **argv)
{
	gint counselors = 100, per = 50, actions = 500, messages = 0, events = 0, seed = 1;
	gboolean national = FALSE;
	gdouble scale = 1;
	gchar *sessions_path = NULL;
	GOptionEntry e[] = {
		{"national", 0, 0, G_OPTION_ARG_NONE, &national,
		 "une nation : environ 450 Missions Locales, 10 000 conseillers, 150 000 "
		 "bénéficiaires, 3 millions d'actions, 10 millions de messages, un an d'agenda "
		 "(les options ci-dessous sauf --echelle et --graine sont alors ignorées)", NULL},
		{"echelle", 0, 0, G_OPTION_ARG_DOUBLE, &scale,
		 "avec --national : fraction de la nation générée (1 ; 0.01 pour un essai)", "X"},
		{"graine", 0, 0, G_OPTION_ARG_INT, &seed,
		 "avec --national : graine du tirage (1) ; même graine, mêmes données", "N"},
		{"seed", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &seed, "--graine", "N"},
		{"conseillers", 0, 0, G_OPTION_ARG_INT, &counselors, "nombre de conseillers (100)", "N"},
		{"beneficiaires", 0, 0, G_OPTION_ARG_INT, &per, "bénéficiaires par conseiller (50)", "M"},
		{"actions", 0, 0, G_OPTION_ARG_INT, &actions,
		 "actions par bénéficiaire du premier conseiller (500)", "K"},
		{"messages", 0, 0, G_OPTION_ARG_INT, &messages,
		 "messages dans la conversation du premier bénéficiaire activé du premier conseiller (0)",
		 "K"},
		{"evenements", 0, 0, G_OPTION_ARG_INT, &events,
		 "événements d'agenda par conseiller et par semaine, sur un an (0)", "K"},
		{"sessions", 0, 0, G_OPTION_ARG_FILENAME, &sessions_path,
		 "ouvre une session par conseiller et par bénéficiaire activé et les écrit dans "
		 "FICHIER (type, id, id du conseiller, cookie cej_session, jeton CSRF)", "FICHIER"},
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
	if (national) {
		g_free(sessions_path);
		if (!(scale > 0)) {
			fprintf(stderr, "cej bench-data : --echelle doit être positive\n");
			return 2;
		}
		return national_main(cfg, scale, (guint32)seed);
	}

	struct msg_keyring *keys = NULL;
	struct bench bd = {
		.db = db_open(cfg->database_url), .a = arena_new(), .now = clock_now_ms(), .per = per,
		.actions = actions, .messages = messages,
		.sessions = sessions_path ? g_string_new(NULL) : NULL, .events = events,
	};
	if (events > 0 && per > 0)
		bd.portfolio = arena_alloc(bd.a, sizeof(*bd.portfolio) * (size_t)per);
	/* The server opens the same key file (message_key_file, beside the database). */
	if (messages > 0)
		bd.keys = keys = crypto_keyring_open(cfg->message_key_file, true);
	int rc = !bd.db || (messages > 0 && !keys) || generate(&bd, counselors);
	if (!rc && bd.sessions &&
	    !g_file_set_contents_full(sessions_path, bd.sessions->str, (gssize)bd.sessions->len,
				      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err)) {
		fprintf(stderr, "cej bench-data : %s\n", err->message);
		g_error_free(err);
		rc = 1;
	}
	if (!rc) {
		printf("%d conseillers × %d bénéficiaires ; connexion : conseiller-001@cej-bench.fr / %s\n",
		       counselors, per, BENCH_PASSWORD);
		if (bd.conversation_id)
			printf("conversation de %d messages : /conversations/%s\n", messages,
			       bd.conversation_id);
		if (sessions_path)
			printf("sessions ouvertes : %s\n", sessions_path);
		if (events > 0)
			printf("agenda : %d événements par conseiller et par semaine sur un an\n", events);
	} else {
		fprintf(stderr, "cej bench-data : échec (base déjà remplie ?)\n");
	}
	crypto_keyring_free(keys);
	if (bd.sessions)
		g_string_free(bd.sessions, TRUE);
	g_free(sessions_path);
	arena_free(bd.a);
	db_close(bd.db);
	return rc ? 1 : 0;
}
