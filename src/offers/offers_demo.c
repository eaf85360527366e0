/* offers_demo.c — the demo catalogue of `cej offers demo` (offers_demo.h). Every draw goes
 * through one GRand (Mersenne Twister: the same sequence on every machine for a seed),
 * in the order of the code below: adding a draw in the middle changes every row after it,
 * which is fine — the demo is reproducible for one version of cej, not across versions. */
#include "offers/offers_demo.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo.h"
#include "geo/geo_store.h"
#include "offers/offers_search.h"
#include "offers/offers_store.h"
#include "offers/offers_text.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DAY_MS 86400000LL

/* The 60 métiers: ROME code and label, an appellation (code and label), the title of an
 * offer ("… (H/F)") and the NAF label of an establishment that employs it. */
static const struct metier {
	const char *rome, *rome_label, *app_code, *appellation, *title, *naf;
} metiers[] = {
	{"D1214", "Vente en habillement et accessoires de la personne", "20553", "Vendeur / Vendeuse en prêt-à-porter", "Vendeur (H/F)", "Commerce de détail d'habillement"},
	{"D1106", "Vente en alimentation", "20517", "Vendeur / Vendeuse en boulangerie-pâtisserie", "Vendeur en boulangerie (H/F)", "Boulangerie et boulangerie-pâtisserie"},
	{"D1211", "Vente en articles de sport et loisirs", "20540", "Vendeur / Vendeuse en articles de sport", "Vendeur en articles de sport (H/F)", "Commerce de détail d'articles de sport"},
	{"D1403", "Relation commerciale auprès de particuliers", "19353", "Conseiller / Conseillère de vente", "Conseiller de vente (H/F)", "Commerce de détail d'équipements du foyer"},
	{"D1505", "Personnel de caisse", "11729", "Caissier / Caissière", "Caissier (H/F)", "Supermarchés"},
	{"D1507", "Mise en rayon libre-service", "13010", "Employé / Employée de libre-service", "Employé de libre-service (H/F)", "Supermarchés"},
	{"D1502", "Management/gestion de rayon produits alimentaires", "12016", "Chef de rayon produits alimentaires", "Chef de rayon (H/F)", "Hypermarchés"},
	{"D1301", "Management de magasin de détail", "38627", "Responsable de magasin", "Responsable de magasin (H/F)", "Commerce de détail de chaussures"},
	{"D1102", "Boulangerie - viennoiserie", "11573", "Boulanger / Boulangère", "Boulanger (H/F)", "Boulangerie et boulangerie-pâtisserie"},
	{"D1104", "Pâtisserie, confiserie, chocolaterie et glacerie", "19071", "Pâtissier / Pâtissière", "Pâtissier (H/F)", "Pâtisserie"},
	{"D1101", "Boucherie", "11564", "Boucher / Bouchère", "Boucher (H/F)", "Commerce de détail de viandes"},
	{"D1202", "Coiffure", "12265", "Coiffeur / Coiffeuse", "Coiffeur (H/F)", "Coiffure"},
	{"D1208", "Soins esthétiques et corporels", "13128", "Esthéticien / Esthéticienne", "Esthéticien (H/F)", "Soins de beauté"},
	{"D1209", "Vente de végétaux", "13729", "Fleuriste", "Fleuriste (H/F)", "Commerce de détail de fleurs"},
	{"D1401", "Assistanat commercial", "10186", "Assistant commercial / Assistante commerciale", "Assistant commercial (H/F)", "Commerce de gros de fournitures de bureau"},
	{"G1602", "Personnel de cuisine", "12777", "Cuisinier / Cuisinière", "Cuisinier (H/F)", "Restauration traditionnelle"},
	{"G1603", "Personnel polyvalent en restauration", "16154", "Équipier polyvalent / Équipière polyvalente", "Équipier polyvalent en restauration (H/F)", "Restauration de type rapide"},
	{"G1803", "Service en restauration", "38201", "Serveur / Serveuse en restauration", "Serveur en restauration (H/F)", "Restauration traditionnelle"},
	{"G1605", "Plonge en restauration", "16283", "Plongeur / Plongeuse en restauration", "Plongeur (H/F)", "Restauration traditionnelle"},
	{"G1801", "Café, bar brasserie", "11031", "Barman / Barmaid", "Barman (H/F)", "Débits de boissons"},
	{"G1501", "Personnel d'étage", "15037", "Valet / Femme de chambre", "Valet de chambre (H/F)", "Hôtels et hébergement similaire"},
	{"G1703", "Réception en hôtellerie", "17848", "Réceptionniste en hôtellerie", "Réceptionniste (H/F)", "Hôtels et hébergement similaire"},
	{"G1101", "Accueil touristique", "10026", "Agent / Agente d'accueil touristique", "Agent d'accueil touristique (H/F)", "Activités des offices de tourisme"},
	{"G1202", "Animation d'activités culturelles ou ludiques", "10341", "Animateur / Animatrice d'activités", "Animateur (H/F)", "Autres activités récréatives et de loisirs"},
	{"G1204", "Éducation en activités sportives", "13289", "Éducateur sportif / Éducatrice sportive", "Éducateur sportif (H/F)", "Activités de clubs de sports"},
	{"K1302", "Assistance auprès d'adultes", "10317", "Auxiliaire de vie", "Auxiliaire de vie (H/F)", "Aide à domicile"},
	{"K1303", "Assistance auprès d'enfants", "13853", "Garde d'enfants à domicile", "Garde d'enfants (H/F)", "Accueil de jeunes enfants"},
	{"K1304", "Services domestiques", "10032", "Aide ménager / ménagère à domicile", "Aide ménager à domicile (H/F)", "Aide à domicile"},
	{"J1501", "Soins d'hygiène, de confort du patient", "10163", "Aide-soignant / Aide-soignante", "Aide-soignant (H/F)", "Hébergement médicalisé pour personnes âgées"},
	{"J1506", "Soins infirmiers généralistes", "14577", "Infirmier / Infirmière", "Infirmier (H/F)", "Activités hospitalières"},
	{"J1301", "Personnel polyvalent des services hospitaliers", "10100", "Agent / Agente des services hospitaliers", "Agent des services hospitaliers (H/F)", "Activités hospitalières"},
	{"J1307", "Préparation en pharmacie", "17012", "Préparateur / Préparatrice en pharmacie", "Préparateur en pharmacie (H/F)", "Commerce de détail de produits pharmaceutiques"},
	{"K2204", "Nettoyage de locaux", "12006", "Agent / Agente de propreté", "Agent de propreté (H/F)", "Nettoyage courant des bâtiments"},
	{"K2503", "Sécurité et surveillance privées", "10151", "Agent / Agente de sécurité", "Agent de sécurité (H/F)", "Activités de sécurité privée"},
	{"K2111", "Formation professionnelle", "13934", "Formateur / Formatrice", "Formateur (H/F)", "Formation continue d'adultes"},
	{"N1103", "Magasinage et préparation de commandes", "38806", "Préparateur / Préparatrice de commandes", "Préparateur de commandes (H/F)", "Entreposage et stockage non frigorifique"},
	{"N1105", "Manutention manuelle de charges", "15140", "Manutentionnaire", "Manutentionnaire (H/F)", "Entreposage et stockage non frigorifique"},
	{"N1101", "Conduite d'engins de déplacement des charges", "11713", "Cariste", "Cariste (H/F)", "Messagerie, fret express"},
	{"N4101", "Conduite de transport de marchandises sur longue distance", "12115", "Conducteur / Conductrice poids lourd", "Chauffeur poids lourd (H/F)", "Transports routiers de fret interurbains"},
	{"N4105", "Conduite et livraison par tournées sur courte distance", "11910", "Chauffeur-livreur / Chauffeuse-livreuse", "Chauffeur-livreur (H/F)", "Transports routiers de fret de proximité"},
	{"N4102", "Conduite de transport de particuliers", "11889", "Chauffeur / Chauffeuse VTC", "Chauffeur VTC (H/F)", "Transports de voyageurs par taxis"},
	{"F1703", "Maçonnerie", "14894", "Maçon / Maçonne", "Maçon (H/F)", "Travaux de maçonnerie générale"},
	{"F1603", "Installation d'équipements sanitaires et thermiques", "16987", "Plombier / Plombière", "Plombier chauffagiste (H/F)", "Travaux d'installation d'eau et de gaz"},
	{"F1602", "Électricité bâtiment", "13174", "Électricien / Électricienne du bâtiment", "Électricien du bâtiment (H/F)", "Travaux d'installation électrique"},
	{"F1606", "Peinture en bâtiment", "16656", "Peintre en bâtiment", "Peintre en bâtiment (H/F)", "Travaux de peinture et vitrerie"},
	{"F1607", "Pose de fermetures menuisées", "15340", "Menuisier poseur / Menuisière poseuse", "Menuisier poseur (H/F)", "Travaux de menuiserie bois et PVC"},
	{"F1604", "Montage d'agencements", "10315", "Agenceur / Agenceuse de magasin", "Agenceur (H/F)", "Travaux de menuiserie bois et PVC"},
	{"F1701", "Construction en béton", "12403", "Coffreur-bancheur / Coffreuse-bancheuse", "Coffreur bancheur (H/F)", "Construction d'autres bâtiments"},
	{"A1203", "Aménagement et entretien des espaces verts", "11974", "Jardinier / Jardinière paysagiste", "Jardinier paysagiste (H/F)", "Services d'aménagement paysager"},
	{"A1414", "Horticulture et maraîchage", "38574", "Ouvrier / Ouvrière maraîcher", "Ouvrier maraîcher (H/F)", "Culture de légumes, de melons, de racines et tubercules"},
	{"A1401", "Aide agricole de production fruitière ou viticole", "19900", "Vendangeur / Vendangeuse", "Vendangeur (H/F)", "Culture de la vigne"},
	{"H2909", "Montage-assemblage mécanique", "15513", "Monteur / Monteuse en mécanique", "Monteur en mécanique (H/F)", "Fabrication de machines agricoles"},
	{"H3302", "Opérations manuelles d'assemblage, tri ou emballage", "10060", "Agent / Agente de conditionnement", "Agent de conditionnement (H/F)", "Transformation et conservation de légumes"},
	{"H2913", "Soudage manuel", "17925", "Soudeur / Soudeuse", "Soudeur (H/F)", "Fabrication de structures métalliques"},
	{"I1604", "Mécanique automobile et entretien de véhicules", "15087", "Mécanicien / Mécanicienne automobile", "Mécanicien automobile (H/F)", "Entretien et réparation de véhicules automobiles légers"},
	{"I1203", "Maintenance des bâtiments et des locaux", "10132", "Agent / Agente de maintenance des bâtiments", "Agent de maintenance des bâtiments (H/F)", "Administration d'immeubles"},
	{"M1607", "Secrétariat", "17403", "Secrétaire", "Secrétaire (H/F)", "Activités des sièges sociaux"},
	{"M1601", "Accueil et renseignements", "10018", "Agent / Agente d'accueil", "Agent d'accueil (H/F)", "Activités des sièges sociaux"},
	{"M1203", "Comptabilité", "12244", "Comptable", "Comptable (H/F)", "Activités comptables"},
	{"M1805", "Études et développement informatique", "12665", "Développeur / Développeuse informatique", "Développeur informatique (H/F)", "Programmation informatique"},
};
#define N_METIERS (int)(sizeof(metiers) / sizeof(metiers[0]))
_Static_assert(sizeof(metiers) / sizeof(metiers[0]) == 60, "offers.md §8.6: 60 métiers");

static const char *const companies[] = {
	"Maison Le Gall", "Atelier du Port", "Groupe Armor Services", "Les Halles Centrales",
	"Société Kervella", "Transports Morvan", "Entreprise Martin et Fils", "Cap Ouest Distribution",
	"Résidence Les Tilleuls", "Centre Hospitalier Régional", "Brasserie de la Gare",
	"Hôtel du Commerce", "SARL Bâti Plus", "Espace Jardin", "Mécanique Services",
	"Association Vivre Ensemble", "Pharmacie du Centre", "Boulangerie Au Bon Pain",
};
#define N_COMPANIES (int)(sizeof(companies) / sizeof(companies[0]))

/* offers.md §1: the contract groups, and the share of each code among Emploi offers. */
static const struct contract {
	const char *code, *label;
	int weight;          /* per thousand */
} contracts[] = {
	{"CDI", "Contrat à durée indéterminée", 400},
	{"CDD", "Contrat à durée déterminée - 6 Mois", 350},
	{"MIS", "Mission intérimaire - 3 Mois", 150},
	{"SAI", "Contrat travail saisonnier - 4 Mois", 30},
	{"DDI", "CDD insertion - 12 Mois", 20},
	{"CCE", "Profession commerciale", 20},
	{"FRA", "Franchise", 15},
	{"LIB", "Profession libérale", 15},
};

/* A mission for each of the Service civique domains (offer_domains, in their order). */
static const char *const missions[OFFER_DOMAINS] = {
	"Sensibiliser les habitants au tri et à la réduction des déchets",
	"Accompagner des personnes isolées dans leurs démarches",
	"Participer à la prévention des risques auprès des jeunes",
	"Informer le public sur les gestes de santé au quotidien",
	"Faire découvrir la médiathèque et ses ateliers",
	"Soutenir des élèves dans leur travail scolaire",
	"Aider des demandeurs d'emploi à préparer leurs candidatures",
	"Animer des activités sportives pour tous les publics",
	"Préparer des collectes et des distributions solidaires",
	"Participer à la protection des animaux d'un refuge",
	"Animer des rencontres entre voisins et générations",
	"Contribuer aux projets d'une association de quartier",
};

static const char *const contact_modes[] = {"EMAIL", "PHONE", "IN_PERSON"};

/* Mes Événements Emploi: the types the beneficiary filters on (§9). */
static const char *const event_types[] = {
	"Réunion d'information", "Forum", "Conférence", "Atelier", "Salon en ligne",
	"Job dating", "Visite d'entreprise", "Portes ouvertes",
};
#define N_EVENT_TYPES (int)(sizeof(event_types) / sizeof(event_types[0]))

struct demo {
	struct db *db;
	struct arena *a;
	GRand *r;
	int64_t now;
	struct geo_commune *communes;
	int n;
	int64_t *cumul;      /* cumul[i]: population of communes[0..i] */
	GHashTable *ids;     /* public ids drawn so far: each is unique */
	struct offers_demo_stats *st;
	struct offers_text *text;
};

static int
pick(struct demo *d, int n)
{
	return g_rand_int_range(d->r, 0, n);
}

static bool
chance(struct demo *d, int per_thousand)
{
	return g_rand_int_range(d->r, 0, 1000) < per_thousand;
}

/* A commune drawn in proportion to its population. */
static const struct geo_commune *
draw_commune(struct demo *d)
{
	int64_t x = (int64_t)(g_rand_double(d->r) * (double)d->cumul[d->n - 1]);
	int lo = 0, hi = d->n - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (d->cumul[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &d->communes[lo];
}

/* The commune's centre moved by up to 2 km in any direction (uniform on the disc). */
static void
place(struct demo *d, const struct geo_commune *c, struct offer *o)
{
	double angle = 2 * G_PI * g_rand_double(d->r), km = 2.0 * sqrt(g_rand_double(d->r));
	o->has_position = true;
	o->lat = c->lat + km / 111.32 * cos(angle);
	o->lon = c->lon + km / (111.32 * cos(c->lat * G_PI / 180)) * sin(angle);
	o->commune_insee = c->insee;
	o->postal_code = c->postal_code;
	o->dept_code = c->dept_code;
}

/* A public id not drawn before, from @make (which draws it). */
static const char *
unique_id(struct demo *d, const char *(*make)(struct demo *))
{
	for (;;) {
		const char *id = make(d);
		if (!g_hash_table_contains(d->ids, id)) {
			g_hash_table_add(d->ids, (char *)id);
			return id;
		}
	}
}

/* France Travail's shape: three digits and four capitals ("123ABCD", offers.md §1). */
static const char *
ft_id(struct demo *d)
{
	char s[8];
	snprintf(s, sizeof s, "%03d", g_rand_int_range(d->r, 100, 1000));
	for (int i = 3; i < 7; i++)
		s[i] = (char)('A' + pick(d, 26));
	s[7] = 0;
	return arena_strdup(d->a, s);
}

/* API Engagement's ids: 24 hexadecimal digits. */
static const char *
sc_id(struct demo *d)
{
	char s[25];
	for (int i = 0; i < 24; i++)
		s[i] = "0123456789abcdef"[pick(d, 16)];
	s[24] = 0;
	return arena_strdup(d->a, s);
}

/* A SIRET (14 digits) whose Luhn checksum holds, as INSEE's are. */
static const char *
siret(struct demo *d)
{
	char s[15];
	int sum = 0;
	for (int i = 0; i < 13; i++)
		s[i] = (char)('0' + (i ? pick(d, 10) : 1 + pick(d, 9)));
	/* Luhn over 14 digits: from the right, every second digit (positions 12, 10, … 0)
	 * doubled. Digits 0–12 are drawn; digit 13 makes the sum a multiple of 10. */
	for (int i = 0; i < 13; i++) {
		int v = s[i] - '0';
		if (i % 2 == 0) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	s[13] = (char)('0' + (10 - sum % 10) % 10);
	s[14] = 0;
	return arena_strdup(d->a, s);
}

static int64_t
created_at(struct demo *d, int days)
{
	return d->now - (int64_t)(g_rand_double(d->r) * (double)days * DAY_MS);
}

/* What every demo offer shares: its provider, dates, raw record and activity. */
static void
common(struct demo *d, struct offer *o, const char *id, int64_t created)
{
	o->id = o->provider_id = id;
	o->provider = OFFERS_DEMO_PROVIDER;
	o->provider_created_at = created;
	o->provider_updated_at = created + (int64_t)(g_rand_double(d->r) * (double)(d->now - created));
	o->active = true;
	o->skills = o->soft_skills = o->education = o->languages = o->licences = "[]";
	o->origin_name = "Démonstration cej";
	o->apply_url = arena_printf(d->a, "https://www.example.org/candidature/%s", id);
	o->raw = "{\"generateur\":\"cej offers demo\"}";
}

static int
store(struct demo *d, const struct offer *o)
{
	int rc = offers_store_upsert(d->db, d->text, o, d->now);
	if (rc < 0)
		return rc;
	d->st->offers[o->type]++;
	return 0;
}

static const struct contract *
draw_contract(struct demo *d)
{
	int x = pick(d, 1000), acc = 0;
	for (size_t i = 0; i < sizeof(contracts) / sizeof(contracts[0]); i++)
		if (x < (acc += contracts[i].weight))
			return &contracts[i];
	return &contracts[0];
}

/* One offer of France Travail's shape: Emploi (85 %) or Alternance (15 %). */
static int
france_travail(struct demo *d, int64_t created)
{
	const struct metier *m = &metiers[pick(d, N_METIERS)];
	const struct geo_commune *c = draw_commune(d);
	struct offer o = {.type = chance(d, 150) ? OFFER_ALTERNANCE : OFFER_EMPLOI};
	common(d, &o, unique_id(d, ft_id), created);
	place(d, c, &o);
	o.title = m->title;
	o.rome_code = m->rome;
	o.rome_label = m->rome_label;
	o.appellation_label = m->appellation;
	o.company = companies[pick(d, N_COMPANIES)];
	o.place_label = arena_printf(d->a, "%s - %s", c->dept_code, c->name);
	if (o.type == OFFER_ALTERNANCE) {
		bool pro = chance(d, 300);
		o.contract_code = "CDD";
		o.contract_label = "Contrat à durée déterminée - 24 Mois";
		o.nature_code = pro ? "FS" : "E2";
	} else {
		const struct contract *k = draw_contract(d);
		o.contract_code = k->code;
		o.contract_label = k->label;
		o.nature_code = "E1";
	}
	bool full = chance(d, 800);
	o.work_time = full ? "FULL" : "PARTIAL";
	o.work_time_label = full ? "35H Horaires normaux" : "24H Horaires normaux";
	bool beginner = chance(d, 500);
	o.experience_code = beginner ? "D" : "E";
	o.experience_label = beginner ? "Débutant accepté" : "1 An(s)";
	o.salary_label = arena_printf(d->a, "Mensuel de %d,00 Euros sur 12 mois", 1800 + 50 * pick(d, 12));
	o.description = arena_printf(d->a,
		"%s recherche un(e) %s pour son établissement de %s. Vous rejoignez une équipe "
		"qui vous forme à nos méthodes ; %s",
		o.company, m->appellation, c->name,
		beginner ? "débutant(e) accepté(e), la motivation compte avant tout."
			 : "une première expérience du métier est demandée.");
	return store(d, &o);
}

static int
service_civique(struct demo *d)
{
	int dom = pick(d, OFFER_DOMAINS);
	const struct geo_commune *c = draw_commune(d);
	struct offer o = {.type = OFFER_SERVICE_CIVIQUE};
	common(d, &o, unique_id(d, sc_id), created_at(d, 30));
	place(d, c, &o);
	o.title = missions[dom];
	o.domain = offer_domains[dom].label;   /* stored as the adapter stores it */
	o.company = arena_printf(d->a, "Association %s Solidaire", c->name);
	o.place_label = c->name;
	o.address = arena_printf(d->a, "%d rue de la République, %s %s", 1 + pick(d, 80),
				 c->postal_code, c->name);
	int64_t today = clock_day_of(d->now, "Europe/Paris");
	o.start_date = clock_day_at(today + pick(d, 90), 0, 0, "Europe/Paris");  /* day numbers */
	o.end_date = clock_day_at(clock_day_add_months(clock_day_of(o.start_date, "Europe/Paris"),
						       6 + pick(d, 5)), 0, 0, "Europe/Paris");
	o.description = arena_printf(d->a, "Mission de Service civique à %s : %s.", c->name,
				     missions[dom]);
	return store(d, &o);
}

static int
immersion(struct demo *d)
{
	const struct metier *m = &metiers[pick(d, N_METIERS)];
	const struct geo_commune *c = draw_commune(d);
	const char *sir, *id;
	do {   /* one offer per establishment and métier */
		sir = siret(d);
		id = arena_printf(d->a, "%s-%s", sir, m->app_code);
	} while (g_hash_table_contains(d->ids, id));
	g_hash_table_add(d->ids, (char *)id);
	struct offer o = {.type = OFFER_IMMERSION};
	common(d, &o, id, created_at(d, 30));
	place(d, c, &o);
	o.title = m->appellation;
	o.rome_code = m->rome;
	o.rome_label = m->rome_label;
	o.appellation_label = m->appellation;
	o.siret = sir;
	o.naf_label = m->naf;
	o.company = companies[pick(d, N_COMPANIES)];
	o.place_label = c->name;
	o.address = arena_printf(d->a, "%d avenue Jean Jaurès, %s %s", 1 + pick(d, 120),
				 c->postal_code, c->name);
	o.contact_mode = contact_modes[pick(d, 3)];
	o.voluntary = chance(d, 500);
	return store(d, &o);
}

static int
event(struct demo *d, int i)
{
	const struct geo_commune *c = draw_commune(d);
	const char *type = event_types[pick(d, N_EVENT_TYPES)];
	int64_t day = clock_day_of(d->now, "Europe/Paris") + pick(d, 60);   /* a day number */
	int hour = 9 + pick(d, 7);
	bool remote = chance(d, 200);
	struct job_event e = {
		.id = arena_printf(d->a, "%d", 900000 + i), .provider = OFFERS_DEMO_PROVIDER,
		.title = arena_printf(d->a, "%s : les métiers qui recrutent à %s", type, c->name),
		.description = "Rencontrez des employeurs et des conseillers, informez-vous sur "
			       "les formations et les offres du territoire.",
		.event_date = clock_day_iso(d->a, day), .timezone = "Europe/Paris",
		.start_time = arena_printf(d->a, "%02d:00", hour),
		.end_time = arena_printf(d->a, "%02d:00", hour + 2),
		.starts_at = clock_day_at(day, hour, 0, "Europe/Paris"),
		.ends_at = clock_day_at(day, hour + 2, 0, "Europe/Paris"),
		.city = c->name, .postal_code = c->postal_code, .commune_insee = c->insee,
		.has_position = true, .lat = c->lat, .lon = c->lon, .type = type,
		.modalities = remote ? "[\"A distance\"]" : "[\"En présentiel\"]",
		.seats_onsite = remote ? 0 : 20 + pick(d, 80), .seats_remote = remote ? 100 : 0,
		.registered_onsite = 0, .registered_remote = 0,
		.organiser = "France Travail", .rome_codes = "[]", .active = true,
		.raw = "{\"generateur\":\"cej offers demo\"}",
	};
	e.provider_id = e.id;
	e.url = arena_printf(d->a, "https://www.example.org/evenements/%s", e.id);
	int rc = offers_store_upsert_event(d->db, &e, d->now);
	if (rc >= 0)
		d->st->events++;
	return rc < 0 ? rc : 0;
}

/* The communes of the départements asked (all when none), and their cumulated weights. */
static int
load_communes(struct demo *d, const struct offers_demo_options *o)
{
	int rc = 0;
	d->n = 0;
	for (int i = 0; !rc && i < (o->n_depts ? o->n_depts : 1); i++) {
		struct geo_commune *part = NULL;
		int n = 0;
		rc = geo_communes_populated(d->db, d->a, o->n_depts ? o->depts[i] : NULL, &part, &n);
		if (rc || !n)
			continue;
		struct geo_commune *all = arena_alloc(d->a, (size_t)(d->n + n) * sizeof *all);
		if (d->n)
			memcpy(all, d->communes, (size_t)d->n * sizeof *all);
		memcpy(all + d->n, part, (size_t)n * sizeof *all);
		d->communes = all;
		d->n += n;
	}
	if (rc)
		return rc;
	if (!d->n)
		return -ERR_NOTFOUND;
	d->cumul = arena_alloc(d->a, (size_t)d->n * sizeof *d->cumul);
	for (int i = 0; i < d->n; i++)
		d->cumul[i] = (i ? d->cumul[i - 1] : 0) + d->communes[i].population;
	return 0;
}

static int
draw_all(struct demo *d, const struct offers_demo_options *o)
{
	int rc = 0;
	for (int i = 0; !rc && i < o->per_type; i++)
		rc = france_travail(d, created_at(d, o->days));
	/* "Of today": created since this morning, for the alert jobs (§6). */
	int64_t midnight = clock_day_at(clock_day_of(d->now, "Europe/Paris"), 0, 0, "Europe/Paris");
	for (int i = 0; !rc && i < o->today; i++)
		rc = france_travail(d, d->now - (int64_t)(g_rand_double(d->r) * (double)(d->now - midnight)));
	for (int i = 0; !rc && i < o->per_type; i++)
		rc = service_civique(d);
	for (int i = 0; !rc && i < o->per_type; i++)
		rc = immersion(d);
	for (int i = 0; !rc && i < OFFERS_DEMO_EVENTS; i++)
		rc = event(d, i);
	return rc;
}

int
offers_demo_generate(struct db *db, struct arena *a, const struct offers_demo_options *o,
		     struct offers_demo_stats *st)
{
	struct demo d = {.db = db, .a = a, .now = o->now, .st = st, .text = o->text,
			 .r = g_rand_new_with_seed(o->seed),
			 .ids = g_hash_table_new(g_str_hash, g_str_equal)};
	*st = (struct offers_demo_stats){0};
	int rc = db_tx_begin(db);
	if (!rc)
		rc = load_communes(&d, o);
	if (!rc)
		rc = draw_all(&d, o);
	rc = db_tx_end(db, rc);
	g_hash_table_destroy(d.ids);
	g_rand_free(d.r);
	return rc;
}

/* "29,75,974" → the codes, in @a; false (with *@bad) on an empty or unknown one. */
static bool
parse_depts(struct arena *a, const char *list, const char ***out, int *n, const char **bad)
{
	gchar **parts = g_strsplit(list, ",", -1);
	int count = (int)g_strv_length(parts);
	*out = arena_alloc(a, (size_t)(count + 1) * sizeof **out);
	*n = 0;
	bool ok = true;
	for (int i = 0; ok && i < count; i++) {
		const char *code = g_strstrip(parts[i]);
		if (!geo_dept_valid(code)) {
			*bad = arena_strdup(a, code);
			ok = false;
		} else {
			(*out)[(*n)++] = arena_strdup(a, code);
		}
	}
	g_strfreev(parts);
	return ok;
}

static void
summary(FILE *out, const struct offers_demo_stats *st)
{
	fprintf(out, "Catalogue de démonstration : %d offres d'emploi, %d alternances, %d missions "
		"de service civique, %d immersions, %d événements.\n",
		st->offers[OFFER_EMPLOI], st->offers[OFFER_ALTERNANCE],
		st->offers[OFFER_SERVICE_CIVIQUE], st->offers[OFFER_IMMERSION], st->events);
}

int
offers_demo_command(const struct offers_cli *cli, int argc, char **argv)
{
	gint seed = 42, per_type = 500, days = 30, today = 20;
	gchar *depts = NULL;
	GOptionEntry e[] = {
		{"seed", 0, 0, G_OPTION_ARG_INT, &seed, "graine du tirage (42)", "N"},
		{"per-type", 0, 0, G_OPTION_ARG_INT, &per_type,
		 "offres par famille : France Travail, service civique, immersion (500)", "N"},
		{"days", 0, 0, G_OPTION_ARG_INT, &days, "dates de création sur N jours (30)", "N"},
		{"today", 0, 0, G_OPTION_ARG_INT, &today, "offres créées aujourd'hui en plus (20)", "N"},
		{"departements", 0, 0, G_OPTION_ARG_STRING, &depts,
		 "seulement ces départements (29,75,974)", "CODES"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *o = g_option_context_new(NULL);
	g_option_context_set_summary(o, "Crée un catalogue d'offres de démonstration, le même pour "
				     "une même graine (offers.md §8.6).");
	g_option_context_add_main_entries(o, e, NULL);
	char **args = g_new0(char *, (size_t)argc + 1);
	memcpy(args, argv, sizeof(char *) * (size_t)argc);
	char **parsed = args;
	int n = argc, status = 2;
	GError *gerr = NULL;
	struct arena *a = arena_new();
	struct offers_demo_options opt = {.now = cli->now};
	const char *bad = NULL;
	char *why = NULL;
	struct db *db;
	if (!g_option_context_parse(o, &n, &parsed, &gerr)) {
		fprintf(cli->err, "cej offers demo : %s\n", gerr->message);
		g_error_free(gerr);
	} else if (n != 1 || seed < 0 || per_type < 0 || per_type > 1000000 || days < 1 ||
		   today < 0 || today > 100000) {
		fprintf(cli->err, "cej offers demo : options invalides (--seed ≥ 0, --per-type de 0 "
			"à 1 000 000, --days ≥ 1, --today de 0 à 100 000)\n");
	} else if (depts && !parse_depts(a, depts, (const char ***)&opt.depts, &opt.n_depts, &bad)) {
		fprintf(cli->err, "cej offers demo : « %s » n'est pas un code de département\n", bad);
	} else if (!(opt.text = offers_text_embedded(&why))) {
		fprintf(cli->err, "cej offers demo : %s\n", why);
		g_free(why);
		status = 1;
	} else if (!(db = cli->open(cli->ud))) {
		status = 1;
	} else {
		struct offers_demo_stats st;
		opt.seed = (uint32_t)seed;
		opt.per_type = per_type;
		opt.days = days;
		opt.today = today;
		int rc = offers_demo_generate(db, a, &opt, &st);
		status = rc ? 1 : 0;
		if (rc == -ERR_NOTFOUND)
			fprintf(cli->err, "cej offers demo : aucune commune%s dans le référentiel ; "
				"importez-le d'abord : cej offers communes import "
				"data/geo/departements.csv data/geo/communes.csv\n",
				depts ? " de ces départements" : "");
		else if (rc)
			fprintf(cli->err, "cej offers demo : erreur de base de données ; rien n'a été "
				"enregistré\n");
		else
			summary(cli->out, &st);
	}
	offers_text_free(opt.text);
	arena_free(a);
	g_free(args);
	g_free(depts);
	g_option_context_free(o);
	return status;
}
