/* bench_data_national.c — the national data set (bench_data_national.h).
 *
 * Shapes (all drawn from one GRand seeded with --graine, in a fixed order):
 *   - Missions Locales: weights 0.25 + 2.5·u² (the first, Paris, 4), so the largest is
 *     about ten times the smallest; counselors shared out by largest remainder.
 *   - Portfolios: a gamma(2) of mean 15 (median ≈ 12.6, about 0.3 % above 60).
 *   - Actions per beneficiary: gamma(2) of mean 20, and one beneficiary in 500 with
 *     200–600 (the long fiches). Statuses by due date: past ones mostly done, some late,
 *     a few cancelled; CEJ done actions older than two weeks mostly qualified (a quarter
 *     NON_SNP), the others wait in Pilotage.
 *   - Messages: only activated accounts have a conversation; its length is
 *     47·(u^-0.7 − 1) + 1, capped at 5,000 (median ≈ 30; about 1 % above 1,000 and
 *     0.15 % at the cap), spread over the account's active period, the counselor
 *     writing 55 %.
 *   - Agenda, 26 weeks back and 26 ahead: (portfolio + 3) / 6 rendez-vous a week per
 *     counselor, an animation collective every other week; past AC closed.
 *
 * Every row goes through bench_data_store.h (multi-row inserts, summaries kept by the
 * schema's triggers); messages are sealed with crypto_seal, as messaging_send does, never
 * stored in clear. */
#include "admin/bench_data_national.h"

#include "actions/actions.h"
#include "admin/bench_data_store.h"
#include "agenda/agenda.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/ids.h"
#include "base/text.h"
#include "db/db.h"
#include "messaging/crypto.h"
#include "messaging/messaging.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DAY_MS 86400000LL
#define YEAR_MS (365 * DAY_MS)
/* Commit at the first counselor boundary after this many rows. */
#define TX_ROWS 20000
#define LONG_CONVERSATION 5000
#define LONG_FICHE 500

/* Where the Missions Locales are: real départements and towns; the overseas ones in their
 * zones. Structure i takes place i modulo the list (Paris, La Réunion and Martinique
 * first, so that even the smallest scale spans three zones). */
static const struct place {
	const char *dept, *town, *tz;
} places[] = {
	{"75", "Paris", "Europe/Paris"},
	{"974", "Saint-Denis de La Réunion", "Indian/Reunion"},
	{"972", "Fort-de-France", "America/Martinique"},
	{"13", "Marseille", "Europe/Paris"}, {"69", "Lyon", "Europe/Paris"},
	{"31", "Toulouse", "Europe/Paris"}, {"06", "Nice", "Europe/Paris"},
	{"44", "Nantes", "Europe/Paris"}, {"67", "Strasbourg", "Europe/Paris"},
	{"34", "Montpellier", "Europe/Paris"}, {"33", "Bordeaux", "Europe/Paris"},
	{"59", "Lille", "Europe/Paris"}, {"35", "Rennes", "Europe/Paris"},
	{"51", "Reims", "Europe/Paris"}, {"76", "Le Havre", "Europe/Paris"},
	{"42", "Saint-Étienne", "Europe/Paris"}, {"83", "Toulon", "Europe/Paris"},
	{"38", "Grenoble", "Europe/Paris"}, {"21", "Dijon", "Europe/Paris"},
	{"971", "Pointe-à-Pitre", "America/Guadeloupe"},
	{"49", "Angers", "Europe/Paris"}, {"30", "Nîmes", "Europe/Paris"},
	{"63", "Clermont-Ferrand", "Europe/Paris"}, {"72", "Le Mans", "Europe/Paris"},
	{"29", "Brest", "Europe/Paris"}, {"37", "Tours", "Europe/Paris"},
	{"80", "Amiens", "Europe/Paris"}, {"87", "Limoges", "Europe/Paris"},
	{"66", "Perpignan", "Europe/Paris"}, {"57", "Metz", "Europe/Paris"},
	{"973", "Cayenne", "America/Cayenne"},
	{"25", "Besançon", "Europe/Paris"}, {"45", "Orléans", "Europe/Paris"},
	{"68", "Mulhouse", "Europe/Paris"}, {"14", "Caen", "Europe/Paris"},
	{"54", "Nancy", "Europe/Paris"}, {"93", "Saint-Denis", "Europe/Paris"},
	{"92", "Nanterre", "Europe/Paris"}, {"94", "Créteil", "Europe/Paris"},
	{"95", "Argenteuil", "Europe/Paris"}, {"86", "Poitiers", "Europe/Paris"},
	{"974", "Saint-Pierre de La Réunion", "Indian/Reunion"},
	{"64", "Pau", "Europe/Paris"}, {"17", "La Rochelle", "Europe/Paris"},
	{"56", "Lorient", "Europe/Paris"}, {"62", "Calais", "Europe/Paris"},
	{"2A", "Ajaccio", "Europe/Paris"}, {"03", "Moulins", "Europe/Paris"},
	{"976", "Mamoudzou", "Indian/Mayotte"},
	{"15", "Aurillac", "Europe/Paris"}, {"23", "Guéret", "Europe/Paris"},
	{"48", "Mende", "Europe/Paris"}, {"01", "Bourg-en-Bresse", "Europe/Paris"},
	{"02", "Saint-Quentin", "Europe/Paris"}, {"08", "Charleville-Mézières", "Europe/Paris"},
	{"10", "Troyes", "Europe/Paris"}, {"11", "Carcassonne", "Europe/Paris"},
	{"12", "Rodez", "Europe/Paris"}, {"16", "Angoulême", "Europe/Paris"},
	{"972", "Le Lamentin", "America/Martinique"},
	{"18", "Bourges", "Europe/Paris"}, {"19", "Brive-la-Gaillarde", "Europe/Paris"},
	{"22", "Saint-Brieuc", "Europe/Paris"}, {"24", "Périgueux", "Europe/Paris"},
	{"26", "Valence", "Europe/Paris"}, {"27", "Évreux", "Europe/Paris"},
	{"28", "Chartres", "Europe/Paris"}, {"32", "Auch", "Europe/Paris"},
	{"36", "Châteauroux", "Europe/Paris"}, {"39", "Lons-le-Saunier", "Europe/Paris"},
	{"40", "Mont-de-Marsan", "Europe/Paris"}, {"41", "Blois", "Europe/Paris"},
	{"43", "Le Puy-en-Velay", "Europe/Paris"}, {"46", "Cahors", "Europe/Paris"},
	{"47", "Agen", "Europe/Paris"}, {"50", "Cherbourg", "Europe/Paris"},
	{"52", "Chaumont", "Europe/Paris"}, {"53", "Laval", "Europe/Paris"},
	{"55", "Verdun", "Europe/Paris"}, {"58", "Nevers", "Europe/Paris"},
	{"60", "Beauvais", "Europe/Paris"}, {"61", "Alençon", "Europe/Paris"},
	{"65", "Tarbes", "Europe/Paris"}, {"70", "Vesoul", "Europe/Paris"},
	{"71", "Mâcon", "Europe/Paris"}, {"73", "Chambéry", "Europe/Paris"},
	{"74", "Annecy", "Europe/Paris"}, {"77", "Melun", "Europe/Paris"},
	{"78", "Versailles", "Europe/Paris"}, {"79", "Niort", "Europe/Paris"},
	{"81", "Albi", "Europe/Paris"}, {"82", "Montauban", "Europe/Paris"},
	{"84", "Avignon", "Europe/Paris"}, {"85", "La Roche-sur-Yon", "Europe/Paris"},
	{"88", "Épinal", "Europe/Paris"}, {"89", "Auxerre", "Europe/Paris"},
	{"90", "Belfort", "Europe/Paris"}, {"91", "Évry", "Europe/Paris"},
};
#define PLACE_COUNT ((int)G_N_ELEMENTS(places))

static const char *const counselor_texts[] = {
	"Bonjour, pouvez-vous me rappeler demain matin ?",
	"Je vous ai envoyé les offres dont nous avons parlé : regardez-les avant notre "
	"rendez-vous de jeudi, et dites-moi lesquelles vous intéressent.",
	"N'oubliez pas d'apporter votre CV et une pièce d'identité au prochain entretien.",
	"L'atelier « Préparer son entretien d'embauche » a lieu mardi à 9 h 30 à la Mission "
	"Locale. Il reste des places : je vous inscris ?",
	"Avez-vous pu contacter l'entreprise dont je vous ai parlé ?",
	"Votre dossier d'aide au permis est complet, je l'envoie aujourd'hui.",
	"Pensez à mettre à jour vos démarches dans l'application.",
};
static const char *const young_texts[] = {
	"Merci, j'ai bien reçu le document.",
	"D'accord, je serai là à 14 h.",
	"Oui, inscrivez-moi s'il vous plaît.",
	"Je n'ai pas pu venir ce matin, je suis malade. On peut décaler ?",
	"J'ai un entretien vendredi chez un boulanger !",
	"Bonjour, je n'arrive pas à envoyer mon CV, vous pouvez m'aider ?",
};
static const char *const ac_titles[] = {
	"Atelier CV et lettre de motivation", "Information collective CEJ",
	"Préparer son entretien d'embauche", "Découverte des métiers du numérique",
	"Atelier budget et logement", "Forum de l'alternance",
};

/* The generation's state. */
struct nat {
	struct db *db;
	struct bench_store *st;
	const struct msg_keyring *keys;
	GRand *r;
	int64_t now;
	int64_t since_commit;      /* rows since the last commit */
	struct bench_national_report *out;
	struct arena *out_a;
	int *portfolios;           /* size of each counselor's */
	int64_t k;                 /* beneficiaries so far (their number) */
	int64_t id_clock;          /* the instant of the next id (uuid) */
	/* The current structure and counselor. */
	const char *sid, *tz;
	const char *cid, *c_first, *c_last;
	int g;                     /* the counselor's number, from 1 */
};

static double
unit(struct nat *n)
{
	return g_rand_double(n->r);
}
/* A gamma(2) draw of mean @mean: the sum of two exponentials. */
static double
gamma2(struct nat *n, double mean)
{
	return -mean / 2 * log((1 - unit(n)) * (1 - unit(n)));
}
static int
pick(struct nat *n, int count)
{
	return g_rand_int_range(n->r, 0, count);
}

/* A UUIDv7 whose random bits come from the seeded generator (id_uuid7 draws them from the
 * system: the set would differ from run to run). Its instant is not the row's created_at
 * but a clock that ticks once per id, from three years before now: ids increase in
 * insertion order, as in production where rows are inserted as time goes by, so every
 * index that starts with an id (the primary keys, message_page, the actions of a
 * beneficiary, the participants of an event) is appended to instead of written at random
 * places. Before, SQLite's small page cache spilled a page to the WAL per row: 11 GB
 * written for a 0.97 GB database at a tenth of the nation; after, 23.5 GB for 8.8 GB at
 * full scale. No code reads the instant out of an id. */
static void
uuid(struct nat *n, char out[UUID_STRLEN + 1])
{
	int64_t ms = n->id_clock++;
	uint32_t a = g_rand_int(n->r), b = g_rand_int(n->r), c = g_rand_int(n->r);
	snprintf(out, UUID_STRLEN + 1, "%08x-%04x-7%03x-%04x-%04x%08x",
		 (unsigned)((uint64_t)ms >> 16), (unsigned)(ms & 0xffff), a & 0xfff,
		 0x8000 | ((a >> 12) & 0x3fff), b & 0xffff, c);
}

static struct bench_sealed
seal(struct nat *n, struct arena *a, const char *text)
{
	struct crypto_sealed s;
	int64_t t0 = g_get_monotonic_time();
	crypto_seal(n->keys, a, text, strlen(text), &s);
	n->out->seal_seconds += (double)(g_get_monotonic_time() - t0) / 1e6;
	return (struct bench_sealed){.blob = s.blob, .len = s.len, .key_id = s.key_id};
}

/* ---- Conversations ------------------------------------------------------------------- */

static int
conversation_length(struct nat *n, bool longest)
{
	double len = 47 * (pow(1 - unit(n), -0.7) - 1) + 1;
	return longest ? LONG_CONVERSATION : len > LONG_CONVERSATION ? LONG_CONVERSATION : (int)len;
}

/* The conversation of beneficiary @bid (activated at @from, last active at @to): @count
 * messages spread over that period, the conversation row first (it carries the last
 * message and its sealed preview), then the messages. */
static int
add_conversation(struct nat *n, struct arena *a, const char *bid, int64_t from, int64_t to,
		 int count)
{
	int64_t span = count * 10 * 60000LL;   /* at least ten minutes a message */
	if (to - from < span)
		to = from + span;
	if (to > n->now)
		to = n->now, from = to - span > from ? from : to - span;
	double step = (double)(to - from) / (count + 1);
	char (*ids)[UUID_STRLEN + 1] = arena_alloc(a, sizeof(*ids) * (size_t)count);
	int64_t *at = arena_alloc(a, sizeof(*at) * (size_t)count);
	bool *mine = arena_alloc(a, sizeof(*mine) * (size_t)count);
	for (int i = 0; i < count; i++) {
		at[i] = from + (int64_t)(step * (i + 1 + 0.4 * (unit(n) - 0.5)));
		mine[i] = unit(n) < 0.55;
		uuid(n, ids[i]);
	}
	char *cid = arena_alloc(a, UUID_STRLEN + 1);
	uuid(n, cid);
	int last = count - 1;
	const char *last_text = mine[last]
		? counselor_texts[last % G_N_ELEMENTS(counselor_texts)]
		: young_texts[last % G_N_ELEMENTS(young_texts)];
	/* The counselor has read everything in most conversations; the young person too. */
	int64_t read_c = unit(n) < 0.85 ? at[last] : at[last * 4 / 5];
	int64_t read_b = unit(n) < 0.75 ? at[last] : at[last / 2];
	struct bench_conversation c = {
		.id = cid, .beneficiary_id = bid, .created_at = from,
		.last_message_id = ids[last], .last_message_at = at[last],
		.last_sender = mine[last] ? "counselor" : "beneficiary",
		.preview = seal(n, a, msg_preview_cut(a, last_text)),
		.counselor_last_read_at = read_c, .beneficiary_last_read_at = read_b,
	};
	int rc = bench_store_conversation(n->st, &c);
	for (int i = 0; !rc && i < count; i++) {
		const char *text = mine[i] ? counselor_texts[i % G_N_ELEMENTS(counselor_texts)]
					   : young_texts[i % G_N_ELEMENTS(young_texts)];
		struct bench_message m = {
			.id = ids[i], .conversation_id = cid,
			.sender_type = mine[i] ? "counselor" : "beneficiary",
			.sender_counselor_id = mine[i] ? n->cid : NULL,
			.content = seal(n, a, text), .created_at = at[i],
		};
		rc = bench_store_message(n->st, &m);
	}
	n->out->conversations++;
	n->out->messages += count;
	n->since_commit += count + 1;
	return rc;
}

/* ---- Actions --------------------------------------------------------------------------- */

struct who {   /* the beneficiary an action belongs to */
	const char *id, *first, *last;
	bool cej;
	int64_t created_at;
};

/* One action created at a random instant of the beneficiary's year: status from its due
 * date, and the qualification of a CEJ done action (actions.md §3, §5). */
static int
add_action(struct nat *n, struct arena *a, const struct who *b)
{
	char id[UUID_STRLEN + 1];
	int64_t created = b->created_at + (int64_t)((double)(n->now - b->created_at) * unit(n));
	uuid(n, id);
	int64_t due = action_due_at(clock_day_of(created, n->tz) + pick(n, 61), n->tz);
	double u = unit(n);
	const char *status = due < n->now
		? (u < 0.55 ? "done" : u < 0.60 ? "canceled" : u < 0.85 ? "not_started" : "in_progress")
		: (u < 0.70 ? "not_started" : "in_progress");
	bool done = !strcmp(status, "done");
	int64_t completed = done ? (due < created ? created : due) : 0;
	int ci = pick(n, ACTION_CATEGORY_COUNT + 1);   /* the last: no category */
	const char *category = ci < ACTION_CATEGORY_COUNT ? action_categories[ci].code : NULL;
	bool by_counselor = unit(n) < 0.6;
	/* Each draw in its own statement: the order of an initializer's expressions is
	 * unspecified in C, and the same seed must give the same data with any compiler. */
	const char *title = action_titles[pick(n, ACTION_TITLE_COUNT)];
	bool described = unit(n) < 0.4;
	struct bench_action act = {
		.id = id, .beneficiary_id = b->id, .counselor_id = n->cid,
		.by_counselor = by_counselor, .creator_id = by_counselor ? n->cid : b->id,
		.creator_first_name = by_counselor ? n->c_first : b->first,
		.creator_last_name = by_counselor ? n->c_last : b->last,
		.title = title,
		.description = described ? "Préciser avec le conseiller lors du prochain entretien." : "",
		.category = category, .status = status, .due_at = due, .completed_at = completed,
		.created_at = created, .updated_at = done ? completed : created,
	};
	if (done && b->cej && completed < n->now - 14 * DAY_MS && unit(n) < 0.7) {
		bool snp = category && unit(n) < 0.75;
		int64_t q_at = completed + (1 + pick(n, 10)) * DAY_MS;
		act.q_code = snp ? category : "NON_SNP";
		act.q_hours = snp ? action_snp_hours(category) : 0;
		act.q_start = clock_iso_day(a, created, n->tz);
		act.q_end = clock_iso_day(a, completed, n->tz);
		act.qualified_at = act.updated_at = q_at < n->now ? q_at : n->now;
		act.qualified_by = n->cid;
	}
	n->out->actions++;
	n->since_commit++;
	return bench_store_action(n->st, &act);
}

/* ---- Beneficiaries --------------------------------------------------------------------- */

/* Beneficiary @j of the current counselor, its actions and conversation; its id goes to
 * *@id_out (the agenda's participants). conseiller-001's first has the longest fiche, its
 * second the longest conversation, both activated. */
static int
add_beneficiary(struct nat *n, struct arena *a, int j, const char **id_out)
{
	int64_t k = ++n->k;
	bool bench_fiche = n->g == 1 && j == 0, bench_conv = n->g == 1 && j == 1;
	char *id = arena_alloc(a, UUID_STRLEN + 1);
	int64_t created = n->now - (int64_t)((double)YEAR_MS * unit(n));
	uuid(n, id);
	const char *first = bench_first_names[pick(n, bench_first_name_count)];
	const char *last = bench_last_names[pick(n, bench_last_name_count)];
	bool activated = bench_fiche || bench_conv || unit(n) < 0.7;
	int64_t act_at = 0, last_at = 0;
	if (activated) {
		act_at = created + (int64_t)(5 * DAY_MS * unit(n));
		if (act_at > n->now)
			act_at = n->now;
		double u = unit(n);
		last_at = n->now - (int64_t)((double)(n->now - act_at) * u * u * u);
	}
	bool cej = unit(n) < 0.8 || bench_fiche;
	const char *situation = bench_situations[pick(n, bench_situation_count)];
	struct bench_beneficiary b = {
		.id = id, .structure_id = n->sid, .counselor_id = n->cid,
		.first_name = first, .last_name = last,
		.folded = text_fold(a, arena_printf(a, "%s %s", last, first)),
		.email = arena_printf(a, "jeune-%07" G_GINT64_FORMAT "@cej-bench.fr", k),
		.dossier_id = arena_printf(a, "%" G_GINT64_FORMAT, 9000000 + k),
		.dispositif = cej ? "CEJ" : "PACEA",
		.situation = situation,
		.created_at = created, .activated_at = act_at, .last_activity_at = last_at,
	};
	int rc = bench_store_beneficiary(n->st, &b);
	n->out->beneficiaries++;
	n->since_commit++;
	*id_out = id;

	int count = (int)gamma2(n, 20);
	if (unit(n) < 0.002)
		count = 200 + pick(n, 401);
	if (bench_fiche)
		count = LONG_FICHE;
	struct who w = {.id = id, .first = first, .last = last, .cej = cej, .created_at = created};
	for (int i = 0; !rc && i < count; i++)
		rc = add_action(n, a, &w);
	if (!rc && activated) {
		int len = conversation_length(n, bench_conv);
		rc = add_conversation(n, a, id, act_at, last_at, len);
		if (bench_conv) {
			n->out->conversation_id = arena_strdup(n->out_a, id);
			n->out->conversation_messages = len;
		}
	}
	if (bench_fiche) {
		n->out->fiche_id = arena_strdup(n->out_a, id);
		n->out->fiche_actions = count;
	}
	if (n->g == 1 && j == 2)
		n->out->search = arena_strdup(n->out_a, text_fold(a, last));
	return rc;
}

/* ---- Agenda ------------------------------------------------------------------------------ */

/* The current counselor's year of agenda over its portfolio @ids (@p of them). */
static int
add_agenda(struct nat *n, const char *const *ids, int p)
{
	static const int starts[] = {9 * 60, 10 * 60 + 30, 14 * 60, 15 * 60 + 30, 16 * 60 + 30};
	static const enum event_type rdv_types[] = {
		EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER, EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER,
		EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER, EVENT_ACTIVITES_EXTERIEURES,
		EVENT_ENTRETIEN_PARTENAIRE, EVENT_VISITE, EVENT_PRESTATION,
	};
	int64_t monday = clock_day_monday(clock_day_of(n->now, n->tz));
	int rdv = (p + 3) / 6, rc = 0;
	for (int w = -26; !rc && p > 0 && w < 26; w++) {
		bool with_ac = (w + n->g) % 2 == 0;
		for (int i = 0; !rc && i < rdv + with_ac; i++) {
			bool ac = i == rdv;
			int start = starts[pick(n, G_N_ELEMENTS(starts))];
			int64_t at = clock_day_at(monday + 7 * w + pick(n, 5), start / 60, start % 60, n->tz);
			int64_t created = at - 14 * DAY_MS < n->now ? at - 14 * DAY_MS : n->now;
			char id[UUID_STRLEN + 1];
			uuid(n, id);
			enum event_type type = ac ? (pick(n, 2) ? EVENT_ATELIER : EVENT_INFORMATION_COLLECTIVE)
						  : rdv_types[pick(n, G_N_ELEMENTS(rdv_types))];
			int duration = ac ? 120 : 30 + 15 * pick(n, 3);
			const char *title = ac ? ac_titles[pick(n, G_N_ELEMENTS(ac_titles))] : NULL;
			const char *modality = agenda_modalities[pick(n, MODALITY_COUNT)].code;
			int max = ac && pick(n, 2) ? 10 : 0;
			struct bench_event e = {
				.id = id, .type = agenda_types[type].code, .collective = ac,
				.title = title, .modality = modality,
				.starts_at = at, .duration_min = duration,
				.max_participants = max,
				.creator_id = n->cid, .creator_first_name = n->c_first,
				.creator_last_name = n->c_last, .structure_id = n->sid,
				.created_at = created,
				/* A Mission Locale closes its past AC: only the last two weeks' are
				 * still "À clore" (Pilotage counts those). */
				.closed_at = ac && w < -2 ? at + duration * 60000LL : 0,
			};
			int np = ac ? 1 + pick(n, 6) : unit(n) < 0.1 ? 2 : 1;
			if (np > p)
				np = p;
			int first = pick(n, p);
			rc = bench_store_event(n->st, &e);
			for (int j = 0; !rc && j < np; j++)
				rc = bench_store_participant(n->st, id, ids[(first + j) % p], created, at);
			n->out->events++;
			n->out->participants += np;
			n->since_commit += 1 + np;
		}
	}
	return rc;
}

/* ---- Structures and counselors ----------------------------------------------------------- */

/* Counselor number n->g of the current structure, its portfolio and agenda. */
static int
add_counselor(struct nat *n, const struct bench_national_opts *o, bool supervisor)
{
	struct arena *a = arena_new();
	char *cid = arena_alloc(a, UUID_STRLEN + 1);
	int64_t created = n->now - YEAR_MS - (int64_t)(2 * YEAR_MS * unit(n));
	uuid(n, cid);
	n->cid = cid;
	n->c_first = bench_first_names[pick(n, bench_first_name_count)];
	n->c_last = bench_last_names[pick(n, bench_last_name_count)];
	const char *email = arena_printf(a, "conseiller-%03d@cej-bench.fr", n->g);
	int rc = bench_store_counselor(n->st, cid, n->sid, email, n->c_first, n->c_last,
				       o->password_hash, supervisor, created);
	n->out->counselors++;
	int p = (int)lround(gamma2(n, 15));
	if (p < 1)
		p = 1;
	if (n->g == 1) {
		p = BENCH_NATIONAL_PORTFOLIO;
		n->out->email = arena_strdup(n->out_a, email);
	}
	n->portfolios[n->g - 1] = p;
	const char **ids = arena_alloc(a, sizeof(*ids) * (size_t)p);
	for (int j = 0; !rc && j < p; j++)
		rc = add_beneficiary(n, a, j, &ids[j]);
	if (!rc)
		rc = add_agenda(n, ids, p);
	arena_free(a);
	return rc;
}

/* Counselors per structure: weights, shared out by largest remainder (each at least 1). */
static int *
share_counselors(struct nat *n, int structures, int counselors)
{
	double *w = g_new(double, (size_t)structures), sum = 0;
	for (int i = 0; i < structures; i++) {
		double u = unit(n);
		sum += w[i] = i == 0 ? 4 : 0.25 + 2.5 * u * u;
	}
	int *c = g_new0(int, (size_t)structures), given = 0;
	double *rest = g_new(double, (size_t)structures);
	for (int i = 0; i < structures; i++) {
		double exact = (counselors - structures) * w[i] / sum;
		c[i] = 1 + (int)exact;
		rest[i] = exact - (int)exact;
		given += c[i];
	}
	while (given < counselors) {   /* the largest remainders get one more */
		int best = 0;
		for (int i = 1; i < structures; i++)
			if (rest[i] > rest[best])
				best = i;
		c[best]++, rest[best] = -1, given++;
	}
	g_free(w);
	g_free(rest);
	return c;
}

static int
cmp_int(const void *x, const void *y)
{
	return *(const int *)x - *(const int *)y;
}

static int
generate_all(struct nat *n, const struct bench_national_opts *o)
{
	int structures = (int)lround(450 * o->scale);
	if (structures < 3)
		structures = 3;
	int counselors = (int)lround(10000 * o->scale);
	if (counselors < structures)
		counselors = structures;
	n->portfolios = g_new0(int, (size_t)counselors);
	int *per = share_counselors(n, structures, counselors);
	GHashTable *zones = g_hash_table_new(g_str_hash, g_str_equal);
	int rc = db_tx_begin(n->db);
	for (int s = 0; !rc && s < structures; s++) {
		struct arena *a = arena_new();
		const struct place *pl = &places[s % PLACE_COUNT];
		char *sid = arena_alloc(a, UUID_STRLEN + 1);
		uuid(n, sid);
		n->sid = sid, n->tz = pl->tz;
		g_hash_table_add(zones, (gpointer)pl->tz);
		const char *name = s < PLACE_COUNT
			? arena_printf(a, "Mission Locale de %s", pl->town)
			: arena_printf(a, "Mission Locale de %s %d", pl->town, s / PLACE_COUNT + 1);
		rc = bench_store_structure(n->st, sid, arena_printf(a, "%s%04dS00", pl->dept, s), name,
					   pl->tz, n->now - 3 * YEAR_MS);
		n->out->structures++;
		for (int c = 0; !rc && c < per[s]; c++) {
			n->g++;
			rc = add_counselor(n, o, c == 1);
			if (!rc && n->since_commit >= TX_ROWS) {
				rc = bench_store_flush(n->st) || db_tx_commit(n->db) || db_tx_begin(n->db);
				n->since_commit = 0;
			}
		}
		arena_free(a);
	}
	if (!rc)
		rc = bench_store_flush(n->st) || db_tx_commit(n->db);
	else
		db_tx_rollback(n->db);
	n->out->zones = (int)g_hash_table_size(zones);
	qsort(n->portfolios, (size_t)n->g, sizeof(int), cmp_int);
	if (n->g > 0) {
		n->out->median_portfolio = n->portfolios[n->g / 2];
		n->out->max_portfolio = n->portfolios[n->g - 1];
	}
	g_hash_table_destroy(zones);
	g_free(per);
	g_free(n->portfolios);
	return rc;
}

int
bench_national_generate(struct db *db, const struct msg_keyring *keys,
			const struct bench_national_opts *o, struct arena *a,
			struct bench_national_report *out)
{
	*out = (struct bench_national_report){0};
	if (!(o->scale > 0) || !keys || !o->password_hash)
		return 1;
	int64_t t0 = g_get_monotonic_time();
	struct nat n = {
		.db = db, .st = bench_store_new(db), .keys = keys,
		.r = g_rand_new_with_seed(o->seed), .now = o->now, .out = out, .out_a = a,
		.id_clock = o->now - 3 * YEAR_MS,
	};
	int rc = generate_all(&n, o);
	bench_store_free(n.st);
	g_rand_free(n.r);
	out->seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
	return rc ? 1 : 0;
}
