/* sim_seed.c — the simulator's seed (spec/imilo.md §6): 3 structures, 8 counselors (plus
 * cej's 4 demo counselors) and 40 dossiers 100001–100040, with the four special dossiers
 * 100037–100040; then the offers, sessions and rendez-vous of sim_seed_sessions.c.
 *
 * Deterministic: ids, names and the shape of every dossier depend only on the seed number;
 * dates are offsets from the seeding day (Europe/Paris), so a demo looks the same whatever
 * the day. Names are drawn from per-structure pools shuffled by a GRand seeded with the
 * seed number, so no two dossiers share a name or an e-mail. */
#include "sim/sim_internal.h"
#include "sim/sim_agenda_store.h"
#include "sim/sim_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/text.h"
#include "db/db.h"

#include <sodium.h>
#include <string.h>

#define SEED_FIRST_ID 100001
#define SEED_DOSSIERS 40
#define ID_ALREADY_ATTACHED 100037
#define ID_NO_MAIL 100038
#define ID_OTHER_ML 100039
#define ID_NOT_JUSTIFIED 100040
/* The id-keycloak of the account 100037 already has (stable across resets). */
#define ALREADY_ATTACHED_ACCOUNT "5f0c3a1e-8d2b-4e7a-9c61-7b3e2d4f1a37"
#define COUNSELOR_PASSWORD "Conseiller1!"
#define POOL 14                 /* names per structure: ≥ dossiers per structure */

static const struct sim_structure structures[] = {
	{"29019S00", "Mission Locale du Pays de Brest", "ML Pays de Brest", "Europe/Paris"},
	{"75056S00", "Mission Locale de Paris", "ML Paris", "Europe/Paris"},
	{"97411S00", "Mission Locale Sud Réunion", "ML Sud Réunion", "Indian/Reunion"},
};

static const char *const brest_agencies[] = {"Antenne de Morlaix", "Antenne de Landerneau"};

/* One supervisor per structure, one counselor without e-mail (léa dubois), one in two
 * structures (erwan tanguy: Brest principal, Paris). */
static const struct sim_counselor counselors[] = {
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c01", "yann.kerjean", "Yann", "Kerjean",
	 "yann.kerjean@mlpaysdebrest.exemple.fr", true},
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c02", "maela.guillou", "Maëla", "Guillou",
	 "maela.guillou@mlpaysdebrest.exemple.fr", false},
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c03", "erwan.tanguy", "Erwan", "Tanguy",
	 "erwan.tanguy@mlpaysdebrest.exemple.fr", false},
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c04", "sophie.martin", "Sophie", "Martin",
	 "sophie.martin@mlparis.exemple.fr", true},
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c05", "karim.benali", "Karim", "Benali",
	 "karim.benali@mlparis.exemple.fr", false},
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c06", "lea.dubois", "Léa", "Dubois", NULL, false},
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c07", "jean-marc.payet", "Jean-Marc", "Payet",
	 "jean-marc.payet@mlsudreunion.exemple.fr", true},
	{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c08", "anais.hoarau", "Anaïs", "Hoarau",
	 "anais.hoarau@mlsudreunion.exemple.fr", false},
};

static const struct {
	int counselor;
	int structure;
	bool principale;
} memberships[] = {
	{0, 0, true}, {1, 0, true}, {2, 0, true}, {2, 1, false}, {3, 1, true},
	{4, 1, true}, {5, 1, true}, {6, 2, true}, {7, 2, true},
};

/* cej's demo counselors, so that SNP works with the demo logins before single sign-on:
 * `cej seed --demo` (src/admin/seed.c) gives its counselors these i-milo logins, and D5
 * refuses a loginConseiller the simulator does not know. One principal structure each. */
static const struct {
	struct sim_counselor counselor;
	int structure;
} demo_counselors[] = {
	{{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c09", "camille.martin", "Camille", "Martin",
	  "camille.martin@cej-demo.fr", false}, 0},
	{{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c10", "yann.le-goff", "Yann", "Le Goff",
	  "yann.le-goff@cej-demo.fr", true}, 0},
	{{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c11", "sophie.durand", "Sophie", "Durand",
	  "sophie.durand@cej-demo.fr", false}, 1},
	{{"3b1f6c2a-7d4e-4f8a-9b2c-1e5d8a7f0c12", "mael.payet", "Maël", "Payet",
	  "mael.payet@cej-demo.fr", false}, 2},
};

static const char *const first_names[SEED_DOSSIERS] = {
	"Léa", "Lucas", "Chloé", "Yanis", "Manon", "Enzo", "Inès", "Maël", "Camille", "Hugo",
	"Jade", "Louis", "Zoé", "Nathan", "Lina", "Théo", "Emma", "Rayan", "Sarah", "Mathis",
	"Ambre", "Kylian", "Éloïse", "Noé", "Anaïs", "Gabriel", "Océane", "Adam", "Lou", "Mohamed",
	"Clémence", "Timéo", "Aïcha", "Baptiste", "Maëlys", "Ethan", "Lisa", "Sacha", "Nour", "Killian",
};

/* Last names per structure, in the order of structures[]. */
static const char *const last_names[3][POOL] = {
	{"Le Gall", "Quéré", "Morvan", "Le Bihan", "Kerboul", "Tanguy", "Le Roux", "Guillou",
	 "Cadiou", "Abgrall", "Jézéquel", "Le Goff", "Madec", "Kervella"},
	{"Martin", "Diallo", "Nguyen", "Benali", "Lefèvre", "Traoré", "Moreau", "Dos Santos",
	 "Haddad", "Garnier", "Rousseau", "Fontaine", "Chevalier", "Mercier"},
	{"Hoarau", "Payet", "Grondin", "Técher", "Boyer", "Robert", "Rivière", "Maillot", "Lebon",
	 "Turpin", "Nativel", "Dijoux", "Clain", "Sautron"},
};

struct place {
	const char *code_postal, *commune, *voie;
};

static const struct place places[3][5] = {
	{{"29200", "Brest", "rue de Siam"}, {"29200", "Brest", "rue Jean Jaurès"},
	 {"29600", "Morlaix", "place des Otages"}, {"29800", "Landerneau", "rue de la Fontaine Blanche"},
	 {"29280", "Plouzané", "route du Conquet"}},
	{{"75011", "Paris", "rue Oberkampf"}, {"75018", "Paris", "rue Ordener"},
	 {"75013", "Paris", "avenue d'Italie"}, {"75020", "Paris", "rue des Pyrénées"},
	 {"75019", "Paris", "avenue de Flandre"}},
	{{"97410", "Saint-Pierre", "rue des Bons Enfants"}, {"97430", "Le Tampon", "rue Hubert Delisle"},
	 {"97480", "Saint-Joseph", "rue Leconte de Lisle"}, {"97427", "L'Étang-Salé", "rue Octave Bénard"},
	 {"97414", "L'Entre-Deux", "rue Fortuné Hoarau"}},
};

static const char *const categories[] = {
	"Emploi", "Contrat en Alternance", "Formation", "Immersion en entreprise", "Pmsmp",
	"Contrat de volontariat - bénévolat", "Scolarité", "Demandeur d'emploi",
};
static const char *const etats[] = {"EN_COURS", "PREVU", "TERMINE"};
/* Commis de cuisine, vente, maçonnerie, aide-soignant, logistique, relation client. */
static const char *const romes[] = {"G1602", "D1106", "F1703", "J1501", "N1103", "D1408"};

struct seed_ctx {
	struct arena *a;
	GRand *rand;
	GDate today;
	int name_order[3][POOL];  /* shuffled indexes into last_names */
	int first_order[SEED_DOSSIERS];
	int situation_counter;    /* spreads categories and états over all dossiers */
};

static void
shuffle(GRand *r, int *v, int n)
{
	for (int i = 0; i < n; i++)
		v[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = g_rand_int_range(r, 0, i + 1), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void
set_today(GDate *d, int64_t now_ms)
{
	GTimeZone *tz = g_time_zone_new_identifier("Europe/Paris");
	GDateTime *utc = g_date_time_new_from_unix_utc(now_ms / 1000);
	GDateTime *local;

	if (!tz)  /* no tzdata: UTC is a day off at most around midnight */
		tz = g_time_zone_new_utc();
	local = g_date_time_to_timezone(utc, tz);
	g_date_clear(d, 1);
	g_date_set_dmy(d, (GDateDay)g_date_time_get_day_of_month(local),
		       (GDateMonth)g_date_time_get_month(local), (GDateYear)g_date_time_get_year(local));
	g_date_time_unref(local);
	g_date_time_unref(utc);
	g_time_zone_unref(tz);
}

static char *
iso_date(struct arena *a, const GDate *d)
{
	return arena_printf(a, "%04d-%02d-%02d", g_date_get_year(d), g_date_get_month(d),
			    g_date_get_day(d));
}

/* The civil date @days after the seeding day (negative: before). */
static GDate
day_from_today(const struct seed_ctx *c, int days)
{
	GDate d = c->today;

	if (days >= 0)
		g_date_add_days(&d, (guint)days);
	else
		g_date_subtract_days(&d, (guint)-days);
	return d;
}

static char *
day_str(struct seed_ctx *c, int days)
{
	GDate d = day_from_today(c, days);
	return iso_date(c->a, &d);
}

/* "Le Gall" -> "le-gall", "Éloïse" -> "eloise": the local part of a demo e-mail. */
static char *
mail_part(struct arena *a, const char *name)
{
	char *s = text_fold(a, name);

	for (char *p = s; *p; p++)
		if (*p == ' ' || *p == '\'')
			*p = '-';
	return s;
}

static void
seed_situation(struct seed_ctx *c, struct sim_situation *s)
{
	int k = c->situation_counter++;
	const char *cat = categories[k % G_N_ELEMENTS(categories)];

	s->categorie = cat;
	s->etat = etats[(k / G_N_ELEMENTS(categories)) % G_N_ELEMENTS(etats)];
	if (!strcmp(s->etat, "TERMINE"))
		s->date_fin = day_str(c, -g_rand_int_range(c->rand, 10, 200));
	else if (!strcmp(s->etat, "PREVU"))
		s->date_fin = day_str(c, g_rand_int_range(c->rand, 60, 240));
	else if (k % 5 != 0)  /* some current situations have no planned end */
		s->date_fin = day_str(c, g_rand_int_range(c->rand, 20, 300));
	if (!strcmp(cat, "Emploi") || !strcmp(cat, "Contrat en Alternance"))
		s->rome_exerce = romes[k % G_N_ELEMENTS(romes)];
	if (!strcmp(cat, "Formation") || !strcmp(cat, "Contrat en Alternance"))
		s->rome_prepare = romes[(k + 1) % G_N_ELEMENTS(romes)];
	if (s->rome_exerce || s->rome_prepare || !strcmp(cat, "Immersion en entreprise") ||
	    !strcmp(cat, "Pmsmp"))
		s->rome_premier = romes[(k + 2) % G_N_ELEMENTS(romes)];
}

/* Accompaniment: 1 in 4 PACEA (no CEJ dates); among CEJ, some end within a month (the
 * product's "fin de CEJ" alerts) and a few are over. */
static void
seed_accompaniment(struct seed_ctx *c, int i, struct sim_dossier *d)
{
	GDate debut;

	d->cej = i % 4 != 3;
	if (!d->cej)
		return;
	if (i % 10 == 1) {
		GDate fin = day_from_today(c, g_rand_int_range(c->rand, 5, 26));
		debut = fin;
		g_date_subtract_months(&debut, 12);
		g_date_add_days(&debut, 1);
	} else if (i % 13 == 12) {
		debut = day_from_today(c, -g_rand_int_range(c->rand, 380, 420));
	} else {
		debut = day_from_today(c, -g_rand_int_range(c->rand, 15, 330));
	}
	GDate fin = debut;
	g_date_add_months(&fin, 12);
	g_date_subtract_days(&fin, 1);
	d->date_debut = iso_date(c->a, &debut);
	d->premier_accompagnement = d->date_debut;
	d->date_fin_prevue = iso_date(c->a, &fin);
	if (g_date_compare(&fin, &c->today) < 0)
		d->date_fin_reelle = d->date_fin_prevue;
}

static void
seed_identity(struct seed_ctx *c, int i, int st, struct sim_dossier *d)
{
	int k = i / 3;  /* rank of the dossier within its structure */
	const char *const *pool = last_names[st];
	GDate birth = c->today;
	const char *last;

	d->prenom = first_names[c->first_order[i]];
	d->nom_naissance = pool[c->name_order[st][k]];
	if (i % 7 == 4)
		d->nom_usage = pool[c->name_order[st][(k + 7) % POOL]];  /* married name */
	else if (i % 7 == 0)
		d->nom_usage = d->nom_naissance;
	g_date_subtract_years(&birth, 16);
	g_date_subtract_days(&birth, (guint)g_rand_int_range(c->rand, 0, 9 * 365));
	d->date_naissance = iso_date(c->a, &birth);
	last = d->nom_usage ? d->nom_usage : d->nom_naissance;
	d->mail = arena_printf(c->a, "%s.%s@exemple.fr", mail_part(c->a, d->prenom),
			       mail_part(c->a, last));
	d->id_jeune = arena_printf(c->a, "%d", 2300000 + 37 * i);
	if (i % 2 == 0)
		d->numero_de = arena_printf(c->a, "%07d%c", 1200000 + 4099 * i, 'A' + i % 26);
}

static void
seed_address(struct seed_ctx *c, int i, int st, struct sim_dossier *d)
{
	const struct place *p = &places[st][i % 5];

	d->adresse_numero = arena_printf(c->a, "%d", g_rand_int_range(c->rand, 1, 120));
	d->adresse_voie = p->voie;
	d->adresse_complement = i % 5 == 2 ? "Bâtiment B" : NULL;
	d->code_postal = p->code_postal;
	d->commune = p->commune;
}

static void
seed_special(struct sim_dossier *d)
{
	if (d->id == ID_ALREADY_ATTACHED)
		d->account_id = ALREADY_ATTACHED_ACCOUNT;
	else if (d->id == ID_NO_MAIL)
		d->mail = NULL;
	else if (d->id == ID_OTHER_ML)
		d->other_ml = true;
	else if (d->id == ID_NOT_JUSTIFIED)
		d->justified = false;
}

static int
seed_dossier(struct db *db, struct seed_ctx *c, int i)
{
	int st = i % 3;
	struct sim_dossier d = {.id = SEED_FIRST_ID + i, .justified = true};
	struct sim_situation sit[3] = {{0}};

	d.structure_code = structures[st].code;
	seed_identity(c, i, st, &d);
	seed_address(c, i, st, &d);
	seed_accompaniment(c, i, &d);
	d.n_situations = (i + 2) % 4;  /* 0 to 3; 100003, 100007 … have none */
	for (int k = 0; k < d.n_situations; k++)
		seed_situation(c, &sit[k]);
	d.situations = sit;
	seed_special(&d);
	return sim_store_add_dossier(db, &d);
}

/* The argon2id hash of the shared demo password, computed once per process so that
 * resets (frequent in tests) stay fast. NULL if libsodium failed. */
static const char *
password_hash(void)
{
	static char hash[crypto_pwhash_STRBYTES];
	static gsize done;

	if (g_once_init_enter(&done)) {
		if (crypto_pwhash_str(hash, COUNSELOR_PASSWORD, strlen(COUNSELOR_PASSWORD),
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE))
			hash[0] = '\0';
		g_once_init_leave(&done, 1);
	}
	return hash[0] ? hash : NULL;
}

static int
seed_people(struct db *db)
{
	const char *hash = password_hash();
	int rc = 0;

	if (!hash)
		return -ERR_DB;
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(structures); i++)
		rc = sim_store_add_structure(db, &structures[i]);
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(brest_agencies); i++)
		rc = sim_store_add_agency(db, structures[0].code, brest_agencies[i]);
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(counselors); i++)
		rc = sim_store_add_counselor(db, &counselors[i], hash);
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(memberships); i++)
		rc = sim_store_add_counselor_structure(db, counselors[memberships[i].counselor].sub,
						       structures[memberships[i].structure].code,
						       memberships[i].principale);
	for (size_t i = 0; !rc && i < G_N_ELEMENTS(demo_counselors); i++) {
		const struct sim_counselor *c = &demo_counselors[i].counselor;
		rc = sim_store_add_counselor(db, c, hash);
		if (!rc)
			rc = sim_store_add_counselor_structure(
				db, c->sub, structures[demo_counselors[i].structure].code, true);
	}
	return rc;
}

static int
seed_all(struct db *db, struct seed_ctx *c, int seed)
{
	/* The agenda's tables first: they reference dossiers and structures. */
	int rc = sim_store_agenda_clear(db);

	if (!rc)
		rc = sim_store_clear(db);

	if (!rc)
		rc = seed_people(db);
	for (int i = 0; !rc && i < SEED_DOSSIERS; i++)
		rc = seed_dossier(db, c, i);
	if (!rc)
		rc = sim_seed_sessions(db, &c->today);
	if (!rc)
		rc = sim_store_set_meta(db, "seeded_on", iso_date(c->a, &c->today));
	if (!rc)
		rc = sim_store_set_meta(db, "seed", arena_printf(c->a, "%d", seed));
	return rc;
}

int
sim_seed_load(struct db *db, int seed, int64_t now_ms)
{
	struct seed_ctx c = {.a = arena_new(), .rand = g_rand_new_with_seed((guint32)seed)};
	int rc;

	set_today(&c.today, now_ms);
	shuffle(c.rand, c.first_order, SEED_DOSSIERS);
	for (int st = 0; st < 3; st++)
		shuffle(c.rand, c.name_order[st], POOL);
	rc = db_tx_begin(db);
	if (rc)
		goto out;
	rc = seed_all(db, &c, seed);
	if (!rc)
		rc = db_tx_commit(db);
	if (!rc)
		log_info("imilo-sim: jeu de données chargé (graine %d, %d dossiers)", seed,
			 SEED_DOSSIERS);
out:
	if (rc)
		db_tx_rollback(db);
	g_rand_free(c.rand);
	arena_free(c.a);
	return rc;
}
