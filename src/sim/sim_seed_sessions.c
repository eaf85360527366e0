/* sim_seed_sessions.c — the seed's offers of service, sessions and rendez-vous
 * (spec/imilo.md §6): per structure a dozen sessions from two weeks ago to six weeks
 * ahead covering every case the agenda meets (past with Inscrit registrants "à clore",
 * past fully marked, started and still running, full, deadline passed, unlimited, one
 * place left), 160 sessions in one week of 75056S00 for paging, and 25 rendez-vous
 * covering every statut.
 *
 * Deterministic like the rest of the seed: ids are fixed, registrants are the first
 * dossiers of each structure, dates are offsets from the seeding day. */
#include "sim/sim_internal.h"
#include "sim/sim_agenda_store.h"

#include "base/arena.h"
#include "db/db.h"

#define FIRST_DOSSIER 100001
#define PAGING_FIRST_ID 2001
#define PAGING_COUNT 160
#define PAGING_DAY 49           /* the paging week starts 7 weeks ahead */
#define RDV_FIRST_ID 7001
#define RDV_COUNT 25

static const char *const structure_codes[] = {"29019S00", "75056S00", "97411S00"};

static const struct sim_offre offres[] = {
	{1, "GJ - CV et Lettre de motivation", "Accès à l'emploi", "WORKSHOP",
	 "Construire un CV et une lettre de motivation adaptés à une offre.", NULL},
	{2, "Recrutement service civique", "Citoyenneté", "COLLECTIVE_INFORMATION",
	 "Présentation des missions de service civique du territoire.", "LOISON-PARTENAIRE"},
	{3, "Simulation d'entretien d'embauche", "Accès à l'emploi", "WORKSHOP", NULL, NULL},
	{4, "Découverte des métiers du numérique", "Projet professionnel", "COLLECTIVE_INFORMATION",
	 "Rencontre avec des professionnels du numérique.", "Numérique Avenir"},
	{5, "Budget et logement", "Logement", "WORKSHOP", "Gérer son budget, trouver un logement.",
	 NULL},
	{6, "Santé et bien-être", "Santé", "WORKSHOP", NULL, "CPAM"},
};

/* The dozen sessions of a structure. Registrants: how many ONGOING, and how many marked
 * (alternately ACHIEVED and REFUSAL_YOUNG "Absence"). */
static const struct seed_session {
	int day, hour, hours;   /* start day (offset), hour, duration in hours */
	int capacity;           /* -1: unlimited */
	int deadline;           /* date_max as an offset from the start day; 99: none */
	int ongoing, marked;
	int offre;
} plan[] = {
	{-12, 9, 3, 10, -1, 3, 0, 1},  /* past, Inscrit registrants: à clore */
	{-6, 14, 2, 8, -1, 0, 3, 2},   /* past, every registrant marked */
	{-1, 9, 56, 6, -3, 2, 0, 3},   /* started yesterday, runs until tomorrow */
	{2, 10, 2, 2, -1, 2, 0, 1},    /* full */
	{3, 14, 2, 10, -4, 1, 0, 2},   /* deadline passed (yesterday) */
	{5, 9, 3, -1, 99, 1, 0, 4},    /* unlimited, no deadline */
	{7, 14, 2, 12, -1, 0, 0, 5},
	{10, 10, 2, 2, -2, 1, 0, 3},   /* one place left */
	{14, 9, 3, 8, -1, 0, 0, 6},
	{21, 14, 2, 15, -3, 2, 0, 1},
	{28, 10, 2, 1, -1, 1, 0, 2},   /* full (one place) */
	{35, 9, 3, -1, 99, 0, 0, 4},
};

static const char *const rdv_statuts[] = {"Planifié", "Présent", "Absent", "Non précisé",
					  "Annulé", "Reporté"};
static const char *const rdv_objets[] = {"Entretien individuel", "Point sur le projet",
					 "Préparation à l'entretien", "Bilan du mois"};

static char *
local_time(struct arena *a, const GDate *today, int days, int hour)
{
	GDate d = *today;

	if (days >= 0)
		g_date_add_days(&d, (guint)days);
	else
		g_date_subtract_days(&d, (guint)-days);
	/* Hours past midnight carry over into the next days (a multi-day session). */
	g_date_add_days(&d, (guint)(hour / 24));
	return arena_printf(a, "%04d-%02d-%02d %02d:00:00", g_date_get_year(&d),
			    g_date_get_month(&d), g_date_get_day(&d), hour % 24);
}

/* The @k-th dossier of structure @st (the seed spreads dossier i on structure i % 3);
 * the registrants never include the special dossiers 100037–100040. */
static int64_t
dossier_of(int st, int k)
{
	return FIRST_DOSSIER + st + 3 * k;
}

static int
seed_registrants(struct db *db, struct arena *a, const GDate *today, int st,
		 const struct seed_session *p, int64_t session_id)
{
	int rc = 0;

	for (int k = 0; !rc && k < p->ongoing + p->marked; k++) {
		bool marked = k >= p->ongoing, achieved = (k - p->ongoing) % 2 == 0;
		struct sim_instance i = {
			.session_id = session_id,
			.dossier_id = dossier_of(st, k + (int)(session_id % 3)),
			.statut = !marked ? "ONGOING" : achieved ? "ACHIEVED" : "REFUSAL_YOUNG",
			.commentaire = marked && !achieved ? "Absence" : NULL,
			.date_debut_reelle = marked && achieved
						     ? arena_printf(a, "%.10s", local_time(a, today, p->day, 0))
						     : NULL,
		};
		rc = sim_store_seed_instance(db, &i);
	}
	return rc;
}

static int
seed_structure_sessions(struct db *db, struct arena *a, const GDate *today, int st)
{
	int rc = 0;

	for (size_t k = 0; !rc && k < G_N_ELEMENTS(plan); k++) {
		const struct seed_session *p = &plan[k];
		struct sim_session s = {
			.id = 1001 + 100 * st + (int64_t)k,
			.structure_code = structure_codes[st],
			.offre_id = p->offre,
			.nom = arena_printf(a, "%s — session %zu", offres[p->offre - 1].nom, k + 1),
			.debut = local_time(a, today, p->day, p->hour),
			.fin = local_time(a, today, p->day, p->hour + p->hours),
			.date_max = p->deadline == 99
					    ? NULL
					    : arena_printf(a, "%.10s",
							   local_time(a, today, p->day + p->deadline, 0)),
			.animateur = "Animateur de la Mission Locale",
			.lieu = st == 0 ? "Antenne de Morlaix" : "Salle de réunion, 1er étage",
			.capacity = p->capacity,
			.commentaire = k % 4 == 0 ? "Prévoir une pièce d'identité." : NULL,
		};
		rc = sim_store_seed_session(db, &s);
		if (!rc)
			rc = seed_registrants(db, a, today, st, p, s.id);
	}
	return rc;
}

/* 160 sessions of 75056S00 in one week: more than a page of 150. */
static int
seed_paging_week(struct db *db, struct arena *a, const GDate *today)
{
	int rc = 0;

	for (int k = 0; !rc && k < PAGING_COUNT; k++) {
		struct sim_session s = {
			.id = PAGING_FIRST_ID + k,
			.structure_code = "75056S00",
			.offre_id = 1 + k % 6,
			.nom = arena_printf(a, "Semaine de l'orientation — créneau %d", k + 1),
			.debut = local_time(a, today, PAGING_DAY + k % 7, 8 + k % 10),
			.fin = local_time(a, today, PAGING_DAY + k % 7, 9 + k % 10),
			.lieu = "Cité des métiers",
			.capacity = 20,
		};
		rc = sim_store_seed_session(db, &s);
	}
	return rc;
}

static int
seed_rdvs(struct db *db, struct arena *a, const GDate *today)
{
	int rc = 0;

	for (int k = 0; !rc && k < RDV_COUNT; k++) {
		int day = -20 + 2 * k;
		struct sim_rdv r = {
			.id = RDV_FIRST_ID + k,
			.dossier_id = FIRST_DOSSIER + k,
			.debut = local_time(a, today, day, 9 + k % 8),
			.fin = k % 5 == 4 ? NULL : local_time(a, today, day, 10 + k % 8),
			.objet = rdv_objets[k % G_N_ELEMENTS(rdv_objets)],
			.conseiller = "Conseiller de la Mission Locale",
			.type = k % 3 == 0 ? "Entretien individuel" : "Atelier",
			/* Past ones tell what happened; future ones are mostly Planifié. */
			.statut = day < 0 ? rdv_statuts[k % 6] : rdv_statuts[k % 3 ? 0 : k % 6],
			.commentaire = k % 2 ? "Apporter son CV." : NULL,
			.lieu = k % 4 ? "Mission Locale" : NULL,
		};
		rc = sim_store_seed_rdv(db, &r);
	}
	return rc;
}

int
sim_seed_sessions(struct db *db, const GDate *today)
{
	struct arena *a = arena_new();
	int rc = sim_store_agenda_clear(db);

	for (size_t k = 0; !rc && k < G_N_ELEMENTS(offres); k++)
		rc = sim_store_seed_offre(db, &offres[k]);
	for (int st = 0; !rc && st < 3; st++)
		rc = seed_structure_sessions(db, a, today, st);
	if (!rc)
		rc = seed_paging_week(db, a, today);
	if (!rc)
		rc = seed_rdvs(db, a, today);
	arena_free(a);
	return rc;
}
